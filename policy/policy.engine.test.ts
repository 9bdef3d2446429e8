// The policy pack under the real engine: `pulumi preview --policy-pack policy/` of programs declared as JSON
// (test/fault/programs/declare) against an emulator. A compliant program passes; each mandatory rule fails the
// preview with its message on the violating resource, and `up` of such a program changes nothing in the console;
// each advisory rule warns and passes; the pack's config file changes a rule's level.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot, type PulumiResult, type TestStack } from "../tools/engine";
import { WRITE_METHOD } from "../test/support/raw-ksc";
import { declare, declareDir, type Declaration } from "../test/support/fault/declare";
import {
  Ksc,
  countersSince,
  kscStack,
  report,
  totalCalls,
  type Counters,
} from "../test/support/fault/fixture";
import { RULES } from "./rules";

jest.setTimeout(15 * 60 * 1000);

const PACK = path.join(repoRoot, "policy");
const MILAN = "Managed devices/Branch Milan";

const dp = (name: string, device: string, args: Record<string, unknown> = {}): Declaration => ({
  kind: "DistributionPoint",
  name,
  args: { deviceName: device, scopeGroups: [MILAN], ...args },
});
const push = (name: string, dpName: string, port = 13295): Declaration => ({
  kind: "PushServer",
  name,
  args: { hostId: `\${${dpName}.hostId}`, port },
});
const nap = (name: string, args: Record<string, unknown> = {}): Declaration => ({
  kind: "NetworkAgentPolicy",
  name,
  args: {
    group: MILAN,
    name: "NA - push server",
    forceConnectionThroughDp: { value: true, locked: true },
    useUdpPort: { value: false, locked: false },
    ...args,
  },
});

/** The seed's procedure for Branch Milan with two push-server DPs: complies with every rule. */
const COMPLIANT: Declaration[] = [
  dp("dp1", "milan-dp-01"),
  push("push1", "dp1"),
  dp("dp2", "milan-dp-02"),
  push("push2", "dp2"),
  nap("agents"),
];
const replace = (name: string, by: Declaration): Declaration[] =>
  COMPLIANT.map((d) => (d.name === name ? by : d));

interface PolicyLine {
  level: string;
  rule: string;
  type: string;
  resource: string;
  message: string;
}

/**
 * The policy violations of a run's text output, as the CLI prints them under "Policies:":
 *   - [mandatory]  <rule>  (<type>: <resource name>)
 *     <rule description>
 *     <message>
 */
function policyLines(r: PulumiResult): PolicyLine[] {
  const lines = r.stdout.split("\n");
  const out: PolicyLine[] = [];
  lines.forEach((line, i) => {
    const m = /^\s*- \[(\w+)\]\s+(\S+)\s+\((.+): ([^:)]+)\)\s*$/.exec(line);
    if (m)
      out.push({ level: m[1], rule: m[2], type: m[3], resource: m[4], message: (lines[i + 2] ?? "").trim() });
  });
  return out;
}

const writes = (c: Counters) => Object.keys(c.calls).filter((m) => WRITE_METHOD.test(m));

