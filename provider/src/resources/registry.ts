// What this provider process has seen of the program: which resource claimed which console object, and the
// ports declared for each DP. check() runs once per resource (again, with the same name, when it is replaced) in
// the one provider process that serves a deployment; this lets it catch two resources of a program managing the
// same object (two PushServers on one DP, two DistributionPoints on one device, two policies with one name on
// one group), or a push port equal to a DP port declared in the same program, before anything is written.
// Never a source of truth: it only adds failures.
import { DpPorts } from "./dpObject";
import { GroupRef } from "./groups";

const claims = new Map<string, string>();
const dpPorts = new Map<string, DpPorts>();

/** Record that resource `resourceName` of `kind` manages the object `key`; returns the name of another resource
 *  of the program that already does, if any. */
export function claim(kind: string, key: string, resourceName: string): string | undefined {
  const k = `${kind}\u0000${key}`;
  const other = claims.get(k);
  if (other !== undefined && other !== resourceName) return other;
  claims.set(k, resourceName);
  return undefined;
}

interface PolicyClaim {
  resourceName: string;
  name: string;
  group: GroupRef;
  /** The group's id, when the check resolved it (a new or changed declaration). */
  groupId?: number;
}

const policyClaims: PolicyClaim[] = [];

/**
 * Record that resource `resourceName` manages the policy `name` of group `group` (resolved to `groupId` when the
 * check did so); returns the name of another resource of the program that already does, if any. A group is
 * resolved here only when another resource claims a policy of the same name, so that checking an unchanged
 * declaration does not read the group tree.
 */
export async function claimPolicy(
  claim: Omit<PolicyClaim, "groupId"> & { groupId?: number },
  resolveGroupId: (group: GroupRef) => Promise<number | undefined>,
): Promise<string | undefined> {
  const mine = policyClaims.findIndex((c) => c.resourceName === claim.resourceName);
  if (mine >= 0) policyClaims.splice(mine, 1);
  let groupId = claim.groupId;
  for (const other of policyClaims) {
    if (other.name !== claim.name) continue;
    if (JSON.stringify(other.group) === JSON.stringify(claim.group)) return other.resourceName;
    groupId ??= await resolveGroupId(claim.group);
    other.groupId ??= await resolveGroupId(other.group);
    if (groupId !== undefined && other.groupId === groupId) return other.resourceName;
  }
  policyClaims.push({ ...claim, groupId });
  return undefined;
}

export function declareDpPorts(hostId: string, ports: DpPorts): void {
  dpPorts.set(hostId, ports);
}

export function declaredDpPorts(hostId: string): DpPorts | undefined {
  return dpPorts.get(hostId);
}

/** For tests: forget everything. */
export function resetRegistry(): void {
  claims.clear();
  policyClaims.length = 0;
  dpPorts.clear();
}
