// Shared pieces of the resource logic: the context the CRUD functions get, the preview "unknown" sentinel,
// errors that name a property, and readers for decoded KSC values. No Pulumi imports here.
import { KscClient } from "../ksc/client";
import { isNotFound, isTransient } from "../ksc/errors";
import type { GroupDirectory } from "./groups";
import type { ProcessState } from "./state";
import { CheckFailure, echo, ECHO_MAX, InputError, quote, RESOURCE_NAME_KEY, sameName } from "./names";

// Defined in names.ts (which groups.ts uses without importing this module back); part of this module's surface.
export { echo, ECHO_MAX, InputError, quote, RESOURCE_NAME_KEY, sameName };
export type { CheckFailure };

/** The value the engine puts in place of a not-yet-known input during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const PROVIDER_KEY = "__provider";

export type Level = "debug" | "info" | "warn";

/** What every check/create/read/update/delete gets: the client (one session per provider process; it holds the key
 *  names), the groups directory, and the process's one state object (./state). */
export interface ResourceContext {
  readonly client: KscClient;
  readonly groups: GroupDirectory;
  readonly state: ProcessState;
  log(level: Level, message: string): void;
}

export interface CheckResult<T> {
  inputs: T;
  failures: CheckFailure[];
}

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** The properties that differ (not used by the engine; for logs and tests). */
  diffs: string[];
}

/** `property: reason`, the form people read. */
export function describeFailure(f: CheckFailure): string {
  return f.property ? `${f.property}: ${f.reason}` : f.reason;
}

/** A KSC key name pulumi-ksc uses is not on this server (../ksc/errors.ts). */
export { KeyNameError } from "../ksc/errors";

/** The object was created in the console but a later step failed. The dynamic-provider host reads `id` and
 *  `properties` from the thrown object and records the resource, so the next run updates or deletes it instead of
 *  creating a duplicate. */
export class CreatedWithErrorsError extends Error {
  readonly reasons: string[];
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
  ) {
    super(message);
    this.name = "CreatedWithErrorsError";
    this.reasons = [message];
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Prefix an error with what was being done, keeping InputError's property. */
export function doing(what: string, err: unknown): Error {
  if (err instanceof InputError) return err;
  const e = new Error(`${what}: ${errorText(err)}`);
  (e as Error & { cause?: unknown }).cause = err;
  return e;
}

/** Attempts of a delete that failed with a transient error while the object is certainly still there. */
export const DELETE_ATTEMPTS = 3;

/**
 * A delete that checks before it fails. The client does not repeat deletes (a repeat after success answers "not
 * found"), so when `del` fails, `exists` looks: gone means done (the reply was lost after the server deleted it, or
 * the object was removed another way); still there after a transient failure (HTTP 5xx, KLSTD 1195, a reset) means
 * the delete did not happen, so it is tried again after a pause. Anything else fails with `what` in front.
 */
export async function deleteConfirmed(
  what: string,
  del: () => Promise<void>,
  exists: () => Promise<boolean>,
  pauseMs = 500,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await del();
      return;
    } catch (err) {
      if (isNotFound(err)) return; // already gone
      const still = await exists().catch(() => undefined);
      if (still === false) return;
      if (still === true && isTransient(err) && attempt < DELETE_ATTEMPTS) {
        await new Promise((r) => setTimeout(r, pauseMs * attempt));
        continue;
      }
      throw doing(what, err);
    }
  }
}

/** Attempts of a create that failed with a transient error while the object certainly does not exist. */
export const CREATE_ATTEMPTS = 3;

/**
 * A create that looks before it fails. The client does not repeat creates (a repeat after success would make a
 * duplicate, or fail as "already exists"), so when `create` fails, `find` looks for the object: found means the
 * reply was lost after the server made it (`recovered` is told, and the found object is the result); absent after a
 * transient failure means the create did not happen, so it is tried again after a pause. When `find` throws (it
 * cannot tell, or what it found is not ours), the create's own error is reported with `what` in front.
 */
export async function createConfirmed<T>(
  what: string,
  create: () => Promise<T>,
  find: () => Promise<T | undefined>,
  recovered: (err: unknown) => void,
  pauseMs = 500,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (err) {
      let found: T | undefined;
      try {
        found = await find();
      } catch {
        throw doing(what, err);
      }
      if (found !== undefined) {
        recovered(err);
        return found;
      }
      if (isTransient(err) && attempt < CREATE_ATTEMPTS) {
        await new Promise((r) => setTimeout(r, pauseMs * attempt));
        continue;
      }
      throw doing(what, err);
    }
  }
}

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** Whether check() is looking at a new resource: its old inputs hold nothing but engine-added keys. */
export function isNewResource(olds: Record<string, unknown> | undefined): boolean {
  return Object.keys(olds ?? {}).filter((k) => !k.startsWith("__")).length === 0;
}

/**
 * Whether the declaration of an existing resource kept these properties as they were (known, and equal as JSON).
 * check() runs one resource at a time, so each console lookup costs its full latency in series: a lookup is only
 * repeated for what the program changed (update() meets the same checks again, with fresh data).
 */
export function unchangedDeclaration(
  olds: Record<string, unknown> | undefined,
  news: object,
  properties: readonly string[],
): boolean {
  if (isNewResource(olds)) return false;
  const n = news as Record<string, unknown>;
  return properties.every(
    (p) => !containsUnknown(n[p]) && JSON.stringify(olds?.[p]) === JSON.stringify(n[p]),
  );
}

/** Whether a value is, or contains, the preview unknown sentinel. */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v !== null && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

// ---- comparisons ----

export function sortedNumbers(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

export function sameNumberSet(a: number[], b: number[]): boolean {
  const x = sortedNumbers(a);
  const y = sortedNumbers(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * Failures as the engine is to print them. The engine prints a failure that names a property together with the
 * whole value of that property ("property P value V has a problem: …"), so a failure about a long value, or a
 * long property name, is given without the property, its name leading the reason: the message still names it and
 * echoes the value only as echo() cuts it.
 */
export function echoSafe(failures: CheckFailure[], inputs: Record<string, unknown>): CheckFailure[] {
  return failures.map((f) => {
    if (!f.property) return f;
    const valueText = JSON.stringify(inputs[f.property]) ?? "";
    if (f.property.length <= ECHO_MAX && valueText.length <= ECHO_MAX) return f;
    const name = f.property.length <= ECHO_MAX ? f.property : echo(f.property);
    return { property: "", reason: `${name}: ${f.reason}` };
  });
}
