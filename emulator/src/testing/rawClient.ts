// Raw HTTP for the emulator's own tests: node's http/https only, no KSC client code, so the tests check
// the wire format of the reference and not an encoder shared with the server.
import * as http from "http";
import * as https from "https";

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** parsed JSON body, or undefined when the body is not JSON */
  json: unknown;
}

export interface RawOptions {
  headers?: Record<string, string>;
  agent?: http.Agent;
  ca?: string | Buffer;
}

export function b64(s: string): string {
  return Buffer.from(s, "utf8").toString("base64");
}

export function kscBasic(user: string, password: string, extra = ' internal="1"'): string {
  return `KSCBasic user="${b64(user)}", pass="${b64(password)}",${extra}`;
}

/** POST a body (object → JSON, string → as is) and collect the reply. Rejects on connection errors. */
export function post(baseUrl: string, path: string, body: unknown, opts: RawOptions = {}): Promise<RawReply> {
  const url = new URL(path, baseUrl);
  const data = typeof body === "string" ? body : JSON.stringify(body);
  const lib = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: "POST",
        agent: opts.agent,
        ca: opts.ca,
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(data),
          ...opts.headers,
        },
      },
      (res) => {
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
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

export function get(baseUrl: string, path: string, opts: RawOptions = {}): Promise<RawReply> {
  const url = new URL(path, baseUrl);
  const lib = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      { method: "GET", agent: opts.agent, ca: opts.ca, headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
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
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** A style-B session: Session.StartSession, then X-KSC-Session on every call. */
export class RawSession {
  private constructor(
    readonly baseUrl: string,
    readonly id: string,
    private readonly opts: RawOptions,
  ) {}

  static async start(
    baseUrl: string,
    user = "admin",
    password = "KscEmulator-Pa55",
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

/** Shape of a PxgError reply, for assertions. */
export function pxgError(r: RawReply): { module: string; code: number; message: string } | undefined {
  const e = (r.json as { PxgError?: { module: string; code: number; message: string } } | undefined)
    ?.PxgError;
  return e ? { module: e.module, code: e.code, message: e.message } : undefined;
}
