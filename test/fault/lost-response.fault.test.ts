// Lost responses: for each write the provider makes, the emulator executes the call and then drops the
// connection without a reply ("applied, then the response lost"), for the first call of that method only. The run
// either copes on its own or fails with a clear error; the next `pulumi up` (no manual step) converges: the console
// holds exactly the declaration, nothing is duplicated, and `preview --refresh --expect-no-changes` exits 0.
//
// One stack walks through a lifecycle (program: programs/declare), one targeted write per step.
import { expectSuccess, type PulumiResult, type TestStack } from "../../tools/engine";
import {
  ConsoleSnapshot,
  PUSH,
  groupIdOf,
  hostIdOf,
  naPoliciesNamed,
  scopeGroupIds,
  setting,
  snapshot,
} from "../support/fault/console";
import { Declaration, declare, declareDir, firstCallOnlySeed } from "../support/fault/declare";
import { Ksc, countersSince, errorLines, kscStack, ofType, report } from "../support/fault/fixture";

jest.setTimeout(15 * 60 * 1000);

const GROUP = "Managed devices/Branch Milan";
const DEVICE = "milan-dp-01";

interface Declared {
  dp: boolean;
  push: boolean;
  policy: boolean;
  dpPort: number;
  pushPort: number;
  policyName: string;
  forceLocked: boolean;
}

function declarations(d: Declared): Declaration[] {
  const out: Declaration[] = [];
  if (d.dp) {
    out.push({
      kind: "DistributionPoint",
      name: "dp",
      args: { deviceName: DEVICE, scopeGroups: [GROUP], port: d.dpPort },
    });
  }
  if (d.push)
    out.push({ kind: "PushServer", name: "push", args: { hostId: "${dp.hostId}", port: d.pushPort } });
  if (d.policy) {
    out.push({
      kind: "NetworkAgentPolicy",
      name: "policy",
      args: {
        group: GROUP,
        name: d.policyName,
        forceConnectionThroughDp: { value: true, locked: d.forceLocked },
        useUdpPort: { value: false, locked: false },
      },
    });
  }
  return out;
}

/** Differences between the console and the declaration (empty: equal). */
function problems(s: ConsoleSnapshot, d: Declared): string[] {
  const out: string[] = [];
  const hostId = hostIdOf(s, DEVICE);
  const dps = Object.keys(s.dps);
  if (dps.length !== (d.dp ? 1 : 0) || (d.dp && dps[0] !== hostId))
    out.push(`DPs in the console: ${dps.length}`);
  const dp = s.dps[hostId];
  if (d.dp && dp) {
    if (dp.UaPort !== d.dpPort) out.push(`UaPort ${dp.UaPort}, declared ${d.dpPort}`);
    if (JSON.stringify(scopeGroupIds(dp)) !== JSON.stringify([groupIdOf(s, GROUP)]))
      out.push("scope differs");
    const running = dp[PUSH.enabled] === true;
    if (running !== d.push) out.push(`push server running: ${running}, declared ${d.push}`);
    if (d.push && dp[PUSH.port] !== d.pushPort)
      out.push(`push port ${dp[PUSH.port]}, declared ${d.pushPort}`);
  }
  const group = groupIdOf(s, GROUP);
  const mine = Object.values(s.policies).filter((p) => p.groupId === group);
  if (mine.length !== (d.policy ? 1 : 0))
    out.push(`${mine.length} policies on the group: ${mine.map((p) => p.name).join(", ")}`);
  if (d.policy) {
    const p = naPoliciesNamed(s, group, d.policyName)[0];
    const force = p && setting(p, "PROPOSED_UseDpForceConnection");
    const udp = p && setting(p, "OpenUdpPort");
    if (!p) out.push(`no policy named ${d.policyName}`);
    else if (
      force?.value !== true ||
      force.locked !== d.forceLocked ||
      udp?.value !== false ||
      udp.locked !== false
    ) {
      out.push(`policy settings ${JSON.stringify(p.network)}`);
    }
  }
  if (Object.keys(s.policies).length !== 1 + (d.policy ? 1 : 0)) out.push("policies elsewhere changed");
  return out;
}

interface Step {
  /** The write whose response is lost. */
  write: string;
  method: string;
  change: Partial<Declared>;
}

