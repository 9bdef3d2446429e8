// The push-server feature: keep-connection side effect, load balancing between push-server DPs of one group,
// GetUpdateAgentsDisplayInfoForHost, the status page, and key names from a key-names file.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunningEmulator, startEmulator } from "./index";
import { get, RawSession } from "../../test/support/raw-ksc";

type Row = Record<string, unknown>;

async function hostsOf(s: RawSession, filter: string): Promise<Row[]> {
  const f = await s.ok("HostGroup.FindHosts", {
    wstrFilter: filter,
    vecFieldsToReturn: ["KLHST_WKS_HOSTNAME", "KLHST_WKS_DN"],
    vecFieldsToOrder: [],
    pParams: {},
    lMaxLifeTime: 60,
  });
  const c = await s.ok("ChunkAccessor.GetItemsChunk", {
    strAccessor: f.strAccessor,
    nStart: 0,
    nCount: 1000,
  });
  return (c.pChunk as { KLCSP_ITERATOR_ARRAY: { value: Row }[] }).KLCSP_ITERATOR_ARRAY.map((e) => e.value);
}

const scope = (id: number): unknown => ({
  type: "params",
  value: {
    ScopeGroups: [{ type: "params", value: { ScopeId: { type: "long", value: id } } }],
    ScopeNlaNetworks: [],
  },
});

describe("two push-server DPs in one group", () => {
  let emu: RunningEmulator;
  let s: RawSession;
  let milan: number;
  let dp1: string;
  let dp2: string;
  let milanHosts: Row[];

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, tls: false });
    s = await RawSession.start(emu.url);
    milan = (await s.ok("HostGroup.GetGroupId", { nParent: 0, strName: "Branch Milan" })).PxgRetVal as number;
    const milanWs = (await s.ok("HostGroup.GetGroupId", { nParent: milan, strName: "Workstations" }))
      .PxgRetVal;
    dp1 = (await hostsOf(s, '(KLHST_WKS_DN = "milan-dp-01")'))[0].KLHST_WKS_HOSTNAME as string;
    dp2 = (await hostsOf(s, '(KLHST_WKS_DN = "milan-dp-02")'))[0].KLHST_WKS_HOSTNAME as string;
    milanHosts = await hostsOf(s, `(|(KLHST_WKS_GROUPID = ${milan})(KLHST_WKS_GROUPID = ${milanWs}))`);
    await s.ok("UaControl.SetAssignUasAutomatically", { bEnabled: false });
    for (const dp of [dp1, dp2]) {
      await s.ok("UaControl.RegisterUpdateAgent", {
        pUaInfo: { UaHostId: dp, UaScope: scope(milan), PROPOSED_UaPushServerEnabled: true },
      });
    }
  });
  afterAll(async () => {
    await emu.stop();
  });

  test("both DP hosts got the keep-connection flag", async () => {
    for (const dp of [dp1, dp2]) {
      const info = await s.ok("HostGroup.GetHostInfo", {
        strHostName: dp,
        pFields2Return: ["KLHST_WKS_KEEP_CONNECTION"],
      });
      expect(info).toEqual({ PxgRetVal: { KLHST_WKS_KEEP_CONNECTION: true } });
    }
  });

  test("every device of the group is served by exactly one of them, spread evenly", async () => {
    expect(milanHosts).toHaveLength(11);
    const servedBy = new Map<string, number>([
      [dp1, 0],
      [dp2, 0],
    ]);
    for (const h of milanHosts) {
      const r = await s.ok("UaControl.GetUpdateAgentsDisplayInfoForHost", {
        wstrHostId: h.KLHST_WKS_HOSTNAME,
      });
      const list = (r.pUaInfo as { type: string; value: Row }[]).map((e) => e.value);
      expect(list).toHaveLength(2);
      expect(list.map((e) => e.PROPOSED_UaPushServerServesHost)).toEqual([true, false]);
      expect(list.every((e) => e.PROPOSED_UaPushServerEnabled === true && e.UaIsCg === false)).toBe(true);
      const pushDp = list[0].UaHostId as string;
      servedBy.set(pushDp, (servedBy.get(pushDp) ?? 0) + 1);
    }
    const counts = [...servedBy.values()];
    expect(counts[0] + counts[1]).toBe(11);
    expect(Math.abs(counts[0] - counts[1])).toBeLessThanOrEqual(1);
    // The status page shows the same split.
    const status = (await get(emu.url, "/status.json")).json as {
      distributionPoints: { hostId: string; devicesServedByPushServer: number; devicesInScope: number }[];
    };
    for (const d of status.distributionPoints) {
      expect(d.devicesServedByPushServer).toBe(servedBy.get(d.hostId));
      expect(d.devicesInScope).toBe(11);
    }
  });

  test("a device outside every scope has no DP; turning one push server off moves all to the other", async () => {
    const rome = (await hostsOf(s, '(KLHST_WKS_DN = "rome-ws-01")'))[0].KLHST_WKS_HOSTNAME;
    expect(await s.ok("UaControl.GetUpdateAgentsDisplayInfoForHost", { wstrHostId: rome })).toEqual({
      pUaInfo: [],
    });
    const info = (await s.ok("UaControl.GetUpdateAgentInfo", { wstrUaHostId: dp2 })).pUaInfo as Row;
    await s.ok("UaControl.ModifyUpdateAgent", { pUaInfo: { ...info, PROPOSED_UaPushServerEnabled: false } });
    const status = (await get(emu.url, "/status.json")).json as {
      distributionPoints: { hostId: string; pushServer: boolean; devicesServedByPushServer: number }[];
    };
    const byId = new Map(status.distributionPoints.map((d) => [d.hostId, d]));
    expect(byId.get(dp1)).toMatchObject({ pushServer: true, devicesServedByPushServer: 11 });
    expect(byId.get(dp2)).toMatchObject({ pushServer: false, devicesServedByPushServer: 0 });
    await s.ok("UaControl.ModifyUpdateAgent", { pUaInfo: { ...info, PROPOSED_UaPushServerEnabled: true } });
  });

  test("the status page (HTML) lists groups, DPs, push servers with their load, NA policy settings and locks", async () => {
    const page = await get(emu.url, "/status");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    for (const text of [
      "Managed devices/Branch Milan/",
      "milan-dp-01",
      "milan-dp-02",
      "push server ON port 13295",
      "PROPOSED_UseDpForceConnection = false (unlocked)",
      "Kaspersky Security Center Network Agent",
    ]) {
      expect(page.text).toContain(text);
    }
    expect(page.text).toMatch(/serves [56] devices/);
  });
});

