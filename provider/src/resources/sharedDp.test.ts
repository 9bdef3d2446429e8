// DistributionPoint and PushServer write the same DP object, which ModifyUpdateAgent replaces wholesale.
// Updating a DP setting and the push port of the same host in one run must lose neither change.
import * as dp from "./distributionPoint";
import * as ps from "./pushServer";
import { GROUPS, seededHost, TestConsole, testConsole } from "../../../test/support/inProcessConsole";

const HOST = seededHost("milan-dp-01");

describe("two resources, one DP object", () => {
  let ksc: TestConsole;
  let ctx: ReturnType<TestConsole["context"]>;
  const dpInputs = (o: Record<string, unknown> = {}) =>
    dp.check({}, { hostId: HOST, scopeGroups: [GROUPS.milan], ...o }).inputs;
  const psInputs = (o: Record<string, unknown> = {}) => ps.check({}, { hostId: HOST, ...o }).inputs;

  beforeEach(() => {
    ksc = testConsole();
    ctx = ksc.context();
  });
  afterEach(() => ksc.close());

  test("a DP update and a push-port update that overlap both survive", async () => {
    const dpOuts = (await dp.create(ctx, dpInputs())).outs;
    const psOuts = (await ps.create(ctx, psInputs())).outs;
    // Hold the DP's write until the push server's update has had every chance to read and write in between.
    const gate = ksc.gate("UaControl.ModifyUpdateAgent");
    const dpUpdate = dp.update(ctx, HOST, dpOuts, dpInputs({ distributePackages: false }));
    await gate.reached;
    const psUpdate = ps.update(ctx, HOST, psOuts, psInputs({ port: 14295 }));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    gate.release();
    const [d, p] = await Promise.all([dpUpdate, psUpdate]);
    const stored = ksc.dp(HOST)!;
    expect(stored.distributePackages).toBe(false);
    expect(stored.pushServerPort).toBe(14295);
    expect(stored.pushServerEnabled).toBe(true);
    expect(d.outs.distributePackages).toBe(false);
    expect(p.outs.port).toBe(14295);
    // Neither resource sees the other's change as drift.
    expect(
      dp.diff((await dp.read(ctx, HOST, d.outs)).props!, dpInputs({ distributePackages: false })).changes,
    ).toBe(false);
    expect(ps.diff((await ps.read(ctx, HOST, p.outs)).props!, psInputs({ port: 14295 })).changes).toBe(false);
  });

  test("deleting the push server keeps the DP settings; deleting the DP after it is clean", async () => {
    const dpOuts = (await dp.create(ctx, dpInputs({ customFolder: "E:\\dp" }))).outs;
    const psOuts = (await ps.create(ctx, psInputs())).outs;
    await ps.delete(ctx, HOST, psOuts);
    expect((await dp.read(ctx, HOST, dpOuts)).props!.customFolder).toBe("E:\\dp");
    await dp.delete(ctx, HOST, dpOuts);
    expect(ksc.dps.size).toBe(0);
  });
});
