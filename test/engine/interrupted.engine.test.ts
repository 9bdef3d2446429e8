// An `up` killed right after a create reached the console (issue 13 item 5), then the recovery the README
// gives in "Interrupted runs, stack locks and pending operations", step by step, to convergence with nothing
// made twice. The program is examples/push-server-basic; the console is a fresh emulator.
//
// The kill comes at a known point: the provider talks to the emulator through a small proxy in this test,
// which holds back the reply to the Ss_Apply that completes the Network Agent policy's creation (the change is
// applied in the console; nobody has told the engine) and SIGKILLs the whole process group of the run:
// runner, CLI, program and provider. The engine has written the create as pending and holds the stack's lock.
import { execFileSync, spawn } from "child_process";
import * as net from "net";
import * as path from "path";
import { expectSuccess, newStack, offlineEnv, runnerPath, type TestStack } from "../../tools/engine";
import { kscConfig, startConsole, stopConsole, type Console } from "../support/lifecycle";
import { CONSOLE_KEYS } from "../support/raw-ksc";

jest.setTimeout(10 * 60 * 1000);

const PROJECT = path.join(__dirname, "..", "..", "examples", "push-server-basic");
const BRANCH = "Managed devices/Branch Milan";
const POLICY = "Network Agent - push server";
// The call that completes a Network Agent policy's creation (AddPolicy, then its settings: Ss_Update, Ss_Apply).
const KILL_AFTER = /^POST \/api\/v1\.0\/(?:[\w-]+\.)?SsContents\.Ss_Apply /m;

interface KillingProxy {
  url: string;
  /** Resolves once the trigger's reply has come back from the console (and was held back). */
  triggered: Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP proxy to the emulator, one upstream connection per client connection (KSC sessions can be bound to
 * a connection). The first reply to a request matching `trigger` is never forwarded: `triggered` resolves.
 */
async function killingProxy(upstreamPort: number, trigger: RegExp): Promise<KillingProxy> {
  let fire: () => void = () => undefined;
  const triggered = new Promise<void>((resolve) => (fire = resolve));
  let fired = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, "127.0.0.1");
    sockets.add(client).add(upstream);
    let armed = false;
    client.on("data", (chunk: Buffer) => {
      if (!fired && trigger.test(chunk.toString("latin1"))) armed = true;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (armed && !fired) {
        fired = true;
        fire();
        return; // the reply is applied in the console, and never reaches the provider
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    triggered,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The live (not zombie) processes of a session. The run is started with `detached: true`, so its session id is
 * its pid; the CLI starts each plugin in a process group of its own, but in the same session.
 */
function sessionProcesses(sid: number): number[] {
  const out = execFileSync("ps", ["-eo", "pid=,sid=,stat="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, s, stat]) => pid !== undefined && Number(s) === sid && !stat?.startsWith("Z"))
    .map(([pid]) => Number(pid));
}

describe("an up killed right after a create reached the console, then the README's recovery", () => {
  let c: Console;
  let proxy: KillingProxy;
  let stack: TestStack;

  beforeAll(async () => {
    c = await startConsole({ tls: false });
    proxy = await killingProxy(c.emu.port, KILL_AFTER);
    stack = await newStack(PROJECT, { config: { ...kscConfig(c.emu), "ksc:serverUrl": proxy.url } });
  });

  afterAll(async () => {
    await stack?.dispose();
    await proxy?.close();
    await stopConsole(c);
  });

  test("SIGKILL of the run's process group as the policy's creation completes in the console", async () => {
    // Its own process group, so that the kill reaches runner, CLI, program and provider, and not jest.
    const run = spawn(runnerPath, ["up", "--yes", "--skip-preview", "--stack", stack.name], {
      cwd: PROJECT,
      env: offlineEnv({ overrides: { PULUMI_BACKEND_URL: `file://${stack.stateDir}` } }),
      stdio: "ignore",
      detached: true,
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      run.on("exit", (_code, signal) => resolve(signal)),
    );
    const pgid = run.pid;
    if (pgid === undefined) throw new Error("the run did not start");
    const finished = exited.then(() => "finished" as const);
    expect(await Promise.race([proxy.triggered.then(() => "triggered" as const), finished])).toBe(
      "triggered",
    );
    process.kill(-pgid, "SIGKILL");
    expect(await exited).toBe("SIGKILL");
    // The provider plugin (pulumi-resource-pulumi-nodejs) is in a process group of its own and outlives a kill
    // of the CLI's group, holding its KSC session: the README's "make sure the run is gone" includes it.
    for (let left = sessionProcesses(pgid); left.length > 0; left = sessionProcesses(pgid)) {
      for (const pid of left) process.kill(pid, "SIGKILL");
      await new Promise((r) => setTimeout(r, 100));
    }

    // The policy exists in the console, with its settings: the create reached it.
    const policyId = await c.ksc.policyId(BRANCH, POLICY);
    expect(await c.ksc.networkSettings(policyId)).toMatchObject({
      [CONSOLE_KEYS.forceConnectionThroughDp]: { value: true, locked: true },
      [CONSOLE_KEYS.useUdpPort]: { value: false, locked: false },
    });
    expect(c.emu.counters().calls["SsContents.Ss_Apply"]).toBe(1);
  });

  test("the stack stays locked: up refuses to start", async () => {
    const up = await stack.up();
    expect(up.code).not.toBe(0);
    expect(up.stderr + up.stdout).toMatch(/locked/);
  });

  test("recovery 1: pulumi cancel removes the lock", async () => {
    expectSuccess(await stack.run(["cancel", "--yes"]));
    const state = await stack.exportState();
    expect(pendingOperations(state)).toEqual([{ type: "creating", urnEnd: "::branch-agent-policy" }]);
  });

  test("a plain refresh keeps the pending create (why the README gives --clear-pending-creates)", async () => {
    expectSuccess(await stack.refresh());
    expect(pendingOperations(await stack.exportState())).toHaveLength(1);
  });

  test("recovery 2: refresh --clear-pending-creates drops it from the state", async () => {
    expectSuccess(await stack.refresh(["--clear-pending-creates"]));
    expect(pendingOperations(await stack.exportState())).toEqual([]);
  });

  test("recovery 3: up takes over the policy the killed run made, without making a second one", async () => {
    const addsBefore = c.emu.counters().calls["Policy.AddPolicy"];
    const up = expectSuccess(await stack.up());
    const named = (await c.ksc.policies()).filter((p) => p.group === BRANCH && p.name === POLICY);
    expect(named).toHaveLength(1);
    expect(c.emu.counters().calls["Policy.AddPolicy"]).toBe(addsBefore);
    expect(up.stdout).toContain("already exists as declared; managing it");
    const snapshot = await c.ksc.snapshot();
    expect(snapshot.distributionPoints.filter((dp) => dp.device === "milan-dp-01")).toHaveLength(1);
  });

  test("converged: preview --expect-no-changes exits 0, and nothing is pending", async () => {
    expectSuccess(await stack.preview(["--expect-no-changes"]));
    expect(pendingOperations(await stack.exportState())).toEqual([]);
  });
});

/** The pending operations of an exported state: their type and the end of their URN. */
function pendingOperations(state: unknown): { type: string; urnEnd: string }[] {
  const deployment = (
    state as { deployment?: { pending_operations?: { type: string; resource: { urn: string } }[] } }
  ).deployment;
  return (deployment?.pending_operations ?? []).map((op) => ({
    type: op.type,
    urnEnd: op.resource.urn.slice(op.resource.urn.lastIndexOf("::")),
  }));
}
