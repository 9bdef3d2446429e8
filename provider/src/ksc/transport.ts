// HTTP transport: POST {serverUrl}/api/v1.0/Class.Method with a JSON body (docs/ksc-open-api.md#transport).
// One keep-alive agent per client, at most `maxSockets` connections: the server runs one call per connection at a
// time (docs/ksc-open-api.md#transport), so connections in use = calls in flight. Every status comes back to
// the caller as a RawReply; only a failure without an HTTP answer becomes an error here (KscNetworkError).
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import { randomUUID } from "crypto";
import axios, { AxiosInstance, isAxiosError } from "axios";
import { KscNetworkError, NetworkFailure } from "./errors";

export type Logger = (level: "debug" | "info" | "warn", message: string) => void;

export interface TransportOptions {
  serverUrl: string;
  /** PEM text, or a path to a PEM file. */
  caCert?: string;
  insecureSkipVerify?: boolean;
  timeoutMs: number;
  maxSockets: number;
  logger: Logger;
}

export interface RawReply {
  status: number;
  body: string;
  headers: Record<string, string>;
  requestId: string;
}

/**
 * What carries one call and brings back its HTTP answer: Transport.post, or (in tests) a stand-in that hands the
 * call to an in-process console. Rejects with KscNetworkError when there is no answer.
 */
export type PostFunction = (
  method: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs: number,
) => Promise<RawReply>;

/** What the user configures to trust a server's own CA (named in TLS error messages). */
export const CA_HINT =
  "KSC uses its own self-signed certificate by default: give its CA certificate (PEM text or a file path) " +
  "in the provider configuration `ksc:caCert` or the environment variable KSC_CA_CERT";

