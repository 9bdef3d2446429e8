import { resolveKeyNames, unconfirmedKeys } from "../ksc/keys";
import { Change } from "./diff";
import {
  Expectation,
  SettingResult,
  STEPS,
  candidatesFor,
  defaultChecks,
  networkSectionOf,
  outcomeOf,
  overridesOf,
  takenKey,
} from "./match";

const where = { hostId: "H", policyId: "7", valueKey: "KLPRSS_Val" };
const exp = (e: Partial<Expectation> & Pick<Expectation, "area" | "want">): Expectation => ({
  group: "dp",
  logical: "pushServerEnabled",
  label: "Run push server",
  ...e,
});
const dpChange = (key: string, old: unknown, now: unknown, host = "H"): Change =>
  old === undefined
    ? { kind: "added", path: ["distributionPoints", host, key], new: now as boolean }
    : { kind: "changed", path: ["distributionPoints", host, key], old: old as boolean, new: now as boolean };
const policyChange = (
  section: string,
  key: string,
  leaf: string,
  old: unknown,
  now: unknown,
  policy = "7",
): Change => ({
  kind: "changed",
  path: ["policies", policy, "sections", section, key, leaf],
  old: old as boolean,
  new: now as boolean,
});

describe("candidatesFor", () => {
  test("a DP yes/no that became true is the one candidate; noise of other kinds is ignored", () => {
    const changes: Change[] = [
      dpChange("KLUA_PUSH_ON", false, true),
      {
        kind: "changed",
        path: ["hosts", "H", "KLHST_WKS_LAST_VISIBLE"],
        old: { type: "datetime", value: "1" },
        new: { type: "datetime", value: "2" },
      },
      dpChange("UaPort", 13000, 13001),
    ];
    const c = candidatesFor(exp({ area: "dp", want: { kind: "became-true" } }), changes, where);
    expect(c.map((x) => x.name)).toEqual(["KLUA_PUSH_ON"]);
    expect(outcomeOf(c)).toEqual({
      status: "found",
      name: "KLUA_PUSH_ON",
      path: ["distributionPoints", "H", "KLUA_PUSH_ON"],
      old: false,
      new: true,
    });
  });

  test("a key that appears with the value counts; one that was switched off does not become-true", () => {
    const want = exp({ area: "dp", want: { kind: "became-true" } });
    expect(candidatesFor(want, [dpChange("NewKey", undefined, true)], where).map((c) => c.name)).toEqual([
      "NewKey",
    ]);
    expect(candidatesFor(want, [dpChange("Off", true, false)], where)).toEqual([]);
  });

  test("changes of another DP or another policy are not candidates", () => {
    const want = exp({ area: "dp", want: { kind: "became-true" } });
    expect(candidatesFor(want, [dpChange("PushOn", false, true, "OTHER")], where)).toEqual([]);
    const force = exp({ area: "policy", want: { kind: "toggled" } });
    expect(
      candidatesFor(force, [policyChange("NET", "Force", "KLPRSS_Val", false, true, "8")], where),
    ).toEqual([]);
  });

  test("two yes/no keys switched in one step are ambiguous, not guessed", () => {
    const c = candidatesFor(
      exp({ area: "dp", want: { kind: "became-true" } }),
      [dpChange("A", false, true), dpChange("B", false, true)],
      where,
    );
    const o = outcomeOf(c);
    expect(o.status).toBe("ambiguous");
    expect(o.status === "ambiguous" && o.candidates.map((x) => x.name)).toEqual(["A", "B"]);
    expect(outcomeOf([])).toEqual({ status: "none" });
  });

  test("a port is recognised by the value the person was asked to type", () => {
    const want = exp({ logical: "pushServerPort", area: "dp", want: { kind: "equals", value: 13297 } });
    const changes = [dpChange("UaPort", 13000, 13001), dpChange("PushPort", 13295, 13297)];
    expect(candidatesFor(want, changes, where).map((c) => c.name)).toEqual(["PushPort"]);
    expect(candidatesFor(want, [dpChange("PushPort", 13295, 13298)], where)).toEqual([]);
  });

  test("a policy setting is its top-level key; value and lock changes of one key are one candidate", () => {
    const want = exp({
      group: "networkAgent",
      logical: "forceConnectionThroughDp",
      area: "policy",
      want: { kind: "toggled" },
    });
    const changes = [
      policyChange("NET", "ForceDp", "KLPRSS_Mnd", false, true),
      policyChange("NET", "ForceDp", "KLPRSS_Val", true, false),
    ];
    expect(candidatesFor(want, changes, where)).toEqual([
      {
        area: "policy",
        name: "ForceDp",
        section: "NET",
        path: ["policies", "7", "sections", "NET", "ForceDp", "KLPRSS_Val"],
        old: true,
        new: false,
      },
    ]);
    // A lock alone is not the setting's value changing.
    expect(candidatesFor(want, [changes[0]], where)).toEqual([]);
    // A value nested below a container lock is not a top-level key the provider could use.
    const nested: Change = {
      kind: "changed",
      path: ["policies", "7", "sections", "NET", "Box", "KLPRSS_Val", "Inner", "KLPRSS_Val"],
      old: false,
      new: true,
    };
    expect(candidatesFor(want, [nested], where)).toEqual([]);
  });

  test("the UDP port is found as the first element of an array of ports; other elements are not the setting", () => {
    const want = exp({
      group: "networkAgent",
      logical: "udpPort",
      area: "policy",
      want: { kind: "equals", value: 15007 },
    });
    const element = (i: string, old: number, now: number): Change => ({
      kind: "changed",
      path: ["policies", "7", "sections", "86", "Nagentports", "KLPRSS_Val", i],
      old,
      new: now,
    });
    expect(candidatesFor(want, [element("0", 15000, 15007)], where)).toEqual([
      {
        area: "policy",
        name: "Nagentports",
        section: "86",
        path: ["policies", "7", "sections", "86", "Nagentports", "KLPRSS_Val", "0"],
        old: 15000,
        new: 15007,
      },
    ]);
    expect(candidatesFor(want, [element("1", 15001, 15007)], where)).toEqual([]);
  });

  test("keys already found for another setting are left out", () => {
    const want = exp({
      group: "networkAgent",
      logical: "useUdpPort",
      area: "policy",
      want: { kind: "toggled" },
    });
    const changes = [
      policyChange("NET", "ForceDp", "KLPRSS_Val", true, false),
      policyChange("NET", "UseUdp", "KLPRSS_Val", true, false),
    ];
    const taken = new Set([takenKey("policy", "ForceDp", "NET")]);
    expect(candidatesFor(want, changes, where, taken).map((c) => c.name)).toEqual(["UseUdp"]);
  });

  test("host attributes are matched in the host area only", () => {
    const want = exp({
      group: "host",
      logical: "keepConnection",
      area: "host",
      want: { kind: "became-true" },
    });
    const changes: Change[] = [
      dpChange("DpKeep", false, true),
      { kind: "changed", path: ["hosts", "H", "KEEP"], old: false, new: true },
    ];
    expect(candidatesFor(want, changes, where).map((c) => c.name)).toEqual(["KEEP"]);
  });
});

