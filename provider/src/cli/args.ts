// A small command-line parser (no dependencies): `--name value`, `--name=value`, repeatable options, flags,
// positionals, and `--` to end options. Unknown options are usage errors, so a typo never passes silently.
import { UsageError } from "./exitCodes";

/** flag: no value; value: one value; multi: may be given several times. */
export type OptionKind = "flag" | "value" | "multi";
export type OptionSpec = Record<string, OptionKind>;

export class ParsedArgs {
  constructor(
    readonly positionals: string[],
    private readonly values: Map<string, string[]>,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The value of a single-value option, or undefined. */
  one(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  /** Every value of a repeatable option (empty when absent). */
  all(name: string): string[] {
    return this.values.get(name) ?? [];
  }

  /** A value that must be a whole number in a range. */
  integer(name: string, min: number, max: number): number | undefined {
    const text = this.one(name);
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      throw new UsageError(
        `--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`,
      );
    }
    return Number(text);
  }
}

export function parseArgs(argv: string[], spec: OptionSpec): ParsedArgs {
  const positionals: string[] = [];
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-h") {
      values.set("help", []);
      continue;
    }
    if (!arg.startsWith("--") || arg === "--") {
      if (arg.startsWith("-") && arg.length > 1) throw new UsageError(`unknown option ${arg}`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const kind = spec[name];
    if (kind === undefined) {
      const known = Object.keys(spec)
        .map((k) => `--${k}`)
        .join(", ");
      throw new UsageError(`unknown option --${name}${known ? ` (known: ${known})` : ""}`);
    }
    if (kind === "flag") {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      values.set(name, []);
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    const previous = values.get(name);
    if (previous && kind === "value") throw new UsageError(`--${name} may be given only once`);
    values.set(name, [...(previous ?? []), value]);
  }
  return new ParsedArgs(positionals, values);
}
