// DistributionPoint: makes a managed device a distribution point (UaControl) and manages its documented settings
// and its scope. The push-server keys of the same DP object belong to PushServer: never read into this resource's
// outputs, never changed by it (they round-trip through read-modify-write). The pure parts (comparing and laying
// the declaration over the DP object, messages) are in ./distributionPointHelpers.ts.
import { DpObject } from "../ksc/dpObject";
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
  sameName,
  sameNumberSet,
  unchangedDeclaration,
} from "./common";
import { Device, resolveDevice } from "./devices";
import {
  AUTO_ASSIGNMENT_ON,
  reconcileScopeGroups,
  Carried,
  DP_SETTINGS,
  alreadyDpMessage,
  carriedFrom,
  declaredDevice,
  describeDevice,
  deviceProperty,
  deviceRefOf,
  differencesFrom,
  inputsFrom,
  sameScopeGroups,
  settingsOf,
  withDeclared,
} from "./distributionPointHelpers";
import {
  dpPortClash,
  dropSharedDpRead,
  mayBeDp,
  noteRegisteredDp,
  readDp,
  sharedDpRead,
  writeDp,
} from "./dpObject";
import { GroupInfo, GroupRef, normalGroupRef } from "./groups";
import { duplicateReason } from "./state";
import type {
  DistributionPointCheckedInputs as Inputs,
  DistributionPointOutputs as Outputs,
  ScopeGroup,
} from "./schema.generated";
import { ResourceKind } from "./schemaTypes";
import { ResourceProvider, diffResult } from "./provider";
import { validateInputs } from "./validation";

export { DP_SETTINGS, differencesFrom, inputsFrom, reconcileScopeGroups } from "./distributionPointHelpers";

// ---- check ----

/** Validation against schema.json and the rules across properties. Calls nothing on the console. */
export function check(_olds: Record<string, unknown>, news: Record<string, unknown>): CheckResult<Inputs> {
  const { inputs, failures } = validateInputs<Inputs>("DistributionPoint", news);
  if (failures.length > 0) return { inputs, failures };
  const out: CheckFailure[] = [];
  if (!isUnknown(inputs.port) && !isUnknown(inputs.nonSslPort) && inputs.port === inputs.nonSslPort) {
    out.push({ property: "nonSslPort", reason: `must differ from port (both are ${inputs.port})` });
  }
  // Undeclared scope lists are empty lists, as read() reports them: no phantom "+scopeNlaNetworks" after a refresh.
  inputs.scopeGroups = Array.isArray(inputs.scopeGroups)
    ? inputs.scopeGroups.map(normalGroupRef)
    : (inputs.scopeGroups ?? []);
  inputs.scopeNlaNetworks ??= [];
  const groups = inputs.scopeGroups;
  const nla = inputs.scopeNlaNetworks;
  if (!containsUnknown(groups) && !containsUnknown(nla) && (groups ?? []).length + (nla ?? []).length === 0) {
    out.push({
      property: "scopeGroups",
      reason:
        "a distribution point needs a scope: list at least one administration group (or NLA network in scopeNlaNetworks)",
    });
  }
  return { inputs, failures: out };
}

/**
 * The checks that need the console, read-only, for the values known so far (so `pulumi preview` already fails):
 * the device exists and is unique, the scope groups exist, the push server of the DP does not use a declared port,
 * and for a new resource, an existing DP on the device is either equal to the declaration or adopted.
 * For an existing resource, only what the program changed is looked up again (see unchangedDeclaration).
 */
export async function verify(
  ctx: ResourceContext,
  olds: Record<string, unknown>,
  news: Inputs & { [RESOURCE_NAME_KEY]?: string },
): Promise<CheckFailure[]> {
  return ctx.state.settledClaim(DP_KIND, news, () => verifyDevice(ctx, olds, news));
}

const DP_KIND: ResourceKind = "DistributionPoint";

type Collect = (err: unknown) => undefined;

