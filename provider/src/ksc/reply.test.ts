import {
  KscAuthError,
  KscError,
  KscHttpError,
  KscNetworkError,
  KscProtocolError,
  isAccessDenied,
  isNotFound,
  isTransient,
  Redactor,
} from "./errors";
import { interpretReply } from "./reply";
import { networkError } from "./transport";

const SERVER = "https://ksc.example:13299";
const reply = (status: number, body: string | object) => ({
  status,
  body: typeof body === "string" ? body : JSON.stringify(body),
  headers: {},
  requestId: "req-1",
});
const pxg = (module: string, code: number, message = "", subcode = 0) => ({
  PxgError: { code, subcode, module, file: "x.cpp", line: 1, message },
});
const id = (s: string) => s;

describe("reply interpretation", () => {
  test("a PxgError becomes a KscError carrying module, code, subcode, message and method", () => {
    const out = interpretReply(
      "UaControl.GetUpdateAgentInfo",
      SERVER,
      reply(200, pxg("KLSTD", 1186, "Host 'h1' is not an update agent", 3)),
      id,
    );
    expect(out.kind).toBe("error");
    const err = (out as { error: KscError }).error;
    expect(err).toBeInstanceOf(KscError);
    expect(err).toMatchObject({
      module: "KLSTD",
      code: 1186,
      subcode: 3,
      method: "UaControl.GetUpdateAgentInfo",
      httpStatus: 200,
      requestId: "req-1",
    });
    expect(err.serverMessage).toBe("Host 'h1' is not an update agent");
    expect(err.message).toBe(
      "UaControl.GetUpdateAgentInfo: KLSTD 1186.3 STDE_NOTFOUND: object not found — Host 'h1' is not an update agent",
    );
    expect(isNotFound(err)).toBe(true);
  });

  test.each([200, 400, 500, 503])("a PxgError is a KscError whatever the HTTP status (%i)", (status) => {
    const out = interpretReply("Policy.GetPolicyData", SERVER, reply(status, pxg("KLSTD", 1186)), id);
    expect(out.kind).toBe("error");
    expect((out as { error: Error }).error).toBeInstanceOf(KscError);
    expect((out as { error: KscError }).error.httpStatus).toBe(status);
  });

  test("KLSTD 1195 is transient, KLSTD 1186 is not", () => {
    const busy = interpretReply("X.Y", SERVER, reply(200, pxg("KLSTD", 1195, "", 1)), id) as {
      error: KscError;
    };
    expect(isTransient(busy.error)).toBe(true);
    const nf = interpretReply("X.Y", SERVER, reply(500, pxg("KLSTD", 1186)), id) as { error: KscError };
    expect(isTransient(nf.error)).toBe(false);
  });

  test("401/403 without a PxgError, or KLWAT 1445, mean the session was refused", () => {
    expect(interpretReply("X.Y", SERVER, reply(403, ""), id).kind).toBe("sessionRejected");
    expect(interpretReply("X.Y", SERVER, reply(401, "<html>no</html>"), id).kind).toBe("sessionRejected");
    expect(interpretReply("X.Y", SERVER, reply(200, pxg("KLWAT", 1445)), id).kind).toBe("sessionRejected");
    expect(interpretReply("X.Y", SERVER, reply(403, pxg("KLWAT", 1445)), id).kind).toBe("sessionRejected");
  });

  test("403 with KLSTD 1184 is access denied, not a dead session", () => {
    const out = interpretReply(
      "Policy.DeletePolicy",
      SERVER,
      reply(403, pxg("KLSTD", 1184, "no rights")),
      id,
    );
    expect(out.kind).toBe("error");
    const err = (out as { error: KscError }).error;
    expect(isAccessDenied(err)).toBe(true);
    expect(err.message).toMatch(/access denied: the KSC account lacks the rights/);
  });

  test("other statuses without a PxgError are KscHttpError, 5xx transient", () => {
    const out = interpretReply("X.Y", SERVER, reply(502, "<html><body>Bad   gateway</body></html>"), id);
    const err = (out as { error: Error }).error as KscHttpError;
    expect(err).toBeInstanceOf(KscHttpError);
    expect(err.status).toBe(502);
    expect(err.message).toBe(
      `X.Y: HTTP 502 from ${SERVER} (server or gateway temporarily unavailable): Bad gateway`,
    );
    expect(isTransient(err)).toBe(true);
    const notFound = (interpretReply("X.Y", SERVER, reply(404, "nope"), id) as { error: Error })
      .error as KscHttpError;
    expect(notFound.message).toMatch(/is serverUrl the KSC Open API address/);
    expect(isTransient(notFound)).toBe(false);
    expect(isNotFound(notFound)).toBe(false);
  });

  test("a 200 that is not JSON is a protocol error; an empty 200 is a void result", () => {
    const bad = interpretReply("X.Y", SERVER, reply(200, "<html>login page</html>"), id) as { error: Error };
    expect(bad.error).toBeInstanceOf(KscProtocolError);
    expect(bad.error.message).toMatch(/not JSON \(HTTP 200\): login page/);
    expect(interpretReply("X.Y", SERVER, reply(200, ""), id)).toEqual({ kind: "ok", result: {} });
  });

  test("secrets in server text are redacted from messages", () => {
    const r = new Redactor();
    r.add("S3cret-Pa55");
    r.add("nsPbUpP1oAVZlM1lODEbg8A==");
    const out = interpretReply(
      "X.Y",
      SERVER,
      reply(
        200,
        pxg("KLSTD", 1193, "bad pass S3cret-Pa55 (UzNjcmV0LVBhNTU=) in session nsPbUpP1oAVZlM1lODEbg8A=="),
      ),
      r.redact,
    ) as { error: KscError };
    expect(out.error.message).not.toMatch(/S3cret|UzNjcmV0LVBhNTU|nsPbUpP1oAVZlM1lODEbg8A/);
    expect(out.error.message).toMatch(/\[redacted\]/);
    const http = interpretReply("X.Y", SERVER, reply(500, "echo S3cret-Pa55"), r.redact) as { error: Error };
    expect(http.error.message).not.toMatch(/S3cret/);
  });
});

