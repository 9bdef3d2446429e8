// Policy (docs/ksc-open-api.md#policy, #policy-attributes).
import { KscParams, NewPolicy, PolicyApi, PolicyDataChange, PolicyRecord } from "./api";
import { asArray, asNumber, asParams, asString, optBoolean, optString } from "./codec";
import { Caller, IDEMPOTENT_WRITE, READ, WRITE } from "./caller";
import { KeyNames } from "./keys";

/** The attributes a caller sets: the client's field names are the logical key names of keys.ts (group `policy`). */
/** GetPoliciesForGroup's nGroupId for "all groups". */
const ALL_GROUPS = -1;
const SETTABLE = ["displayName", "active", "acceptParent", "forceDistribToChildren"] as const;

export class PolicyClient implements PolicyApi {
  constructor(
    private readonly c: Caller,
    private readonly keys: KeyNames,
  ) {}

  /**
   * Always creates a new policy (docs/ksc-open-api.md#repeating-calls): never repeated on transient failures.
   */
  async addPolicy(policy: NewPolicy): Promise<number> {
    const k = this.keys.policy;
    const data: KscParams = {
      ...this.settable(policy),
      [k.product]: policy.product,
      [k.version]: policy.version,
      [k.groupId]: policy.groupId,
    };
    const m = "Policy.AddPolicy";
    const r = await this.c.call(m, { pPolicyData: data }, WRITE);
    return asNumber(r.PxgRetVal, `${m} PxgRetVal`);
  }

  async getPolicyData(policyId: number): Promise<PolicyRecord> {
    const m = "Policy.GetPolicyData";
    const r = await this.c.call(m, { nPolicy: policyId }, READ);
    return this.record(asParams(r.PxgRetVal, `${m} PxgRetVal`), m);
  }

  /** Sets the given attributes to the given values: repeating it gives the same result. */
  async updatePolicyData(policyId: number, change: PolicyDataChange): Promise<void> {
    const data = this.settable(change);
    await this.c.call("Policy.UpdatePolicyData", { nPolicy: policyId, pPolicyData: data }, IDEMPOTENT_WRITE);
  }

  /** The settable attributes that are given, under their key names. */
  private settable(fields: PolicyDataChange): KscParams {
    const data: KscParams = {};
    for (const f of SETTABLE) {
      const v = fields[f];
      if (v !== undefined) data[this.keys.policy[f]] = v;
    }
    return data;
  }

  /** Not repeated on transient failures: a repeat after success would fail with "not found". */
  async deletePolicy(policyId: number): Promise<void> {
    await this.c.call("Policy.DeletePolicy", { nPolicy: policyId }, WRITE);
  }

  async getPoliciesForGroup(groupId: number): Promise<PolicyRecord[]> {
    return this.list("Policy.GetPoliciesForGroup", groupId);
  }

  /** nGroupId -1 means "all groups" (docs/ksc-open-api.md#policy): one reply, each policy under its own group. */
  async getAllPolicies(): Promise<PolicyRecord[]> {
    return this.list("Policy.GetPoliciesForGroup", ALL_GROUPS);
  }

  /** Opens an SsContents handle (current revision). A repeat on failure may leave a handle that expires by itself. */
  async getPolicyContents(policyId: number, lifetimeMs = 0): Promise<string> {
    const m = "Policy.GetPolicyContents";
    const r = await this.c.call(m, { nPolicy: policyId, nRevisionId: 0, nLifeTime: lifetimeMs }, READ);
    return asString(r.PxgRetVal, `${m} PxgRetVal`);
  }

  private async list(method: string, groupId: number): Promise<PolicyRecord[]> {
    const r = await this.c.call(method, { nGroupId: groupId }, READ);
    return asArray(r.PxgRetVal, `${method} PxgRetVal`).map((e, i) =>
      this.record(asParams(e, `${method} PxgRetVal[${i}]`), `${method} PxgRetVal[${i}]`),
    );
  }

  private record(p: KscParams, where: string): PolicyRecord {
    const k = this.keys.policy;
    return {
      id: asNumber(p[k.id], `${where} ${k.id}`),
      displayName: optString(p[k.displayName]) ?? "",
      product: optString(p[k.product]) ?? "",
      version: optString(p[k.version]) ?? "",
      groupId: asNumber(p[k.groupId], `${where} ${k.groupId}`),
      active: optBoolean(p[k.active]) ?? false,
      roaming: optBoolean(p[k.roaming]) ?? false,
      acceptParent: optBoolean(p[k.acceptParent]) ?? true,
      forceDistribToChildren: optBoolean(p[k.forceDistribToChildren]) ?? false,
      inherited: optBoolean(p[k.inherited]) ?? false,
      raw: p,
    };
  }
}
