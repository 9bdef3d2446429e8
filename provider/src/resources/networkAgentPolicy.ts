// NetworkAgentPolicy: the Network Agent policy (product/version as the client names them) of an administration
// group, with the connectivity settings of the push-server procedure, each with its lock. Policy attributes go
// through AddPolicy/UpdatePolicyData; the settings through the client's typed Network Agent settings (one
// SsContents handle: Ss_Read, Ss_Update, Ss_Apply, always released). A policy is found in the console by its group
// and name (AddPolicy always makes a new one).
import { PolicyDataChange, PolicyRecord } from "../ksc/api";
import { isNotFound } from "../ksc/errors";
import { Locked as LockedValue, NA_SETTINGS, NaSettingName, NaSettings } from "../ksc/networkAgent";
import {
  CheckFailure,
  CheckResult,
  CreatedWithErrorsError,
  DiffResult,
  InputError,
  RESOURCE_NAME_KEY,
  ResourceContext,
  containsUnknown,
  createConfirmed,
  deleteConfirmed,
  doing,
  errorText,
  isNewResource,
  isUnknown,
  quote,
  unchangedDeclaration,
} from "./common";
import { GroupInfo, GroupRef, normalGroupRef, samePath } from "./groups";
import type {
  LockedBooleanChecked,
  LockedPortChecked,
  NetworkAgentPolicyCheckedInputs as Inputs,
  NetworkAgentPolicyOutputs as Outputs,
} from "./schema.generated";
import { ResourceProvider, diffResult } from "./provider";
import type { ResourceKind } from "./schemaTypes";
import { validateInputs } from "./validation";

export { NA_SETTINGS };

type Locked = LockedValue<boolean | number>;
type Settings = Partial<Record<NaSettingName, Locked>>;

/** The policy attributes: schema property → the client's PolicyRecord field. The one place they are paired. */
const ATTRIBUTES = [
  { name: "name", record: "displayName" },
  { name: "active", record: "active" },
  { name: "inheritFromParent", record: "acceptParent" },
  { name: "forceInheritance", record: "forceDistribToChildren" },
] as const;

type AttributeName = (typeof ATTRIBUTES)[number]["name"];
type Attributes = Pick<Outputs, AttributeName>;
type RecordAttributes = Pick<PolicyRecord, (typeof ATTRIBUTES)[number]["record"]>;

/** A record's attributes, by schema property. */
function attributesOf(p: RecordAttributes): Attributes {
  const out: Record<string, unknown> = {};
  for (const a of ATTRIBUTES) out[a.name] = p[a.record];
  return out as Attributes;
}

/** Declared attributes (those set), as the client's record fields. */
function recordAttributes(i: Partial<Attributes>): Partial<RecordAttributes> {
  const out: Record<string, unknown> = {};
  for (const a of ATTRIBUTES) if (i[a.name] !== undefined) out[a.record] = i[a.name];
  return out as Partial<RecordAttributes>;
}

/** The declared attributes that differ from the record's, as the client's change. */
function attributeChange(p: PolicyRecord, i: Partial<Attributes>): PolicyDataChange {
  const out: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(recordAttributes(i))) {
    if (p[field as keyof RecordAttributes] !== v) out[field] = v;
  }
  return out as PolicyDataChange;
}

function describePolicy(id: number, name?: string): string {
  return name ? `policy ${quote(name)} (id ${id})` : `policy ${id}`;
}

// ---- check ----

export function check(_olds: Record<string, unknown>, news: Record<string, unknown>): CheckResult<Inputs> {
  const result = validateInputs<Inputs>("NetworkAgentPolicy", news);
  if (result.failures.length === 0) result.inputs.group = normalGroupRef(result.inputs.group); // "a/b/" is "a/b"
  return result;
}

/** Read-only checks for known values: the group exists; for a new resource, a policy of the same name on the
 *  group is either equal to the declaration or adopted. An existing resource whose group did not change is not
 *  looked up again. */