/** Check and normalise a server URL: http(s), no credentials, no query; trailing slashes dropped. */
export function normaliseServerUrl(serverUrl: string): URL {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new Error(`serverUrl "${serverUrl}" is not a URL; expected e.g. https://ksc.example.com:13299`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`serverUrl must start with https:// (or http://), got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new Error("serverUrl must not contain a user name or password; configure them separately");
  }
  if (url.search || url.hash) throw new Error("serverUrl must not contain a query or fragment");
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

/** The server URL as shown in messages. */
export function displayServer(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

/** Load a CA given as PEM text or as a file path. */
export function loadCaCert(caCert: string): string {
  if (caCert.includes("-----BEGIN")) return caCert;
  try {
    const text = fs.readFileSync(caCert, "utf8");
    if (!text.includes("-----BEGIN")) {
      throw new Error("the file is not PEM (no -----BEGIN line)");
    }
    return text;
  } catch (err) {
    throw new Error(
      `caCert: "${caCert}" is neither PEM text nor a readable PEM file (${(err as Error).message})`,
    );
  }
}

const TLS_CODES = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH",
  "EPROTO",
]);

/** Turn an axios/Node failure without an HTTP answer into a KscNetworkError with an actionable message. */
export function networkError(
  method: string,
  server: string,
  err: unknown,
  timeoutMs: number,
): KscNetworkError {
  const code =
    (isAxiosError(err) ? err.code : undefined) ?? ((err as { code?: unknown })?.code as string | undefined);
  const raw = err instanceof Error ? err.message : String(err);
  let failure: NetworkFailure = "other";
  let detail: string;
  if (code === "ETIMEDOUT" || code === "ECONNABORTED" || /timeout/i.test(raw)) {
    failure = "timeout";
    detail = `no answer from ${server} within ${timeoutMs} ms (timeoutMs); the server may be overloaded or unreachable`;
  } else if (code === "ECONNREFUSED") {
    failure = "refused";
    detail = `cannot connect to ${server} (connection refused): is the Administration Server running and is its Open API port (13299) reachable?`;
  } else if (code === "ECONNRESET" || code === "EPIPE" || /socket hang up/i.test(raw)) {
    failure = "reset";
    detail = `the connection to ${server} was closed by the other side (${code ?? "socket hang up"})`;
  } else if (code === "EAI_AGAIN") {
    failure = "dns";
    detail = `cannot resolve the host name of ${server} right now (EAI_AGAIN)`;
  } else if (code === "ENOTFOUND") {
    failure = "unknown-host";
    detail = `the host name of ${server} does not resolve (ENOTFOUND): check serverUrl`;
  } else if (code === "ERR_TLS_CERT_ALTNAME_INVALID" || code === "HOSTNAME_MISMATCH") {
    failure = "tls";
    detail = `the TLS certificate of ${server} does not name this host (${code}): use the host name the certificate was issued for in serverUrl`;
  } else if ((code && TLS_CODES.has(code)) || /certificate|SSL|TLS/i.test(raw)) {
    failure = "tls";
    detail = `the TLS certificate of ${server} is not trusted (${code ?? raw}). ${CA_HINT}`;
  } else {
    detail = `request to ${server} failed (${code ?? raw})`;
  }
  return new KscNetworkError(method, server, failure, detail, {
    code,
    requestNotSent: failure === "refused",
  });
}

export class Transport {
  readonly url: URL;
  readonly server: string;
  private readonly http: AxiosInstance;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;

  constructor(opts: TransportOptions) {
    this.url = normaliseServerUrl(opts.serverUrl);
    this.server = displayServer(this.url);
    this.timeoutMs = opts.timeoutMs;
    const common = { keepAlive: true, maxSockets: opts.maxSockets, maxFreeSockets: opts.maxSockets };
    if (this.url.protocol === "https:") {
      if (opts.insecureSkipVerify) {
        opts.logger(
          "warn",
          `KSC: TLS certificate verification is OFF for ${this.server} (insecureSkipVerify); anyone on the network path can read the credentials. ${CA_HINT} instead.`,
        );
      }
      this.agent = new https.Agent({
        ...common,
        ca: opts.caCert ? loadCaCert(opts.caCert) : undefined,
        rejectUnauthorized: !opts.insecureSkipVerify,
      });
    } else {
      this.agent = new http.Agent(common);
    }
    this.http = axios.create({
      baseURL: `${this.url.href.replace(/\/+$/, "")}/api/v1.0/`,
      httpAgent: this.url.protocol === "http:" ? this.agent : undefined,
      httpsAgent: this.url.protocol === "https:" ? this.agent : undefined,
      proxy: false, // the Administration Server is on the internal network; environment proxies would break it
      maxRedirects: 0,
      decompress: true,
      responseType: "text",
      transformResponse: [(data: unknown) => data], // keep the raw text: non-JSON bodies are diagnosed by the caller
      validateStatus: () => true, // every status is interpreted by the caller
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: false },
      headers: {
        "Content-Type": "application/json",
        "Accept-Encoding": "gzip, deflate",
        "User-Agent": "pulumi-ksc",
      },
    });
  }

  /** POST one Open API call. Resolves with any HTTP answer; rejects with KscNetworkError when there is none. */
  async post(
    method: string,
    body: unknown,
    headers: Record<string, string>,
    timeoutMs = this.timeoutMs,
  ): Promise<RawReply> {
    const requestId = randomUUID();
    try {
      const res = await this.http.post<string>(method, JSON.stringify(body ?? {}), {
        headers: { ...headers, "X-KSC-RequestId": requestId },
        timeout: timeoutMs,
      });
      const outHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers ?? {})) {
        if (typeof v === "string") outHeaders[k.toLowerCase()] = v;
        else if (Array.isArray(v)) outHeaders[k.toLowerCase()] = v.join(", ");
      }
      return {
        status: res.status,
        body: typeof res.data === "string" ? res.data : String(res.data ?? ""),
        headers: outHeaders,
        requestId,
      };
    } catch (err) {
      throw networkError(method, this.server, err, timeoutMs);
    }
  }

  /** Close idle connections; the transport cannot be used afterwards. */
  close(): void {
    this.agent.destroy();
  }
}
