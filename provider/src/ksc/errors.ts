// Errors of the KSC client. Every failure becomes one of a few kinds, each with a message a person can act on:
//   KscError         the server executed the call and answered with a PxgError (whatever the HTTP status)
//   KscHttpError     an HTTP status without a PxgError body (proxy page, 5xx, unexpected 4xx)
//   KscNetworkError  no HTTP answer: refused, reset, timeout, DNS, TLS
//   KscAuthError     the login (Session.StartSession) was refused, or the session was refused right after re-login
//   KscProtocolError the answer was not what the Open API reference says (missing key, not JSON)
// No message ever contains a password, token or session id: the client passes every server-provided text through
// a redactor before it goes into a message (see Redactor).

/** Base of every error the client throws. */
export class KscClientError extends Error {
  /** `Class.Method` being called, when known. */
  readonly method?: string;
  /** True when the request certainly never reached the server, so even a non-idempotent call may be repeated. */
  readonly requestNotSent: boolean;
  constructor(message: string, opts: { method?: string; requestNotSent?: boolean } = {}) {
    super(message);
    this.name = new.target.name;
    this.method = opts.method;
    this.requestNotSent = opts.requestNotSent ?? false;
  }
}

/** The `PxgError` object of a reply (docs/ksc-open-api.md#errors). */
export interface PxgError {
  module: string;
  code: number;
  subcode: number;
  message: string;
  file?: string;
  line?: number;
}

/** Symbols and plain-language meaning of the documented codes (docs/ksc-open-api.md#error-codes). */
const KNOWN_CODES: Record<string, { symbol: string; meaning: string }> = {
  "KLSTD 1184": {
    symbol: "STDE_NOACCESS",
    meaning: "access denied: the KSC account lacks the rights for this call",
  },
  "KLSTD 1186": { symbol: "STDE_NOTFOUND", meaning: "object not found" },
  "KLSTD 1192": { symbol: "STDE_BADFORMAT", meaning: "bad format" },
  "KLSTD 1193": { symbol: "STDE_NOTPERM", meaning: "operation not permitted" },
  "KLSTD 1195": { symbol: "STDE_UNAVAIL", meaning: "server temporarily unavailable" },
  "KLSTD 1229": { symbol: "STDE_LIMIT_VIOLATION", meaning: "a server limit was violated" },
  "KLPRSS 1125": { symbol: "NOT_EXIST", meaning: "settings-storage section or variable does not exist" },
  "KLCONN 1194": {
    symbol: "GCR_NO_SUCH_CALL",
    meaning: "no such method on this server (an older KSC version, or a misspelt Class.Method)",
  },
  "KLWAT 1445": { symbol: "ERR_NO_SUCH_CLIENT", meaning: "unknown session" },
  "KLWAT 1453": { symbol: "ERR_LOGON_IFAILED", meaning: "logon failed: wrong user name, password or domain" },
  "KLWAT 1454": { symbol: "ERR_BA_WEB_TOKEN_FAILED", meaning: "web-token logon failed" },
  "SPL 2013": {
    symbol: "SPLERR_ACCOUNT_BLOCKED",
    meaning: "the account is locked after too many failed logins; unlock it in KSC or wait",
  },
};

export function describeCode(module: string, code: number): { symbol?: string; meaning?: string } {
  return KNOWN_CODES[`${module} ${code}`] ?? {};
}

/** A PxgError reply: the call reached the server and the server refused or failed it. */
export class KscError extends KscClientError {
  readonly module: string;
  readonly code: number;
  readonly subcode: number;
  /** The server's own (English) message, with any secret removed. */
  readonly serverMessage: string;
  readonly httpStatus: number;
  readonly requestId?: string;
  constructor(
    method: string,
    err: PxgError,
    opts: { httpStatus?: number; requestId?: string; redact?: (s: string) => string } = {},
  ) {
    const redact = opts.redact ?? ((s: string) => s);
    const known = describeCode(err.module, err.code);
    const serverMessage = redact(err.message ?? "");
    const id = `${err.module} ${err.code}${err.subcode ? `.${err.subcode}` : ""}${known.symbol ? ` ${known.symbol}` : ""}`;
    const parts = [known.meaning, serverMessage].filter((p) => p && p.length > 0);
    super(`${method}: ${id}${parts.length ? `: ${parts.join(" — ")}` : ""}`, { method });
    this.module = err.module;
    this.code = err.code;
    this.subcode = err.subcode ?? 0;
    this.serverMessage = serverMessage;
    this.httpStatus = opts.httpStatus ?? 200;
    this.requestId = opts.requestId;
  }
}

/** An HTTP answer that carries no PxgError. */
export class KscHttpError extends KscClientError {
  readonly status: number;
  readonly server: string;
  /** Start of the body (redacted), for diagnosis. */
  readonly bodySnippet: string;
  readonly requestId?: string;
  constructor(
    method: string,
    server: string,
    status: number,
    bodySnippet: string,
    opts: { requestId?: string; hint?: string } = {},
  ) {
    const hint = opts.hint ?? httpHint(status);
    super(
      `${method}: HTTP ${status} from ${server}${hint ? ` (${hint})` : ""}${bodySnippet ? `: ${bodySnippet}` : ""}`,
      { method },
    );
    this.status = status;
    this.server = server;
    this.bodySnippet = bodySnippet;
    this.requestId = opts.requestId;
  }
}

