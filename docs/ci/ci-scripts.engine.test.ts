// The shell steps of the CI pipelines (docs/ci/scripts/*.sh), run as the workflows run them: against a stack of
// examples/push-server-basic on a fresh emulator, with the KSC connection in KSC_* environment variables (CI
// secrets) rather than stack configuration. Only the PR comment upload itself (GitHub API) is not run.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expectSuccess, newStack, offlineEnv, repoRoot, runnerPath, type TestStack } from "../../tools/engine";
import { startConsole, stopConsole, type Console } from "../../test/support/lifecycle";

jest.setTimeout(10 * 60 * 1000);

const scripts = path.join(__dirname, "scripts");
const project = path.join(repoRoot, "examples", "push-server-basic");

interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe("CI pipeline steps (docs/ci/scripts) against an emulator stack", () => {
  let c: Console;
  let stack: TestStack;
  let work: string;
  let kscEnv: Record<string, string>;

  function runScript(name: string, extraEnv: Record<string, string> = {}): Promise<ScriptResult> {
    const env = offlineEnv({
      overrides: {
        ...kscEnv,
        ...extraEnv,
        PULUMI: runnerPath,
        PULUMI_STACK: stack.name,
        PULUMI_WORK_DIR: project,
        PULUMI_BACKEND_URL: `file://${stack.stateDir}`,
        GITHUB_STEP_SUMMARY: path.join(work, "summary.md"),
        // Not from the caller: the scripts set it themselves (common.sh), as a copied step must.
        PULUMI_RUN_PROGRAM: undefined,
      },
    });
    return new Promise((resolve, reject) => {
      const child = spawn("bash", [path.join(scripts, name)], { cwd: work, env });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (b: Buffer) => out.push(b));
      child.stderr.on("data", (b: Buffer) => err.push(b));
      child.on("error", reject);
      child.on("close", (code) =>
        resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
      );
    });
  }

  const summary = () => fs.readFileSync(path.join(work, "summary.md"), "utf8");

  beforeAll(async () => {
    c = await startConsole({ tls: false });
    kscEnv = {
      KSC_SERVER_URL: c.emu.url,
      KSC_USER: c.emu.credentials.user,
      KSC_PASSWORD: c.emu.credentials.password,
    };
    work = fs.mkdtempSync(path.join(os.tmpdir(), "ksc-ci-"));
    fs.symlinkSync(path.join(repoRoot, "policy"), path.join(work, "policy"));
    // No ksc:* configuration: the scripts, and the stack's clean-up, get the connection from KSC_*.
    stack = await newStack(project, { env: kscEnv });
  });

  afterAll(async () => {
    await stack?.dispose();
    await stopConsole(c);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  // refresh, destroy and --refresh hand the provider the configuration saved at the last up unless the program
  // runs; pulumi-ksc then refuses before logging in (docs/configuration.md). Every step runs the program.
  test("every step runs the program (PULUMI_RUN_PROGRAM=true), so it uses the stack's configuration as it is now", () => {
    expect(fs.readFileSync(path.join(scripts, "common.sh"), "utf8")).toMatch(/^export PULUMI_RUN_PROGRAM=true$/m);
    const steps = fs.readdirSync(scripts).filter((f) => f.endsWith(".sh") && f !== "common.sh");
    for (const step of steps) {
      expect({ step, sourcesCommon: /^source .*common\.sh"?$/m.test(fs.readFileSync(path.join(scripts, step), "utf8")) }).toEqual({ step, sourcesCommon: true });
    }
    for (const f of fs.readdirSync(path.join(__dirname, "github"))) {
      const text = fs.readFileSync(path.join(__dirname, "github", f), "utf8");
      expect({ workflow: f, runsProgram: /^ {2}PULUMI_RUN_PROGRAM: "true"$/m.test(text) }).toEqual({
        workflow: f,
        runsProgram: true,
      });
    }
  });

  test("the workflows run these scripts, and every script is run by a workflow", () => {
    const workflows = fs
      .readdirSync(path.join(__dirname, "github"))
      .map((f) => fs.readFileSync(path.join(__dirname, "github", f), "utf8"))
      .join("\n");
    const called = [...workflows.matchAll(/run: docs\/ci\/scripts\/([\w-]+\.sh)/g)].map((m) => m[1]).sort();
    const runnable = fs.readdirSync(scripts).filter((f) => f.endsWith(".sh") && f !== "common.sh");
    expect(called).toEqual(runnable.sort());
  });

  test("pull request: preview.sh writes the `preview --diff` text as a PR comment", async () => {
    const run = await runScript("preview.sh");
    expect(run.code).toBe(0);

    const comment = fs.readFileSync(path.join(work, "pulumi-preview.md"), "utf8");
    expect(comment).toContain(`### \`pulumi preview --diff\` of stack \`${stack.name}\``);
    expect(comment).toMatch(/```diff\n[\s\S]*\+ 4 to create[\s\S]*\n```\n$/);
    expect(comment).toContain("+ pulumi-nodejs:dynamic/ksc:PushServer: (create)");
    expect(comment).toMatch(/port +: 13295/);
    expect(summary()).toContain(comment);
  });

  // As the workflow sets them, relative to the job's working directory (where beforeAll links the pack).
  const POLICY_ENV = { POLICY_PACK: "policy", POLICY_PACK_CONFIG: "policy/policy-config.json" };

  test("pull request: preview.sh runs the policy pack; advisory rules show in the comment and pass", async () => {
    const run = await runScript("preview.sh", POLICY_ENV);
    expect(run.code).toBe(0);
    const comment = fs.readFileSync(path.join(work, "pulumi-preview.md"), "utf8");
    expect(comment).toContain(`### \`pulumi preview --diff\` of stack \`${stack.name}\``);
    // The example has one push-server DP for its branch.
    expect(comment).toMatch(
      /\[advisory\] +ksc-push-groups-second-push-server +\(pulumi-nodejs:dynamic\/ksc:DistributionPoint: branch-dp\)/,
    );
  });

  test("pull request: a mandatory rule broken fails preview.sh, and the comment says which and where", async () => {
    await stack.setConfig("pushServerPort", "13291");
    try {
      const run = await runScript("preview.sh", POLICY_ENV);
      expect(run.code).not.toBe(0);
      const comment = fs.readFileSync(path.join(work, "pulumi-preview.md"), "utf8");
      expect(comment).toContain(`of stack \`${stack.name}\` failed (exit code ${run.code})`);
      expect(comment).toMatch(/\[mandatory\] +ksc-push-server-port +\(pulumi-nodejs:dynamic\/ksc:PushServer: branch-push\)/);
      expect(comment).toContain('PushServer "branch-push": port 13291 is a port Kaspersky Security Center itself uses');
    } finally {
      expectSuccess(await stack.run(["config", "rm", "pushServerPort"]));
    }
  });

  test("merge to main: up.sh deploys and prints the outputs", async () => {
    const run = await runScript("up.sh");
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/Stack outputs[\s\S]*pushServerPortInUse\s+13295/);
    const dp = await c.ksc.dp(await c.ksc.hostId("milan-dp-01"));
    expect(dp).toBeDefined();
  });

  test("schedule: drift-check.sh passes while the console holds what is declared", async () => {
    const run = await runScript("drift-check.sh");
    expect(run.stdout).toContain(`No drift: the console holds what stack ${stack.name} declares.`);
    expect(run.code).toBe(0);
  });

  test("schedule: drift-check.sh fails with exit 7 and names what drifted", async () => {
    await c.ksc.setPushServerPort(await c.ksc.hostId("milan-dp-01"), 13399);

    const run = await runScript("drift-check.sh");
    expect(run.code).toBe(7);
    const line = "ksc:PushServer branch-push (update): port: console 13399, declared 13295";
    expect(run.stdout).toContain(line);
    expect(run.stdout.split("\n").filter((l) => l.startsWith("  "))).toEqual([`  ${line}`]);
    expect(summary()).toContain(`- ${line}`);

    // What the message tells the operator to do works: refresh, then up restores the port.
    expectSuccess(await stack.refresh());
    expectSuccess(await stack.up(["--skip-preview"]));
    expect((await runScript("drift-check.sh")).code).toBe(0);
  });
});
