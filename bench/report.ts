// The benchmark report: bench/out/REPORT.md and chart.png from results.json (run.ts calls it after each size).
//   npx ts-node --transpile-only bench/report.ts            regenerate bench/out/REPORT.md and chart.png
//   npx ts-node --transpile-only bench/report.ts --publish  also copy them and results.json to bench/ (committed)
//   npx ts-node --transpile-only bench/report.ts --published  bench/REPORT.md and chart.png from bench/results.json
import * as fs from "fs";
import * as path from "path";
import { timeChart, type Series } from "./chart";
import { census, KINDS, type Kind } from "./estate";
import {
  LOWER_BOUND,
  PHASE_OPERATION,
  PHASES,
  phaseLowerBound,
  TARGET_CALLS,
  type Operation,
  type Phase,
} from "./lowerBound";
import { provenanceOf, type PhaseResult, type Provenance, type Results, type SizeRun } from "./figures";

const TARGET_TIME_FACTOR = 1.5;
const TARGET_PROVIDER_BYTES = 2048;
const TARGET_MEMORY_BYTES = 300 * 2 ** 20;
const TARGET_N = 500;
/** Session calls are counted as sessions, not as calls of an operation. */
const SESSION_METHODS = new Set(["login", "Session.StartSession", "Session.EndSession"]);

const PHASE_NAMES: Record<Phase, string> = {
  up: "up from empty",
  preview: "preview, no change",
  refresh: "refresh, no change",
  update: "up, 10% changed",
  destroy: "destroy",
};

const MB = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const s1 = (seconds: number) => seconds.toFixed(1);
const r2 = (x: number) => (Math.round(x * 100) / 100).toString();

export function operationCalls(p: PhaseResult): number {
  return Object.entries(p.calls)
    .filter(([m]) => !SESSION_METHODS.has(m))
    .reduce((a, [, c]) => a + c, 0);
}

interface SizeView {
  n: number;
  sites: number;
  ours: SizeRun;
  floor: SizeRun;
}

function views(results: Results): SizeView[] {
  const out: SizeView[] = [];
  for (const n of [...new Set(results.runs.map((r) => r.n))].sort((a, b) => a - b)) {
    const ours = results.runs.find((r) => r.n === n && r.impl === "ksc");
    const floor = results.runs.find((r) => r.n === n && r.impl === "floor");
    if (ours && floor) out.push({ n, sites: ours.sites, ours, floor });
  }
  return out;
}

/** Allowed time of a phase: 1.5 × the floor + lower-bound calls × latency ÷ calls in flight. */
export function allowedSeconds(results: Results, v: SizeView, phase: Phase): number | undefined {
  const floor = v.floor.phases[phase];
  if (!floor) return undefined;
  const lb = phaseLowerBound(phase, v.sites);
  return (
    TARGET_TIME_FACTOR * floor.seconds +
    (lb.calls * results.settings.latencyMs) / 1000 / results.settings.callsInFlight
  );
}

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? "not measured" : ok ? "met" : "**missed**";
}

function linearFit(points: { x: number; y: number }[]): { slope: number; intercept: number; worst: number } {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
  const intercept = my - slope * mx;
  const worst = Math.max(0, ...points.map((p) => Math.abs(intercept + slope * p.x - p.y) / p.y));
  return { slope, intercept, worst };
}

function failures(v: SizeView): string[] {
  const out: string[] = [];
  for (const run of [v.ours, v.floor]) {
    for (const phase of PHASES) {
      const p = run.phases[phase];
      if (!p || p.exitCode === 0) continue;
      const what =
        p.exitCode === 7 && (phase === "preview" || phase === "refresh")
          ? `reported changes on an unchanged estate (exit 7): ${JSON.stringify(p.summary)}`
          : `failed (exit ${p.exitCode})`;
      out.push(
        `- N=${v.n}, ${run.impl === "ksc" ? "pulumi-ksc" : "floor"}, ${PHASE_NAMES[phase]}: ${what}` +
          (p.error && p.exitCode !== 7
            ? `\n\n  \`\`\`\n  ${p.error.split("\n").slice(-6).join("\n  ")}\n  \`\`\``
            : ""),
      );
    }
  }
  return out;
}

