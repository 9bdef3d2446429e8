// The seeded inventory and HostGroup / ChunkAccessor behaviour over HTTP.
import { RunningEmulator, startEmulator } from "./index";
import { RawSession } from "../../test/support/raw-ksc";

let emu: RunningEmulator;
let s: RawSession;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, tls: false });
  s = await RawSession.start(emu.url);
});
afterAll(async () => {
  await emu.stop();
});

type Row = Record<string, unknown>;

async function find(
  method: "HostGroup.FindHosts" | "HostGroup.FindGroups",
  filter: string,
  fields: string[],
  order: unknown[] = [],
): Promise<Row[]> {
  const f = await s.ok(method, {
    wstrFilter: filter,
    vecFieldsToReturn: fields,
    vecFieldsToOrder: order,
    pParams: {},
    lMaxLifeTime: 60,
  });
  const rows: Row[] = [];
  for (let start = 0; start < (f.PxgRetVal as number); start += 10) {
    const c = await s.ok("ChunkAccessor.GetItemsChunk", {
      strAccessor: f.strAccessor,
      nStart: start,
      nCount: 10,
    });
    const items = (c.pChunk as { KLCSP_ITERATOR_ARRAY: { type: string; value: Row }[] }).KLCSP_ITERATOR_ARRAY;
    expect(c.PxgRetVal).toBe(items.length);
    for (const it of items) {
      expect(it.type).toBe("params");
      rows.push(it.value);
    }
  }
  await s.ok("ChunkAccessor.Release", { strAccessor: f.strAccessor });
  return rows;
}

test("the seeded company: group tree under Managed devices", async () => {
  expect(await s.ok("HostGroup.GroupIdGroups")).toEqual({ PxgRetVal: 0 });
  const unassigned = (await s.ok("HostGroup.GroupIdUnassigned")).PxgRetVal;
  expect(unassigned).not.toBe(0);
  const tree = await s.ok("HostGroup.GetSubgroups", { nGroupId: 0, nDepth: 0 });
  const names = (tree.PxgRetVal as { value: { name: string; groups?: { value: { name: string } }[] } }[]).map(
    (g) => ({
      name: g.value.name,
      sub: (g.value.groups ?? []).map((x) => x.value.name),
    }),
  );
  expect(names).toEqual([
    { name: "Head Office", sub: ["Servers", "Workstations"] },
    { name: "Branch Milan", sub: ["Workstations"] },
    { name: "Branch Rome", sub: ["Workstations"] },
  ]);
  // nDepth 1: direct children only
  const flat = await s.ok("HostGroup.GetSubgroups", { nGroupId: 0, nDepth: 1 });
  expect((flat.PxgRetVal as { value: Row }[]).every((g) => !("groups" in g.value))).toBe(true);
  const groups = await find(
    "HostGroup.FindGroups",
    "",
    ["id", "name", "parentId", "grp_full_name"],
    [{ type: "params", value: { Name: "grp_full_name", Asc: true } }],
  );
  expect(groups.map((g) => g.grp_full_name)).toEqual([
    "Managed devices/",
    "Managed devices/Branch Milan/",
    "Managed devices/Branch Milan/Workstations/",
    "Managed devices/Branch Rome/",
    "Managed devices/Branch Rome/Workstations/",
    "Managed devices/Head Office/",
    "Managed devices/Head Office/Servers/",
    "Managed devices/Head Office/Workstations/",
  ]);
});

test("the seeded devices: ~36 with Network Agent, GUID ids, FQDNs, Windows and Linux, two shared-name-01", async () => {
  const all = await find("HostGroup.FindHosts", "", [
    "KLHST_WKS_HOSTNAME",
    "KLHST_WKS_DN",
    "KLHST_WKS_FQDN",
    "KLHST_WKS_STATUS",
    "KLHST_WKS_OS_NAME",
    "KLHST_WKS_GROUPID",
    "KLHST_WKS_IP_LONG",
  ]);
  expect(all.length).toBeGreaterThanOrEqual(30);
  expect(all.length).toBeLessThanOrEqual(40);
  for (const h of all) {
    expect(h.KLHST_WKS_HOSTNAME).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(h.KLHST_WKS_FQDN).toBe(`${h.KLHST_WKS_DN as string}.corp.example`);
    expect((h.KLHST_WKS_STATUS as number) & 4).toBe(4);
    expect(h.KLHST_WKS_IP_LONG).toEqual({ type: "long", value: expect.any(Number) });
  }
  const names = all.map((h) => h.KLHST_WKS_DN as string);
  for (const n of ["milan-dp-01", "milan-ws-01", "rome-dp-01", "rome-ws-01", "hq-srv-01"])
    expect(names).toContain(n);
  expect(all.some((h) => String(h.KLHST_WKS_OS_NAME).includes("Windows"))).toBe(true);
  expect(all.some((h) => /Linux|Ubuntu|Debian/.test(String(h.KLHST_WKS_OS_NAME)))).toBe(true);
  const shared = all.filter((h) => h.KLHST_WKS_DN === "shared-name-01");
  expect(shared).toHaveLength(2);
  expect(new Set(shared.map((h) => h.KLHST_WKS_GROUPID)).size).toBe(2);
});

