// Harness for engine tests (`*.engine.test.ts`): the real pulumi CLI, run through bin/pulumi-ksc-run in
// the offline environment of tools/engine/offline.env, one throw-away stack per test file.
//
//   const stack = await newStack(path.join(__dirname, "my-project"), { config: { message: "hi" } });
//   expectSuccess(await stack.up());
//   expect(await stack.outputs()).toEqual({ ... });
//   await stack.dispose();          // destroy, stack rm, delete its state (in afterAll)
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { offlineEnv, repoRoot } from "./env";

export { offlineEnv, repoRoot } from "./env";

/** bin/pulumi-ksc-run: the real CLI, plus a language runtime when pulumi-language-nodejs is missing. */
export const runnerPath = path.join(repoRoot, "bin", "pulumi-ksc-run");
/** The real Pulumi CLI alone (no runner): for programs whose language host is in bin/, such as Pulumi YAML. */
export const cliPath = path.join(repoRoot, "bin", "pulumi");

/** Where per-stack state lives (git-ignored). */
export const stacksDir = path.join(repoRoot, ".stacks");

/** Stack names start with this; `Pulumi.<stack>.yaml` files with it are git-ignored. */
export const testStackPrefix = "ksc-test-";

export interface PulumiResult {
  /** The command line, for messages. */
  command: string;
  /** Exit code of the CLI (e.g. 7 for `--expect-no-changes` with changes). */
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Working directory: the Pulumi project directory. */
  cwd: string;
  /** Extra environment (after offline.env); `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Written to the CLI's stdin (e.g. a config value, so it never appears on a command line). */
  input?: string;
  /** Kill the CLI after this long (default 10 minutes) and reject. */
  timeoutMs?: number;
  /** The command to run: bin/pulumi-ksc-run (default) or cliPath. */
  cli?: string;
}

/** Runs `pulumi <args>` and resolves with its exit code and output; it does not throw on a non-zero exit. */
export function runPulumi(args: string[], opts: RunOptions): Promise<PulumiResult> {
  const cli = opts.cli ?? runnerPath;
  if (!fs.existsSync(cli)) {
    return Promise.reject(new Error(`${cli} is missing: run \`make pulumi\` first`));
  }
  const command = `pulumi ${args.join(" ")}`;
  const timeoutMs = opts.timeoutMs ?? 10 * 60 * 1000;
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { cwd: opts.cwd, env: offlineEnv({ overrides: opts.env }) });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => stdout.push(b));
    child.stderr.on("data", (b: Buffer) => stderr.push(b));
    child.stdin.end(opts.input ?? "");
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      reject(
        new Error(`${command} did not finish within ${timeoutMs} ms\n${Buffer.concat(stderr).toString()}`),
      );
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        command,
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
      });
    });
  });
}

