import {
  containsSecret,
  markSecrets,
  secretKeys,
  SECRET_SIG,
  SIG_KEY,
  unwrapSecrets,
  wrapSecret,
} from "./secrets";

const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

describe("secret values on the native plugin's wire", () => {
  test("unwrapSecrets removes the wrappers at any depth and leaves everything else as it is", () => {
    expect(
      unwrapSecrets({
        port: secret(13295),
        scopeGroups: [secret("Managed devices/Branch Milan"), "Managed devices"],
        forceConnectionThroughDp: { value: secret(true), locked: true },
        nested: secret(secret("x")),
        plain: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      }),
    ).toEqual({
      port: 13295,
      scopeGroups: ["Managed devices/Branch Milan", "Managed devices"],
      forceConnectionThroughDp: { value: true, locked: true },
      nested: "x",
      plain: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    });
  });

  test("another special value (same marker key, another signature) is not a secret", () => {
    const asset = { [SIG_KEY]: "c44067f5952c0a294b673a41bacd8c17", path: "x" };
    expect(containsSecret(asset)).toBe(false);
    expect(unwrapSecrets(asset)).toEqual(asset);
  });

  test("secretKeys names the top-level inputs that are or hold a secret", () => {
    expect([
      ...secretKeys({ port: secret(1), group: "g", useUdpPort: { value: secret(false), locked: false } }),
    ]).toEqual(["port", "useUdpPort"]);
    expect(secretKeys(undefined).size).toBe(0);
  });

  test("markSecrets wraps each output whose input was secret, once", () => {
    const outs = { port: 13295, hostId: "h", adopted: false, already: wrapSecret(1) };
    expect(markSecrets(outs, new Set(["port", "already", "absent"]))).toEqual({
      port: secret(13295),
      hostId: "h",
      adopted: false,
      already: secret(1),
    });
    expect(markSecrets(outs, new Set())).toBe(outs);
  });
});
