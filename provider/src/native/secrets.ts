// Secret values on the wire of a native provider. The SDK's provider server tells the engine it accepts secrets, so
// a secret input arrives wrapped: `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value":
// …}`. The resource logic gets plain values; an output is wrapped again when its input was secret, which is what
// the engine itself does for a provider that does not accept secrets (docs/native-plugin.md, "Secrets").

/** The marker key of special values, and its value for a secret. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Json = unknown;

function isSecretValue(v: Json): v is { [SIG_KEY]: string; value?: Json } {
  return (
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    (v as Record<string, Json>)[SIG_KEY] === SECRET_SIG
  );
}

/** The value with every secret wrapper removed, at any depth. */
export function unwrapSecrets(v: Json): Json {
  if (isSecretValue(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

/** Whether the value is or holds a secret. */
export function containsSecret(v: Json): boolean {
  if (isSecretValue(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (v !== null && typeof v === "object") return Object.values(v).some(containsSecret);
  return false;
}

export function wrapSecret(v: Json): Json {
  return { [SIG_KEY]: SECRET_SIG, value: v };
}

/** The top-level properties of `inputs` that are or hold a secret. */
export function secretKeys(inputs: Record<string, Json> | undefined): Set<string> {
  return new Set(Object.entries(inputs ?? {}).flatMap(([k, v]) => (containsSecret(v) ? [k] : [])));
}

/** `outs` with each property named in `secret` wrapped as a secret (an output follows its input). */
export function markSecrets<T>(outs: T, secret: Set<string>): T {
  if (secret.size === 0 || outs === null || typeof outs !== "object" || Array.isArray(outs)) return outs;
  return Object.fromEntries(
    Object.entries(outs).map(([k, v]) => [k, secret.has(k) && !isSecretValue(v) ? wrapSecret(v) : v]),
  ) as T;
}
