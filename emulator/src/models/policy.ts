// Policy model: policies of administration groups (docs/ksc-open-api.md#policy, #policy-attributes).
import { datetime, KParams, KValue, params, typeName } from "../codec";
import { Backend } from "../backend";
import { BadFormat, InvalidArgument, NotFound } from "../errors";
import { NA_PRODUCT, NA_VERSION, networkAgentPolicyDefaults } from "../seed";
import { ancestorsOf, Policy } from "../state";
import { checkName } from "./hostGroup";

/**
 * Product, version and section names: ≤ 31 characters, none of / \ : * ? " < >
 * (docs/ksc-open-api.md#sscontents)
 */
export const MAX_STORAGE_NAME_LENGTH = 31;
/** Policy.GetPoliciesForGroup's nGroupId for "all groups". */
const ALL_GROUPS = -1;
const FORBIDDEN_IN_STORAGE_NAMES = /[/\\:*?"<>]/;

export function checkStorageName(name: string, what: string): void {
  if (name.length > MAX_STORAGE_NAME_LENGTH) {
    throw new InvalidArgument(`${what} "${name}" is longer than ${MAX_STORAGE_NAME_LENGTH} characters`);
  }
  if (FORBIDDEN_IN_STORAGE_NAMES.test(name)) {
    throw new InvalidArgument(`${what} "${name}" contains one of / \\ : * ? " < >`);
  }
}

const CHANGEABLE: Record<string, "string" | "bool"> = {
  KLPOL_DN: "string",
  KLPOL_ACTIVE: "bool",
  KLPOL_ROAMING: "bool",
  KLPOL_ACCEPT_PARENT: "bool",
  KLPOL_FORCE_DISTRIB2CHILDREN: "bool",
};

export class PolicyModel {
  constructor(private readonly b: Backend) {}

  policy(id: number): Policy {
    const p = this.b.state.policies.get(id);
    if (!p) throw new NotFound(`policy ${id} not found`);
    return p;
  }

  attributes(p: Policy, inherited: boolean): KParams {
    const s = this.b.state;
    return params({
      KLPOL_ID: p.id,
      KLPOL_DN: p.displayName,
      KLPOL_PRODUCT: p.product,
      KLPOL_VERSION: p.version,
      KLPOL_CREATED: datetime(p.created),
      KLPOL_MODIFIED: datetime(p.modified),
      KLPOL_GROUP_ID: p.groupId,
      KLPOL_GROUP_NAME: s.groups.get(p.groupId)?.name ?? "",
      KLPOL_ACTIVE: p.active,
      KLPOL_ROAMING: p.roaming,
      KLPOL_ACCEPT_PARENT: p.acceptParent,
      KLPOL_FORCE_DISTRIB2CHILDREN: p.forceDistribToChildren,
      KLPOL_FORCED: false,
      KLPOL_INHERITED: inherited,
      KLPOL_HIDE_ON_SLAVES: p.hideOnSlaves,
      KLPOL_GSYN_ID: 1000 + p.id,
      KLPOL_PROFILES_NUM: 0,
    });
  }

  add(data: KParams): number {
    const get = (key: string, type: "string" | "int" | "bool", mandatory: boolean): KValue | undefined => {
      const v = data.map.get(key);
      if (v === undefined) {
        if (mandatory) throw new InvalidArgument(`pPolicyData.${key} is mandatory`);
        return undefined;
      }
      const ok =
        (type === "string" && typeof v === "string") ||
        (type === "int" && typeof v === "number") ||
        (type === "bool" && typeof v === "boolean");
      if (!ok) throw new BadFormat(`pPolicyData.${key}: expected ${type}, got ${typeName(v)}`);
      return v;
    };
    const dn = get("KLPOL_DN", "string", true) as string;
    const product = get("KLPOL_PRODUCT", "string", true) as string;
    const version = get("KLPOL_VERSION", "string", true) as string;
    const groupId = get("KLPOL_GROUP_ID", "int", true) as number;
    const active = get("KLPOL_ACTIVE", "bool", false) as boolean | undefined;
    const roaming = get("KLPOL_ROAMING", "bool", false) as boolean | undefined;
    const acceptParent = get("KLPOL_ACCEPT_PARENT", "bool", false) as boolean | undefined;
    const force = get("KLPOL_FORCE_DISTRIB2CHILDREN", "bool", false) as boolean | undefined;
    const hide = get("KLPOL_HIDE_ON_SLAVES", "bool", false) as boolean | undefined;
    checkName(dn, "pPolicyData.KLPOL_DN");
    if (product === "") throw new InvalidArgument("pPolicyData.KLPOL_PRODUCT must not be empty");
    if (version === "") throw new InvalidArgument("pPolicyData.KLPOL_VERSION must not be empty");
    checkStorageName(product, "pPolicyData.KLPOL_PRODUCT");
    checkStorageName(version, "pPolicyData.KLPOL_VERSION");
    const s = this.b.state;
    if (!s.groups.has(groupId) || groupId === s.superGroupId || groupId === s.unassignedGroupId) {
      throw new NotFound(`group ${groupId} not found`);
    }
    // Always a new policy: the server does not deduplicate by name (docs/ksc-open-api.md#policy,
    // #repeating-calls).
    const now = this.b.nowIso();
    const p: Policy = {
      id: s.nextPolicyId++,
      displayName: dn,
      product,
      version,
      groupId,
      active: active ?? false,
      roaming: roaming ?? false,
      acceptParent: acceptParent ?? true,
      forceDistribToChildren: force ?? false,
      hideOnSlaves: hide ?? false,
      created: now,
      modified: now,
      storage:
        product === NA_PRODUCT && version === NA_VERSION
          ? networkAgentPolicyDefaults(this.b.keys)
          : new Map([[product, new Map([[version, new Map()]])]]),
    };
    s.policies.set(p.id, p);
    if (p.active) this.deactivateSiblings(p);
    this.b.touch();
    return p.id;
  }

  /** One active (non-roaming) policy per product in a group: activating one deactivates the others. */
  private deactivateSiblings(p: Policy): void {
    for (const other of this.b.state.policies.values()) {
      if (
        other.id !== p.id &&
        other.groupId === p.groupId &&
        other.product === p.product &&
        other.version === p.version &&
        other.roaming === p.roaming
      ) {
        other.active = false;
      }
    }
  }

  update(id: number, data: KParams): void {
    const p = this.policy(id);
    const readOnly: Record<string, KValue> = {
      KLPOL_ID: p.id,
      KLPOL_PRODUCT: p.product,
      KLPOL_VERSION: p.version,
      KLPOL_GROUP_ID: p.groupId,
    };
    // Validate everything first: a rejected call changes nothing.
    for (const [k, v] of data.map) {
      const type = CHANGEABLE[k];
      if (type) {
        if ((type === "string" && typeof v !== "string") || (type === "bool" && typeof v !== "boolean")) {
          throw new BadFormat(`pPolicyData.${k}: expected ${type}, got ${typeName(v)}`);
        }
        if (k === "KLPOL_DN") checkName(v as string, "pPolicyData.KLPOL_DN");
      } else if (k in readOnly && v !== readOnly[k]) {
        throw new InvalidArgument(`pPolicyData.${k} cannot be changed`);
      }
      // Other attributes (KLPOL_CREATED, KLPOL_INHERITED, …) are read-only and ignored.
    }
    const v = data.map;
    if (typeof v.get("KLPOL_DN") === "string") p.displayName = v.get("KLPOL_DN") as string;
    if (typeof v.get("KLPOL_ROAMING") === "boolean") p.roaming = v.get("KLPOL_ROAMING") as boolean;
    if (typeof v.get("KLPOL_ACCEPT_PARENT") === "boolean")
      p.acceptParent = v.get("KLPOL_ACCEPT_PARENT") as boolean;
    if (typeof v.get("KLPOL_FORCE_DISTRIB2CHILDREN") === "boolean") {
      p.forceDistribToChildren = v.get("KLPOL_FORCE_DISTRIB2CHILDREN") as boolean;
    }
    if (typeof v.get("KLPOL_ACTIVE") === "boolean") {
      p.active = v.get("KLPOL_ACTIVE") as boolean;
      if (p.active) this.deactivateSiblings(p);
    }
    p.modified = this.b.nowIso();
    this.b.touch();
  }

  makeActive(id: number, active: boolean): boolean {
    const p = this.policy(id);
    p.active = active;
    if (active) this.deactivateSiblings(p);
    p.modified = this.b.nowIso();
    this.b.touch();
    return true;
  }

  remove(id: number): void {
    this.policy(id);
    this.b.state.policies.delete(id);
    this.b.touch();
  }

  private group(id: number): void {
    const s = this.b.state;
    if (!s.groups.has(id) || id === s.superGroupId) throw new NotFound(`group ${id} not found`);
  }

  /** The group's own policies, then those of its ancestors (KLPOL_INHERITED true). Group -1 means "all groups"
   *  (docs/ksc-open-api.md#policy): every policy, each under its own group, none marked inherited. */
  forGroup(groupId: number): KParams[] {
    if (groupId === ALL_GROUPS)
      return [...this.b.state.policies.values()].map((p) => this.attributes(p, false));
    this.group(groupId);
    const all = [...this.b.state.policies.values()];
    const own = all.filter((p) => p.groupId === groupId).map((p) => this.attributes(p, false));
    const inherited = ancestorsOf(this.b.state, groupId).flatMap((g) =>
      all.filter((p) => p.groupId === g.id).map((p) => this.attributes(p, true)),
    );
    return [...own, ...inherited];
  }

  /** Per product/version, the active policy nearest to the group. */
  effectiveForGroup(groupId: number): KParams[] {
    this.group(groupId);
    const all = [...this.b.state.policies.values()].filter((p) => p.active && !p.roaming);
    const chain = [groupId, ...ancestorsOf(this.b.state, groupId).map((g) => g.id)];
    const chosen = new Map<string, KParams>();
    for (const gid of chain) {
      for (const p of all.filter((x) => x.groupId === gid)) {
        const key = `${p.product}\u0000${p.version}`;
        if (!chosen.has(key)) chosen.set(key, this.attributes(p, gid !== groupId));
      }
    }
    return [...chosen.values()];
  }
}
