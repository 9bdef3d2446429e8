// The rules of the policy pack as pure functions (policy/rules.ts), on resources shaped as the engine sends them:
// checked inputs of dynamic resources or of ksc:index types. The fixtures carry the serialized provider `__provider`
// of a dynamic resource's inputs: CLI v3.274.1 leaves keys starting with "__" out of what analyzers get
// (pkg/resource/plugin/analyzer_plugin.go, SkipInternalKeys), but the rules must not depend on that.
import * as fs from "fs";
import * as path from "path";
import { KSC_PORTS } from "./ports";
import {
  DEFAULT_LEVELS,
  REFUSED_PORTS,
  RULES,
  UNKNOWN,
  duplicatePolicyViolations,
  forcedConnectionViolations,
  kindOf,
  pushPortViolations,
  singlePushServerViolations,
  udpPortViolations,
  type Kind,
  type KscResource,
} from "./rules";

const MILAN = "Managed devices/Branch Milan";
const PROVIDER = "exports.handler = __f0; /* a serialized dynamic provider */";

function res(kind: Kind, name: string, props: Record<string, unknown>, native = false): KscResource {
  const type = native ? `ksc:index:${kind}` : `pulumi-nodejs:dynamic/ksc:${kind}`;
  return {
    urn: `urn:pulumi:dev::p::${type}::${name}`,
    name,
    kind,
    props: { __provider: PROVIDER, ...props },
  };
}
const dp = (
  name: string,
  hostId: string,
  scopeGroups: unknown[] = [MILAN],
  extra: Record<string, unknown> = {},
) => res("DistributionPoint", name, { hostId, scopeGroups, port: 13000, nonSslPort: 14000, ...extra });
const push = (name: string, hostId: string, port = 13295) => res("PushServer", name, { hostId, port });
const nap = (name: string, extra: Record<string, unknown> = {}) =>
  res("NetworkAgentPolicy", name, {
    group: MILAN,
    name: "NA - push",
    active: true,
    forceConnectionThroughDp: { value: true, locked: true },
    useUdpPort: { value: false, locked: false },
    ...extra,
  });

/** The seed's procedure for one branch, with two push-server DPs: complies with every rule. */
const compliant = () => [
  dp("dp1", "h1"),
  push("ps1", "h1"),
  dp("dp2", "h2"),
  push("ps2", "h2"),
  nap("policy"),
];

describe("resource types", () => {
  test.each([
    ["pulumi-nodejs:dynamic/ksc:DistributionPoint", "DistributionPoint"],
    ["pulumi-nodejs:dynamic/ksc:PushServer", "PushServer"],
    ["ksc:index:NetworkAgentPolicy", "NetworkAgentPolicy"],
    ["ksc:index:PushServer", "PushServer"],
    ["pulumi-nodejs:dynamic/ksc:Other", undefined],
    ["pulumi-nodejs:dynamic/other:PushServer", undefined],
    ["pulumi:providers:pulumi-nodejs", undefined],
    ["aws:index:PushServer", undefined],
  ])("%s → %s", (type, kind) => {
    expect(kindOf(type)).toBe(kind);
  });
});

describe("a compliant program", () => {
  test("passes every rule, dynamic or native types", () => {
    for (const native of [false, true]) {
      const rs = compliant().map((r) => ({ ...r, ...res(r.kind, r.name, r.props, native) }));
      expect(forcedConnectionViolations(rs)).toEqual([]);
      expect(udpPortViolations(rs)).toEqual([]);
      expect(singlePushServerViolations(rs)).toEqual([]);
      for (const r of rs) {
        const others = rs.filter((o) => o !== r);
        expect(pushPortViolations(r, others)).toEqual([]);
        expect(duplicatePolicyViolations(r, others)).toEqual([]);
      }
    }
  });
});

