// Names and values in messages: KSC names compare case-insensitively, a value is echoed cut to a readable length,
// and an InputError or a CheckFailure names the input property it is about. No imports: common.ts, groups.ts and
// state.ts build on it.

/** Input key the resource classes add: the resource's name, so the provider can tell two resources apart.
 *  Keys starting with "__" are hidden in the CLI's display. */
export const RESOURCE_NAME_KEY = "__resourceName";

/** A failed check of one input property, as the engine shows it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** A failure caused by one input: the message starts with the property, e.g. `deviceName: no managed device …`. */
export class InputError extends Error {
  constructor(
    readonly property: string,
    readonly reason: string,
  ) {
    super(`${property}: ${reason}`);
    this.name = "InputError";
  }
}

// One collator for every comparison: String.localeCompare with options builds a new one on each call, which cost
// seconds of CPU when 200 device names were matched against a list of 1,000 devices (docs/performance.md#device-lookups).
const NAME_COLLATOR = new Intl.Collator(undefined, { sensitivity: "accent" });

/** Case-insensitive equality for names (device names, FQDNs and group names are not case-sensitive in KSC). */
export function sameName(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && NAME_COLLATOR.compare(a, b) === 0;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/; // control characters are ignored by the collator: no key

/** For an index of names: two printable ASCII names are sameName() exactly when their keys are equal. A name with other
 *  characters has no key (undefined): it may equal an ASCII one (a full-width letter, "ß" and "ss"), so an index
 *  keeps such names aside and compares them one by one. */
export function nameKey(name: string): string | undefined {
  return PRINTABLE_ASCII.test(name) ? name.toLowerCase() : undefined;
}

/** The longest echo of a value (or property name) in a message; a longer one is cut. */
export const ECHO_MAX = 100;

/**
 * How a value from the inputs or the console is shown in a message: as JSON, cut to ECHO_MAX characters with its
 * length said (a 10,000-character name is not repeated in full), and NaN and the infinities by name (JSON would
 * say null). Every message that echoes a value goes through here.
 */
export function echo(v: unknown): string {
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  if (s.length <= ECHO_MAX) return s;
  const length = typeof v === "string" ? ` (${v.length} characters)` : "";
  return `${s.slice(0, ECHO_MAX - 3)}...${length}`;
}

/** A name or path in a message (see echo). */
export function quote(s: string): string {
  return echo(s);
}
