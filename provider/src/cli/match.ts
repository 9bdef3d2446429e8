// The discovery procedure (docs/ksc-open-api.md#open-questions) as data, and the matching of a step's changes
// to the settings it was about. Pure: no I/O, so every rule is unit-tested.
//
// A change belongs to a setting by where it is (the DP's settings, the DP host's attributes, a section of the
// policy) and by what it looks like (a yes/no that was switched, a number that became the value the person was
// asked to type). Exactly one candidate: found. None: reported. Several: reported as ambiguous, never guessed.
import { KeyNameOverrides, KeyStatus, unconfirmedKeys } from "../ksc/keys";
import { Change } from "./diff";
import { Json } from "./snapshot";

/** Where a setting lives in a snapshot. */
export type Area = "dp" | "host" | "policy";

export type Want =
  | { kind: "became-true" } // a yes/no now true (it was false, or it appeared)
  | { kind: "toggled" } // a yes/no switched either way (or appeared)
  | { kind: "equals"; value: number | string }; // a number or text now equal to what the person typed

export interface Expectation {
  /** Group and logical name in the key-name override file. */
  group: "dp" | "host" | "networkAgent";
  logical: string;
  /** The setting as the console calls it. */
  label: string;
  area: Area;
  want: Want;
}

export interface StepContext {
  dpName: string;
  hostId: string;
  policyName: string;
  policyId: string;
  groupPath: string;
  pushPort: number;
  udpPort: number;
  remoteAddress: string;
}

export interface Step {
  id: string;
  title: string;
  lines(c: StepContext): string[];
  expects(c: StepContext): Expectation[];
}

export const DEFAULT_PROBE_VALUES = {
  pushPort: 13297,
  udpPort: 15007,
  remoteAddress: "push-probe.example.test",
};

const dpDialog = (c: StepContext) =>
  `Open the distribution point ${c.dpName}: Administration Server properties → Distribution points → ${c.dpName} → Properties → General.`;
const policyDialog = (c: StepContext) =>
  `Open the Network Agent policy "${c.policyName}" of group "${c.groupPath}" → Application settings → Connectivity → Network.`;

/** The walk, in order. The first step only sets a known starting point, so later changes are recognisable. */
export const STEPS: Step[] = [
  {
    id: "start",
    title: "Starting point",
    lines: (c) => [
      dpDialog(c),
      `Make sure "Run push server" is NOT ticked there, and that "Do not disconnect from the Administration Server" is NOT ticked in the properties of the device ${c.dpName} (General). Save if you changed anything.`,
    ],
    expects: () => [],
  },
  {
    id: "keep-connection",
    title: 'Step 1 of 6: "Do not disconnect from the Administration Server"',
    lines: (c) => [
      `Open the properties of the device ${c.dpName} (Devices → ${c.dpName} → Properties → General).`,
      'Tick "Do not disconnect from the Administration Server" and save.',
    ],
    expects: () => [
      {
        group: "host",
        logical: "keepConnection",
        label: "Do not disconnect from the Administration Server",
        area: "host",
        want: { kind: "became-true" },
      },
    ],
  },
  {
    id: "push-enable",
    title: 'Step 2 of 6: "Run push server" and "Push server port"',
    lines: (c) => [dpDialog(c), `Tick "Run push server", set "Push server port" to ${c.pushPort}, and save.`],
    expects: (c) => [
      {
        group: "dp",
        logical: "pushServerEnabled",
        label: "Run push server",
        area: "dp",
        want: { kind: "became-true" },
      },
      {
        group: "dp",
        logical: "pushServerPort",
        label: "Push server port",
        area: "dp",
        want: { kind: "equals", value: c.pushPort },
      },
    ],
  },
  {
    id: "push-address",
    title: 'Step 3 of 6: "Address for remote hosts" of the push server',
    lines: (c) => [
      dpDialog(c),
      `Set "Address for remote hosts" to ${c.remoteAddress} and save. (KSC 14 and later; skip this step if the field is not there.)`,
    ],
    expects: (c) => [
      {
        group: "dp",
        logical: "pushServerRemoteAddress",
        label: "Address for remote hosts",
        area: "dp",
        want: { kind: "equals", value: c.remoteAddress },
      },
    ],
  },
  {
    id: "policy-force",
    title: 'Step 4 of 6: "Use distribution point to force connection to Administration Server"',
    lines: (c) => [
      policyDialog(c),
      'Switch "Use distribution point to force connection to Administration Server" (tick it if it is not ticked, untick it if it is), close its lock, and save.',
    ],
    expects: () => [
      {
        group: "networkAgent",
        logical: "forceConnectionThroughDp",
        label: "Use distribution point to force connection to Administration Server",
        area: "policy",
        want: { kind: "toggled" },
      },
    ],
  },
  {
    id: "policy-udp-port",
    title: 'Step 5 of 6: "UDP port number"',
    lines: (c) => [
      policyDialog(c),
      `Set "UDP port number" to ${c.udpPort} and save. (If the field is greyed out, tick "Use UDP port" first.)`,
    ],
    expects: (c) => [
      {
        group: "networkAgent",
        logical: "udpPort",
        label: "UDP port number",
        area: "policy",
        want: { kind: "equals", value: c.udpPort },
      },
    ],
  },
  {
    id: "policy-use-udp",
    title: 'Step 6 of 6: "Use UDP port"',
    lines: (c) => [
      policyDialog(c),
      'Switch "Use UDP port" (untick it if it is ticked, tick it if it is not) and save.',
    ],
    expects: () => [
      {
        group: "networkAgent",
        logical: "useUdpPort",
        label: "Use UDP port",
        area: "policy",
        want: { kind: "toggled" },
      },
    ],
  },
];

