// The end-to-end call sequence of docs/ksc-open-api.md#the-whole-sequence, in raw HTTP, asserting the exact
// JSON shapes.
import { RunningEmulator, startEmulator } from "./index";
import { kscBasic, post, pxgError, RawSession } from "../../test/support/raw-ksc";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, tls: false });
});
afterAll(async () => {
  await emu.stop();
});

test("the whole sequence: resolve a host, register a push-server DP, modify, set the NA policy, unregister, end the session", async () => {
  // 1. StartSession with KSCBasic and an empty X-KSC-VServer.
  const start = await post(
    emu.url,
    "/api/v1.0/Session.StartSession",
    {},
    {
      headers: { Authorization: kscBasic("admin", "KscEmulator-Pa55"), "X-KSC-VServer": "" },
    },
  );
  expect(start.status).toBe(200);
  expect(Object.keys(start.json as object)).toEqual(["PxgRetVal"]);
  const sid = (start.json as { PxgRetVal: string }).PxgRetVal;
  expect(sid).toMatch(/^[A-Za-z0-9+/=]{16,}$/);
  const s = await RawSession.start(emu.url); // a second session for the rest (same server, same rules)

  // 2. Resolve the host by display name.
  const find = await s.ok("HostGroup.FindHosts", {
    wstrFilter: '(KLHST_WKS_DN = "milan-dp-01")',
    vecFieldsToReturn: ["KLHST_WKS_HOSTNAME", "KLHST_WKS_DN", "KLHST_WKS_GROUPID"],
    vecFieldsToOrder: [],
    pParams: {},
    lMaxLifeTime: 60,
  });
  expect(Object.keys(find)).toEqual(["strAccessor", "PxgRetVal"]);
  expect(find.PxgRetVal).toBe(1);
  const accessor = find.strAccessor as string;
  const chunk = await s.ok("ChunkAccessor.GetItemsChunk", { strAccessor: accessor, nStart: 0, nCount: 100 });
  expect(chunk).toEqual({
    pChunk: {
      KLCSP_ITERATOR_ARRAY: [
        {
          type: "params",
          value: {
            KLHST_WKS_HOSTNAME: expect.any(String),
            KLHST_WKS_DN: "milan-dp-01",
            KLHST_WKS_GROUPID: expect.any(Number),
          },
        },
      ],
    },
    PxgRetVal: 1,
  });
  const host = (chunk.pChunk as { KLCSP_ITERATOR_ARRAY: { value: Record<string, unknown> }[] })
    .KLCSP_ITERATOR_ARRAY[0].value;
  const hostId = host.KLHST_WKS_HOSTNAME as string;
  const hostGroupId = host.KLHST_WKS_GROUPID as number;
  expect(hostId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(await s.ok("ChunkAccessor.Release", { strAccessor: accessor })).toEqual({});

  // 3. Group id of "Managed devices", then of "Branch Milan".
  const root = await s.ok("HostGroup.GroupIdGroups", {});
  expect(root).toEqual({ PxgRetVal: expect.any(Number) });
  const milan = await s.ok("HostGroup.GetGroupId", { nParent: root.PxgRetVal, strName: "Branch Milan" });
  expect(milan.PxgRetVal).toBe(hostGroupId);
  const gid = milan.PxgRetVal as number;

  // 4. DP exists? Not yet.
  expect(await s.ok("UaControl.GetUpdateAgentsList", {})).toEqual({ pUasArr: [] });

  // 5. Automatic assignment is on out of the box; turn it off.
  expect(await s.ok("UaControl.GetAssignUasAutomatically", {})).toEqual({ PxgRetVal: true });
  expect(await s.ok("UaControl.SetAssignUasAutomatically", { bEnabled: false })).toEqual({});
  expect(await s.ok("UaControl.GetAssignUasAutomatically", {})).toEqual({ PxgRetVal: false });

  // 6. Defaults → set host, scope (ScopeId as long) and the proposed push keys → register.
  const defaults = await s.ok("UaControl.GetDefaultUpdateAgentRegistrationInfo", {});
  expect(Object.keys(defaults)).toEqual(["pUaInfo"]);
  const pUaInfo = defaults.pUaInfo as Record<string, unknown>;
  expect(pUaInfo.PROPOSED_UaPushServerEnabled).toBe(false);
  expect(pUaInfo.PROPOSED_UaPushServerPort).toEqual({ type: "long", value: 13295 });
  expect(pUaInfo.PROPOSED_UaPushServerRemoteAddress).toBe("");
  expect(pUaInfo.UaPort).toEqual({ type: "long", value: 13000 });
  const scope = {
    type: "params",
    value: {
      ScopeGroups: [{ type: "params", value: { ScopeId: { type: "long", value: gid } } }],
      ScopeNlaNetworks: [],
    },
  };
  const register = {
    pUaInfo: {
      ...pUaInfo,
      UaHostId: hostId,
      UaScope: scope,
      PROPOSED_UaPushServerEnabled: true,
      PROPOSED_UaPushServerPort: { type: "long", value: 13295 },
      CustomUnknownKey: { type: "long", value: 7 }, // unknown keys round-trip
    },
  };
  expect(await s.ok("UaControl.RegisterUpdateAgent", register)).toEqual({});
  expect(await s.ok("UaControl.GetUpdateAgentsList", {})).toEqual({
    pUasArr: [
      { type: "params", value: { UaHostId: hostId, UaHostDisplayName: "milan-dp-01", UaIsCg: false } },
    ],
  });

  // 7. Read: the scope example of docs/ksc-open-api.md#typed-values round-trips with ScopeId as a long,
  // ScopeName filled on read.
  const info = (await s.ok("UaControl.GetUpdateAgentInfo", { wstrUaHostId: hostId })).pUaInfo as Record<
    string,
    unknown
  >;
  expect(info.UaScope).toEqual({
    type: "params",
    value: {
      ScopeGroups: [
        { type: "params", value: { ScopeId: { type: "long", value: gid }, ScopeName: "Branch Milan" } },
      ],
      ScopeNlaNetworks: [],
      ScopeBcDomains: [],
    },
  });
  expect(info.UaHostId).toBe(hostId);
  expect(info.UaHostDisplayName).toBe("milan-dp-01");
  expect(info.PROPOSED_UaPushServerEnabled).toBe(true);
  expect(info.PROPOSED_UaPushServerPort).toEqual({ type: "long", value: 13295 });
  expect(info.CustomUnknownKey).toEqual({ type: "long", value: 7 });
  // Turning the push server on turned on the host's keep-connection flag.
  const hostInfo = await s.ok("HostGroup.GetHostInfo", {
    strHostName: hostId,
    pFields2Return: ["KLHST_WKS_DN", "KLHST_WKS_KEEP_CONNECTION"],
  });
  expect(hostInfo).toEqual({ PxgRetVal: { KLHST_WKS_DN: "milan-dp-01", KLHST_WKS_KEEP_CONNECTION: true } });

  // Overlay and modify with the full object: new port and a second scope group.
  const ho = (await s.ok("HostGroup.GetGroupId", { nParent: root.PxgRetVal, strName: "Head Office" }))
    .PxgRetVal as number;
  const modified = {
    ...info,
    PROPOSED_UaPushServerPort: { type: "long", value: 13300 },
    UaScope: {
      type: "params",
      value: {
        ScopeGroups: [
          { type: "params", value: { ScopeId: { type: "long", value: gid } } },
          { type: "params", value: { ScopeId: { type: "long", value: ho } } },
        ],
        ScopeNlaNetworks: [],
      },
    },
  };
  expect(await s.ok("UaControl.ModifyUpdateAgent", { pUaInfo: modified })).toEqual({});
  const after = (await s.ok("UaControl.GetUpdateAgentInfo", { wstrUaHostId: hostId })).pUaInfo as Record<
    string,
    unknown
  >;
  expect(after.PROPOSED_UaPushServerPort).toEqual({ type: "long", value: 13300 });
  expect((after.UaScope as { value: { ScopeGroups: unknown[] } }).value.ScopeGroups).toEqual([
    { type: "params", value: { ScopeId: { type: "long", value: gid }, ScopeName: "Branch Milan" } },
    { type: "params", value: { ScopeId: { type: "long", value: ho }, ScopeName: "Head Office" } },
  ]);
  expect(after.CustomUnknownKey).toEqual({ type: "long", value: 7 });

  // 9. NA policy of the Milan group: none of its own, so add one (the root's is inherited).
  const policies = await s.ok("Policy.GetPoliciesForGroup", { nGroupId: gid });
  const list = policies.PxgRetVal as { type: string; value: Record<string, unknown> }[];
  expect(list.every((p) => p.type === "params")).toBe(true);
  expect(list.filter((p) => p.value.KLPOL_PRODUCT === "1103" && p.value.KLPOL_INHERITED === false)).toEqual(
    [],
  );
  expect(list.some((p) => p.value.KLPOL_PRODUCT === "1103" && p.value.KLPOL_INHERITED === true)).toBe(true);
  const added = await s.ok("Policy.AddPolicy", {
    pPolicyData: {
      KLPOL_DN: "Network Agent — Milan",
      KLPOL_PRODUCT: "1103",
      KLPOL_VERSION: "1.0.0.0",
      KLPOL_GROUP_ID: gid,
      KLPOL_ACTIVE: true,
    },
  });
  expect(added).toEqual({ PxgRetVal: expect.any(Number) });
  const policyId = added.PxgRetVal as number;
  const data = await s.ok("Policy.GetPolicyData", { nPolicy: policyId });
  expect(data.PxgRetVal).toMatchObject({
    KLPOL_ID: policyId,
    KLPOL_DN: "Network Agent — Milan",
    KLPOL_PRODUCT: "1103",
    KLPOL_VERSION: "1.0.0.0",
    KLPOL_GROUP_ID: gid,
    KLPOL_ACTIVE: true,
    KLPOL_CREATED: { type: "datetime", value: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) },
  });

  // 10. Open its settings, replace the network section values with locks, apply, release.
  const contents = await s.ok("Policy.GetPolicyContents", {
    nPolicy: policyId,
    nRevisionId: 0,
    nLifeTime: 0,
  });
  expect(contents).toEqual({ PxgRetVal: expect.any(String) });
  const ssid = contents.PxgRetVal as string;
  expect(
    await s.ok("SsContents.SS_GetNames", { wstrID: ssid, wstrProduct: "1103", wstrVersion: "1.0.0.0" }),
  ).toEqual({
    PxgRetVal: expect.arrayContaining(["86", "KLNAG_SVCPRT"]),
  });
  const where = {
    wstrID: ssid,
    wstrProduct: "1103",
    wstrVersion: "1.0.0.0",
    wstrSection: "86",
  };
  expect(
    await s.ok("SsContents.Ss_Replace", {
      ...where,
      pNewData: {
        PROPOSED_UseDpForceConnection: { type: "params", value: { KLPRSS_Val: true, KLPRSS_Mnd: true } },
        OpenUdpPort: { type: "params", value: { KLPRSS_Val: false, KLPRSS_Mnd: false } },
      },
    }),
  ).toEqual({});
  expect(await s.ok("SsContents.Ss_Apply", { wstrID: ssid })).toEqual({});
  expect(await s.ok("SsContents.Ss_Release", { wstrID: ssid })).toEqual({});
  // Read back through a new handle.
  const h2 = (await s.ok("Policy.GetPolicyContents", { nPolicy: policyId, nRevisionId: 0, nLifeTime: 0 }))
    .PxgRetVal;
  expect(await s.ok("SsContents.Ss_Read", { ...where, wstrID: h2 })).toEqual({
    PxgRetVal: {
      OpenUdpPort: { type: "params", value: { KLPRSS_Val: false, KLPRSS_Mnd: false } },
      Nagentports: { type: "params", value: { KLPRSS_Val: [15000, 15001], KLPRSS_Mnd: false } },
      PROPOSED_UseDpForceConnection: { type: "params", value: { KLPRSS_Val: true, KLPRSS_Mnd: true } },
    },
  });
  await s.ok("SsContents.Ss_Release", { wstrID: h2 });

  // 8. Delete the DP.
  expect(await s.ok("UaControl.UnregisterUpdateAgent", { wstrUaHostId: hostId })).toEqual({});
  expect(await s.ok("UaControl.GetUpdateAgentsList", {})).toEqual({ pUasArr: [] });
  expect(pxgError(await s.call("UaControl.GetUpdateAgentInfo", { wstrUaHostId: hostId }))).toMatchObject({
    module: "KLSTD",
    code: 1186,
  });

  // 11. EndSession; the session id then gives 403.
  expect(await s.ok("Session.EndSession", {})).toEqual({});
  expect((await s.call("Session.Ping", {})).status).toBe(403);
  // The first session is unaffected.
  const ping = await post(emu.url, "/api/v1.0/Session.Ping", {}, { headers: { "X-KSC-Session": sid } });
  expect(ping.status).toBe(200);
  expect(ping.json).toEqual({});
});

test("counters count calls per method and sessions opened", async () => {
  await post(emu.url, "/control/reset-counters", {});
  const s = await RawSession.start(emu.url);
  await s.ok("HostGroup.GroupIdGroups");
  await s.ok("HostGroup.GroupIdGroups");
  await s.call("Nope.Nothing");
  const c = emu.counters();
  expect(c.sessionsOpened).toBe(1);
  expect(c.calls).toEqual({ "Session.StartSession": 1, "HostGroup.GroupIdGroups": 2, "Nope.Nothing": 1 });
});
