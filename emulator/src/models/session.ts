// Session model: logins (KSCBasic, KSCT), sessions, one-time tokens and account lockout
// (docs/ksc-open-api.md#logging-in, #sessions).
import { randomBytes } from "crypto";
import { AccountBlocked, KscError, LogonFailed } from "../errors";

export interface Session {
  id: string;
  user: string;
  created: number;
  /** "connection": bound to one TCP connection (/login); "session": X-KSC-Session (StartSession) */
  style: "connection" | "session";
}

export type Lookup = { ok: true; session: Session } | { ok: false; reason: "ended" | "expired" | "unknown" };

export interface SessionOptions {
  user: string;
  /** the account's password; an administrator can change it while the server runs (setPassword) */
  password: string;
  /** consecutive bad passwords that lock the account (SPL 2013) */
  lockoutThreshold: number;
  lockoutSeconds: number;
  /** one-time KSCT token lifetime (≈3 min per go-ksc) */
  tokenLifetimeSeconds: number;
  now: () => number;
}

/** Logon failure that the HTTP layer answers with 401. */
export class AuthError extends Error {
  constructor(readonly error: KscError) {
    super(error.message);
  }
}

function b64decode(s: string): string {
  return Buffer.from(s, "base64").toString("utf8");
}

/** key="value" or key=value pairs of an Authorization header after the scheme word. */
export function parseAuthPairs(rest: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest)) !== null) out.set(m[1].toLowerCase(), m[2] ?? m[3] ?? "");
  return out;
}

export class SessionModel {
  readonly sessions = new Map<string, Session>();
  private readonly ended = new Set<string>();
  private readonly tokens = new Map<string, { user: string; expires: number }>();
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();
  /** Absolute session lifetime in seconds (fault injection); undefined = no expiry. */
  ttlSeconds: number | undefined;
  opened = 0;
  /** Login attempts refused (bad or unknown credentials, locked account, invalid token), since the last reset. */
  loginsFailed = 0;
  /** Login attempts accepted, since the last reset. */
  loginsSucceeded = 0;

  constructor(private readonly opts: SessionOptions) {}

  /** Check an Authorization header; returns the user name or throws AuthError. Counts every attempt. */
  authenticate(header: string | undefined): string {
    try {
      const user = this.check(header);
      this.loginsSucceeded++;
      return user;
    } catch (err) {
      this.loginsFailed++;
      throw err;
    }
  }

  private check(header: string | undefined): string {
    if (!header || header.trim() === "") throw new AuthError(new LogonFailed("authorization required"));
    const trimmed = header.trim();
    const space = trimmed.indexOf(" ");
    const scheme = (space < 0 ? trimmed : trimmed.slice(0, space)).toUpperCase();
    const rest = space < 0 ? "" : trimmed.slice(space + 1).trim();
    if (scheme === "KSCBASIC") return this.basic(parseAuthPairs(rest));
    if (scheme === "KSCT") return this.token(rest.replace(/^"|"$/g, ""));
    if (scheme === "KSCWT") throw new AuthError(new KscError("KLWAT", 1454, "web-token logon failed"));
    throw new AuthError(new LogonFailed(`authentication scheme ${scheme} is not supported by the emulator`));
  }

  private basic(pairs: Map<string, string>): string {
    const userB64 = pairs.get("user");
    const passB64 = pairs.get("pass");
    if (userB64 === undefined || passB64 === undefined) {
      throw new AuthError(new LogonFailed("KSCBasic needs user and pass"));
    }
    const user = b64decode(userB64);
    const password = b64decode(passB64);
    // internal="1"/true = KSC-internal account; "0"/false = Windows/domain account (none exist here).
    // The domain may come raw or base64-encoded; internal accounts ignore it.
    const internal = (pairs.get("internal") ?? "1").toLowerCase();
    if (internal === "0" || internal === "false") throw new AuthError(new LogonFailed());
    if (user !== this.opts.user) throw new AuthError(new LogonFailed());
    const now = this.opts.now();
    const f = this.failures.get(user) ?? { count: 0, lockedUntil: 0 };
    if (f.lockedUntil > now) throw new AuthError(new AccountBlocked());
    if (password !== this.opts.password) {
      f.count++;
      if (f.count >= this.opts.lockoutThreshold) {
        f.lockedUntil = now + this.opts.lockoutSeconds * 1000;
        f.count = 0;
        this.failures.set(user, f);
        throw new AuthError(new AccountBlocked());
      }
      this.failures.set(user, f);
      throw new AuthError(new LogonFailed());
    }
    this.failures.delete(user);
    return user;
  }

  private token(token: string): string {
    const t = this.tokens.get(token);
    this.tokens.delete(token); // one-time
    if (!t || t.expires < this.opts.now()) throw new AuthError(new LogonFailed("token is not valid"));
    return t.user;
  }

  open(user: string, style: Session["style"]): Session {
    const id = randomBytes(16).toString("base64");
    const s: Session = { id, user, created: this.opts.now(), style };
    this.sessions.set(id, s);
    this.opened++;
    return s;
  }

  lookup(id: string): Lookup {
    const s = this.sessions.get(id);
    if (!s) return { ok: false, reason: this.ended.has(id) ? "ended" : "unknown" };
    if (this.ttlSeconds !== undefined && this.opts.now() - s.created > this.ttlSeconds * 1000) {
      this.sessions.delete(id);
      return { ok: false, reason: "expired" };
    }
    return { ok: true, session: s };
  }

  /** Session.EndSession: later calls with this id get 403. */
  end(id: string): void {
    this.sessions.delete(id);
    if (this.ended.size > 100_000) this.ended.clear();
    this.ended.add(id);
  }

  /** The connection of a connection-bound session closed. */
  drop(id: string): void {
    this.sessions.delete(id);
  }

  expireAll(): number {
    const n = this.sessions.size;
    this.sessions.clear();
    return n;
  }

  createToken(user: string): string {
    const token = randomBytes(24).toString("base64");
    this.tokens.set(token, { user, expires: this.opts.now() + this.opts.tokenLifetimeSeconds * 1000 });
    return token;
  }

  unlockAll(): void {
    this.failures.clear();
  }

  /**
   * An administrator changes the account's password (in KSC: the user's properties in the console). From now on
   * only the new one logs in; open sessions stay open, as on a real server, and the bad-password count starts over.
   */
  setPassword(user: string, password: string): void {
    if (user !== this.opts.user) throw new Error(`no such user: ${JSON.stringify(user)}`);
    if (password === "") throw new Error("the password must not be empty");
    this.opts.password = password;
    this.failures.delete(user);
  }
}
