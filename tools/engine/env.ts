// The offline Pulumi environment for engine runs, read from tools/engine/offline.env (its only
// definition; scripts/pulumi-env.sh reads the same file for the Makefile and shells).
import * as fs from "fs";
import * as path from "path";

/** The repository root (this file lives in tools/engine/). */
export const repoRoot = path.resolve(__dirname, "..", "..");

export const envDefinitionFile = path.join(repoRoot, "tools", "engine", "offline.env");

export type EnvRule =
  | { kind: "set"; name: string; value: string; keepCallerValue: boolean }
  | { kind: "unset"; name: string };

/** Parses offline.env: `NAME=value`, `NAME?=value` (caller's value wins), `-NAME` (unset), `#` comments. */
export function parseEnvDefinition(text: string): EnvRule[] {
  const rules: EnvRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("-")) {
      rules.push({ kind: "unset", name: line.slice(1) });
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`offline.env: cannot parse line "${line}"`);
    const left = line.slice(0, eq);
    const keepCallerValue = left.endsWith("?");
    rules.push({
      kind: "set",
      name: keepCallerValue ? left.slice(0, -1) : left,
      value: line.slice(eq + 1),
      keepCallerValue,
    });
  }
  return rules;
}

export interface ApplyOptions {
  root: string;
  /** Honour `?=` (keep a value the caller already set). Engine tests pass false: they are hermetic. */
  keepCallerValues: boolean;
}

/** Applies the rules to a copy of `base` and returns it. */
export function applyEnvRules(
  rules: EnvRule[],
  base: NodeJS.ProcessEnv,
  opts: ApplyOptions,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const rule of rules) {
    if (rule.kind === "unset") {
      delete env[rule.name];
      continue;
    }
    if (rule.keepCallerValue && opts.keepCallerValues && env[rule.name]) continue;
    env[rule.name] = rule.value
      .split("{root}")
      .join(opts.root)
      .split("{PATH}")
      .join(base.PATH ?? "");
  }
  return env;
}

export interface OfflineEnvOptions {
  /** Start from this environment (default: process.env). */
  base?: NodeJS.ProcessEnv;
  /** Keep the caller's PULUMI_BACKEND_URL / PULUMI_CONFIG_PASSPHRASE (default false: hermetic). */
  keepCallerValues?: boolean;
  /** Applied last, e.g. `{ PULUMI_BACKEND_URL: "file:///tmp/x" }`; `undefined` removes a variable. */
  overrides?: Record<string, string | undefined>;
}

/** The environment for one engine run. */
export function offlineEnv(opts: OfflineEnvOptions = {}): NodeJS.ProcessEnv {
  const rules = parseEnvDefinition(fs.readFileSync(envDefinitionFile, "utf8"));
  const env = applyEnvRules(rules, opts.base ?? process.env, {
    root: repoRoot,
    keepCallerValues: opts.keepCallerValues ?? false,
  });
  for (const [name, value] of Object.entries(opts.overrides ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