test("a key-names file renames the proposed keys everywhere (DP keys, host flag, NA section and keys)", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ksc-emu-keys-"));
  const file = path.join(dir, "keys.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      $comment: "names found on a real server",
      dp: {
        pushServerEnabled: "UaPushOn",
        pushServerPort: "UaPushPort",
        pushServerRemoteAddress: "UaPushAddr",
        port: "UaPort",
      },
      host: { keepConnection: "KLHST_KEEP_CONN" },
      networkAgent: {
        networkSection: "86",
        useUdpPort: "UseUdp",
        udpPort: "UdpPort",
        forceConnectionThroughDp: "ForceDp",
      },
    }),
  );
  const logs: string[] = [];
  const emu = await startEmulator({ port: 0, tls: false, keyNamesFile: file, log: (l) => logs.push(l) });
  try {
    expect(logs.join("\n")).toContain("dp.port"); // documented names are the client's business; reported, ignored
    const s = await RawSession.start(emu.url);
    const defaults = (await s.ok("UaControl.GetDefaultUpdateAgentRegistrationInfo")).pUaInfo as Row;
    expect(defaults).toMatchObject({
      UaPushOn: false,
      UaPushPort: { type: "long", value: 13295 },
      UaPushAddr: "",
    });
    expect(Object.keys(defaults).filter((k) => k.startsWith("PROPOSED_"))).toEqual([]);
    await s.ok("UaControl.SetAssignUasAutomatically", { bEnabled: false });
    const [dp] = await hostsOf(s, '(KLHST_WKS_DN = "hq-dp-01")');
    // The old placeholder name is now just an unknown key: round-tripped, no effect.
    await s.ok("UaControl.RegisterUpdateAgent", {
      pUaInfo: { UaHostId: dp.KLHST_WKS_HOSTNAME, UaScope: scope(0), PROPOSED_UaPushServerEnabled: true },
    });
    let host = await s.ok("HostGroup.GetHostInfo", {
      strHostName: dp.KLHST_WKS_HOSTNAME,
      pFields2Return: ["KLHST_KEEP_CONN"],
    });
    expect(host).toEqual({ PxgRetVal: { KLHST_KEEP_CONN: false } });
    const info = (await s.ok("UaControl.GetUpdateAgentInfo", { wstrUaHostId: dp.KLHST_WKS_HOSTNAME }))
      .pUaInfo as Row;
    await s.ok("UaControl.ModifyUpdateAgent", { pUaInfo: { ...info, UaPushOn: true } });
    host = await s.ok("HostGroup.GetHostInfo", {
      strHostName: dp.KLHST_WKS_HOSTNAME,
      pFields2Return: ["KLHST_KEEP_CONN"],
    });
    expect(host).toEqual({ PxgRetVal: { KLHST_KEEP_CONN: true } });
    const h = (await s.ok("Policy.GetPolicyContents", { nPolicy: 1, nRevisionId: 0, nLifeTime: 0 }))
      .PxgRetVal;
    const read = await s.ok("SsContents.Ss_Read", {
      wstrID: h,
      wstrProduct: "1103",
      wstrVersion: "1.0.0.0",
      wstrSection: "86",
    });
    expect(Object.keys(read.PxgRetVal as object)).toEqual(["UseUdp", "UdpPort", "ForceDp"]);
  } finally {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