export async function verify(
  ctx: ResourceContext,
  olds: Record<string, unknown>,
  news: Inputs & { [RESOURCE_NAME_KEY]?: string },
): Promise<CheckFailure[]> {
  if (isUnknown(news.group)) return [];
  let group: GroupInfo | undefined;
  if (!unchangedDeclaration(olds, news, ["group"])) {
    try {
      group = await ctx.groups.resolve(news.group, "group");
    } catch (err) {
      if (err instanceof InputError) return [{ property: err.property, reason: err.reason }];
      throw err;
    }
  }
  const resourceName = news[RESOURCE_NAME_KEY];
  if (typeof resourceName === "string" && !isUnknown(news.name)) {
    const other = await ctx.state.claimPolicy(
      { resourceName, name: news.name, group: news.group, groupId: group?.id },
      async (ref) => (await ctx.groups.byRef(ref))?.id,
    );
    if (other !== undefined) {
      const where = group?.path ?? (typeof news.group === "number" ? `id ${news.group}` : news.group);
      return [
        {
          property: "name",
          reason: `NetworkAgentPolicy ${quote(other)} of this program already manages the policy ${quote(news.name)} of group ${quote(where)}`,
        },
      ];
    }
  }
  if (!group) return [];
  if (!isNewResource(olds) || news.adopt || containsUnknown(news)) return [];
  const existing = await findByNameForCreate(ctx, group.id, news.name);
  if (existing.length > 1) return [{ property: "name", reason: severalMessage(existing, group) }];
  if (existing.length === 1) {
    const differences = differencesFrom(news, existing[0], await readSettings(ctx, existing[0].id));
    if (differences.length > 0) {
      return [{ property: "name", reason: alreadyExistsMessage(existing[0], group, differences) }];
    }
  }
  return [];
}

function alreadyExistsMessage(p: PolicyRecord, group: GroupInfo, differences: string[]): string {
  return (
    `a Network Agent ${describePolicy(p.id, p.displayName)} already exists on group ${quote(group.path)}, with other settings (${differences.join("; ")}). ` +
    "To manage it with this resource, set adopt: true (its settings are then changed to the declared ones; consider the retainOnDelete resource option), or choose another name"
  );
}

function severalMessage(list: PolicyRecord[], group: GroupInfo): string {
  return `${list.length} Network Agent policies named ${quote(list[0].displayName)} exist on group ${quote(group.path)} (ids ${list.map((p) => p.id).join(", ")}); rename all but one in the console, or choose another name`;
}

// ---- console access ----

/** The group's own Network Agent policies with this name (not those inherited from parent groups), from a
 *  listing of the group or of all groups. */
function named(all: PolicyRecord[], ctx: ResourceContext, groupId: number, name: string): PolicyRecord[] {
  const na = ctx.client.networkAgent.product;
  return all.filter(
    (p) =>
      !p.inherited &&
      p.groupId === groupId &&
      p.product === na.product &&
      p.version === na.version &&
      p.displayName === name,
  );
}

/** The group's own Network Agent policies with this name, asked of the console now. */
async function findByName(ctx: ResourceContext, groupId: number, name: string): Promise<PolicyRecord[]> {
  return named(await ctx.client.policy.getPoliciesForGroup(groupId), ctx, groupId, name);
}

/** What the checks of new declarations listed in this provider process (findByNameForCreate). */
interface CheckListings {
  /** Every group's policies, listed once for all the checks of the process (GetPoliciesForGroup, -1). */
  all?: Promise<PolicyRecord[]>;
  /** Groups this process added or deleted a policy on since: the listing above is stale for them. */
  written: Set<number>;
  /** The (group, name) pairs a check looked up in the listing: each one's create may take it, once. */
  checked: Set<string>;
}

const checkListings = (ctx: ResourceContext) =>
  ctx.state.processState(
    "policy listings for create",
    (): CheckListings => ({ written: new Set(), checked: new Set() }),
  );

const listingKey = (groupId: number, name: string) => `${groupId}\u0000${name}`;

/**
 * findByName for a new policy. The checks of new declarations share one listing of all groups' policies per
 * provider process (GetPoliciesForGroup with -1: one call instead of one per group), and the create of a checked
 * declaration takes that listing instead of asking again, once. That keeps create idempotent: every policy made
 * before this process started (an earlier run's AddPolicy whose reply was lost among them) is in the listing;
 * within the process, only this resource makes a policy of this name on this group (the check refuses a second
 * declaration), and any AddPolicy, DeletePolicy or rename of this process on a group makes the listing stale for
 * that group, which is then listed on its own (forgetGroupListings). Someone else adding the same policy in the
 * console between the check and the create is the race that the documented API has in any case (AddPolicy always
 * adds); the next check names both policies. Used without a check (adopt, a retry, another process), it lists
 * the group afresh.
 */