async function verifyDevice(
  ctx: ResourceContext,
  olds: Record<string, unknown>,
  news: Inputs & { [RESOURCE_NAME_KEY]?: string },
): Promise<CheckFailure[]> {
  const failures: CheckFailure[] = [];
  const collect: Collect = (err) => {
    if (err instanceof InputError) failures.push({ property: err.property, reason: err.reason });
    else throw err;
    return undefined;
  };
  const groups = unchangedDeclaration(olds, news, ["scopeGroups"])
    ? undefined
    : await resolveScopeGroups(ctx, news.scopeGroups, { known: true }).catch(collect);
  const device = await deviceForCheck(ctx, olds, news, collect);
  if (!device) return failures;
  // A device declared by name gets its host id in the checked inputs. The engine previews an update with the
  // inputs as outputs, so `dp.hostId` stays known to a PushServer while its DP is updated in place (otherwise the
  // PushServer would preview as replaced); and the device is compared by id, so renaming it in the console does not
  // replace the DP.
  news.hostId ??= device.hostId;
  const duplicate = duplicateFailure(ctx, olds, news, device);
  if (duplicate) return [...failures, duplicate];
  ctx.state.declareDpPorts(device.hostId, {
    port: isUnknown(news.port) ? undefined : news.port,
    nonSslPort: isUnknown(news.nonSslPort) ? undefined : news.nonSslPort,
  });
  // An existing DP whose ports did not change: nothing left to check against the console.
  if (unchangedDeclaration(olds, news, ["port", "nonSslPort"])) return failures;
  const dp = (await mayBeDp(ctx, device.hostId)) ? await readDp(ctx, device.hostId) : undefined;
  if (!dp) return [...failures, ...(await automaticAssignmentFailures(ctx, olds, news))];
  return [...failures, ...existingDpFailures(olds, news, device, groups, dp)];
}

/** The device the inputs name (from the old inputs when unchanged), or undefined: unknown yet, or not found. */
async function deviceForCheck(
  ctx: ResourceContext,
  olds: Record<string, unknown>,
  news: Inputs,
  collect: Collect,
): Promise<Device | undefined> {
  const ref = deviceRefOf(news);
  if (!ref) return undefined;
  return declaredDevice(olds, news) ?? (await resolveDevice(ctx, ref).catch(collect));
}

/** Another resource of the program manages this device: that is all there is to say (not "set adopt: true"). */
function duplicateFailure(
  ctx: ResourceContext,
  olds: Record<string, unknown>,
  news: Inputs & { [RESOURCE_NAME_KEY]?: string },
  device: Device,
): CheckFailure | undefined {
  const name = news[RESOURCE_NAME_KEY];
  const incumbent = olds.hostId === device.hostId;
  const other =
    typeof name === "string" ? ctx.state.claim(DP_KIND, device.hostId, name, incumbent) : undefined;
  if (other === undefined || !(other.newcomerPassed ?? true)) return undefined;
  return {
    property: deviceProperty(news),
    reason: duplicateReason(DP_KIND, other, {
      verb: "manages",
      object: describeDevice(device),
      rule: "a device has one DistributionPoint",
    }),
  };
}

/** A new DP: KSC accepts it only with automatic assignment off, or turned off by this resource. */
async function automaticAssignmentFailures(
  ctx: ResourceContext,
  olds: Record<string, unknown>,
  news: Inputs,
): Promise<CheckFailure[]> {
  if (!isNewResource(olds) || news.disableAutomaticAssignment) return [];
  if (!(await ctx.client.uaControl.getAssignUasAutomatically())) return [];
  return [{ property: "disableAutomaticAssignment", reason: AUTO_ASSIGNMENT_ON }];
}

/** The device already is a DP: its push server must not use a declared port, and a new resource must match it
 *  or adopt it. */
function existingDpFailures(
  olds: Record<string, unknown>,
  news: Inputs,
  device: Device,
  groups: GroupInfo[] | undefined,
  dp: DpObject,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const clash = dpPortClash(news, dp.pushServer);
  if (clash) failures.push(clash);
  if (isNewResource(olds) && !news.adopt && groups && !containsUnknown(news)) {
    const differences = differencesFrom(news, groups, dp);
    if (differences.length > 0) {
      failures.push({ property: deviceProperty(news), reason: alreadyDpMessage(device, differences) });
    }
  }
  return failures;
}

