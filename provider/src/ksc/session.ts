// Authentication and the session (docs/ksc-open-api.md#logging-in, #sessions, style B):
//  - Session.StartSession once per client with the Authorization header (KSCBasic, KSCT or KSCWT) and
//    X-KSC-VServer; afterwards every call carries X-KSC-Session. Concurrent first calls share one login.
//  - When the server refuses the session (401/403, expired), the caller asks for a new one with renew(): one new
//    login, shared by every call that saw the same dead session.
//  - A refused login is never repeated: accounts lock after a few bad passwords (SPL 2013). The refusal is kept
//    and every later call fails at once with the same KscAuthError.
//  - Session.EndSession on end()/close().
// The password, tokens and session ids never appear in logs or messages (the Redactor strips them as well).
import { SessionApi } from "./api";
import { asString } from "./codec";
import { isTransient, KscAuthError, KscClientError, KscError, KscProtocolError, Redactor } from "./errors";
import { interpretReply } from "./reply";
import { Logger, RawReply } from "./transport";

export type KscAuth =
  | {
      kind: "basic";
      user: string;
      password: string;
      /** Windows domain of the user; sent as given (docs/ksc-open-api.md#logging-in). */
      domain?: string;
      /** KSC-internal user (internal="1"). Default: true without a domain, false with one. */
      internal?: boolean;
    }
  | { kind: "token"; token: string }
  | { kind: "webToken"; token: string };

type Send = (
  method: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs?: number,
) => Promise<RawReply>;

export interface SessionOptions {
  auth: KscAuth;
  virtualServer?: string;
  server: string;
  send: Send;
  redactor: Redactor;
  logger: Logger;
}

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

/** The Authorization header for StartSession. */
export function authorizationHeader(auth: KscAuth): string {
  switch (auth.kind) {
    case "basic": {
      const internal = auth.internal ?? !auth.domain;
      const parts = [`user="${b64(auth.user)}"`, `pass="${b64(auth.password)}"`];
      if (auth.domain) parts.push(`domain="${auth.domain}"`);
      parts.push(`internal="${internal ? 1 : 0}"`);
      return `KSCBasic ${parts.join(", ")}`;
    }
    case "token":
      return `KSCT ${auth.token}`;
    case "webToken":
      return `KSCWT ${auth.token}`;
  }
}

/** Who is logging in, for messages: never a secret. */
export function describeAuth(auth: KscAuth): string {
  switch (auth.kind) {
    case "basic":
      return auth.domain ? `${auth.domain}\\${auth.user}` : auth.user;
    case "token":
      return "a KSCT token";
    case "webToken":
      return "a KSCWT web token";
  }
}

export class SessionManager {
  private sid?: string;
  private pending?: Promise<string>;
  private refused?: KscAuthError;
  private attempts = 0;

  constructor(private readonly opts: SessionOptions) {
    if (opts.auth.kind === "basic") {
      if (!opts.auth.user) throw new Error("KSC user name is empty");
      opts.redactor.add(opts.auth.password);
    } else {
      if (!opts.auth.token) throw new Error("KSC token is empty");
      opts.redactor.add(opts.auth.token);
    }
  }

  /** Number of Session.StartSession requests sent by this client. */
  get loginAttempts(): number {
    return this.attempts;
  }

  /** Whether a session is currently open. */
  get isOpen(): boolean {
    return this.sid !== undefined;
  }

  /** The current session id, logging in first if there is none. */
  current(): Promise<string> {
    if (this.refused) return Promise.reject(this.refused);
    if (this.sid) return Promise.resolve(this.sid);
    return this.login();
  }

  /** The server refused `staleSid`: get a new session (one login, shared by all callers that saw that session). */
  renew(staleSid: string): Promise<string> {
    if (this.sid === staleSid) {
      this.sid = undefined;
      this.opts.logger(
        "info",
        `KSC: the session on ${this.opts.server} was refused (expired?); logging in again`,
      );
    }
    return this.current();
  }

  private login(): Promise<string> {
    if (!this.pending) {
      this.pending = this.startSession().finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  private async startSession(): Promise<string> {
    const { auth, server, logger, redactor } = this.opts;
    const method = "Session.StartSession";
    const who = describeAuth(auth);
    this.attempts++;
    const started = Date.now();
    const reply = await this.opts.send(
      method,
      {},
      { Authorization: authorizationHeader(auth), "X-KSC-VServer": b64(this.opts.virtualServer ?? "") },
    );
    const outcome = interpretReply(method, server, reply, redactor.redact);
    logger("debug", `KSC ${method} HTTP ${reply.status} in ${Date.now() - started} ms`);

    const refuse = (reason: string, cause?: KscError): never => {
      const vs = this.opts.virtualServer ? ` (virtual server "${this.opts.virtualServer}")` : "";
      const fix =
        auth.kind === "basic"
          ? "check the user name, password, domain and internal flag (ksc:user, ksc:password) and run again"
          : "get a new token and run again";
      this.refused = new KscAuthError(
        `login to ${server}${vs} as ${who} failed: ${reason}. Not retried, because repeated failed logins lock the account (SPL 2013); ${fix}`,
        { method, server, user: who, status: reply.status, cause },
      );
      logger("warn", `KSC: ${this.refused.message}`);
      throw this.refused;
    };

    if (outcome.kind === "sessionRejected") {
      const why = outcome.error ? outcome.error.message.replace(`${method}: `, "") : `HTTP ${outcome.status}`;
      const xmsg = reply.headers["x-ksc-errormsg"];
      return refuse(
        `the server refused the credentials (${why}${xmsg ? `; ${redactor.redact(xmsg)}` : ""})`,
        outcome.error,
      );
    }
    if (outcome.kind === "error") {
      const err = outcome.error;
      // A server that is busy has not judged the credentials: the login may be tried again later.
      if (err instanceof KscError && !isTransient(err)) {
        return refuse(err.message.replace(`${method}: `, ""), err);
      }
      throw err;
    }
    let sid: string;
    try {
      sid = asString(outcome.result.PxgRetVal, `${method} PxgRetVal`);
    } catch (err) {
      throw new KscProtocolError(
        `${method}: the server at ${server} answered without a session id (${(err as Error).message})`,
        { method },
      );
    }
    if (!sid)
      throw new KscProtocolError(`${method}: the server at ${server} returned an empty session id`, {
        method,
      });
    redactor.add(sid);
    this.sid = sid;
    logger("info", `KSC: session started on ${server} as ${who}`);
    return sid;
  }

  /** Session.EndSession if a session is open. Never throws: the session ends on the server side anyway. */
  async end(timeoutMs?: number): Promise<void> {
    if (this.pending) await this.pending.catch(() => undefined);
    const sid = this.sid;
    if (!sid) return;
    this.sid = undefined;
    const started = Date.now();
    try {
      const reply = await this.opts.send("Session.EndSession", {}, { "X-KSC-Session": sid }, timeoutMs);
      this.opts.logger("debug", `KSC Session.EndSession HTTP ${reply.status} in ${Date.now() - started} ms`);
    } catch (err) {
      const msg = err instanceof KscClientError ? err.message : String(err);
      this.opts.logger("debug", `KSC Session.EndSession failed (ignored): ${this.opts.redactor.redact(msg)}`);
    }
  }
}

/** The `Session` class of the Open API. */
export class SessionClient implements SessionApi {
  constructor(private readonly manager: SessionManager) {}

  end(): Promise<void> {
    return this.manager.end();
  }
}