describe(`${RULES.forcedConnection} (mandatory)`, () => {
  test("no policy for a group served by a push-server DP: reported on the DP", () => {
    const rs = [dp("dp1", "h1"), push("ps1", "h1")];
    expect(forcedConnectionViolations(rs)).toEqual([
      {
        urn: rs[0].urn,
        message: expect.stringMatching(
          /^group "Managed devices\/Branch Milan" is served by push-server distribution point\(s\) "dp1", but no active NetworkAgentPolicy/,
        ),
      },
    ]);
  });

  test.each([
    ["unlocked", { value: true, locked: false }, "{ value: true, locked: false }"],
    ["off", { value: false, locked: true }, "{ value: false, locked: true }"],
    ["missing", undefined, "not set"],
  ])("the setting %s: reported on the policy", (_, setting, shown) => {
    const rs = [dp("dp1", "h1"), push("ps1", "h1"), nap("policy", { forceConnectionThroughDp: setting })];
    expect(forcedConnectionViolations(rs)).toEqual([
      { urn: rs[2].urn, message: expect.stringContaining(`(it has ${shown})`) },
    ]);
  });

  test("an inactive policy does not count", () => {
    const rs = [dp("dp1", "h1"), push("ps1", "h1"), nap("policy", { active: false })];
    expect(forcedConnectionViolations(rs)).toEqual([{ urn: rs[0].urn, message: expect.any(String) }]);
  });

  test("the same message on the same resource whatever order the engine sends the resources in", () => {
    const rs = [dp("dp2", "h2"), push("ps2", "h2"), dp("dp1", "h1"), push("ps1", "h1")];
    const forward = forcedConnectionViolations(rs);
    expect(forward).toEqual([
      { urn: rs[2].urn, message: expect.stringContaining('distribution point(s) "dp1", "dp2"') },
    ]);
    expect(forcedConnectionViolations([...rs].reverse())).toEqual(forward);
  });

  test("a DP without a push server, or a push server on a DP outside the stack, needs no policy", () => {
    expect(forcedConnectionViolations([dp("dp1", "h1"), push("ps9", "h9")])).toEqual([]);
  });

  test("group paths compare as the provider compares them: case, spaces, the optional root", () => {
    const rs = [
      dp("dp1", "h1", ["branch milan "]),
      push("ps1", "h1"),
      nap("policy", { group: "MANAGED DEVICES/Branch Milan" }),
    ];
    expect(forcedConnectionViolations(rs)).toEqual([]);
  });

  test("a policy of an ancestor group applies when the group has none; the group's own one wins", () => {
    const sub = `${MILAN}/Floor 2`;
    const parent = nap("parent");
    expect(forcedConnectionViolations([dp("dp1", "h1", [sub]), push("ps1", "h1"), parent])).toEqual([]);
    const own = nap("own", { group: sub, forceConnectionThroughDp: { value: true, locked: false } });
    const rs = [dp("dp1", "h1", [sub]), push("ps1", "h1"), parent, own];
    expect(forcedConnectionViolations(rs)).toEqual([{ urn: own.urn, message: expect.any(String) }]);
  });

  test("groups by id match the console's ids in outputs (scope, groupId)", () => {
    const out = dp("dp1", "h1", [12], { scope: { groups: [{ id: 12, name: "Branch Milan", path: MILAN }] } });
    expect(forcedConnectionViolations([out, push("ps1", "h1"), nap("policy")])).toEqual([]);
    const byId = nap("policy", { group: 12 });
    expect(forcedConnectionViolations([dp("dp1", "h1", [12]), push("ps1", "h1"), byId])).toEqual([]);
  });

  test("a value unknown during preview is not taken for a violation", () => {
    const rs = [
      dp("dp1", "h1"),
      push("ps1", "h1"),
      nap("policy", { forceConnectionThroughDp: { value: true, locked: UNKNOWN } }),
    ];
    expect(forcedConnectionViolations(rs)).toEqual([]);
  });
});

