// Transient faults: `pulumi up` of examples/multi-site against an emulator injecting latency, HTTP 500/503,
// KLSTD 1195, connection resets, "applied, then the response dropped" and sessions that expire mid-run, for several
// fixed seeds. Each up either succeeds or fails with a clear error, and a later up (no manual step in between)
// succeeds. After every run nothing is duplicated or orphaned; at the end the console equals the declaration and
// `preview --refresh --expect-no-changes` exits 0. Then the same for `destroy`.
//
// The call order of a run depends on the engine's parallelism, so a seed fixes the fault sequence, not which call
// gets which fault: the report (printed at the end) gives what each seed actually did.
import type { FaultConfig } from "ksc-emulator";
import { expectSuccess, type PulumiResult, type TestStack } from "../../tools/engine";
import { snapshot } from "../support/fault/console";
import {
  Counters,
  Ksc,
  NO_COUNTS,
  addCounters,
  counted,
  countersSince,
  errorLines,
  kscStack,
  report,
  totalCalls,
  totalFaults,
} from "../support/fault/fixture";
import { declaredProblems, invariantProblems, multiSiteDir } from "../support/fault/multiSite";

jest.setTimeout(15 * 60 * 1000);

const SEEDS = (process.env.KSC_FAULT_SEEDS ?? "101,202,303").split(",").map(Number);
/** Attempts of `up` (and of `destroy`) per seed before the test gives up. */
const MAX_RUNS = 4;

/** Rates: enough that every run meets several faults of each kind, few enough that a run can still finish. */
function faultsFor(seed: number): FaultConfig {
  return {
    seed,
    latencyMs: 10,
    errorRate: 0.1,
    errorKinds: ["http500", "http503", "klstd1195"],
    resetRate: 0.04,
    dropAfterApplyRate: 0.04,
    sessionTtlSeconds: 2,
  };
}

interface Row {
  seed: number;
  /** Retries the client made, from its debug lines (KSC_DEBUG=1): "…; retrying in N ms (attempt k)". */
  retries: number;
  /** Logins again after the server refused a session (expired mid-run). */
  relogins: number;
  /** Counters of the stack's runs only (the raw checks between runs are left out). */
  counters: Counters;
  ups: number;
  destroys: number;
  outcome: string;
  errors: string[];
}

const rows: Row[] = [];

/** Every open session ends this often during a run (POST /control/expire-sessions): the next call is refused
 * (401) and the client must log in again mid-run. */
const EXPIRE_EVERY_MS = 700;
let baseline: Counters | undefined;

/**
 * A failed run must say what failed: at least one error line naming the Open API call that failed and what the
 * provider was doing ("making … a distribution point: UaControl.RegisterUpdateAgent: HTTP 503 …"), and no
 * credentials anywhere in the output.
 */
function expectClearFailure(r: PulumiResult, password: string): string[] {
  const lines = errorLines(r).filter((l) => !/^error: (update|destroy) failed$/.test(l));
  const clear = (l: string) =>
    /^error: \S.*: (UaControl|HostGroup|ChunkAccessor|Policy|SsContents|Session)\.\w+/.test(l);
  if (lines.length === 0 || !lines.every(clear)) {
    throw new Error(
      `${r.command} (exit ${r.code}) failed without a clear error:\n${r.stdout}\n--- stderr\n${r.stderr}`,
    );
  }
  expect(`${r.stdout}\n${r.stderr}`).not.toContain(password);
  return lines;
}

