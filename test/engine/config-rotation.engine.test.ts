// Live configuration under the real engine (docs/configuration.md, "Which configuration each command uses"). The
// password is rotated on the server and in the stack configuration after `up`; then refresh, preview --refresh and
// destroy each log in with the new one, and a command that would be handed the configuration saved at the last up
// (no program run) stops before any login, naming the settings and the fix. The emulator counts every login
// attempt: a stale password would show there (and lock a real account after a few runs). A server URL pointed at
// a dead port makes refresh fail, and fixing it makes the next refresh work without an up.
import * as net from "net";
import * as path from "path";
import { expectSuccess, newStack, repoRoot, type PulumiResult, type TestStack } from "../../tools/engine";
import { RawKsc, type ConsoleSnapshot } from "../support/raw-ksc";
import { kscConfig, startConsole, stopConsole, type Console } from "../support/lifecycle";

jest.setTimeout(15 * 60 * 1000);

const ROTATED = "Rotated-Pa55-2";
/** The environment of a user who runs the command as is: the CLI does not run the program for it. */
const WITHOUT_PROGRAM = { env: { PULUMI_RUN_PROGRAM: undefined } };

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const output = (r: PulumiResult): string => `${r.stdout}\n${r.stderr}`;

describe("rotated password and changed server URL: every command uses the stack's configuration as it is now", () => {
  let c: Console;
  let stack: TestStack;
  let oldPassword: string;
  let seeded: ConsoleSnapshot;

  const logins = () => c.emu.counters().logins;
  const kscResources = async () => (await stack.resources()).map((r) => r.urn.split("::").pop()).sort();

  beforeAll(async () => {
    c = await startConsole({ tls: false });
    oldPassword = c.emu.credentials.password;
    seeded = await c.ksc.snapshot();
    stack = await newStack(path.join(repoRoot, "examples", "push-server-basic"), {
      config: kscConfig(c.emu),
    });
  });

  afterEach(() => {
    // The promise of this file: never a login with a stale password (a real server locks the account).
    expect(logins().failed).toBeLessThanOrEqual(1);
  });

  afterAll(async () => {
    await stack?.dispose();
    await stopConsole(c);
  });

  test("up with the first password", async () => {
    expectSuccess(await stack.up(["--skip-preview"]));
    expect(await kscResources()).toEqual(["branch-agent-policy", "branch-dp", "branch-push"]);
    expect(logins().failed).toBe(0);
  });

  test("the password is rotated on the server and in the stack configuration", async () => {
    c.emu.setPassword(ROTATED);
    await stack.setConfig("ksc:password", ROTATED, { secret: true });
    // The administrator's own view, with the new password (the old session would do too: sessions stay open).
    await c.ksc.end();
    c.ksc = await RawKsc.open(c.emu.url, c.emu.credentials);
    expect(logins().failed).toBe(0);
  });

  test.each([
    ["refresh", ["refresh", "--yes", "--skip-preview"]],
    ["preview --refresh", ["preview", "--refresh"]],
    ["destroy", ["destroy", "--yes", "--skip-preview"]],
  ])(
    "without the program, %s stops before any login, naming the settings and the fix",
    async (_name, args) => {
      const before = c.emu.counters();
      const r = await stack.run(args, WITHOUT_PROGRAM);
      expect(r.code).not.toBe(0);
      expect(output(r)).toContain("not using ksc:serverUrl, ksc:user, ksc:password: without the program");
      expect(output(r)).toContain("PULUMI_RUN_PROGRAM=true pulumi refresh");
      for (const secret of [ROTATED, oldPassword]) expect(output(r)).not.toContain(secret);
      const after = c.emu.counters();
      // Before any login: not one attempt, not one call.
      expect(after.logins).toEqual(before.logins);
      expect(after.calls).toEqual(before.calls);
      expect(await kscResources()).toEqual(["branch-agent-policy", "branch-dp", "branch-push"]);
    },
  );

  test("refresh logs in with the new password", async () => {
    const before = logins();
    expectSuccess(await stack.refresh(["--skip-preview"]));
    expect(logins().failed).toBe(before.failed);
    expect(logins().succeeded).toBeGreaterThan(before.succeeded);
  });

  test("preview --refresh logs in with the new password and finds no drift", async () => {
    const before = logins();
    expectSuccess(await stack.preview(["--refresh", "--expect-no-changes"]));
    expect(logins().failed).toBe(before.failed);
    expect(logins().succeeded).toBeGreaterThan(before.succeeded);
  });

  test("ksc:serverUrl pointed at a dead port: refresh fails, and does not use the URL of the last up", async () => {
    const dead = `http://127.0.0.1:${await deadPort()}`;
    await stack.setConfig("ksc:serverUrl", dead);
    const before = c.emu.counters();
    const r = await stack.refresh(["--skip-preview"]);
    expect(r.code).not.toBe(0);
    expect(output(r)).toContain(dead);
    // Nothing reached the emulator (the URL of the last up).
    expect(c.emu.counters().calls).toEqual(before.calls);
    expect(c.emu.counters().logins).toEqual(before.logins);
    expect(await kscResources()).toEqual(["branch-agent-policy", "branch-dp", "branch-push"]);
  });

  test("the URL fixed in the configuration: the next refresh works, without an up", async () => {
    await stack.setConfig("ksc:serverUrl", c.emu.url);
    expectSuccess(await stack.refresh(["--skip-preview"]));
    expect(await kscResources()).toEqual(["branch-agent-policy", "branch-dp", "branch-push"]);
  });

  test("destroy logs in with the new password and removes what up made", async () => {
    const before = logins();
    expectSuccess(await stack.destroy(["--skip-preview"]));
    expect(await stack.resources()).toEqual([]);
    const now = await c.ksc.snapshot();
    expect({ dps: now.distributionPoints, policies: now.policies }).toEqual({
      dps: seeded.distributionPoints,
      policies: seeded.policies,
    });
    expect(logins().failed).toBe(before.failed);
  });
});
