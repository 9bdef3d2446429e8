// Transport: HTTPS with the emulator's own CA, compression, request ids, chunked bodies.
import { X509Certificate } from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { startEmulator } from "./index";
import { kscBasic, post, RawSession } from "../../test/support/raw-ksc";

test("HTTPS: trusted with the CA file, refused without it; the certificate is reused from dataDir", async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ksc-emu-tls-"));
  const emu = await startEmulator({ port: 0, tls: true, dataDir });
  try {
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.caFile).toBe(path.join(dataDir, "ksc-emulator-ca.pem"));
    const ca = fs.readFileSync(emu.caFile as string);
    const caCert = new X509Certificate(ca);
    expect(caCert.ca).toBe(true);
    const s = await RawSession.start(emu.url, "admin", emu.credentials.password, { ca });
    expect(await s.ok("HostGroup.GroupIdGroups")).toEqual({ PxgRetVal: 0 });
    // The connection-reset fault over TLS: the client sees a dead connection, the server lives on.
    emu.setFaults({ resetRate: 1, methods: ["Session.Ping"] });
    await expect(s.call("Session.Ping")).rejects.toThrow();
    emu.setFaults({});
    expect((await s.call("Session.Ping")).status).toBe(200);
    await expect(
      post(
        emu.url,
        "/api/v1.0/Session.StartSession",
        {},
        { headers: { Authorization: kscBasic("admin", emu.credentials.password) } },
      ),
    ).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  } finally {
    await emu.stop();
  }
  const pem = fs.readFileSync(path.join(dataDir, "ksc-emulator-server.pem"), "utf8");
  const again = await startEmulator({ port: 0, tls: true, dataDir });
  try {
    expect(fs.readFileSync(path.join(dataDir, "ksc-emulator-server.pem"), "utf8")).toBe(pem);
    const cert = new X509Certificate(pem);
    expect(cert.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(cert.checkIssued(new X509Certificate(fs.readFileSync(again.caFile as string)))).toBe(true);
  } finally {
    await again.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

function raw(
  url: string,
  headers: Record<string, string>,
  body: string,
  chunked = false,
): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    if (chunked) {
      req.write(body.slice(0, 5));
      req.end(body.slice(5));
    } else req.end(body);
  });
}

test("Accept-Encoding gzip/deflate compresses the reply; X-KSC-RequestId is echoed; chunked bodies work", async () => {
  const emu = await startEmulator({ port: 0, tls: false });
  try {
    const s = await RawSession.start(emu.url);
    const url = `${emu.url}/api/v1.0/HostGroup.GetGroupId`;
    const body = JSON.stringify({ nParent: 0, strName: "Branch Rome" });
    const base = { "X-KSC-Session": s.id, "Content-Type": "application/json" };
    const gz = await raw(url, { ...base, "Accept-Encoding": "gzip", "X-KSC-RequestId": "req-42" }, body);
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers["x-ksc-requestid"]).toBe("req-42");
    const expected = JSON.parse(zlib.gunzipSync(gz.body).toString("utf8"));
    expect(expected).toEqual({ PxgRetVal: expect.any(Number) });
    const df = await raw(url, { ...base, "Accept-Encoding": "deflate" }, body);
    expect(JSON.parse(zlib.inflateSync(df.body).toString("utf8"))).toEqual(expected);
    const chunked = await raw(url, { ...base, "Transfer-Encoding": "chunked" }, body, true);
    expect(chunked.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(chunked.body.toString("utf8"))).toEqual(expected);
  } finally {
    await emu.stop();
  }
});
