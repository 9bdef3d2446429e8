// What this provider process has seen of the program: which resource claimed which console object, and the
// ports declared for each DP. check() runs once per resource (again, with the same name, when it is replaced) in
// the one provider process that serves a deployment; this lets it catch two resources of a program managing the
// same object (two PushServers on one DP, two DistributionPoints on one device, two policies with one name on
// one group), or a push port equal to a DP port declared in the same program, before anything is written.
// Never a source of truth: it only adds failures.
import { CheckFailure, RESOURCE_NAME_KEY } from "./common";
import { DpPorts } from "./dpObject";
import { GroupRef } from "./groups";
import type { ResourceKind } from "./schemaTypes";

interface Claim {
  resourceName: string;
  /** The resource's old inputs already name this object: the stack manages it with this resource. */
  incumbent: boolean;
  /** Whether the resource's check passed (undefined until it finished). */
  passed?: boolean;
}

const claims = new Map<string, Claim>();
const dpPorts = new Map<string, DpPorts>();

/** Another resource of the program that manages the same object. */
export interface OtherClaim {
  resourceName: string;
  /** The stack already manages the object with that resource (it is not a new declaration). */
  incumbent: boolean;
  /** Set when this resource is the stack's incumbent and the other one is a new declaration checked before it: its
   *  check already ended, so only this one can still stop the run (see `claim`). */
  newcomerPassed?: boolean;
}

/**
 * Record that resource `resourceName` of `kind` manages the object `key` (`incumbent`: its old inputs already name
 * that object); returns the other resource of the program that manages it too, if any.
 *
 * The engine checks resources one at a time, in the order the program registers them, so which of two declarations
 * of one object comes first is not fixed (a new declaration may be written above the existing one, and two resource
 * types register independently). The failure belongs to the new declaration whatever the order: when the stack's
 * own resource (the incumbent) comes second, it takes the claim over and is told about the newcomer only so that it
 * can stop the run when the newcomer's check passed (`newcomerPassed`); a newcomer whose check already failed says
 * what is wrong by itself.
 */
export function claim(
  kind: ResourceKind,
  key: string,
  resourceName: string,
  incumbent: boolean,
): OtherClaim | undefined {
  const k = `${kind}\u0000${key}`;
  const other = claims.get(k);
  if (other === undefined || other.resourceName === resourceName) {
    claims.set(k, { resourceName, incumbent, passed: other?.passed });
    return undefined;
  }
  if (incumbent && !other.incumbent) {
    claims.set(k, { resourceName, incumbent });
    return { resourceName: other.resourceName, incumbent: false, newcomerPassed: other.passed !== false };
  }
  return { resourceName: other.resourceName, incumbent: other.incumbent };
}

/**
 * Run the checks of a resource that claims its DP host (`news.hostId`, known once `checks` ran) and record how they
 * ended, for the stack's own resource checked later (see `claim`).
 */
export async function settledClaim(
  kind: ResourceKind,
  news: { hostId?: string; [RESOURCE_NAME_KEY]?: string },
  checks: () => Promise<CheckFailure[]>,
): Promise<CheckFailure[]> {
  const failures = await checks();
  const c = typeof news.hostId === "string" ? claims.get(`${kind}\u0000${news.hostId}`) : undefined;
  if (c !== undefined && c.resourceName === news[RESOURCE_NAME_KEY]) c.passed = failures.length === 0;
  return failures;
}

/**
 * Why a resource cannot manage `object` that `other` manages too, told to the resource being checked. `kind` is
 * the resource type, `verb` what a resource does with the object ("manages", "runs"), `rule` why one is enough
 * (e.g. "a device has one DistributionPoint").
 */
export function duplicateReason(
  kind: ResourceKind,
  other: OtherClaim,
  what: { verb: string; object: string; rule: string },
): string {
  const name = JSON.stringify(other.resourceName);
  const { verb, object, rule } = what;
  if (other.newcomerPassed !== undefined) {
    return (
      `${kind} ${name}, a new declaration in this program, is for ${object}, which this resource already ${verb} ` +
      `(${rule}): remove that declaration, or set it to another one`
    );
  }
  if (other.incumbent) {
    return `${kind} ${name} of this stack already ${verb} ${object} (${rule}): remove this declaration, or set it to another one`;
  }
  return `${kind} ${name} of this program already ${verb} ${object} (${rule})`;
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
