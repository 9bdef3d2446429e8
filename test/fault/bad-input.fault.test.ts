// Bad input, table-driven, each case through `pulumi preview --json` of programs/declare: the run exits non-zero,
// the engine's diagnostic carries the property in its property slot ("property X value … has a problem: reason")
// with the reason, no write call reaches the console (the emulator's call counters, per case: each lane of cases
// has an emulator of its own), and the console is unchanged (raw API snapshot before and after).
// Names with quotes, parentheses, `*`, backslashes and non-Latin letters work where the API allows them and never
// change a FindHosts filter: a `*` or `?` in a device name matches only a device with that very name, and the
// preview plans the host that has it.
// The verdict is test/support/fault/verdict.ts (unit tests with planted faults: verdict.test.ts beside it); here, writes planted into
// two previews (programs/declare's PlantedWrite) show the no-write check failing where the snapshot sees nothing.
import * as fs from "fs";
import * as path from "path";
import { type PreviewJson, type TestStack } from "../../tools/engine";
import { ConsoleSnapshot, hostIdOf, snapshot } from "../support/fault/console";
import { Declaration, declareDir } from "../support/fault/declare";
import { Ksc, kscStack, report } from "../support/fault/fixture";
import { CaseRun, problems, writesBetween } from "../support/fault/verdict";

jest.setTimeout(15 * 60 * 1000);

const MILAN = "Managed devices/Branch Milan";
const LONG = (n: number) => "x".repeat(n);
/** Display names given to devices before the cases run (raw HostGroup.UpdateHost). */
const RENAMED = {
  "milan-dp-02": 'dp "quoted" (1) \\ Милан 東京',
  "rome-dp-02": "rome-dp-*",
};

type Args = Record<string, unknown>;
const dp = (args: Args, name = "dp"): Declaration => ({
  kind: "DistributionPoint",
  name,
  args: { deviceName: "milan-dp-01", scopeGroups: [MILAN], ...args },
});
const push = (args: Args, name = "push"): Declaration => ({
  kind: "PushServer",
  name,
  args: { hostId: "@host:milan-dp-01", ...args },
});
const policy = (args: Args): Declaration => ({
  kind: "NetworkAgentPolicy",
  name: "policy",
  args: { group: MILAN, name: "NA bad input", ...args },
});

interface Case {
  title: string;
  resources: Declaration[];
  /** The property the diagnostic must carry in its property slot, and the reason (a pattern); undefined: the
   *  preview must succeed. */
  property?: string;
  reason?: RegExp;
  /** For a preview that succeeds: inputs the checks must plan, by resource name ("@host:<name>": that host id). */
  planned?: Record<string, Record<string, unknown>>;
}

const RANGE = /between 1 and 65535|at least 1|at most 65535|minimum|maximum/;
const INTEGER = /whole number|integer/;

