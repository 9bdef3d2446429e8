// The Network Agent settings on the wire. The "UDP port number" is the first element of the Network Agent's array
// of UDP ports (docs/ksc-key-names.md, "The UDP port"): read the first element, write it back without losing the
// others. And a setting whose key the network section does not hold is never written (no meaningless variable),
// whatever the others hold.
import { KscLong, KscParams } from "./api";
import { resolveKeyNames } from "./keys";
import * as naSettings from "./networkAgent";

const keys = resolveKeyNames({});
const K = keys.networkAgent;
const pv = (value: unknown, locked = false): KscParams => ({
  KLPRSS_Val: value as KscParams,
  KLPRSS_Mnd: locked,
});

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
    expect(naSettings.udpPortOf(value as KscParams)).toBe(port);
  });
});

describe("withUdpPort: the value to write back", () => {
  test("only the first element changes; the others stay, in their places", () => {
    expect(naSettings.withUdpPort([15000, 15001], 15500)).toEqual({ value: [15500, 15001], sharedWith: [] });
    expect(naSettings.withUdpPort([15000, 15001, 15010, 15011], 15500).value).toEqual([
      15500, 15001, 15010, 15011,
    ]);
  });

  test("elements of another type are written back untouched", () => {
    const second = new KscLong(15001);
    expect(naSettings.withUdpPort([15000, second], 15500).value).toEqual([15500, second]);
  });

  test("an empty array becomes the one port; a plain number is replaced", () => {
    expect(naSettings.withUdpPort([], 15500)).toEqual({ value: [15500], sharedWith: [] });
    expect(naSettings.withUdpPort(15000, 15500)).toEqual({ value: 15500, sharedWith: [] });
  });

  test("a new port equal to another element is written anyway, and named (element numbers from 1)", () => {
    expect(naSettings.withUdpPort([15000, 15001, 15001], 15001)).toEqual({
      value: [15001, 15001, 15001],
      sharedWith: [2, 3],
    });
  });

  test("the input array is not changed", () => {
    const held = [15000, 15001];
    naSettings.withUdpPort(held, 15500);
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
    expect(naSettings.settingsUpdate(keys, section, declared)).toEqual({
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
    const r = naSettings.settingsUpdate(keys, section, declared);
    expect(r.missing).toEqual([K.forceConnectionThroughDp]);
    expect(Object.keys(r.data)).not.toContain(K.forceConnectionThroughDp);
  });

  test("a port shared with another element is a warning naming the array", () => {
    const section = {
      [K.forceConnectionThroughDp]: pv(false),
      [K.useUdpPort]: pv(true),
      [K.udpPort]: pv([15000, 15001]),
    };
    const r = naSettings.settingsUpdate(keys, section, {
      ...declared,
      udpPort: { value: 15001, locked: false },
    });
    expect(r.data[K.udpPort]).toEqual(pv([15001, 15001]));
    expect(r.warnings).toEqual([
      `UDP port 15001 is also element 2 of ${K.udpPort} ([15001,15001]); pulumi-ksc changes only the first element and leaves the others as they are`,
    ]);
  });
});

describe("settingsUpdate on an empty section", () => {
  test("an empty section (a server that answers a section it lacks with nothing): every key is missing", () => {
    const r = naSettings.settingsUpdate(
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
