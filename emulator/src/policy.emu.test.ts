// Policy and SsContents behaviour over HTTP (docs/ksc-open-api.md#policy).
import { RunningEmulator, startEmulator } from "./index";
import { pxgError, RawSession } from "../../test/support/raw-ksc";

let emu: RunningEmulator;
let s: RawSession;
let milan: number;
let milanWs: number;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, tls: false });
  s = await RawSession.start(emu.url);
  milan = (await s.ok("HostGroup.GetGroupId", { nParent: 0, strName: "Branch Milan" })).PxgRetVal as number;
  milanWs = (await s.ok("HostGroup.GetGroupId", { nParent: milan, strName: "Workstations" }))
    .PxgRetVal as number;
});
afterAll(async () => {
  await emu.stop();
});

const na = (dn: string, group: number, extra: Record<string, unknown> = {}) => ({
  pPolicyData: {
    KLPOL_DN: dn,
    KLPOL_PRODUCT: "1103",
    KLPOL_VERSION: "1.0.0.0",
    KLPOL_GROUP_ID: group,
    ...extra,
  },
});
const val = (v: unknown, locked = false): unknown => ({
  type: "params",
  value: { KLPRSS_Val: v, KLPRSS_Mnd: locked },
});
type P = { value: Record<string, unknown> };

test("the default Network Agent policy on Managed devices", async () => {
  const list = (await s.ok("Policy.GetPoliciesForGroup", { nGroupId: 0 })).PxgRetVal as P[];
  expect(list).toHaveLength(1);
  expect(list[0].value).toMatchObject({
    KLPOL_PRODUCT: "1103",
    KLPOL_VERSION: "1.0.0.0",
    KLPOL_DN: "Kaspersky Security Center Network Agent",
    KLPOL_GROUP_ID: 0,
    KLPOL_ACTIVE: true,
    KLPOL_INHERITED: false,
  });
});

test("AddPolicy never deduplicates: the same data twice gives two policies", async () => {
  const a = (await s.ok("Policy.AddPolicy", na("Twin", milan))).PxgRetVal;
  const b = (await s.ok("Policy.AddPolicy", na("Twin", milan))).PxgRetVal;
  expect(a).not.toBe(b);
  const own = ((await s.ok("Policy.GetPoliciesForGroup", { nGroupId: milan })).PxgRetVal as P[]).filter(
    (p) => p.value.KLPOL_INHERITED === false,
  );
  expect(own.map((p) => p.value.KLPOL_ID).sort()).toEqual([a, b].sort());
  await s.ok("Policy.DeletePolicy", { nPolicy: a });
  await s.ok("Policy.DeletePolicy", { nPolicy: b });
  expect(pxgError(await s.call("Policy.GetPolicyData", { nPolicy: a }))?.code).toBe(1186);
});

test("GetPoliciesForGroup with -1 lists all groups' policies, each under its own group, none inherited", async () => {
  const id = (await s.ok("Policy.AddPolicy", na("NA Milan all", milan))).PxgRetVal;
  const all = (await s.ok("Policy.GetPoliciesForGroup", { nGroupId: -1 })).PxgRetVal as P[];
  expect(all.map((p) => [p.value.KLPOL_ID, p.value.KLPOL_GROUP_ID, p.value.KLPOL_INHERITED])).toEqual([
    [1, 0, false],
    [id, milan, false],
  ]);
  await s.ok("Policy.DeletePolicy", { nPolicy: id });
  expect(pxgError(await s.call("Policy.GetPoliciesForGroup", { nGroupId: -2 }))?.code).toBeDefined();
});

