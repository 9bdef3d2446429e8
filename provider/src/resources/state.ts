// What one provider process holds between the engine's calls: ONE object, `ProcessState`, made by the glue when the
// process starts serving (../pulumi/impl.ts; a test makes its own with ./testing/context) and reached by every
// resource function through its context (`ctx.state`). Nothing here is a source of truth: the claims and declared
// ports only add failures at check, the lock only orders this process's own writes, and the values read once are
// read again by the next process.
//
// What may rely on the order in which the engine checks resources, and why that is safe:
// - The engine checks one resource at a time, in the order the program registers them, and that order is not fixed
//   (a new declaration may be written above the stack's own one; resource types register independently; a
//   PushServer given `dp.hostId` registers only once its DP did).
// - Declared DP ports (`declareDpPorts`, read by a PushServer's check). A PushServer given `dp.hostId` is always
//   checked after its DP, so its port is compared with the ports the program declares. One given a literal host id
//   may come first: then it is compared with the console as it is now (its host's current ports; a host that is no
//   DP yet fails with a reason that says to pass `dp.hostId`, which fixes the order). Either way nothing is written
//   at check: PushServer create/update compare the port again with the DP object they read under the host's lock,
//   and DistributionPoint create (adopt)/update compare its ports with the push server the console has, so a clash
//   the check could not see still fails before the write that would make it, with fresh data.
// - Claims (`claim`, `claimPolicy`): the second of two resources managing one console object fails, whichever comes
//   first; `claim` gives the failure to the new declaration when the stack's own resource comes second (see there).
//   A duplicate the check did not catch still meets create, which looks for the object by its natural key first
//   and stops when it holds other settings ("already is a distribution point", "a push server already runs").
// - Values read once (`once`) and process values (`processState`) are optimisations: the DP list, the registration
//   template, the device list; a lookup they skip is made again where the answer matters (see their users).
import { CheckFailure, RESOURCE_NAME_KEY } from "./names";
import type { DpPorts } from "../ksc/dpObject";
import type { GroupRef } from "./groups";
import type { ResourceKind } from "./schemaTypes";

/**
 * A per-key async mutex. DistributionPoint and PushServer both rewrite the whole DP object of a host
 * (ModifyUpdateAgent replaces it), so their read-modify-write cycles on one host must not interleave. It lives in
 * the provider process only: an optimisation against lost updates within one `pulumi up`, never a source of truth.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Run `fn` when every earlier holder of `key` has finished (whether it succeeded or failed). */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      // Forget the key when nobody queued behind us, so the map does not grow with every host ever seen.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys currently held or waited for (for tests). */
  get size(): number {
    return this.tails.size;
  }
}

interface Claim {
  resourceName: string;
  /** The resource's old inputs already name this object: the stack manages it with this resource. */
  incumbent: boolean;
  /** Whether the resource's check passed (undefined until it finished). */
  passed?: boolean;
}

/** Another resource of the program that manages the same object. */
export interface OtherClaim {
  resourceName: string;
  /** The stack already manages the object with that resource (it is not a new declaration). */
  incumbent: boolean;
  /** Set when this resource is the stack's incumbent and the other one is a new declaration checked before it: its
   *  check already ended, so only this one can still stop the run (see `claim`). */
  newcomerPassed?: boolean;
}

interface PolicyClaim {
  resourceName: string;
  name: string;
  group: GroupRef;
  /** The group's id, when the check resolved it (a new or changed declaration). */
  groupId?: number;
}

/** Everything one provider process keeps between the engine's calls (see the top of this file). */
export class ProcessState {
  /** The lock for DP objects, keyed by host id: held around every read-modify-write of a DP object. */
  readonly dpHostLock = new KeyedLock();
  private readonly claims = new Map<string, Claim>();
  private readonly policyClaims: PolicyClaim[] = [];
  private readonly dpPorts = new Map<string, DpPorts>();
  private readonly values = new Map<string, unknown>();

