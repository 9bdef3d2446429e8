import { InputError, UNKNOWN } from "./common";
import * as na from "./networkAgentPolicy";
import type { NetworkAgentPolicyCheckedInputs, NetworkAgentPolicyOutputs } from "./schema.generated";
import { GROUPS, TestConsole, testConsole, TestContext } from "../../../test/support/inProcessConsole";

const checked = (news: Record<string, unknown>): NetworkAgentPolicyCheckedInputs => {
  const r = na.check({}, news);
  expect(r.failures).toEqual([]);
  return r.inputs;
};
const MILAN = { group: "Managed devices/Branch Milan", name: "Network Agent - Branch Milan" };

describe("NetworkAgentPolicy check", () => {
  test.each<[string, Record<string, unknown>, { property: string; reason: string }[]]>([
    ["a group path and a name", MILAN, []],
    ["a group id", { group: GROUPS.milan, name: "x" }, []],
    [
      "settings with locks",
      { ...MILAN, useUdpPort: { value: true, locked: true }, udpPort: { value: 15001 } },
      [],
    ],
    ["no group", { name: "x" }, [{ property: "group", reason: "is required" }]],
    ["no name", { group: 20 }, [{ property: "name", reason: "is required" }]],
    ["an empty name", { group: 20, name: "" }, [{ property: "name", reason: "must not be empty" }]],
    [
      "a group that is neither id nor path",
      { group: true, name: "x" },
      [
        {
          property: "group",
          reason:
            'must be a group id (a number, 0 or more) or a group path like "Managed devices/Branch Milan" (one trailing / is allowed, as in KSC\'s full group names), got true',
        },
      ],
    ],
    [
      "a UDP port out of range",
      { ...MILAN, udpPort: { value: 70000 } },
      [{ property: "udpPort", reason: "value: must be between 1 and 65535, got 70000" }],
    ],
    [
      "a setting without its value",
      { ...MILAN, useUdpPort: { locked: true } },
      [{ property: "useUdpPort", reason: "value: is required" }],
    ],
    [
      "a lock that is not yes/no",
      { ...MILAN, useUdpPort: { value: false, locked: "yes" } },
      [{ property: "useUdpPort", reason: 'locked: must be a boolean, got "yes"' }],
    ],
    [
      "a setting as a bare boolean",
      { ...MILAN, useUdpPort: false },
      [{ property: "useUdpPort", reason: "must be an object, got false" }],
    ],
    [
      "an unknown field in a setting",
      { ...MILAN, useUdpPort: { value: false, lock: true } },
      [{ property: "useUdpPort", reason: "lock: unknown property" }],
    ],
    ["a group not known yet", { group: UNKNOWN, name: "x", useUdpPort: { value: UNKNOWN } }, []],
    [
      "a group path with a trailing / (copied from the status page)",
      { ...MILAN, group: `${MILAN.group}/` },
      [],
    ],
    [
      "a group path with two trailing /",
      { ...MILAN, group: `${MILAN.group}//` },
      [
        {
          property: "group",
          reason: expect.stringContaining("one trailing / is allowed") as unknown as string,
        },
      ],
    ],
    [
      "a group path with an empty segment",
      { ...MILAN, group: "Managed devices//Branch Milan" },
      [{ property: "group", reason: expect.stringContaining("must be a group id") as unknown as string }],
    ],
  ])("%s", (_name, news, failures) => {
    expect(na.check({}, news).failures).toEqual(failures);
  });

  test("a trailing / is dropped from the group path: the checked inputs hold the path as written without it", () => {
    expect(checked({ ...MILAN, group: "Managed devices/Branch Milan/" }).group).toBe(
      "Managed devices/Branch Milan",
    );
    expect(checked({ ...MILAN, group: GROUPS.milan }).group).toBe(GROUPS.milan);
  });

  test("defaults follow the push-server procedure: force connection on and locked, UDP off", () => {
    expect(checked(MILAN)).toEqual({
      ...MILAN,
      active: true,
      inheritFromParent: true,
      forceInheritance: false,
      forceConnectionThroughDp: { value: true, locked: true },
      useUdpPort: { value: false, locked: false },
      udpPort: { value: 15000, locked: false },
      adopt: false,
    });
    expect(checked({ ...MILAN, useUdpPort: { value: true } }).useUdpPort).toEqual({
      value: true,
      locked: false,
    });
  });
});

