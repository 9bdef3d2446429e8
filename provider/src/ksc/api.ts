// The typed surface of the KSC Open API, one interface per API class, and the records they return. The whole client
// (./client.ts KscClient) adds the typed views over them (inventory, networkAgent); the resources (../resources)
// only ever see those types. Nothing here knows Pulumi.
import type { DpObject } from "./dpObject";
import type { KscParams } from "./values";

export { KscLong, KscTyped } from "./values";
export type { KscParams, KscValue } from "./values";

/** One distribution point as listed by GetUpdateAgentsList. */
export interface UpdateAgentDisplayInfo {
  hostId: string;
  displayName: string;
  isConnectionGateway: boolean;
}

/** A managed device as returned by FindHosts (only the fields the provider asks for). */
export interface HostRecord {
  hostId: string; // KLHST_WKS_HOSTNAME
  displayName: string; // KLHST_WKS_DN
  groupId: number; // KLHST_WKS_GROUPID
  fqdn?: string; // KLHST_WKS_FQDN
  [attribute: string]: unknown;
}

export interface GroupRecord {
  id: number;
  name: string;
  parentId: number | null;
  fullName?: string; // grp_full_name
}

/** Policy common attributes (KLPOL_*) decoded to friendly names; `raw` keeps the decoded params. */
export interface PolicyRecord {
  id: number;
  displayName: string;
  product: string;
  version: string;
  groupId: number;
  active: boolean;
  roaming: boolean;
  acceptParent: boolean;
  forceDistribToChildren: boolean;
  inherited: boolean;
  raw: KscParams;
}

export interface NewPolicy {
  displayName: string;
  product: string;
  version: string;
  groupId: number;
  active?: boolean;
  acceptParent?: boolean;
  forceDistribToChildren?: boolean;
}

export type PolicyDataChange = Partial<
  Pick<NewPolicy, "displayName" | "active" | "acceptParent" | "forceDistribToChildren">
>;

/** A structured FindHosts/FindGroups filter; the client renders and escapes it (never string-concatenate). */
export type HostFilter =
  | { op: "=" | "<>" | "<" | ">" | "<=" | ">="; attribute: string; value: string | number | boolean }
  | { op: "and" | "or"; clauses: HostFilter[] }
  | { op: "not"; clause: HostFilter };

export interface SessionApi {
  /** End the session if one is open (idempotent). */
  end(): Promise<void>;
}

export interface UaControlApi {
  getAssignUasAutomatically(): Promise<boolean>;
  setAssignUasAutomatically(enabled: boolean): Promise<void>;
  /** The server's template for a new DP. */
  getDefaultUpdateAgentRegistrationInfo(): Promise<DpObject>;
  registerUpdateAgent(dp: DpObject): Promise<void>;
  /** Replaces the whole object, scope included: always pass the full object (read-modify-write). */
  modifyUpdateAgent(dp: DpObject): Promise<void>;
  unregisterUpdateAgent(hostId: string): Promise<void>;
  /** Throws a KscError with isNotFound(err) === true when the host is not a DP. */
  getUpdateAgentInfo(hostId: string): Promise<DpObject>;
  getUpdateAgentsList(): Promise<UpdateAgentDisplayInfo[]>;
}

export interface HostGroupApi {
  groupIdGroups(): Promise<number>;
  /** FindHosts + ChunkAccessor paging + Release, as one call. */
  findHosts(filter: HostFilter, fields: string[]): Promise<HostRecord[]>;
  findGroups(filter: HostFilter, fields?: string[]): Promise<GroupRecord[]>;
  getHostInfo(hostId: string, fields: string[]): Promise<KscParams>;
}

export interface PolicyApi {
  addPolicy(policy: NewPolicy): Promise<number>;
  getPolicyData(policyId: number): Promise<PolicyRecord>;
  updatePolicyData(policyId: number, change: PolicyDataChange): Promise<void>;
  deletePolicy(policyId: number): Promise<void>;
  getPoliciesForGroup(groupId: number): Promise<PolicyRecord[]>;
  /** Every group's policies in one call (GetPoliciesForGroup with nGroupId -1, "all groups"). */
  getAllPolicies(): Promise<PolicyRecord[]>;
  /** Opens an SsContents handle for the policy's current revision. Release it with ssContents.release. */
  getPolicyContents(policyId: number, lifetimeMs?: number): Promise<string>;
}

export interface SsContentsApi {
  getNames(handle: string, product: string, version: string): Promise<string[]>;
  read(handle: string, product: string, version: string, section: string): Promise<KscParams>;
  update(handle: string, product: string, version: string, section: string, data: KscParams): Promise<void>;
  add(handle: string, product: string, version: string, section: string, data: KscParams): Promise<void>;
  replace(handle: string, product: string, version: string, section: string, data: KscParams): Promise<void>;
  clear(handle: string, product: string, version: string, section: string, data: KscParams): Promise<void>;
  delete(handle: string, product: string, version: string, section: string, data: KscParams): Promise<void>;
  apply(handle: string): Promise<void>;
  release(handle: string): Promise<void>;
}

/** Helpers over SsContents for a policy: open, do, (apply), always release. */
export interface PolicySettingsApi {
  readSection(policyId: number, product: string, version: string, section: string): Promise<KscParams>;
  /**
   * Every section of the product+version, on one handle (released; nothing applied). A section that cannot be read
   * fails the whole read, or, with `onSectionError`, is left out after the callback heard it (it may rethrow).
   */
  readAllSections(
    policyId: number,
    product: string,
    version: string,
    onSectionError?: (section: string, err: unknown) => void,
  ): Promise<Record<string, KscParams>>;
  /**
   * Ss_Read of one section, then Ss_Update of the variables `change` makes from what it holds, then Ss_Apply: one
   * handle, always released. Reading first lets a caller keep what it does not own (the other elements of an array)
   * and refuse, before anything is written, names the section does not hold: `change` may throw, and nothing is
   * written then. Unlike Ss_Replace, Ss_Update fails (KLPRSS 1125, isNotFound) when a variable does not
   * exist, so a wrong key name is an error instead of a new, meaningless variable.
   */
  updateInSection(
    policyId: number,
    product: string,
    version: string,
    section: string,
    change: (current: KscParams) => KscParams,
  ): Promise<void>;
}