/** How the engine's --parallel was found. */
function parallelFrom(p: Provenance): string {
  switch (p.engineParallelFrom) {
    case "cli-help":
      return "the CLI's default, from its help";
    case "fallback":
      return "**assumed**: the CLI's help showed no default, so this is the runner's fallback, not a measured setting";
    default:
      return "the CLI's default as the run took it; whether from its help or a fallback was not recorded";
  }
}

/** The code measured. */
function codeOf(p: Provenance): string {
  if (!p.commit) return "commit not recorded (these figures were written before the benchmark recorded it)";
  const c = `at commit \`${p.commit.slice(0, 12)}\``;
  return p.dirty ? `${c} **with uncommitted changes** (the code measured is in no commit)` : c;
}

/** "Measured …" lines: one per provenance, each naming the sizes it covers. */
function measured(results: Results, vs: SizeView[]): string[] {
  const groups = new Map<string, { p: Provenance; sizes: number[] }>();
  for (const v of vs) {
    const p = provenanceOf(results, v.ours);
    const key = JSON.stringify(p);
    const g = groups.get(key) ?? { p, sizes: [] };
    g.sizes.push(v.n);
    groups.set(key, g);
  }
  return [...groups.values()].flatMap(({ p, sizes }) => [
    (groups.size > 1 ? `N = ${sizes.join(", ")}: measured ` : "Measured ") +
      `${p.generatedAt.slice(0, 16).replace("T", " ")} UTC, ${codeOf(p)}, on ${p.machine.cpus} × ${p.machine.cpuModel}, ` +
      `${p.machine.memoryGB} GB, Node ${p.machine.node}, Pulumi CLI ${p.machine.pulumi} ` +
      `(load average before the run: ${p.machine.loadBefore.join(", ")}); engine \`--parallel ${p.engineParallel}\` ` +
      `(${parallelFrom(p)}).`,
    "",
  ]);
}

// The targets of issue 16 (performance at scale).
const SCALE_N = 2000;
const SCALE_MEMORY_BYTES = 500 * 2 ** 20;
const SCALE_TARGETS = {
  refresh: { ratio: 1.5, perOperation: 1.25 },
  up: { ratio: 1.3, perOperation: 2.6 },
} as const;

/** log(y2/y1) / log(x2/x1): 1 is linear growth, 2 quadratic. */
export function logLogSlope(x1: number, y1: number, x2: number, y2: number): number | undefined {
  if (!(x1 > 0 && y1 > 0 && x2 > 0 && y2 > 0) || x1 === x2) return undefined;
  return Math.log(y2 / y1) / Math.log(x2 / x1);
}

const slopeText = (x: number | undefined) => (x === undefined ? "—" : x.toFixed(2));

