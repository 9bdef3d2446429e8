import { KscAuthError, KscHttpError, Redactor } from "./errors";
import { authorizationHeader, describeAuth, KscAuth, SessionManager } from "./session";
import { RawReply } from "./transport";

const SERVER = "https://ksc.example:13299";
const PASSWORD = "Pa55-w0rd!";
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

type Sent = { method: string; headers: Record<string, string> };

function fakeServer(answers: Array<(n: number) => RawReply>) {
  const sent: Sent[] = [];
  let n = 0;
  const send = async (method: string, _body: unknown, headers: Record<string, string>): Promise<RawReply> => {
    sent.push({ method, headers });
    await new Promise((r) => setImmediate(r)); // let concurrent callers pile up
    const answer = answers[Math.min(n, answers.length - 1)];
    return answer(n++);
  };
  return { send, sent };
}
const ok = (sid: string) => (): RawReply => ({
  status: 200,
  body: JSON.stringify({ PxgRetVal: sid }),
  headers: {},
  requestId: "r",
});
const status =
  (code: number, body = "") =>
  (): RawReply => ({ status: code, body, headers: {}, requestId: "r" });

function manager(
  send: ReturnType<typeof fakeServer>["send"],
  auth?: KscAuth,
  logs?: string[],
  virtualServer?: string,
) {
  return new SessionManager({
    auth: auth ?? { kind: "basic", user: "admin", password: PASSWORD },
    virtualServer,
    server: SERVER,
    send,
    redactor: new Redactor(),
    logger: (_l, m) => logs?.push(m),
  });
}

describe("Authorization header", () => {
  test("KSCBasic: user and password base64, domain as given, internal flag", () => {
    expect(authorizationHeader({ kind: "basic", user: "admin", password: "pw" })).toBe(
      `KSCBasic user="${b64("admin")}", pass="${b64("pw")}", internal="1"`,
    );
    expect(authorizationHeader({ kind: "basic", user: "иван", password: "пароль", domain: "CORP" })).toBe(
      `KSCBasic user="${b64("иван")}", pass="${b64("пароль")}", domain="CORP", internal="0"`,
    );
    expect(
      authorizationHeader({ kind: "basic", user: "u", password: "p", domain: "CORP", internal: true }),
    ).toMatch(/internal="1"$/);
  });
  test("tokens", () => {
    expect(authorizationHeader({ kind: "token", token: "abc" })).toBe("KSCT abc");
    expect(authorizationHeader({ kind: "webToken", token: "abc" })).toBe("KSCWT abc");
    expect(describeAuth({ kind: "basic", user: "u", password: "p", domain: "D" })).toBe("D\\u");
  });
});

describe("SessionManager", () => {
  test("concurrent first calls share one StartSession; X-KSC-VServer is base64 of the virtual server", async () => {
    const srv = fakeServer([ok("sid-1")]);
    const m = manager(srv.send, undefined, undefined, "Tenant A");
    const sids = await Promise.all(Array.from({ length: 20 }, () => m.current()));
    expect(new Set(sids)).toEqual(new Set(["sid-1"]));
    expect(srv.sent).toHaveLength(1);
    expect(srv.sent[0].method).toBe("Session.StartSession");
    expect(srv.sent[0].headers["X-KSC-VServer"]).toBe(b64("Tenant A"));
    expect(m.loginAttempts).toBe(1);
  });

  test("no virtual server: X-KSC-VServer is present and empty", async () => {
    const srv = fakeServer([ok("sid-1")]);
    await manager(srv.send).current();
    expect(srv.sent[0].headers["X-KSC-VServer"]).toBe("");
  });

  test("a refused login is tried once, then every call fails with the same clear error", async () => {
    const logs: string[] = [];
    const srv = fakeServer([status(401)]);
    const m = manager(srv.send, undefined, logs);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => m.current()));
    const later = await m.current().catch((e: unknown) => e);
    expect(srv.sent).toHaveLength(1);
    for (const r of results) expect(r.status).toBe("rejected");
    expect(later).toBeInstanceOf(KscAuthError);
    const err = later as KscAuthError;
    expect(err.message).toMatch(
      /^login to https:\/\/ksc.example:13299 as admin failed: the server refused the credentials/,
    );
    expect(err.message).toMatch(/Not retried.*SPL 2013/);
    expect(err.server).toBe(SERVER);
    expect(err.user).toBe("admin");
    for (const text of [err.message, ...logs]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(b64(PASSWORD));
    }
  });

  test("a PxgError logon failure (KLWAT 1453) is a refusal too", async () => {
    const body = JSON.stringify({
      PxgError: { module: "KLWAT", code: 1453, subcode: 0, message: "logon failed" },
    });
    const srv = fakeServer([status(200, body)]);
    const err = await manager(srv.send)
      .current()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KscAuthError);
    expect((err as KscAuthError).cause?.code).toBe(1453);
  });

  test("a busy server during login is not a refusal: the next call logs in again", async () => {
    const srv = fakeServer([status(503), ok("sid-2")]);
    const m = manager(srv.send);
    await expect(m.current()).rejects.toBeInstanceOf(KscHttpError);
    await expect(m.current()).resolves.toBe("sid-2");
    expect(srv.sent).toHaveLength(2);
  });

  test("renew: every caller that saw the dead session shares one new login", async () => {
    const srv = fakeServer([ok("sid-1"), ok("sid-2")]);
    const m = manager(srv.send);
    const first = await m.current();
    const renewed = await Promise.all(Array.from({ length: 10 }, () => m.renew(first)));
    expect(new Set(renewed)).toEqual(new Set(["sid-2"]));
    // A late caller still holding the old id gets the new session without another login.
    await expect(m.renew(first)).resolves.toBe("sid-2");
    expect(m.loginAttempts).toBe(2);
  });

  test("end sends EndSession with the session id once, and never throws", async () => {
    const srv = fakeServer([ok("sid-1"), status(403)]);
    const m = manager(srv.send);
    await m.current();
    await m.end();
    await m.end();
    expect(srv.sent.map((s) => s.method)).toEqual(["Session.StartSession", "Session.EndSession"]);
    expect(srv.sent[1].headers["X-KSC-Session"]).toBe("sid-1");
    expect(srv.sent[1].headers.Authorization).toBeUndefined();
    expect(m.isOpen).toBe(false);
  });
});
