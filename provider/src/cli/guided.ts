// `probe guided`: the reference's discovery procedure, walked with the administrator. Before each step a snapshot,
// the person makes one change in the console, a snapshot after, and the difference is matched to the setting the
// step was about (match.ts). The names found become the key-name override file the provider reads — shown, and
// written only after a yes (or --yes). Nothing is ever written to the server.
import * as fs from "fs";
import * as path from "path";
import { KeyNameOverrides, resolveKeyNames } from "../ksc/keys";
import { GroupDirectory, GroupInfo } from "../resources/groups";
import { Connection } from "./connect";
import { Change, diffSnapshots, pathText, withoutClockChanges } from "./diff";
import { PreconditionError, UsageError } from "./exitCodes";
import { Prompter } from "./io";
import { deviceByName, probePolicy, resolveGroups } from "./lookup";
import {
  Candidate,
  DEFAULT_PROBE_VALUES,
  DefaultCheck,
  Expectation,
  SettingResult,
  STEPS,
  Step,
  StepContext,
  candidatesFor,
  defaultChecks,
  networkSectionOf,
  outcomeOf,
  overridesOf,
  takenKey,
} from "./match";
import { Style, shortValue, table } from "./output";
import { Snapshot, takeSnapshot, writeJsonFile } from "./snapshot";

/** How often a step is shown when what it asked for was not seen (forgotten Save, slow console). */
export const MAX_ATTEMPTS = 3;

export interface GuidedOptions {
  device?: string;
  hostId?: string;
  group?: string;
  policyId?: number;
  out: string;
  yes: boolean;
  pushPort?: number;
  udpPort?: number;
  remoteAddress?: string;
  /** Keep every snapshot of the walk here. */
  snapshotsDir?: string;
  extraHostAttributes?: string[];
}

export interface GuidedReport {
  server: string;
  distributionPoint: { hostId: string; displayName: string };
  policy: { id: number; name: string; group: string };
  results: SettingResult[];
  networkSection: ReturnType<typeof networkSectionOf>;
  /** Which of the defaults no Open API page confirms (names from evidence, placeholders) this server confirmed,
   *  which it corrected, and which the walk could not check. */
  defaults: DefaultCheck[];
  overrides: KeyNameOverrides;
  file: string;
  written: boolean;
  /** True when something was found and no setting ended without a change or with an ambiguous one (skipped
   *  steps do not count). */
  complete: boolean;
  /** The step where the person stopped, if they did. */
  stoppedAt?: string;
}

/** Read the existing override file at `file` (to merge into), or {} when there is none. */
export function readExistingOverrides(file: string): Record<string, unknown> {
  if (!fs.existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new UsageError(
      `--out ${file} exists and is not JSON (${(err as Error).message}): choose another file`,
    );
  }
  try {
    resolveKeyNames(parsed, file);
  } catch (err) {
    throw new UsageError(
      `--out ${file} exists and is not a key-name override file: ${(err as Error).message}`,
    );
  }
  return parsed as Record<string, unknown>;
}

/** The existing file's entries with the found names laid over them. */
export function mergeOverrides(
  existing: Record<string, unknown>,
  found: KeyNameOverrides,
  comment: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { $comment: comment };
  for (const [k, v] of Object.entries(existing)) if (k !== "$comment") out[k] = v;
  for (const [group, names] of Object.entries(found as Record<string, Record<string, string>>)) {
    out[group] = { ...((out[group] as Record<string, string> | undefined) ?? {}), ...names };
  }
  return out;
}

