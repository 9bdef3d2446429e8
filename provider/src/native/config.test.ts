import { pulumiConfigSource, PULUMI_CONFIG_ENV } from "./config";
import { readProviderConfig } from "../pulumi/config";

describe("the native plugin's configuration (PULUMI_CONFIG)", () => {
  const env = (config: unknown): NodeJS.ProcessEnv => ({
    [PULUMI_CONFIG_ENV]: typeof config === "string" ? config : JSON.stringify(config),
  });

  test("keys of the ksc namespace come from the engine's JSON, which has them without the namespace", () => {
    const source = pulumiConfigSource(
      env({ serverUrl: "https://ksc:13299", user: "pulumi", password: "pw" }),
    );
    expect(source.get("ksc:serverUrl")).toBe("https://ksc:13299");
    expect(source.get("ksc:password")).toBe("pw");
    expect(source.get("serverUrl")).toBeUndefined();
    expect(source.get("other:serverUrl")).toBeUndefined();
    expect(source.get("ksc:caCert")).toBeUndefined();
  });

  test("the shared reader turns it into client settings, configuration first, KSC_* variables after", () => {
    const settings = readProviderConfig(
      pulumiConfigSource(
        env({ serverUrl: "https://ksc:13299", user: "pulumi", password: "pw", timeoutMs: "5000" }),
      ),
      { KSC_SERVER_URL: "https://other:13299", KSC_INSECURE_SKIP_VERIFY: "true" },
    );
    expect(settings.client).toMatchObject({
      serverUrl: "https://ksc:13299",
      auth: { kind: "basic", user: "pulumi", password: "pw" },
      timeoutMs: 5000,
      insecureSkipVerify: true,
    });
    expect(settings.sources).toMatchObject({
      serverUrl: "ksc:serverUrl",
      password: "ksc:password",
      insecureSkipVerify: "KSC_INSECURE_SKIP_VERIFY",
    });
  });

  test.each([
    ["missing", undefined],
    ["not JSON", "{password: pw"],
    ["not an object", '["pw"]'],
    ["null", "null"],
  ])("a variable that is %s is an empty source", (_what, text) => {
    const source = pulumiConfigSource(text === undefined ? {} : { [PULUMI_CONFIG_ENV]: text });
    expect(source.get("ksc:password")).toBeUndefined();
  });

  test("a structured value arrives as its JSON text", () => {
    expect(pulumiConfigSource(env({ timeoutMs: 5000 })).get("ksc:timeoutMs")).toBe("5000");
  });
});