describe(`${RULES.pushPort} (mandatory)`, () => {
  test.each(REFUSED_PORTS.map((p) => [p]))("port %d, used by KSC itself, is refused", (port) => {
    const ps = push("ps1", "h9", port);
    expect(pushPortViolations(ps, [])).toEqual([
      {
        urn: ps.urn,
        message: expect.stringMatching(
          new RegExp(`^PushServer "ps1": port ${port} is a port Kaspersky Security Center itself uses`),
        ),
      },
    ]);
  });

  test("13295, the push server's default, and other free ports pass", () => {
    for (const port of [13295, 13296, 443, 40000])
      expect(pushPortViolations(push("ps1", "h1", port), [dp("dp1", "h1")])).toEqual([]);
  });

  test("a port of its own DP is refused, whichever of the two is analyzed first", () => {
    const d = dp("dp1", "h1", [MILAN], { port: 13500, nonSslPort: 14500 });
    const p = push("ps1", "h1", 14500);
    const message =
      'PushServer "ps1": port 14500 is the nonSslPort of its distribution point "dp1"; a push server needs a port of its own';
    expect(pushPortViolations(p, [d])).toEqual([{ urn: p.urn, message }]);
    expect(pushPortViolations(d, [p])).toEqual([{ urn: d.urn, message }]);
  });

  test("another DP's ports are no concern", () => {
    const other = dp("dp2", "h2", [MILAN], { port: 13500 });
    expect(pushPortViolations(push("ps1", "h1", 13500), [dp("dp1", "h1"), other])).toEqual([]);
  });
});

describe(`${RULES.udpPort} (advisory)`, () => {
  test("UDP on in a policy applying to a push-server group: reported on the policy", () => {
    const rs = [...compliant().slice(0, 4), nap("policy", { useUdpPort: { value: true, locked: false } })];
    expect(udpPortViolations(rs)).toEqual([
      { urn: rs[4].urn, message: expect.stringContaining("turns the Network Agent's UDP port on in group") },
    ]);
  });

  test("UDP on where no push server serves is no concern", () => {
    expect(udpPortViolations([dp("dp1", "h1"), nap("policy", { useUdpPort: { value: true } })])).toEqual([]);
  });
});

describe(`${RULES.secondPushServer} (advisory)`, () => {
  test("one push-server DP for a group: reported on the DP; two: nothing", () => {
    const rs = [dp("dp1", "h1"), push("ps1", "h1"), dp("dp2", "h2"), nap("policy")];
    expect(singlePushServerViolations(rs)).toEqual([
      {
        urn: rs[0].urn,
        message: expect.stringMatching(/^distribution point "dp1" is the only push server of group/),
      },
    ]);
    expect(singlePushServerViolations([...rs, push("ps2", "h2")])).toEqual([]);
  });
});

describe(`${RULES.onePolicy} (mandatory)`, () => {
  test("a second policy with the group and name of another is reported on itself, naming the other", () => {
    const a = nap("a");
    const b = nap("b", { group: "Branch Milan", name: "na - PUSH " });
    expect(duplicatePolicyViolations(b, [a])).toEqual([
      {
        urn: b.urn,
        message: expect.stringMatching(
          /^NetworkAgentPolicy "b" declares the policy "na - PUSH " of group "Branch Milan", which NetworkAgentPolicy "a"/,
        ),
      },
    ]);
  });

  test("another name or another group is fine", () => {
    expect(duplicatePolicyViolations(nap("b", { name: "other" }), [nap("a")])).toEqual([]);
    expect(duplicatePolicyViolations(nap("b", { group: "Branch Rome" }), [nap("a")])).toEqual([]);
  });
});

describe("the pack's files", () => {
  test("policy-config.json sets every rule, at its default level", () => {
    const config = JSON.parse(fs.readFileSync(path.join(__dirname, "policy-config.json"), "utf8")) as unknown;
    expect(config).toEqual(DEFAULT_LEVELS);
    expect(Object.keys(DEFAULT_LEVELS).sort()).toEqual(Object.values(RULES).sort());
  });

  test("docs/ports.md lists exactly the ports of ports.ts", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "ports.md"), "utf8");
    const rows = [...doc.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(rows.sort((a, b) => a - b)).toEqual(
      [...KSC_PORTS.map((p) => p.port), 13295].sort((a, b) => a - b),
    );
  });
});
