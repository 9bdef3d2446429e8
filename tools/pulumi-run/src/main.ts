// pulumi-ksc-run: a drop-in for `pulumi <command> [args...]` in a Pulumi TypeScript project.
//
// If a `pulumi-language-nodejs` plugin is available (built by `make pulumi`, or shipped with an
// installed CLI), this simply runs the CLI. Otherwise, for the commands that run the program (up,
// preview, and refresh/destroy with --run-program), it serves a small language runtime itself and
// passes `--client=<address>` to the real CLI; every other command goes to the CLI unchanged.
//
// PULUMI_KSC_CLI       the pulumi binary to run (default: <repo>/bin/pulumi, else `pulumi` on PATH)
// PULUMI_KSC_RUN_MODE  auto (default) | inline (always serve the runtime) | direct (never)
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { commandOf, runsProgram, usesPolicyPack, withClientFlag } from "./args";
import { importRefusal } from "./importCommand";
import { preloadPath, withPreloadInNodeOptions } from "./inspectGuard";

const repoRoot = path.resolve(__dirname, "..", "..", "..");

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir !== "" && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function findCli(): string {
  const fromEnv = process.env.PULUMI_KSC_CLI;
  if (fromEnv) return fromEnv;
  const local = path.join(repoRoot, "bin", "pulumi");
  return isExecutable(local) ? local : (findOnPath("pulumi") ?? "pulumi");
}

/**
 * The engine looks for the language host on PATH, then next to the running `pulumi`
 * (docs/pulumi-behaviour.md#executables).
 */
function languageHostAvailable(cli: string): boolean {
  const name = "pulumi-language-nodejs";
  if (findOnPath(name)) return true;
  const dirs = [path.dirname(cli)];
  try {
    dirs.push(path.dirname(fs.realpathSync(cli)));
  } catch {
    // cli may be a bare name resolved by spawn; PATH was checked above.
  }
  return dirs.some((dir) => isExecutable(path.join(dir, name)));
}

function serveRuntime(cli: string): boolean {
  const mode = process.env.PULUMI_KSC_RUN_MODE ?? "auto";
  if (mode === "inline") return true;
  if (mode === "direct") return false;
  if (mode !== "auto") throw new Error(`PULUMI_KSC_RUN_MODE must be auto, inline or direct, not "${mode}"`);
  return !languageHostAvailable(cli);
}

/** Runs the CLI with our stdio and resolves to its exit code (128+n if it died of signal n). */
function runCli(cli: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cli, args, { stdio: "inherit", env });
    // Ctrl-C reaches the CLI directly (same process group) and it cancels gracefully; we must stay up
    // meanwhile to serve the program. Termination requests sent to us alone are passed on.
    const onSigint = () => undefined;
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onSigterm = forward("SIGTERM");
    const onSighup = forward("SIGHUP");
    process.on("SIGINT", onSigint);
    process.on("SIGTERM", onSigterm);
    process.on("SIGHUP", onSighup);
    const done = (code: number) => {
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigterm);
      process.off("SIGHUP", onSighup);
      resolve(code);
    };
    child.on("error", (err: NodeJS.ErrnoException) => {
      const hint = err.code === "ENOENT" ? " (run `make pulumi`, or set PULUMI_KSC_CLI)" : "";
      process.stderr.write(`pulumi-ksc-run: cannot run ${cli}: ${err.message}${hint}\n`);
      done(127);
    });
    child.on("exit", (code, signal) => {
      done(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0));
    });
  });
}

async function main(args: string[]): Promise<number> {
  const cli = findCli();
  const serving = serveRuntime(cli);
  if (commandOf(args) === "import") {
    const refusal = importRefusal(args, !serving, (file) => fs.readFileSync(file, "utf8"));
    if (refusal !== undefined) {
      process.stderr.write(`${refusal}\n`);
      return 1;
    }
  }
  if (!runsProgram(args)) return runCli(cli, args);
  if (!serving) return runCli(cli, args, withPreloadInNodeOptions(process.env, preloadPath));
  // Loaded only here: it pulls in gRPC and the SDK's protobuf code.
  const { startLanguageRuntime } = await import("./languageRuntime");
  const runtime = await startLanguageRuntime();
  // A policy pack of runtime nodejs is started by the engine through the nodejs language host, which this CLI
  // lacks: point the engine at our server for it (languageRuntime.ts, runPlugin).
  const env = usesPolicyPack(args)
    ? { ...process.env, PULUMI_DEBUG_LANGUAGES: `nodejs:${runtime.port}` }
    : process.env;
  try {
    return await runCli(cli, withClientFlag(args, runtime.address), env);
  } finally {
    await runtime.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`pulumi-ksc-run: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
