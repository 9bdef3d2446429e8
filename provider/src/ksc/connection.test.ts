// The call pipeline (session → limit → reply → re-login → retry) against a scripted in-memory server: no network.
import { KscConnection } from "./connection";
import { KscAuthError, KscClientError, KscHttpError } from "./errors";
import { RawReply } from "./transport";

const PASSWORD = "Unit-Pa55word";

type Handler = (
  method: string,
  headers: Record<string, string>,
  body: unknown,
) => RawReply | Promise<RawReply>;
const json = (status: number, body: unknown): RawReply => ({
  status,
  body: JSON.stringify(body),
  headers: {},
  requestId: "r",
});

function connection(handler: Handler, opts: { maxInFlight?: number } = {}) {
  const logs: string[] = [];
  const conn = new KscConnection({
    serverUrl: "http://127.0.0.1:1",
    auth: { kind: "basic", user: "admin", password: PASSWORD },
    timeoutMs: 1000,
    maxInFlight: opts.maxInFlight ?? 4,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    logger: (level, m) => logs.push(`${level} ${m}`),
  });
  const calls: string[] = [];
  conn.transport.post = async (method, body, headers) => {
    calls.push(method);
    return handler(method, headers, body);
  };
  return { conn, logs, calls };
}

/** A server with sessions: sid-N per login; `expired` sessions get 403. */
function sessionServer(route: (method: string, n: number) => RawReply) {
  let logins = 0;
  const expired = new Set<string>();
  let n = 0;
  const handler: Handler = (method, headers) => {
    if (method === "Session.StartSession") return json(200, { PxgRetVal: `sid-${++logins}-nsPbUpP1oAVZ` });
    if (expired.has(headers["X-KSC-Session"])) return { status: 403, body: "", headers: {}, requestId: "r" };
    return route(method, n++);
  };
  return { handler, expire: (sid: string) => expired.add(sid), logins: () => logins };
}

describe("KscConnection", () => {
  test("a refused session is replaced once and the call repeated", async () => {
    const srv = sessionServer(() => json(200, { PxgRetVal: 7 }));
    const { conn, calls, logs } = connection(srv.handler);
    await conn.call("HostGroup.GroupIdGroups", {}, { idempotent: true });
    srv.expire("sid-1-nsPbUpP1oAVZ");
    // Even a non-idempotent write is repeated: the refused request was not executed.
    await expect(conn.call("Policy.AddPolicy", { pPolicyData: {} }, { idempotent: false })).resolves.toEqual({
      PxgRetVal: 7,
    });
    expect(srv.logins()).toBe(2);
    expect(calls).toEqual([
      "Session.StartSession",
      "HostGroup.GroupIdGroups",
      "Policy.AddPolicy",
      "Session.StartSession",
      "Policy.AddPolicy",
    ]);
    expect(logs.join("\n")).not.toMatch(/nsPbUpP1oAVZ|Unit-Pa55word/);
  });

  test("a session refused again right after re-login fails clearly, without a login loop", async () => {
    const handler: Handler = (method) =>
      method === "Session.StartSession"
        ? json(200, { PxgRetVal: "sid-abcdef" })
        : { status: 403, body: "", headers: {}, requestId: "r" };
    const { conn, calls } = connection(handler);
    const err = await conn
      .call("UaControl.GetUpdateAgentsList", {}, { idempotent: true })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KscAuthError);
    expect((err as Error).message).toMatch(
      /^UaControl.GetUpdateAgentsList: http:\/\/127.0.0.1:1 refused the session right after a new login \(HTTP 403\)/,
    );
    expect(calls.filter((c) => c === "Session.StartSession")).toHaveLength(2);
  });

  test("transient failures: reads repeated, non-idempotent writes not", async () => {
    const srv = sessionServer((_m, n) => (n % 2 === 0 ? json(503, "busy") : json(200, { PxgRetVal: true })));
    const { conn, calls } = connection(srv.handler);
    await expect(conn.call("UaControl.GetAssignUasAutomatically", {}, { idempotent: true })).resolves.toEqual(
      {
        PxgRetVal: true,
      },
    );
    expect(calls.filter((c) => c === "UaControl.GetAssignUasAutomatically")).toHaveLength(2);
    await expect(
      conn.call("UaControl.RegisterUpdateAgent", { pUaInfo: {} }, { idempotent: false }),
    ).rejects.toBeInstanceOf(KscHttpError);
    expect(calls.filter((c) => c === "UaControl.RegisterUpdateAgent")).toHaveLength(1);
  });

  test("each call is logged at debug with its method and duration, never with secrets", async () => {
    const srv = sessionServer(() =>
      json(200, { PxgError: { module: "KLSTD", code: 1186, message: `sid-1-nsPbUpP1oAVZ ${PASSWORD}` } }),
    );
    const { conn, logs } = connection(srv.handler);
    const err = (await conn
      .call("Policy.GetPolicyData", { nPolicy: 1 }, { idempotent: true })
      .catch((e) => e)) as Error;
    expect(logs.some((l) => /^debug KSC Policy.GetPolicyData failed in \d+ ms: .*KLSTD 1186/.test(l))).toBe(
      true,
    );
    expect(logs.some((l) => /^info KSC: session started on http:\/\/127.0.0.1:1 as admin$/.test(l))).toBe(
      true,
    );
    for (const text of [...logs, err.message]) {
      expect(text).not.toContain("nsPbUpP1oAVZ");
      expect(text).not.toContain(PASSWORD);
    }
  });

  test("calls in flight never exceed maxInFlight", async () => {
    let running = 0;
    let peak = 0;
    const handler: Handler = async (method) => {
      if (method === "Session.StartSession") return json(200, { PxgRetVal: "sid-xyz1" });
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return json(200, { PxgRetVal: 1 });
    };
    const { conn } = connection(handler, { maxInFlight: 2 });
    await Promise.all(
      Array.from({ length: 12 }, () => conn.call("HostGroup.GroupIdGroups", {}, { idempotent: true })),
    );
    expect(peak).toBe(2);
    expect(conn.peakInFlight).toBe(2);
  });

  test("after close, calls fail and EndSession was sent", async () => {
    const srv = sessionServer(() => json(200, {}));
    const { conn, calls } = connection(srv.handler);
    await conn.call("Session.Ping", {}, { idempotent: true });
    await conn.close();
    expect(calls).toContain("Session.EndSession");
    await expect(conn.call("Session.Ping", {}, { idempotent: true })).rejects.toBeInstanceOf(KscClientError);
  });

  test("method names are checked", async () => {
    const { conn } = connection(() => json(200, {}));
    await expect(conn.call("../admin", {}, { idempotent: true })).rejects.toThrow(/invalid KSC method name/);
  });
});
