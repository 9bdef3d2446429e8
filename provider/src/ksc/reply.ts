// Interpreting one HTTP answer of the Open API (docs/ksc-open-api.md#http-status-codes, #replies, #errors):
//  - a body with a PxgError is a KscError whatever the status (the real server's status for errors is undocumented);
//  - 401/403 without a PxgError (or with KLWAT 1445 "unknown session") means the session was refused;
//  - another non-2xx status is a KscHttpError; a 2xx body is decoded with the codec.
import { KscParams } from "./api";
import { decodeReply } from "./codec";
import { KscError, KscHttpError, KscProtocolError, PxgError } from "./errors";
import { RawReply } from "./transport";

export type ReplyOutcome =
  | { kind: "ok"; result: KscParams }
  | { kind: "sessionRejected"; status: number; error?: KscError }
  | { kind: "error"; error: Error };

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Extract a PxgError object, if the body has one with at least module and code. */
export function pxgErrorOf(body: unknown): PxgError | undefined {
  if (typeof body !== "object" || body === null || !("PxgError" in body)) return undefined;
  const e = (body as { PxgError: unknown }).PxgError;
  if (typeof e !== "object" || e === null) return undefined;
  const o = e as Record<string, unknown>;
  const code = typeof o.code === "number" ? o.code : Number(o.code);
  return {
    module: typeof o.module === "string" ? o.module : "UNKNOWN",
    code: Number.isFinite(code) ? code : 0,
    subcode: typeof o.subcode === "number" ? o.subcode : 0,
    message: typeof o.message === "string" ? o.message : "",
    file: typeof o.file === "string" ? o.file : undefined,
    line: typeof o.line === "number" ? o.line : undefined,
  };
}

/** A short, single-line, redacted excerpt of a body for an error message. */
export function snippet(text: string, redact: (s: string) => string, max = 200): string {
  const flat = redact(text)
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function isSessionError(e: PxgError): boolean {
  return e.module === "KLWAT" && e.code === 1445;
}

export function interpretReply(
  method: string,
  server: string,
  reply: RawReply,
  redact: (s: string) => string,
): ReplyOutcome {
  const parsed = parseJson(reply.body);
  const pxg = parsed.ok ? pxgErrorOf(parsed.value) : undefined;
  const authStatus = reply.status === 401 || reply.status === 403;
  if (pxg) {
    const error = new KscError(method, pxg, { httpStatus: reply.status, requestId: reply.requestId, redact });
    // 403 + "access denied" is a permission problem, not a dead session; re-login would not help.
    const accessDenied = pxg.module === "KLSTD" && pxg.code === 1184;
    if (isSessionError(pxg) || (authStatus && !accessDenied)) {
      return { kind: "sessionRejected", status: reply.status, error };
    }
    return { kind: "error", error };
  }
  if (authStatus) return { kind: "sessionRejected", status: reply.status };
  if (reply.status < 200 || reply.status > 299) {
    return {
      kind: "error",
      error: new KscHttpError(method, server, reply.status, snippet(reply.body, redact), {
        requestId: reply.requestId,
      }),
    };
  }
  if (!parsed.ok) {
    return {
      kind: "error",
      error: new KscProtocolError(
        `${method}: the answer from ${server} is not JSON (HTTP ${reply.status}): ${snippet(reply.body, redact)}`,
        { method },
      ),
    };
  }
  try {
    return { kind: "ok", result: decodeReply(parsed.value, method) };
  } catch (err) {
    return { kind: "error", error: err as Error };
  }
}
