// DistributionPoint: makes a managed device a distribution point (UaControl) and manages its documented settings
// and its scope. The push-server keys of the same DP object belong to PushServer: never read into this resource's
// outputs, never changed by it (they round-trip through read-modify-write).
import { KscLong, KscParams } from "../ksc/api";
import { KeyNames } from "../ksc/keys";
import {
  CheckFailure,
  CheckResult,
  CreatedWithErrorsError,
  DiffResult,
  InputError,
  RESOURCE_NAME_KEY,
  ResourceContext,
  cloneParams,
  containsUnknown,
  createConfirmed,
  deleteConfirmed,
  doing,
  errorText,
  isParams,
  isNewResource,
  isUnknown,
  kscBoolean,
  kscNumber,
  kscParamsArray,
  kscString,
  quote,
  sameName,
  sameNumberSet,
  sortedNumbers,
  unchangedDeclaration,
} from "./common";
import { Device, DeviceRef, resolveDevice } from "./devices";
import {
  clashingDpPort,
  dropSharedDpRead,
  mayBeDp,
  noteRegisteredDp,
  pushSettingsOf,
  readDp,
  sharedDpRead,
  writeDp,
} from "./dpObject";
import { GroupInfo, GroupRef, normalGroupRef, samePath } from "./groups";
import { dpHostLock } from "./lock";
import { once, processState } from "./processCache";
import { claim, declareDpPorts, duplicateReason, settledClaim } from "./registry";
import type {
  DistributionPointCheckedInputs as Inputs,
  DistributionPointOutputs as Outputs,
  ScopeGroup,
  ScopeNlaNetwork,
} from "./schema.generated";
import { PACKAGE_SCHEMA } from "./schema.generated";
import { RESOURCE_TOKENS, ResourceKind } from "./schemaTypes";
import { validateInputs } from "./validation";

type SettingName =
  | "port"
  | "nonSslPort"
  | "multicastAddress"
  | "distributeUpdates"
  | "distributePackages"
  | "customFolder"
  | "connectionGateway"
  | "gatewayRemoteAddress"
  | "gatewayServerInitiatesConnection";

interface Setting {
  name: SettingName;
  key: (k: KeyNames) => string;
  kind: "port" | "string" | "boolean";
}

/** The DP settings this resource owns, and their KSC keys. */
export const DP_SETTINGS: readonly Setting[] = [
  { name: "port", key: (k) => k.dp.port, kind: "port" },
  { name: "nonSslPort", key: (k) => k.dp.nonSslPort, kind: "port" },
  { name: "multicastAddress", key: (k) => k.dp.multicastAddress, kind: "string" },
  { name: "distributeUpdates", key: (k) => k.dp.distributeUpdates, kind: "boolean" },
  { name: "distributePackages", key: (k) => k.dp.distributePackages, kind: "boolean" },
  { name: "customFolder", key: (k) => k.dp.customFolder, kind: "string" },
  { name: "connectionGateway", key: (k) => k.dp.isConnectionGateway, kind: "boolean" },
  { name: "gatewayRemoteAddress", key: (k) => k.dp.gatewayRemoteAddress, kind: "string" },
  {
    name: "gatewayServerInitiatesConnection",
    key: (k) => k.dp.gatewayServerInitiatesConnection,
    kind: "boolean",
  },
];

const SPEC = PACKAGE_SCHEMA.resources[RESOURCE_TOKENS.DistributionPoint];

type SettingValue = string | number | boolean;

/** A setting as the console holds it; a key the server does not return counts as the schema default. */
function settingOf(keys: KeyNames, info: KscParams, s: Setting): SettingValue {
  const v = info[s.key(keys)];
  const read = s.kind === "port" ? kscNumber(v) : s.kind === "boolean" ? kscBoolean(v) : kscString(v);
  return read ?? (SPEC.inputProperties[s.name].default as SettingValue);
}

/** The device reference of the inputs, or undefined while it is unknown. */
function deviceRefOf(i: Inputs): DeviceRef | undefined {
  if (i.hostId !== undefined) return isUnknown(i.hostId) ? undefined : { hostId: i.hostId };
  if (i.deviceName !== undefined) return isUnknown(i.deviceName) ? undefined : { deviceName: i.deviceName };
  return undefined;
}

