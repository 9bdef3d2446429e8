// Where the native plugin gets the `ksc:*` configuration (docs/native-plugin.md, "Configuration").
//
// The SDK's provider server (@pulumi/pulumi/provider, 3.248) answers Configure without looking at the request and
// leaves CheckConfig/DiffConfig unimplemented, so the plugin never sees the provider's arguments. The engine also
// starts every resource plugin with PULUMI_CONFIG in its environment: the stack's configuration of the plugin's
// namespace as JSON, keys without the namespace (`{"serverUrl": "https://…", "password": "…"}`), decrypted. It is
// built from the stack's configuration as it is now for every command — up, preview, refresh, destroy, import —
// whether the program runs or not, so it never is the copy saved in the state at the last `pulumi up`.
import type { ConfigSource } from "../pulumi/config";
import { CONFIG_NAMESPACE } from "../pulumi/config";

/** The engine's variable with the plugin's configuration. */
export const PULUMI_CONFIG_ENV = "PULUMI_CONFIG";

/**
 * The configuration in PULUMI_CONFIG as the shared glue reads configuration: keys `ksc:<name>`. A variable that is
 * missing or not a JSON object gives an empty source (the KSC_* variables still apply); its text is never quoted in
 * an error, since it holds the password.
 */
export function pulumiConfigSource(env: NodeJS.ProcessEnv): ConfigSource {
  const values = parseConfig(env[PULUMI_CONFIG_ENV]);
  const prefix = `${CONFIG_NAMESPACE}:`;
  return {
    get: (key) => (key.startsWith(prefix) ? values[key.slice(prefix.length)] : undefined),
  };
}

function parseConfig(text: string | undefined): Record<string, string> {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    // The engine sends strings; a structured value would arrive as its JSON text.
    if (typeof v === "string") out[k] = v;
    else if (v !== null && v !== undefined) out[k] = JSON.stringify(v);
  }
  return out;
}
