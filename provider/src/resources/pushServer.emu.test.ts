// PushServer against the emulator, as lifecycle steps (console checked through raw Open API calls), and the
// two-resources-one-DP case: a DP setting and the push port of the same host updated at the same time.
import * as dp from "./distributionPoint";
import * as ps from "./pushServer";
import type { PushServerOutputs } from "./schema.generated";
import { EmulatorFixture, emulatorFixture } from "../../../test/support/emulatorFixture";

describe("PushServer lifecycle (emulator)", () => {
  let f: EmulatorFixture;
  let dp01: string;
  let dp02: string;
  let outs: PushServerOutputs;
  const declared = (o: Record<string, unknown> = {}) => {
    const r = ps.check({}, { hostId: dp01, ...o });
    expect(r.failures).toEqual([]);
    return r.inputs;
  };
  const keepConnection = async (hostId: string) =>
    (
      (
        await f.raw.call("HostGroup.GetHostInfo", {
          strHostName: hostId,
          pFields2Return: [f.emu.keyNames.host.keepConnection],
        })
      ).PxgRetVal as Record<string, unknown>
    )[f.emu.keyNames.host.keepConnection];
  const push = async (hostId: string) => {
    const info = await f.raw.dp(hostId);
    const k = f.emu.keyNames.dp;
    return {
      enabled: info?.[k.pushServerEnabled],
      port: info?.[k.pushServerPort],
      remote: info?.[k.pushServerRemoteAddress],
    };
  };

  beforeAll(async () => {
    f = await emulatorFixture();
    dp01 = await f.raw.hostId("milan-dp-01");
    dp02 = await f.raw.hostId("milan-dp-02");
    for (const name of ["milan-dp-01", "milan-dp-02"]) {
      await dp.create(
        f.ctx,
        dp.check(
          {},
          { deviceName: name, scopeGroups: ["Managed devices/Branch Milan"], customFolder: "D:\\dp" },
        ).inputs,
      );
    }
  });
  afterAll(() => f.close());

  test("step 1: preview-time checks: a port the DP uses fails, a valid one passes", async () => {
    expect(await ps.verify(f.ctx, {}, declared({ port: 13000 }))).toEqual([
      {
        property: "port",
        reason: expect.stringContaining("13000 is already used by the distribution point"),
      },
    ]);
    expect(await ps.verify(f.ctx, {}, declared())).toEqual([]);
  });

  test("step 2: create turns the push server on; KSC turns on keep-connection; the firewall note is given", async () => {
    expect(await keepConnection(dp01)).toBe(false);
    const r = await ps.create(f.ctx, declared());
    outs = r.outs;
    expect(await push(dp01)).toEqual({ enabled: true, port: { type: "long", value: 13295 }, remote: "" });
    expect(await keepConnection(dp01)).toBe(true);
    expect(outs).toMatchObject({
      hostId: dp01,
      port: 13295,
      keepConnection: true,
      firewallNote: expect.stringContaining("Open TCP port 13295"),
    });
    expect((await f.raw.dp(dp01))?.UaCustomFolder).toBe("D:\\dp"); // the DP's settings stay
  });

  test("step 3: read back equals what was declared", async () => {
    const r = await ps.read(f.ctx, dp01, outs);
    expect(r.props).toEqual(outs);
    expect(ps.diff(r.props!, declared()).changes).toBe(false);
  });

  test("step 4: update the port and remote address in place", async () => {
    const news = declared({ port: 14295, remoteAddress: "push.milan.corp.example" });
    expect(ps.diff(outs, news)).toMatchObject({ changes: true, replaces: [] });
    outs = (await ps.update(f.ctx, dp01, outs, news)).outs;
    expect(await push(dp01)).toEqual({
      enabled: true,
      port: { type: "long", value: 14295 },
      remote: "push.milan.corp.example",
    });
  });

  test("step 5: a port changed in the console is reported by diff after read", async () => {
    const info = (await f.raw.dp(dp01))!;
    await f.raw.call("UaControl.ModifyUpdateAgent", {
      pUaInfo: { ...info, [f.emu.keyNames.dp.pushServerPort]: { type: "long", value: 15555 } },
    });
    const r = await ps.read(f.ctx, dp01, outs);
    expect(r.props!.port).toBe(15555);
    expect(
      ps.diff(r.props!, declared({ port: 14295, remoteAddress: "push.milan.corp.example" })),
    ).toMatchObject({ diffs: ["port"] });
    outs = r.props!;
  });

  test("step 6: another DP replaces the resource (on the new DP first, then off on the old one)", async () => {
    const news = declared({ hostId: dp02 });
    expect(ps.diff(outs, news)).toMatchObject({ replaces: ["hostId"] });
    const created = await ps.create(f.ctx, news);
    await ps.delete(f.ctx, dp01, outs);
    outs = created.outs;
    expect((await push(dp01)).enabled).toBe(false);
    expect((await push(dp02)).enabled).toBe(true);
  });

  test("step 7: delete turns the push server off and leaves the DP (a read then finds it off, not gone)", async () => {
    await ps.delete(f.ctx, dp02, outs);
    expect((await push(dp02)).enabled).toBe(false);
    expect(await f.raw.dp(dp02)).toBeDefined();
    expect(await ps.read(f.ctx, dp02, outs)).toMatchObject({ id: dp02, props: { running: false } });
  });
});

describe("two resources, one DP (emulator)", () => {
  let f: EmulatorFixture;
  beforeAll(async () => {
    // Latency widens the window in which two read-modify-write cycles could overlap.
    f = await emulatorFixture({ latencyMs: 15 });
  });
  afterAll(() => f.close());

  test("a DP setting and the push port of the same host, updated in one run, both land", async () => {
    const dpIn = (o: Record<string, unknown> = {}) =>
      dp.check({}, { deviceName: "rome-dp-01", scopeGroups: ["Branch Rome"], ...o }).inputs;
    const d = await dp.create(f.ctx, dpIn());
    const psIn = (o: Record<string, unknown> = {}) => ps.check({}, { hostId: d.id, ...o }).inputs;
    const p = await ps.create(f.ctx, psIn());
    for (let round = 0; round < 3; round++) {
      const folder = `E:\\ksc-${round}`;
      const port = 14000 + 100 * (round + 1);
      const [du, pu] = await Promise.all([
        dp.update(f.ctx, d.id, d.outs, dpIn({ customFolder: folder })),
        ps.update(f.ctx, p.id, p.outs, psIn({ port })),
      ]);
      const info = (await f.raw.dp(d.id))!;
      expect({
        folder: info.UaCustomFolder,
        port: info[f.emu.keyNames.dp.pushServerPort],
        enabled: info[f.emu.keyNames.dp.pushServerEnabled],
      }).toEqual({
        folder,
        port: { type: "long", value: port },
        enabled: true,
      });
      expect(du.outs.customFolder).toBe(folder);
      expect(pu.outs.port).toBe(port);
    }
  });
});