function scaleTargets(vs: SizeView[]): string[] {
  const out = ["## Targets (issue 16: performance at scale)", "", "| Target | Figure | |", "|---|---|---|"];
  const atTarget = vs.find((v) => v.n === TARGET_N);
  for (const phase of ["refresh", "up"] as const) {
    const t = SCALE_TARGETS[phase];
    const o = atTarget?.ours.phases[phase];
    const f = atTarget?.floor.phases[phase];
    const lb = atTarget && phaseLowerBound(phase, atTarget.sites);
    const ratio = o && f ? o.seconds / f.seconds : undefined;
    const per = o && lb?.operations ? operationCalls(o) / lb.operations : undefined;
    const name = `${PHASE_NAMES[phase]} at N=${TARGET_N}`;
    out.push(
      `| ${name}: within ${t.ratio}× the floor | ${ratio === undefined ? "not measured" : `${s1(o!.seconds)} s / ${s1(f!.seconds)} s = ${r2(ratio)}×`} | ${verdict(ratio === undefined ? undefined : ratio <= t.ratio)} |`,
      `| ${name}: at most ${t.perOperation} console calls per ${PHASE_OPERATION[phase]} | ${per === undefined ? "not measured" : `${r2(per)} (lower bound ${r2(lb!.calls / lb!.operations)})`} | ${verdict(per === undefined ? undefined : per <= t.perOperation)} |`,
    );
  }
  const big = vs.find((v) => v.n === SCALE_N);
  const peak = big
    ? Math.max(0, ...PHASES.map((p) => big.ours.phases[p]?.processes.provider.peakRss ?? 0))
    : 0;
  out.push(
    `| Provider process under 500 MB at N=${SCALE_N} | ${big ? `${MB(peak)} MB peak (VmHWM)` : `N=${SCALE_N} not measured`} | ${verdict(big ? peak < SCALE_MEMORY_BYTES : undefined)} |`,
    "",
  );
  if (atTarget && big) {
    out.push(
      `### Growth from N=${TARGET_N} to N=${SCALE_N}`,
      "",
      `The slope on a log-log scale, log(figure at ${SCALE_N} ÷ figure at ${TARGET_N}) ÷ log(${SCALE_N / TARGET_N}): 1 is ` +
        "linear growth, above 1 worse than linear. Wall time of ours and of the floor (the engine alone), the " +
        "engine's CPU time, and the provider's peak memory.",
      "",
      "| Phase | Time, pulumi-ksc | Time, floor | Engine CPU, pulumi-ksc | Engine CPU, floor | Provider peak memory |",
      "|---|---:|---:|---:|---:|---:|",
    );
    for (const phase of PHASES) {
      const slope = (run: "ours" | "floor", pick: (p: PhaseResult) => number) => {
        const a = atTarget[run].phases[phase];
        const b = big[run].phases[phase];
        return a && b ? logLogSlope(TARGET_N, pick(a), SCALE_N, pick(b)) : undefined;
      };
      const time = (p: PhaseResult) => p.seconds;
      const engine = (p: PhaseResult) => p.processes.engine?.cpuSeconds ?? 0;
      const mem = (p: PhaseResult) => p.processes.provider.peakRss;
      out.push(
        `| ${PHASE_NAMES[phase]} | ${slopeText(slope("ours", time))} | ${slopeText(slope("floor", time))} | ` +
          `${slopeText(slope("ours", engine))} | ${slopeText(slope("floor", engine))} | ${slopeText(slope("ours", mem))} |`,
      );
    }
    out.push("");
  }
  return out;
}