const CASES: Case[] = [
  // ports
  { title: "DP port 0", resources: [dp({ port: 0 })], property: "port", reason: RANGE },
  { title: "DP port 65536", resources: [dp({ port: 65536 })], property: "port", reason: RANGE },
  { title: "DP port -1", resources: [dp({ port: -1 })], property: "port", reason: RANGE },
  { title: 'DP port "abc"', resources: [dp({ port: "abc" })], property: "port", reason: INTEGER },
  { title: "DP port 1.5", resources: [dp({ port: 1.5 })], property: "port", reason: INTEGER },
  {
    title: "DP nonSslPort equal to port",
    resources: [dp({ port: 14000 })],
    property: "nonSslPort",
    reason: /differ/,
  },
  { title: "push port 0", resources: [push({ port: 0 })], property: "port", reason: RANGE },
  { title: "push port 65536", resources: [push({ port: 65536 })], property: "port", reason: RANGE },
  { title: "push port -1", resources: [push({ port: -1 })], property: "port", reason: RANGE },
  { title: 'push port "abc"', resources: [push({ port: "abc" })], property: "port", reason: INTEGER },
  { title: "push port 1.5", resources: [push({ port: 1.5 })], property: "port", reason: INTEGER },
  { title: "UDP port 0", resources: [policy({ udpPort: { value: 0 } })], property: "udpPort", reason: RANGE },
  {
    title: "UDP port 70000",
    resources: [policy({ udpPort: { value: 70000 } })],
    property: "udpPort",
    reason: RANGE,
  },
  // empty, blank and too long names
  {
    title: "empty device name",
    resources: [dp({ deviceName: "" })],
    property: "deviceName",
    reason: /empty|at least 1|spaces/,
  },
  {
    title: "blank device name",
    resources: [dp({ deviceName: "   " })],
    property: "deviceName",
    reason: /spaces/,
  },
  {
    title: "empty policy name",
    resources: [policy({ name: "" })],
    property: "name",
    reason: /empty|at least 1|spaces/,
  },
  { title: "blank policy name", resources: [policy({ name: "  \t " })], property: "name", reason: /spaces/ },
  {
    title: "device name of 256 characters",
    resources: [dp({ deviceName: LONG(256) })],
    property: "deviceName",
    reason: /255/,
  },
  {
    title: "policy name of 256 characters",
    resources: [policy({ name: LONG(256) })],
    property: "name",
    reason: /255/,
  },
  {
    title: "host id of 257 characters",
    resources: [push({ hostId: LONG(257) })],
    property: "hostId",
    reason: /256/,
  },
  {
    title: "group path of 1025 characters",
    resources: [dp({ scopeGroups: [`${MILAN}/${LONG(1000)}`] })],
    property: "scopeGroups",
    reason: /1024/,
  },
  // things that do not exist, or are not unique
  {
    title: "unknown group id",
    resources: [dp({ scopeGroups: [9999] })],
    property: "scopeGroups",
    reason: /no administration group has id 9999/,
  },
  {
    title: "unknown group path",
    resources: [dp({ scopeGroups: ["Managed devices/Atlantis"] })],
    property: "scopeGroups",
    reason: /no administration group at path "Managed devices\/Atlantis"/,
  },
  {
    title: "policy for a group that does not exist (path)",
    resources: [policy({ group: "Managed devices/Atlantis" })],
    property: "group",
    reason: /no administration group at path/,
  },
  {
    title: "policy for a group that does not exist (id)",
    resources: [policy({ group: 4242 })],
    property: "group",
    reason: /no administration group has id 4242/,
  },
  {
    title: "device that does not exist",
    resources: [dp({ deviceName: "no-such-device" })],
    property: "deviceName",
    reason: /no managed device has the display name or FQDN "no-such-device"/,
  },
  {
    title: "host id that does not exist",
    resources: [push({ hostId: "no-such-host" })],
    property: "hostId",
    reason: /no managed device has host id "no-such-host"/,
  },
  {
    title: "device name matching several devices",
    resources: [dp({ deviceName: "shared-name-01" })],
    property: "deviceName",
    reason: /2 managed devices match "shared-name-01".*hostId/,
  },
  {
    title: "both hostId and deviceName",
    resources: [dp({ hostId: "@host:milan-dp-01" })],
    property: "deviceName",
    reason: /exactly one of hostId .* or deviceName/,
  },
  // rules across resources
  {
    title: "two PushServers for one DP",
    // rome-dp-01 is the console's DP, with its push server on 13295. Both declare exactly that push server, so
    // whichever the engine checks first matches the console and passes, and the second is the duplicate (with
    // another port, the first checked could instead be refused for differing from the console).
    resources: [
      push({ hostId: "@host:rome-dp-01", port: 13295 }, "push-a"),
      push({ hostId: "@host:rome-dp-01", port: 13295 }, "push-b"),
    ],
    property: "hostId",
    reason: /already runs the push server of this distribution point/,
  },
  {
    title: "push server on a device that is not a distribution point (host id given literally)",
    resources: [push({})],
    property: "hostId",
    reason: /is not a distribution point, and no DistributionPoint of this program declares it/,
  },
  {
    title: "push port equal to the TLS port of a DP in the console",
    resources: [push({ hostId: "@host:rome-dp-01", port: 13000 })],
    property: "port",
    reason: /13000 is already used by the distribution point/,
  },
  {
    title: "push port equal to the non-TLS port of a DP in the console",
    resources: [push({ hostId: "@host:rome-dp-01", port: 14000 })],
    property: "port",
    reason: /14000 is already used by the distribution point/,
  },
  {
    title: "push port equal to a port of its DP declared in the same program",
    resources: [dp({ port: 13500 }), push({ hostId: "${dp.hostId}", port: 13500 })],
    property: "port",
    reason: /13500 is already used by the distribution point/,
  },
  {
    title: "DP port equal to the push server port in the console",
    resources: [
      dp({
        deviceName: "rome-dp-01",
        scopeGroups: ["Managed devices/Branch Rome"],
        port: 13295,
        adopt: true,
      }),
    ],
    property: "port",
    reason: /13295 is the port of the push server/,
  },
  // wrong types and unknown properties
  {
    title: "scopeGroups as a string",
    resources: [dp({ scopeGroups: MILAN })],
    property: "scopeGroups",
    reason: /array|list/,
  },
  {
    title: 'distributeUpdates "yes"',
    resources: [dp({ distributeUpdates: "yes" })],
    property: "distributeUpdates",
    reason: /boolean|true or false/,
  },
  {
    title: "forceConnectionThroughDp as a boolean",
    resources: [policy({ forceConnectionThroughDp: true })],
    property: "forceConnectionThroughDp",
    reason: /object/,
  },
  {
    title: 'policy active "true"',
    resources: [policy({ active: "true" })],
    property: "active",
    reason: /boolean|true or false/,
  },
  {
    title: "unknown property of a DP",
    resources: [dp({ colour: "red" })],
    property: "colour",
    reason: /unknown|not a property|not allowed/,
  },
  {
    title: "misspelt property of a push server",
    resources: [push({ portt: 13300 })],
    property: "portt",
    reason: /unknown|not a property|not allowed/,
  },
  {
    title: "unknown field in a locked setting",
    resources: [policy({ forceConnectionThroughDp: { value: true, lockd: true } })],
    property: "forceConnectionThroughDp",
    reason: /^lockd: (unknown|not a property|not allowed)/,
  },
  {
    title: "multicast address that is not multicast",
    resources: [dp({ multicastAddress: "10.0.0.1" })],
    property: "multicastAddress",
    reason: /multicast/,
  },
  // special characters: never a wildcard, never a filter change
  {
    title: 'device name "*"',
    resources: [dp({ deviceName: "*" })],
    property: "deviceName",
    reason: /no managed device has the display name or FQDN "\*"/,
  },
  {
    title: 'device name "milan-dp-0?"',
    resources: [dp({ deviceName: "milan-dp-0?" })],
    property: "deviceName",
    reason: /no managed device .* "milan-dp-0\?"/,
  },
  {
    title: 'device name "milan-dp-0[12]"',
    resources: [dp({ deviceName: "milan-dp-0[12]" })],
    property: "deviceName",
    reason: /no managed device/,
  },
  {
    title: "device name that tries to extend the filter",
    resources: [dp({ deviceName: 'milan-dp-01")(|(KLHST_WKS_DN = "*' })],
    property: "deviceName",
    reason: /no managed device/,
  },
  {
    title: "device name with a backslash",
    resources: [dp({ deviceName: "milan-dp-01\\" })],
    property: "deviceName",
    reason: /no managed device/,
  },
  {
    title: "non-Latin device name that does not exist",
    resources: [dp({ deviceName: "Филиал-dp-01" })],
    property: "deviceName",
    reason: /no managed device .*"Филиал-dp-01"/,
  },
  {
    title: "device named with quotes, parentheses, a backslash and non-Latin letters",
    resources: [dp({ deviceName: RENAMED["milan-dp-02"] })],
    planned: { dp: { deviceName: RENAMED["milan-dp-02"], hostId: `@host:${RENAMED["milan-dp-02"]}` } },
  },
  {
    title: 'device named "rome-dp-*" matches only itself',
    resources: [dp({ deviceName: "rome-dp-*", scopeGroups: ["Managed devices/Branch Rome"] })],
    planned: { dp: { deviceName: "rome-dp-*", hostId: "@host:rome-dp-*" } },
  },
  {
    title: "group paths copied with a trailing / (DP scope and policy group)",
    resources: [dp({ scopeGroups: [`${MILAN}/`] }), policy({ group: `${MILAN}/` })],
    // The slash is dropped at check: the planned inputs hold the path as the console names the group.
    planned: { dp: { scopeGroups: [MILAN] }, policy: { group: MILAN } },
  },
  {
    title: "policy named with quotes, parentheses, *, a backslash and non-Latin letters",
    resources: [policy({ name: 'Агент "HQ" (main) * \\ 東京' })],
    planned: { policy: { name: 'Агент "HQ" (main) * \\ 東京', group: MILAN } },
  },
];