/** Returns the result if the CLI exited 0; otherwise throws with its output, so a failing test says why. */
export function expectSuccess(result: PulumiResult): PulumiResult {
  if (result.code !== 0) {
    throw new Error(
      `${result.command} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result;
}

/** Parses the JSON a command printed (`--json`, `stack export`, `stack output --json`). */
export function parseJson<T = unknown>(result: PulumiResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(
      `${result.command} (exit ${result.code}) did not print JSON\n${result.stdout}\n${result.stderr}`,
    );
  }
}

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff?: boolean }>;
  oldState?: StateResource;
  newState?: StateResource;
}

export interface PreviewJson {
  steps: PreviewStep[];
  changeSummary: Record<string, number>;
  diagnostics?: { message: string; severity: string; urn?: string }[];
}

/** A resource in `pulumi stack export` state. */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ConfigValue {
  value: string;
  secret?: boolean;
}

export interface NewStackOptions {
  /** Stack config; plain keys go to the project's namespace (`message`), or give `ksc:serverUrl`. */
  config?: Record<string, string | ConfigValue>;
  /** Extra environment for every command of this stack (e.g. KSC_* variables). */
  env?: Record<string, string | undefined>;
  /** The command every run of this stack uses (RunOptions.cli). */
  cli?: string;
}

/**
 * A stack of a Pulumi project in place (so relative imports and node_modules resolve as for a user),
 * with its own file backend under .stacks/<stack>/ and a unique name, so test files can run in
 * parallel. Every command gets `--stack <name>`; nothing depends on the selected stack.
 */
export class TestStack {
  constructor(
    readonly name: string,
    readonly projectDir: string,
    /** The directory holding this stack's file backend. */
    readonly stateDir: string,
    private readonly env: Record<string, string | undefined>,
    private readonly cli?: string,
  ) {}

  /** `pulumi <args> --stack <name>` in the project directory. */
  run(args: string[], opts: Omit<RunOptions, "cwd"> = {}): Promise<PulumiResult> {
    const end = args.indexOf("--");
    const withStack =
      end === -1
        ? [...args, "--stack", this.name]
        : [...args.slice(0, end), "--stack", this.name, ...args.slice(end)];
    return runPulumi(withStack, {
      cli: this.cli,
      ...opts,
      cwd: this.projectDir,
      env: { ...this.env, ...opts.env },
    });
  }

  up(args: string[] = []): Promise<PulumiResult> {
    return this.run(["up", "--yes", ...args]);
  }

  preview(args: string[] = []): Promise<PulumiResult> {
    return this.run(["preview", ...args]);
  }

  /** `preview --json`, parsed; the exit code is not checked (use preview() to assert on it). */
  async previewJson(args: string[] = []): Promise<PreviewJson> {
    return parseJson<PreviewJson>(await this.run(["preview", "--json", ...args]));
  }

  refresh(args: string[] = []): Promise<PulumiResult> {
    return this.run(["refresh", "--yes", ...args]);
  }

  destroy(args: string[] = []): Promise<PulumiResult> {
    return this.run(["destroy", "--yes", ...args]);
  }

  /** `pulumi config set`; the value goes through stdin, never onto a command line. */
  async setConfig(key: string, value: string, opts: { secret?: boolean } = {}): Promise<void> {
    expectSuccess(
      await this.run(["config", "set", key, ...(opts.secret ? ["--secret"] : [])], { input: value }),
    );
  }

  /** Stack outputs, secrets shown in plain text. */
  async outputs(): Promise<Record<string, unknown>> {
    return parseJson<Record<string, unknown>>(
      expectSuccess(await this.run(["stack", "output", "--json", "--show-secrets"])),
    );
  }

  /** `pulumi stack export` (secrets stay encrypted unless showSecrets). */
  async exportState(
    opts: { showSecrets?: boolean } = {},
  ): Promise<{ deployment: { resources?: StateResource[] } }> {
    const args = ["stack", "export", ...(opts.showSecrets ? ["--show-secrets"] : [])];
    return parseJson(expectSuccess(await this.run(args)));
  }

  /** The resources in the state, without the stack itself and default providers. */
  async resources(opts: { showSecrets?: boolean } = {}): Promise<StateResource[]> {
    const state = await this.exportState(opts);
    return (state.deployment.resources ?? []).filter(
      (r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"),
    );
  }

  /** Destroys what is left, removes the stack (and its Pulumi.<stack>.yaml) and deletes its state. */
  async dispose(): Promise<void> {
    try {
      const destroyed = await this.destroy();
      const removed = await this.run(["stack", "rm", "--yes", "--force"]);
      if (destroyed.code !== 0 || removed.code !== 0) {
        throw new Error(`cleaning up stack ${this.name} failed:\n${destroyed.stderr}\n${removed.stderr}`);
      }
    } finally {
      fs.rmSync(path.join(this.projectDir, `Pulumi.${this.name}.yaml`), { force: true });
      fs.rmSync(this.stateDir, { recursive: true, force: true });
    }
  }
}

/** Creates a fresh stack of the project at `projectDir` (a directory with Pulumi.yaml). */
export async function newStack(projectDir: string, opts: NewStackOptions = {}): Promise<TestStack> {
  const name = `${testStackPrefix}${crypto.randomBytes(5).toString("hex")}`;
  const stateDir = path.join(stacksDir, name);
  fs.mkdirSync(stateDir, { recursive: true });
  const env = { ...opts.env, PULUMI_BACKEND_URL: `file://${stateDir}` };
  const stack = new TestStack(name, path.resolve(projectDir), stateDir, env, opts.cli);
  // --no-select: nothing is written to the shared PULUMI_HOME workspace file, so parallel test files
  // on the same project do not race on it.
  expectSuccess(
    await runPulumi(["stack", "init", name, "--no-select"], { cwd: stack.projectDir, env, cli: opts.cli }),
  );
  for (const [key, entry] of Object.entries(opts.config ?? {})) {
    const { value, secret } = typeof entry === "string" ? { value: entry, secret: false } : entry;
    await stack.setConfig(key, value, { secret });
  }
  return stack;
}
