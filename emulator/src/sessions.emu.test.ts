// Logins and sessions (docs/ksc-open-api.md#logging-in, #sessions): both session styles, EndSession → 403,
// 401, lockout, KSCT tokens.
import * as http from "http";
import { RunningEmulator, startEmulator } from "./index";
import { ManualClock, eventually } from "../../test/support/clock";
import { b64, get, kscBasic, post, pxgError, RawSession } from "../../test/support/raw-ksc";

const PASSWORD = "KscEmulator-Pa55";
let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, tls: false });
});
afterAll(async () => {
  await emu.stop();
});

const api = (method: string): string => `/api/v1.0/${method}`;

async function activeSessions(e: RunningEmulator): Promise<number> {
  return ((await get(e.url, "/status.json")).json as { server: { sessionsActive: number } }).server
    .sessionsActive;
}

describe("style A: connection-bound login", () => {
  test("POST /login marks the connection; later calls on it need no header; other connections get 401", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const login = await post(
        emu.url,
        api("login"),
        {},
        {
          agent,
          headers: { Authorization: kscBasic("admin", PASSWORD), "X-KSC-VServer": b64("") },
        },
      );
      expect(login.status).toBe(200);
      expect(login.json).toEqual({}); // a JSON body: KlAkOAPI fails on an empty one
      const call = await post(emu.url, api("HostGroup.GroupIdGroups"), {}, { agent });
      expect(call.status).toBe(200);
      expect(call.json).toEqual({ PxgRetVal: 0 });
      const other = await post(
        emu.url,
        api("HostGroup.GroupIdGroups"),
        {},
        { agent: false as unknown as http.Agent },
      );
      expect(other.status).toBe(401);
      expect(other.headers["www-authenticate"]).toBe("KSCBasic");
    } finally {
      agent.destroy();
    }
  });

  test("closing the connection ends the session", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await post(emu.url, api("login"), {}, { agent, headers: { Authorization: kscBasic("admin", PASSWORD) } });
    const before = await activeSessions(emu);
    expect(before).toBeGreaterThan(0);
    agent.destroy();
    // The server learns of the close when its socket does: wait for that, not for a time.
    await eventually(
      () => activeSessions(emu),
      (n) => n < before,
    );
    expect(await activeSessions(emu)).toBe(before - 1);
  });

  test("EndSession on a connection-bound session: later calls on that connection get 403", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await post(
        emu.url,
        api("login"),
        {},
        { agent, headers: { Authorization: kscBasic("admin", PASSWORD) } },
      );
      expect((await post(emu.url, api("Session.EndSession"), {}, { agent })).status).toBe(200);
      expect((await post(emu.url, api("Session.Ping"), {}, { agent })).status).toBe(403);
    } finally {
      agent.destroy();
    }
  });
});

describe("style B: StartSession + X-KSC-Session", () => {
  test("the session id works on any connection; Ping answers {}", async () => {
    const s = await RawSession.start(emu.url);
    for (let i = 0; i < 3; i++) {
      const r = await post(
        emu.url,
        api("Session.Ping"),
        {},
        {
          agent: false as unknown as http.Agent,
          headers: { "X-KSC-Session": s.id },
        },
      );
      expect({ status: r.status, json: r.json }).toEqual({ status: 200, json: {} });
    }
  });

  test("EndSession → every later call with that id gets 403; other sessions are unaffected", async () => {
    const a = await RawSession.start(emu.url);
    const b = await RawSession.start(emu.url);
    expect(await a.ok("Session.EndSession")).toEqual({});
    for (const m of ["Session.Ping", "HostGroup.GroupIdGroups", "Session.EndSession", "Nope.Nope"]) {
      expect({ m, status: (await a.call(m)).status }).toEqual({ m, status: 403 });
    }
    expect((await b.call("Session.Ping")).status).toBe(200);
  });

  test("StartSession with an existing session instead of credentials opens a new session", async () => {
    const a = await RawSession.start(emu.url);
    const r = await post(emu.url, api("Session.StartSession"), {}, { headers: { "X-KSC-Session": a.id } });
    const id = (r.json as { PxgRetVal: string }).PxgRetVal;
    expect(typeof id).toBe("string");
    expect(id).not.toBe(a.id);
  });
});