/** Scope groups resolved to the console's groups (ids and paths). Unknown entries are skipped when `known`. */
async function resolveScopeGroups(
  ctx: ResourceContext,
  refs: GroupRef[] | undefined,
  opts: { known?: boolean } = {},
): Promise<GroupInfo[]> {
  if (refs === undefined || (opts.known && isUnknown(refs))) return [];
  const out: GroupInfo[] = [];
  const seen = new Map<number, number>();
  for (const [i, ref] of refs.entries()) {
    if (isUnknown(ref)) continue;
    let g: GroupInfo;
    try {
      g = await ctx.groups.resolve(ref, "scopeGroups");
    } catch (err) {
      if (err instanceof InputError) throw new InputError("scopeGroups", `item ${i + 1}: ${err.reason}`);
      throw err;
    }
    const first = seen.get(g.id);
    if (first !== undefined) {
      throw new InputError(
        "scopeGroups",
        `items ${first + 1} and ${i + 1} name the same group (${quote(g.path)})`,
      );
    }
    seen.set(g.id, i);
    out.push(g);
  }
  return out;
}

// ---- outputs ----

/** The device's names, as known without asking the console (from the device lookup, or the last outputs). */
interface DeviceNames {
  displayName?: string;
  fqdn?: string;
}

/**
 * The outputs for a DP object that is what the console holds now (just read, or just written: no read-back).
 * The device's names and the scope groups' paths come from `names` and `knownGroups` when given; the console
 * (HostGroup, the group tree) is asked only for the rest.
 */
async function outputsOf(
  ctx: ResourceContext,
  hostId: string,
  dp: DpObject,
  carried: Carried,
  names?: DeviceNames,
  knownGroups: readonly ScopeGroup[] = [],
): Promise<Outputs> {
  const host: DeviceNames =
    names ?? (await ctx.client.inventory.get(hostId, ["displayName", "fqdn"]).catch(() => ({})));
  const displayName = dp.displayName || host.displayName || hostId;
  const fqdn = host.fqdn || undefined;
  const scope = dp.scope;
  const groups: ScopeGroup[] = [];
  for (const g of scope.groups) {
    const known = knownGroups.find((k) => k.id === g.id) ?? (await ctx.groups.byId(g.id));
    groups.push({
      id: g.id,
      name: g.name ?? known?.name ?? String(g.id),
      path: known?.path ?? g.name ?? String(g.id),
    });
  }
  groups.sort((a, b) => a.path.localeCompare(b.path));
  const nlaNetworks = [...scope.nlaNetworks].sort((a, b) => a.id - b.id);
  const out: Outputs = {
    hostId,
    displayName,
    scopeGroups: reconcileScopeGroups(carried.scopeGroups, groups),
    scopeNlaNetworks: nlaNetworks.map((n) => n.id),
    scope: { groups, nlaNetworks },
    ...(settingsOf(dp) as Pick<Outputs, (typeof DP_SETTINGS)[number]["name"]>),
    adopted: carried.adopted,
  };
  if (fqdn !== undefined) out.fqdn = fqdn;
  // The declared name stays only while it still names this device.
  if (
    carried.deviceName !== undefined &&
    (sameName(carried.deviceName, displayName) || sameName(carried.deviceName, fqdn))
  ) {
    out.deviceName = carried.deviceName;
  }
  if (carried.adopt !== undefined) out.adopt = carried.adopt;
  if (carried.disableAutomaticAssignment !== undefined)
    out.disableAutomaticAssignment = carried.disableAutomaticAssignment;
  return out;
}

// ---- CRUD ----