/** Replaces "@host:<display name>" with the device's host id. */
function withHostIds(v: unknown, s: ConsoleSnapshot): unknown {
  if (typeof v === "string" && v.startsWith("@host:")) return hostIdOf(s, v.slice(6));
  if (Array.isArray(v)) return v.map((x) => withHostIds(x, s));
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withHostIds(x, s)]));
  }
  return v;
}

/** Lanes of cases run at the same time, each with an emulator and a stack of its own (counters per case). */
const PARALLEL = 2;

/** An emulator set up as the cases expect it, its baseline console, and a stack on it. */
interface Lane {
  ksc: Ksc;
  baseline: ConsoleSnapshot;
  stack: TestStack;
}

/** The console the cases run against: two devices renamed, and rome-dp-01 a DP with a push server on 13295. */
async function startLane(): Promise<Lane> {
  const ksc = await Ksc.start();
  const s = await snapshot(ksc.raw);
  for (const [from, to] of Object.entries(RENAMED)) {
    await ksc.raw.call("HostGroup.UpdateHost", {
      strHostName: hostIdOf(s, from),
      pInfo: { KLHST_WKS_DN: to },
    });
  }
  await ksc.raw.call("UaControl.SetAssignUasAutomatically", { bEnabled: false });
  const info = (await ksc.raw.call("UaControl.GetDefaultUpdateAgentRegistrationInfo")).pUaInfo as Record<
    string,
    unknown
  >;
  const rome = s.groups.find((g) => g.name === "Branch Rome")!.id;
  await ksc.raw.call("UaControl.RegisterUpdateAgent", {
    pUaInfo: {
      ...info,
      UaHostId: hostIdOf(s, "rome-dp-01"),
      UaScope: {
        type: "params",
        value: { ScopeGroups: [{ type: "params", value: { ScopeId: { type: "long", value: rome } } }] },
      },
      PROPOSED_UaPushServerEnabled: true,
      PROPOSED_UaPushServerPort: { type: "long", value: 13295 },
    },
  });
  const baseline = await snapshot(ksc.raw);
  const stack = await kscStack(declareDir, ksc, { config: { resources: "[]" } });
  return { ksc, baseline, stack };
}

