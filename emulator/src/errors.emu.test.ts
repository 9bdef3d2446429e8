// Every error path answers with a PxgError (docs/ksc-open-api.md#errors, #error-codes), never a crash or a
// hang, and changes nothing.
import { RunningEmulator, startEmulator } from "./index";
import { ManualClock } from "../../test/support/clock";
import { post, pxgError, RawReply, RawSession } from "../../test/support/raw-ksc";

let emu: RunningEmulator;
/** The emulator's clock: lifetimes run out when the test moves it, never by waiting. */
const clock = new ManualClock();
let s: RawSession;
let root: number;
let milan: number;
let milanDp: string;
let milanDp2: string;

async function hostId(s: RawSession, name: string): Promise<string> {
  const f = await s.ok("HostGroup.FindHosts", {
    wstrFilter: `(KLHST_WKS_DN = "${name}")`,
    vecFieldsToReturn: ["KLHST_WKS_HOSTNAME"],
    vecFieldsToOrder: [],
    pParams: {},
    lMaxLifeTime: 60,
  });
  const c = await s.ok("ChunkAccessor.GetItemsChunk", { strAccessor: f.strAccessor, nStart: 0, nCount: 10 });
  await s.ok("ChunkAccessor.Release", { strAccessor: f.strAccessor });
  return (c.pChunk as { KLCSP_ITERATOR_ARRAY: { value: { KLHST_WKS_HOSTNAME: string } }[] })
    .KLCSP_ITERATOR_ARRAY[0].value.KLHST_WKS_HOSTNAME;
}

const scopeOf = (...ids: number[]): unknown => ({
  type: "params",
  value: {
    ScopeGroups: ids.map((id) => ({ type: "params", value: { ScopeId: { type: "long", value: id } } })),
  },
});

function expectError(r: RawReply, module: string, code: number): void {
  expect(r.status).toBe(200);
  expect(pxgError(r)).toMatchObject({ module, code });
  // The documented error object shape (docs/ksc-open-api.md#errors).
  const e = (r.json as { PxgError: Record<string, unknown> }).PxgError;
  expect(Object.keys(e).sort()).toEqual(["code", "file", "line", "locdata", "message", "module", "subcode"]);
  expect(typeof e.message).toBe("string");
  expect(e.subcode).toBe(0);
}

/** Snapshot of everything a failed call must not change. */
async function snapshot(): Promise<unknown> {
  const dps = await s.ok("UaControl.GetUpdateAgentsList");
  const infos = [];
  for (const d of dps.pUasArr as { value: { UaHostId: string } }[]) {
    infos.push(await s.ok("UaControl.GetUpdateAgentInfo", { wstrUaHostId: d.value.UaHostId }));
  }
  const policies = await s.ok("Policy.GetPoliciesForGroup", { nGroupId: milan });
  const groups = await s.ok("HostGroup.GetSubgroups", { nGroupId: root, nDepth: 0 });
  return { dps, infos, policies, groups };
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, tls: false, now: clock.now });
  s = await RawSession.start(emu.url);
  root = (await s.ok("HostGroup.GroupIdGroups")).PxgRetVal as number;
  milan = (await s.ok("HostGroup.GetGroupId", { nParent: root, strName: "Branch Milan" }))
    .PxgRetVal as number;
  milanDp = await hostId(s, "milan-dp-01");
  milanDp2 = await hostId(s, "milan-dp-02");
  await s.ok("UaControl.SetAssignUasAutomatically", { bEnabled: false });
  await s.ok("UaControl.RegisterUpdateAgent", { pUaInfo: { UaHostId: milanDp, UaScope: scopeOf(milan) } });
});
afterAll(async () => {
  await emu.stop();
});