test("for-group lists show ancestors' policies as inherited; effective picks the nearest active one", async () => {
  const forWs = (await s.ok("Policy.GetPoliciesForGroup", { nGroupId: milanWs })).PxgRetVal as P[];
  expect(forWs.map((p) => [p.value.KLPOL_ID, p.value.KLPOL_INHERITED])).toEqual([[1, true]]);
  const eff1 = (await s.ok("Policy.GetEffectivePoliciesForGroup", { nGroupId: milanWs })).PxgRetVal as P[];
  expect(eff1.map((p) => p.value.KLPOL_ID)).toEqual([1]);
  const id = (await s.ok("Policy.AddPolicy", na("NA Milan", milan, { KLPOL_ACTIVE: true }))).PxgRetVal;
  const eff2 = (await s.ok("Policy.GetEffectivePoliciesForGroup", { nGroupId: milanWs })).PxgRetVal as P[];
  expect(eff2.map((p) => [p.value.KLPOL_ID, p.value.KLPOL_INHERITED])).toEqual([[id, true]]);
  // One active policy per product in a group: activating another deactivates the first.
  const second = (await s.ok("Policy.AddPolicy", na("NA Milan 2", milan))).PxgRetVal;
  expect((await s.ok("Policy.GetPolicyData", { nPolicy: second })).PxgRetVal).toMatchObject({
    KLPOL_ACTIVE: false,
  });
  await s.ok("Policy.UpdatePolicyData", {
    nPolicy: second,
    pPolicyData: { KLPOL_ACTIVE: true, KLPOL_DN: "NA Milan 2b" },
  });
  expect((await s.ok("Policy.GetPolicyData", { nPolicy: id })).PxgRetVal).toMatchObject({
    KLPOL_ACTIVE: false,
  });
  expect((await s.ok("Policy.GetPolicyData", { nPolicy: second })).PxgRetVal).toMatchObject({
    KLPOL_ACTIVE: true,
    KLPOL_DN: "NA Milan 2b",
  });
  expect(await s.ok("Policy.MakePolicyActive", { nPolicy: id, bActive: true })).toEqual({ PxgRetVal: true });
  await s.ok("Policy.DeletePolicy", { nPolicy: id });
  await s.ok("Policy.DeletePolicy", { nPolicy: second });
});

test("a new NA policy has the default network section; another product's policy starts empty", async () => {
  const id = (await s.ok("Policy.AddPolicy", na("NA new", milanWs))).PxgRetVal;
  const h = (await s.ok("Policy.GetPolicyContents", { nPolicy: id, nRevisionId: 0, nLifeTime: 0 })).PxgRetVal;
  expect(await s.ok("SsContents.SS_GetNames", { wstrID: h, wstrProduct: "", wstrVersion: "" })).toEqual({
    PxgRetVal: ["1103"],
  });
  expect(await s.ok("SsContents.SS_GetNames", { wstrID: h, wstrProduct: "1103", wstrVersion: "" })).toEqual({
    PxgRetVal: ["1.0.0.0"],
  });
  const read = await s.ok("SsContents.Ss_Read", {
    wstrID: h,
    wstrProduct: "1103",
    wstrVersion: "1.0.0.0",
    wstrSection: "86",
  });
  expect(read.PxgRetVal).toEqual({
    OpenUdpPort: val(true),
    Nagentports: val([15000, 15001]),
    PROPOSED_UseDpForceConnection: val(false),
  });
  const kes = (
    await s.ok("Policy.AddPolicy", {
      pPolicyData: {
        KLPOL_DN: "KES",
        KLPOL_PRODUCT: "KES",
        KLPOL_VERSION: "12.0.0.0",
        KLPOL_GROUP_ID: milanWs,
      },
    })
  ).PxgRetVal;
  const hk = (await s.ok("Policy.GetPolicyContents", { nPolicy: kes, nRevisionId: 0, nLifeTime: 0 }))
    .PxgRetVal;
  expect(
    await s.ok("SsContents.SS_GetNames", { wstrID: hk, wstrProduct: "KES", wstrVersion: "12.0.0.0" }),
  ).toEqual({ PxgRetVal: [] });
});

