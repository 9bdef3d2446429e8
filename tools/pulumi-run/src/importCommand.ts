// `pulumi import` and pulumi-ksc: dynamic resources cannot be imported (pulumi/pulumi#3550), and without the
// pulumi-language-nodejs plugin the CLI cannot import anything into a Node.js project (it needs the plugin to
// write the program code). Left alone, the CLI says only "no language plugin 'pulumi-language-nodejs' found",
// which sends people looking for a plugin. The runner says what does work instead.
import * as path from "path";
import { GLOBAL_FLAGS_WITH_VALUE } from "./args";

/** The type token of Pulumi dynamic resources, which every pulumi-ksc resource has. */
export const DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

/** Flags of `pulumi import` that take a separate value (besides the global ones). */
const IMPORT_FLAGS_WITH_VALUE = new Set([
  "--config-file",
  "-f",
  "--file",
  "--from",
  "--generate-resources",
  "-m",
  "--message",
  "-o",
  "--out",
  "-p",
  "--parallel",
  "--parent",
  "--properties",
  "--provider",
  "-s",
  "--stack",
]);

interface ImportArgs {
  /** Positional arguments after `import`: [type, name, id] for a single resource. */
  positional: string[];
  /** `--file`/`-f`, if given. */
  file?: string;
  /** `--cwd`/`-C`, if given (a relative --file is relative to it). */
  cwd?: string;
}

function parseImportArgs(args: string[]): ImportArgs {
  const result: ImportArgs = { positional: [] };
  let seenCommand = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      if (seenCommand) result.positional.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("-")) {
      const eq = arg.indexOf("=");
      const name = eq === -1 ? arg : arg.slice(0, eq);
      const takesValue = GLOBAL_FLAGS_WITH_VALUE.has(name) || IMPORT_FLAGS_WITH_VALUE.has(name);
      const value = eq !== -1 ? arg.slice(eq + 1) : takesValue ? args[++i] : undefined;
      if (name === "-f" || name === "--file") result.file = value;
      if (name === "-C" || name === "--cwd") result.cwd = value;
      continue;
    }
    if (seenCommand) result.positional.push(arg);
    else seenCommand = true;
  }
  return result;
}

/** The resource types a `pulumi import` command line names (the positional type, or those in --file). */
export function importedTypes(args: string[], readFile: (file: string) => string): string[] {
  const parsed = parseImportArgs(args);
  if (parsed.positional.length > 0) return [parsed.positional[0]];
  if (parsed.file === undefined) return [];
  try {
    const file = path.resolve(parsed.cwd ?? ".", parsed.file);
    const json = JSON.parse(readFile(file)) as { resources?: { type?: unknown }[] };
    return (json.resources ?? []).map((r) => r.type).filter((t): t is string => typeof t === "string");
  } catch {
    return []; // the CLI reports an unreadable file itself
  }
}

const INSTEAD = [
  "To manage objects that already exist in the console:",
  "  - declare them with `adopt: true`: the first `pulumi up` takes each one over instead of creating it",
  "    (docs/README.md; what adopt does for each resource: docs/distribution-point.md, docs/push-server.md,",
  "    docs/network-agent-policy.md);",
  "  - or let `pulumi-ksc generate` write that program for you, with every distribution point, push server",
  '    and Network Agent policy of the groups you name (README: "Take over what exists: generate").',
].join("\n");

/**
 * Why the runner will not pass this `pulumi import` on, or undefined to pass it on. `languageHost` says
 * whether the CLI has the pulumi-language-nodejs plugin.
 */
export function importRefusal(
  args: string[],
  languageHost: boolean,
  readFile: (file: string) => string,
): string | undefined {
  if (args.includes("--help") || args.includes("-h")) return undefined;
  const types = importedTypes(args, readFile);
  if (types.includes(DYNAMIC_TYPE)) {
    return (
      `pulumi-ksc-run: \`pulumi import\` cannot take over ${DYNAMIC_TYPE} resources: pulumi-ksc's resources are ` +
      "dynamic resources, and Pulumi cannot import dynamic resources (https://github.com/pulumi/pulumi/issues/3550).\n" +
      INSTEAD
    );
  }
  if (languageHost) return undefined;
  return (
    "pulumi-ksc-run: `pulumi import` needs the pulumi-language-nodejs plugin, which this Pulumi CLI does not have " +
    "(tools/pulumi-run/README.md). It would not help with pulumi-ksc anyway: its resources are dynamic resources, " +
    "and Pulumi cannot import dynamic resources (https://github.com/pulumi/pulumi/issues/3550).\n" +
    INSTEAD
  );
}