  /**
   * Record that resource `resourceName` of `kind` manages the object `key` (`incumbent`: its old inputs already
   * name that object); returns the other resource of the program that manages it too, if any.
   *
   * The engine checks resources one at a time, in the order the program registers them, so which of two
   * declarations of one object comes first is not fixed (a new declaration may be written above the existing one,
   * and two resource types register independently). The failure belongs to the new declaration whatever the order:
   * when the stack's own resource (the incumbent) comes second, it takes the claim over and is told about the
   * newcomer only so that it can stop the run when the newcomer's check passed (`newcomerPassed`); a newcomer whose
   * check already failed says what is wrong by itself.
   */
  claim(kind: ResourceKind, key: string, resourceName: string, incumbent: boolean): OtherClaim | undefined {
    const k = `${kind}\u0000${key}`;
    const other = this.claims.get(k);
    if (other === undefined || other.resourceName === resourceName) {
      this.claims.set(k, { resourceName, incumbent, passed: other?.passed });
      return undefined;
    }
    if (incumbent && !other.incumbent) {
      this.claims.set(k, { resourceName, incumbent });
      return { resourceName: other.resourceName, incumbent: false, newcomerPassed: other.passed !== false };
    }
    return { resourceName: other.resourceName, incumbent: other.incumbent };
  }

  /**
   * Run the checks of a resource that claims its DP host (`news.hostId`, known once `checks` ran) and record how
   * they ended, for the stack's own resource checked later (see `claim`).
   */
  async settledClaim(
    kind: ResourceKind,
    news: { hostId?: string; [RESOURCE_NAME_KEY]?: string },
    checks: () => Promise<CheckFailure[]>,
  ): Promise<CheckFailure[]> {
    const failures = await checks();
    const c = typeof news.hostId === "string" ? this.claims.get(`${kind}\u0000${news.hostId}`) : undefined;
    if (c !== undefined && c.resourceName === news[RESOURCE_NAME_KEY]) c.passed = failures.length === 0;
    return failures;
  }

  /**
   * Record that resource `resourceName` manages the policy `name` of group `group` (resolved to `groupId` when the
   * check did so); returns the name of another resource of the program that already does, if any. A group is
   * resolved here only when another resource claims a policy of the same name, so that checking an unchanged
   * declaration does not read the group tree.
   */
  async claimPolicy(
    claim: PolicyClaim,
    resolveGroupId: (group: GroupRef) => Promise<number | undefined>,
  ): Promise<string | undefined> {
    const mine = this.policyClaims.findIndex((c) => c.resourceName === claim.resourceName);
    if (mine >= 0) this.policyClaims.splice(mine, 1);
    let groupId = claim.groupId;
    for (const other of this.policyClaims) {
      if (other.name !== claim.name) continue;
      if (JSON.stringify(other.group) === JSON.stringify(claim.group)) return other.resourceName;
      groupId ??= await resolveGroupId(claim.group);
      other.groupId ??= await resolveGroupId(other.group);
      if (groupId !== undefined && other.groupId === groupId) return other.resourceName;
    }
    this.policyClaims.push({ ...claim, groupId });
    return undefined;
  }

  /** The ports a DistributionPoint of the program declares for its host (see the top of this file on order). */
  declareDpPorts(hostId: string, ports: DpPorts): void {
    this.dpPorts.set(hostId, ports);
  }

  declaredDpPorts(hostId: string): DpPorts | undefined {
    return this.dpPorts.get(hostId);
  }

  /** This process's value `name` (what it has seen or done so far), made by `init()` on first use. */
  processState<T>(name: string, init: () => T): T {
    if (!this.values.has(name)) this.values.set(name, init());
    return this.values.get(name) as T;
  }

  /** The value of `name` for this process: `load()` runs on first use, and again after it failed. */
  once<T>(name: string, load: () => Promise<T>): Promise<T> {
    const held = this.processState(`value: ${name}`, () => ({ value: undefined as Promise<T> | undefined }));
    if (held.value) return held.value;
    const loading = load();
    loading.catch(() => {
      if (held.value === loading) held.value = undefined;
    });
    held.value = loading;
    return loading;
  }
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
