// What the commands need from the outside world, injectable so tests can drive them: output streams, the
// environment, the working directory, the prompts of `probe guided`, and the `pulumi config` call.
import { execFile } from "child_process";
import * as readline from "readline";

/** One step of `probe guided` as shown to the person. */
export interface StepPrompt {
  /** Stable id of the step (e.g. "push-enable"), for tests and --json output. */
  id: string;
  title: string;
  /** What to do in the console. */
  lines: string[];
  /** 1 for the first time the step is shown; more when nothing (or not everything) was seen the time before. */
  attempt: number;
}

/** done: the change is made and saved; skip: go on without this step; quit: stop the walk here. */
export type StepAnswer = "done" | "skip" | "quit";

export interface Prompter {
  step(prompt: StepPrompt): Promise<StepAnswer>;
  /** A yes/no question; the default answer is no. */
  confirm(question: string): Promise<boolean>;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdoutIsTty: boolean;
  /** Prompts of `probe guided`; default: the terminal (node:readline). */
  prompter?: Prompter;
  /** Runs `pulumi <args>` in `cwd` and returns its stdout; default: the pulumi CLI on PATH. */
  runPulumi?(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string>;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTty: process.stdout.isTTY === true,
  };
}

export function runPulumiCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("pulumi", args, { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const detail = String(stderr || err.message).trim();
        reject(new Error(`\`pulumi ${args.join(" ")}\` failed: ${detail}`));
      } else resolve(stdout);
    });
  });
}

/**
 * Prompts on the terminal. Questions go to stderr so that stdout stays clean for --json; the end of input
 * (Ctrl-D, a closed pipe) answers "quit" / "no".
 */
export function terminalPrompter(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Prompter & { close(): void } {
  const rl = readline.createInterface({ input, output, terminal: false });
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let closed = false;
  rl.on("line", (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  rl.on("close", () => {
    closed = true;
    for (const w of waiting.splice(0)) w(undefined);
  });
  const ask = (question: string): Promise<string | undefined> => {
    output.write(question);
    if (lines.length > 0) return Promise.resolve(lines.shift());
    if (closed) return Promise.resolve(undefined);
    return new Promise((resolve) => waiting.push(resolve));
  };
  return {
    async step(p) {
      output.write(`\n${p.attempt > 1 ? `${p.title} (again)` : p.title}\n`);
      for (const line of p.lines) output.write(`  ${line}\n`);
      for (;;) {
        const answer = await ask("Press Enter when done (s = skip this step, q = stop here): ");
        if (answer === undefined) return "quit";
        const a = answer.trim().toLowerCase();
        if (a === "") return "done";
        if (a === "s" || a === "skip") return "skip";
        if (a === "q" || a === "quit") return "quit";
      }
    },
    async confirm(question) {
      const answer = await ask(`${question} [y/N] `);
      return answer !== undefined && /^y(es)?$/i.test(answer.trim());
    },
    close: () => rl.close(),
  };
}