function outputs(o: Partial<NetworkAgentPolicyOutputs> = {}): NetworkAgentPolicyOutputs {
  return {
    policyId: 7,
    group: MILAN.group,
    groupId: GROUPS.milan,
    groupPath: "Managed devices/Branch Milan",
    name: MILAN.name,
    product: "1103",
    version: "1.0.0.0",
    active: true,
    inheritFromParent: true,
    forceInheritance: false,
    forceConnectionThroughDp: { value: true, locked: true },
    useUdpPort: { value: false, locked: false },
    udpPort: { value: 15000, locked: false },
    adopt: false,
    adopted: false,
    ...o,
  };
}

describe("NetworkAgentPolicy diff", () => {
  test.each<[string, Partial<NetworkAgentPolicyOutputs>, Record<string, unknown>, string[], string[]]>([
    ["nothing changed", {}, MILAN, [], []],
    [
      "defaults written out",
      {},
      { ...MILAN, active: true, forceConnectionThroughDp: { value: true, locked: true } },
      [],
      [],
    ],
    ["the group by id instead of path", {}, { ...MILAN, group: GROUPS.milan }, [], []],
    ["the group path without the root, other case", {}, { ...MILAN, group: "branch milan" }, [], []],
    ["the group path with a trailing /", {}, { ...MILAN, group: `${MILAN.group}/` }, [], []],
    ["adopt changed", {}, { ...MILAN, adopt: true }, [], []],
    [
      "the lock opened in the console",
      { forceConnectionThroughDp: { value: true, locked: false } },
      MILAN,
      ["forceConnectionThroughDp"],
      [],
    ],
    [
      "UDP turned back on in the console",
      { useUdpPort: { value: true, locked: false } },
      MILAN,
      ["useUdpPort"],
      [],
    ],
    ["a setting the policy does not hold", { udpPort: undefined }, MILAN, ["udpPort"], []],
    ["renamed", {}, { ...MILAN, name: "Other" }, ["name"], []],
    ["deactivated in the program", {}, { ...MILAN, active: false }, ["active"], []],
    [
      "inheritance changed",
      {},
      { ...MILAN, inheritFromParent: false, forceInheritance: true },
      ["inheritFromParent", "forceInheritance"],
      [],
    ],
    ["another group", {}, { ...MILAN, group: "Managed devices/Branch Rome" }, ["group"], ["group"]],
    ["another group id", {}, { ...MILAN, group: GROUPS.rome }, ["group"], ["group"]],
    ["a group not known yet", {}, { ...MILAN, group: UNKNOWN }, ["group"], ["group"]],
    ["a port not known yet", {}, { ...MILAN, udpPort: { value: UNKNOWN } }, ["udpPort"], []],
  ])("%s", (_name, olds, news, diffs, replaces) => {
    const r = na.diff({ ...outputs(), ...olds }, na.check({}, news).inputs);
    expect({ diffs: r.diffs, replaces: r.replaces, changes: r.changes }).toEqual({
      diffs,
      replaces,
      changes: diffs.length > 0,
    });
  });
});