describe("policy pack (policy/) under the real engine", () => {
  let ksc: Ksc;
  let stack: TestStack;
  let work: string;
  const rows: string[] = [];

  /** `preview --policy-pack policy/` of `resources`; the console calls it made. */
  async function preview(resources: Declaration[], extra: string[] = []) {
    await declare(stack, resources);
    const before = ksc.counters();
    const run = await stack.preview(["--policy-pack", PACK, "--color", "never", ...extra]);
    const calls = countersSince(before, ksc.counters());
    return { run, calls, policies: policyLines(run) };
  }

  /** The pack's config file with one rule at another level. */
  function configWith(rule: string, level: string): string {
    const file = path.join(work, `config-${rule}-${level}.json`);
    const config = JSON.parse(fs.readFileSync(path.join(PACK, "policy-config.json"), "utf8")) as Record<
      string,
      string
    >;
    fs.writeFileSync(file, JSON.stringify({ ...config, [rule]: level }));
    return file;
  }

  beforeAll(async () => {
    ksc = await Ksc.start();
    stack = await kscStack(declareDir, ksc);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "ksc-policy-"));
  });

  afterAll(async () => {
    report(
      "policy pack: console calls per preview (reads only; the provider checks each resource first)",
      rows,
    );
    await stack?.dispose();
    await ksc?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test("a compliant program passes, with no policy message", async () => {
    const { run, policies } = await preview(COMPLIANT);
    expect(policies).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/pulumi-ksc@v0\.1\.0 \(local: /);
  });

  const MANDATORY: {
    title: string;
    resources: Declaration[];
    rule: string;
    type: string;
    resource: string;
    message: RegExp;
  }[] = [
    {
      title: "the group's policy does not lock the forced connection",
      resources: replace(
        "agents",
        nap("agents", { forceConnectionThroughDp: { value: true, locked: false } }),
      ),
      rule: RULES.forcedConnection,
      type: "NetworkAgentPolicy",
      resource: "agents",
      message:
        /^NetworkAgentPolicy "agents" applies to group "Managed devices\/Branch Milan".*\(it has \{ value: true, locked: false \}\)$/,
    },
    {
      title: "no policy for a group served by push servers",
      resources: COMPLIANT.filter((d) => d.name !== "agents"),
      rule: RULES.forcedConnection,
      type: "DistributionPoint",
      resource: "dp1",
      message:
        /^group "Managed devices\/Branch Milan" is served by push-server distribution point\(s\) "dp1", "dp2", but no active NetworkAgentPolicy/,
    },
    {
      title: "a push-server port KSC itself uses",
      resources: replace("push1", push("push1", "dp1", 13291)),
      rule: RULES.pushPort,
      type: "PushServer",
      resource: "push1",
      message: /^PushServer "push1": port 13291 is a port Kaspersky Security Center itself uses/,
    },
    {
      title: "a push-server port of its own DP (the provider refuses it too)",
      resources: [
        dp("dp1", "milan-dp-01", { port: 13500 }),
        ...replace("push1", push("push1", "dp1", 13500)).slice(1),
      ],
      rule: RULES.pushPort,
      type: "PushServer",
      resource: "push1",
      message: /^PushServer "push1": port 13500 is the port of its distribution point "dp1"/,
    },
  ];

  test.each(MANDATORY)("mandatory: $title → preview fails on $type $resource", async (c) => {
    const { run, calls, policies } = await preview(c.resources);
    rows.push(`${c.title}: ${totalCalls(calls)} calls, writes: ${writes(calls).length}`);
    expect(run.code).not.toBe(0);
    expect(policies).toContainEqual({
      level: "mandatory",
      rule: c.rule,
      type: `pulumi-nodejs:dynamic/ksc:${c.type}`,
      resource: c.resource,
      message: expect.stringMatching(c.message),
    });
    expect(policies.filter((p) => p.level === "mandatory").map((p) => p.rule)).toEqual([c.rule]);
    expect(writes(calls)).toEqual([]);
  });

  test("mandatory: two policies with one name on one group (the provider refuses it too) → preview fails on one of them, naming the other", async () => {
    const { run, calls, policies } = await preview([
      ...COMPLIANT,
      nap("agents-again", { group: "Branch Milan" }),
    ]);
    rows.push(
      `two policies with one name on one group: ${totalCalls(calls)} calls, writes: ${writes(calls).length}`,
    );
    expect(run.code).not.toBe(0);
    // The two are registered at once; the one the engine analyzes second gets the message.
    const mandatory = policies.filter((p) => p.level === "mandatory");
    expect(mandatory).toEqual([
      {
        level: "mandatory",
        rule: RULES.onePolicy,
        type: "pulumi-nodejs:dynamic/ksc:NetworkAgentPolicy",
        resource: expect.stringMatching(/^agents(-again)?$/),
        message: expect.stringMatching(
          /^NetworkAgentPolicy "(agents|agents-again)" declares the policy "NA - push server" of group "(Managed devices\/)?Branch Milan", which NetworkAgentPolicy "(agents|agents-again)" of this stack declares too/,
        ),
      },
    ]);
    const named = /^NetworkAgentPolicy "([\w-]+)".*NetworkAgentPolicy "([\w-]+)"/.exec(mandatory[0].message);
    expect(named?.[1]).toBe(mandatory[0].resource);
    expect(new Set([named?.[1], named?.[2]])).toEqual(new Set(["agents", "agents-again"]));
    expect(writes(calls)).toEqual([]);
  });

  test.each([
    {
      title: "UDP port on",
      resources: replace("agents", nap("agents", { useUdpPort: { value: true, locked: false } })),
      rule: RULES.udpPort,
      type: "NetworkAgentPolicy",
      resource: "agents",
      message: /^NetworkAgentPolicy "agents" turns the Network Agent's UDP port on in group/,
    },
    {
      title: "a single push-server DP",
      resources: COMPLIANT.filter((d) => d.name !== "dp2" && d.name !== "push2"),
      rule: RULES.secondPushServer,
      type: "DistributionPoint",
      resource: "dp1",
      message: /^distribution point "dp1" is the only push server of group "Managed devices\/Branch Milan"/,
    },
  ])("advisory: $title → preview warns on $type $resource and passes", async (c) => {
    const { run, policies } = await preview(c.resources);
    expect(policies).toEqual([
      {
        level: "advisory",
        rule: c.rule,
        type: `pulumi-nodejs:dynamic/ksc:${c.type}`,
        resource: c.resource,
        message: expect.stringMatching(c.message),
      },
    ]);
    expect(run.code).toBe(0);
  });

  test("the config file sets a rule's level: a mandatory rule made advisory warns and passes", async () => {
    const resources = replace("push1", push("push1", "dp1", 13291));
    const config = configWith(RULES.pushPort, "advisory");
    const { run, policies } = await preview(resources, ["--policy-pack-config", config]);
    expect(policies).toEqual([
      expect.objectContaining({ level: "advisory", rule: RULES.pushPort, resource: "push1" }),
    ]);
    expect(run.code).toBe(0);
  });

  test("`up` of a violating program writes nothing; the same check sees the writes once the rule is advisory", async () => {
    const resources = replace("push1", push("push1", "dp1", 13291));
    await declare(stack, resources);
    const args = ["--policy-pack", PACK, "--color", "never"];

    let before = ksc.counters();
    const refused = await stack.up(args);
    expect(refused.code).not.toBe(0);
    expect(policyLines(refused)).toContainEqual(
      expect.objectContaining({ level: "mandatory", rule: RULES.pushPort }),
    );
    expect(writes(countersSince(before, ksc.counters()))).toEqual([]);

    // The guard can fail: with the rule advisory, the same `up` goes ahead and the console is written.
    before = ksc.counters();
    const allowed = await stack.up([...args, "--policy-pack-config", configWith(RULES.pushPort, "advisory")]);
    expect(allowed.code).toBe(0);
    expect(writes(countersSince(before, ksc.counters()))).not.toEqual([]);
  });
});