describe("protocol errors", () => {
  test("unknown method → KLCONN 1194; unknown class too; the instance prefix is accepted", async () => {
    expectError(await s.call("UaControl.NoSuchMethod"), "KLCONN", 1194);
    expectError(await s.call("NoSuchClass.Method"), "KLCONN", 1194);
    expectError(await s.call("uacontrol.GetUpdateAgentsList"), "KLCONN", 1194); // case-sensitive
    expect((await s.ok("SomeInstance.UaControl.GetUpdateAgentsList")).pUasArr).toHaveLength(1);
  });

  test("malformed JSON and non-object bodies → KLSTD 1192", async () => {
    expectError(await s.call("HostGroup.GroupIdGroups", "{not json"), "KLSTD", 1192);
    expectError(await s.call("HostGroup.GroupIdGroups", "[1,2]"), "KLSTD", 1192);
    expectError(await s.call("HostGroup.GroupIdGroups", "42"), "KLSTD", 1192);
    // An empty body is the same as {}.
    expect(await s.ok("HostGroup.GroupIdGroups", "")).toEqual({ PxgRetVal: root });
  });

  test("a Content-Type other than application/json → KLSTD 1192", async () => {
    const r = await post(emu.url, "/api/v1.0/HostGroup.GroupIdGroups", "{}", {
      headers: { "X-KSC-Session": s.id, "Content-Type": "text/plain" },
    });
    expectError(r, "KLSTD", 1192);
  });

  test("GET on the API → 405", async () => {
    const r = await fetch(`${emu.url}/api/v1.0/HostGroup.GroupIdGroups`, {
      headers: { "X-KSC-Session": s.id },
    });
    expect(r.status).toBe(405);
  });

  test("wrong parameter types → KLSTD 1192; missing parameters → invalid argument", async () => {
    expectError(
      await s.call("HostGroup.GetGroupId", { nParent: String(root), strName: "Branch Milan" }),
      "KLSTD",
      1192,
    );
    expectError(await s.call("HostGroup.GetGroupId", { nParent: root, strName: 5 }), "KLSTD", 1192);
    expectError(await s.call("HostGroup.GetGroupId", { nParent: 2 ** 31, strName: "x" }), "KLSTD", 1192);
    expectError(await s.call("UaControl.SetAssignUasAutomatically", { bEnabled: "false" }), "KLSTD", 1192);
    expectError(await s.call("UaControl.RegisterUpdateAgent", { pUaInfo: [] }), "KLSTD", 1192);
    expectError(await s.call("HostGroup.GetGroupId", { nParent: root }), "KLSTD", 1189);
    expectError(await s.call("UaControl.GetUpdateAgentInfo", {}), "KLSTD", 1189);
  });

  test("typed values inside params: nulls, unwrapped nested params, plain numbers beyond int, unknown types", async () => {
    const base = { UaHostId: milanDp2, UaScope: scopeOf(milan) };
    await s.ok("UaControl.SetAssignUasAutomatically", { bEnabled: false });
    const before = await snapshot();
    for (const bad of [
      { ...base, UaPort: null },
      { ...base, UaScope: { ScopeGroups: [] } }, // nested params must be wrapped
      { ...base, Extra: 3_000_000_000 }, // a plain number inside params is a 32-bit int
      { ...base, Extra: 1.5 },
      { ...base, Extra: { type: "quaternion", value: 1 } },
      { ...base, Extra: { type: "long", value: "12" } },
      { ...base, Extra: { type: "datetime", value: "yesterday" } },
      { ...base, Extra: { type: "binary", value: "***" } },
    ]) {
      expectError(await s.call("UaControl.RegisterUpdateAgent", { pUaInfo: bad }), "KLSTD", 1192);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("UaControl rules", () => {
  test("register: UaHostId and UaScope are mandatory; the host must exist", async () => {
    const before = await snapshot();
    expectError(
      await s.call("UaControl.RegisterUpdateAgent", { pUaInfo: { UaScope: scopeOf(milan) } }),
      "KLSTD",
      1189,
    );
    expectError(
      await s.call("UaControl.RegisterUpdateAgent", { pUaInfo: { UaHostId: milanDp2 } }),
      "KLSTD",
      1189,
    );
    expectError(
      await s.call("UaControl.RegisterUpdateAgent", {
        pUaInfo: { UaHostId: "no-such-host", UaScope: scopeOf(milan) },
      }),
      "KLSTD",
      1186,
    );
    expectError(
      await s.call("UaControl.RegisterUpdateAgent", { pUaInfo: { UaHostId: 42, UaScope: scopeOf(milan) } }),
      "KLSTD",
      1192,
    );
    expect(await snapshot()).toEqual(before);
  });

  test("register on a host that already is a DP → KLSTD 1193, nothing changes", async () => {
    const before = await snapshot();
    const r = await s.call("UaControl.RegisterUpdateAgent", {
      pUaInfo: { UaHostId: milanDp, UaScope: scopeOf(root), UaPort: { type: "long", value: 1 } },
    });
    expectError(r, "KLSTD", 1193);
    expect(pxgError(r)?.message).toContain("already is a distribution point");
    expect(await snapshot()).toEqual(before);
  });

  test("manual registration needs automatic assignment off", async () => {
    await s.ok("UaControl.SetAssignUasAutomatically", { bEnabled: true });
    const before = await snapshot();
    const r = await s.call("UaControl.RegisterUpdateAgent", {
      pUaInfo: { UaHostId: milanDp2, UaScope: scopeOf(milan) },
    });
    expectError(r, "KLSTD", 1193);
    expect(pxgError(r)?.message).toContain("automatic");
    expect(await snapshot()).toEqual(before);
    await s.ok("UaControl.SetAssignUasAutomatically", { bEnabled: false });
  });

  test("scope ids: must be a long of an existing group", async () => {
    const before = await snapshot();
    const intScope = {
      type: "params",
      value: { ScopeGroups: [{ type: "params", value: { ScopeId: milan } }] },
    };
    const r1 = await s.call("UaControl.RegisterUpdateAgent", {
      pUaInfo: { UaHostId: milanDp2, UaScope: intScope },
    });
    expectError(r1, "KLSTD", 1192);
    expect(pxgError(r1)?.message).toContain("ScopeId: expected long, got int");
    expectError(
      await s.call("UaControl.RegisterUpdateAgent", {
        pUaInfo: { UaHostId: milanDp2, UaScope: scopeOf(milan, 999) },
      }),
      "KLSTD",
      1186,
    );
    expectError(
      await s.call("UaControl.ModifyUpdateAgent", { pUaInfo: { UaHostId: milanDp, UaScope: scopeOf(999) } }),
      "KLSTD",
      1186,
    );
    const noId = { type: "params", value: { ScopeGroups: [{ type: "params", value: {} }] } };
    expectError(
      await s.call("UaControl.RegisterUpdateAgent", { pUaInfo: { UaHostId: milanDp2, UaScope: noId } }),
      "KLSTD",
      1189,
    );
    expect(await snapshot()).toEqual(before);
  });

  test("known keys are type-checked; ports must be 1..65535; addresses have a length limit", async () => {
    const before = await snapshot();
    for (const [key, value, code] of [
      ["UaPort", 13000, 1192], // long expected, int given
      ["PROPOSED_UaPushServerPort", 13295, 1192],
      ["PROPOSED_UaPushServerEnabled", "yes", 1192],
      ["PROPOSED_UaPushServerPort", { type: "long", value: 70000 }, 1189],
      ["PROPOSED_UaPushServerRemoteAddress", "x".repeat(256), 1189],
      ["UaIsCg", 1, 1192],
    ] as const) {
      const r = await s.call("UaControl.ModifyUpdateAgent", {
        pUaInfo: { UaHostId: milanDp, UaScope: scopeOf(milan), [key]: value },
      });
      expect({ key, error: pxgError(r)?.code }).toEqual({ key, error: code });
    }
    expect(await snapshot()).toEqual(before);
  });

  test("modify, unregister and read on a host that is not a DP → KLSTD 1186", async () => {
    expectError(
      await s.call("UaControl.ModifyUpdateAgent", {
        pUaInfo: { UaHostId: milanDp2, UaScope: scopeOf(milan) },
      }),
      "KLSTD",
      1186,
    );
    expectError(await s.call("UaControl.UnregisterUpdateAgent", { wstrUaHostId: milanDp2 }), "KLSTD", 1186);
    expectError(await s.call("UaControl.GetUpdateAgentInfo", { wstrUaHostId: milanDp2 }), "KLSTD", 1186);
    expectError(
      await s.call("UaControl.GetUpdateAgentsDisplayInfoForHost", { wstrHostId: "nope" }),
      "KLSTD",
      1186,
    );
  });

  test("modify replaces the scope wholesale: omitting UaScope leaves it empty", async () => {
    await s.ok("UaControl.ModifyUpdateAgent", { pUaInfo: { UaHostId: milanDp } });
    const info = (await s.ok("UaControl.GetUpdateAgentInfo", { wstrUaHostId: milanDp })).pUaInfo as Record<
      string,
      unknown
    >;
    expect(info.UaScope).toEqual({
      type: "params",
      value: { ScopeGroups: [], ScopeNlaNetworks: [], ScopeBcDomains: [] },
    });
    await s.ok("UaControl.ModifyUpdateAgent", { pUaInfo: { UaHostId: milanDp, UaScope: scopeOf(milan) } });
  });
});

describe("HostGroup and ChunkAccessor errors", () => {
  test("unknown group / host → 1186; bad filters → 1192; lifetime over 7200 s → invalid argument", async () => {
    expectError(await s.call("HostGroup.GetGroupId", { nParent: root, strName: "Atlantis" }), "KLSTD", 1186);
    expectError(await s.call("HostGroup.GetSubgroups", { nGroupId: 999, nDepth: 1 }), "KLSTD", 1186);
    expectError(
      await s.call("HostGroup.GetHostInfo", { strHostName: "nope", pFields2Return: [] }),
      "KLSTD",
      1186,
    );
    const find = { vecFieldsToReturn: ["KLHST_WKS_DN"], vecFieldsToOrder: [], pParams: {}, lMaxLifeTime: 60 };
    expectError(
      await s.call("HostGroup.FindHosts", { ...find, wstrFilter: '(KLHST_WKS_DN = "x"' }),
      "KLSTD",
      1192,
    );
    expectError(await s.call("HostGroup.FindHosts", { ...find, wstrFilter: '(NOPE = "x")' }), "KLSTD", 1192);
    expectError(
      await s.call("HostGroup.FindHosts", { ...find, wstrFilter: "", lMaxLifeTime: 7201 }),
      "KLSTD",
      1189,
    );
    expectError(
      await s.call("HostGroup.FindHosts", { ...find, wstrFilter: "", vecFieldsToReturn: [1] }),
      "KLSTD",
      1192,
    );
  });

  test("AddGroup: mandatory fields, unknown parent, duplicate name, name too long", async () => {
    const before = await snapshot();
    expectError(await s.call("HostGroup.AddGroup", { pInfo: { parentId: root } }), "KLSTD", 1189);
    expectError(await s.call("HostGroup.AddGroup", { pInfo: { name: "x" } }), "KLSTD", 1189);
    expectError(await s.call("HostGroup.AddGroup", { pInfo: { name: "x", parentId: 999 } }), "KLSTD", 1186);
    expectError(
      await s.call("HostGroup.AddGroup", { pInfo: { name: "Branch Milan", parentId: root } }),
      "KLSTD",
      1193,
    );
    expectError(
      await s.call("HostGroup.AddGroup", { pInfo: { name: "x".repeat(256), parentId: root } }),
      "KLSTD",
      1189,
    );
    expectError(
      await s.call("HostGroup.AddGroup", { pInfo: { name: "x", parentId: { type: "long", value: root } } }),
      "KLSTD",
      1192,
    );
    expect(await snapshot()).toEqual(before);
  });

  test("accessors: 1186 after Release and after their lifetime", async () => {
    const f = await s.ok("HostGroup.FindGroups", {
      wstrFilter: "",
      vecFieldsToReturn: ["id", "name"],
      vecFieldsToOrder: [],
      pParams: {},
      lMaxLifeTime: 1,
    });
    const acc = f.strAccessor as string;
    expect((await s.ok("ChunkAccessor.GetItemsCount", { strAccessor: acc })).PxgRetVal).toBe(f.PxgRetVal);
    // A use keeps it: 1 s after the last use it is still there, and that use starts the second again.
    clock.advance(1000);
    expect((await s.ok("ChunkAccessor.GetItemsCount", { strAccessor: acc })).PxgRetVal).toBe(f.PxgRetVal);
    clock.advance(1001);
    expectError(await s.call("ChunkAccessor.GetItemsCount", { strAccessor: acc }), "KLSTD", 1186);
    const g = await s.ok("HostGroup.FindGroups", {
      wstrFilter: "",
      vecFieldsToReturn: ["id"],
      vecFieldsToOrder: [],
      pParams: {},
      lMaxLifeTime: 60,
    });
    await s.ok("ChunkAccessor.Release", { strAccessor: g.strAccessor });
    expectError(
      await s.call("ChunkAccessor.GetItemsChunk", { strAccessor: g.strAccessor, nStart: 0, nCount: 1 }),
      "KLSTD",
      1186,
    );
    expectError(await s.call("ChunkAccessor.Release", { strAccessor: g.strAccessor }), "KLSTD", 1186);
  });
});

describe("Policy and SsContents errors", () => {
  const na = { KLPOL_DN: "NA", KLPOL_PRODUCT: "1103", KLPOL_VERSION: "1.0.0.0" };

  test("AddPolicy: every KLPOL_* mandatory field, types, limits, group", async () => {
    const before = await snapshot();
    for (const missing of ["KLPOL_DN", "KLPOL_PRODUCT", "KLPOL_VERSION", "KLPOL_GROUP_ID"]) {
      const data: Record<string, unknown> = { ...na, KLPOL_GROUP_ID: milan };
      delete data[missing];
      const r = await s.call("Policy.AddPolicy", { pPolicyData: data });
      expectError(r, "KLSTD", 1189);
      expect(pxgError(r)?.message).toContain(missing);
    }
    expectError(
      await s.call("Policy.AddPolicy", { pPolicyData: { ...na, KLPOL_GROUP_ID: 999 } }),
      "KLSTD",
      1186,
    );
    expectError(
      await s.call("Policy.AddPolicy", { pPolicyData: { ...na, KLPOL_GROUP_ID: String(milan) } }),
      "KLSTD",
      1192,
    );
    expectError(
      await s.call("Policy.AddPolicy", { pPolicyData: { ...na, KLPOL_GROUP_ID: milan, KLPOL_ACTIVE: 1 } }),
      "KLSTD",
      1192,
    );
    expectError(
      await s.call("Policy.AddPolicy", {
        pPolicyData: { ...na, KLPOL_PRODUCT: "p".repeat(32), KLPOL_GROUP_ID: milan },
      }),
      "KLSTD",
      1189,
    );
    expectError(
      await s.call("Policy.AddPolicy", {
        pPolicyData: { ...na, KLPOL_VERSION: "1.0/0", KLPOL_GROUP_ID: milan },
      }),
      "KLSTD",
      1189,
    );
    expectError(
      await s.call("Policy.AddPolicy", { pPolicyData: { ...na, KLPOL_DN: "", KLPOL_GROUP_ID: milan } }),
      "KLSTD",
      1189,
    );
    expect(await snapshot()).toEqual(before);
  });

  test("missing policies → 1186; read-only attributes cannot change", async () => {
    expectError(await s.call("Policy.GetPolicyData", { nPolicy: 999 }), "KLSTD", 1186);
    expectError(await s.call("Policy.DeletePolicy", { nPolicy: 999 }), "KLSTD", 1186);
    expectError(await s.call("Policy.UpdatePolicyData", { nPolicy: 999, pPolicyData: {} }), "KLSTD", 1186);
    expectError(
      await s.call("Policy.GetPolicyContents", { nPolicy: 999, nRevisionId: 0, nLifeTime: 0 }),
      "KLSTD",
      1186,
    );
    expectError(await s.call("Policy.GetPoliciesForGroup", { nGroupId: 999 }), "KLSTD", 1186);
    expectError(
      await s.call("Policy.UpdatePolicyData", { nPolicy: 1, pPolicyData: { KLPOL_GROUP_ID: milan } }),
      "KLSTD",
      1189,
    );
    expectError(
      await s.call("Policy.UpdatePolicyData", { nPolicy: 1, pPolicyData: { KLPOL_DN: 3 } }),
      "KLSTD",
      1192,
    );
    // The same value for a read-only attribute is fine (clients send the object back).
    await s.ok("Policy.UpdatePolicyData", {
      nPolicy: 1,
      pPolicyData: { KLPOL_GROUP_ID: root, KLPOL_PRODUCT: "1103" },
    });
  });

  test("settings storage: rule violations, names over the limits, bad policy format, unknown handles", async () => {
    const id = (await s.ok("Policy.GetPolicyContents", { nPolicy: 1, nRevisionId: 0, nLifeTime: 0 }))
      .PxgRetVal as string;
    const w = {
      wstrID: id,
      wstrProduct: "1103",
      wstrVersion: "1.0.0.0",
      wstrSection: "86",
    };
    const val = (v: unknown, locked: unknown = false): unknown => ({
      type: "params",
      value: { KLPRSS_Val: v, KLPRSS_Mnd: locked },
    });
    // Ss_Update of a missing variable / section, Ss_Add of an existing one
    expectError(
      await s.call("SsContents.Ss_Update", { ...w, pNewData: { NoSuchVar: val(1) } }),
      "KLPRSS",
      1125,
    );
    expectError(
      await s.call("SsContents.Ss_Update", { ...w, wstrSection: "NOPE", pNewData: { A: val(1) } }),
      "KLPRSS",
      1125,
    );
    expectError(
      await s.call("SsContents.Ss_Add", { ...w, pNewData: { OpenUdpPort: val(true) } }),
      "KLSTD",
      1193,
    );
    expectError(await s.call("SsContents.Ss_Read", { ...w, wstrSection: "NOPE" }), "KLPRSS", 1125);
    expectError(await s.call("SsContents.Ss_DeleteSection", { ...w, wstrSection: "NOPE" }), "KLPRSS", 1125);
    // names: ≤ 31 characters, none of / \ : * ? " < >
    expectError(
      await s.call("SsContents.Ss_Replace", { ...w, wstrSection: "S".repeat(32), pNewData: {} }),
      "KLSTD",
      1189,
    );
    for (const ch of ["/", "\\", ":", "*", "?", '"', "<", ">"]) {
      expectError(
        await s.call("SsContents.Ss_Replace", { ...w, wstrSection: `A${ch}B`, pNewData: {} }),
        "KLSTD",
        1189,
      );
    }
    // the NA network keys: policy format and value types (the UDP ports are an array of int)
    expectError(
      await s.call("SsContents.Ss_Replace", { ...w, pNewData: { OpenUdpPort: false } }),
      "KLSTD",
      1192,
    );
    expectError(
      await s.call("SsContents.Ss_Replace", {
        ...w,
        pNewData: { Nagentports: val([{ type: "long", value: 15000 }]) },
      }),
      "KLSTD",
      1192,
    );
    expectError(
      await s.call("SsContents.Ss_Replace", { ...w, pNewData: { Nagentports: val(15000) } }),
      "KLSTD",
      1192,
    );
    expectError(
      await s.call("SsContents.Ss_Replace", {
        ...w,
        pNewData: { Nagentports: val([15000, { type: "long", value: 15001 }]) },
      }),
      "KLSTD",
      1192,
    );
    expectError(
      await s.call("SsContents.Ss_Replace", { ...w, pNewData: { Nagentports: val([15000, 0]) } }),
      "KLSTD",
      1189,
    );
    expectError(
      await s.call("SsContents.Ss_Replace", { ...w, pNewData: { PROPOSED_UseDpForceConnection: val(1) } }),
      "KLSTD",
      1192,
    );
    expectError(
      await s.call("SsContents.Ss_Replace", {
        ...w,
        pNewData: { PROPOSED_UseDpForceConnection: val(true, "yes") },
      }),
      "KLSTD",
      1192,
    );
    // Nothing was recorded: apply changes nothing.
    await s.ok("SsContents.Ss_Apply", { wstrID: id });
    expect((await s.ok("SsContents.Ss_Read", w)).PxgRetVal).toEqual({
      OpenUdpPort: val(true),
      Nagentports: val([15000, 15001]),
      PROPOSED_UseDpForceConnection: val(false),
    });
    await s.ok("SsContents.Ss_Release", { wstrID: id });
    expectError(await s.call("SsContents.Ss_Read", w), "KLSTD", 1186);
    expectError(await s.call("SsContents.Ss_Apply", { wstrID: id }), "KLSTD", 1186);
    expectError(await s.call("SsContents.Ss_Release", { wstrID: id }), "KLSTD", 1186);
    expectError(
      await s.call("Policy.GetPolicyContents", { nPolicy: 1, nRevisionId: 7, nLifeTime: 0 }),
      "KLSTD",
      1186,
    );
  });

  test("handles expire after nLifeTime ms", async () => {
    const id = (await s.ok("Policy.GetPolicyContents", { nPolicy: 1, nRevisionId: 0, nLifeTime: 200 }))
      .PxgRetVal;
    await s.ok("SsContents.SS_GetNames", { wstrID: id, wstrProduct: "", wstrVersion: "" });
    clock.advance(200);
    await s.ok("SsContents.SS_GetNames", { wstrID: id, wstrProduct: "", wstrVersion: "" });
    clock.advance(201);
    expectError(
      await s.call("SsContents.SS_GetNames", { wstrID: id, wstrProduct: "", wstrVersion: "" }),
      "KLSTD",
      1186,
    );
  });

  test("a handle on a deleted policy → 1186", async () => {
    const pid = (await s.ok("Policy.AddPolicy", { pPolicyData: { ...na, KLPOL_GROUP_ID: milan } })).PxgRetVal;
    const id = (await s.ok("Policy.GetPolicyContents", { nPolicy: pid, nRevisionId: 0, nLifeTime: 0 }))
      .PxgRetVal;
    await s.ok("Policy.DeletePolicy", { nPolicy: pid });
    expectError(
      await s.call("SsContents.Ss_Read", {
        wstrID: id,
        wstrProduct: "1103",
        wstrVersion: "1.0.0.0",
        wstrSection: "KLNAG_SVCPRT",
      }),
      "KLSTD",
      1186,
    );
  });
});

test("PxgError replies can be switched to HTTP 500 (docs/ksc-open-api.md#http-status-codes)", async () => {
  emu.setFaults({ pxgErrorStatus: 500 });
  try {
    const r = await s.call("UaControl.NoSuchMethod");
    expect(r.status).toBe(500);
    expect(pxgError(r)).toMatchObject({ module: "KLCONN", code: 1194 });
  } finally {
    emu.setFaults({});
  }
});
