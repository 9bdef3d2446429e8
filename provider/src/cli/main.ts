#!/usr/bin/env node
// `pulumi-ksc`: the command-line tool of the package (package.json "bin"). See commands.ts and `pulumi-ksc --help`.
import { run, exitCodeOf } from "./commands";
import { CliIo, processIo } from "./io";

/** Run the CLI with `io`; never throws: every error becomes a message on stderr and an exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    io.err(`pulumi-ksc: ${err instanceof Error ? err.message : String(err)}`);
    return exitCodeOf(err);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`pulumi-ksc: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
