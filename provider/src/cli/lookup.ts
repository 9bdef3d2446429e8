// Devices, groups and Network Agent policies named on the command line.
import { PolicyRecord } from "../ksc/api";
import { KscClient } from "../ksc/client";
import { KeyNames } from "../ksc/keys";
import { InputError, sameName } from "../resources/common";
import { GroupDirectory, GroupInfo } from "../resources/groups";
import { PreconditionError, UsageError } from "./exitCodes";

/** `--group` values: a number is an id, anything else a path ("Managed devices/Branch Milan" or "Branch Milan"). */
export async function resolveGroups(dir: GroupDirectory, refs: string[]): Promise<GroupInfo[]> {
  const out: GroupInfo[] = [];
  for (const ref of refs) {
    const g = await dir.resolve(/^\d+$/.test(ref.trim()) ? Number(ref) : ref, "--group").catch((err) => {
      if (err instanceof InputError) throw new UsageError(`--group ${JSON.stringify(ref)}: ${err.reason}`);
      throw err;
    });
    if (!out.some((o) => o.id === g.id)) out.push(g);
  }
  return out;
}

export interface DeviceMatch {
  hostId: string;
  displayName: string;
}

/** The devices whose display name or FQDN is `name` (case-insensitive, as KSC compares names). */
export async function devicesNamed(client: KscClient, name: string): Promise<DeviceMatch[]> {
  const rows = await client.inventory.findByName(name, ["hostId", "displayName", "fqdn"]);
  const byId = new Map<string, DeviceMatch>();
  for (const r of rows) {
    if (sameName(r.displayName, name) || sameName(r.fqdn, name)) {
      byId.set(r.hostId, { hostId: r.hostId, displayName: r.displayName });
    }
  }
  return [...byId.values()];
}

/** `--device NAME`: exactly one device, or a usage error that lists the matches. */
export async function deviceByName(client: KscClient, name: string): Promise<DeviceMatch> {
  const found = await devicesNamed(client, name);
  if (found.length === 0)
    throw new UsageError(`--device ${JSON.stringify(name)}: no managed device has this display name or FQDN`);
  if (found.length > 1) {
    throw new UsageError(
      `--device ${JSON.stringify(name)}: ${found.length} devices match (${found.map((d) => `host id ${d.hostId}`).join(", ")}); use --host-id instead`,
    );
  }
  return found[0];
}

/** The group's own Network Agent policies (not those inherited from parent groups). */
export async function ownNetworkAgentPolicies(
  client: KscClient,
  keys: KeyNames,
  group: GroupInfo,
): Promise<PolicyRecord[]> {
  const na = keys.networkAgent;
  return (await client.policy.getPoliciesForGroup(group.id)).filter(
    (p) => !p.inherited && p.groupId === group.id && p.product === na.product && p.version === na.version,
  );
}

/** One policy of the group to probe: the one asked for, the only one, or the only active one. */
export async function probePolicy(
  client: KscClient,
  keys: KeyNames,
  group: GroupInfo,
  policyId?: number,
): Promise<PolicyRecord> {
  const list = await ownNetworkAgentPolicies(client, keys, group);
  const describe = (p: PolicyRecord) => `${p.id} "${p.displayName}"${p.active ? "" : " (inactive)"}`;
  if (policyId !== undefined) {
    const p = list.find((x) => x.id === policyId);
    if (!p) {
      throw new UsageError(
        `--policy ${policyId}: not a Network Agent policy of group "${group.path}"${list.length ? ` (its policies: ${list.map(describe).join(", ")})` : ""}`,
      );
    }
    return p;
  }
  if (list.length === 0) {
    throw new PreconditionError(
      `group "${group.path}" has no Network Agent policy of its own: create one in the console, or choose another group with --group`,
    );
  }
  if (list.length === 1) return list[0];
  const active = list.filter((p) => p.active);
  if (active.length === 1) return active[0];
  throw new UsageError(
    `group "${group.path}" has several Network Agent policies: choose one with --policy ID (${list.map(describe).join(", ")})`,
  );
}