async function findByNameForCreate(
  ctx: ResourceContext,
  groupId: number,
  name: string,
  use: "check" | "create" = "check",
): Promise<PolicyRecord[]> {
  const listings = checkListings(ctx);
  const key = listingKey(groupId, name);
  const fresh = !listings.written.has(groupId);
  if (use === "create") {
    const checked = listings.checked.delete(key);
    if (checked && fresh && listings.all) {
      return listings.all.then(
        (all) => named(all, ctx, groupId, name),
        () => findByName(ctx, groupId, name),
      );
    }
    return findByName(ctx, groupId, name);
  }
  if (!fresh) return findByName(ctx, groupId, name);
  if (!listings.all) {
    const all = ctx.client.policy.getAllPolicies();
    listings.all = all;
    all.catch(() => {
      if (listings.all === all) listings.all = undefined; // a failed listing is not kept: the next check asks again
    });
  }
  const found = named(await listings.all, ctx, groupId, name);
  listings.checked.add(key);
  return found;
}

/** The check's listing is stale for this group from now on (this process adds, deletes or renames a policy on it). */
function forgetGroupListings(ctx: ResourceContext, groupId: number): void {
  checkListings(ctx).written.add(groupId);
}

function readSettings(ctx: ResourceContext, policyId: number): Promise<Settings> {
  return ctx.client.networkAgent.readSettings(policyId);
}

/** The declared settings, written through one SsContents handle (Ss_Read, Ss_Update, Ss_Apply, release). */
async function writeSettings(ctx: ResourceContext, policyId: number, i: Inputs): Promise<void> {
  const warn = (w: string) => ctx.log("warn", `Network Agent ${describePolicy(policyId)}: ${w}`);
  await ctx.client.networkAgent.writeSettings(policyId, i as NaSettings, warn).catch((err: unknown) => {
    if (isNotFound(err)) throw new PolicyGoneError(policyId);
    throw err;
  });
}

/** The policy was not found while its settings were written. */
class PolicyGoneError extends Error {
  constructor(policyId: number) {
    super(`the Network Agent policy ${policyId} no longer exists`);
  }
}

function sameLocked(
  a: Locked | undefined,
  b: { value: boolean | number; locked?: boolean } | undefined,
): boolean {
  return a !== undefined && b !== undefined && a.value === b.value && a.locked === (b.locked ?? false);
}

/** What differs between the declaration and a policy in the console, in words. */
export function differencesFrom(i: Inputs, p: PolicyRecord, settings: Settings): string[] {
  const out: string[] = [];
  const held = attributesOf(p);
  for (const a of ATTRIBUTES) {
    if (held[a.name] !== i[a.name])
      out.push(
        `${a.name}: ${JSON.stringify(held[a.name])} in the console, ${JSON.stringify(i[a.name])} declared`,
      );
  }
  for (const s of NA_SETTINGS) {
    if (!sameLocked(settings[s.name], i[s.name])) {
      out.push(
        `${s.name}: ${JSON.stringify(settings[s.name] ?? null)} in the console, ${JSON.stringify(i[s.name])} declared`,
      );
    }
  }
  return out;
}

async function applyAttributes(ctx: ResourceContext, p: PolicyRecord, i: Inputs): Promise<void> {
  const change = attributeChange(p, i);
  if (Object.keys(change).length === 0) return;
  if (change.displayName !== undefined) forgetGroupListings(ctx, p.groupId);
  await ctx.client.policy.updatePolicyData(p.id, change);
}

/** The settings as declared: what writeSettings() has just written. */
function settingsFrom(i: Inputs): Settings {
  const out: Settings = {};
  for (const s of NA_SETTINGS) {
    const v = i[s.name] as { value: boolean | number; locked?: boolean } | undefined;
    if (v !== undefined) out[s.name] = { value: v.value, locked: v.locked ?? false };
  }
  return out;
}

/** The policy's record once applyAttributes() has made it match the declaration. */
function withAttributes(p: PolicyRecord, i: Inputs): PolicyRecord {
  return { ...p, ...recordAttributes(i) };
}

/**
 * The outputs for a policy record and settings that are what the console holds now (just read, or just written:
 * `written`). The settings are read (a handle, a read, a release) only when not given, and the group tree only
 * when the group's path is not known already (a policy never moves to another group).
 */
async function outputsOf(
  ctx: ResourceContext,
  p: PolicyRecord,
  carried: { group?: GroupRef; adopt?: boolean; adopted: boolean },
  written?: Settings,
  knownGroup?: { id?: number; path?: string },
): Promise<Outputs> {
  const group =
    knownGroup?.id === p.groupId && knownGroup.path !== undefined
      ? { path: knownGroup.path }
      : await ctx.groups.byId(p.groupId);
  const settings = written ?? (await readSettings(ctx, p.id));
  const out: Outputs = {
    policyId: p.id,
    group: carried.group ?? group?.path ?? p.groupId,
    groupId: p.groupId,
    groupPath: group?.path ?? String(p.groupId),
    product: p.product,
    version: p.version,
    ...attributesOf(p),
    adopted: carried.adopted,
  };
  if (settings.forceConnectionThroughDp)
    out.forceConnectionThroughDp = settings.forceConnectionThroughDp as LockedBooleanChecked;
  if (settings.useUdpPort) out.useUdpPort = settings.useUdpPort as LockedBooleanChecked;
  if (settings.udpPort) out.udpPort = settings.udpPort as LockedPortChecked;
  if (carried.adopt !== undefined) out.adopt = carried.adopt;
  return out;
}

