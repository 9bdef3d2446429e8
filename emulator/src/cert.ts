// A self-signed CA and a server certificate for 127.0.0.1/localhost, made with node:crypto only (a tiny
// DER writer + ECDSA P-256 signatures), like the Administration Server's own self-signed certificate.
// Generated on first start into dataDir and reused afterwards. Falls back to the openssl binary.
import { execFileSync } from "child_process";
import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign, X509Certificate } from "crypto";
import * as fs from "fs";
import * as path from "path";

export interface CertFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

// ---- DER ----
function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n >>= 8;
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer): Buffer =>
  Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, body: Buffer): Buffer => tlv(0xa0 + n, body);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bits = (b: Buffer, unused = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, "utf8"));
function integer(b: Buffer): Buffer {
  let body = b;
  while (body.length > 1 && body[0] === 0 && !(body[1] & 0x80)) body = body.subarray(1);
  if (body[0] & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return tlv(0x02, body);
}
function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const out: number[] = [40 * parts[0] + parts[1]];
  for (const p of parts.slice(2)) {
    const stack: number[] = [p & 0x7f];
    let v = Math.floor(p / 128);
    while (v > 0) {
      stack.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}
function utcTime(d: Date): Buffer {
  const p = (n: number): string => String(n).padStart(2, "0");
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, "ascii"));
}
const name = (cn: string): Buffer =>
  seq(set(seq(oid("2.5.4.10"), utf8("KSC emulator"))), set(seq(oid("2.5.4.3"), utf8(cn))));
const ext = (id: string, critical: boolean, value: Buffer): Buffer =>
  critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));

const ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"));

function keyId(pub: KeyObject): Buffer {
  return createHash("sha1")
    .update(pub.export({ type: "spki", format: "der" }))
    .digest();
}

function certificate(opts: {
  subject: string;
  issuer: string;
  subjectKey: KeyObject;
  issuerKey: KeyObject;
  issuerPub: KeyObject;
  extensions: Buffer[];
}): string {
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  serial[0] |= 0x01;
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_SHA256,
    name(opts.issuer),
    seq(utcTime(new Date(now - 24 * 3600 * 1000)), utcTime(new Date(now + 10 * 365 * 24 * 3600 * 1000))),
    name(opts.subject),
    opts.subjectKey.export({ type: "spki", format: "der" }),
    explicit(3, seq(...opts.extensions)),
  );
  const signature = sign("sha256", tbs, opts.issuerKey);
  const der = seq(tbs, ECDSA_SHA256, bits(signature));
  const b64 = der.toString("base64").replace(/(.{64})/g, "$1\n");
  return `-----BEGIN CERTIFICATE-----\n${b64.trim()}\n-----END CERTIFICATE-----\n`;
}

function generateWithNodeCrypto(): { ca: string; cert: string; key: string } {
  const caKeys = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const srvKeys = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const caId = keyId(caKeys.publicKey);
  const ca = certificate({
    subject: "KSC emulator local CA",
    issuer: "KSC emulator local CA",
    subjectKey: caKeys.publicKey,
    issuerKey: caKeys.privateKey,
    issuerPub: caKeys.publicKey,
    extensions: [
      ext("2.5.29.19", true, seq(bool(true))), // basicConstraints CA:true
      ext("2.5.29.15", true, bits(Buffer.from([0x06]), 1)), // keyUsage keyCertSign, cRLSign
      ext("2.5.29.14", false, octets(caId)),
    ],
  });
  const san = seq(tlv(0x82, Buffer.from("localhost", "ascii")), tlv(0x87, Buffer.from([127, 0, 0, 1])));
  const cert = certificate({
    subject: "127.0.0.1",
    issuer: "KSC emulator local CA",
    subjectKey: srvKeys.publicKey,
    issuerKey: caKeys.privateKey,
    issuerPub: caKeys.publicKey,
    extensions: [
      ext("2.5.29.19", true, seq()), // basicConstraints CA:false
      ext("2.5.29.15", true, bits(Buffer.from([0x80]), 7)), // keyUsage digitalSignature
      ext("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))), // extKeyUsage serverAuth
      ext("2.5.29.17", false, san),
      ext("2.5.29.35", false, seq(tlv(0x80, caId))), // authorityKeyIdentifier
    ],
  });
  // Self-check: the server certificate must verify against the CA.
  if (
    !new X509Certificate(cert).verify(caKeys.publicKey) ||
    !new X509Certificate(cert).checkIssued(new X509Certificate(ca))
  ) {
    throw new Error("generated certificate does not verify");
  }
  const key = srvKeys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return { ca, cert, key };
}

function generateWithOpenssl(dir: string): { ca: string; cert: string; key: string } {
  const run = (...args: string[]): void => {
    execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  };
  const ext = path.join(dir, "server.ext");
  fs.writeFileSync(
    ext,
    "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n",
  );
  run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca-key.pem");
  run(
    "req",
    "-x509",
    "-new",
    "-key",
    "ca-key.pem",
    "-sha256",
    "-days",
    "3650",
    "-subj",
    "/O=KSC emulator/CN=KSC emulator local CA",
    "-out",
    "ca.tmp.pem",
  );
  run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "server-key.tmp.pem");
  run(
    "req",
    "-new",
    "-key",
    "server-key.tmp.pem",
    "-subj",
    "/O=KSC emulator/CN=127.0.0.1",
    "-out",
    "server.csr",
  );
  run(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.tmp.pem",
    "-CAkey",
    "ca-key.pem",
    "-CAcreateserial",
    "-days",
    "3650",
    "-sha256",
    "-extfile",
    ext,
    "-out",
    "server.tmp.pem",
  );
  const read = (f: string): string => fs.readFileSync(path.join(dir, f), "utf8");
  const out = { ca: read("ca.tmp.pem"), cert: read("server.tmp.pem"), key: read("server-key.tmp.pem") };
  for (const f of [
    "ca-key.pem",
    "ca.tmp.pem",
    "server-key.tmp.pem",
    "server.csr",
    "server.tmp.pem",
    "server.ext",
    "ca.tmp.srl",
  ]) {
    fs.rmSync(path.join(dir, f), { force: true });
  }
  return out;
}

/** Reuse the certificate in dataDir if present, else generate one (the CA private key is not kept). */
export function ensureCertificate(dataDir: string): CertFiles {
  fs.mkdirSync(dataDir, { recursive: true });
  const files: CertFiles = {
    caFile: path.join(dataDir, "ksc-emulator-ca.pem"),
    certFile: path.join(dataDir, "ksc-emulator-server.pem"),
    keyFile: path.join(dataDir, "ksc-emulator-server-key.pem"),
  };
  if (fs.existsSync(files.caFile) && fs.existsSync(files.certFile) && fs.existsSync(files.keyFile))
    return files;
  let made: { ca: string; cert: string; key: string };
  try {
    made = generateWithNodeCrypto();
  } catch {
    made = generateWithOpenssl(dataDir);
  }
  fs.writeFileSync(files.keyFile, made.key, { mode: 0o600 });
  fs.writeFileSync(files.certFile, made.cert);
  fs.writeFileSync(files.caFile, made.ca);
  return files;
}