function httpHint(status: number): string | undefined {
  if (status === 401) return "not authenticated";
  if (status === 403) return "forbidden: the session ended or the account lacks rights";
  if (status === 404) return "not found: is serverUrl the KSC Open API address (port 13299)?";
  if (status === 502 || status === 503 || status === 504) return "server or gateway temporarily unavailable";
  if (status >= 500) return "server error";
  return undefined;
}

export type NetworkFailure = "timeout" | "refused" | "reset" | "dns" | "unknown-host" | "tls" | "other";

/** No HTTP answer at all. */
export class KscNetworkError extends KscClientError {
  readonly server: string;
  readonly failure: NetworkFailure;
  /** Node/axios error code, e.g. ECONNRESET, SELF_SIGNED_CERT_IN_CHAIN. */
  readonly code?: string;
  constructor(
    method: string,
    server: string,
    failure: NetworkFailure,
    detail: string,
    opts: { code?: string; requestNotSent?: boolean } = {},
  ) {
    super(`${method}: ${detail}`, { method, requestNotSent: opts.requestNotSent });
    this.server = server;
    this.failure = failure;
    this.code = opts.code;
  }
}

/** Login refused (bad credentials, locked account, expired token), or the session was refused again after re-login. */
export class KscAuthError extends KscClientError {
  readonly server: string;
  /** The user name (or "token"/"web token"), never a secret. */
  readonly user: string;
  readonly status?: number;
  /** The PxgError the server gave with the refusal, if any. */
  override readonly cause?: KscError;
  constructor(
    message: string,
    opts: { method: string; server: string; user: string; status?: number; cause?: KscError },
  ) {
    super(message, { method: opts.method });
    this.server = opts.server;
    this.user = opts.user;
    this.status = opts.status;
    this.cause = opts.cause;
  }
}

/** The reply does not have the shape the Open API reference describes. */
export class KscProtocolError extends KscClientError {}

/** Not found: KLSTD 1186 (object) or KLPRSS 1125 (settings-storage section/variable). */
export function isNotFound(err: unknown): boolean {
  return (
    err instanceof KscError &&
    ((err.module === "KLSTD" && err.code === 1186) || (err.module === "KLPRSS" && err.code === 1125))
  );
}

/** Access denied (KLSTD 1184). */
export function isAccessDenied(err: unknown): boolean {
  return err instanceof KscError && err.module === "KLSTD" && err.code === 1184;
}

const TRANSIENT_NETWORK = new Set<NetworkFailure>(["timeout", "refused", "reset", "dns"]);
/** HTTP statuses that mean "try again later" rather than "this call is wrong". */
const TRANSIENT_HTTP = new Set([500, 502, 503, 504, 429]);

/**
 * A failure that may go away if the same call is repeated: KLSTD 1195, HTTP 500/502/503/504/429,
 * connection refused/reset, timeout, DNS hiccup (EAI_AGAIN). TLS, unknown host and authentication failures are never
 * transient.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof KscError) return err.module === "KLSTD" && err.code === 1195;
  if (err instanceof KscHttpError) return TRANSIENT_HTTP.has(err.status);
  if (err instanceof KscNetworkError) return TRANSIENT_NETWORK.has(err.failure);
  return false;
}

/**
 * Whether the retry policy may repeat a call that failed with `err`. Reads (and writes the caller marked
 * idempotent) are repeated on any transient failure; other writes only when the request never reached the server.
 */
export function shouldRetry(err: unknown, idempotent: boolean): boolean {
  if (!isTransient(err)) return false;
  if (idempotent) return true;
  return err instanceof KscClientError && err.requestNotSent;
}

/** Removes known secrets (password, tokens, session ids, and their base64 forms) from any text. */
export class Redactor {
  private readonly secrets = new Set<string>();
  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return; // too short to redact without mangling ordinary words
    this.secrets.add(secret);
    const b64 = Buffer.from(secret, "utf8").toString("base64");
    this.secrets.add(b64);
    this.secrets.add(b64.replace(/=+$/, ""));
  }
  redact = (text: string): string => {
    let out = text;
    for (const s of this.secrets) {
      if (out.includes(s)) out = out.split(s).join("[redacted]");
    }
    return out;
  };
}

/**
 * A KSC key name pulumi-ksc uses is not on this server. The names KSC does not document are placeholders or names
 * from public evidence (keys.ts, docs/ksc-key-names.md); a real server may need its own names, found with the
 * probe and given in an override file.
 */
export class KeyNameError extends Error {
  constructor(what: string, names: string[]) {
    super(
      `this server has no ${what} named ${names.map((n) => quoteName(n)).join(", ")}. KSC does not document some of ` +
        "the key names pulumi-ksc uses (its defaults for them are placeholders or names from public evidence, " +
        "docs/ksc-key-names.md): find this server's real names with " +
        "`npx pulumi-ksc probe guided` and give them to the provider with `pulumi config set ksc:keyNamesFile " +
        '<file>` (README, "Using a real KSC server").',
    );
    this.name = "KeyNameError";
  }
}

/** A key name in a message: as JSON, cut at 100 characters (a name from an override file may be anything). */
function quoteName(n: string): string {
  const s = JSON.stringify(n);
  return s.length <= 100 ? s : `${s.slice(0, 97)}... (${n.length} characters)`;
}
