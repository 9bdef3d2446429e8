// DistributionPoint against the emulator, as lifecycle steps: each step acts through the resource logic and
// checks the console through raw Open API calls.
import * as dp from "./distributionPoint";
import type { DistributionPointOutputs } from "./schema.generated";
import { EmulatorFixture, emulatorFixture } from "../../../test/support/emulatorFixture";
import { WireObject, scopeGroupIds } from "../../../test/support/raw-ksc";

describe("DistributionPoint lifecycle (emulator)", () => {
  let f: EmulatorFixture;
  let milan: number;
  let rome: number;
  let dp01: string;
  let dp02: string;
  let outs: DistributionPointOutputs;
  const declared = (o: Record<string, unknown> = {}) => {
    const r = dp.check(
      {},
      { deviceName: "milan-dp-01", scopeGroups: ["Managed devices/Branch Milan"], port: 13001, ...o },
    );
    expect(r.failures).toEqual([]);
    return r.inputs;
  };

  beforeAll(async () => {
    f = await emulatorFixture();
    milan = await f.raw.groupId("Branch Milan");
    rome = await f.raw.groupId("Branch Rome");
    dp01 = await f.raw.hostId("milan-dp-01");
    dp02 = await f.raw.hostId("milan-dp-02");
  });
  afterAll(() => f.close());

  test("step 1: preview-time checks pass for a valid declaration and name a bad one", async () => {
    expect(await dp.verify(f.ctx, {}, declared())).toEqual([]);
    expect(await dp.verify(f.ctx, {}, declared({ deviceName: "shared-name-01" }))).toEqual([
      { property: "deviceName", reason: expect.stringMatching(/^2 managed devices match "shared-name-01"/) },
    ]);
    expect(await dp.verify(f.ctx, {}, declared({ scopeGroups: ["Managed devices/Branch Napoli"] }))).toEqual([
      {
        property: "scopeGroups",
        reason: expect.stringContaining('no administration group at path "Managed devices/Branch Napoli"'),
      },
    ]);
    expect(await f.raw.dp(dp01)).toBeUndefined(); // nothing written
  });

  test("step 2: create makes the device a DP with the declared settings (console checked raw)", async () => {
    const r = await dp.create(f.ctx, declared());
    outs = r.outs;
    expect(r.id).toBe(dp01);
    const info = await f.raw.dp(dp01);
    expect(info?.UaPort).toEqual({ type: "long", value: 13001 });
    expect(info?.UaDistributeUpdates).toBe(true);
    expect(scopeGroupIds(info)).toEqual([milan]);
    // The seed assigns DPs automatically; creation turned that off, and said so.
    expect((await f.raw.call("UaControl.GetAssignUasAutomatically")).PxgRetVal).toBe(false);
    expect(f.ctx.logs.some((l) => l.level === "warn" && l.message.includes("automatic assignment"))).toBe(
      true,
    );
  });

  test("step 3: read back equals what was declared", async () => {
    const r = await dp.read(f.ctx, dp01, outs);
    expect(r.props).toEqual(outs);
    expect(r.props).toMatchObject({
      hostId: dp01,
      displayName: "milan-dp-01",
      deviceName: "milan-dp-01",
      port: 13001,
      scopeGroups: ["Managed devices/Branch Milan"],
      scope: {
        groups: [{ id: milan, name: "Branch Milan", path: "Managed devices/Branch Milan" }],
        nlaNetworks: [],
      },
    });
    expect(dp.diff(r.props!, declared())).toMatchObject({ changes: false, replaces: [] });
  });

  test("step 4: update in place (settings and scope)", async () => {
    const news = declared({ distributePackages: false, scopeGroups: ["Managed devices/Branch Milan", rome] });
    expect(dp.diff(outs, news)).toMatchObject({
      changes: true,
      replaces: [],
      diffs: ["scopeGroups", "distributePackages"],
    });
    outs = (await dp.update(f.ctx, dp01, outs, news)).outs;
    const info = await f.raw.dp(dp01);
    expect(info?.UaDistributePackages).toBe(false);
    expect(scopeGroupIds(info)).toEqual([milan, rome].sort((a, b) => a - b));
    expect(dp.diff(outs, news).changes).toBe(false);
  });

  test("step 5: a change made in the console is reported by diff after read", async () => {
    const info = (await f.raw.dp(dp01))!;
    await f.raw.call("UaControl.ModifyUpdateAgent", {
      pUaInfo: { ...info, UaPort: { type: "long", value: 13555 } },
    });
    const r = await dp.read(f.ctx, dp01, outs);
    expect(r.props!.port).toBe(13555);
    expect(r.inputs).toMatchObject({ port: 13555 });
    const news = declared({ distributePackages: false, scopeGroups: ["Managed devices/Branch Milan", rome] });
    expect(dp.diff(r.props!, news)).toMatchObject({ changes: true, diffs: ["port"], replaces: [] });
    outs = (await dp.update(f.ctx, dp01, r.props!, news)).outs;
    expect((await f.raw.dp(dp01))?.UaPort).toEqual({ type: "long", value: 13001 });
  });

  test("step 6: another device replaces the resource (create the new one, delete the old one)", async () => {
    const news = declared({ deviceName: "milan-dp-02" });
    expect(dp.diff(outs, news)).toMatchObject({ changes: true, replaces: ["deviceName"] });
    const created = await dp.create(f.ctx, news);
    await dp.delete(f.ctx, dp01, outs);
    outs = created.outs;
    expect(created.id).toBe(dp02);
    expect(await f.raw.dp(dp01)).toBeUndefined();
    expect(scopeGroupIds(await f.raw.dp(dp02))).toEqual([milan]);
  });

  test("step 7: delete leaves nothing behind; a read afterwards drops the resource", async () => {
    await dp.delete(f.ctx, dp02, outs);
    expect(await f.raw.dp(dp02)).toBeUndefined();
    expect((await f.raw.call("UaControl.GetUpdateAgentsList")).pUasArr).toEqual([]);
    expect(await dp.read(f.ctx, dp02, outs)).toEqual({ id: "" });
  });

  test("step 8: a DP made by hand is adopted only when asked", async () => {
    const defaults = (await f.raw.call("UaControl.GetDefaultUpdateAgentRegistrationInfo"))
      .pUaInfo as WireObject;
    await f.raw.call("UaControl.RegisterUpdateAgent", {
      pUaInfo: {
        ...defaults,
        UaHostId: dp01,
        UaScope: {
          type: "params",
          value: { ScopeGroups: [{ type: "params", value: { ScopeId: { type: "long", value: rome } } }] },
        },
      },
    });
    await expect(dp.create(f.ctx, declared())).rejects.toThrow(
      /already is a distribution point, with other settings .* set adopt: true/,
    );
    expect(scopeGroupIds(await f.raw.dp(dp01))).toEqual([rome]);
    const adopted = await dp.create(f.ctx, declared({ adopt: true }));
    expect(adopted.outs.adopted).toBe(true);
    expect(scopeGroupIds(await f.raw.dp(dp01))).toEqual([milan]);
    await dp.delete(f.ctx, dp01, adopted.outs);
  });
});
