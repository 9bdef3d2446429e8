// The KSC connection of the CLI: the same configuration as the provider (provider/src/pulumi/config.ts reads it),
// from a stack's `pulumi config` when --stack is given, otherwise from the KSC_* environment variables.
import * as path from "path";
import { KscClientHandle, createClient } from "../ksc";
import { KeyNames } from "../ksc/keys";
import {
  CONFIG_NAMESPACE,
  ConfigError,
  ConfigSource,
  ProviderSettings,
  readProviderConfig,
} from "../pulumi/config";
import { ParsedArgs, OptionSpec } from "./args";
import { UsageError } from "./exitCodes";
import { CliIo, runPulumiCli } from "./io";

/** Options every command that talks to the server accepts. */
export const CONNECTION_OPTIONS: OptionSpec = {
  stack: "value",
  cwd: "value",
  "key-names": "value",
  verbose: "flag",
};

export const CONNECTION_HELP = `Connection (the same settings as the provider):
  --stack NAME       read ksc:* from this stack's configuration (\`pulumi config --show-secrets\`)
  --cwd DIR          the Pulumi project directory of --stack (default: the current directory)
  --key-names FILE   key-name override file to use (instead of ksc:keyNamesFile / KSC_KEY_NAMES_FILE)
  --verbose          log the session and every KSC call (method and duration; never credentials)
  Without --stack: KSC_SERVER_URL, KSC_USER, KSC_PASSWORD (or KSC_TOKEN, KSC_WEB_TOKEN), KSC_DOMAIN,
  KSC_INTERNAL, KSC_VSERVER, KSC_CA_CERT, KSC_INSECURE_SKIP_VERIFY, KSC_TIMEOUT_MS, KSC_MAX_IN_FLIGHT,
  KSC_KEY_NAMES_FILE.`;

/** Settings that may hold a file path: relative paths in a project's config are relative to the project. */
const PATH_SETTINGS = new Set([`${CONFIG_NAMESPACE}:keyNamesFile`, `${CONFIG_NAMESPACE}:caCert`]);

/** `pulumi config --json` output → "ksc:name" → value. */
export function parsePulumiConfigJson(text: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError("`pulumi config --json` did not print JSON");
  }
  const out = new Map<string, string>();
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return out;
  for (const [key, entry] of Object.entries(parsed as Record<string, unknown>)) {
    if (entry === null || typeof entry !== "object") continue;
    const e = entry as { value?: unknown; objectValue?: unknown };
    if (typeof e.value === "string") out.set(key, e.value);
    else if (e.objectValue !== undefined) out.set(key, JSON.stringify(e.objectValue));
  }
  return out;
}

/** A config source over a key → value map: relative file paths resolved against `baseDir`, PEM text kept. */
export function configSource(values: Map<string, string>, baseDir: string): ConfigSource {
  return {
    get(key) {
      const v = values.get(key);
      if (v === undefined || !PATH_SETTINGS.has(key) || v.includes("-----BEGIN") || path.isAbsolute(v))
        return v;
      return path.resolve(baseDir, v);
    },
  };
}

export interface Connection {
  client: KscClientHandle;
  keyNames: KeyNames;
  /** The key-name override file in use, if any (absolute path). */
  keyNamesFile?: string;
  /** Where each setting came from (config key or environment variable), never the values. */
  sources: Record<string, string>;
}

export async function connect(args: ParsedArgs, io: CliIo): Promise<Connection> {
  const values = new Map<string, string>();
  const stack = args.one("stack");
  const projectDir = path.resolve(io.cwd, args.one("cwd") ?? ".");
  if (args.has("cwd") && !stack)
    throw new UsageError("--cwd is the project directory of --stack: give --stack too");
  if (stack) {
    const run = io.runPulumi ?? runPulumiCli;
    let text: string;
    try {
      text = await run(
        ["config", "--json", "--show-secrets", "--stack", stack, "--cwd", projectDir],
        projectDir,
        io.env,
      );
    } catch (err) {
      throw new UsageError(
        `cannot read the configuration of stack ${JSON.stringify(stack)}: ${errorText(err)}`,
      );
    }
    for (const [k, v] of parsePulumiConfigJson(text)) values.set(k, v);
  }
  const keyNamesArg = args.one("key-names");
  if (keyNamesArg !== undefined)
    values.set(`${CONFIG_NAMESPACE}:keyNamesFile`, path.resolve(io.cwd, keyNamesArg));
  // Environment paths are relative to where the command runs.
  const env = { ...io.env };
  for (const name of ["KSC_KEY_NAMES_FILE", "KSC_CA_CERT"]) {
    const v = env[name];
    if (v && !v.includes("-----BEGIN") && !path.isAbsolute(v)) env[name] = path.resolve(io.cwd, v);
  }
  const source = configSource(values, stack ? projectDir : io.cwd);
  let settings: ProviderSettings;
  try {
    settings = readProviderConfig(source, env);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const verbose = args.has("verbose");
  const client = createClient({
    ...settings.client,
    logger: (level, message) => {
      if (level === "warn" || verbose) io.err(`${level}: ${message}`);
    },
  });
  const from = settings.sources.keyNamesFile;
  const keyNamesFile = from === undefined ? undefined : from.includes(":") ? source.get(from) : env[from];
  return { client, keyNames: settings.keyNames, keyNamesFile, sources: settings.sources };
}

/** Run `fn` with a connection; the session always ends. */
export async function withConnection<T>(
  args: ParsedArgs,
  io: CliIo,
  fn: (c: Connection) => Promise<T>,
): Promise<T> {
  const c = await connect(args, io);
  try {
    return await fn(c);
  } finally {
    await c.client.close().catch(() => undefined);
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
