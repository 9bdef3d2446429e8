// The provider configuration, read at run time in the provider process: `pulumi config` (namespace ksc, handed to
// configure() with keys "ksc:<name>") first, then the KSC_* environment variables. The variable names, their types,
// which are secret, their environment variables and their limits all come from schema.json (config.variables).
// Nothing read here is ever captured into the serialized provider or put into a message.
//
// What configure() is handed depends on the command (docs/configuration.md, "Which configuration each command
// uses"): the stack's configuration as it is now when the program runs, but the copy saved in the state at the
// last `pulumi up` for `pulumi refresh`, `pulumi destroy` and the refresh part of `--refresh` unless the CLI runs
// the program for them. savedConfigurationRisk() decides, before any login, whether that copy may be in use.
import type { KscClientConfig } from "../ksc";
import { KeyNames, loadKeyNames } from "../ksc/keys";
import { describeFailure } from "../resources/common";
import { PACKAGE_SCHEMA } from "../resources/schema.generated";
import { configValidator, failuresOf } from "../resources/validation";

/** What configure() receives: the whole stack configuration, keys "namespace:key". */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export const CONFIG_NAMESPACE = PACKAGE_SCHEMA.name;

/** A configuration problem a person can fix; names the config key and the environment variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

type Raw = { value: string; from: string };

function lookup(name: string, source: ConfigSource | undefined, env: NodeJS.ProcessEnv): Raw | undefined {
  const key = `${CONFIG_NAMESPACE}:${name}`;
  const fromConfig = source?.get(key);
  if (fromConfig !== undefined && fromConfig !== "") return { value: fromConfig, from: key };
  for (const variable of PACKAGE_SCHEMA.config.variables[name].defaultInfo?.environment ?? []) {
    const v = env[variable];
    if (v !== undefined && v !== "") return { value: v, from: variable };
  }
  return undefined;
}

function where(name: string): string {
  const envs = PACKAGE_SCHEMA.config.variables[name].defaultInfo?.environment ?? [];
  return `${CONFIG_NAMESPACE}:${name}${envs.length ? ` (or ${envs.join(", ")})` : ""}`;
}

function parse(name: string, raw: Raw): string | number | boolean {
  const spec = PACKAGE_SCHEMA.config.variables[name];
  const text = raw.value.trim();
  if (spec.type === "boolean") {
    if (/^(true|1|yes|on)$/i.test(text)) return true;
    if (/^(false|0|no|off)$/i.test(text)) return false;
    throw new ConfigError(`${raw.from}: must be true or false, got ${JSON.stringify(raw.value)}`);
  }
  if (spec.type === "integer") {
    if (!/^-?\d+$/.test(text))
      throw new ConfigError(`${raw.from}: must be a whole number, got ${JSON.stringify(raw.value)}`);
    return Number(text);
  }
  return spec.secret ? raw.value : text;
}

export interface ProviderSettings {
  client: KscClientConfig;
  keyNames: KeyNames;
  /** Where each value came from (config key or environment variable), never the values. */
  sources: Record<string, string>;
}