describe("401 and credential forms", () => {
  test("missing credentials, bad password, unknown user, unknown session id → 401 with a PxgError body", async () => {
    const noAuth = await post(emu.url, api("Session.StartSession"), {});
    const unknownSession = await post(
      emu.url,
      api("Session.Ping"),
      {},
      { headers: { "X-KSC-Session": "bm9wZQ==" } },
    );
    const noSession = await post(emu.url, api("HostGroup.GroupIdGroups"), {});
    for (const r of [noAuth, unknownSession, noSession]) {
      expect(r.status).toBe(401);
      expect(r.headers["www-authenticate"]).toBe("KSCBasic");
      expect(pxgError(r)?.module).toBe("KLWAT");
    }
    const other = await startEmulator({ port: 0, tls: false });
    try {
      const bad = await post(
        other.url,
        api("Session.StartSession"),
        {},
        { headers: { Authorization: kscBasic("admin", "wrong") } },
      );
      expect(bad.status).toBe(401);
      expect(pxgError(bad)).toMatchObject({ module: "KLWAT", code: 1453 });
      const nobody = await post(
        other.url,
        api("login"),
        {},
        { headers: { Authorization: kscBasic("nobody", PASSWORD) } },
      );
      expect(nobody.status).toBe(401);
      const scheme = await post(
        other.url,
        api("login"),
        {},
        { headers: { Authorization: "Basic YWRtaW46eA==" } },
      );
      expect(scheme.status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  test("accepted forms: domain raw or base64, internal quoted or bare true, user/pass only", async () => {
    for (const auth of [
      `KSCBasic user="${b64("admin")}", pass="${b64(PASSWORD)}", domain="", internal="1"`,
      `KSCBasic user="${b64("admin")}", pass="${b64(PASSWORD)}", domain="CORP", internal="1"`,
      `KSCBasic user="${b64("admin")}", pass="${b64(PASSWORD)}", domain="${b64("CORP")}", internal="1"`,
      `KSCBasic user="${b64("admin")}", pass="${b64(PASSWORD)}", internal=true`,
      `KSCBasic user="${b64("admin")}", pass="${b64(PASSWORD)}"`,
    ]) {
      const r = await post(emu.url, api("Session.StartSession"), {}, { headers: { Authorization: auth } });
      expect({ auth, status: r.status }).toEqual({ auth, status: 200 });
    }
    // internal="0" = a domain account; none exist on the emulator.
    const domain = await post(
      emu.url,
      api("Session.StartSession"),
      {},
      {
        headers: {
          Authorization: `KSCBasic user="${b64("admin")}", pass="${b64(PASSWORD)}", domain="CORP", internal="0"`,
        },
      },
    );
    expect(domain.status).toBe(401);
  });

  test('X-KSC-VServer: empty (base64 of "") is the main server; another name is refused', async () => {
    const ok = await post(
      emu.url,
      api("Session.StartSession"),
      {},
      {
        headers: { Authorization: kscBasic("admin", PASSWORD), "X-KSC-VServer": "" },
      },
    );
    expect(ok.status).toBe(200);
    const other = await post(
      emu.url,
      api("Session.StartSession"),
      {},
      {
        headers: { Authorization: kscBasic("admin", PASSWORD), "X-KSC-VServer": b64("branch-vs") },
      },
    );
    expect(other.status).toBe(401);
  });
});

test("account lockout: repeated bad passwords lock the account (SPL 2013), even for the right password", async () => {
  const clock = new ManualClock();
  const e = await startEmulator({
    port: 0,
    tls: false,
    lockoutThreshold: 3,
    lockoutSeconds: 1,
    now: clock.now,
  });
  try {
    const login = (pw: string) =>
      post(e.url, api("Session.StartSession"), {}, { headers: { Authorization: kscBasic("admin", pw) } });
    // A success in between resets the count.
    await login("bad");
    await login("bad");
    expect((await login(PASSWORD)).status).toBe(200);
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push(pxgError(await login("bad"))?.code);
    expect(codes).toEqual([1453, 1453, 2013]);
    const locked = await login(PASSWORD);
    expect(locked.status).toBe(401);
    expect(pxgError(locked)).toMatchObject({ module: "SPL", code: 2013 });
    expect(locked.text).not.toContain(PASSWORD);
    clock.advance(999);
    expect((await login(PASSWORD)).status).toBe(401); // locked for 1 s: still locked just before its end
    clock.advance(1);
    expect((await login(PASSWORD)).status).toBe(200);
  } finally {
    await e.stop();
  }
});

test("KSCT: Session.CreateToken gives a one-time token for a KSCT logon", async () => {
  const s = await RawSession.start(emu.url);
  const token = (await s.ok("Session.CreateToken")).PxgRetVal as string;
  expect(typeof token).toBe("string");
  const first = await post(
    emu.url,
    api("Session.StartSession"),
    {},
    { headers: { Authorization: `KSCT ${token}` } },
  );
  expect(first.status).toBe(200);
  const sid = (first.json as { PxgRetVal: string }).PxgRetVal;
  expect((await post(emu.url, api("Session.Ping"), {}, { headers: { "X-KSC-Session": sid } })).status).toBe(
    200,
  );
  const again = await post(
    emu.url,
    api("Session.StartSession"),
    {},
    { headers: { Authorization: `KSCT ${token}` } },
  );
  expect(again.status).toBe(401);
  const forged = await post(
    emu.url,
    api("login"),
    {},
    { headers: { Authorization: "KSCT bm90LWEtdG9rZW4=" } },
  );
  expect(forged.status).toBe(401);
});

test("sessions expire after sessionTtlSeconds, and on /control/expire-sessions (then 401)", async () => {
  const clock = new ManualClock();
  const e = await startEmulator({ port: 0, tls: false, sessionTtlSeconds: 1, now: clock.now });
  try {
    const s = await RawSession.start(e.url);
    expect((await s.call("Session.Ping")).status).toBe(200);
    clock.advance(1000);
    expect((await s.call("Session.Ping")).status).toBe(200);
    clock.advance(1);
    const expired = await s.call("Session.Ping");
    expect(expired.status).toBe(401);
    expect(pxgError(expired)).toMatchObject({ module: "KLWAT", code: 1445, message: "session expired" });
    // The control endpoint: every open session goes at once. (Replacing the fault config drops the TTL.)
    e.setFaults({});
    const a = await RawSession.start(e.url);
    const b = await RawSession.start(e.url);
    const r = await post(e.url, "/control/expire-sessions", {});
    expect(r.json).toEqual({ expired: 2 });
    expect((await a.call("Session.Ping")).status).toBe(401);
    expect((await b.call("Session.Ping")).status).toBe(401);
    expect(e.counters().sessionsOpened).toBe(3);
  } finally {
    await e.stop();
  }
});

test("an administrator changes the password: only the new one logs in; every login attempt is counted", async () => {
  const e = await startEmulator({ port: 0, tls: false, lockoutThreshold: 3 });
  try {
    const login = (pw: string) =>
      post(e.url, api("Session.StartSession"), {}, { headers: { Authorization: kscBasic("admin", pw) } });
    const open = await RawSession.start(e.url);
    expect((await login(PASSWORD)).status).toBe(200);
    const changed = await post(e.url, "/control/set-password", { password: "Rotated-Pa55" });
    expect(changed.status).toBe(200);
    expect(pxgError(await login(PASSWORD))?.code).toBe(1453);
    expect((await login("Rotated-Pa55")).status).toBe(200);
    // Sessions opened before the change stay open, as on a real server.
    expect((await open.call("Session.Ping")).status).toBe(200);
    // The programmatic form does the same.
    e.setPassword("Rotated-Again-Pa55");
    expect(e.credentials.password).toBe("Rotated-Again-Pa55");
    expect(pxgError(await login("Rotated-Pa55"))?.code).toBe(1453);
    expect((await login("Rotated-Again-Pa55")).status).toBe(200);
    // RawSession.start (1) + 3 good logins; 2 refused. The refused ones did not add up to a lockout (3): a
    // success in between starts the count over.
    expect(e.counters().logins).toEqual({ succeeded: 4, failed: 2 });
    expect((await post(e.url, "/control/set-password", { password: 7 })).status).toBe(400);
    expect((await post(e.url, "/control/set-password", { user: "nobody", password: "x" })).status).toBe(400);
    await post(e.url, "/control/reset-counters", {});
    expect(e.counters().logins).toEqual({ succeeded: 0, failed: 0 });
  } finally {
    await e.stop();
  }
});
