// One Open API call, end to end: session → bounded HTTP request → reply interpretation → one re-login when the
// session was refused → retry policy around the whole attempt.
import { KscParams, KscValue } from "./api";
import { CallOptions } from "./caller";
import { encodeArgs } from "./codec";
import { KscAuthError, KscClientError, Redactor } from "./errors";
import { interpretReply } from "./reply";
import { createLimiter, RetryOptions, RetryRunner } from "./retry";
import { describeAuth, KscAuth, SessionManager } from "./session";
import { Logger, PostFunction, RawReply, Transport } from "./transport";
import { BulkheadPolicy } from "cockatiel";

export interface ConnectionOptions {
  serverUrl: string;
  auth: KscAuth;
  virtualServer?: string;
  caCert?: string;
  insecureSkipVerify?: boolean;
  timeoutMs: number;
  maxInFlight: number;
  retry?: RetryOptions;
  logger: Logger;
  /** Carries the calls instead of HTTP (tests); serverUrl still names the server in messages. */
  post?: PostFunction;
}

const METHOD = /^([A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

export class KscConnection {
  readonly transport: Transport;
  readonly session: SessionManager;
  readonly redactor = new Redactor();
  readonly limiter: BulkheadPolicy;
  readonly retry: RetryRunner;
  private readonly logger: Logger;
  private readonly who: string;
  private readonly post: PostFunction;
  private readonly timeoutMs: number;
  private closed = false;
  private inFlight = 0;
  private maxSeenInFlight = 0;

  constructor(opts: ConnectionOptions) {
    // Every message the client logs goes through the redactor, as a second line of defence.
    this.logger = (level, message) => opts.logger(level, this.redactor.redact(message));
    this.who = describeAuth(opts.auth);
    this.transport = new Transport({
      serverUrl: opts.serverUrl,
      caCert: opts.caCert,
      insecureSkipVerify: opts.insecureSkipVerify,
      timeoutMs: opts.timeoutMs,
      maxSockets: opts.maxInFlight,
      logger: this.logger,
    });
    this.post = opts.post ?? ((...args) => this.transport.post(...args));
    this.timeoutMs = opts.timeoutMs;
    this.limiter = createLimiter(opts.maxInFlight);
    this.retry = new RetryRunner(opts.retry, (e) =>
      this.logger(
        "info",
        `KSC ${e.method}: ${describeError(e.error)}; retrying in ${Math.round(e.delayMs)} ms (attempt ${e.attempt})`,
      ),
    );
    this.session = new SessionManager({
      auth: opts.auth,
      virtualServer: opts.virtualServer,
      server: this.transport.server,
      send: this.send,
      redactor: this.redactor,
      logger: this.logger,
    });
  }

  get server(): string {
    return this.transport.server;
  }

  /** Highest number of HTTP requests seen in flight at once (diagnostics and tests). */
  get peakInFlight(): number {
    return this.maxSeenInFlight;
  }

  /** One HTTP request through the in-flight bound. */
  readonly send = (
    method: string,
    body: unknown,
    headers: Record<string, string>,
    timeoutMs?: number,
  ): Promise<RawReply> =>
    this.limiter.execute(async () => {
      this.inFlight++;
      this.maxSeenInFlight = Math.max(this.maxSeenInFlight, this.inFlight);
      try {
        return await this.post(method, body, headers, timeoutMs ?? this.timeoutMs);
      } finally {
        this.inFlight--;
      }
    });

  /** Call `Class.Method` with the given arguments (loose top level, typed params inside, see codec.ts). */
  async call(
    method: string,
    args: Record<string, KscValue | undefined>,
    opts: CallOptions,
  ): Promise<KscParams> {
    if (this.closed) throw new KscClientError(`${method}: the KSC client is closed`, { method });
    if (!METHOD.test(method)) throw new Error(`invalid KSC method name ${JSON.stringify(method)}`);
    const body = encodeArgs(args);
    // Failures before the request went out (login, re-login) leave the server untouched: safe to repeat.
    const notSent = new WeakSet<object>();
    return this.retry.run(method, opts.idempotent, () => this.attempt(method, body, opts, notSent), notSent);
  }

  private async attempt(
    method: string,
    body: unknown,
    opts: CallOptions,
    notSent: WeakSet<object>,
  ): Promise<KscParams> {
    const sid = await this.beforeSending(() => this.session.current(), notSent);
    const started = Date.now();
    const sendLogged = async (sessionId: string): Promise<RawReply> => {
      try {
        return await this.send(method, body, { "X-KSC-Session": sessionId }, opts.timeoutMs);
      } catch (err) {
        this.logger("debug", `KSC ${method} failed in ${Date.now() - started} ms: ${describeError(err)}`);
        throw err;
      }
    };
    let reply = await sendLogged(sid);
    let outcome = interpretReply(method, this.server, reply, this.redactor.redact);
    if (outcome.kind === "sessionRejected") {
      this.logger("debug", `KSC ${method} HTTP ${reply.status}: session refused, logging in again`);
      // The refused request was not executed, so repeating it after the new login is safe for any call.
      const fresh = await this.beforeSending(() => this.session.renew(sid), notSent);
      reply = await sendLogged(fresh);
      outcome = interpretReply(method, this.server, reply, this.redactor.redact);
      if (outcome.kind === "sessionRejected") {
        const error = new KscAuthError(
          `${method}: ${this.server} refused the session right after a new login (HTTP ${reply.status}${
            outcome.error ? `, ${outcome.error.module} ${outcome.error.code}` : ""
          }); the account may lack the rights for this call`,
          { method, server: this.server, user: this.who, status: reply.status, cause: outcome.error },
        );
        this.logger("debug", `KSC ${method} failed in ${Date.now() - started} ms: ${error.message}`);
        throw error;
      }
    }
    const ms = Date.now() - started;
    if (outcome.kind === "error") {
      this.logger("debug", `KSC ${method} failed in ${ms} ms: ${describeError(outcome.error)}`);
      throw outcome.error;
    }
    this.logger("debug", `KSC ${method} ok in ${ms} ms`);
    return outcome.result;
  }

  private async beforeSending<T>(fn: () => Promise<T>, notSent: WeakSet<object>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (typeof err === "object" && err !== null) notSent.add(err);
      throw err;
    }
  }

  /** End the session and release the connections. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.session.end(5_000);
    } finally {
      this.closed = true;
      this.transport.close();
    }
  }
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