const STEPS: Step[] = [
  { write: "register DP", method: "UaControl.RegisterUpdateAgent", change: { dp: true } },
  { write: "enable push server (modify DP)", method: "UaControl.ModifyUpdateAgent", change: { push: true } },
  { write: "add policy", method: "Policy.AddPolicy", change: { policy: true } },
  { write: "modify DP settings", method: "UaControl.ModifyUpdateAgent", change: { dpPort: 13001 } },
  {
    write: "change push server port (modify DP)",
    method: "UaControl.ModifyUpdateAgent",
    change: { pushPort: 13300 },
  },
  { write: "apply policy contents (update)", method: "SsContents.Ss_Apply", change: { forceLocked: false } },
  {
    write: "update policy data (rename)",
    method: "Policy.UpdatePolicyData",
    change: { policyName: "NA fault tests, renamed" },
  },
  {
    write: "turn off push server (modify DP)",
    method: "UaControl.ModifyUpdateAgent",
    change: { push: false },
  },
  { write: "delete policy", method: "Policy.DeletePolicy", change: { policy: false } },
  { write: "apply policy contents (create)", method: "SsContents.Ss_Apply", change: { policy: true } },
  { write: "unregister DP (delete)", method: "UaControl.UnregisterUpdateAgent", change: { dp: false } },
];

function summary(r: PulumiResult): string {
  const m = /Resources:\n([\s\S]*?)\n\n/.exec(r.stdout);
  return (m ? m[1] : "").replace(/\s+/g, " ").trim();
}

describe("a write applied but its response lost, for each write", () => {
  let ksc: Ksc;
  let stack: TestStack;
  let declared: Declared = {
    dp: false,
    push: false,
    policy: false,
    dpPort: 13000,
    pushPort: 13295,
    policyName: "NA fault tests",
    forceLocked: true,
  };
  const seed = firstCallOnlySeed();
  const rows: string[] = [];

  beforeAll(async () => {
    ksc = await Ksc.start();
    stack = await kscStack(declareDir, ksc, { config: { resources: "[]" } });
  });

  afterAll(async () => {
    report("lost responses (first call of the method applied, reply dropped)", rows);
    ksc?.faults({});
    await stack?.dispose();
    await ksc?.stop();
  });

  test.each(STEPS.map((s) => [s.write, s] as const))("%s", async (_name, step) => {
    declared = { ...declared, ...step.change };
    await declare(stack, declarations(declared));
    const before = ksc.counters();
    ksc.faults({ seed, methods: [step.method], dropAfterApplyRate: 0.5 });
    const first = await stack.up(["--skip-preview"]);
    ksc.faults({});
    const faulted = countersSince(before, ksc.counters());
    // The fault hit the write it is meant for, once.
    expect(faulted.faultsInjected).toEqual({ dropAfterApply: 1 });
    expect(faulted.calls[step.method]).toBeGreaterThanOrEqual(1);

    let outcome: string;
    if (first.code === 0) outcome = "the run itself recovered";
    else {
      const lines = errorLines(first).filter((l) => !/^error: update failed$/.test(l));
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(l).toContain(step.method);
      outcome = `the run failed: ${lines.join(" | ")}`;
    }
    const duplicates = (await snapshot(ksc.raw)).policies;
    expect(
      Object.values(duplicates).filter((p) => p.name === declared.policyName).length,
    ).toBeLessThanOrEqual(1);

    // When the run failed, the next step is another `up`; when it recovered, the preview below is the next step.
    const next = first.code === 0 ? undefined : expectSuccess(await stack.up(["--skip-preview"]));
    expect(problems(await snapshot(ksc.raw), declared)).toEqual([]);
    expectSuccess(await stack.preview(["--refresh", "--expect-no-changes"]));
    const state = await stack.resources();
    expect(ofType(state, "DistributionPoint").length).toBe(declared.dp ? 1 : 0);
    expect(ofType(state, "PushServer").length).toBe(declared.push ? 1 : 0);
    expect(ofType(state, "NetworkAgentPolicy").length).toBe(declared.policy ? 1 : 0);
    rows.push(`${step.write} (${step.method}): ${outcome}${next ? `; next up: ${summary(next)}` : ""}`);
  });
});