describe("errors without an HTTP answer", () => {
  const mk = (code: string, message = "x") => Object.assign(new Error(message), { code });
  test.each([
    ["ECONNREFUSED", "refused", true, /connection refused.*port \(13299\)/],
    ["ECONNRESET", "reset", true, /closed by the other side/],
    ["ETIMEDOUT", "timeout", true, /no answer .* within 5000 ms/],
    ["ECONNABORTED", "timeout", true, /within 5000 ms/],
    ["EAI_AGAIN", "dns", true, /cannot resolve/],
    ["ENOTFOUND", "unknown-host", false, /does not resolve .* check serverUrl/],
    ["SELF_SIGNED_CERT_IN_CHAIN", "tls", false, /not trusted .*ksc:caCert.*KSC_CA_CERT/],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "tls", false, /ksc:caCert/],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "tls", false, /KSC_CA_CERT/],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "tls", false, /does not name this host/],
  ])("%s → %s (transient: %s)", (code, failure, transient, msg) => {
    const err = networkError("HostGroup.GroupIdGroups", SERVER, mk(code), 5000);
    expect(err).toBeInstanceOf(KscNetworkError);
    expect(err.failure).toBe(failure);
    expect(isTransient(err)).toBe(transient);
    expect(err.message).toMatch(msg);
    expect(err.message.startsWith("HostGroup.GroupIdGroups: ")).toBe(true);
    expect(err.requestNotSent).toBe(code === "ECONNREFUSED");
  });

  test("auth errors are never transient", () => {
    expect(
      isTransient(new KscAuthError("x", { method: "Session.StartSession", server: SERVER, user: "u" })),
    ).toBe(false);
  });
});
