// The HTTP layer: POST /api/v1.0/[Instance.]Class.Method (docs/ksc-open-api.md#transport), logins and
// sessions, faults, plus the control endpoints and the status page outside /api/.
import type { IncomingMessage, ServerResponse } from "http";
import type { Socket } from "net";
import * as zlib from "zlib";
import { encodeTop } from "./codec";
import { Backend } from "./backend";
import { BadFormat, KscError, LogonFailed, NoSuchCall, NoSuchClient, Unavailable } from "./errors";
import { FaultConfig, FaultInjector } from "./faults";
import { Args, CallContext, ClassHandler } from "./handler";
import { Models } from "./handlers/models";
import { AuthError, Session } from "./models/session";
import { statusHtml, statusReport, statusText } from "./status";

const API_PREFIX = "/api/v1.0/";
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface ServerDeps {
  backend: Backend;
  models: Models;
  faults: FaultInjector;
  handlers: Record<string, ClassHandler>;
  /** called after a call that may have changed persistent state */
  onMutate(): void;
  /** POST /control/reseed */
  reseed(): void;
  /** the account's user name (POST /control/set-password changes its password) */
  user(): string;
  url(): string;
  log(line: string): void;
}

export interface EmulatorCounters {
  calls: Record<string, number>;
  sessionsOpened: number;
  /** login attempts (login, Session.StartSession with credentials): accepted and refused */
  logins: { succeeded: number; failed: number };
  faultsInjected: Record<string, number>;
}

export interface Reply {
  status: number;
  /** a string is sent as it is; anything else as JSON */
  body: unknown;
  headers?: Record<string, string>;
}

/** What carries calls: `login` sessions are bound to it and end when it closes. */
export interface ApiConnection {
  key: object;
  onClose(listener: () => void): void;
}

export interface ApiRequest {
  /** the path after /api/v1.0/: [Instance.]Class.Method */
  name: string;
  /** header names in lower case, as Node gives them */
  headers: Record<string, string | string[] | undefined>;
  /** undefined when it was too large to read */
  body: Buffer | undefined;
  connection: ApiConnection;
}

/** A reply, or no reply at all: the connection reset before the call ran, or dropped after it ran. */
export type ApiOutcome = { kind: "reply"; reply: Reply } | { kind: "reset" } | { kind: "drop" };