export function renderReport(results: Results): { markdown: string; chart: Buffer } {
  const vs = views(results);
  const st = results.settings;
  const largest = vs[vs.length - 1];
  const atTarget = vs.find((v) => v.n === TARGET_N);
  const timeView = atTarget ?? largest;
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);

  push(
    "# pulumi-ksc benchmark",
    "",
    ...measured(results, vs),
    `Emulator latency **${st.latencyMs} ms per call**; the provider keeps ${st.callsInFlight} calls in flight.`,
    "",
    `Estate: sites of 2 distribution points, a push server on each and the site's Network Agent policy ` +
      `(5 resources per site; ${st.devicesPerSite} devices per site in the emulator). N = ${vs.map((v) => v.n).join(", ")}. ` +
      "The **floor** is the same engine on the same estate shape made of no-op dynamic resources (no console call), " +
      "measured in the same run, phase by phase alternating with ours. One run per size: on a shared machine the " +
      "seconds move from run to run (the load column below shows competing work), so read times against the floor " +
      "of the same run. How to reproduce and what each figure means: [bench/README.md](README.md).",
    "",
    "![Wall time against N per phase: pulumi-ksc, the floor and the time target](chart.png)",
    "",
  );

  const failed = vs.flatMap(failures);
  if (failed.length) push("## Failed or unexpected runs", "", ...failed, "");

  // ---- targets
  push("## Targets (issue 7)", "", "| Target | Figure | |", "|---|---|---|");
  for (const phase of ["up", "refresh", "update", "destroy"] as Phase[]) {
    const op = PHASE_OPERATION[phase] as Operation;
    const per = vs
      .map((v) => {
        const p = v.ours.phases[phase];
        const lb = phaseLowerBound(phase, v.sites);
        return p && lb.operations
          ? { n: v.n, value: operationCalls(p) / lb.operations, lb: lb.calls / lb.operations }
          : undefined;
      })
      .filter((x) => x !== undefined);
    const worst = per.reduce<(typeof per)[number] | undefined>(
      (a, x) => (!a || x.value > a.value ? x : a),
      undefined,
    );
    const ok = worst ? worst.value <= TARGET_CALLS[op] : undefined;
    const lbOver = per.some((x) => x.lb > TARGET_CALLS[op]);
    push(
      `| Console calls: at most ${TARGET_CALLS[op]} per ${op} | ` +
        (worst
          ? `${per.map((x) => `${r2(x.value)} (N=${x.n})`).join(", ")}; lower bound ${r2(worst.lb)}` +
            (lbOver ? ` — **the lower bound itself is above the target**` : "")
          : "—") +
        ` | ${verdict(ok)} |`,
    );
  }
  {
    const pairs = vs.flatMap((v) =>
      PHASES.map((phase) => v.ours.phases[phase]).filter(
        (p): p is PhaseResult => p !== undefined && p.totalCalls > 0,
      ),
    );
    const over = pairs.filter((p) => p.sessionsOpened > Math.max(1, p.processes.provider.processes));
    push(
      `| One session per provider process | ` +
        (pairs.length
          ? `${pairs.reduce((a, p) => a + p.sessionsOpened, 0)} sessions for ${pairs.reduce((a, p) => a + p.processes.provider.processes, 0)} provider processes over all phases` +
            (over.length ? `; ${over.length} phase(s) with more sessions than processes` : "")
          : "—") +
        ` | ${verdict(pairs.length ? over.length === 0 : undefined)} |`,
    );
  }
  {
    const sizes = vs.flatMap((v) => Object.entries(v.ours.phases.up?.state?.providers ?? {}));
    const worst = Math.max(0, ...sizes.map(([, p]) => p.providerBytes));
    const byKind = KINDS.map((k) => {
      const b = Math.max(0, ...sizes.filter(([kind]) => kind === k).map(([, p]) => p.providerBytes));
      return `${k} ${b} B`;
    }).join(", ");
    push(
      `| Serialized provider under 2 KB per resource | ${sizes.length ? `${byKind} (one copy; the state holds ${Math.max(...sizes.map(([, p]) => p.copies))} per resource)` : "—"} | ${verdict(sizes.length ? worst < TARGET_PROVIDER_BYTES : undefined)} |`,
    );
  }
  const statePoints = vs
    .map((v) => ({ x: v.n, y: v.ours.phases.up?.state?.fileBytes ?? 0 }))
    .filter((p) => p.y > 0);
  {
    const fit = statePoints.length >= 2 ? linearFit(statePoints) : undefined;
    push(
      `| State growth linear in N | ` +
        (fit
          ? `${statePoints.map((p) => `${Math.round(p.y / p.x)} B/resource (N=${p.x})`).join(", ")}; fit ${Math.round(fit.slope)} B × N + ${Math.round(fit.intercept)} B, worst deviation ${(fit.worst * 100).toFixed(1)}%`
          : "needs two sizes") +
        ` | ${verdict(fit ? fit.worst < 0.05 : undefined)} |`,
    );
  }
  {
    const rows = timeView
      ? PHASES.map((phase) => {
          const ours = timeView.ours.phases[phase];
          const allowed = allowedSeconds(results, timeView, phase);
          return ours && allowed !== undefined ? { phase, ours: ours.seconds, allowed } : undefined;
        }).filter((x) => x !== undefined)
      : [];
    const missed = rows.filter((r) => r.ours > r.allowed);
    push(
      `| Time at N=${TARGET_N}: each phase within ${TARGET_TIME_FACTOR}× the floor + lower-bound calls × latency ÷ calls in flight | ` +
        (atTarget
          ? rows.map((r) => `${r.phase} ${s1(r.ours)} s / ${s1(r.allowed)} s`).join(", ")
          : `N=${TARGET_N} not measured` +
            (timeView
              ? ` (at N=${timeView.n}: ${rows.map((r) => `${r.phase} ${s1(r.ours)}/${s1(r.allowed)} s`).join(", ")})`
              : "")) +
        ` | ${atTarget ? (missed.length ? `**missed** (${missed.map((r) => r.phase).join(", ")})` : "met") : "not measured"} |`,
    );
  }
  {
    const peak = atTarget
      ? Math.max(0, ...PHASES.map((p) => atTarget.ours.phases[p]?.processes.provider.peakRss ?? 0))
      : 0;
    push(
      `| Memory: provider process under 300 MB at N=${TARGET_N} | ${atTarget ? `${MB(peak)} MB peak (VmHWM)` : `N=${TARGET_N} not measured`} | ${verdict(atTarget ? peak < TARGET_MEMORY_BYTES : undefined)} |`,
      "",
    );
  }

  push(...scaleTargets(vs));

  // ---- time
  push(
    "## Wall time",
    "",
    "Seconds for the whole CLI command (program runs included: `up` is preview + update, as `pulumi up --yes`). " +
      `Allowed = ${TARGET_TIME_FACTOR} × floor + lower-bound calls × ${st.latencyMs} ms ÷ ${st.callsInFlight}. ` +
      `Load = the machine's 1-minute load average as the command ended (${results.machine.cpus} CPUs: above ` +
      `${results.machine.cpus}, other work was competing for them).`,
    "",
    "| N | Phase | pulumi-ksc | Floor | Ratio | Allowed | | Load (pulumi-ksc / floor) |",
    "|---:|---|---:|---:|---:|---:|---|---|",
  );
  for (const v of vs) {
    for (const phase of PHASES) {
      const o = v.ours.phases[phase];
      const f = v.floor.phases[phase];
      if (!o || !f) continue;
      const allowed = allowedSeconds(results, v, phase) ?? 0;
      push(
        `| ${v.n} | ${PHASE_NAMES[phase]} | ${s1(o.seconds)} | ${s1(f.seconds)} | ${r2(o.seconds / f.seconds)}× | ${s1(allowed)} | ${o.seconds <= allowed ? "within" : "**over**"} | ${o.load1 ?? "—"} / ${f.load1 ?? "—"} |`,
      );
    }
  }
  push("");

  // ---- calls
  push(
    "## Console calls",
    "",
    "Calls counted by the emulator during each phase (its counters are reset before each). *Per operation* divides " +
      "the calls, without the session calls, by the operations the phase performs: one create, update or delete per " +
      "resource it creates, changes (10% of them) or deletes, and two reads per resource for a refresh " +
      "(`pulumi refresh --yes` previews the refresh first, and both passes read every resource). Every other call " +
      "(the checks of a preview, lookups) is counted against those operations. The floor made no console calls in any phase" +
      (vs.every((v) => PHASES.every((p) => (v.floor.phases[p]?.totalCalls ?? 0) === 0))
        ? "."
        : " — **except where shown below**.") +
      "",
    "",
    "| N | Phase | Calls | Operations | Per operation | Lower bound per operation | Target | Sessions | Provider processes |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const v of vs) {
    for (const phase of PHASES) {
      const o = v.ours.phases[phase];
      if (!o) continue;
      const lb = phaseLowerBound(phase, v.sites);
      const op = PHASE_OPERATION[phase];
      const per = lb.operations ? r2(operationCalls(o) / lb.operations) : "—";
      push(
        `| ${v.n} | ${PHASE_NAMES[phase]} | ${o.totalCalls} | ${lb.operations} | ${per} | ${lb.operations ? r2(lb.calls / lb.operations) : "0"} | ${op ? TARGET_CALLS[op] : "—"} | ${o.sessionsOpened} | ${o.processes.provider.processes} |`,
      );
    }
  }
  push("");
  if (largest) {
    const methods = [
      ...new Set(PHASES.flatMap((p) => Object.keys(largest.ours.phases[p]?.calls ?? {}))),
    ].sort();
    push(
      `### Calls by method at N=${largest.n}`,
      "",
      `| Method | ${PHASES.map((p) => PHASE_NAMES[p]).join(" | ")} |`,
      `|---|${PHASES.map(() => "---:").join("|")}|`,
      ...methods.map(
        (m) => `| ${m} | ${PHASES.map((p) => largest.ours.phases[p]?.calls[m] ?? 0).join(" | ")} |`,
      ),
      "",
    );
  }
  push(
    "### Lower bound per operation",
    "",
    "The fewest calls the Open API allows for the resource's own console object, with the design's rules " +
      "(idempotent create, read-modify-write of the DP object). Looking up ids by name is left out (one search can " +
      "serve a whole provider process: devices with FindHosts, policies of all groups with GetPoliciesForGroup -1), and so is the login (counted as sessions).",
    "",
    "| Resource | create | read | update | delete |",
    "|---|---|---|---|---|",
    ...KINDS.map(
      (k) =>
        `| ${k} | ${(["create", "read", "update", "delete"] as Operation[])
          .map((op) => `${LOWER_BOUND[k][op].calls}: ${LOWER_BOUND[k][op].why}`)
          .join(" | ")} |`,
    ),
    "",
  );
  if (largest) {
    const c = census(largest.sites);
    push(
      `Weighted by the estate (per site ${c.total.DistributionPoint / largest.sites} DP, ${c.total.PushServer / largest.sites} push servers, 1 policy): ` +
        (["create", "read", "update", "delete"] as Operation[])
          .map((op) => {
            const phase = PHASES.find((p) => PHASE_OPERATION[p] === op) as Phase;
            const lb = phaseLowerBound(phase, largest.sites);
            return `${op} ${r2(lb.calls / lb.operations)}`;
          })
          .join(", ") +
        " calls per resource.",
      "",
    );
  }

  // ---- state
  push(
    "## State and serialized provider",
    "",
    "State = the stack's checkpoint file in the file backend after the phase. Serialized provider = the `__provider` " +
      "string of one resource (the state holds it twice: in inputs and outputs).",
    "",
    `| N | State after up (pulumi-ksc) | Per resource | Floor per resource | After 10% update, per resource | ${KINDS.join(" | ")} |`,
    `|---:|---:|---:|---:|---:|${KINDS.map(() => "---:").join("|")}|`,
  );
  for (const v of vs) {
    const o = v.ours.phases.up?.state;
    const f = v.floor.phases.up?.state;
    const u = v.ours.phases.update?.state;
    if (!o) continue;
    push(
      `| ${v.n} | ${o.fileBytes} | ${Math.round(o.fileBytes / Math.max(1, o.resources))} | ${f ? Math.round(f.fileBytes / Math.max(1, f.resources)) : "—"} | ${u ? Math.round(u.fileBytes / Math.max(1, u.resources)) : "—"} | ${KINDS.map((k: Kind) => o.providers[k]?.providerBytes ?? "—").join(" | ")} |`,
    );
  }
  push("");

  // ---- memory
  push(
    "## Provider process",
    "",
    "Peak resident memory (VmHWM) of the largest dynamic-provider process of the phase, and the CPU time of all of " +
      "them (`up` starts two: preview, then update).",
    "",
    "| N | Phase | Peak MB (pulumi-ksc) | Peak MB (floor) | CPU s (pulumi-ksc) | CPU s (floor) | Program CPU s (pulumi-ksc / floor) | Engine CPU s (pulumi-ksc / floor) |",
    "|---:|---|---:|---:|---:|---:|---:|---:|",
  );
  for (const v of vs) {
    for (const phase of PHASES) {
      const o = v.ours.phases[phase]?.processes;
      const f = v.floor.phases[phase]?.processes;
      if (!o || !f) continue;
      push(
        `| ${v.n} | ${PHASE_NAMES[phase]} | ${MB(o.provider.peakRss)} | ${MB(f.provider.peakRss)} | ${s1(o.provider.cpuSeconds)} | ${s1(f.provider.cpuSeconds)} | ${s1(o.program.cpuSeconds)} / ${s1(f.program.cpuSeconds)} | ${s1(o.engine.cpuSeconds)} / ${s1(f.engine.cpuSeconds)} |`,
      );
    }
  }
  push("");

  const byPhase = Object.fromEntries(
    PHASES.map((phase) => {
      const series: Series[] = [
        {
          label: "pulumi-ksc",
          color: [31, 100, 200],
          points: vs.flatMap((v) =>
            v.ours.phases[phase] ? [{ n: v.n, seconds: v.ours.phases[phase]!.seconds }] : [],
          ),
        },
        {
          label: "floor (no-op resources)",
          color: [140, 140, 140],
          points: vs.flatMap((v) =>
            v.floor.phases[phase] ? [{ n: v.n, seconds: v.floor.phases[phase]!.seconds }] : [],
          ),
        },
        {
          label: "target",
          color: [210, 50, 40],
          dash: [8, 6],
          points: vs.flatMap((v) => {
            const a = allowedSeconds(results, v, phase);
            return a === undefined ? [] : [{ n: v.n, seconds: a }];
          }),
        },
      ];
      return [phase, series];
    }),
  ) as Record<Phase, Series[]>;
  const chart = timeChart(byPhase, [
    `Target = ${TARGET_TIME_FACTOR} * floor`,
    `  + lower-bound calls`,
    `  * ${st.latencyMs} ms / ${st.callsInFlight} in flight`,
    `Latency ${st.latencyMs} ms per call`,
    `${results.machine.cpus} CPU, ${results.generatedAt.slice(0, 10)}`,
  ]);
  return { markdown: lines.join("\n"), chart };
}