function deviceProperty(i: Inputs): "hostId" | "deviceName" {
  return i.deviceName !== undefined ? "deviceName" : "hostId";
}

function describeDevice(d: Device): string {
  return `${d.displayName} (hostId ${quote(d.hostId)})`;
}

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
  return settledClaim(DP_KIND, news, () => verifyDevice(ctx, olds, news));
}

const DP_KIND: ResourceKind = "DistributionPoint";

async function verifyDevice(
  ctx: ResourceContext,
  olds: Record<string, unknown>,
  news: Inputs & { [RESOURCE_NAME_KEY]?: string },
): Promise<CheckFailure[]> {
  const failures: CheckFailure[] = [];
  const collect = (err: unknown) => {
    if (err instanceof InputError) failures.push({ property: err.property, reason: err.reason });
    else throw err;
  };
  const groups = unchangedDeclaration(olds, news, ["scopeGroups"])
    ? undefined
    : await resolveScopeGroups(ctx, news.scopeGroups, { known: true }).catch((err) => {
        collect(err);
        return undefined;
      });
  const ref = deviceRefOf(news);
  if (!ref) return failures;
  const device =
    declaredDevice(olds, news) ??
    (await resolveDevice(ctx, ref).catch((err) => {
      collect(err);
      return undefined;
    }));
  if (!device) return failures;
  // A device declared by name gets its host id in the checked inputs. The engine previews an update with the
  // inputs as outputs, so `dp.hostId` stays known to a PushServer while its DP is updated in place (otherwise the
  // PushServer would preview as replaced); and the device is compared by id, so renaming it in the console does not
  // replace the DP.
  news.hostId ??= device.hostId;
  const name = news[RESOURCE_NAME_KEY];
  const incumbent = olds.hostId === device.hostId;
  const other = typeof name === "string" ? claim(DP_KIND, device.hostId, name, incumbent) : undefined;
  if (other !== undefined && (other.newcomerPassed ?? true)) {
    // Another resource of the program manages this device: that is all there is to say (not "set adopt: true").
    failures.push({
      property: deviceProperty(news),
      reason: duplicateReason(DP_KIND, other, {
        verb: "manages",
        object: describeDevice(device),
        rule: "a device has one DistributionPoint",
      }),
    });
    return failures;
  }
  declareDpPorts(device.hostId, {
    port: isUnknown(news.port) ? undefined : news.port,
    nonSslPort: isUnknown(news.nonSslPort) ? undefined : news.nonSslPort,
  });
  // An existing DP whose ports did not change: nothing left to check against the console.
  if (unchangedDeclaration(olds, news, ["port", "nonSslPort"])) return failures;
  const info = (await mayBeDp(ctx, device.hostId)) ? await readDp(ctx, device.hostId) : undefined;
  if (!info) {
    if (
      isNewResource(olds) &&
      !news.disableAutomaticAssignment &&
      (await ctx.client.uaControl.getAssignUasAutomatically())
    ) {
      failures.push({ property: "disableAutomaticAssignment", reason: AUTO_ASSIGNMENT_ON });
    }
    return failures;
  }
  const push = pushSettingsOf(ctx.keys, info);
  if (push.enabled && push.port !== undefined) {
    for (const p of ["port", "nonSslPort"] as const) {
      if (news[p] === push.port) {
        failures.push({
          property: p,
          reason: `${push.port} is the port of the push server running on this distribution point; choose another port`,
        });
      }
    }
  }
  if (isNewResource(olds) && !news.adopt && groups && !containsUnknown(news)) {
    const differences = differencesFrom(ctx.keys, news, groups, info);
    if (differences.length > 0) {
      failures.push({ property: deviceProperty(news), reason: alreadyDpMessage(device, differences) });
    }
  }
  return failures;
}

/** The device of an existing resource whose device reference did not change: its host id is in the old inputs. */
function declaredDevice(olds: Record<string, unknown>, news: Inputs): Device | undefined {
  const hostId = olds.hostId;
  if (typeof hostId !== "string") return undefined;
  const same =
    news.hostId !== undefined
      ? unchangedDeclaration(olds, news, ["hostId"])
      : unchangedDeclaration(olds, news, ["deviceName"]);
  return same ? { hostId, displayName: news.deviceName ?? hostId } : undefined;
}