async function policyData(ctx: ResourceContext, id: number): Promise<PolicyRecord | undefined> {
  try {
    return await ctx.client.policy.getPolicyData(id);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

// ---- CRUD ----

export async function create(ctx: ResourceContext, inputs: Inputs): Promise<{ id: string; outs: Outputs }> {
  const group = await ctx.groups.resolve(inputs.group, "group");
  const na = ctx.client.networkAgent.product;
  const existing = await findByNameForCreate(ctx, group.id, inputs.name, "create");
  if (existing.length > 1) throw new InputError("name", severalMessage(existing, group));
  let id: number;
  let adopted = false;
  if (existing.length === 1) {
    const p = existing[0];
    const differences = differencesFrom(inputs, p, await readSettings(ctx, p.id));
    if (differences.length > 0) {
      if (!inputs.adopt) throw new InputError("name", alreadyExistsMessage(p, group, differences));
      await applyAttributes(ctx, p, inputs);
      await writeSettings(ctx, p.id, inputs).catch((err) => {
        throw doing(`taking over the Network Agent ${describePolicy(p.id, p.displayName)}`, err);
      });
      ctx.log(
        "info",
        `took over the existing Network Agent ${describePolicy(p.id, p.displayName)} (adopt: true)`,
      );
    } else {
      // Equal to the declaration: made by an earlier run whose result was lost, or by hand exactly as declared.
      ctx.log(
        "info",
        `the Network Agent ${describePolicy(p.id, p.displayName)} already exists as declared; managing it`,
      );
    }
    id = p.id;
    adopted = true;
  } else {
    const what = `creating the Network Agent policy ${quote(inputs.name)} on group ${quote(group.path)}`;
    // AddPolicy always makes a new policy: if the reply was lost after the server made it, the policy now exists
    // under our name (there was none a moment ago), and is taken rather than made twice; if there still is none
    // after a transient failure, adding it again is safe.
    id = await createConfirmed(
      what,
      () => {
        forgetGroupListings(ctx, group.id);
        return ctx.client.policy.addPolicy({
          displayName: inputs.name,
          ...recordAttributes(inputs),
          product: na.product,
          version: na.version,
          groupId: group.id,
        });
      },
      async () => {
        const now = await findByName(ctx, group.id, inputs.name);
        if (now.length > 1) throw new Error("several policies of that name");
        return now[0]?.id;
      },
      (err) => ctx.log("debug", `${what}: the reply was lost but the policy exists (${errorText(err)})`),
    );
    try {
      await writeSettings(ctx, id, inputs);
    } catch (err) {
      throw new CreatedWithErrorsError(
        `${what}: created (id ${id}), but writing its settings failed: ${errorText(err)}`,
        String(id),
        {
          ...inputs,
          policyId: id,
          groupId: group.id,
          groupPath: group.path,
          product: na.product,
          version: na.version,
          adopted: false,
        },
      );
    }
    // Made just now from the declaration: its record and settings are what was written.
    const record = recordFrom(id, { ...inputs, product: na.product, version: na.version, groupId: group.id });
    const carried = { group: inputs.group, adopt: inputs.adopt, adopted };
    return { id: String(id), outs: await outputsOf(ctx, record, carried, settingsFrom(inputs), group) };
  }
  const p = await policyData(ctx, id);
  if (!p)
    throw new Error(
      `the Network Agent ${describePolicy(id, inputs.name)} disappeared right after it was written`,
    );
  return {
    id: String(id),
    outs: await outputsOf(ctx, p, { group: inputs.group, adopt: inputs.adopt, adopted }),
  };
}

function policyId(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n)) throw new Error(`the resource id ${quote(id)} is not a policy id`);
  return n;
}

export async function read(
  ctx: ResourceContext,
  id: string,
  props: Partial<Outputs>,
): Promise<{ id: string; props?: Outputs; inputs?: Inputs }> {
  const p = await policyData(ctx, policyId(id));
  if (!p) return { id: "" }; // deleted in the console: dropped from the state
  // The group cannot change (a policy's group attribute is read-only), so the declared form of the group stays.
  const carried = { group: props.group, adopt: props.adopt, adopted: props.adopted ?? false };
  const outs = await outputsOf(ctx, p, carried, undefined, { id: props.groupId, path: props.groupPath });
  return { id, props: outs, inputs: inputsFrom(outs) };
}

