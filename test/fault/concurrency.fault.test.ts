// Concurrency: 50 distribution points, each with a push server, applied with the engine's default parallelism;
// then one update that changes both the DP settings and the push-server port of every host. DistributionPoint and
// PushServer both rewrite the whole DP object of their host (ModifyUpdateAgent replaces it), so without the
// per-host read-modify-write one of the two changes would be lost. For the update the PushServers name their
// host by a literal host id instead of `dp.hostId`, so the engine does not order the two updates of a host: they
// may run at the same time in the one provider process.
//
// Whether they do depends on the engine's scheduling (each PushServer's check reads the console before its update
// starts); in our runs at default parallelism no two cycles of one host overlapped (the report says how many did),
// so that update alone cannot show the lock at work. So a test-only preload (test/support/fault/lock-preload.js, loaded with NODE_OPTIONS; the shipped provider has no switch
// for it) watches the lock in every update, and two more updates make both cycles of every host start together:
// with the lock nothing is lost, and with the lock taken out the same check finds lost updates.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expectSuccess, type TestStack } from "../../tools/engine";
import {
  ConsoleSnapshot,
  PUSH,
  groupIdOf,
  hostIdOf,
  scopeGroupIds,
  snapshot,
} from "../support/fault/console";
import { Declaration, declare, declareDir } from "../support/fault/declare";
import { Ksc, countersSince, kscStack, ofType, report } from "../support/fault/fixture";

jest.setTimeout(15 * 60 * 1000);

const SITES = 25;
const pad = (n: number) => String(n).padStart(3, "0");
const HOSTS = Array.from({ length: SITES }, (_, i) => i + 1).flatMap((s) =>
  [1, 2].map((d) => ({
    device: `site${pad(s)}-dp-0${d}`,
    group: `Managed devices/Site ${pad(s)}`,
    name: `s${pad(s)}d${d}`,
  })),
);

interface Settings {
  dpPort: number;
  distributePackages: boolean;
  pushPort: number;
}

function declarations(s: Settings, hostIds?: Map<string, string>): Declaration[] {
  return HOSTS.flatMap((h) => [
    {
      kind: "DistributionPoint" as const,
      name: h.name,
      args: {
        ...(hostIds ? { hostId: hostIds.get(h.device) } : { deviceName: h.device }),
        scopeGroups: [h.group],
        port: s.dpPort,
        distributePackages: s.distributePackages,
      },
    },
    {
      kind: "PushServer" as const,
      name: `${h.name}-push`,
      args: { hostId: hostIds ? hostIds.get(h.device) : `\${${h.name}.hostId}`, port: s.pushPort },
    },
  ]);
}