function header(headers: ApiRequest["headers"], name: string): string | undefined {
  const raw = headers[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

function connectionOf(socket: Socket): ApiConnection {
  return { key: socket, onClose: (listener) => socket.once("close", listener) };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.removeAllListeners("data");
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export class ApiServer {
  calls: Record<string, number> = {};
  /** Sessions opened by `login` live as long as their connection (an HTTP socket, or an in-process client). */
  private readonly connectionSessions = new WeakMap<object, string>();

  constructor(private readonly d: ServerDeps) {}

  resetCounters(): void {
    this.calls = {};
    this.d.models.sessions.opened = 0;
    this.d.models.sessions.loginsFailed = 0;
    this.d.models.sessions.loginsSucceeded = 0;
    this.d.faults.resetCounters();
  }

  counters(): EmulatorCounters {
    const s = this.d.models.sessions;
    return {
      calls: { ...this.calls },
      sessionsOpened: s.opened,
      logins: { succeeded: s.loginsSucceeded, failed: s.loginsFailed },
      faultsInjected: { ...this.d.faults.counters },
    };
  }

  /** The request listener for http/https createServer. Never throws. */
  handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.route(req, res).catch((err: unknown) => {
      this.d.log(`emulator: internal error: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) this.send(req, res, { status: 500, body: internalError(err) });
      else res.destroy();
    });
  };

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = (req.url ?? "/").split("?")[0];
    if (url.startsWith(API_PREFIX)) return this.api(req, res, url.slice(API_PREFIX.length));
    if (req.method === "GET" && (url === "/status" || url === "/")) {
      return this.send(req, res, {
        status: 200,
        body: statusHtml(this.report()),
        headers: { "Content-Type": "text/html; charset=utf-8" },
      });
    }
    if (req.method === "GET" && url === "/status.json")
      return this.send(req, res, { status: 200, body: this.report() });
    if (req.method === "GET" && url === "/status.txt") {
      return this.send(req, res, {
        status: 200,
        body: statusText(this.report()),
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    }
    if (url.startsWith("/control/")) return this.control(req, res, url.slice("/control/".length));
    this.send(req, res, { status: 404, body: { error: `not found: ${url}` } });
  }

  report(): ReturnType<typeof statusReport> {
    const s = this.d.models.sessions;
    return statusReport(this.d.backend, this.d.url(), s.sessions.size, s.opened);
  }

  private async control(req: IncomingMessage, res: ServerResponse, what: string): Promise<void> {
    const reply = (status: number, body: unknown): void => this.send(req, res, { status, body });
    if (req.method === "GET" && what === "counters") return reply(200, this.counters());
    if (req.method === "GET" && what === "faults") return reply(200, this.d.faults.current);
    if (req.method !== "POST") return reply(405, { error: "use POST" });
    const raw = await readBody(req);
    switch (what) {
      case "reset-counters":
        this.resetCounters();
        return reply(200, { ok: true });
      case "faults": {
        let config: unknown;
        try {
          config = raw && raw.length ? JSON.parse(raw.toString("utf8")) : {};
          this.applyFaults(config as FaultConfig);
        } catch (err) {
          return reply(400, { error: (err as Error).message });
        }
        return reply(200, this.d.faults.current);
      }
      case "expire-sessions":
        return reply(200, { expired: this.d.models.sessions.expireAll() });
      case "set-password": {
        try {
          const body = JSON.parse(raw && raw.length ? raw.toString("utf8") : "{}") as {
            user?: unknown;
            password?: unknown;
          };
          if (typeof body.password !== "string") throw new Error('send {"password": "<new password>"}');
          const user = typeof body.user === "string" ? body.user : this.d.user();
          this.d.models.sessions.setPassword(user, body.password);
        } catch (err) {
          return reply(400, { error: (err as Error).message });
        }
        return reply(200, { ok: true });
      }
      case "reseed":
        this.d.reseed();
        return reply(200, { ok: true });
      default:
        return reply(404, { error: `unknown control endpoint ${what}` });
    }
  }

  applyFaults(config: FaultConfig): void {
    this.d.faults.configure(config);
    this.d.models.sessions.ttlSeconds = config.sessionTtlSeconds;
  }

  private async api(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (req.method !== "POST") {
      return this.send(req, res, {
        status: 405,
        body: { error: "the Open API only accepts POST" },
        headers: { Allow: "POST" },
      });
    }
    const body = await readBody(req);
    const outcome = await this.call({
      name,
      headers: req.headers,
      body,
      connection: connectionOf(req.socket),
    });
    if (outcome.kind === "reset") return resetConnection(req.socket);
    if (outcome.kind === "drop") {
      req.socket.destroy();
      return;
    }
    this.send(req, res, outcome.reply);
  }

  /**
   * One Open API call, whatever carries it: `name` is the path after /api/v1.0/. The HTTP listener above and the
   * in-process console (inProcess.ts) both come here, so codec, sessions, errors, faults and counters are the same.
   */
  async call(request: ApiRequest): Promise<ApiOutcome> {
    // [Instance.]Class.Method — the instance part is optional and ignored.
    const parts = request.name.split(".");
    const method = parts.length >= 3 ? parts.slice(-2).join(".") : request.name;
    // Count by name; odd paths share one counter so a stray client cannot grow the table without bound.
    const counted = /^[A-Za-z0-9_.]{1,128}$/.test(method) ? method : "(invalid)";
    this.calls[counted] = (this.calls[counted] ?? 0) + 1;
    if (request.body === undefined) {
      return {
        kind: "reply",
        reply: { status: 413, body: { error: "request body too large" }, headers: { Connection: "close" } },
      };
    }

    const fault = this.d.faults.decide(method);
    if (this.d.faults.latencyMs > 0) await sleep(this.d.faults.latencyMs);
    if (fault.kind === "reset") return { kind: "reset" };
    if (fault.kind === "transient") {
      if (fault.error === "http500") {
        return {
          kind: "reply",
          reply: { status: 500, body: "Internal Server Error", headers: { "Content-Type": "text/plain" } },
        };
      }
      if (fault.error === "http503") {
        return {
          kind: "reply",
          reply: {
            status: 503,
            body: "Service Unavailable",
            headers: { "Content-Type": "text/plain", "Retry-After": "1" },
          },
        };
      }
      return {
        kind: "reply",
        reply: {
          status: this.d.faults.pxgErrorStatus,
          body: new Unavailable("server temporarily unavailable (injected fault)", 1).toJSON(),
        },
      };
    }

    // Everything below runs synchronously: one call is complete before another starts.
    const reply = this.execute(request, method, request.body);
    if (fault.kind === "dropAfterApply") return { kind: "drop" };
    return { kind: "reply", reply };
  }

  private execute(req: ApiRequest, method: string, body: Buffer): Reply {
    const sessions = this.d.models.sessions;
    try {
      if (method === "login" || method === "Session.StartSession") {
        let user: string;
        const auth = header(req.headers, "authorization");
        if (auth) {
          this.checkVServer(req);
          user = sessions.authenticate(auth);
        } else {
          const current = this.currentSession(req);
          if (!current.ok) return current.reply;
          user = current.session.user;
        }
        if (method === "login") {
          const s = sessions.open(user, "connection");
          this.bindConnection(req.connection, s);
          return { status: 200, body: {} };
        }
        const s = sessions.open(user, "session");
        return { status: 200, body: { PxgRetVal: s.id } };
      }
      const current = this.currentSession(req);
      if (!current.ok) return current.reply;
      return this.dispatch(req, method, body, {
        session: { id: current.session.id, user: current.session.user },
      });
    } catch (err) {
      if (err instanceof AuthError) {
        return { status: 401, body: err.error.toJSON(), headers: { "WWW-Authenticate": "KSCBasic" } };
      }
      throw err;
    }
  }

  private checkVServer(req: ApiRequest): void {
    const value = header(req.headers, "x-ksc-vserver");
    if (!value) return;
    const name = Buffer.from(value, "base64").toString("utf8");
    // Only the main server exists; an empty name selects it.
    if (name !== "") throw new AuthError(new LogonFailed(`virtual server "${name}" not found`));
  }

  private bindConnection(connection: ApiConnection, s: Session): void {
    const previous = this.connectionSessions.get(connection.key);
    if (previous) this.d.models.sessions.drop(previous);
    else
      connection.onClose(() => {
        const sid = this.connectionSessions.get(connection.key);
        if (sid) this.d.models.sessions.drop(sid);
      });
    this.connectionSessions.set(connection.key, s.id);
  }

  private currentSession(req: ApiRequest): { ok: true; session: Session } | { ok: false; reply: Reply } {
    const sid = header(req.headers, "x-ksc-session") ?? this.connectionSessions.get(req.connection.key);
    if (!sid) {
      return {
        ok: false,
        reply: {
          status: 401,
          body: new LogonFailed("not authenticated").toJSON(),
          headers: { "WWW-Authenticate": "KSCBasic" },
        },
      };
    }
    const found = this.d.models.sessions.lookup(sid);
    if (found.ok) return found;
    if (found.reason === "ended") {
      return { ok: false, reply: { status: 403, body: new NoSuchClient("session has ended").toJSON() } };
    }
    return {
      ok: false,
      reply: {
        status: 401,
        body: new NoSuchClient(found.reason === "expired" ? "session expired" : "session not found").toJSON(),
        headers: { "WWW-Authenticate": "KSCBasic" },
      },
    };
  }

  private dispatch(req: ApiRequest, method: string, raw: Buffer, ctx: CallContext): Reply {
    const errStatus = this.d.faults.pxgErrorStatus;
    try {
      const ct = header(req.headers, "content-type");
      if (ct && !/^application\/json\s*(;.*)?$/i.test(ct)) {
        throw new BadFormat(`Content-Type must be application/json, not ${ct}`);
      }
      const dot = method.indexOf(".");
      const cls = dot > 0 ? this.d.handlers[method.slice(0, dot)] : undefined;
      const spec =
        cls && Object.prototype.hasOwnProperty.call(cls, method.slice(dot + 1))
          ? cls[method.slice(dot + 1)]
          : undefined;
      if (!spec) throw new NoSuchCall(method);
      let body: unknown;
      const text = raw.toString("utf8").trim();
      try {
        body = text === "" ? {} : JSON.parse(text);
      } catch (err) {
        throw new BadFormat(`malformed JSON body: ${(err as Error).message}`);
      }
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new BadFormat("the request body must be a JSON object of parameters");
      }
      const args = new Args(body as Record<string, unknown>, spec.args);
      const result = spec.run(args, ctx);
      if (spec.mutates) this.d.onMutate();
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(result.out ?? {})) out[k] = encodeTop(v);
      if (result.ret !== undefined) out.PxgRetVal = encodeTop(result.ret);
      return { status: 200, body: out };
    } catch (err) {
      if (err instanceof KscError) return { status: errStatus, body: err.toJSON() };
      this.d.log(`emulator: ${method} failed: ${err instanceof Error ? err.stack : String(err)}`);
      return { status: 500, body: internalError(err) };
    }
  }

  private send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
    const rendered = renderReply(reply, req.headers);
    let payload: Buffer = Buffer.from(rendered.text, "utf8");
    const headers = rendered.headers;
    const accept = String(req.headers["accept-encoding"] ?? "");
    if (/\bgzip\b/.test(accept)) {
      payload = zlib.gzipSync(payload);
      headers["Content-Encoding"] = "gzip";
    } else if (/\bdeflate\b/.test(accept)) {
      payload = zlib.deflateSync(payload);
      headers["Content-Encoding"] = "deflate";
    }
    headers["Content-Length"] = String(payload.length);
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
}

/** A reply's body as text and its headers (before any compression), the request id echoed. */
export function renderReply(
  reply: Reply,
  requestHeaders: ApiRequest["headers"],
): { text: string; headers: Record<string, string> } {
  const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
  const headers: Record<string, string> = {
    "Content-Type": "application/json; charset=utf-8",
    ...(reply.headers ?? {}),
  };
  const requestId = header(requestHeaders, "x-ksc-requestid");
  if (requestId !== undefined) headers["X-KSC-RequestId"] = requestId;
  return { text, headers };
}

/** A real TCP reset (RST) where the socket allows it (plain TCP); TLS sockets are closed instead. */
function resetConnection(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

function internalError(err: unknown): unknown {
  return new KscError(
    "KLEMU",
    1,
    `emulator internal error: ${err instanceof Error ? err.message : String(err)}`,
  ).toJSON();
}
