// Faults at the HTTP layer: repeatable with a seed; resets, "apply then drop", transient errors, latency, TTL.
import * as http from "http";
import { RunningEmulator, startEmulator } from "./index";
import { ManualClock } from "../../test/support/clock";
import { get, post, pxgError, RawSession } from "../../test/support/raw-ksc";

let emu: RunningEmulator;
/** The emulator's clock: sessions expire when the test moves it, never by waiting. */
const clock = new ManualClock();
let s: RawSession;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, tls: false, now: clock.now });
  s = await RawSession.start(emu.url);
});
afterEach(() => {
  emu.setFaults({});
});
afterAll(async () => {
  await emu.stop();
});

const noKeepAlive = false as unknown as http.Agent;

/** One call, classified by what the client sees. */
async function outcome(method: string, body: unknown = {}): Promise<string> {
  try {
    const r = await post(emu.url, `/api/v1.0/${method}`, body, {
      agent: noKeepAlive,
      headers: { "X-KSC-Session": s.id },
    });
    const e = pxgError(r);
    if (e) return `${r.status}:${e.module}${e.code}`;
    return String(r.status);
  } catch (err) {
    return `conn:${(err as NodeJS.ErrnoException).code ?? "error"}`;
  }
}

async function sequence(n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await outcome("Session.Ping"));
  return out;
}

test("the same seed gives the same fault sequence; another seed another one", async () => {
  const config = { errorRate: 0.3, resetRate: 0.1, dropAfterApplyRate: 0.1, methods: ["Session.Ping"] };
  const r = await post(emu.url, "/control/faults", { ...config, seed: 42 });
  expect(r.status).toBe(200);
  const first = await sequence(40);
  await post(emu.url, "/control/faults", { ...config, seed: 42 });
  const second = await sequence(40);
  await post(emu.url, "/control/faults", { ...config, seed: 7 });
  const third = await sequence(40);
  expect(second).toEqual(first);
  expect(third).not.toEqual(first);
  // Every kind shows up, and plenty of calls go through.
  const kinds = new Set(first.map((o) => o.replace(/:.*/, "")));
  expect(kinds).toEqual(new Set(["200", "500", "503", "conn"]));
  expect(first.filter((o) => o === "200:KLSTD1195").length).toBeGreaterThan(0);
  expect(first.filter((o) => o === "200").length).toBeGreaterThan(10);
});

test("a connection reset does not execute the call", async () => {
  emu.setFaults({ resetRate: 1, methods: ["UaControl.SetAssignUasAutomatically"] });
  expect(await outcome("UaControl.SetAssignUasAutomatically", { bEnabled: false })).toMatch(/^conn:/);
  emu.setFaults({});
  expect(await s.ok("UaControl.GetAssignUasAutomatically")).toEqual({ PxgRetVal: true });
});

test('"apply then drop the response": the change is made, the client gets no reply', async () => {
  emu.setFaults({
    dropAfterApplyRate: 1,
    methods: ["UaControl.*"],
    excludeMethods: ["UaControl.GetAssignUasAutomatically"],
  });
  expect(await outcome("UaControl.SetAssignUasAutomatically", { bEnabled: false })).toMatch(/^conn:/);
  expect(await s.ok("UaControl.GetAssignUasAutomatically")).toEqual({ PxgRetVal: false });
  emu.setFaults({});
  await s.ok("UaControl.SetAssignUasAutomatically", { bEnabled: true });
});

test("each transient error kind: HTTP 500, HTTP 503 with Retry-After, PxgError KLSTD 1195 (subcode 1)", async () => {
  emu.setFaults({ errorRate: 1, errorKinds: ["http500"] });
  const r500 = await s.call("Session.Ping");
  expect(r500.status).toBe(500);
  expect(r500.json).toBeUndefined();
  emu.setFaults({ errorRate: 1, errorKinds: ["http503"] });
  const r503 = await s.call("Session.Ping");
  expect(r503.status).toBe(503);
  expect(r503.headers["retry-after"]).toBe("1");
  emu.setFaults({ errorRate: 1, errorKinds: ["klstd1195"] });
  const r1195 = await s.call("UaControl.SetAssignUasAutomatically", { bEnabled: false });
  expect(r1195.status).toBe(200);
  expect((r1195.json as { PxgError: unknown }).PxgError).toMatchObject({
    module: "KLSTD",
    code: 1195,
    subcode: 1,
  });
  emu.setFaults({});
  // Not executed.
  expect(await s.ok("UaControl.GetAssignUasAutomatically")).toEqual({ PxgRetVal: true });
});