describe("multi-site under transient faults", () => {
  let ksc: Ksc;

  /** Runs a pulumi command while sessions keep expiring. */
  async function expiring<T>(fn: () => Promise<T>): Promise<T> {
    const expire = () =>
      fetch(`${ksc.url}/control/expire-sessions`, { method: "POST" }).catch(() => undefined);
    const timer = setInterval(() => void expire(), EXPIRE_EVERY_MS);
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  beforeAll(async () => {
    ksc = await Ksc.start();
  });

  afterAll(async () => {
    const fmt = (o: Record<string, number>) =>
      Object.entries(o)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none";
    report(
      "transient faults, per seed (faults injected over all runs of the seed; calls and sessions vs. one fault-free up+destroy)",
      [
        `fault-free up+destroy: ${baseline ? totalCalls(baseline) : "?"} calls, ${baseline?.sessionsOpened ?? "?"} sessions`,
        ...rows.map(
          (r) =>
            `seed ${r.seed}: faults {${fmt(r.counters.faultsInjected)}}; client retries ${r.retries}, logins again ${r.relogins}; ${totalCalls(r.counters)} calls (+${baseline ? totalCalls(r.counters) - totalCalls(baseline) : "?"} vs fault-free: retries, re-reads, re-runs); ${r.counters.sessionsOpened} sessions; up runs ${r.ups}, destroy runs ${r.destroys}; ${r.outcome}` +
            r.errors.map((e) => `\n    ${e}`).join(""),
        ),
      ],
    );
    await ksc?.stop();
  });

  test("fault-free baseline: one up and one destroy", async () => {
    await ksc.reseed();
    const before = ksc.counters();
    const stack = await kscStack(multiSiteDir, ksc);
    try {
      expectSuccess(await stack.up(["--skip-preview"]));
      expectSuccess(await stack.destroy());
      baseline = countersSince(before, ksc.counters());
      expect(totalFaults(baseline)).toBe(0);
    } finally {
      await stack.dispose();
    }
  });

  test.each(SEEDS)(
    "seed %d: up converges, nothing duplicated or left behind; destroy converges",
    async (seed) => {
      await ksc.reseed();
      const password = ksc.emu.credentials.password;
      const row: Row = {
        seed,
        retries: 0,
        relogins: 0,
        counters: NO_COUNTS,
        ups: 0,
        destroys: 0,
        outcome: "",
        errors: [],
      };
      const tally = (r: PulumiResult) => {
        // Each message shows twice (as it happens, and in the summary): count the summary only.
        const text = r.stdout.slice(r.stdout.lastIndexOf("\nDiagnostics:\n"));
        row.retries += (text.match(/debug: \[pulumi-ksc\] KSC \S+: .*; retrying in \d+ ms/g) ?? []).length;
        row.relogins += (
          text.match(/debug: \[pulumi-ksc\] KSC: the session on .* was refused/g) ?? []
        ).length;
      };
      rows.push(row);
      const stack: TestStack = await kscStack(multiSiteDir, ksc, { env: { KSC_DEBUG: "1" } });
      try {
        // up, until it succeeds; the fault sequence of each run starts from its own seed.
        let up: PulumiResult | undefined;
        for (let run = 1; run <= MAX_RUNS; run++) {
          ksc.faults(faultsFor(seed * 10 + run));
          up = await counted(ksc, row, () => expiring(() => stack.up(["--skip-preview"])));
          tally(up);
          ksc.faults({});
          row.ups = run;
          if (up.code !== 0)
            row.errors.push(...expectClearFailure(up, password).map((l) => `up ${run}: ${l}`));
          const state = await stack.resources();
          expect(invariantProblems(await snapshot(ksc.raw), state)).toEqual([]);
          if (up.code === 0) break;
        }
        expect(up?.code).toBe(0);
        expect(declaredProblems(await snapshot(ksc.raw), await stack.resources())).toEqual([]);
        expectSuccess(await stack.preview(["--refresh", "--expect-no-changes"]));

        // destroy, until it succeeds.
        let destroy: PulumiResult | undefined;
        for (let run = 1; run <= MAX_RUNS; run++) {
          ksc.faults(faultsFor(seed * 10 + 5 + run));
          destroy = await counted(ksc, row, () => expiring(() => stack.destroy()));
          tally(destroy);
          ksc.faults({});
          row.destroys = run;
          if (destroy.code !== 0) {
            row.errors.push(...expectClearFailure(destroy, password).map((l) => `destroy ${run}: ${l}`));
          }
          if (destroy.code === 0) break;
        }
        expect(destroy?.code).toBe(0);
        expect(await stack.resources()).toEqual([]);
        const after = await snapshot(ksc.raw);
        expect(Object.keys(after.dps)).toEqual([]);
        expect(Object.values(after.policies).map((p) => p.name)).toEqual([
          "Kaspersky Security Center Network Agent",
        ]);
        row.outcome = `converged (up in ${row.ups}, destroy in ${row.destroys})`;
      } catch (err) {
        row.outcome = `FAILED: ${(err as Error).message.split("\n")[0]}`;
        throw err;
      } finally {
        ksc.faults({});
        await stack.dispose().catch(() => undefined);
      }
    },
  );

  // The suite is only meaningful if every kind of fault happened: checked over all seeds together.
  test("every kind of fault was injected, and sessions expired mid-run", () => {
    const all = rows.reduce((a, r) => addCounters(a, r.counters), NO_COUNTS).faultsInjected;
    expect(all.reset).toBeGreaterThan(0);
    expect(all.dropAfterApply).toBeGreaterThan(0);
    expect(all.http500).toBeGreaterThan(0);
    expect(all.http503).toBeGreaterThan(0);
    expect(all.klstd1195).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + r.retries, 0)).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + r.relogins, 0)).toBeGreaterThan(0);
  });
});
