// State survives a restart when a state file is given (written atomically); fresh otherwise; reseed on demand.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunningEmulator, startEmulator } from "./index";
import { post, RawSession } from "../../test/support/raw-ksc";
import { eventually } from "../../test/support/clock";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ksc-emu-state-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function firstHost(s: RawSession, name: string): Promise<string> {
  const f = await s.ok("HostGroup.FindHosts", {
    wstrFilter: `(KLHST_WKS_DN = "${name}")`,
    vecFieldsToReturn: ["KLHST_WKS_HOSTNAME"],
    vecFieldsToOrder: [],
    pParams: {},
    lMaxLifeTime: 60,
  });
  const c = await s.ok("ChunkAccessor.GetItemsChunk", { strAccessor: f.strAccessor, nStart: 0, nCount: 1 });
  return (c.pChunk as { KLCSP_ITERATOR_ARRAY: { value: { KLHST_WKS_HOSTNAME: string } }[] })
    .KLCSP_ITERATOR_ARRAY[0].value.KLHST_WKS_HOSTNAME;
}

/** Make changes of every kind, and return what a later read must show. */
async function scenario(emu: RunningEmulator): Promise<{ read: (s: RawSession) => Promise<unknown> }> {
  const s = await RawSession.start(emu.url);
  const root = (await s.ok("HostGroup.GroupIdGroups")).PxgRetVal as number;
  const newGroup = (await s.ok("HostGroup.AddGroup", { pInfo: { name: "Branch Turin", parentId: root } }))
    .PxgRetVal;
  const dp = await firstHost(s, "rome-dp-01");
  await s.ok("UaControl.SetAssignUasAutomatically", { bEnabled: false });
  await s.ok("UaControl.RegisterUpdateAgent", {
    pUaInfo: {
      UaHostId: dp,
      UaScope: {
        type: "params",
        value: { ScopeGroups: [{ type: "params", value: { ScopeId: { type: "long", value: newGroup } } }] },
      },
      PROPOSED_UaPushServerEnabled: true,
      PROPOSED_UaPushServerPort: { type: "long", value: 14444 },
      CustomDate: { type: "datetime", value: "2024-01-02T03:04:05Z" },
      CustomBinary: { type: "binary", value: "AAEC" },
      CustomDouble: { type: "double", value: 2.5 },
    },
  });
  const pid = (
    await s.ok("Policy.AddPolicy", {
      pPolicyData: {
        KLPOL_DN: "NA Turin",
        KLPOL_PRODUCT: "1103",
        KLPOL_VERSION: "1.0.0.0",
        KLPOL_GROUP_ID: newGroup,
      },
    })
  ).PxgRetVal;
  const h = (await s.ok("Policy.GetPolicyContents", { nPolicy: pid, nRevisionId: 0, nLifeTime: 0 }))
    .PxgRetVal;
  const w = { wstrID: h, wstrProduct: "1103", wstrVersion: "1.0.0.0", wstrSection: "86" };
  await s.ok("SsContents.Ss_Update", {
    ...w,
    pNewData: {
      PROPOSED_UseDpForceConnection: { type: "params", value: { KLPRSS_Val: true, KLPRSS_Mnd: true } },
    },
  });
  await s.ok("SsContents.Ss_Apply", { wstrID: h });
  await s.ok("SsContents.Ss_Release", { wstrID: h });
  await s.ok("Policy.UpdatePolicyData", { nPolicy: pid, pPolicyData: { KLPOL_ACTIVE: true } });

  const read = async (r: RawSession): Promise<unknown> => {
    const h2 = (await r.ok("Policy.GetPolicyContents", { nPolicy: pid, nRevisionId: 0, nLifeTime: 0 }))
      .PxgRetVal;
    const out = {
      auto: await r.ok("UaControl.GetAssignUasAutomatically"),
      dps: await r.ok("UaControl.GetUpdateAgentsList"),
      dp: await r.ok("UaControl.GetUpdateAgentInfo", { wstrUaHostId: dp }),
      keep: await r.ok("HostGroup.GetHostInfo", {
        strHostName: dp,
        pFields2Return: ["KLHST_WKS_KEEP_CONNECTION"],
      }),
      group: await r.ok("HostGroup.GetGroupId", { nParent: root, strName: "Branch Turin" }),
      policy: await r.ok("Policy.GetPolicyData", { nPolicy: pid }),
      settings: await r.ok("SsContents.Ss_Read", { ...w, wstrID: h2 }),
      policies: await r.ok("Policy.GetPoliciesForGroup", { nGroupId: root }),
    };
    await r.ok("SsContents.Ss_Release", { wstrID: h2 });
    return out;
  };
  return { read };
}

