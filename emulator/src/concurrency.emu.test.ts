// Parallel writers from several sessions: every call is atomic, rules hold, nothing is lost or torn.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunningEmulator, startEmulator } from "./index";
import { pxgError, RawSession } from "../../test/support/raw-ksc";

let emu: RunningEmulator;
let sessions: RawSession[];
let dir: string;
const N = 8;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ksc-emu-conc-"));
  emu = await startEmulator({ port: 0, tls: false, stateFile: path.join(dir, "state.json") });
  sessions = await Promise.all(Array.from({ length: N }, () => RawSession.start(emu.url)));
  await sessions[0].ok("UaControl.SetAssignUasAutomatically", { bEnabled: false });
});
afterAll(async () => {
  await emu.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function hosts(s: RawSession, filter: string): Promise<string[]> {
  const f = await s.ok("HostGroup.FindHosts", {
    wstrFilter: filter,
    vecFieldsToReturn: ["KLHST_WKS_HOSTNAME"],
    vecFieldsToOrder: [{ type: "params", value: { Name: "KLHST_WKS_DN", Asc: true } }],
    pParams: {},
    lMaxLifeTime: 60,
  });
  const c = await s.ok("ChunkAccessor.GetItemsChunk", {
    strAccessor: f.strAccessor,
    nStart: 0,
    nCount: 1000,
  });
  return (
    c.pChunk as { KLCSP_ITERATOR_ARRAY: { value: { KLHST_WKS_HOSTNAME: string } }[] }
  ).KLCSP_ITERATOR_ARRAY.map((e) => e.value.KLHST_WKS_HOSTNAME);
}

const scope = (id: number): unknown => ({
  type: "params",
  value: { ScopeGroups: [{ type: "params", value: { ScopeId: { type: "long", value: id } } }] },
});

test("the same host registered by N sessions at once: exactly one succeeds, the others get 1193", async () => {
  const [host] = await hosts(sessions[0], '(KLHST_WKS_DN = "hq-dp-01")');
  const replies = await Promise.all(
    sessions.map((s, i) =>
      s.call("UaControl.RegisterUpdateAgent", {
        pUaInfo: { UaHostId: host, UaScope: scope(0), UaPort: { type: "long", value: 20000 + i } },
      }),
    ),
  );
  const ok = replies.filter((r) => r.status === 200 && pxgError(r) === undefined);
  const refused = replies.filter((r) => pxgError(r)?.code === 1193);
  expect(ok).toHaveLength(1);
  expect(refused).toHaveLength(N - 1);
  const list = (await sessions[0].ok("UaControl.GetUpdateAgentsList")).pUasArr as unknown[];
  expect(list).toHaveLength(1);
});

test("N sessions register N different hosts at once: all N DPs exist", async () => {
  const ws = (await hosts(sessions[0], '(KLHST_WKS_DN = "hq-ws-*")')).slice(0, N);
  expect(ws).toHaveLength(N);
  await Promise.all(
    sessions.map((s, i) =>
      s.ok("UaControl.RegisterUpdateAgent", { pUaInfo: { UaHostId: ws[i], UaScope: scope(0) } }),
    ),
  );
  const list = (await sessions[0].ok("UaControl.GetUpdateAgentsList")).pUasArr as {
    value: { UaHostId: string };
  }[];
  expect(list.map((e) => e.value.UaHostId)).toEqual(expect.arrayContaining(ws));
  await Promise.all(sessions.map((s, i) => s.ok("UaControl.UnregisterUpdateAgent", { wstrUaHostId: ws[i] })));
});

test("N handles on one policy section, each writing its own variable: after all applies every write is there", async () => {
  const handles = await Promise.all(
    sessions.map(
      async (s) =>
        (await s.ok("Policy.GetPolicyContents", { nPolicy: 1, nRevisionId: 0, nLifeTime: 0 })).PxgRetVal,
    ),
  );
  const where = (i: number) => ({
    wstrID: handles[i],
    wstrProduct: "1103",
    wstrVersion: "1.0.0.0",
    wstrSection: "KLNAG_SVCPRT",
  });
  await Promise.all(
    sessions.map((s, i) =>
      s.ok("SsContents.Ss_Replace", {
        ...where(i),
        pNewData: { [`Writer${i}`]: { type: "params", value: { KLPRSS_Val: i, KLPRSS_Mnd: i % 2 === 0 } } },
      }),
    ),
  );
  // Not applied yet: another handle does not see them.
  const peek = (
    await sessions[0].ok("Policy.GetPolicyContents", { nPolicy: 1, nRevisionId: 0, nLifeTime: 0 })
  ).PxgRetVal;
  const before = await sessions[0].ok("SsContents.Ss_Read", { ...where(0), wstrID: peek });
  expect(Object.keys(before.PxgRetVal as object)).toEqual(["KLNAG_SVCPRT_PROTECT_NAGENT_SVC"]);
  await Promise.all(sessions.map((s, i) => s.ok("SsContents.Ss_Apply", { wstrID: handles[i] })));
  const after = await sessions[0].ok("SsContents.Ss_Read", { ...where(0), wstrID: peek });
  const section = after.PxgRetVal as Record<string, unknown>;
  for (let i = 0; i < N; i++) {
    expect(section[`Writer${i}`]).toEqual({
      type: "params",
      value: { KLPRSS_Val: i, KLPRSS_Mnd: i % 2 === 0 },
    });
  }
  await Promise.all(sessions.map((s, i) => s.ok("SsContents.Ss_Release", { wstrID: handles[i] })));
});

test("AddGroup of one name from N sessions: one group; AddPolicy from N sessions: N distinct policies", async () => {
  const groups = await Promise.all(
    sessions.map((s) => s.call("HostGroup.AddGroup", { pInfo: { name: "Branch Naples", parentId: 0 } })),
  );
  expect(groups.filter((r) => pxgError(r) === undefined)).toHaveLength(1);
  const ids = await Promise.all(
    sessions.map(
      async (s, i) =>
        (
          await s.ok("Policy.AddPolicy", {
            pPolicyData: {
              KLPOL_DN: `P${i}`,
              KLPOL_PRODUCT: "1103",
              KLPOL_VERSION: "1.0.0.0",
              KLPOL_GROUP_ID: 0,
            },
          })
        ).PxgRetVal,
    ),
  );
  expect(new Set(ids).size).toBe(N);
});

test("read-modify-write races on one DP leave a whole object (one writer's port), never a mix", async () => {
  const [host] = await hosts(sessions[0], '(KLHST_WKS_DN = "hq-dp-01")');
  await Promise.all(
    sessions.map(async (s, i) => {
      for (let round = 0; round < 5; round++) {
        const info = (await s.ok("UaControl.GetUpdateAgentInfo", { wstrUaHostId: host })).pUaInfo as Record<
          string,
          unknown
        >;
        const port = { type: "long", value: 30000 + i * 10 + round };
        await s.ok("UaControl.ModifyUpdateAgent", { pUaInfo: { ...info, UaPort: port, UaNonSslPort: port } });
      }
    }),
  );
  const info = (await sessions[0].ok("UaControl.GetUpdateAgentInfo", { wstrUaHostId: host }))
    .pUaInfo as Record<string, unknown>;
  expect(info.UaPort).toEqual(info.UaNonSslPort);
  expect(info.UaScope).toEqual({
    type: "params",
    value: {
      ScopeGroups: [
        { type: "params", value: { ScopeId: { type: "long", value: 0 }, ScopeName: "Managed devices" } },
      ],
      ScopeNlaNetworks: [],
      ScopeBcDomains: [],
    },
  });
});

test("after the storm, the state file restarts into the same state", async () => {
  const read = async (e: RunningEmulator): Promise<unknown> => {
    const s = await RawSession.start(e.url);
    return {
      dps: await s.ok("UaControl.GetUpdateAgentsList"),
      policies: await s.ok("Policy.GetPoliciesForGroup", { nGroupId: 0 }),
      groups: await s.ok("HostGroup.GetSubgroups", { nGroupId: 0, nDepth: 0 }),
    };
  };
  const live = await read(emu);
  emu.flush();
  const copy = path.join(dir, "copy.json");
  fs.copyFileSync(path.join(dir, "state.json"), copy);
  const restarted = await startEmulator({ port: 0, tls: false, stateFile: copy });
  try {
    expect(await read(restarted)).toEqual(live);
  } finally {
    await restarted.stop();
  }
});
