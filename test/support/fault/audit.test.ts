// The secrets audit (audit.ts) catches a planted leak of each form, and lets through what must carry a secret.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { Secret, exchangeLeaks, filesBelow, forms, isLogin, leaks } from "./audit";
import type { Exchange } from "./recorder";

const PASSWORD = "Known-Pa55-3f9a1c07b2e4";
const SID = "q+Zk3/9aVbX0c1mWn7tHrA=="; // as the emulator makes them: 16 random bytes, base64 with padding
const password: Secret = { name: "password", value: PASSWORD, kind: "credential" };
const session: Secret = { name: "session id 1", value: SID, kind: "session" };
const secrets = [password, session];
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

describe("every form of a secret in a text", () => {
  const planted: [string, string][] = [
    ["as is", `x ${PASSWORD} y`],
    ["base64", `pass="${b64(PASSWORD)}"`],
    ["base64 without its padding", b64(PASSWORD).replace(/=+$/, "")],
    ["base64url", b64(`??${PASSWORD}`).replace(/\+/g, "-").replace(/\//g, "_")],
    ["base64 of user:password", `Basic ${b64(`admin:${PASSWORD}`)}`],
    ["base64 of a JSON blob holding it (offset 0 mod 3)", b64(`{"p":"${PASSWORD}"}`)],
    ["base64 of a JSON blob holding it (offset 1 mod 3)", b64(`{"pw":"${PASSWORD}"}`)],
    ["base64 of a JSON blob holding it (offset 2 mod 3)", b64(`{"pwd":"${PASSWORD}"}`)],
    ["percent-encoded base64 of a blob", encodeURIComponent(b64(`user=admin&password=${PASSWORD}`))],
    ["hex", Buffer.from(PASSWORD).toString("hex")],
  ];
  test.each(planted)("planted: the password %s", (_form, text) => {
    expect(leaks(text, [password])).toEqual(["password"]);
  });

  // A password with characters that percent-encoding and JSON change.
  const special: Secret = { name: "special", value: 'P@ss/w0rd+"é"=', kind: "credential" };
  test.each([
    ["percent-encoded", `password=${encodeURIComponent(special.value)}&x=1`],
    [
      "percent-encoded, lower-case hex",
      encodeURIComponent(special.value).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    ],
    ["percent-encoded without its trailing =", encodeURIComponent(special.value.slice(0, -1))],
    ["in JSON", JSON.stringify({ password: special.value })],
    ["in JSON with non-ASCII escaped", '{"password":"P@ss/w0rd+\\"\\u00e9\\"="}'],
  ])("planted: a password with special characters %s", (_form, text) => {
    expect(leaks(text, [special])).toEqual(["special"]);
  });

  test.each([
    ["as is", `sid ${SID}`],
    ["with its == stripped", `sid=${SID.replace(/=+$/, "")}&x=1`],
    ["percent-encoded", `?session=${encodeURIComponent(SID)}`],
    ["percent-encoded, == stripped", encodeURIComponent(SID.replace(/=+$/, ""))],
  ])("planted: the session id %s", (_form, text) => {
    expect(leaks(text, [session])).toEqual(["session id 1"]);
  });

  test("no false alarm on text without them; no form is too short to mean anything", () => {
    expect(leaks(`Known-Pa55 ${b64("Known-Pa55")} ${SID.slice(0, 10)}`, secrets)).toEqual([]);
    expect(forms(PASSWORD).every((f) => f.length >= 8)).toBe(true);
  });
});

describe("where a secret may travel over the wire", () => {
  const exchange = (path: string, extra: Partial<Exchange> = {}): Exchange => ({
    method: "POST",
    path,
    headers: { "content-type": "application/json" },
    body: "{}",
    status: 200,
    responseHeaders: { "content-type": "application/json" },
    response: "{}",
    ...extra,
  });
  const login = exchange("/api/v1.0/Session.StartSession", {
    headers: { authorization: `KSCBasic user="${b64("admin")}", pass="${b64(PASSWORD)}", internal="1"` },
    response: JSON.stringify({ PxgRetVal: SID }),
  });
  const call = exchange("/api/v1.0/HostGroup.FindHosts", { headers: { "x-ksc-session": SID } });

  test("the login call's Authorization header, the session header, the login reply: allowed", () => {
    expect(isLogin(login)).toBe(true);
    expect(isLogin(exchange("/login"))).toBe(true);
    expect(isLogin(call)).toBe(false);
    expect(exchangeLeaks(login, secrets)).toEqual([]);
    expect(exchangeLeaks(call, secrets)).toEqual([]);
  });

  test("planted: credentials sent on every call, not only at login", () => {
    const everyCall = { ...call, headers: { ...call.headers, authorization: login.headers.authorization } };
    expect(exchangeLeaks(everyCall, secrets)).toEqual([
      "password in the request header authorization of POST /api/v1.0/HostGroup.FindHosts",
    ]);
  });

  test("planted: a session id in a response header, in another reply, in the path; a password in the session header", () => {
    expect(exchangeLeaks({ ...call, responseHeaders: { "set-cookie": `sid=${SID}` } }, secrets)).toEqual([
      "session id 1 in the response header set-cookie of POST /api/v1.0/HostGroup.FindHosts",
    ]);
    expect(exchangeLeaks({ ...call, response: JSON.stringify({ s: SID }) }, secrets)).toEqual([
      "session id 1 in the response body of POST /api/v1.0/HostGroup.FindHosts",
    ]);
    const inPath = exchange(`/api/v1.0/Session.Ping?s=${encodeURIComponent(SID)}`);
    expect(exchangeLeaks(inPath, secrets)).toEqual([
      `session id 1 in the request line of POST ${inPath.path}`,
    ]);
    expect(exchangeLeaks({ ...call, headers: { "x-ksc-session": PASSWORD } }, secrets)).toEqual([
      "password in the request header x-ksc-session of POST /api/v1.0/HostGroup.FindHosts",
    ]);
  });

  test("planted: the password in a request body, and in the login reply", () => {
    const body = exchange("/api/v1.0/Policy.AddPolicy", { body: JSON.stringify({ note: PASSWORD }) });
    expect(exchangeLeaks(body, secrets)).toEqual([
      "password in the request body of POST /api/v1.0/Policy.AddPolicy",
    ]);
    expect(exchangeLeaks({ ...login, response: JSON.stringify({ echo: PASSWORD }) }, secrets)).toEqual([
      "password in the response body of POST /api/v1.0/Session.StartSession",
    ]);
  });
});

describe("files of a state folder", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-"));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("planted: a leak in a nested history file and in a gzip checkpoint are found", () => {
    const history = path.join(dir, ".pulumi", "history", "p", "s");
    fs.mkdirSync(history, { recursive: true });
    fs.writeFileSync(path.join(dir, ".pulumi", "meta.yaml"), "version: 1\n");
    fs.writeFileSync(path.join(history, "s-1.history.json"), JSON.stringify({ env: { pw: PASSWORD } }));
    fs.writeFileSync(
      path.join(history, "s-1.checkpoint.json.gz"),
      zlib.gzipSync(JSON.stringify({ sid: SID })),
    );
    const found = filesBelow(dir).flatMap((f) => leaks(f.text, secrets).map((n) => `${n} in ${f.file}`));
    expect(found.sort()).toEqual([
      `password in ${path.join(".pulumi", "history", "p", "s", "s-1.history.json")}`,
      `session id 1 in ${path.join(".pulumi", "history", "p", "s", "s-1.checkpoint.json.gz")}`,
    ]);
    expect(filesBelow(path.join(dir, "missing"))).toEqual([]);
  });
});