/** A key that changed the way a setting would. */
export interface Candidate {
  area: Area;
  name: string;
  /** Policy section holding the key (area "policy"). */
  section?: string;
  /** The snapshot path of the change that made it a candidate. */
  path: string[];
  old?: Json;
  new?: Json;
}

export type Outcome =
  | { status: "found"; name: string; section?: string; path: string[]; old?: Json; new?: Json }
  | { status: "none" }
  | { status: "ambiguous"; candidates: Candidate[] }
  | { status: "skipped" };

export interface Where {
  hostId: string;
  policyId: string;
  /** The policy-format value key (KLPRSS_Val). */
  valueKey: string;
}

/** Which setting key a change is on, if it is in the area: a top-level DP key, a host attribute, or a top-level key of
 *  a policy section whose value (not its lock) changed — the value itself, or the first element of an array value
 *  (the Network Agent's UDP ports are an array whose first element is the "UDP port number": docs/ksc-key-names.md). */
function locate(change: Change, area: Area, w: Where): { name: string; section?: string } | undefined {
  const p = change.path;
  if (area === "dp" && p.length === 3 && p[0] === "distributionPoints" && p[1] === w.hostId)
    return { name: p[2] };
  if (area === "host" && p.length === 3 && p[0] === "hosts" && p[1] === w.hostId) return { name: p[2] };
  if (
    area === "policy" &&
    (p.length === 6 || (p.length === 7 && p[6] === "0")) &&
    p[0] === "policies" &&
    p[1] === w.policyId &&
    p[2] === "sections" &&
    p[5] === w.valueKey
  ) {
    return { name: p[4], section: p[3] };
  }
  return undefined;
}

function looksRight(change: Change, want: Want): boolean {
  if (change.kind === "removed") return false;
  const now = change.new;
  if (want.kind === "equals") return now === want.value;
  if (typeof now !== "boolean") return false;
  if (change.kind === "added") return want.kind === "toggled" || now === true;
  if (typeof change.old !== "boolean") return false;
  return want.kind === "toggled" ? change.old !== now : now === true;
}

