// A recording HTTP proxy in front of the emulator: the request log the emulator does not keep. Every request
// (method, path, headers, body) and every reply (status, headers, body) is kept, so a test can look for secrets in what went over the wire
// and learn the session ids the server handed out.
import * as http from "http";
import type { AddressInfo } from "net";

export interface Exchange {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  status?: number;
  responseHeaders?: Record<string, string>;
  response?: string;
}

/** Header values as strings (several values joined). */
function flat(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (typeof v === "string") out[k] = v;
    else if (Array.isArray(v)) out[k] = v.join(", ");
  }
  return out;
}

export class RecordingProxy {
  readonly log: Exchange[] = [];
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<RecordingProxy> {
    const upstream = new URL(target);
    const agent = new http.Agent({ keepAlive: true });
    let proxy: RecordingProxy | undefined = undefined;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const headers = flat(req.headers);
        const entry: Exchange = {
          method: req.method ?? "",
          path: req.url ?? "",
          headers,
          body: Buffer.concat(chunks).toString("utf8"),
        };
        proxy?.log.push(entry);
        // Uncompressed replies, so they can be read here.
        const forward: Record<string, string> = { ...headers, host: upstream.host };
        delete forward["accept-encoding"];
        const up = http.request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: forward,
            agent,
          },
          (ures) => {
            const out: Buffer[] = [];
            ures.on("data", (c: Buffer) => out.push(c));
            ures.on("end", () => {
              entry.status = ures.statusCode;
              entry.responseHeaders = flat(ures.headers);
              entry.response = Buffer.concat(out).toString("utf8");
              res.writeHead(ures.statusCode ?? 502, ures.headers);
              res.end(Buffer.concat(out));
            });
            ures.on("error", () => res.destroy());
          },
        );
        // The emulator dropped the connection: so does the proxy.
        up.on("error", () => res.destroy());
        up.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    proxy = new RecordingProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return proxy;
  }

  /** Session ids the server handed out (Session.StartSession replies). */
  sessionIds(): string[] {
    const ids = new Set<string>();
    for (const e of this.log) {
      if (!e.path.endsWith("Session.StartSession") || e.status !== 200 || !e.response) continue;
      const sid = (JSON.parse(e.response) as { PxgRetVal?: unknown }).PxgRetVal;
      if (typeof sid === "string") ids.add(sid);
    }
    return [...ids];
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
