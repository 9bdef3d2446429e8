// The "UDP port number" is the first element of the Network Agent's array of UDP ports (docs/ksc-key-names.md,
// "The UDP port"): read the first element, write it back without losing the others. And a setting whose key the
// network section does not hold is never written (no meaningless variable), whatever the others hold.
import { KscLong, KscParams } from "../ksc/api";
import { resolveKeyNames } from "../ksc/keys";
import * as na from "./networkAgentPolicy";
import { resetRegistry } from "./registry";
import type { NetworkAgentPolicyCheckedInputs } from "./schema.generated";
import { TestConsole, testConsole, TestContext } from "../../../test/support/inProcessConsole";

const keys = resolveKeyNames({});
const K = keys.networkAgent;
const pv = (value: unknown, locked = false): KscParams => ({
  KLPRSS_Val: value as KscParams,
  KLPRSS_Mnd: locked,
});
const checked = (news: Record<string, unknown>): NetworkAgentPolicyCheckedInputs => {
  const r = na.check({}, news);
  expect(r.failures).toEqual([]);
  return r.inputs;
};
const MILAN = { group: "Managed devices/Branch Milan", name: "Milan agents" };

describe("udpPortOf: the port in the value the console holds", () => {
  test.each<[string, unknown, number | undefined]>([
    ["the first element of the array", [15000, 15001], 15000],
    ["an array of one", [15500], 15500],
    ["a first element sent as a long", [new KscLong(15002), 15001], 15002],
    ["a plain number (a server whose setting holds one port)", 15003, 15003],
    ["an empty array: no port", [], undefined],
    ["a first element that is not a number: no port", ["15000", 15001], undefined],
    ["nothing", undefined, undefined],
  ])("%s", (_what, value, port) => {
    expect(na.udpPortOf(value as KscParams)).toBe(port);
  });
});

describe("withUdpPort: the value to write back", () => {
  test("only the first element changes; the others stay, in their places", () => {
    expect(na.withUdpPort([15000, 15001], 15500)).toEqual({ value: [15500, 15001], sharedWith: [] });
    expect(na.withUdpPort([15000, 15001, 15010, 15011], 15500).value).toEqual([15500, 15001, 15010, 15011]);
  });

  test("elements of another type are written back untouched", () => {
    const second = new KscLong(15001);
    expect(na.withUdpPort([15000, second], 15500).value).toEqual([15500, second]);
  });

  test("an empty array becomes the one port; a plain number is replaced", () => {
    expect(na.withUdpPort([], 15500)).toEqual({ value: [15500], sharedWith: [] });
    expect(na.withUdpPort(15000, 15500)).toEqual({ value: 15500, sharedWith: [] });
  });

  test("a new port equal to another element is written anyway, and named (element numbers from 1)", () => {
    expect(na.withUdpPort([15000, 15001, 15001], 15001)).toEqual({
      value: [15001, 15001, 15001],
      sharedWith: [2, 3],
    });
  });

  test("the input array is not changed", () => {
    const held = [15000, 15001];
    na.withUdpPort(held, 15500);
    expect(held).toEqual([15000, 15001]);
  });
});

describe("settingsUpdate: the variables sent, from the section as held", () => {
  const declared = {
    forceConnectionThroughDp: { value: true, locked: true },
    useUdpPort: { value: true, locked: false },
    udpPort: { value: 15500, locked: true },
  };

  test("every setting the section holds, the UDP port merged into its array", () => {
    const section = {
      [K.forceConnectionThroughDp]: pv(false),
      [K.useUdpPort]: pv(true),
      [K.udpPort]: pv([15000, 15001]),
      KLNAG_SP_OPEN_PORT_IN_WFW: pv(true),
    };
    expect(na.settingsUpdate(keys, section, declared)).toEqual({
      data: {
        [K.forceConnectionThroughDp]: pv(true, true),
        [K.useUdpPort]: pv(true, false),
        [K.udpPort]: pv([15500, 15001], true),
      },
      missing: [],
      warnings: [],
    });
  });

  test("a key the section does not hold is missing, and not sent", () => {
    const section = { [K.useUdpPort]: pv(true), [K.udpPort]: pv([15000, 15001]), KLNAG_FORCE_UA: pv(false) };
    const r = na.settingsUpdate(keys, section, declared);
    expect(r.missing).toEqual([K.forceConnectionThroughDp]);
    expect(Object.keys(r.data)).not.toContain(K.forceConnectionThroughDp);
  });

  test("a port shared with another element is a warning naming the array", () => {
    const section = {
      [K.forceConnectionThroughDp]: pv(false),
      [K.useUdpPort]: pv(true),
      [K.udpPort]: pv([15000, 15001]),
    };
    const r = na.settingsUpdate(keys, section, { ...declared, udpPort: { value: 15001, locked: false } });
    expect(r.data[K.udpPort]).toEqual(pv([15001, 15001]));
    expect(r.warnings).toEqual([
      `UDP port 15001 is also element 2 of ${K.udpPort} ([15001,15001]); pulumi-ksc changes only the first element and leaves the others as they are`,
    ]);
  });
});

describe("NetworkAgentPolicy and the array of UDP ports, against the console", () => {
  let ksc: TestConsole;
  let ctx: TestContext;
  beforeEach(() => {
    ksc = testConsole();
    ctx = ksc.context();
    resetRegistry();
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

  test("an empty section (a server that answers a section it lacks with nothing): every key is missing", () => {
    const r = na.settingsUpdate(
      keys,
      {},
      {
        forceConnectionThroughDp: { value: true, locked: true },
        useUdpPort: { value: true, locked: false },
        udpPort: { value: 15000, locked: false },
      },
    );
    expect(r).toEqual({
      data: {},
      missing: [K.forceConnectionThroughDp, K.useUdpPort, K.udpPort],
      warnings: [],
    });
  });
});
