// The verdict on one bad-input case (bad-input.fault.test.ts), as a pure function so that a unit test
// (verdict.test.ts) can show each check failing on a planted fault: a write call that changes nothing, a property
// named only in the reason text, a host resolved to the wrong device.
//
// What a case's `pulumi preview --json` gives: the engine's diagnostics, and for each resource the inputs its check
// returned (the planned inputs). What the emulator gives: its call counters before and after the preview.
import { isDeepStrictEqual } from "util";
export { writesBetween } from "../raw-ksc";

/** A diagnostic of `pulumi preview --json`. */
export interface Diagnostic {
  message: string;
  severity: string;
  urn?: string;
}

/**
 * An error the engine reports for a failed check, split into its slots. A check failure that names a property is
 * printed by the engine as `<type> resource '<name>': property <property> value {<value>} has a problem: <reason>`;
 * one without a property as `<type> resource '<name>' has a problem: <reason>` (property undefined), except the
 * provider's form for a value too long to echo, `… has a problem: <property>: <reason>` (property set, value
 * undefined): the name stands first, at a fixed place, never found anywhere in the text.
 */
export interface CheckError {
  type: string;
  resource: string;
  property?: string;
  value?: string;
  reason: string;
}

const WITH_PROPERTY =
  /^(?:error: )?(\S+) resource '([^']*)': property (\S+) value \{([\s\S]*?)\} has a problem: ([\s\S]*)$/;
const WITHOUT_PROPERTY = /^(?:error: )?(\S+) resource '([^']*)' has a problem: ([\s\S]*)$/;
/** The provider's form for a property whose value is too long to echo (provider/src/resources/common.ts, echoSafe):
 *  no engine slot, so the engine does not print the value; the reason starts with the property's name. */
const NAME_FIRST = /^([A-Za-z_]\w*): ([\s\S]+)$/;

/** The slots of an engine check error, or undefined when the message is not one. */
export function checkError(message: string): CheckError | undefined {
  const text = message.trim();
  const p = WITH_PROPERTY.exec(text);
  if (p) return { type: p[1], resource: p[2], property: p[3], value: p[4], reason: p[5] };
  const r = WITHOUT_PROPERTY.exec(text);
  if (r) {
    const n = NAME_FIRST.exec(r[3]);
    if (n) return { type: r[1], resource: r[2], property: n[1], reason: n[2] };
    return { type: r[1], resource: r[2], reason: r[3] };
  }
  return undefined;
}

/** What one case's preview did. */
export interface CaseRun {
  /** exit code of `pulumi preview` */
  code: number;
  diagnostics: Diagnostic[];
  /** write calls that reached the console during the preview, by method */
  writes: Record<string, number>;
  /** the console's raw snapshot before and after the preview equals the baseline */
  unchanged: boolean;
  /** the inputs each resource's check returned, by resource name (only for resources the preview got to) */
  planned: Record<string, Record<string, unknown>>;
}

/** What a case expects. */
export interface Expectation {
  /** The property the engine's diagnostic must carry in its property slot; undefined: the preview must succeed. */
  property?: string;
  /** The reason (a pattern on the reason slot). */
  reason?: RegExp;
  /** For a preview that succeeds: inputs the checks must have planned, by resource name (e.g. the resolved hostId). */
  planned?: Record<string, Record<string, unknown>>;
}

/** Everything wrong with a case's run (empty: the case passes). */
export function problems(expected: Expectation, run: CaseRun): string[] {
  const out: string[] = [];
  const writes = Object.entries(run.writes);
  if (writes.length) {
    out.push(
      `write calls reached the console during the preview: ${writes.map(([m, n]) => `${m} ×${n}`).join(", ")}`,
    );
  }
  if (!run.unchanged) out.push("the console changed during the preview");
  const messages = run.diagnostics.map((d) => d.message.trim());
  if (expected.property === undefined) {
    if (run.code !== 0) out.push(`the preview failed (exit ${run.code}):\n${messages.join("\n")}`);
    for (const [resource, inputs] of Object.entries(expected.planned ?? {})) {
      const got = run.planned[resource];
      if (!got) {
        out.push(`no planned inputs for ${resource}`);
        continue;
      }
      for (const [key, want] of Object.entries(inputs)) {
        if (!isDeepStrictEqual(got[key], want)) {
          out.push(
            `${resource}.${key} planned as ${JSON.stringify(got[key])}, expected ${JSON.stringify(want)}`,
          );
        }
      }
    }
    return out;
  }
  if (run.code === 0) out.push("the preview succeeded");
  const named = run.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => checkError(d.message))
    .find(
      (e) =>
        e !== undefined &&
        e.property === expected.property &&
        (!expected.reason || expected.reason.test(e.reason)),
    );
  if (!named) {
    out.push(
      `no error carries ${expected.property} in its property slot with a reason matching ${expected.reason}:\n` +
        (messages.join("\n") || "(no diagnostics)"),
    );
  }
  return out;
}