const AUTO_ASSIGNMENT_ON =
  "the Administration Server assigns distribution points automatically, and KSC accepts a manually assigned one only when that is off: turn it off in the console (Administration Server properties → Distribution points) or set disableAutomaticAssignment: true";

function alreadyDpMessage(device: Device, differences: string[]): string {
  return (
    `${describeDevice(device)} already is a distribution point, with other settings (${differences.join("; ")}). ` +
    "To manage it with this resource, set adopt: true (its settings are then changed to the declared ones), " +
    "or declare the settings it has. If another DistributionPoint of this stack manages it, remove this " +
    "declaration instead: a device has one DistributionPoint"
  );
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

// ---- reading the DP object ----

interface ConsoleScope {
  groups: { id: number; name?: string }[];
  nlaNetworks: ScopeNlaNetwork[];
}

function scopeOf(keys: KeyNames, info: KscParams): ConsoleScope {
  const s = keys.scope;
  const scope = info[keys.dp.scope];
  const entries = (name: string) =>
    isParams(scope)
      ? kscParamsArray(scope[name])
          .map((e) => ({ id: kscNumber(e[s.id]), name: kscString(e[s.name]) || undefined }))
          .filter((e): e is { id: number; name: string | undefined } => e.id !== undefined)
      : [];
  return {
    groups: entries(s.groups).map((e) => (e.name === undefined ? { id: e.id } : { id: e.id, name: e.name })),
    nlaNetworks: entries(s.nlaNetworks)
      .map((e) => (e.name === undefined ? { id: e.id } : { id: e.id, name: e.name }))
      .sort((a, b) => a.id - b.id),
  };
}

/** What differs between the declaration and a DP object, in words (empty: the console already matches). */
export function differencesFrom(keys: KeyNames, i: Inputs, groups: GroupInfo[], info: KscParams): string[] {
  const out: string[] = [];
  for (const s of DP_SETTINGS) {
    const actual = settingOf(keys, info, s);
    if (actual !== i[s.name])
      out.push(`${s.name}: ${JSON.stringify(actual)} in the console, ${JSON.stringify(i[s.name])} declared`);
  }
  const scope = scopeOf(keys, info);
  if (
    !sameNumberSet(
      scope.groups.map((g) => g.id),
      groups.map((g) => g.id),
    )
  ) {
    out.push(
      `scopeGroups: ids ${JSON.stringify(sortedNumbers(scope.groups.map((g) => g.id)))} in the console, ${JSON.stringify(sortedNumbers(groups.map((g) => g.id)))} declared`,
    );
  }
  if (
    !sameNumberSet(
      scope.nlaNetworks.map((n) => n.id),
      i.scopeNlaNetworks ?? [],
    )
  ) {
    out.push("scopeNlaNetworks differ");
  }
  return out;
}

/** Overlay this resource's fields on a DP object. The scope is always written in full (Modify replaces it). */
function overlay(keys: KeyNames, info: KscParams, i: Inputs, groups: GroupInfo[]): void {
  for (const s of DP_SETTINGS) {
    const v = i[s.name];
    info[s.key(keys)] = s.kind === "port" ? new KscLong(v as number) : v;
  }
  const previous = info[keys.dp.scope];
  const scope: KscParams = isParams(previous) ? cloneParams(previous) : {};
  scope[keys.scope.groups] = groups.map((g) => ({ [keys.scope.id]: new KscLong(g.id) }));
  scope[keys.scope.nlaNetworks] = (i.scopeNlaNetworks ?? []).map((id) => ({
    [keys.scope.id]: new KscLong(id),
  }));
  info[keys.dp.scope] = scope;
}

/** The declared scope groups, in their declared form, reconciled with what the console has: entries still in the
 *  console stay as written (id or path), groups added in the console are appended by path. */
export function reconcileScopeGroups(declared: GroupRef[] | undefined, actual: ScopeGroup[]): GroupRef[] {
  const out: GroupRef[] = [];
  const used = new Set<number>();
  for (const ref of declared ?? []) {
    const match =
      typeof ref === "number" ? actual.find((g) => g.id === ref) : actual.find((g) => samePath(g.path, ref));
    if (match && !used.has(match.id)) {
      out.push(ref);
      used.add(match.id);
    }
  }
  for (const g of actual) if (!used.has(g.id)) out.push(g.path);
  return out;
}

interface Carried {
  deviceName?: string;
  scopeGroups?: GroupRef[];
  adopt?: boolean;
  disableAutomaticAssignment?: boolean;
  adopted: boolean;
}

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
  info: KscParams,
  carried: Carried,
  names?: DeviceNames,
  knownGroups: readonly ScopeGroup[] = [],
): Promise<Outputs> {
  const h = ctx.keys.host;
  const host: DeviceNames =
    names ??
    (await ctx.client.hostGroup.getHostInfo(hostId, [h.displayName, h.fqdn]).then(
      (r) => ({ displayName: kscString(r[h.displayName]), fqdn: kscString(r[h.fqdn]) }),
      () => ({}),
    ));
  const displayName = kscString(info[ctx.keys.dp.displayName]) || host.displayName || hostId;
  const fqdn = host.fqdn || undefined;
  const scope = scopeOf(ctx.keys, info);
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
  const out: Outputs = {
    hostId,
    displayName,
    scopeGroups: reconcileScopeGroups(carried.scopeGroups, groups),
    scopeNlaNetworks: scope.nlaNetworks.map((n) => n.id),
    scope: { groups, nlaNetworks: scope.nlaNetworks },
    port: 0,
    nonSslPort: 0,
    multicastAddress: "",
    distributeUpdates: false,
    distributePackages: false,
    customFolder: "",
    connectionGateway: false,
    gatewayRemoteAddress: "",
    gatewayServerInitiatesConnection: false,
    adopted: carried.adopted,
  };
  const settings = out as unknown as Record<SettingName, SettingValue>;
  for (const s of DP_SETTINGS) settings[s.name] = settingOf(ctx.keys, info, s);
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

function carriedFrom(i: Inputs, adopted: boolean): Carried {
  return {
    deviceName: i.deviceName,
    scopeGroups: i.scopeGroups,
    adopt: i.adopt,
    disableAutomaticAssignment: i.disableAutomaticAssignment,
    adopted,
  };
}

// ---- CRUD ----

export async function create(ctx: ResourceContext, inputs: Inputs): Promise<{ id: string; outs: Outputs }> {
  const ref = deviceRefOf(inputs);
  if (!ref) throw new InputError("deviceName", "set hostId or deviceName");
  const device = await resolveDevice(ctx, ref);
  const groups = await resolveScopeGroups(ctx, inputs.scopeGroups);
  const what = `making ${describeDevice(device)} a distribution point`;
  const { info, adopted } = await dpHostLock.run(device.hostId, async () => {
    const existing = (await mayBeDp(ctx, device.hostId)) ? await readDp(ctx, device.hostId) : undefined;
    if (existing) return manageExisting(ctx, device, inputs, groups, existing);
    await ensureManualAssignment(ctx, inputs);
    const info = cloneParams(await registrationTemplate(ctx));
    overlay(ctx.keys, info, inputs, groups);
    info[ctx.keys.dp.hostId] = device.hostId;
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
        return now && { info: now, ours: differencesFrom(ctx.keys, inputs, groups, now).length === 0 };
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
  existing: KscParams,
): Promise<{ info: KscParams; adopted: boolean }> {
  const differences = differencesFrom(ctx.keys, inputs, groups, existing);
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
  assertNoPushPortClash(ctx, existing, inputs);
  const written = await writeDp(ctx, device.hostId, existing, (i) =>
    overlay(ctx.keys, i, inputs, groups),
  ).catch((err) => {
    throw doing(`taking over the distribution point ${describeDevice(device)}`, err);
  });
  ctx.log("info", `took over the existing distribution point ${describeDevice(device)} (adopt: true)`);
  return { info: written, adopted: true };
}

/** The server's template for a new DP, read once per provider process. */
function registrationTemplate(ctx: ResourceContext): Promise<KscParams> {
  return once(ctx, "DP registration template", () =>
    ctx.client.uaControl.getDefaultUpdateAgentRegistrationInfo(),
  );
}

async function ensureManualAssignment(ctx: ResourceContext, inputs: Inputs): Promise<void> {
  // A process that saw automatic assignment off (or turned it off) need not ask again.
  const seen = processState(ctx, "manual DP assignment", () => ({ off: false }));
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

function assertNoPushPortClash(ctx: ResourceContext, info: KscParams, i: Inputs): void {
  const push = pushSettingsOf(ctx.keys, info);
  if (!push.enabled || push.port === undefined) return;
  const clash = clashingDpPort({ port: i.port, nonSslPort: i.nonSslPort }, push.port);
  if (clash) {
    throw new InputError(
      i.port === push.port ? "port" : "nonSslPort",
      `${push.port} is the port of the push server running on this distribution point; choose another port`,
    );
  }
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

/** The inputs that would produce these outputs (for `pulumi refresh`). */
export function inputsFrom(o: Outputs): Inputs {
  const i: Inputs = {
    scopeGroups: o.scopeGroups,
    scopeNlaNetworks: o.scopeNlaNetworks,
    port: o.port,
    nonSslPort: o.nonSslPort,
    multicastAddress: o.multicastAddress,
    distributeUpdates: o.distributeUpdates,
    distributePackages: o.distributePackages,
    customFolder: o.customFolder,
    connectionGateway: o.connectionGateway,
    gatewayRemoteAddress: o.gatewayRemoteAddress,
    gatewayServerInitiatesConnection: o.gatewayServerInitiatesConnection,
    disableAutomaticAssignment: o.disableAutomaticAssignment ?? true,
    adopt: o.adopt ?? false,
  };
  if (o.deviceName !== undefined) i.deviceName = o.deviceName;
  i.hostId = o.hostId;
  return i;
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
  const info = await dpHostLock.run(id, async () => {
    const current = await readDp(ctx, id);
    if (!current) {
      throw new Error(
        `${olds.displayName ?? id} (hostId ${quote(id)}) is no longer a distribution point (removed in the console?): run \`pulumi refresh\` to drop it from the state, then \`pulumi up\` to create it again`,
      );
    }
    assertNoPushPortClash(ctx, current, news);
    return writeDp(ctx, id, current, (i) => overlay(ctx.keys, i, news, groups)).catch((err) => {
      throw doing(`updating the distribution point ${olds.displayName ?? id} (hostId ${quote(id)})`, err);
    });
  });
  const names = { displayName: olds.displayName, fqdn: olds.fqdn };
  return { outs: await outputsOf(ctx, id, info, carriedFrom(news, olds.adopted ?? false), names, groups) };
}

async function remove(ctx: ResourceContext, id: string, props: Partial<Outputs>): Promise<void> {
  await dpHostLock.run(id, () =>
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

/** Whether the declared scope groups name exactly the groups of the last read (ids and paths both count). */
function sameScopeGroups(olds: Partial<Outputs>, news: Inputs): boolean {
  if (containsUnknown(news.scopeGroups)) return false;
  const actual = olds.scope?.groups;
  if (!actual) return JSON.stringify(olds.scopeGroups ?? []) === JSON.stringify(news.scopeGroups ?? []);
  const ids: number[] = [];
  for (const ref of news.scopeGroups ?? []) {
    const g =
      typeof ref === "number" ? actual.find((a) => a.id === ref) : actual.find((a) => samePath(a.path, ref));
    if (!g) return false;
    ids.push(g.id);
  }
  return (
    ids.length === new Set(ids).size &&
    sameNumberSet(
      ids,
      actual.map((a) => a.id),
    )
  );
}

/** Declared inputs against the last outputs read from the console. Ignores form-only differences. */
export function diff(olds: Partial<Outputs>, news: Inputs): DiffResult {
  const diffs: string[] = [];
  const replaces: string[] = [];
  if (!sameDevice(olds, news)) {
    const p = deviceProperty(news);
    diffs.push(p);
    replaces.push(p);
  }
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
  return { changes: diffs.length > 0, replaces, deleteBeforeReplace: false, diffs };
}