/** One preview of `resources` on a lane: what the engine said and planned, and what reached the console. */
async function runCase(lane: Lane, resources: Declaration[]): Promise<CaseRun> {
  const { ksc, baseline, stack } = lane;
  const before = await snapshot(ksc.raw);
  const calls = ksc.counters().calls;
  const r = await stack.run(["preview", "--json", "--config", `resources=${JSON.stringify(resources)}`]);
  const writes = writesBetween(calls, ksc.counters().calls);
  const after = await snapshot(ksc.raw);
  let json: PreviewJson | undefined;
  try {
    json = JSON.parse(r.stdout) as PreviewJson;
  } catch {
    json = undefined;
  }
  const planned: CaseRun["planned"] = {};
  for (const step of json?.steps ?? []) {
    const name = step.urn.split("::").pop()!;
    if (step.newState?.inputs) planned[name] = step.newState.inputs;
  }
  return {
    code: r.code,
    // Output that is not the JSON document (a crash of the CLI) counts as one error, shown in full.
    diagnostics: json?.diagnostics ?? [{ severity: "error", message: `${r.stdout}\n${r.stderr}` }],
    writes,
    unchanged:
      JSON.stringify(before) === JSON.stringify(baseline) &&
      JSON.stringify(after) === JSON.stringify(baseline),
    planned,
  };
}

const byTitle = (title: string): Case => CASES.find((c) => c.title === title)!;

/** What the verdict checks for a case, with "@host:<name>" in its planned inputs made host ids of `s`. */
const expectation = (c: Case, s: ConsoleSnapshot): Case => ({
  ...c,
  planned: c.planned && (withHostIds(c.planned, s) as Case["planned"]),
});