export async function create(ctx: ResourceContext, inputs: Inputs): Promise<{ id: string; outs: Outputs }> {
  const ref = deviceRefOf(inputs);
  if (!ref) throw new InputError("deviceName", "set hostId or deviceName");
  const device = await resolveDevice(ctx, ref);
  const groups = await resolveScopeGroups(ctx, inputs.scopeGroups);
  const what = `making ${describeDevice(device)} a distribution point`;
  const { info, adopted } = await ctx.state.dpHostLock.run(device.hostId, async () => {
    const existing = (await mayBeDp(ctx, device.hostId)) ? await readDp(ctx, device.hostId) : undefined;
    if (existing) return manageExisting(ctx, device, inputs, groups, existing);
    await ensureManualAssignment(ctx, inputs);
    const info = withDeclared(await registrationTemplate(ctx), inputs, groups).withHostId(device.hostId);
    // The reply may be lost after the server registered the DP (then a repeat says "already a DP"), and the host
    // may have been made a DP since the list of DPs was taken: either way a DP is there now. With exactly our
    // settings the write was ours; with others it is an existing DP, managed only as such. If there still is none
    // after a transient failure, registering again is safe.
    const registered = await createConfirmed(
      what,
      async () => {
        dropSharedDpRead(ctx, device.hostId);
        await ctx.client.uaControl
          .registerUpdateAgent(info)
          .finally(() => dropSharedDpRead(ctx, device.hostId));
        return { info, ours: true };
      },
      async () => {
        const now = await readDp(ctx, device.hostId);
        return now && { info: now, ours: differencesFrom(inputs, groups, now).length === 0 };
      },
      (err) => ctx.log("debug", `${what}: ${errorText(err)}; the device is a distribution point now`),
    );
    if (!registered.ours) return manageExisting(ctx, device, inputs, groups, registered.info);
    noteRegisteredDp(ctx, device.hostId, registered.info);
    return { info: registered.info, adopted: false };
  });
  try {
    return {
      id: device.hostId,
      outs: await outputsOf(ctx, device.hostId, info, carriedFrom(inputs, adopted), device),
    };
  } catch (err) {
    throw new CreatedWithErrorsError(
      `${what}: done, but reading it back failed: ${errorText(err)}`,
      device.hostId,
      { ...inputs, hostId: device.hostId, displayName: device.displayName, adopted },
    );
  }
}

/** A DP already on the device: managed as it is when equal to the declaration, taken over with adopt: true. */
async function manageExisting(
  ctx: ResourceContext,
  device: Device,
  inputs: Inputs,
  groups: GroupInfo[],
  existing: DpObject,
): Promise<{ info: DpObject; adopted: boolean }> {
  const differences = differencesFrom(inputs, groups, existing);
  if (differences.length === 0) {
    // Equal to the declaration: a DP this resource created in a run whose result was lost, or one made by
    // hand exactly as declared. Either way, the declaration already holds.
    ctx.log(
      "info",
      `${describeDevice(device)} already is a distribution point with the declared settings; managing it`,
    );
    return { info: existing, adopted: true };
  }
  if (!inputs.adopt) throw new InputError(deviceProperty(inputs), alreadyDpMessage(device, differences));
  assertNoPushPortClash(existing, inputs);
  const written = await writeDp(ctx, device.hostId, withDeclared(existing, inputs, groups)).catch((err) => {
    throw doing(`taking over the distribution point ${describeDevice(device)}`, err);
  });
  ctx.log("info", `took over the existing distribution point ${describeDevice(device)} (adopt: true)`);
  return { info: written, adopted: true };
}

/** The server's template for a new DP, read once per provider process. */
function registrationTemplate(ctx: ResourceContext): Promise<DpObject> {
  return ctx.state.once("DP registration template", () =>
    ctx.client.uaControl.getDefaultUpdateAgentRegistrationInfo(),
  );
}

async function ensureManualAssignment(ctx: ResourceContext, inputs: Inputs): Promise<void> {
  // A process that saw automatic assignment off (or turned it off) need not ask again.
  const seen = ctx.state.processState("manual DP assignment", () => ({ off: false }));
  if (seen.off) return;
  if (!(await ctx.client.uaControl.getAssignUasAutomatically())) {
    seen.off = true;
    return;
  }
  if (!inputs.disableAutomaticAssignment)
    throw new InputError("disableAutomaticAssignment", AUTO_ASSIGNMENT_ON);
  await ctx.client.uaControl.setAssignUasAutomatically(false);
  seen.off = true;
  ctx.log(
    "warn",
    "turned off the automatic assignment of distribution points on the Administration Server (needed for a manually assigned distribution point; set disableAutomaticAssignment: false to be asked instead)",
  );
}

function assertNoPushPortClash(dp: DpObject, i: Inputs): void {
  const clash = dpPortClash(i, dp.pushServer);
  if (clash) throw new InputError(clash.property, clash.reason);
}

