// A refresh reads a host's DP object once for its DistributionPoint and its PushServer (sharedDpRead), and that
// sharing must never hide drift: a change made in the console between two passes shows at the next one.
import * as dp from "./distributionPoint";
import { DP_READ_SHARING, DpReadSharing } from "./dpObject";
import * as ps from "./pushServer";
import type { DistributionPointOutputs, PushServerOutputs } from "./schema.generated";
import {
  GROUPS,
  seededHost,
  TestConsole,
  TestContext,
  testConsole,
} from "../../../test/support/inProcessConsole";

const HOST = seededHost("milan-dp-01");
const dpInputs = (o: Record<string, unknown> = {}) =>
  dp.check({}, { hostId: HOST, scopeGroups: [GROUPS.milan], ...o }).inputs;
const psInputs = (o: Record<string, unknown> = {}) => ps.check({}, { hostId: HOST, ...o }).inputs;

/** Keeps the first read of a host for the whole process: what the per-pass rule must not be. */
const STICKY: DpReadSharing = { serves: () => true, spent: () => false };

let ksc: TestConsole;
let setup: { dpOuts: DistributionPointOutputs; psOuts: PushServerOutputs };
beforeEach(async () => {
  ksc = testConsole();
  const ctx = ksc.context();
  setup = {
    dpOuts: (await dp.create(ctx, dpInputs())).outs,
    psOuts: (await ps.create(ctx, psInputs())).outs,
  };
});
afterEach(() => ksc.close());

/** One refresh pass: both resources of the host read (in the engine's order, which may be either). */
async function pass(ctx: TestContext, order: "dp first" | "ps first" = "dp first") {
  const readDp = () => dp.read(ctx, HOST, setup.dpOuts);
  const readPs = () => ps.read(ctx, HOST, setup.psOuts);
  if (order === "dp first") {
    const d = await readDp();
    return { dp: d.props!, ps: (await readPs()).props! };
  }
  const p = await readPs();
  return { dp: (await readDp()).props!, ps: p.props! };
}

/** Two passes in one provider process, the console's push port and a DP setting changed in between. */
async function driftSeenAtSecondPass(ctx: TestContext): Promise<boolean> {
  await pass(ctx);
  const stored = ksc.dp(HOST)!;
  stored.pushServerPort = 14000;
  stored.distributePackages = false;
  const second = await pass(ctx, "ps first");
  return second.ps.port === 14000 && second.dp.distributePackages === false;
}

describe("a DP object read once per pass serves its DistributionPoint and its PushServer", () => {
  test("one GetUpdateAgentInfo per host and pass, in either order, also when the reads overlap", async () => {
    const ctx = ksc.context();
    const before = ksc.count("UaControl.GetUpdateAgentInfo");
    await pass(ctx, "dp first");
    await pass(ctx, "ps first");
    await Promise.all([dp.read(ctx, HOST, setup.dpOuts), ps.read(ctx, HOST, setup.psOuts)]);
    expect(ksc.count("UaControl.GetUpdateAgentInfo") - before).toBe(3);
  });

  test("a change in the console between two passes of one process shows at the second (drift not hidden)", async () => {
    const ctx = ksc.context();
    expect(await driftSeenAtSecondPass(ctx)).toBe(true);
    // And the diff shows it: the push server's port and the DP's setting are changes to apply again.
    const again = await pass(ctx);
    expect(ps.diff(again.ps, psInputs()).diffs).toEqual(["port"]);
    expect(dp.diff(again.dp, dpInputs()).diffs).toEqual(["distributePackages"]);
  });

  test("the guard can fail: with a read kept for the whole process, the same change is hidden", async () => {
    const ctx = ksc.context();
    ctx.state.processState(DP_READ_SHARING, () => STICKY);
    expect(await driftSeenAtSecondPass(ctx)).toBe(false);
  });

  test("a host with a DistributionPoint only: its second read is fresh, not the first pass's", async () => {
    const ctx = ksc.context();
    await dp.read(ctx, HOST, setup.dpOuts);
    ksc.dp(HOST)!.distributePackages = false;
    expect((await dp.read(ctx, HOST, setup.dpOuts)).props!.distributePackages).toBe(false);
  });

  test("a write to the host drops the shared read: the other resource then reads what was written", async () => {
    const ctx = ksc.context();
    await dp.read(ctx, HOST, setup.dpOuts); // shared, waiting for the PushServer
    await ps.update(ctx, HOST, setup.psOuts, psInputs({ port: 14295 }));
    expect((await ps.read(ctx, HOST, setup.psOuts)).props!.port).toBe(14295);
  });

  test("a failed read is not shared: the other resource reads again", async () => {
    const ctx = ksc.context();
    ksc.fail("UaControl.GetUpdateAgentInfo", "reset");
    await expect(dp.read(ctx, HOST, setup.dpOuts)).rejects.toThrow(/closed by the other side/);
    expect((await ps.read(ctx, HOST, setup.psOuts)).props!.port).toBe(13295);
  });
});
