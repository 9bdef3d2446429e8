// The in-process console answers exactly as the HTTP server does: same codec, sessions, errors and faults, because
// both hand the call to ApiServer.call. Compared here call by call against a running HTTP emulator.
import {
  createInProcessConsole,
  InProcessConsole,
  InProcessReply,
  RunningEmulator,
  startEmulator,
} from "./index";
import { post } from "../../test/support/raw-ksc";

let emu: RunningEmulator;
let local: InProcessConsole;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, tls: false });
  local = createInProcessConsole();
});
afterAll(() => emu.stop());

const basic = (user: string, password: string): string =>
  `KSCBasic user="${Buffer.from(user).toString("base64")}", pass="${Buffer.from(password).toString("base64")}", internal="1"`;

/** One call both ways; the replies with the session ids (random) put aside. */
async function both(
  method: string,
  body: unknown,
  headers: { http: Record<string, string>; local: Record<string, string> },
): Promise<{ http: { status: number; json: unknown }; local: { status: number; json: unknown } }> {
  const h = await post(emu.url, `/api/v1.0/${method}`, body, { headers: headers.http });
  const l: InProcessReply = await local.handle({
    method,
    body: JSON.stringify(body),
    headers: headers.local,
  });
  if (l.kind !== "reply") throw new Error(`no in-process reply: ${l.kind}`);
  return {
    http: { status: h.status, json: h.json },
    local: { status: l.status, json: JSON.parse(l.body) as unknown },
  };
}

test("login, a read, an error, a write, and a refused session give the same replies", async () => {
  const auth = basic(emu.credentials.user, emu.credentials.password);
  const login = await both(
    "Session.StartSession",
    {},
    { http: { Authorization: auth }, local: { Authorization: auth } },
  );
  expect(login.local.status).toBe(login.http.status);
  const sid = {
    http: (login.http.json as { PxgRetVal: string }).PxgRetVal,
    local: (login.local.json as { PxgRetVal: string }).PxgRetVal,
  };
  expect(typeof sid.local).toBe("string");
  const withSession = { http: { "X-KSC-Session": sid.http }, local: { "X-KSC-Session": sid.local } };

  for (const [method, body] of [
    ["HostGroup.GroupIdGroups", {}],
    ["UaControl.GetUpdateAgentInfo", { wstrUaHostId: "no-such-host" }],
    ["UaControl.GetAssignUasAutomatically", {}],
    ["UaControl.SetAssignUasAutomatically", { bEnabled: false }],
    ["UaControl.GetAssignUasAutomatically", {}],
    ["NoSuch.Method", {}],
    ["HostGroup.GetGroupId", { nParent: 0, strName: 7 }],
  ] as const) {
    const r = await both(method, body, withSession);
    expect({ method, ...r.local }).toEqual({ method, ...r.http });
  }
  const refused = await both(
    "Session.Ping",
    {},
    { http: { "X-KSC-Session": "nope" }, local: { "X-KSC-Session": "nope" } },
  );
  expect(refused.local).toEqual(refused.http);
});

test("faults: a scripted lost reply runs the call and answers nothing; counters count it", async () => {
  const auth = basic(local.credentials.user, local.credentials.password);
  const login = await local.handle({
    method: "Session.StartSession",
    body: "{}",
    headers: { Authorization: auth },
  });
  if (login.kind !== "reply") throw new Error("no login reply");
  const sid = (JSON.parse(login.body) as { PxgRetVal: string }).PxgRetVal;
  local.resetCounters();
  local.faults.schedule({ method: "UaControl.SetAssignUasAutomatically", fault: "dropAfterApply" });
  const call = (method: string, body: unknown) =>
    local.handle({ method, body: JSON.stringify(body), headers: { "X-KSC-Session": sid } });
  expect(await call("UaControl.SetAssignUasAutomatically", { bEnabled: true })).toEqual({ kind: "drop" });
  expect(local.backend.state.assignUasAutomatically).toBe(true);
  expect(local.counters()).toMatchObject({
    calls: { "UaControl.SetAssignUasAutomatically": 1 },
    faultsInjected: { dropAfterApply: 1 },
  });
  local.faults.schedule({ method: "UaControl.*", fault: "reset" });
  expect(await call("UaControl.SetAssignUasAutomatically", { bEnabled: false })).toEqual({ kind: "reset" });
  expect(local.backend.state.assignUasAutomatically).toBe(true);
});