/** Writes REPORT.md and chart.png next to results.json in `dir`. */
export async function writeReport(dir: string): Promise<void> {
  const results = JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8")) as Results;
  const { markdown, chart } = renderReport(results);
  fs.writeFileSync(path.join(dir, "REPORT.md"), markdown + "\n");
  fs.writeFileSync(path.join(dir, "chart.png"), chart);
}

/** Copies the latest report from bench/out to bench/ (results.json formatted as prettier --check expects). */
export async function publish(out = path.join(__dirname, "out")): Promise<void> {
  await writeReport(out);
  const prettier = await import("prettier");
  const options = (await prettier.resolveConfig(path.join(__dirname, "results.json"))) ?? {};
  const json = await prettier.format(fs.readFileSync(path.join(out, "results.json"), "utf8"), {
    ...options,
    parser: "json",
  });
  fs.writeFileSync(path.join(__dirname, "results.json"), json);
  fs.copyFileSync(path.join(out, "REPORT.md"), path.join(__dirname, "REPORT.md"));
  fs.copyFileSync(path.join(out, "chart.png"), path.join(__dirname, "chart.png"));
}

if (require.main === module) {
  // --published: REPORT.md and chart.png of bench/ again from bench/results.json (after a change of the renderer).
  const what = process.argv.includes("--publish")
    ? publish()
    : writeReport(process.argv.includes("--published") ? __dirname : path.join(__dirname, "out"));
  what.catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