/** Writes planted into a preview (programs/declare's PlantedWrite) that leave the console exactly as it was. */
const PLANTS: {
  title: string;
  into: Case;
  method: string;
  args: (lane: Lane) => Promise<Record<string, unknown>>;
}[] = [
  {
    title: "automatic DP assignment set off, as it already is, in a preview that succeeds",
    into: byTitle("policy named with quotes, parentheses, *, a backslash and non-Latin letters"),
    method: "UaControl.SetAssignUasAutomatically",
    args: async () => ({ bEnabled: false }),
  },
  {
    title: "a DP object written back with the values it has, in a preview refused for a bad port",
    into: byTitle("DP port 0"),
    method: "UaControl.ModifyUpdateAgent",
    args: async (lane) => ({
      pUaInfo: (
        await lane.ksc.raw.call("UaControl.GetUpdateAgentInfo", {
          wstrUaHostId: hostIdOf(lane.baseline, "rome-dp-01"),
        })
      ).pUaInfo,
    }),
  },
];

describe(`bad input: ${CASES.length} cases through pulumi preview`, () => {
  const lanes: Lane[] = [];
  const results = new Map<string, CaseRun>();
  /** The baseline of the lane each case ran on. */
  const ranOn = new Map<string, ConsoleSnapshot>();
  const planted = new Map<string, CaseRun>();

  beforeAll(async () => {
    for (let i = 0; i < PARALLEL; i++) lanes.push(await startLane());
    const queue = [...CASES];
    await Promise.all(
      lanes.map(async (lane) => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          results.set(c.title, await runCase(lane, withHostIds(c.resources, lane.baseline) as Declaration[]));
          ranOn.set(c.title, lane.baseline);
        }
      }),
    );
    const lane = lanes[0];
    for (const p of PLANTS) {
      const plant: Declaration = {
        kind: "PlantedWrite",
        name: "plant",
        args: { method: p.method, args: await p.args(lane) },
      };
      const resources = withHostIds([plant, ...p.into.resources], lane.baseline) as Declaration[];
      planted.set(p.title, await runCase(lane, resources));
    }
  });

  afterAll(async () => {
    report(
      "bad input: the message each case gave",
      CASES.map((c) => {
        const r = results.get(c.title);
        const said = r?.diagnostics.map((d) => d.message.trim()).join(" | ") ?? "";
        return `${c.title}: exit ${r?.code} ${said.slice(0, 300)}`;
      }),
    );
    for (const lane of lanes) {
      await lane.stack.dispose();
      await lane.ksc.stop();
    }
  });

  test("every case ran once under its own title; at least 30 bad inputs refused as expected; the README counts them", () => {
    expect(new Set(CASES.map((c) => c.title)).size).toBe(CASES.length);
    expect([...results.keys()].sort()).toEqual(CASES.map((c) => c.title).sort());
    const refused = CASES.filter(
      (c) => c.property && problems(expectation(c, ranOn.get(c.title)!), results.get(c.title)!).length === 0,
    );
    expect(refused.length).toBeGreaterThanOrEqual(30);
    const readme = fs.readFileSync(path.join(__dirname, "README.md"), "utf8");
    expect(readme).toContain(`| \`bad-input.fault.test.ts\` | ${CASES.length} cases`);
  });

  test.each(CASES.map((c) => [c.title, c] as const))("%s", (_title, c) => {
    const r = results.get(c.title);
    if (!r) throw new Error("the case did not run");
    expect(r.unchanged).toBe(true);
    expect(r.writes).toEqual({});
    const wrong = problems(expectation(c, ranOn.get(c.title)!), r);
    if (wrong.length) throw new Error(wrong.join("\n"));
  });

  test.each(PLANTS.map((p) => [p.title, p] as const))(
    "the no-write check can fail: planted %s",
    (_title, p) => {
      const r = planted.get(p.title)!;
      // The snapshot alone sees nothing, and the case is otherwise as expected ...
      expect(r.unchanged).toBe(true);
      // ... but the counters saw the write.
      expect(problems(expectation(p.into, lanes[0].baseline), r)).toEqual([
        `write calls reached the console during the preview: ${p.method} ×1`,
      ]);
    },
  );
});
