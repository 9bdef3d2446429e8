// The DP object: typed reads of `pUaInfo`, and with…() changes that touch only their own keys, so the whole object
// (keys this class does not know included) round-trips through ModifyUpdateAgent's read-modify-write.
import { KscLong, KscParams } from "./api";
import { DP_SETTINGS, DpObject, clashingDpPort } from "./dpObject";
import { resolveKeyNames } from "./keys";

const keys = resolveKeyNames({});
const dp = keys.dp;
const sc = keys.scope;

/** A DP object as a server returns it, with keys pulumi-ksc does not know (top level and inside the scope). */
function held(): KscParams {
  return {
    [dp.hostId]: "h-1",
    [dp.displayName]: "milan-dp-01",
    [dp.port]: new KscLong(13000),
    [dp.nonSslPort]: new KscLong(14000),
    [dp.multicastAddress]: "",
    [dp.distributeUpdates]: true,
    [dp.distributePackages]: false,
    [dp.customFolder]: "",
    [dp.isConnectionGateway]: false,
    [dp.gatewayRemoteAddress]: "",
    [dp.gatewayServerInitiatesConnection]: false,
    [dp.pushServerEnabled]: true,
    [dp.pushServerPort]: new KscLong(13295),
    [dp.pushServerRemoteAddress]: "dp.example",
    [dp.scope]: {
      [sc.groups]: [{ [sc.id]: new KscLong(20), [sc.name]: "Branch Milan" }],
      [sc.nlaNetworks]: [{ [sc.id]: new KscLong(7) }],
      ScopeUnknownFlag: true,
    },
    UaUpdFolder: "D:\\updates",
    UaSomethingNew: { nested: [1, 2] },
  };
}

describe("DpObject: typed reads", () => {
  test("push server, ports, settings, scope and names", () => {
    const o = new DpObject(keys, held());
    expect(o.hostId).toBe("h-1");
    expect(o.displayName).toBe("milan-dp-01");
    expect(o.pushServer).toEqual({ enabled: true, port: 13295, remoteAddress: "dp.example" });
    expect(o.ports).toEqual({ port: 13000, nonSslPort: 14000 });
    expect(o.setting("distributePackages")).toBe(false);
    expect(o.setting("connectionGateway")).toBe(false);
    expect(o.scope).toEqual({ groups: [{ id: 20, name: "Branch Milan" }], nlaNetworks: [{ id: 7 }] });
    expect(o.missingPushServerKeys()).toEqual([]);
  });

  test("what a server does not return reads as undefined, and the push-server keys it lacks are named", () => {
    const o = new DpObject(keys, { [dp.hostId]: "h-2" });
    expect(o.setting("port")).toBeUndefined();
    expect(o.pushServer).toEqual({ enabled: false, port: undefined, remoteAddress: "" });
    expect(o.missingPushServerKeys()).toEqual([dp.pushServerEnabled, dp.pushServerPort]);
    expect(o.scope).toEqual({ groups: [], nlaNetworks: [] });
  });

  test("each setting is written to its own key and read back from it", () => {
    const values = {
      port: 13001,
      nonSslPort: 14001,
      multicastAddress: "239.255.0.1",
      distributeUpdates: false,
      distributePackages: true,
      customFolder: "E:\\dp",
      connectionGateway: true,
      gatewayRemoteAddress: "gw.example",
      gatewayServerInitiatesConnection: false,
    };
    const o = new DpObject(keys, {}).withSettings(values, { groups: [], nlaNetworks: [] });
    for (const s of DP_SETTINGS) expect([s.name, o.setting(s.name)]).toEqual([s.name, values[s.name]]);
    // Nine settings, nine distinct keys (and the scope).
    expect(Object.keys(o.toWire()).sort()).toEqual(
      [
        dp.port,
        dp.nonSslPort,
        dp.multicastAddress,
        dp.distributeUpdates,
        dp.distributePackages,
        dp.customFolder,
        dp.isConnectionGateway,
        dp.gatewayRemoteAddress,
        dp.gatewayServerInitiatesConnection,
        dp.scope,
      ].sort(),
    );
  });
});

describe("DpObject: changes keep the rest of the object", () => {
  test("withPushServer changes only the push-server keys; the port goes as a long", () => {
    const before = held();
    const next = new DpObject(keys, before).withPushServer({ enabled: true, port: 13300, remoteAddress: "" });
    const expected = {
      ...held(),
      [dp.pushServerPort]: new KscLong(13300),
      [dp.pushServerRemoteAddress]: "",
    };
    expect(next.toWire()).toEqual(expected);
    expect(next.toWire()[dp.pushServerPort]).toBeInstanceOf(KscLong);
    // Off: only the flag changes, the settings stay for the next time.
    const off = next.withPushServer({ enabled: false }).toWire();
    expect(off).toEqual({ ...expected, [dp.pushServerEnabled]: false });
  });

  test("withSettings writes the owned settings and the whole scope, and keeps unknown keys (scope's too)", () => {
    const next = new DpObject(keys, held()).withSettings(
      {
        port: 13001,
        nonSslPort: 14001,
        multicastAddress: "239.255.0.1",
        distributeUpdates: false,
        distributePackages: true,
        customFolder: "E:\\dp",
        connectionGateway: true,
        gatewayRemoteAddress: "gw.example",
        gatewayServerInitiatesConnection: true,
      },
      { groups: [21, 22], nlaNetworks: [] },
    );
    expect(next.toWire()).toEqual({
      ...held(),
      [dp.port]: new KscLong(13001),
      [dp.nonSslPort]: new KscLong(14001),
      [dp.multicastAddress]: "239.255.0.1",
      [dp.distributeUpdates]: false,
      [dp.distributePackages]: true,
      [dp.customFolder]: "E:\\dp",
      [dp.isConnectionGateway]: true,
      [dp.gatewayRemoteAddress]: "gw.example",
      [dp.gatewayServerInitiatesConnection]: true,
      [dp.scope]: {
        [sc.groups]: [{ [sc.id]: new KscLong(21) }, { [sc.id]: new KscLong(22) }],
        [sc.nlaNetworks]: [],
        ScopeUnknownFlag: true,
      },
    });
  });

  test("a change returns a copy: neither the original object nor what it was made from changes", () => {
    const info = held();
    const original = new DpObject(keys, info);
    original.withHostId("h-9").withPushServer({ enabled: false });
    const wire = original.toWire();
    (wire[dp.scope] as KscParams)[sc.groups] = [];
    expect(info).toEqual(held());
    expect(original.toWire()).toEqual(held());
    expect(original.withHostId("h-9").hostId).toBe("h-9");
  });
});

describe("clashingDpPort: the one port rule between a DP and its push server", () => {
  test.each<[number, "port" | "nonSslPort" | undefined]>([
    [13000, "port"],
    [14000, "nonSslPort"],
    [13295, undefined],
  ])("push port %d", (push, which) => {
    expect(clashingDpPort({ port: 13000, nonSslPort: 14000 }, push)).toBe(which);
  });

  test("an unknown DP port clashes with nothing", () => {
    expect(clashingDpPort({}, 13000)).toBeUndefined();
  });
});