/** The inputs that would produce these outputs (for `pulumi refresh`). */
export function inputsFrom(o: Outputs): Inputs {
  const i: Inputs = {
    group: o.group,
    name: o.name,
    active: o.active,
    inheritFromParent: o.inheritFromParent,
    forceInheritance: o.forceInheritance,
    adopt: o.adopt ?? false,
  } as Inputs;
  if (o.forceConnectionThroughDp)
    i.forceConnectionThroughDp = o.forceConnectionThroughDp as LockedBooleanChecked;
  if (o.useUdpPort) i.useUdpPort = o.useUdpPort as LockedBooleanChecked;
  if (o.udpPort) i.udpPort = o.udpPort as LockedPortChecked;
  return i;
}

export async function update(
  ctx: ResourceContext,
  id: string,
  olds: Outputs,
  news: Inputs,
): Promise<{ outs: Outputs }> {
  const pid = policyId(id);
  const what = `updating the Network Agent ${describePolicy(pid, olds.name)}`;
  // Only settings changed: the attributes of the last outputs stand, and GetPolicyData is not needed (a policy
  // deleted in the console still fails, at GetPolicyContents).
  const p = ATTRIBUTES.every((a) => olds[a.name] === news[a.name])
    ? recordFrom(pid, olds)
    : await policyData(ctx, pid);
  const gone = () =>
    new Error(
      `${what}: it no longer exists (deleted in the console?): run \`pulumi refresh\` to drop it from the state, then \`pulumi up\` to create it again`,
    );
  if (!p) throw gone();
  try {
    await applyAttributes(ctx, p, news);
    await writeSettings(ctx, pid, news);
  } catch (err) {
    if (err instanceof PolicyGoneError) throw gone();
    throw doing(what, err);
  }
  const carried = { group: news.group, adopt: news.adopt, adopted: olds.adopted ?? false };
  const group = { id: olds.groupId, path: olds.groupPath };
  return { outs: await outputsOf(ctx, withAttributes(p, news), carried, settingsFrom(news), group) };
}

/** The policy's record as the outputs (or the declaration just written) have it. */
function recordFrom(
  id: number,
  o: Pick<
    Outputs,
    "name" | "product" | "version" | "groupId" | "active" | "inheritFromParent" | "forceInheritance"
  >,
): PolicyRecord {
  return {
    id,
    displayName: o.name,
    active: false,
    acceptParent: true,
    forceDistribToChildren: false,
    ...recordAttributes(o),
    product: o.product,
    version: o.version,
    groupId: o.groupId,
    roaming: false,
    inherited: false,
    raw: {},
  };
}

async function remove(ctx: ResourceContext, id: string, props: Partial<Outputs>): Promise<void> {
  const pid = policyId(id);
  if (props.groupId !== undefined) forgetGroupListings(ctx, props.groupId);
  await deleteConfirmed(
    `deleting the Network Agent ${describePolicy(pid, props.name)}`,
    () => ctx.client.policy.deletePolicy(pid),
    async () => (await policyData(ctx, pid)) !== undefined,
  );
}
export { remove as delete };

// ---- diff ----

function sameGroup(olds: Partial<Outputs>, news: Inputs): boolean {
  const g = news.group;
  if (isUnknown(g)) return false;
  if (typeof g === "number") return g === olds.groupId;
  if (olds.groupPath !== undefined) return samePath(g, olds.groupPath);
  return g === olds.group;
}

export function diff(olds: Partial<Outputs>, news: Inputs): DiffResult {
  const diffs: string[] = [];
  if (!sameGroup(olds, news)) diffs.push("group");
  for (const a of ATTRIBUTES) {
    if (isUnknown(news[a.name]) || news[a.name] !== olds[a.name]) diffs.push(a.name);
  }
  for (const s of NA_SETTINGS) {
    const v = news[s.name];
    if (containsUnknown(v) || !sameLocked(olds[s.name] as Locked | undefined, v)) diffs.push(s.name);
  }
  return diffResult(NA_KIND, diffs);
}

const NA_KIND: ResourceKind = "NetworkAgentPolicy";

/** NetworkAgentPolicy for the glue: typed inputs and outputs from schema.json. */
export const provider: ResourceProvider<Inputs, Outputs> = {
  kind: NA_KIND,
  check,
  verify,
  diff,
  create,
  read,
  update,
  delete: remove,
};
