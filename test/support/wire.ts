// The KSC Open API wire, for tests: HTTP(S) requests with node's http/https, the KSCBasic header, a session with
// its raw replies, and the typed values of params (docs/ksc-open-api.md#transport, #parameter-encoding).
// Written from docs/ksc-open-api.md and sharing nothing with the provider's client or codec, nor with the
// emulator's: if both sides used one encoder, a wrong encoding would pass every test. The emulator's protocol
// tests use this layer directly (raw bodies, any header, malformed requests); ./raw-ksc builds "the
// administrator in the console" on it.
//
// Node's http/https rather than fetch: fetch in Node 20 can be given neither a CA certificate nor its own
// connection without the undici package, which is not a dependency of this project.
import * as http from "http";
import * as https from "https";

/** The emulator's default account. */
export const DEFAULT_USER = "admin";
export const DEFAULT_PASSWORD = "KscEmulator-Pa55";

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** parsed JSON body, or undefined when the body is not JSON */
  json: unknown;
}

export interface RawOptions {
  headers?: Record<string, string>;
  /** false: a connection of its own for this request (no keep-alive pool) */
  agent?: http.Agent | false;
  ca?: string | Buffer;
}

export function b64(s: string): string {
  return Buffer.from(s, "utf8").toString("base64");
}

/**
 * The Authorization header of a KSCBasic login (docs/ksc-open-api.md#logging-in); `extra` is what follows the
 * password.
 */
export function kscBasic(user: string, password: string, extra = ' internal="1"'): string {
  return `KSCBasic user="${b64(user)}", pass="${b64(password)}",${extra}`;
}

function request(
  method: "GET" | "POST",
  baseUrl: string,
  path: string,
  data: string | undefined,
  opts: RawOptions,
): Promise<RawReply> {
  const url = new URL(path, baseUrl);
  const lib = url.protocol === "https:" ? https : http;
  const headers: Record<string, string | number> =
    data === undefined
      ? { ...opts.headers }
      : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data), ...opts.headers };
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method, agent: opts.agent, ca: opts.ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    req.end(data);
  });
}

/** POST a body (object → JSON, string → as is) and collect the reply. Rejects on connection errors. */
export function post(baseUrl: string, path: string, body: unknown, opts: RawOptions = {}): Promise<RawReply> {
  return request("POST", baseUrl, path, typeof body === "string" ? body : JSON.stringify(body), opts);
}

export function get(baseUrl: string, path: string, opts: RawOptions = {}): Promise<RawReply> {
  return request("GET", baseUrl, path, undefined, opts);
}

/** A style-B session: Session.StartSession, then X-KSC-Session on every call. Replies are returned as they are. */
export class RawSession {
  private constructor(
    readonly baseUrl: string,
    readonly id: string,
    private readonly opts: RawOptions,
  ) {}

  static async start(
    baseUrl: string,
    user = DEFAULT_USER,
    password = DEFAULT_PASSWORD,
    opts: RawOptions = {},
  ): Promise<RawSession> {
    const r = await post(
      baseUrl,
      "/api/v1.0/Session.StartSession",
      {},
      {
        ...opts,
        headers: { Authorization: kscBasic(user, password), "X-KSC-VServer": "", ...(opts.headers ?? {}) },
      },
    );
    const id = (r.json as { PxgRetVal?: unknown } | undefined)?.PxgRetVal;
    if (r.status !== 200 || typeof id !== "string")
      throw new Error(`StartSession failed: ${r.status} ${r.text}`);
    return new RawSession(baseUrl, id, opts);
  }

  call(method: string, body: unknown = {}): Promise<RawReply> {
    return post(this.baseUrl, `/api/v1.0/${method}`, body, {
      ...this.opts,
      headers: { "X-KSC-Session": this.id, ...(this.opts.headers ?? {}) },
    });
  }

  /** Call and return the JSON body; throws if the reply is not HTTP 200 without PxgError. */
  async ok(method: string, body: unknown = {}): Promise<Record<string, unknown>> {
    const r = await this.call(method, body);
    const json = r.json as Record<string, unknown> | undefined;
    if (r.status !== 200 || !json || "PxgError" in json) {
      throw new Error(`${method} failed: ${r.status} ${r.text}`);
    }
    return json;
  }
}

export interface PxgError {
  module: string;
  code: number;
  message: string;
}

/** The PxgError of a reply (docs/ksc-open-api.md#errors), or undefined. */
export function pxgError(r: RawReply): PxgError | undefined {
  const e = (r.json as { PxgError?: PxgError } | null | undefined)?.PxgError;
  return e ? { module: e.module, code: e.code, message: e.message } : undefined;
}

// ---- values (docs/ksc-open-api.md#typed-values) ----

/** JSON as the wire has it. */
export type Wire = null | boolean | number | string | Wire[] | { [key: string]: Wire };
export type WireObject = { [key: string]: Wire };

export const long = (value: number): Wire => ({ type: "long", value });
export const params = (value: WireObject): Wire => ({ type: "params", value });
/** A setting in policy format: its value and its padlock (KLPRSS_Val, KLPRSS_Mnd). */
export const policyValue = (value: Wire, locked: boolean): Wire =>
  params({ KLPRSS_Val: value, KLPRSS_Mnd: locked });

/** A typed value without its wrapper, one level: `{"type":"long","value":N}` → N, params → the object. */
export function unwrapped(v: Wire | undefined): Wire | undefined {
  if (v && typeof v === "object" && !Array.isArray(v) && typeof v.type === "string" && "value" in v)
    return v.value;
  return v;
}

/** Typed values to plain JSON, recursively: longs, datetimes… to their value, nested params to objects. */
export function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.type === "string" && "value" in o && Object.keys(o).length === 2) return plain(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

/** The value (KLPRSS_Val) of a policy-format variable in a section as Ss_Read returns it. */
export function policyVal(section: WireObject, name: string): Wire {
  const v = section[name] as { value?: { KLPRSS_Val?: Wire } } | undefined;
  return v?.value?.KLPRSS_Val ?? null;
}