export async function read(
  ctx: ResourceContext,
  id: string,
  props: Partial<Outputs>,
): Promise<{ id: string; props?: Outputs; inputs?: Inputs }> {
  const info = await sharedDpRead(ctx, id, "DistributionPoint");
  if (!info) return { id: "" }; // no longer a DP: dropped from the state
  const carried = {
    deviceName: props.deviceName,
    scopeGroups: props.scopeGroups,
    adopt: props.adopt,
    disableAutomaticAssignment: props.disableAutomaticAssignment,
    adopted: props.adopted ?? false,
  };
  // The device's names and the groups' paths of the last outputs stand (the DP object carries its own display
  // name, and a group's id): one call per refreshed DP.
  const names =
    props.displayName !== undefined ? { displayName: props.displayName, fqdn: props.fqdn } : undefined;
  const outs = await outputsOf(ctx, id, info, carried, names, props.scope?.groups);
  return { id, props: outs, inputs: inputsFrom(outs) };
}

export async function update(
  ctx: ResourceContext,
  id: string,
  olds: Outputs,
  news: Inputs,
): Promise<{ outs: Outputs }> {
  // An unchanged scope: the groups of the last outputs, without reading the group tree.
  const groups =
    olds.scope && sameScopeGroups(olds, news)
      ? olds.scope.groups.map((g) => ({ id: g.id, name: g.name, path: g.path }))
      : await resolveScopeGroups(ctx, news.scopeGroups);
  const info = await ctx.state.dpHostLock.run(id, async () => {
    const current = await readDp(ctx, id);
    if (!current) {
      throw new Error(
        `${olds.displayName ?? id} (hostId ${quote(id)}) is no longer a distribution point (removed in the console?): run \`pulumi refresh\` to drop it from the state, then \`pulumi up\` to create it again`,
      );
    }
    assertNoPushPortClash(current, news);
    return writeDp(ctx, id, withDeclared(current, news, groups)).catch((err) => {
      throw doing(`updating the distribution point ${olds.displayName ?? id} (hostId ${quote(id)})`, err);
    });
  });
  const names = { displayName: olds.displayName, fqdn: olds.fqdn };
  return { outs: await outputsOf(ctx, id, info, carriedFrom(news, olds.adopted ?? false), names, groups) };
}

async function remove(ctx: ResourceContext, id: string, props: Partial<Outputs>): Promise<void> {
  await ctx.state.dpHostLock.run(id, () =>
    deleteConfirmed(
      `removing the distribution point ${props.displayName ?? id} (hostId ${quote(id)})`,
      () => {
        dropSharedDpRead(ctx, id);
        return ctx.client.uaControl.unregisterUpdateAgent(id).finally(() => dropSharedDpRead(ctx, id));
      },
      async () => (await readDp(ctx, id)) !== undefined,
    ),
  );
}
export { remove as delete };

// ---- diff ----

function sameDevice(olds: Partial<Outputs>, news: Inputs): boolean {
  if (news.hostId !== undefined) return !isUnknown(news.hostId) && news.hostId === olds.hostId;
  if (news.deviceName === undefined || isUnknown(news.deviceName)) return false;
  return (
    sameName(news.deviceName, olds.deviceName) ||
    sameName(news.deviceName, olds.displayName) ||
    sameName(news.deviceName, olds.fqdn)
  );
}

/** Declared inputs against the last outputs read from the console. Ignores form-only differences. */
export function diff(olds: Partial<Outputs>, news: Inputs): DiffResult {
  const diffs: string[] = [];
  if (!sameDevice(olds, news)) diffs.push(deviceProperty(news));
  if (!sameScopeGroups(olds, news)) diffs.push("scopeGroups");
  if (
    containsUnknown(news.scopeNlaNetworks) ||
    !sameNumberSet(olds.scopeNlaNetworks ?? [], news.scopeNlaNetworks ?? [])
  ) {
    diffs.push("scopeNlaNetworks");
  }
  for (const s of DP_SETTINGS) {
    const v = news[s.name];
    if (isUnknown(v) || v !== olds[s.name]) diffs.push(s.name);
  }
  return diffResult(DP_KIND, diffs);
}

/** DistributionPoint for the glue: typed inputs and outputs from schema.json. */
export const provider: ResourceProvider<Inputs, Outputs> = {
  kind: DP_KIND,
  check,
  verify,
  diff,
  create,
  read,
  update,
  delete: remove,
};
