// Reading a `pulumi` command line just far enough to know whether the command runs the program.

/** Global flags of the pulumi CLI that take a separate value (`-C dir`, `--color never`). */
export const GLOBAL_FLAGS_WITH_VALUE = new Set([
  "-C",
  "--cwd",
  "--color",
  "-v",
  "--verbose",
  "--memprofilerate",
  "--otel-traces",
  "--profiling",
  "--tracing",
]);

const ALWAYS_RUN_PROGRAM = new Set(["up", "update", "preview", "pre"]);
const RUN_PROGRAM_ON_REQUEST = new Set(["refresh", "destroy", "down", "dn"]);

/** The command word (`up`, `stack`, …), skipping global flags before it; undefined if none. */
export function commandOf(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return undefined;
    if (!arg.startsWith("-")) return arg;
    if (GLOBAL_FLAGS_WITH_VALUE.has(arg)) i++;
  }
  return undefined;
}

/**
 * The value of the boolean `--run-program` flag (`--run-program`, `--run-program=false`, …). Its default is the
 * CLI's: PULUMI_RUN_PROGRAM, true when "1" or "true" in any case.
 */
function runProgramFlag(args: string[], env: NodeJS.ProcessEnv): boolean {
  const fromEnv = env.PULUMI_RUN_PROGRAM;
  let value = fromEnv !== undefined && (fromEnv === "1" || fromEnv.toLowerCase() === "true");
  for (const arg of args) {
    if (arg === "--") break;
    if (arg === "--run-program") value = true;
    else if (arg.startsWith("--run-program=")) value = arg.slice("--run-program=".length) !== "false";
  }
  return value;
}

/** Whether the command evaluates the Pulumi program, and so needs a language host. */
export function runsProgram(args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const command = commandOf(args);
  if (command === undefined) return false;
  if (ALWAYS_RUN_PROGRAM.has(command)) return true;
  return RUN_PROGRAM_ON_REQUEST.has(command) && runProgramFlag(args, env);
}

/** Adds `--client=<address>` to the command line, before any `--` that ends the flags. */
export function withClientFlag(args: string[], address: string): string[] {
  const flag = `--client=${address}`;
  const end = args.indexOf("--");
  return end === -1 ? [...args, flag] : [...args.slice(0, end), flag, ...args.slice(end)];
}

/** Whether the command line asks for a policy pack (`--policy-pack <dir>` or `--policy-pack=<dir>`). */
export function usesPolicyPack(args: string[]): boolean {
  for (const arg of args) {
    if (arg === "--") return false;
    if (arg === "--policy-pack" || arg.startsWith("--policy-pack=")) return true;
  }
  return false;
}
