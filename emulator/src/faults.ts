// Faults injected at the HTTP layer, for the tests of clients: added latency, transient errors
// (HTTP 500/503, PxgError KLSTD 1195), connection resets, "apply the change, then drop the response",
// and sessions that expire. A seeded PRNG makes a fault sequence repeatable for the same call order; a script
// gives chosen calls a chosen fault, for tests that need exactly one lost reply.

export type TransientKind = "http500" | "http503" | "klstd1195";

/** The next `times` (default 1) calls of `method` ("Class.Method" or "Class.*") get `fault`, whatever the rates say. */
export interface ScriptedFault {
  method: string;
  fault: "reset" | "dropAfterApply" | TransientKind;
  times?: number;
}

export interface FaultConfig {
  /** PRNG seed; the same seed and the same sequence of calls give the same faults */
  seed?: number;
  /** added to every API call */
  latencyMs?: number;
  /** probability (0..1) of a transient error instead of executing the call */
  errorRate?: number;
  /** which transient errors to draw from (default: all three) */
  errorKinds?: TransientKind[];
  /** probability of closing the connection without executing the call */
  resetRate?: number;
  /** probability of executing the call, then closing the connection without a reply */
  dropAfterApplyRate?: number;
  /** sessions expire this many seconds after they were opened */
  sessionTtlSeconds?: number;
  /** restrict faults to these calls: "Class.Method" or "Class.*" (default: every API call) */
  methods?: string[];
  /** never fault these calls (same syntax) */
  excludeMethods?: string[];
  /**
   * HTTP status of PxgError replies: 200 (default, like KlAkOAPI expects) or 500
   * (docs/ksc-open-api.md#http-status-codes)
   */
  pxgErrorStatus?: 200 | 500;
  /** faults for chosen calls, used up in order (methods/excludeMethods do not apply to them) */
  script?: ScriptedFault[];
}

export type FaultDecision =
  | { kind: "none" }
  | { kind: "reset" }
  | { kind: "transient"; error: TransientKind }
  | { kind: "dropAfterApply" };

export type FaultCounters = Record<"reset" | "dropAfterApply" | TransientKind, number>;

