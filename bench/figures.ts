// The figures of a run: the shape of bench/out/results.json (written by run.ts, read by report.ts), and the CLI
// summary parser. (Not named results.ts: Node would resolve "./results" to the published results.json.)
import type { Kind } from "./estate";
import type { Phase } from "./lowerBound";
import type { Role, RoleSummary } from "./procwatch";

export type Impl = "ksc" | "floor";

export interface PhaseResult {
  command: string;
  exitCode: number;
  /** Wall time of the whole CLI command, seconds. */
  seconds: number;
  /** The machine's 1-minute load average when the command ended (other work on a shared machine shows here). */
  load1: number;
  /** The CLI's "Resources:" summary, e.g. { created: 10 } or { unchanged: 11 }. */
  summary: Record<string, number>;
  /** Console calls by "Class.Method" during the phase (the emulator's counters, reset before it). */
  calls: Record<string, number>;
  totalCalls: number;
  sessionsOpened: number;
  /** Processes started by the command, per role (provider = the dynamic-provider plugin). */
  processes: Record<Role, RoleSummary>;
  /** After the phase: state file size and serialized providers (phases that write state). */
  state?: StateFigures;
  /** The first lines of stderr when the command failed. */
  error?: string;
}

export interface StateFigures {
  /** The stack's state file on disk (the file backend's checkpoint), bytes. */
  fileBytes: number;
  /** Resources in the state, without the stack and provider resources. */
  resources: number;
  /** Per resource type: how many, and the length of its serialized provider (`__provider`, one copy). */
  providers: Partial<Record<Kind, { resources: number; providerBytes: number; copies: number }>>;
}

export interface SizeRun {
  /** Resources in the estate. */
  n: number;
  sites: number;
  impl: Impl;
  phases: Partial<Record<Phase, PhaseResult>>;
  /** Where and from what this size was measured (absent in results written before it was recorded). */
  provenance?: Provenance;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  node: string;
  pulumi: string;
  loadBefore: number[];
}

/** What a run measured: the code (commit and whether the working tree had changes), when, on what, how. */
export interface Provenance {
  generatedAt: string;
  /** `git rev-parse HEAD` of the checkout; absent: not recorded (or not a git checkout). */
  commit?: string;
  /** The working tree had uncommitted changes (`git status --porcelain` not empty): the figures are of those. */
  dirty?: boolean;
  engineParallel: number;
  /** "cli-help": the default printed by `pulumi up --help`; "fallback": the help showed none, 8 was assumed. */
  engineParallelFrom?: "cli-help" | "fallback";
  machine: Machine;
}

export interface Results {
  /** When the latest size was measured. */
  generatedAt: string;
  settings: {
    latencyMs: number;
    sizes: number[];
    /** Calls the provider keeps in flight (client maxInFlight), used in the time target. */
    callsInFlight: number;
    /** The engine's --parallel in the latest size's run. */
    engineParallel: number;
    engineParallelFrom?: Provenance["engineParallelFrom"];
    devicesPerSite: number;
  };
  /** The machine of the latest size's run. */
  machine: Machine;
  runs: SizeRun[];
}

/** The provenance of a run: its own, or for results written before runs kept one, the file's header. */
export function provenanceOf(results: Results, run: SizeRun): Provenance {
  return (
    run.provenance ?? {
      generatedAt: results.generatedAt,
      engineParallel: results.settings.engineParallel,
      engineParallelFrom: results.settings.engineParallelFrom,
      machine: results.machine,
    }
  );
}

/**
 * BENCH_MERGE: the runs of `earlier` for the sizes not measured again, each keeping its own provenance (taken from
 * the earlier file's header when it had none).
 */
export function keptRuns(earlier: Results, measuring: number[]): SizeRun[] {
  const again = new Set(measuring);
  return earlier.runs
    .filter((r) => !again.has(r.n))
    .map((r) => ({ ...r, provenance: provenanceOf(earlier, r) }));
}

/** The CLI's "Resources:" block: `+ 10 created`, `11 unchanged`, `~ 2 to update` → { created: 10, … }. */
export function parseSummary(stdout: string): Record<string, number> {
  const out: Record<string, number> = {};
  const start = stdout.lastIndexOf("Resources:");
  if (start === -1) return out;
  for (const line of stdout.slice(start).split("\n").slice(1)) {
    if (line.trim() === "") break;
    const m = /^\s*(?:[+~-]|\+-|-\+)?\s*(\d+) (.+?)\s*$/.exec(line);
    if (m) out[m[2]] = Number(m[1]);
  }
  return out;
}
