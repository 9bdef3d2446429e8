// The secrets audit of secrets.fault.test.ts, as pure functions, so that audit.test.ts can show it catching a planted
// leak of each form: where a secret may appear (only the login call's Authorization header, the session header,
// the login reply), and every form it could take on the way (as is, JSON-escaped, percent-encoded, base64 — also
// inside a larger base64 blob such as "user:password" — hex, and without the "=" padding of its end).
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import type { Exchange } from "./recorder";

export interface Secret {
  /** What the failure message says (never the value, so a failure does not print the secret either). */
  name: string;
  value: string;
  /** credential: a password or a login token; session: a session id the server handed out. */
  kind: "credential" | "session";
}

/** Forms shorter than this are not searched (they would match by chance). */
const MIN_FORM = 8;

/** Percent-encoding, with upper- and lower-case hex digits. */
function percentForms(s: string): string[] {
  const upper = encodeURIComponent(s);
  return [upper, upper.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())];
}

/**
 * The base64 characters that depend on `bytes` alone when they stand `offset` bytes (0, 1 or 2) after the start of
 * a 3-byte group in a larger base64 blob: a blob holding the secret anywhere contains one of these three.
 */
function base64Core(bytes: Buffer, offset: number): string {
  const b64 = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
  const first = Math.ceil((8 * offset) / 6);
  const last = Math.floor((8 * (offset + bytes.length) - 6) / 6);
  return b64.slice(first, last + 1);
}

const formsOf = new Map<string, string[]>();

/** Every form of `value` the audit searches for. */
export function forms(value: string): string[] {
  let known = formsOf.get(value);
  if (!known) formsOf.set(value, (known = computeForms(value)));
  return known;
}

function computeForms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const json = JSON.stringify(value).slice(1, -1);
  const jsonAscii = json.replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  const base: string[] = [value, json, jsonAscii, bytes.toString("hex"), bytes.toString("hex").toUpperCase()];
  const b64 = [bytes.toString("base64"), ...[0, 1, 2].map((o) => base64Core(bytes, o))];
  for (const b of b64) base.push(b, b.replace(/\+/g, "-").replace(/\//g, "_"));
  const all = new Set<string>();
  for (const f of base) {
    for (const g of [f, f.replace(/=+$/, "")]) {
      all.add(g);
      for (const p of percentForms(g)) all.add(p);
    }
  }
  return [...all].filter((f) => f.length >= MIN_FORM);
}

/** Names of the secrets found in `text`, in any form. */
export function leaks(text: string, secrets: Secret[]): string[] {
  return secrets.filter((s) => forms(s.value).some((f) => text.includes(f))).map((s) => s.name);
}

/**
 * A login call: StartSession (docs/ksc-open-api.md#sessions, with a session id) or the connection-bound POST
 * /login (docs/ksc-open-api.md#sessions, bound to the connection).
 */
export function isLogin(e: Pick<Exchange, "path">): boolean {
  return /(?:\bSession\.StartSession|\/login)(?:\?.*)?$/.test(e.path);
}

/**
 * The leaks in one recorded request and its reply. Allowed: credentials in the Authorization header of a login
 * call; session ids in the X-KSC-Session header of any request and in the body of a login call's reply. Anything
 * else anywhere (request line, other headers, bodies, response headers) is a leak.
 */
export function exchangeLeaks(e: Exchange, secrets: Secret[]): string[] {
  const credentials = secrets.filter((s) => s.kind === "credential");
  const sessions = secrets.filter((s) => s.kind === "session");
  const places: { where: string; text: string; allowed: Secret[] }[] = [
    { where: "request line", text: `${e.method} ${e.path}`, allowed: [] },
    ...Object.entries(e.headers).map(([k, v]) => ({
      where: `request header ${k}`,
      text: v,
      allowed: k === "authorization" && isLogin(e) ? credentials : k === "x-ksc-session" ? sessions : [],
    })),
    { where: "request body", text: e.body, allowed: [] },
    ...Object.entries(e.responseHeaders ?? {}).map(([k, v]) => ({
      where: `response header ${k}`,
      text: v,
      allowed: [],
    })),
    { where: "response body", text: e.response ?? "", allowed: isLogin(e) ? sessions : [] },
  ];
  return places.flatMap((p) =>
    leaks(
      p.text,
      secrets.filter((s) => !p.allowed.includes(s)),
    ).map((name) => `${name} in the ${p.where} of ${e.method} ${e.path}`),
  );
}

/** Every file below `dir` as text (gzip files unpacked), for the search: the file backend's state, backups, history. */
export function filesBelow(dir: string): { file: string; text: string }[] {
  if (!fs.existsSync(dir)) return [];
  const out: { file: string; text: string }[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const raw = fs.readFileSync(file);
    const text = (raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw).toString("utf8");
    out.push({ file: path.relative(dir, file), text });
  }
  return out;
}