export async function runGuided(
  conn: Connection,
  prompter: Prompter,
  say: (text: string) => void,
  style: Style,
  opts: GuidedOptions,
): Promise<GuidedReport> {
  const { client, keyNames: keys } = conn;
  const existing = readExistingOverrides(opts.out);
  const dir = new GroupDirectory(client);
  const group: GroupInfo = opts.group ? (await resolveGroups(dir, [opts.group]))[0] : await dir.root();
  const dp = await chooseDp(conn, opts);
  const policy = await probePolicy(client, keys, group, opts.policyId);
  const ctx: StepContext = {
    dpName: dp.displayName,
    hostId: dp.hostId,
    policyName: policy.displayName,
    policyId: String(policy.id),
    groupPath: group.path,
    pushPort: opts.pushPort ?? DEFAULT_PROBE_VALUES.pushPort,
    udpPort: opts.udpPort ?? DEFAULT_PROBE_VALUES.udpPort,
    remoteAddress: opts.remoteAddress ?? DEFAULT_PROBE_VALUES.remoteAddress,
  };
  const where = { hostId: dp.hostId, policyId: String(policy.id), valueKey: keys.lock.value };
  say(style.bold(`Finding the key names of ${client.server}`));
  say(`Distribution point: ${dp.displayName} (host id ${dp.hostId})`);
  say(`Network Agent policy: "${policy.displayName}" (id ${policy.id}) of group "${group.path}"`);
  say(
    "Each step asks for one change in the console; the tool reads the console before and after it. It never writes.",
  );

  let n = 0;
  const snap = async (label: string): Promise<Snapshot> => {
    const s = await takeSnapshot(client, keys, {
      hostId: dp.hostId,
      groups: [group],
      extraHostAttributes: opts.extraHostAttributes,
    });
    if (opts.snapshotsDir) {
      fs.mkdirSync(opts.snapshotsDir, { recursive: true });
      writeJsonFile(path.join(opts.snapshotsDir, `${String(++n).padStart(2, "0")}-${label}.json`), s);
    }
    return s;
  };

  const results: SettingResult[] = [];
  const taken = new Set<string>();
  let stoppedAt: string | undefined;
  for (const step of STEPS) {
    const expectations = step.expects(ctx);
    if (stoppedAt) {
      for (const e of expectations)
        results.push({ step: step.id, expectation: e, outcome: { status: "skipped" } });
      continue;
    }
    const r = await walkStep(step, expectations, ctx, prompter, snap, where, taken, say, style);
    if (r === "quit") {
      stoppedAt = step.id;
      for (const e of expectations)
        results.push({ step: step.id, expectation: e, outcome: { status: "skipped" } });
      continue;
    }
    for (const sr of r) {
      results.push(sr);
      if (sr.outcome.status === "found")
        taken.add(takenKey(sr.expectation.area, sr.outcome.name, sr.outcome.section));
    }
  }

  const networkSection = networkSectionOf(results);
  const overrides = overridesOf(results);
  const defaults = defaultChecks(results);
  say("");
  say(style.bold("Result"));
  say(summaryTable(results, networkSection, defaults, style));
  say(defaultsSummary(defaults, client.server));
  say("");
  say(
    style.dim(
      `Put back in the console what the walk changed (push server on ${dp.displayName}, port ${ctx.pushPort}, policy "${policy.displayName}": force connection, UDP port ${ctx.udpPort}, Use UDP port) if you do not want to keep it.`,
    ),
  );
  // Skipping a step is the person's choice (e.g. no "Address for remote hosts" before KSC 14); finding nothing at
  // all is not a result a script should take for success.
  const complete =
    results.every((r) => r.outcome.status === "found" || r.outcome.status === "skipped") &&
    results.some((r) => r.outcome.status === "found") &&
    networkSection.status !== "ambiguous";
  const report: GuidedReport = {
    server: client.server,
    distributionPoint: { hostId: dp.hostId, displayName: dp.displayName },
    policy: { id: policy.id, name: policy.displayName, group: group.path },
    results,
    networkSection,
    defaults,
    overrides,
    file: opts.out,
    written: false,
    complete,
  };
  if (stoppedAt) report.stoppedAt = stoppedAt;
  if (Object.keys(overrides).length === 0) {
    say(style.yellow("No key name was found: nothing to write."));
    return report;
  }
  const content = mergeOverrides(
    existing,
    overrides,
    `Key names found by \`pulumi-ksc probe guided\` on ${client.server} at ${new Date().toISOString()}. Use: pulumi config set ksc:keyNamesFile <this file>`,
  );
  resolveKeyNames(content, "the override file to write"); // never write a file the provider would refuse
  say("");
  say(`The key-name override file (${opts.out}):`);
  say(JSON.stringify(content, null, 2));
  if (!opts.yes && !(await prompter.confirm(`Write it to ${opts.out}?`))) {
    say("Not written.");
    return report;
  }
  writeJsonFile(opts.out, content);
  report.written = true;
  say(style.green(`Written: ${opts.out}`));
  say(`Next: pulumi config set ksc:keyNamesFile ${opts.out}   (or KSC_KEY_NAMES_FILE=${opts.out})`);
  return report;
}