/** Hosts whose DP object differs from the settings (empty: every host has every change). */
function lostUpdates(snap: ConsoleSnapshot, s: Settings): string[] {
  const out: string[] = [];
  for (const h of HOSTS) {
    const dp = snap.dps[hostIdOf(snap, h.device)];
    if (!dp) {
      out.push(`${h.device}: not a DP`);
      continue;
    }
    const got = {
      dpPort: dp.UaPort,
      distributePackages: dp.UaDistributePackages,
      pushPort: dp[PUSH.port],
      push: dp[PUSH.enabled],
      scope: scopeGroupIds(dp),
    };
    const want = { ...s, push: true, scope: [groupIdOf(snap, h.group)] };
    if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${h.device}: ${JSON.stringify(got)}`);
  }
  if (Object.keys(snap.dps).length !== HOSTS.length)
    out.push(`${Object.keys(snap.dps).length} DPs in the console`);
  return out;
}

describe(`${HOSTS.length} DPs with a push server each, default engine parallelism`, () => {
  let ksc: Ksc;
  let stack: TestStack;
  const rows: string[] = [];
  const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const before = ksc.counters();
    const started = Date.now();
    try {
      return await fn();
    } finally {
      const c = countersSince(before, ksc.counters());
      rows.push(
        `${what}: ${((Date.now() - started) / 1000).toFixed(1)} s, ModifyUpdateAgent ${c.calls["UaControl.ModifyUpdateAgent"] ?? 0}, RegisterUpdateAgent ${c.calls["UaControl.RegisterUpdateAgent"] ?? 0}, sessions ${c.sessionsOpened}`,
      );
    }
  };

  beforeAll(async () => {
    ksc = await Ksc.start({ seed: { sites: SITES, devicesPerSite: 4 } });
    stack = await kscStack(declareDir, ksc, { config: { resources: "[]" } });
  });

  afterAll(async () => {
    report("concurrency", rows);
    await stack?.dispose();
    await ksc?.stop();
  });

  const initial: Settings = { dpPort: 13000, distributePackages: true, pushPort: 13295 };
  const changed: Settings = { dpPort: 13001, distributePackages: false, pushPort: 13300 };

  test("create", async () => {
    await declare(stack, declarations(initial));
    expectSuccess(await timed("up (create 100 resources)", () => stack.up(["--skip-preview"])));
    expect(lostUpdates(await snapshot(ksc.raw), initial)).toEqual([]);
    const state = await stack.resources();
    expect(ofType(state, "DistributionPoint")).toHaveLength(HOSTS.length);
    expect(ofType(state, "PushServer")).toHaveLength(HOSTS.length);
  });

  /**
   * One `up` changing DP settings and push port of every host to `to`, with test/support/fault/lock-preload.js in `mode`: the
   * hosts whose change was lost, and the lock's log (how many cycles found another cycle on their host under way).
   */
  async function updateAll(
    to: Settings,
    mode: "observe" | "meet" | "meet-without-lock",
    args: string[] = [],
  ): Promise<{ lost: string[]; overlaps: number; cycles: number }> {
    const s = await snapshot(ksc.raw);
    const hostIds = new Map(HOSTS.map((h) => [h.device, hostIdOf(s, h.device)]));
    await declare(stack, declarations(to, hostIds));
    const preview = await stack.previewJson();
    expect(preview.changeSummary).toMatchObject({ update: HOSTS.length * 2 });
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ksc-lock-")), "lock.log");
    const env = {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${path.join(__dirname, "..", "support", "fault", "lock-preload.js")}`,
      KSC_TEST_LOCK: mode,
      KSC_TEST_LOCK_LOG: log,
    };
    // Latency keeps more calls in flight at once, so the two read-modify-write cycles of a host overlap more.
    ksc.faults({ latencyMs: Number(process.env.KSC_TEST_LATENCY ?? 20) });
    const up = expectSuccess(
      await timed(`up (update 100 resources), lock ${mode}`, () =>
        stack.run(["up", "--yes", "--skip-preview", ...args], { env }),
      ),
    );
    ksc.faults({});
    expect(up.stdout).toMatch(new RegExp(`~ ${HOSTS.length * 2} updated`));
    const lines = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
    fs.rmSync(path.dirname(log), { recursive: true, force: true });
    const result = {
      lost: lostUpdates(await snapshot(ksc.raw), to),
      overlaps: lines.filter((l) => l.startsWith("overlap ")).length,
      cycles: lines.length,
    };
    rows.push(
      `  lock ${mode}: ${result.cycles} read-modify-write cycles, ${result.overlaps} began while another on the same host was under way; ${result.lost.length} hosts lost an update`,
    );
    return result;
  }

  test("one update changes DP settings and push port of every host: no update is lost", async () => {
    const r = await updateAll(changed, "observe");
    // The preload saw every cycle (so the "meet" runs below watch the same thing).
    expect(r.cycles).toBe(HOSTS.length * 2);
    expect(r.lost).toEqual([]);
    expectSuccess(
      await timed("preview --refresh --expect-no-changes", () =>
        stack.preview(["--refresh", "--expect-no-changes"]),
      ),
    );
  });

  // Every step may start at once (--parallel above the number of resources), so each host's second cycle can
  // always reach the door where the first waits for it.
  const ALL_AT_ONCE = ["--parallel", String(HOSTS.length * 2 + 10)];

  test("both cycles of every host made to start together: the lock makes one wait, nothing is lost", async () => {
    const r = await updateAll(
      { dpPort: 13002, distributePackages: true, pushPort: 13301 },
      "meet",
      ALL_AT_ONCE,
    );
    expect(r.cycles).toBe(HOSTS.length * 2);
    expect(r.overlaps).toBe(HOSTS.length);
    expect(r.lost).toEqual([]);
  });

  test("the check can fail: the same, with the lock taken out of the provider, loses updates", async () => {
    const r = await updateAll(
      { dpPort: 13003, distributePackages: false, pushPort: 13302 },
      "meet-without-lock",
      ALL_AT_ONCE,
    );
    expect(r.overlaps).toBe(HOSTS.length);
    expect(r.lost.length).toBeGreaterThan(0);
  });

  test("destroy", async () => {
    expectSuccess(await timed("destroy", () => stack.destroy(["--skip-preview"])));
    expect(Object.keys((await snapshot(ksc.raw)).dps)).toEqual([]);
  });
});