const found = (
  group: Expectation["group"],
  logical: string,
  area: Expectation["area"],
  name: string,
  section?: string,
): SettingResult => ({
  step: "s",
  expectation: exp({ group, logical, area, want: { kind: "toggled" } }),
  outcome: { status: "found", name, path: [], ...(section ? { section } : {}) },
});

describe("the override file", () => {
  test("found names, with the Network Agent keys' section, in the provider's shape", () => {
    const results = [
      found("dp", "pushServerEnabled", "dp", "KLUA_PUSH_ON"),
      found("host", "keepConnection", "host", "KEEP"),
      found("networkAgent", "useUdpPort", "policy", "UseUdp", "NET"),
      found("networkAgent", "udpPort", "policy", "UdpPort", "NET"),
      {
        step: "s",
        expectation: exp({ logical: "pushServerPort", area: "dp", want: { kind: "equals", value: 1 } }),
        outcome: { status: "none" },
      } as SettingResult,
    ];
    const overrides = overridesOf(results);
    expect(overrides).toEqual({
      dp: { pushServerEnabled: "KLUA_PUSH_ON" },
      host: { keepConnection: "KEEP" },
      networkAgent: { useUdpPort: "UseUdp", udpPort: "UdpPort", networkSection: "NET" },
    });
    // The provider accepts it.
    expect(resolveKeyNames(overrides).networkAgent.networkSection).toBe("NET");
  });

  test("policy keys in two sections: the section is ambiguous and no policy key is written", () => {
    const results = [
      found("networkAgent", "useUdpPort", "policy", "UseUdp", "A"),
      found("networkAgent", "udpPort", "policy", "UdpPort", "B"),
    ];
    expect(networkSectionOf(results)).toEqual({ status: "ambiguous", sections: ["A", "B"] });
    expect(overridesOf(results)).toEqual({});
  });
});