async function chooseDp(
  conn: Connection,
  opts: GuidedOptions,
): Promise<{ hostId: string; displayName: string }> {
  const { client } = conn;
  const list = await client.uaControl.getUpdateAgentsList();
  let hostId = opts.hostId;
  if (hostId === undefined && opts.device !== undefined)
    hostId = (await deviceByName(client, opts.device)).hostId;
  if (hostId !== undefined) {
    const dp = list.find((d) => d.hostId === hostId);
    if (!dp) {
      throw new PreconditionError(
        `${opts.device ?? hostId} is not a distribution point: make it one in the console first (or choose another device)`,
      );
    }
    return { hostId: dp.hostId, displayName: dp.displayName || opts.device || dp.hostId };
  }
  if (list.length === 0) {
    throw new PreconditionError(
      "the console has no distribution point: make a device a distribution point first (in the console, or with a DistributionPoint resource), then run the probe again",
    );
  }
  if (list.length > 1) {
    throw new UsageError(
      `the console has ${list.length} distribution points: choose one with --device NAME (${list.map((d) => d.displayName || d.hostId).join(", ")})`,
    );
  }
  return { hostId: list[0].hostId, displayName: list[0].displayName || list[0].hostId };
}

async function walkStep(
  step: Step,
  expectations: Expectation[],
  ctx: StepContext,
  prompter: Prompter,
  snap: (label: string) => Promise<Snapshot>,
  where: { hostId: string; policyId: string; valueKey: string },
  taken: Set<string>,
  say: (text: string) => void,
  style: Style,
): Promise<SettingResult[] | "quit"> {
  const before = expectations.length > 0 ? await snap(`${step.id}-before`) : undefined;
  let lines = step.lines(ctx);
  let last: SettingResult[] | undefined;
  for (let attempt = 1; ; attempt++) {
    const answer = await prompter.step({ id: step.id, title: step.title, lines, attempt });
    if (answer === "quit") return "quit";
    if (answer === "skip") {
      if (expectations.length) say(style.dim(`${step.title}: skipped`));
      // What an earlier look already found stays found; the rest is skipped.
      return expectations.map((e, i) => {
        const seen = last?.[i];
        return seen && seen.outcome.status !== "none"
          ? seen
          : { step: step.id, expectation: e, outcome: { status: "skipped" } };
      });
    }
    if (!before) return [];
    const after = await snap(`${step.id}-after-${attempt}`);
    // A step that takes a while sees the server's clock attributes move: not what the administrator changed.
    const changes = withoutClockChanges(diffSnapshots(before, after));
    const results = expectations.map((e) => ({
      step: step.id,
      expectation: e,
      outcome: outcomeOf(candidatesFor(e, changes, where, taken)),
    }));
    last = results;
    const missing = results.filter((r) => r.outcome.status === "none");
    if (missing.length > 0 && attempt < MAX_ATTEMPTS) {
      const what = missing.map((r) => `"${r.expectation.label}"`).join(", ");
      say(
        style.yellow(
          changes.length === 0
            ? "No change at all was seen in the console since the step started."
            : `The changes seen do not include one for ${what}.`,
        ),
      );
      lines = [
        `Nothing that fits ${what} was seen. Check that the change was made as asked and saved (OK / Save in the dialog), then press Enter to look again — or skip.`,
        ...step.lines(ctx),
      ];
      continue;
    }
    say(stepReport(step, results, changes, style));
    return results;
  }
}

function describeCandidate(c: Candidate): string {
  return `${c.section !== undefined ? `${c.section} / ` : ""}${c.name}`;
}