/** Keys whose change fits the expectation, one per key; keys in `taken` (found for other settings) left out. */
export function candidatesFor(
  exp: Expectation,
  changes: Change[],
  w: Where,
  taken: Set<string> = new Set(),
): Candidate[] {
  const out = new Map<string, Candidate>();
  for (const c of changes) {
    const at = locate(c, exp.area, w);
    if (!at || !looksRight(c, exp.want)) continue;
    const id = takenKey(exp.area, at.name, at.section);
    if (taken.has(id) || out.has(id)) continue;
    const cand: Candidate = { area: exp.area, name: at.name, path: c.path };
    if (at.section !== undefined) cand.section = at.section;
    if (c.old !== undefined) cand.old = c.old;
    if (c.new !== undefined) cand.new = c.new;
    out.set(id, cand);
  }
  return [...out.values()];
}

export function takenKey(area: Area, name: string, section?: string): string {
  return JSON.stringify([area, section ?? "", name]);
}

export function outcomeOf(candidates: Candidate[]): Outcome {
  if (candidates.length === 0) return { status: "none" };
  if (candidates.length > 1) return { status: "ambiguous", candidates };
  const c = candidates[0];
  const found: Outcome = { status: "found", name: c.name, path: c.path };
  if (c.section !== undefined) found.section = c.section;
  if (c.old !== undefined) found.old = c.old;
  if (c.new !== undefined) found.new = c.new;
  return found;
}

export interface SettingResult {
  step: string;
  expectation: Expectation;
  outcome: Outcome;
}

/** The policy section of the Network Agent keys found: one section, or a reason why not. */
export function networkSectionOf(
  results: SettingResult[],
): { status: "found"; name: string } | { status: "none" } | { status: "ambiguous"; sections: string[] } {
  const sections = new Set<string>();
  for (const r of results) {
    if (r.expectation.area === "policy" && r.outcome.status === "found" && r.outcome.section !== undefined) {
      sections.add(r.outcome.section);
    }
  }
  if (sections.size === 0) return { status: "none" };
  if (sections.size > 1) return { status: "ambiguous", sections: [...sections] };
  return { status: "found", name: [...sections][0] };
}

/** The override file's content for what was found. The Network Agent keys are written only with their section. */
export function overridesOf(results: SettingResult[]): KeyNameOverrides {
  const out: Record<string, Record<string, string>> = {};
  const section = networkSectionOf(results);
  for (const r of results) {
    if (r.outcome.status !== "found") continue;
    if (r.expectation.group === "networkAgent" && section.status !== "found") continue;
    (out[r.expectation.group] ??= {})[r.expectation.logical] = r.outcome.name;
  }
  if (section.status === "found") (out.networkAgent ??= {}).networkSection = section.name;
  return out as KeyNameOverrides;
}

/** What the walk says about one default of the mapping module that no Open API page confirms. */
export interface DefaultCheck {
  /** Group and logical name, e.g. "networkAgent.udpPort". */
  key: string;
  /** The default name and its status (evidence or proposed). */
  default: string;
  status: KeyStatus;
  /** The name found on this server, when the walk found one. */
  found?: string;
  /** confirmed: found, and equal to the default; corrected: found, and another name; not checked: not found
   *  (skipped, no change, ambiguous). */
  verdict: "confirmed" | "corrected" | "not checked";
}

/** For every unconfirmed default, whether this server confirmed or corrected it. */
export function defaultChecks(results: SettingResult[]): DefaultCheck[] {
  const section = networkSectionOf(results);
  return unconfirmedKeys().map((k) => {
    const key = `${k.group}.${k.logical}`;
    let found: string | undefined;
    if (key === "networkAgent.networkSection") found = section.status === "found" ? section.name : undefined;
    else {
      const r = results.find((x) => `${x.expectation.group}.${x.expectation.logical}` === key);
      if (r?.outcome.status === "found") found = r.outcome.name;
    }
    const check: DefaultCheck = {
      key,
      default: k.name,
      status: k.status,
      verdict: found === undefined ? "not checked" : found === k.name ? "confirmed" : "corrected",
    };
    if (found !== undefined) check.found = found;
    return check;
  });
}
