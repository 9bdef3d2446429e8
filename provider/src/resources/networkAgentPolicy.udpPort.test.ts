// The "UDP port number" is the first element of the Network Agent's array of UDP ports (docs/ksc-key-names.md,
// "The UDP port"): NetworkAgentPolicy keeps the other elements through create, update and refresh, and a setting
// whose key the network section does not hold is never written. The pure readers and writers are tested beside
// them, in ../ksc/networkAgent.test.ts.
import { resolveKeyNames } from "../ksc/keys";
import * as na from "./networkAgentPolicy";
import type { NetworkAgentPolicyCheckedInputs } from "./schema.generated";
import { TestConsole, testConsole, TestContext } from "../../../test/support/inProcessConsole";

const keys = resolveKeyNames({});
const K = keys.networkAgent;
const checked = (news: Record<string, unknown>): NetworkAgentPolicyCheckedInputs => {
  const r = na.check({}, news);
  expect(r.failures).toEqual([]);
  return r.inputs;
};
const MILAN = { group: "Managed devices/Branch Milan", name: "Milan agents" };

describe("NetworkAgentPolicy and the array of UDP ports, against the console", () => {
  let ksc: TestConsole;
  let ctx: TestContext;
  beforeEach(() => {
    ksc = testConsole();
    ctx = ksc.context();
  });
  const held = (policyId: number) => ksc.naSection(policyId)?.udpPorts;

  test("create, update and refresh: the port is the first element, the others survive every write", async () => {
    const created = await na.create(ctx, checked({ ...MILAN, udpPort: { value: 15500 } }));
    const id = created.outs.policyId;
    expect(held(id)).toEqual({ value: [15500, 15001], locked: false });
    expect(created.outs.udpPort).toEqual({ value: 15500, locked: false });

    // Someone adds a third port in the console; an update of the first keeps it.
    ksc
      .naSection(id)!
      .set(ksc.emu.keyNames.networkAgent.udpPort, { value: [15500, 15001, 15020], locked: false });
    const news = checked({ ...MILAN, udpPort: { value: 15600, locked: true } });
    const updated = await na.update(ctx, String(id), created.outs, news);
    expect(held(id)).toEqual({ value: [15600, 15001, 15020], locked: true });
    expect(updated.outs.udpPort).toEqual({ value: 15600, locked: true });

    const read = await na.read(ctx, String(id), updated.outs);
    expect(read.props?.udpPort).toEqual({ value: 15600, locked: true });
    expect(na.diff(read.props!, news).changes).toBe(false);
    expect(ctx.logs.filter((l) => l.level === "warn")).toEqual([]);
  });

  test("a port equal to another element: written, with a warning", async () => {
    await na.create(ctx, checked({ ...MILAN, udpPort: { value: 15001 } }));
    expect(ctx.logs).toContainEqual({
      level: "warn",
      message: expect.stringMatching(/UDP port 15001 is also element 2 of Nagentports/),
    });
  });

  test("a section without the force-connection key: nothing is written, the error names that key and the probe", async () => {
    const { outs } = await na.create(ctx, checked(MILAN));
    const id = outs.policyId;
    const section = ksc.naSection(id)!;
    section.delete(ksc.emu.keyNames.networkAgent.forceConnectionThroughDp);
    section.set("KLNAG_FORCE_UA", { value: false, locked: false });
    const before = JSON.stringify(section.snapshot());
    const updates = ksc.count("SsContents.Ss_Update");
    const news = checked({
      ...MILAN,
      forceConnectionThroughDp: { value: true, locked: true },
      udpPort: { value: 15600 },
    });
    const err = await na.update(ctx, String(id), outs, news).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      new RegExp(
        `no Network Agent policy setting \\(section "86"\\) named "${K.forceConnectionThroughDp}"\\. .*probe guided.*ksc:keyNamesFile`,
        "s",
      ),
    );
    expect((err as Error).message).not.toMatch(/OpenUdpPort|Nagentports/);
    expect(ksc.count("SsContents.Ss_Update")).toBe(updates);
    expect(JSON.stringify(ksc.naSection(id)!.snapshot())).toBe(before);
    expect(ksc.openHandles).toBe(0);
  });
});