function stepReport(step: Step, results: SettingResult[], changes: Change[], style: Style): string {
  const lines = [style.bold(step.title)];
  for (const r of results) {
    const o = r.outcome;
    const label = `"${r.expectation.label}"`;
    if (o.status === "found") {
      lines.push(
        `  ${style.green("found")}      ${label} = ${o.section !== undefined ? `${o.section} / ` : ""}${o.name}`,
      );
    } else if (o.status === "ambiguous") {
      lines.push(
        `  ${style.yellow("ambiguous")}  ${label}: ${o.candidates.length} keys changed that way (${o.candidates.map(describeCandidate).join(", ")}); not guessed`,
      );
    } else if (o.status === "none")
      lines.push(`  ${style.red("no change")}  ${label}: nothing changed that way`);
  }
  if (changes.length > 0) {
    lines.push(style.dim(`  changes seen in this step (${changes.length}):`));
    for (const c of changes.slice(0, 20)) {
      const v =
        c.kind === "changed"
          ? `${shortValue(c.old, 30)} → ${shortValue(c.new, 30)}`
          : shortValue(c.kind === "added" ? c.new : c.old, 40);
      lines.push(style.dim(`    ${c.kind.padEnd(7)} ${pathText(c.path)}  ${v}`));
    }
    if (changes.length > 20) lines.push(style.dim(`    … and ${changes.length - 20} more`));
  }
  return lines.join("\n");
}

const STATUS_WORD = { documented: "documented", evidence: "evidence", proposed: "placeholder" } as const;

function summaryTable(
  results: SettingResult[],
  networkSection: ReturnType<typeof networkSectionOf>,
  defaults: DefaultCheck[],
  style: Style,
): string {
  const byKey = new Map(defaults.map((d) => [d.key, d]));
  const verdict = (d: DefaultCheck | undefined): string =>
    d === undefined
      ? ""
      : d.verdict === "confirmed"
        ? style.green("confirmed")
        : d.verdict === "corrected"
          ? style.yellow("corrected")
          : style.dim("not checked");
  const defaultText = (d: DefaultCheck | undefined): string =>
    d === undefined ? "" : `${d.default} (${STATUS_WORD[d.status]})`;
  const rows = results.map((r) => {
    const o = r.outcome;
    const key = `${r.expectation.group}.${r.expectation.logical}`;
    const status =
      o.status === "found"
        ? style.green(o.name)
        : o.status === "ambiguous"
          ? style.yellow(`ambiguous: ${o.candidates.map(describeCandidate).join(", ")}`)
          : o.status === "none"
            ? style.red("no change seen")
            : style.dim("skipped");
    return [key, r.expectation.label, status, defaultText(byKey.get(key)), verdict(byKey.get(key))];
  });
  const section = byKey.get("networkAgent.networkSection");
  rows.push([
    "networkAgent.networkSection",
    "(policy section of the settings above)",
    networkSection.status === "found"
      ? style.green(networkSection.name)
      : networkSection.status === "ambiguous"
        ? style.yellow(`ambiguous: ${networkSection.sections.join(", ")}`)
        : style.dim("(not found)"),
    defaultText(section),
    verdict(section),
  ]);
  return table(
    rows,
    ["key", "console setting", "found on this server", "default (status)", "default is"],
    style,
  );
}

/** One line per verdict: which defaults this server confirmed, which it corrected, which were not checked. */
function defaultsSummary(defaults: DefaultCheck[], server: string): string {
  const list = (v: DefaultCheck["verdict"], show: (d: DefaultCheck) => string) =>
    defaults.filter((d) => d.verdict === v).map(show);
  const confirmed = list("confirmed", (d) => `${d.key} = ${d.default}`);
  const corrected = list("corrected", (d) => `${d.key}: ${d.default} → ${d.found}`);
  const unchecked = list("not checked", (d) => d.key);
  const lines = [`Defaults on ${server}:`];
  lines.push(`  confirmed:   ${confirmed.length ? confirmed.join(", ") : "none"}`);
  lines.push(`  corrected:   ${corrected.length ? corrected.join(", ") : "none"}`);
  if (unchecked.length) lines.push(`  not checked: ${unchecked.join(", ")}`);
  return lines.join("\n");
}