describe("NetworkAgentPolicy against the console", () => {
  let ksc: TestConsole;
  let ctx: TestContext;
  beforeEach(() => {
    ksc = testConsole();
    ctx = ksc.context();
  });

  test("create adds the policy and writes its settings through one applied, released SsContents handle", async () => {
    const { id, outs } = await na.create(ctx, checked(MILAN));
    const p = ksc.policies.get(Number(id))!;
    expect(p).toMatchObject({
      displayName: MILAN.name,
      groupId: GROUPS.milan,
      product: "1103",
      version: "1.0.0.0",
      active: true,
    });
    const section = ksc.naSection(p.id);
    expect(section?.forceConnectionThroughDp).toEqual({ value: true, locked: true });
    expect(section?.useUdpPort).toEqual({ value: false, locked: false });
    expect(section?.udpPorts).toEqual({ value: [15000, 15001], locked: false });
    expect(ksc.count("SsContents.Ss_Update")).toBe(1);
    expect(ksc.count("SsContents.Ss_Apply")).toBe(1);
    expect(ksc.openHandles).toBe(0);
    expect(outs).toMatchObject({
      policyId: p.id,
      group: MILAN.group,
      groupId: GROUPS.milan,
      groupPath: "Managed devices/Branch Milan",
      forceConnectionThroughDp: { value: true, locked: true },
      useUdpPort: { value: false, locked: false },
      adopted: false,
    });
    expect(na.diff(outs, checked(MILAN)).changes).toBe(false);
  });

  test("create where a policy of that name exists with other settings fails and says how to adopt", async () => {
    const err = await na
      .create(ctx, checked({ group: "Managed devices", name: "Kaspersky Security Center Network Agent" }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(
      /^name: a Network Agent policy "Kaspersky Security Center Network Agent" \(id 1\) already exists on group "Managed devices", with other settings \(forceConnectionThroughDp: \{"value":false,"locked":false\} in the console, \{"value":true,"locked":true\} declared; useUdpPort: .*\)\. To manage it with this resource, set adopt: true/,
    );
    expect(ksc.policies.size).toBe(1);
  });

  test("create with adopt: true takes over the group's existing policy and converges its settings", async () => {
    const { id, outs } = await na.create(
      ctx,
      checked({ group: 0, name: "Kaspersky Security Center Network Agent", adopt: true }),
    );
    expect(id).toBe("1");
    expect(outs).toMatchObject({
      adopted: true,
      forceConnectionThroughDp: { value: true, locked: true },
      useUdpPort: { value: false, locked: false },
    });
    expect(ksc.policies.size).toBe(1);
  });

  test("a policy of an ancestor group with the same name is not this group's policy", async () => {
    const { id } = await na.create(
      ctx,
      checked({ group: GROUPS.milan, name: "Kaspersky Security Center Network Agent" }),
    );
    expect(id).not.toBe("1");
    expect(ksc.policies.size).toBe(2);
  });

  test("create that finds its policy already as declared (an earlier run's lost result) adds no second one", async () => {
    await na.create(ctx, checked(MILAN));
    const { outs } = await na.create(ctx, checked(MILAN));
    expect(outs.adopted).toBe(true);
    expect([...ksc.policies.values()].filter((p) => p.displayName === MILAN.name)).toHaveLength(1);
  });

  test("create whose AddPolicy reply is lost takes the policy the server made instead of making another", async () => {
    ksc.fail("Policy.AddPolicy", "dropAfterApply");
    const { outs } = await na.create(ctx, checked(MILAN));
    expect([...ksc.policies.values()].filter((p) => p.displayName === MILAN.name)).toHaveLength(1);
    expect(outs.forceConnectionThroughDp).toEqual({ value: true, locked: true });
  });

  test("create whose settings cannot be written still reports the policy it made (so it is not made twice)", async () => {
    ksc.fail("SsContents.Ss_Apply", "klstd1195");
    const err = await na.create(ctx, checked(MILAN)).catch((e: unknown) => e);
    expect(err).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      properties: expect.objectContaining({ name: MILAN.name }),
    });
    expect((err as Error).message).toMatch(/created \(id \d+\), but writing its settings failed/);
    expect(ksc.openHandles).toBe(0); // released although the apply failed
  });

  test("create on a group that does not exist names the group", async () => {
    await expect(
      na.create(ctx, checked({ group: "Managed devices/Branch Napoli", name: "x" })),
    ).rejects.toThrow(/^group: no administration group at path "Managed devices\/Branch Napoli"/);
  });

  test("read reports a lock opened in the console; diff shows it; a deleted policy is dropped", async () => {
    const { id, outs } = await na.create(ctx, checked(MILAN));
    const section = ksc.naSection(Number(id))!;
    section.set(ksc.emu.keyNames.networkAgent.forceConnectionThroughDp, { value: true, locked: false });
    const r = await na.read(ctx, id, outs);
    expect(r.props!.forceConnectionThroughDp).toEqual({ value: true, locked: false });
    expect(r.inputs).toMatchObject({
      group: MILAN.group,
      forceConnectionThroughDp: { value: true, locked: false },
    });
    expect(na.diff(r.props!, checked(MILAN)).diffs).toEqual(["forceConnectionThroughDp"]);
    ksc.policies.delete(Number(id));
    expect(await na.read(ctx, id, outs)).toEqual({ id: "" });
  });

  test("update changes attributes and settings in place", async () => {
    const { id, outs } = await na.create(ctx, checked(MILAN));
    const r = await na.update(
      ctx,
      id,
      outs,
      checked({ ...MILAN, name: "Renamed", active: false, useUdpPort: { value: true, locked: true } }),
    );
    expect(ksc.policies.get(Number(id))).toMatchObject({ displayName: "Renamed", active: false });
    expect(r.outs).toMatchObject({
      name: "Renamed",
      active: false,
      useUdpPort: { value: true, locked: true },
    });
    expect(ksc.openHandles).toBe(0);
  });

  test("delete deletes the policy; again is fine", async () => {
    const { id, outs } = await na.create(ctx, checked(MILAN));
    await na.delete(ctx, id, outs);
    expect(ksc.policies.has(Number(id))).toBe(false);
    await expect(na.delete(ctx, id, outs)).resolves.toBeUndefined();
  });

  test("verify: two policies of one program with one name on one group: the second fails", async () => {
    const named = (name: string, news: Record<string, unknown>) => ({
      ...checked(news),
      __resourceName: name,
    });
    expect(await na.verify(ctx, {}, named("na-a", MILAN))).toEqual([]);
    expect(await na.verify(ctx, {}, named("na-b", { ...MILAN, group: GROUPS.milan }))).toEqual([
      {
        property: "name",
        reason:
          'NetworkAgentPolicy "na-a" of this program already manages the policy "Network Agent - Branch Milan" of group "Managed devices/Branch Milan"',
      },
    ]);
    expect(await na.verify(ctx, {}, named("na-c", { ...MILAN, group: GROUPS.rome }))).toEqual([]);
  });

  test("verify: a missing group, and for a new resource an existing different policy, fail at preview", async () => {
    expect(await na.verify(ctx, {}, checked({ group: 999, name: "x" }))).toEqual([
      { property: "group", reason: "no administration group has id 999" },
    ]);
    expect(
      await na.verify(ctx, {}, checked({ group: 0, name: "Kaspersky Security Center Network Agent" })),
    ).toEqual([{ property: "name", reason: expect.stringContaining("set adopt: true") }]);
    expect(
      await na.verify(
        ctx,
        {},
        checked({ group: 0, name: "Kaspersky Security Center Network Agent", adopt: true }),
      ),
    ).toEqual([]);
    expect(
      await na.verify(
        ctx,
        { name: "x" },
        checked({ group: 0, name: "Kaspersky Security Center Network Agent" }),
      ),
    ).toEqual([]);
    expect(await na.verify(ctx, {}, checked(MILAN))).toEqual([]);
    expect(ksc.calls.filter((c) => /Add|Update|Delete|Replace|Apply/.test(c))).toEqual([]);
  });
});
