// NetworkAgentPolicy against the emulator, as lifecycle steps (console checked through raw Open API calls).
import * as na from "./networkAgentPolicy";
import type { NetworkAgentPolicyOutputs } from "./schema.generated";
import { EmulatorFixture, emulatorFixture } from "../../../test/support/emulatorFixture";
import { RawKscError, WireObject, unwrapped } from "../../../test/support/raw-ksc";

describe("NetworkAgentPolicy lifecycle (emulator)", () => {
  let f: EmulatorFixture;
  let milan: number;
  let rome: number;
  let outs: NetworkAgentPolicyOutputs;
  let id: string;
  const NAME = "Network Agent - Branch Milan";
  const declared = (o: Record<string, unknown> = {}) => {
    const r = na.check({}, { group: "Managed devices/Branch Milan", name: NAME, ...o });
    expect(r.failures).toEqual([]);
    return r.inputs;
  };
  const section = async (policyId: string) => {
    const k = f.emu.keyNames.networkAgent;
    const s = await f.raw.policySection(Number(policyId), k.networkSection);
    const v = (key: string) => unwrapped(s[key]) as WireObject;
    return { force: v(k.forceConnectionThroughDp), useUdp: v(k.useUdpPort), udpPort: v(k.udpPort) };
  };
  const policiesNamed = async (groupId: number, name: string) =>
    ((await f.raw.call("Policy.GetPoliciesForGroup", { nGroupId: groupId })).PxgRetVal as WireObject[])
      .map((p) => unwrapped(p) as WireObject)
      .filter((p) => p.KLPOL_DN === name && p.KLPOL_INHERITED === false);

  beforeAll(async () => {
    f = await emulatorFixture();
    milan = await f.raw.groupId("Branch Milan");
    rome = await f.raw.groupId("Branch Rome");
  });
  afterAll(() => f.close());

  test("step 1: preview-time checks: a missing group fails; the group's existing policy needs adopt", async () => {
    expect(await na.verify(f.ctx, {}, declared({ group: "Managed devices/Branch Napoli" }))).toEqual([
      {
        property: "group",
        reason: expect.stringContaining('no administration group at path "Managed devices/Branch Napoli"'),
      },
    ]);
    expect(
      await na.verify(
        f.ctx,
        {},
        declared({ group: "Managed devices", name: "Kaspersky Security Center Network Agent" }),
      ),
    ).toEqual([{ property: "name", reason: expect.stringContaining("set adopt: true") }]);
    expect(await na.verify(f.ctx, {}, declared())).toEqual([]);
  });

  test("step 2: create adds the policy and its settings with locks (console checked raw)", async () => {
    const r = await na.create(f.ctx, declared());
    ({ id, outs } = r);
    const [p] = await policiesNamed(milan, NAME);
    expect(p).toMatchObject({
      KLPOL_ID: Number(id),
      KLPOL_PRODUCT: "1103",
      KLPOL_VERSION: "1.0.0.0",
      KLPOL_ACTIVE: true,
      KLPOL_GROUP_ID: milan,
    });
    expect(await section(id)).toEqual({
      force: { KLPRSS_Val: true, KLPRSS_Mnd: true },
      useUdp: { KLPRSS_Val: false, KLPRSS_Mnd: false },
      // The UDP port is the first of the Network Agent's UDP ports; the second was kept.
      udpPort: { KLPRSS_Val: [15000, 15001], KLPRSS_Mnd: false },
    });
  });

  test("step 3: read back equals what was declared", async () => {
    const r = await na.read(f.ctx, id, outs);
    expect(r.props).toEqual(outs);
    expect(outs).toMatchObject({
      groupId: milan,
      groupPath: "Managed devices/Branch Milan",
      forceConnectionThroughDp: { value: true, locked: true },
    });
    expect(na.diff(r.props!, declared()).changes).toBe(false);
  });

  test("step 4: update in place: rename, unlock, turn UDP back on with its lock", async () => {
    const news = declared({
      name: `${NAME} (push)`,
      forceConnectionThroughDp: { value: true },
      useUdpPort: { value: true, locked: true },
    });
    expect(na.diff(outs, news)).toMatchObject({
      replaces: [],
      diffs: ["name", "forceConnectionThroughDp", "useUdpPort"],
    });
    outs = (await na.update(f.ctx, id, outs, news)).outs;
    expect(await policiesNamed(milan, `${NAME} (push)`)).toHaveLength(1);
    expect(await section(id)).toMatchObject({
      force: { KLPRSS_Val: true, KLPRSS_Mnd: false },
      useUdp: { KLPRSS_Val: true, KLPRSS_Mnd: true },
    });
    expect(na.diff(outs, news).changes).toBe(false);
  });

  test("step 5: a setting changed in the console is reported by diff after read", async () => {
    const k = f.emu.keyNames.networkAgent;
    await f.raw.changePolicySection(Number(id), k.networkSection, {
      [k.udpPort]: { type: "params", value: { KLPRSS_Val: [15999, 15001], KLPRSS_Mnd: true } },
    });
    const r = await na.read(f.ctx, id, outs);
    expect(r.props!.udpPort).toEqual({ value: 15999, locked: true });
    const news = declared({
      name: `${NAME} (push)`,
      forceConnectionThroughDp: { value: true },
      useUdpPort: { value: true, locked: true },
    });
    expect(na.diff(r.props!, news)).toMatchObject({ diffs: ["udpPort"], replaces: [] });
    outs = r.props!;
  });

  test("step 6: another group replaces the policy (new one created, old one deleted)", async () => {
    const news = declared({ group: rome });
    expect(na.diff(outs, news)).toMatchObject({ replaces: ["group"] });
    const created = await na.create(f.ctx, news);
    await na.delete(f.ctx, id, outs);
    await expect(f.raw.call("Policy.GetPolicyData", { nPolicy: Number(id) })).rejects.toBeInstanceOf(
      RawKscError,
    );
    ({ id, outs } = created);
    expect(await policiesNamed(rome, NAME)).toHaveLength(1);
  });

  test("step 7: delete leaves nothing; a read then drops the resource", async () => {
    await na.delete(f.ctx, id, outs);
    const err = await f.raw.call("Policy.GetPolicyData", { nPolicy: Number(id) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RawKscError);
    expect((err as RawKscError).notFound).toBe(true);
    expect(await policiesNamed(rome, NAME)).toHaveLength(0);
    expect(await na.read(f.ctx, id, outs)).toEqual({ id: "" });
  });

  test("step 8: the group's default policy is adopted (and converged) when asked, without a second policy", async () => {
    const root = await f.raw.groupId("Managed devices");
    const adopted = await na.create(
      f.ctx,
      declared({ group: "Managed devices", name: "Kaspersky Security Center Network Agent", adopt: true }),
    );
    expect(adopted.id).toBe("1");
    expect(adopted.outs.adopted).toBe(true);
    expect(await policiesNamed(root, "Kaspersky Security Center Network Agent")).toHaveLength(1);
    expect(await section("1")).toMatchObject({
      force: { KLPRSS_Val: true, KLPRSS_Mnd: true },
      useUdp: { KLPRSS_Val: false },
    });
  });
});