test("a restart with the state file keeps DPs, policies, policy settings, groups and flags", async () => {
  const stateFile = path.join(dir, "state.json");
  const first = await startEmulator({ port: 0, tls: false, stateFile });
  const { read } = await scenario(first);
  const expected = await read(await RawSession.start(first.url));
  await first.stop();
  expect(fs.readdirSync(dir)).toEqual(["state.json"]); // no temp file left behind

  const second = await startEmulator({ port: 0, tls: false, stateFile });
  try {
    const again = await read(await RawSession.start(second.url));
    expect(again).toEqual(expected);
    // The typed values kept their types across the file (long, datetime, binary, double).
    const info = (again as { dp: { pUaInfo: Record<string, unknown> } }).dp.pUaInfo;
    expect(info.PROPOSED_UaPushServerPort).toEqual({ type: "long", value: 14444 });
    expect(info.CustomDate).toEqual({ type: "datetime", value: "2024-01-02T03:04:05Z" });
    expect(info.CustomBinary).toEqual({ type: "binary", value: "AAEC" });
    expect(info.CustomDouble).toEqual({ type: "double", value: 2.5 });
    expect(
      (again as { settings: { PxgRetVal: Record<string, unknown> } }).settings.PxgRetVal
        .PROPOSED_UseDpForceConnection,
    ).toEqual({
      type: "params",
      value: { KLPRSS_Val: true, KLPRSS_Mnd: true },
    });
  } finally {
    await second.stop();
  }
});

test("the state file is written shortly after each change, without waiting for stop", async () => {
  const stateFile = path.join(dir, "state.json");
  const emu = await startEmulator({ port: 0, tls: false, stateFile });
  try {
    const s = await RawSession.start(emu.url);
    const saved = () => JSON.parse(fs.readFileSync(stateFile, "utf8")).assignUasAutomatically as unknown;
    expect(saved()).toBe(true);
    await s.ok("UaControl.SetAssignUasAutomatically", { bEnabled: false });
    // Written by the emulator on its own (no stop, no flush): wait for the file to say so, not for a time.
    await eventually(
      async () => saved(),
      (v) => v === false,
    );
  } finally {
    await emu.stop();
  }
});

test("without a state file, or with reseed, the state starts fresh", async () => {
  const stateFile = path.join(dir, "state.json");
  const first = await startEmulator({ port: 0, tls: false, stateFile });
  await scenario(first);
  await first.stop();

  const fresh = await startEmulator({ port: 0, tls: false });
  const reseeded = await startEmulator({ port: 0, tls: false, stateFile, reseed: true });
  try {
    for (const e of [fresh, reseeded]) {
      const s = await RawSession.start(e.url);
      expect(await s.ok("UaControl.GetUpdateAgentsList")).toEqual({ pUasArr: [] });
      expect(await s.ok("UaControl.GetAssignUasAutomatically")).toEqual({ PxgRetVal: true });
    }
  } finally {
    await fresh.stop();
    await reseeded.stop();
  }
  // reseed also rewrote the file
  expect(JSON.parse(fs.readFileSync(stateFile, "utf8")).dps).toEqual([]);
});

test("POST /control/reseed returns the running server to the seed", async () => {
  const emu = await startEmulator({ port: 0, tls: false });
  try {
    await scenario(emu);
    const s = await RawSession.start(emu.url);
    expect(((await s.ok("UaControl.GetUpdateAgentsList")).pUasArr as unknown[]).length).toBe(1);
    expect((await post(emu.url, "/control/reseed", {})).json).toEqual({ ok: true });
    expect(await s.ok("UaControl.GetUpdateAgentsList")).toEqual({ pUasArr: [] });
    const policies = (await s.ok("Policy.GetPoliciesForGroup", { nGroupId: 0 })).PxgRetVal as unknown[];
    expect(policies).toHaveLength(1);
  } finally {
    await emu.stop();
  }
});

test("a larger estate: N sites x M devices", async () => {
  const emu = await startEmulator({ port: 0, tls: false, seed: { sites: 20, devicesPerSite: 50 } });
  try {
    const s = await RawSession.start(emu.url);
    const all = await s.ok("HostGroup.FindHosts", {
      wstrFilter: "",
      vecFieldsToReturn: ["KLHST_WKS_DN"],
      vecFieldsToOrder: [],
      pParams: {},
      lMaxLifeTime: 60,
    });
    // 20 x 50 site devices + 14 head-office devices + 2 unassigned
    expect(all.PxgRetVal).toBe(20 * 50 + 14 + 2);
    const site = await s.ok("HostGroup.FindGroups", {
      wstrFilter: '(name = "Site 0*")',
      vecFieldsToReturn: ["id", "name"],
      vecFieldsToOrder: [],
      pParams: {},
      lMaxLifeTime: 60,
    });
    expect(site.PxgRetVal).toBe(20);
  } finally {
    await emu.stop();
  }
});
