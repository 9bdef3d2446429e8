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
}

export interface Results {
  generatedAt: string;
  settings: {
    latencyMs: number;
    sizes: number[];
    /** Calls the provider keeps in flight (client maxInFlight), used in the time target. */
    callsInFlight: number;
    /** The engine's --parallel (default of the CLI). */
    engineParallel: number;
    devicesPerSite: number;
  };
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGB: number;
    node: string;
    pulumi: string;
    loadBefore: number[];
  };
  runs: SizeRun[];
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
