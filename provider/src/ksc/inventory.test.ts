// The inventory: host attributes asked for and decoded by their logical names, the key names staying in keys.ts.
import { HostFilter, HostGroupApi, HostRecord, KscParams } from "./api";
import { KeyNameError } from "./errors";
import { Inventory } from "./inventory";
import { resolveKeyNames } from "./keys";

const keys = resolveKeyNames({});
const h = keys.host;

function hostGroup(rows: HostRecord[], info: KscParams) {
  const asked: { method: string; filter?: HostFilter; fields: string[] }[] = [];
  const api = {
    findHosts: async (filter: HostFilter, fields: string[]) => {
      asked.push({ method: "findHosts", filter, fields });
      return rows;
    },
    getHostInfo: async (_hostId: string, fields: string[]) => {
      asked.push({ method: "getHostInfo", fields });
      return info;
    },
    findGroups: async (filter: HostFilter, fields: string[] = []) => {
      asked.push({ method: "findGroups", filter, fields });
      return [];
    },
  } as unknown as HostGroupApi;
  return { api, asked };
}

const row = (extra: KscParams = {}): HostRecord => ({
  hostId: "h-1",
  displayName: "milan-dp-01",
  groupId: 20,
  fqdn: "milan-dp-01.corp",
  ...extra,
});

test("list asks for every device with the named attributes and decodes the keep-connection flag", async () => {
  const { api, asked } = hostGroup([row({ [h.keepConnection]: 1 }), row({ hostId: "h-2", fqdn: "" })], {});
  const hosts = await new Inventory(api, keys).list(["hostId", "displayName", "keepConnection"]);
  expect(asked).toEqual([
    {
      method: "findHosts",
      filter: { op: "<>", attribute: h.hostId, value: "" },
      fields: [h.hostId, h.displayName, h.keepConnection],
    },
  ]);
  expect(hosts).toEqual([
    {
      hostId: "h-1",
      displayName: "milan-dp-01",
      groupId: 20,
      fqdn: "milan-dp-01.corp",
      keepConnection: true,
    },
    { hostId: "h-2", displayName: "milan-dp-01", groupId: 20 },
  ]);
});

test("findByName matches the display name or the FQDN", async () => {
  const { api, asked } = hostGroup([], {});
  await new Inventory(api, keys).findByName("dp", ["hostId"]);
  expect(asked[0].filter).toEqual({
    op: "or",
    clauses: [
      { op: "=", attribute: h.displayName, value: "dp" },
      { op: "=", attribute: h.fqdn, value: "dp" },
    ],
  });
});

test("connection: the flag as returned (an empty value is off); a KeyNameError naming the key without it", async () => {
  const present = hostGroup([], { [h.displayName]: "dp", [h.keepConnection]: null });
  await expect(new Inventory(present.api, keys).connection("h-1")).resolves.toEqual({
    displayName: "dp",
    keepConnection: false,
  });
  expect(present.asked[0].fields).toEqual([h.displayName, h.keepConnection]);
  const absent = hostGroup([], { [h.displayName]: "dp" });
  const err = await new Inventory(absent.api, keys).connection("h-1").catch((e: unknown) => e);
  expect(err).toBeInstanceOf(KeyNameError);
  expect((err as Error).message).toContain(`no device attribute named "${h.keepConnection}"`);
});