test("FindHosts evaluates the filter: and/or/not, comparisons, wildcards, ordering; results frozen at find time", async () => {
  const milanWs = (
    await s.ok("HostGroup.GetGroupId", {
      nParent: (await s.ok("HostGroup.GetGroupId", { nParent: 0, strName: "Branch Milan" })).PxgRetVal,
      strName: "Workstations",
    })
  ).PxgRetVal as number;
  const rows = await find(
    "HostGroup.FindHosts",
    `(&(KLHST_WKS_GROUPID = ${milanWs})(|(KLHST_WKS_DN = "milan-ws-0[1-3]")(KLHST_WKS_DN = "shared*"))(!KLHST_WKS_DN = "milan-ws-02"))`,
    ["KLHST_WKS_DN"],
    [{ type: "params", value: { Name: "KLHST_WKS_DN", Asc: false } }],
  );
  expect(rows).toEqual([
    { KLHST_WKS_DN: "shared-name-01" },
    { KLHST_WKS_DN: "milan-ws-03" },
    { KLHST_WKS_DN: "milan-ws-01" },
  ]);
  // FQDN filter, the reference's bare form
  expect(
    await find("HostGroup.FindHosts", 'KLHST_WKS_FQDN = "rome-dp-01.corp.example"', ["KLHST_WKS_DN"]),
  ).toEqual([{ KLHST_WKS_DN: "rome-dp-01" }]);
  // Results are frozen when the accessor is made.
  const f = await s.ok("HostGroup.FindHosts", {
    wstrFilter: '(KLHST_WKS_DN = "hq-ws-01")',
    vecFieldsToReturn: ["KLHST_WKS_HOSTNAME", "KLHST_WKS_DN"],
    vecFieldsToOrder: [],
    pParams: {},
    lMaxLifeTime: 60,
  });
  const c1 = await s.ok("ChunkAccessor.GetItemsChunk", { strAccessor: f.strAccessor, nStart: 0, nCount: 5 });
  const id = (c1.pChunk as { KLCSP_ITERATOR_ARRAY: { value: Row }[] }).KLCSP_ITERATOR_ARRAY[0].value
    .KLHST_WKS_HOSTNAME;
  await s.ok("HostGroup.UpdateHost", { strHostName: id, pInfo: { KLHST_WKS_DN: "hq-ws-01-renamed" } });
  const c2 = await s.ok("ChunkAccessor.GetItemsChunk", { strAccessor: f.strAccessor, nStart: 0, nCount: 5 });
  expect(c2).toEqual(c1);
  expect(await s.ok("ChunkAccessor.GetItemsCount", { strAccessor: f.strAccessor })).toEqual({ PxgRetVal: 1 });
  // Past the end: an empty chunk.
  expect(
    await s.ok("ChunkAccessor.GetItemsChunk", { strAccessor: f.strAccessor, nStart: 5, nCount: 5 }),
  ).toEqual({
    pChunk: { KLCSP_ITERATOR_ARRAY: [] },
    PxgRetVal: 0,
  });
  await s.ok("HostGroup.UpdateHost", { strHostName: id, pInfo: { KLHST_WKS_DN: "hq-ws-01" } });
});

test("GetHostInfo, UpdateHost of the keep-connection flag, AddGroup, MoveHostsToGroup, GetGroupInfoEx", async () => {
  const [dp] = await find("HostGroup.FindHosts", '(KLHST_WKS_DN = "rome-dp-01")', ["KLHST_WKS_HOSTNAME"]);
  const id = dp.KLHST_WKS_HOSTNAME as string;
  const info = await s.ok("HostGroup.GetHostInfo", {
    strHostName: id,
    pFields2Return: ["KLHST_WKS_DN", "KLHST_WKS_KEEP_CONNECTION", "KLHST_WKS_CREATED"],
  });
  expect(info).toEqual({
    PxgRetVal: {
      KLHST_WKS_DN: "rome-dp-01",
      KLHST_WKS_KEEP_CONNECTION: false,
      KLHST_WKS_CREATED: { type: "datetime", value: expect.stringMatching(/Z$/) },
    },
  });
  await s.ok("HostGroup.UpdateHost", { strHostName: id, pInfo: { KLHST_WKS_KEEP_CONNECTION: true } });
  expect(await find("HostGroup.FindHosts", "(KLHST_WKS_KEEP_CONNECTION = 1)", ["KLHST_WKS_DN"])).toEqual([
    { KLHST_WKS_DN: "rome-dp-01" },
  ]);
  await s.ok("HostGroup.UpdateHost", { strHostName: id, pInfo: { KLHST_WKS_KEEP_CONNECTION: false } });

  const gid = (await s.ok("HostGroup.AddGroup", { pInfo: { name: "Branch Genoa", parentId: 0 } }))
    .PxgRetVal as number;
  expect(await s.ok("HostGroup.GetGroupId", { nParent: 0, strName: "Branch Genoa" })).toEqual({
    PxgRetVal: gid,
  });
  await s.ok("HostGroup.MoveHostsToGroup", { nGroup: gid, pHostNames: [id] });
  expect(await find("HostGroup.FindHosts", `(KLHST_WKS_GROUPID = ${gid})`, ["KLHST_WKS_DN"])).toEqual([
    { KLHST_WKS_DN: "rome-dp-01" },
  ]);
  expect(
    await s.ok("HostGroup.GetGroupInfoEx", {
      nGroupId: gid,
      pArrAttributes: ["id", "name", "parentId", "grp_full_name", "KLGRP_CHLDHST_CNT"],
    }),
  ).toEqual({
    PxgRetVal: {
      id: gid,
      name: "Branch Genoa",
      parentId: 0,
      grp_full_name: "Managed devices/Branch Genoa/",
      KLGRP_CHLDHST_CNT: 1,
    },
  });
  const rome = (await s.ok("HostGroup.GetGroupId", { nParent: 0, strName: "Branch Rome" })).PxgRetVal;
  await s.ok("HostGroup.MoveHostsToGroup", { nGroup: rome, pHostNames: [id] });
  const removed = await s.ok("HostGroup.RemoveGroup", { nGroup: gid, nFlags: 1 });
  expect(removed).toEqual({ strActionGuid: expect.any(String) });
});