/** Read and check the configuration. Throws a ConfigError naming the key when something is missing or wrong. */
export function readProviderConfig(
  source: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ProviderSettings {
  const values: Record<string, string | number | boolean> = {};
  const sources: Record<string, string> = {};
  for (const name of Object.keys(PACKAGE_SCHEMA.config.variables)) {
    const raw = lookup(name, source, env);
    if (!raw) continue;
    values[name] = parse(name, raw);
    sources[name] = raw.from;
  }
  const validate = configValidator();
  if (!validate({ ...values })) {
    const secret = (p: string) => PACKAGE_SCHEMA.config.variables[p]?.secret === true;
    const failures = failuresOf(validate.errors ?? [], [], Object.keys(PACKAGE_SCHEMA.config.variables)).map(
      (f) => ({
        property: sources[f.property] ?? `${CONFIG_NAMESPACE}:${f.property}`,
        // A secret's value never goes into a message.
        reason: secret(f.property) ? f.reason.replace(/, got .*$/, "") : f.reason,
      }),
    );
    throw new ConfigError(`invalid KSC provider configuration: ${failures.map(describeFailure).join("; ")}`);
  }
  const str = (n: string) => values[n] as string | undefined;
  const serverUrl = str("serverUrl");
  if (!serverUrl) {
    throw new ConfigError(
      `the KSC server is not configured: run \`pulumi config set ${CONFIG_NAMESPACE}:serverUrl https://<server>:13299\` or set ${PACKAGE_SCHEMA.config.variables.serverUrl.defaultInfo?.environment?.[0]}`,
    );
  }
  let auth: KscClientConfig["auth"];
  if (str("token")) auth = { kind: "token", token: str("token")! };
  else if (str("webToken")) auth = { kind: "webToken", token: str("webToken")! };
  else if (str("user")) {
    const password = str("password");
    if (password === undefined) {
      throw new ConfigError(
        `no password for the KSC user ${JSON.stringify(str("user"))}: run \`pulumi config set --secret ${CONFIG_NAMESPACE}:password …\` or set ${where("password").replace(/^.*\(or (.*)\)$/, "$1")}`,
      );
    }
    const domain = str("domain");
    auth = { kind: "basic", user: str("user")!, password };
    if (domain) auth.domain = domain;
    // Default (the client's): internal without a domain, a Windows account with one.
    if (values.internal !== undefined) auth.internal = values.internal as boolean;
  } else {
    throw new ConfigError(
      `no KSC credentials configured: set ${where("user")} and ${where("password")} (secret), or ${where("token")}, or ${where("webToken")}`,
    );
  }
  const client: KscClientConfig = { serverUrl, auth };
  if (str("virtualServer")) client.virtualServer = str("virtualServer");
  // PEM text or a file path; the client reads the file and names the setting when it cannot.
  if (str("caCert")) client.caCert = str("caCert");
  if (values.insecureSkipVerify !== undefined)
    client.insecureSkipVerify = values.insecureSkipVerify as boolean;
  if (values.timeoutMs !== undefined) client.timeoutMs = values.timeoutMs as number;
  if (values.maxInFlight !== undefined) client.maxInFlight = values.maxInFlight as number;
  let keyNames: KeyNames;
  try {
    keyNames = loadKeyNames(str("keyNamesFile"));
  } catch (err) {
    throw new ConfigError(`${sources.keyNamesFile}: ${err instanceof Error ? err.message : String(err)}`);
  }
  client.keyNames = keyNames;
  return { client, keyNames, sources };
}

/**
 * The Pulumi CLI's own switch (same as `--run-program` on refresh, destroy and `--refresh`): with it true the
 * program runs for those commands too, and the provider is handed the stack's configuration as it is now. The
 * provider process inherits the CLI's environment, so it sees the variable (it cannot see a command-line flag).
 */
export const RUN_PROGRAM_ENV = "PULUMI_RUN_PROGRAM";

/** The CLI's reading of a boolean variable: "1" or "true" in any case (pulumi/sdk env.BoolValue). */
export function runsProgram(env: NodeJS.ProcessEnv): boolean {
  const v = env[RUN_PROGRAM_ENV];
  return v !== undefined && (v === "1" || v.toLowerCase() === "true");
}

/**
 * Whether the settings about to be used may be the copy saved in the state rather than the stack's configuration
 * now, and if so the error to stop with, before anything is sent to the server.
 *
 * - `programCall`: this process has already been asked to check, create or update a resource. Only resources the
 *   program declares in this run get those calls, through the provider the engine configured from the current
 *   configuration. (Read and delete also reach providers rebuilt from the state.)
 * - Settings from KSC_* environment variables are read now, in every command; only `ksc:*` keys can be stale.
 * - PULUMI_RUN_PROGRAM=true: the CLI ran the program, so the configuration handed over is the current one.
 *
 * The error names the settings (never a value) and the way to run the command with the current configuration.
 */
export function savedConfigurationRisk(
  sources: Record<string, string>,
  opts: { programCall: boolean; env: NodeJS.ProcessEnv },
): ConfigError | undefined {
  if (opts.programCall || runsProgram(opts.env)) return undefined;
  const fromConfig = Object.values(sources).filter((from) => from.startsWith(`${CONFIG_NAMESPACE}:`));
  if (fromConfig.length === 0) return undefined;
  return new ConfigError(
    `not using ${fromConfig.join(", ")}: without the program, refresh, destroy and --refresh get the copy saved ` +
      `at the last \`pulumi up\`, which may hold an old password or server. Nothing was sent to the KSC server. ` +
      `Run it with the program, e.g. \`PULUMI_RUN_PROGRAM=true pulumi refresh\` (likewise destroy; the provider ` +
      `cannot see a --run-program flag; docs/configuration.md, "Which configuration each command uses").`,
  );
}
