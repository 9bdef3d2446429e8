// `pulumi-ksc devices`: the managed devices that can become distribution points (every device in an administration
// group under "Managed devices"; unassigned devices cannot), with the names a program declares them by, and
// whether each one already is a DP. Read-only: one FindHosts (and its chunks), the group tree, the list of DPs.
import { KscClient } from "../ksc/client";
import { sameName } from "../resources/common";
import { GroupDirectory, GroupInfo, samePath } from "../resources/groups";

export interface DeviceRow {
  /** Display name (what `deviceName` of a DistributionPoint matches, as does the FQDN). */
  name: string;
  hostId: string;
  fqdn?: string;
  /** Path of the device's administration group. */
  group: string;
  groupId: number;
  distributionPoint: boolean;
}

/** Whether `path` is the group `under` or one of its subgroups. */
function within(path: string, under: GroupInfo): boolean {
  if (samePath(path, under.path)) return true;
  const prefix = `${under.path}/`;
  return path.length > prefix.length && sameName(path.slice(0, prefix.length), prefix);
}

/**
 * The managed devices, sorted by group path and name; only those in `groups` (and their subgroups) when given.
 * Devices outside "Managed devices" (unassigned) are left out: KSC makes only managed devices distribution points.
 */
export async function listDevices(
  client: KscClient,
  dir: GroupDirectory,
  groups: GroupInfo[] = [],
): Promise<DeviceRow[]> {
  const hosts = await client.inventory.list(["hostId", "displayName", "fqdn", "groupId"]);
  const dps = new Set((await client.uaControl.getUpdateAgentsList()).map((d) => d.hostId));
  const rows: DeviceRow[] = [];
  const groupOf = new Map<number, Promise<GroupInfo | undefined>>(); // a miss reads the tree again: once per group
  for (const host of hosts) {
    if (!groupOf.has(host.groupId)) groupOf.set(host.groupId, dir.byId(host.groupId));
    const group = await groupOf.get(host.groupId);
    if (!group) continue; // not under "Managed devices"
    if (groups.length > 0 && !groups.some((g) => within(group.path, g))) continue;
    const row: DeviceRow = {
      name: host.displayName,
      hostId: host.hostId,
      group: group.path,
      groupId: group.id,
      distributionPoint: dps.has(host.hostId),
    };
    if (host.fqdn) row.fqdn = host.fqdn;
    rows.push(row);
  }
  return rows.sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
}