test("SsContents writes are invisible (to other handles and the status page) until Ss_Apply", async () => {
  const writer = (await s.ok("Policy.GetPolicyContents", { nPolicy: 1, nRevisionId: 0, nLifeTime: 0 }))
    .PxgRetVal;
  const reader = (await s.ok("Policy.GetPolicyContents", { nPolicy: 1, nRevisionId: 0, nLifeTime: 0 }))
    .PxgRetVal;
  const w = { wstrProduct: "1103", wstrVersion: "1.0.0.0", wstrSection: "86" };
  await s.ok("SsContents.Ss_Update", {
    ...w,
    wstrID: writer,
    pNewData: { Nagentports: val([15500, 15001], true) },
  });
  // The writer sees its own change; the reader does not.
  expect(
    ((await s.ok("SsContents.Ss_Read", { ...w, wstrID: writer })).PxgRetVal as Record<string, unknown>)
      .Nagentports,
  ).toEqual(val([15500, 15001], true));
  expect(
    ((await s.ok("SsContents.Ss_Read", { ...w, wstrID: reader })).PxgRetVal as Record<string, unknown>)
      .Nagentports,
  ).toEqual(val([15000, 15001]));
  expect(emu.statusText()).toContain("Nagentports = [15000, 15001] (unlocked)");
  await s.ok("SsContents.Ss_Apply", { wstrID: writer });
  expect(
    ((await s.ok("SsContents.Ss_Read", { ...w, wstrID: reader })).PxgRetVal as Record<string, unknown>)
      .Nagentports,
  ).toEqual(val([15500, 15001], true));
  expect(emu.statusText()).toContain("Nagentports = [15500, 15001] (locked)");
  // Releasing without Apply drops pending writes.
  await s.ok("SsContents.Ss_Update", { ...w, wstrID: writer, pNewData: { Nagentports: val([16000]) } });
  await s.ok("SsContents.Ss_Release", { wstrID: writer });
  expect(
    ((await s.ok("SsContents.Ss_Read", { ...w, wstrID: reader })).PxgRetVal as Record<string, unknown>)
      .Nagentports,
  ).toEqual(val([15500, 15001], true));
  await s.ok("SsContents.Ss_Release", { wstrID: reader });
});

test("Ss_Add, Ss_Clear, Ss_Delete (pData), Ss_CreateSection, Ss_DeleteSection, SS_Release alias", async () => {
  const id = (await s.ok("Policy.AddPolicy", na("NA ops", milan))).PxgRetVal;
  const h = (await s.ok("Policy.GetPolicyContents", { nPolicy: id, nRevisionId: 0, nLifeTime: 60000 }))
    .PxgRetVal;
  const w = { wstrID: h, wstrProduct: "1103", wstrVersion: "1.0.0.0", wstrSection: "CUSTOM_SECTION" };
  await s.ok("SsContents.Ss_CreateSection", w);
  await s.ok("SsContents.Ss_Add", {
    ...w,
    pNewData: { A: val(1), B: val("two"), C: { type: "long", value: 3 } },
  });
  await s.ok("SsContents.Ss_Delete", { ...w, pData: { B: true } });
  expect((await s.ok("SsContents.Ss_Read", w)).PxgRetVal).toEqual({
    A: val(1),
    C: { type: "long", value: 3 },
  });
  await s.ok("SsContents.Ss_Clear", { ...w, pNewData: { Z: val(false) } });
  expect((await s.ok("SsContents.Ss_Read", w)).PxgRetVal).toEqual({ Z: val(false) });
  await s.ok("SsContents.Ss_Apply", { wstrID: h });
  await s.ok("SsContents.Ss_DeleteSection", w);
  await s.ok("SsContents.Ss_Apply", { wstrID: h });
  expect(pxgError(await s.call("SsContents.Ss_Read", w))?.code).toBe(1125);
  expect(await s.ok("SsContents.SS_Release", { wstrID: h })).toEqual({});
});
