import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, ConfigSource, readProviderConfig, runsProgram, savedConfigurationRisk } from "./config";

const source = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });
const PASSWORD = "S3cret-Pa55word";

describe("provider configuration", () => {
  test("reads ksc:* stack configuration into the client configuration", () => {
    const s = readProviderConfig(
      source({
        "ksc:serverUrl": "https://ksc.example.com:13299",
        "ksc:user": "svc",
        "ksc:password": PASSWORD,
        "ksc:domain": "CORP",
        "ksc:virtualServer": "vs1",
        "ksc:insecureSkipVerify": "true",
        "ksc:timeoutMs": "5000",
        "ksc:maxInFlight": "2",
        "other:serverUrl": "https://wrong",
      }),
      {},
    );
    expect(s.client).toMatchObject({
      serverUrl: "https://ksc.example.com:13299",
      auth: { kind: "basic", user: "svc", password: PASSWORD, domain: "CORP" },
      virtualServer: "vs1",
      insecureSkipVerify: true,
      timeoutMs: 5000,
      maxInFlight: 2,
    });
    expect(s.sources.serverUrl).toBe("ksc:serverUrl");
    expect(s.keyNames.dp.pushServerPort).toBe("PROPOSED_UaPushServerPort");
  });

  test("falls back to the KSC_* environment variables; stack configuration wins", () => {
    const env = {
      KSC_SERVER_URL: "http://127.0.0.1:1",
      KSC_USER: "env-user",
      KSC_PASSWORD: PASSWORD,
      KSC_INTERNAL: "0",
    };
    const fromEnv = readProviderConfig(undefined, env);
    expect(fromEnv.client).toMatchObject({
      serverUrl: "http://127.0.0.1:1",
      auth: { kind: "basic", user: "env-user", internal: false },
    });
    expect(fromEnv.sources.user).toBe("KSC_USER");
    const mixed = readProviderConfig(source({ "ksc:user": "cfg-user" }), env);
    expect(mixed.client.auth).toMatchObject({ user: "cfg-user" });
  });

  test("a token or web token is used instead of user and password", () => {
    expect(
      readProviderConfig(undefined, { KSC_SERVER_URL: "http://h", KSC_TOKEN: "tok-123456" }).client.auth,
    ).toEqual({ kind: "token", token: "tok-123456" });
    expect(
      readProviderConfig(undefined, { KSC_SERVER_URL: "http://h", KSC_WEB_TOKEN: "wt-123456" }).client.auth,
    ).toEqual({ kind: "webToken", token: "wt-123456" });
  });

  test.each<[string, Record<string, string>, RegExp]>([
    [
      "no server",
      { KSC_USER: "u", KSC_PASSWORD: PASSWORD },
      /the KSC server is not configured: run `pulumi config set ksc:serverUrl https:\/\/<server>:13299` or set KSC_SERVER_URL/,
    ],
    [
      "no credentials",
      { KSC_SERVER_URL: "http://h" },
      /no KSC credentials configured: set ksc:user \(or KSC_USER\) and ksc:password \(or KSC_PASSWORD\) \(secret\), or ksc:token/,
    ],
    [
      "a user without password",
      { KSC_SERVER_URL: "http://h", KSC_USER: "u" },
      /no password for the KSC user "u": run `pulumi config set --secret ksc:password …` or set KSC_PASSWORD/,
    ],
    [
      "a server address that is not a URL",
      { KSC_SERVER_URL: "ksc.example.com", KSC_TOKEN: "t" },
      /KSC_SERVER_URL: must be an http\(s\) URL/,
    ],
    [
      "a timeout that is not a number",
      { KSC_SERVER_URL: "http://h", KSC_TOKEN: "t", KSC_TIMEOUT_MS: "soon" },
      /KSC_TIMEOUT_MS: must be a whole number, got "soon"/,
    ],
    [
      "a timeout too small",
      { KSC_SERVER_URL: "http://h", KSC_TOKEN: "t", KSC_TIMEOUT_MS: "5" },
      /KSC_TIMEOUT_MS: must be between 100 and 3600000, got 5/,
    ],
    [
      "a flag that is not true/false",
      { KSC_SERVER_URL: "http://h", KSC_TOKEN: "t", KSC_INSECURE_SKIP_VERIFY: "maybe" },
      /KSC_INSECURE_SKIP_VERIFY: must be true or false/,
    ],
    [
      "a missing key-name file",
      { KSC_SERVER_URL: "http://h", KSC_TOKEN: "t", KSC_KEY_NAMES_FILE: "/nonexistent/keys.json" },
      /^KSC_KEY_NAMES_FILE: key-name override file \/nonexistent\/keys.json: cannot read it/,
    ],
  ])("%s is a clear error", (_name, env, message) => {
    const err = (() => {
      try {
        readProviderConfig(undefined, env);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain(PASSWORD);
  });

  test("a key-name file overrides the proposed names for the client and the resources", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ksc-keys-")), "keys.json");
    fs.writeFileSync(file, JSON.stringify({ dp: { pushServerPort: "RealPushPort" } }));
    const s = readProviderConfig(source({ "ksc:keyNamesFile": file }), {
      KSC_SERVER_URL: "http://h",
      KSC_TOKEN: "t",
    });
    expect(s.keyNames.dp.pushServerPort).toBe("RealPushPort");
    expect(s.client.keyNames?.dp.pushServerPort).toBe("RealPushPort");
  });
});

describe("configuration that may be the copy saved at the last up", () => {
  const stored = source({
    "ksc:serverUrl": "https://old:13299",
    "ksc:user": "svc",
    "ksc:password": PASSWORD,
  });
  const sources = readProviderConfig(stored, {}).sources;

  test("a read or delete without the program, with ksc:* settings: refused, naming them and the fix", () => {
    const err = savedConfigurationRisk(sources, { programCall: false, env: {} });
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).toMatch(/^not using ksc:serverUrl, ksc:user, ksc:password: /);
    expect(err?.message).toContain("PULUMI_RUN_PROGRAM=true pulumi refresh");
    expect(err?.message).toContain("Nothing was sent to the KSC server");
    expect(err?.message).not.toContain(PASSWORD);
    expect(err?.message).not.toContain("https://old");
  });

  test("after a check, create or update in this process the configuration is the current one", () => {
    expect(savedConfigurationRisk(sources, { programCall: true, env: {} })).toBeUndefined();
  });

  test("PULUMI_RUN_PROGRAM read as the Pulumi CLI reads it", () => {
    for (const v of ["1", "true", "TRUE", "True"]) {
      expect(runsProgram({ PULUMI_RUN_PROGRAM: v })).toBe(true);
      expect(savedConfigurationRisk(sources, { programCall: false, env: { PULUMI_RUN_PROGRAM: v } })).toBe(
        undefined,
      );
    }
    for (const v of ["", "0", "false", "yes", "on"]) {
      expect(runsProgram({ PULUMI_RUN_PROGRAM: v })).toBe(false);
      expect(
        savedConfigurationRisk(sources, { programCall: false, env: { PULUMI_RUN_PROGRAM: v } }),
      ).toBeInstanceOf(ConfigError);
    }
  });

  test("settings from KSC_* environment variables are read now: no risk; a mix names only the ksc:* ones", () => {
    const env = { KSC_SERVER_URL: "http://h", KSC_USER: "svc", KSC_PASSWORD: PASSWORD };
    const fromEnv = readProviderConfig(undefined, env).sources;
    expect(savedConfigurationRisk(fromEnv, { programCall: false, env })).toBeUndefined();
    const mixed = readProviderConfig(source({ "ksc:serverUrl": "http://other" }), env).sources;
    expect(savedConfigurationRisk(mixed, { programCall: false, env })?.message).toMatch(
      /^not using ksc:serverUrl: /,
    );
  });
});