test("the walk covers every key of the mapping module that no Open API page confirms", () => {
  const ctx = {
    dpName: "d",
    hostId: "H",
    policyName: "p",
    policyId: "7",
    groupPath: "g",
    pushPort: 1,
    udpPort: 2,
    remoteAddress: "r",
  };
  const covered = STEPS.flatMap((s) => s.expects(ctx).map((e) => `${e.group}.${e.logical}`));
  // networkSection is where the policy keys are found.
  expect([...covered, "networkAgent.networkSection"].sort()).toEqual(
    unconfirmedKeys()
      .map((p) => `${p.group}.${p.logical}`)
      .sort(),
  );
  expect(new Set(STEPS.map((s) => s.id)).size).toBe(STEPS.length);
});

test("the defaults no Open API page confirms: confirmed, corrected or not checked, per key", () => {
  const results = [
    found("host", "keepConnection", "host", "KLHST_WKS_KEEP_CONNECTION"),
    found("networkAgent", "udpPort", "policy", "Nagentports", "86"),
    found("networkAgent", "forceConnectionThroughDp", "policy", "KLNAG_FORCE_UA", "86"),
    found("dp", "pushServerPort", "dp", "KLUA_PUSH_PORT"),
  ];
  const checks = Object.fromEntries(defaultChecks(results).map((c) => [c.key, c]));
  expect(Object.keys(checks).sort()).toEqual(
    unconfirmedKeys()
      .map((k) => `${k.group}.${k.logical}`)
      .sort(),
  );
  expect(checks["host.keepConnection"]).toEqual({
    key: "host.keepConnection",
    default: "KLHST_WKS_KEEP_CONNECTION",
    status: "evidence",
    found: "KLHST_WKS_KEEP_CONNECTION",
    verdict: "confirmed",
  });
  expect(checks["networkAgent.networkSection"]).toMatchObject({ found: "86", verdict: "confirmed" });
  expect(checks["networkAgent.udpPort"]).toMatchObject({ verdict: "confirmed" });
  expect(checks["networkAgent.forceConnectionThroughDp"]).toEqual({
    key: "networkAgent.forceConnectionThroughDp",
    default: "PROPOSED_UseDpForceConnection",
    status: "proposed",
    found: "KLNAG_FORCE_UA",
    verdict: "corrected",
  });
  expect(checks["dp.pushServerPort"]).toMatchObject({ found: "KLUA_PUSH_PORT", verdict: "corrected" });
  expect(checks["networkAgent.useUdpPort"]).toEqual({
    key: "networkAgent.useUdpPort",
    default: "OpenUdpPort",
    status: "evidence",
    verdict: "not checked",
  });
});