test("counters report faults injected and calls per method", async () => {
  await post(emu.url, "/control/reset-counters", {});
  emu.setFaults({ errorRate: 1, errorKinds: ["http503"], methods: ["HostGroup.GroupIdGroups"] });
  await s.call("HostGroup.GroupIdGroups");
  await s.call("HostGroup.GroupIdGroups");
  await s.call("Session.Ping");
  const c = (await get(emu.url, "/control/counters")).json as {
    calls: Record<string, number>;
    faultsInjected: Record<string, number>;
  };
  expect(c.calls).toEqual({ "HostGroup.GroupIdGroups": 2, "Session.Ping": 1 });
  expect(c.faultsInjected).toEqual({ reset: 0, dropAfterApply: 0, http500: 0, http503: 2, klstd1195: 0 });
});

test("latency and session TTL through the control endpoint; GET /control/faults shows the config", async () => {
  await post(emu.url, "/control/faults", { latencyMs: 20, sessionTtlSeconds: 1 });
  expect((await get(emu.url, "/control/faults")).json).toEqual({ latencyMs: 20, sessionTtlSeconds: 1 });
  const fresh = await RawSession.start(emu.url);
  expect((await fresh.call("Session.Ping")).status).toBe(200);
  clock.advance(1000);
  expect((await fresh.call("Session.Ping")).status).toBe(200);
  clock.advance(1);
  expect((await fresh.call("Session.Ping")).status).toBe(401);
  await post(emu.url, "/control/faults", {});
  s = await RawSession.start(emu.url);
});

test("invalid fault configs are refused with 400 and leave the old config", async () => {
  emu.setFaults({ errorRate: 0.5, seed: 3 });
  for (const bad of [
    { errorRate: 2 },
    { resetRate: -1 },
    { errorRate: 0.6, resetRate: 0.6 },
    { errorKinds: ["boom"] },
    "[1]",
  ]) {
    const r = await post(emu.url, "/control/faults", bad);
    expect({ bad, status: r.status }).toEqual({ bad, status: 400 });
  }
  expect((await get(emu.url, "/control/faults")).json).toEqual({ errorRate: 0.5, seed: 3 });
});

test("a script gives chosen calls a chosen fault, in order, then calls go through; GET shows what is left", async () => {
  await post(emu.url, "/control/reset-counters", {});
  const r = await post(emu.url, "/control/faults", {
    script: [
      { method: "UaControl.SetAssignUasAutomatically", fault: "klstd1195" },
      { method: "UaControl.SetAssignUasAutomatically", fault: "dropAfterApply" },
      { method: "Session.*", fault: "http503", times: 2 },
    ],
  });
  expect(r.status).toBe(200);
  // Refused and not executed, then executed without a reply, then executed normally.
  expect(await outcome("UaControl.SetAssignUasAutomatically", { bEnabled: false })).toBe("200:KLSTD1195");
  expect(await s.ok("UaControl.GetAssignUasAutomatically")).toEqual({ PxgRetVal: true });
  expect((await get(emu.url, "/control/faults")).json).toEqual({
    script: [
      { method: "UaControl.SetAssignUasAutomatically", fault: "dropAfterApply", times: 1 },
      { method: "Session.*", fault: "http503", times: 2 },
    ],
  });
  expect(await outcome("UaControl.SetAssignUasAutomatically", { bEnabled: false })).toMatch(/^conn:/);
  expect(await s.ok("UaControl.GetAssignUasAutomatically")).toEqual({ PxgRetVal: false });
  expect(await outcome("UaControl.SetAssignUasAutomatically", { bEnabled: true })).toBe("200");
  expect(await sequence(3)).toEqual(["503", "503", "200"]);
  expect((await get(emu.url, "/control/faults")).json).toEqual({});
  const c = (await get(emu.url, "/control/counters")).json as { faultsInjected: Record<string, number> };
  expect(c.faultsInjected).toEqual({ reset: 0, dropAfterApply: 1, http500: 0, http503: 2, klstd1195: 1 });
});

test("a bad script is refused with 400", async () => {
  for (const script of [
    [{ method: "Session.Ping", fault: "boom" }],
    [{ fault: "reset" }],
    [{ method: "Session.Ping", fault: "reset", times: 0 }],
  ]) {
    const r = await post(emu.url, "/control/faults", { script });
    expect({ script, status: r.status }).toEqual({ script, status: 400 });
  }
});