/** mulberry32: small, fast, good enough for repeatable test faults. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rate(x: number | undefined, name: string): number {
  if (x === undefined) return 0;
  if (typeof x !== "number" || !(x >= 0 && x <= 1))
    throw new Error(`faults.${name} must be a number in 0..1`);
  return x;
}

function methodMatches(patterns: string[], method: string): boolean {
  return patterns.some((p) => p === method || (p.endsWith(".*") && method.startsWith(p.slice(0, -1))));
}

function checkScripted(f: ScriptedFault, faults: string[]): void {
  if (typeof f !== "object" || f === null || typeof f.method !== "string" || f.method === "") {
    throw new Error('faults.script: each entry needs a "method"');
  }
  if (!faults.includes(f.fault)) throw new Error(`faults.script: unknown fault ${String(f.fault)}`);
  if (f.times !== undefined && !(Number.isInteger(f.times) && f.times > 0)) {
    throw new Error("faults.script: times must be a positive integer");
  }
}

export class FaultInjector {
  private config: FaultConfig = {};
  private random: () => number = mulberry32(1);
  private scripted: { method: string; fault: ScriptedFault["fault"]; left: number }[] = [];
  counters: FaultCounters = { reset: 0, dropAfterApply: 0, http500: 0, http503: 0, klstd1195: 0 };

  constructor(config: FaultConfig = {}) {
    this.configure(config);
  }

  /** Replace the configuration (validated) and restart the PRNG from the seed. */
  configure(config: FaultConfig): void {
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
      throw new Error("fault config must be a JSON object");
    }
    rate(config.errorRate, "errorRate");
    rate(config.resetRate, "resetRate");
    rate(config.dropAfterApplyRate, "dropAfterApplyRate");
    const total = (config.errorRate ?? 0) + (config.resetRate ?? 0) + (config.dropAfterApplyRate ?? 0);
    if (total > 1) throw new Error("errorRate + resetRate + dropAfterApplyRate must not exceed 1");
    if (config.latencyMs !== undefined && !(typeof config.latencyMs === "number" && config.latencyMs >= 0)) {
      throw new Error("faults.latencyMs must be a non-negative number");
    }
    if (
      config.sessionTtlSeconds !== undefined &&
      !(typeof config.sessionTtlSeconds === "number" && config.sessionTtlSeconds > 0)
    ) {
      throw new Error("faults.sessionTtlSeconds must be a positive number");
    }
    const kinds: TransientKind[] = ["http500", "http503", "klstd1195"];
    for (const k of config.errorKinds ?? []) {
      if (!kinds.includes(k)) throw new Error(`faults.errorKinds: unknown kind ${String(k)}`);
    }
    if (config.errorKinds && config.errorKinds.length === 0)
      throw new Error("faults.errorKinds must not be empty");
    if (
      config.pxgErrorStatus !== undefined &&
      config.pxgErrorStatus !== 200 &&
      config.pxgErrorStatus !== 500
    ) {
      throw new Error("faults.pxgErrorStatus must be 200 or 500");
    }
    const script = config.script ?? [];
    if (!Array.isArray(script)) throw new Error("faults.script must be an array");
    for (const f of script) checkScripted(f, [...kinds, "reset", "dropAfterApply"]);
    this.config = { ...config };
    delete this.config.script;
    this.random = mulberry32(config.seed ?? 1);
    this.scripted = [];
    for (const f of script) this.schedule(f);
  }

  /** Add a scripted fault after those already waiting (the rest of the configuration stays). */
  schedule(f: ScriptedFault): void {
    checkScripted(f, ["http500", "http503", "klstd1195", "reset", "dropAfterApply"]);
    this.scripted.push({ method: f.method, fault: f.fault, left: f.times ?? 1 });
  }

  get current(): FaultConfig {
    const script = this.scripted.map((f) => ({ method: f.method, fault: f.fault, times: f.left }));
    return { ...this.config, ...(script.length ? { script } : {}) };
  }

  get latencyMs(): number {
    return this.config.latencyMs ?? 0;
  }

  get pxgErrorStatus(): number {
    return this.config.pxgErrorStatus ?? 200;
  }

  /** Decide the fault for one API call. Always two draws per eligible call, so sequences stay aligned. */
  decide(method: string): FaultDecision {
    const i = this.scripted.findIndex((f) => methodMatches([f.method], method));
    if (i >= 0) {
      const f = this.scripted[i];
      if (--f.left <= 0) this.scripted.splice(i, 1);
      this.counters[f.fault]++;
      if (f.fault === "reset" || f.fault === "dropAfterApply") return { kind: f.fault };
      return { kind: "transient", error: f.fault };
    }
    const c = this.config;
    if (c.methods && !methodMatches(c.methods, method)) return { kind: "none" };
    if (c.excludeMethods && methodMatches(c.excludeMethods, method)) return { kind: "none" };
    const reset = c.resetRate ?? 0;
    const error = c.errorRate ?? 0;
    const drop = c.dropAfterApplyRate ?? 0;
    if (reset + error + drop === 0) return { kind: "none" };
    const r = this.random();
    const pick = this.random();
    if (r < reset) {
      this.counters.reset++;
      return { kind: "reset" };
    }
    if (r < reset + error) {
      const kinds = c.errorKinds ?? ["http500", "http503", "klstd1195"];
      const kind = kinds[Math.min(kinds.length - 1, Math.floor(pick * kinds.length))];
      this.counters[kind]++;
      return { kind: "transient", error: kind };
    }
    if (r < reset + error + drop) {
      this.counters.dropAfterApply++;
      return { kind: "dropAfterApply" };
    }
    return { kind: "none" };
  }

  resetCounters(): void {
    this.counters = { reset: 0, dropAfterApply: 0, http500: 0, http503: 0, klstd1195: 0 };
  }
}
