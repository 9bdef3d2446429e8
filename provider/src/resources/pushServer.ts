// PushServer: runs a push server on a distribution point. It owns the push-server keys of the DP object (PROPOSED
// names, see ../ksc/keys.ts) and nothing else: enabling and changing go through read-modify-write of the DP
// object under the host's lock; deleting turns the push server off and leaves the DP. The host's keep-connection
// flag, which KSC turns on with the push server, is reported but never compared.
import { KscLong, KscParams } from "../ksc/api";
import {
  CheckFailure,
  CheckResult,
  DiffResult,
  InputError,
  RESOURCE_NAME_KEY,
  ResourceContext,
  doing,
  errorText,
  isNewResource,
  isUnknown,
  kscString,
  quote,
  unchangedDeclaration,
} from "./common";
import { deviceById, deviceConnection } from "./devices";
import {
  DpPorts,
  PushSettings,
  clashingDpPort,
  dpPortsOf,
  dpForCheck,
  pushSettingsOf,
  readDp,
  requirePushKeys,
  sharedDpRead,
  writeDp,
} from "./dpObject";
import { dpHostLock } from "./lock";
import { claim, declaredDpPorts, duplicateReason, settledClaim } from "./registry";
import type { PushServerCheckedInputs as Inputs, PushServerOutputs as Outputs } from "./schema.generated";
import type { ResourceKind } from "./schemaTypes";
import { validateInputs } from "./validation";

/** What an administrator has to do by hand: KSC does not open the port on the DP host. */
export function firewallNote(port: number, displayName: string): string {
  return (
    `Open TCP port ${port} for incoming connections in the firewall of ${displayName}: ` +
    "KSC does not add the push-server port to the firewall exceptions of the distribution point."
  );
}

function describeHost(hostId: string, displayName?: string): string {
  return displayName && displayName !== hostId
    ? `${displayName} (hostId ${quote(hostId)})`
    : `host ${quote(hostId)}`;
}

function matches(push: PushSettings, i: Inputs): boolean {
  return push.enabled && push.port === i.port && push.remoteAddress === i.remoteAddress;
}

function portClash(ports: DpPorts, port: number): string | undefined {
  const which = clashingDpPort(ports, port);
  return which && `${port} is already used by the distribution point as ${which}; choose another port`;
}

function alreadyRunningMessage(where: string, push: PushSettings): string {
  return (
    `a push server already runs on ${where} (port ${push.port ?? "?"}${push.remoteAddress ? `, remote address ${quote(push.remoteAddress)}` : ""}). ` +
    "To manage it with this resource, set adopt: true (its settings are then changed to the declared ones), or declare the settings it has. " +
    "If another PushServer of this stack runs it, remove this declaration instead: a distribution point runs one push server"
  );
}

/** `declaredHere`: said at check, where a DistributionPoint declared in the program would have been seen. */
function notADpReason(hostId: string, displayName: string, declaredHere = false): string {
  return declaredHere
    ? `${describeHost(hostId, displayName)} is not a distribution point, and no DistributionPoint of this program ` +
        "declares it: declare a DistributionPoint for it and pass its hostId (hostId: dp.hostId), which also makes " +
        "the push server wait for its distribution point"
    : `${describeHost(hostId, displayName)} is not a distribution point: declare a DistributionPoint for it and ` +
        "pass its hostId (dp.hostId)";
}

// ---- check ----

export function check(_olds: Record<string, unknown>, news: Record<string, unknown>): CheckResult<Inputs> {
  return validateInputs<Inputs>("PushServer", news);
}

/**
 * Read-only checks for known values: one PushServer per DP in this program, a port the DP does not already use
 * (as declared in this program, or as the console has it), and for a new resource, a push server already running
 * is either equal to the declaration or adopted. For an existing resource whose DP and port did not change,
 * nothing is looked up again.
 */
export async function verify(
  ctx: ResourceContext,
  olds: Record<string, unknown>,
  news: Inputs & { [RESOURCE_NAME_KEY]?: string },
): Promise<CheckFailure[]> {
  if (isUnknown(news.hostId)) return [];
  return settledClaim(PS_KIND, news, () => verifyHost(ctx, olds, news));
}

const PS_KIND: ResourceKind = "PushServer";

async function verifyHost(
  ctx: ResourceContext,
  olds: Record<string, unknown>,
  news: Inputs & { [RESOURCE_NAME_KEY]?: string },
): Promise<CheckFailure[]> {
  const failures: CheckFailure[] = [];
  const name = news[RESOURCE_NAME_KEY];
  if (typeof name === "string") {
    const other = claim(PS_KIND, news.hostId, name, olds.hostId === news.hostId);
    if (other !== undefined && (other.newcomerPassed ?? true)) {
      failures.push({
        property: "hostId",
        reason: duplicateReason(PS_KIND, other, {
          verb: "runs",
          object: "the push server of this distribution point",
          rule: "a distribution point runs one push server",
        }),
      });
      return failures;
    }
  }
  if (unchangedDeclaration(olds, news, ["hostId", "port"])) return failures;
  const declared = declaredDpPorts(news.hostId);
  if (declared && unchangedDeclaration(olds, news, ["hostId"])) {
    // A running push server moves to another port, on a DP this program declares: its declared ports are what
    // the new port must not take (update() checks the console's again, under the host's lock).
    const clash = isUnknown(news.port) ? undefined : portClash(declared, news.port);
    if (clash) failures.push({ property: "port", reason: clash });
    return failures;
  }
  const info = await dpForCheck(ctx, news.hostId);
  if (!info) {
    // Not a DP: it must be one that this program declares (and creates in this run), on a device that exists.
    const device = await deviceById(ctx, news.hostId, "hostId").catch((err) => {
      if (err instanceof InputError) failures.push({ property: err.property, reason: err.reason });
      else throw err;
      return undefined;
    });
    const declared = declaredDpPorts(news.hostId);
    if (device && !declared) {
      failures.push({ property: "hostId", reason: notADpReason(news.hostId, device.displayName, true) });
    }
    const clash = declared && !isUnknown(news.port) ? portClash(declared, news.port) : undefined;
    if (clash) failures.push({ property: "port", reason: clash });
    return failures;
  }
  requirePushKeys(ctx.keys, info);
  const ports = declaredDpPorts(news.hostId) ?? dpPortsOf(ctx.keys, info);
  const clash = isUnknown(news.port) ? undefined : portClash(ports, news.port);
  if (clash) failures.push({ property: "port", reason: clash });
  const push = pushSettingsOf(ctx.keys, info);
  if (
    isNewResource(olds) &&
    push.enabled &&
    !news.adopt &&
    !isUnknown(news.port) &&
    !isUnknown(news.remoteAddress) &&
    !matches(push, news)
  ) {
    failures.push({ property: "hostId", reason: alreadyRunningMessage("this distribution point", push) });
  }
  return failures;
}

// ---- CRUD ----

function overlayPush(ctx: ResourceContext, i: Inputs): (info: KscParams) => void {
  const dp = ctx.keys.dp;
  return (info) => {
    info[dp.pushServerEnabled] = true;
    info[dp.pushServerPort] = new KscLong(i.port);
    info[dp.pushServerRemoteAddress] = i.remoteAddress;
  };
}

async function notADp(ctx: ResourceContext, hostId: string): Promise<InputError> {
  let device;
  try {
    device = await deviceById(ctx, hostId, "hostId");
  } catch (err) {
    return err instanceof InputError ? err : new InputError("hostId", errorText(err));
  }
  return new InputError("hostId", notADpReason(hostId, device.displayName));
}

/**
 * The outputs for a DP object that is what the console holds now (just read, or just written: no read-back), and
 * the device's keep-connection flag (`connection`).
 */
function outputsOf(
  ctx: ResourceContext,
  hostId: string,
  info: KscParams,
  carried: { adopt?: boolean; adopted: boolean },
  connection: { displayName?: string; keepConnection: boolean },
): Outputs {
  requirePushKeys(ctx.keys, info);
  const displayName = kscString(info[ctx.keys.dp.displayName]) || connection.displayName || hostId;
  const push = pushSettingsOf(ctx.keys, info);
  const port = push.port ?? 0;
  const out: Outputs = {
    hostId,
    displayName,
    port,
    remoteAddress: push.remoteAddress,
    keepConnection: connection.keepConnection,
    firewallNote: firewallNote(port, displayName),
    adopted: carried.adopted,
  };
  if (!push.enabled) out.running = false;
  if (carried.adopt !== undefined) out.adopt = carried.adopt;
  return out;
}

/**
 * The device's keep-connection flag once this resource turned a push server on: KSC turns "Do not disconnect from
 * the Administration Server" on with the push server (docs/push-server.md), so it is not asked for (one call per
 * push server saved; `pulumi refresh` reads it). A push server that ran already (matched, or taken over) leaves
 * the flag as someone set it: that one is asked for.
 */
const KEPT_BY_PUSH_SERVER = { keepConnection: true } as const;

export async function create(ctx: ResourceContext, inputs: Inputs): Promise<{ id: string; outs: Outputs }> {
  const hostId = inputs.hostId;
  const { info, adopted, turnedOn } = await dpHostLock.run(hostId, async () => {
    const current = await readDp(ctx, hostId);
    if (!current) throw await notADp(ctx, hostId);
    requirePushKeys(ctx.keys, current);
    const where = describeHost(hostId, kscString(current[ctx.keys.dp.displayName]));
    const clash = portClash(dpPortsOf(ctx.keys, current), inputs.port);
    if (clash) throw new InputError("port", clash);
    const push = pushSettingsOf(ctx.keys, current);
    if (matches(push, inputs)) {
      // Running exactly as declared: this resource's own write from a run whose result was lost, or a push
      // server set up by hand the same way. Either way the declaration holds.
      ctx.log("info", `the push server on ${where} already runs as declared; managing it`);
      return { info: current, adopted: true, turnedOn: false };
    }
    if (push.enabled && !inputs.adopt) throw new InputError("hostId", alreadyRunningMessage(where, push));
    const written = await writeDp(ctx, hostId, current, overlayPush(ctx, inputs)).catch(async (err) => {
      // The write may have been applied and only its reply lost: then the DP now holds exactly our settings.
      const now = await readDp(ctx, hostId).catch(() => undefined);
      if (now && matches(pushSettingsOf(ctx.keys, now), inputs)) return now;
      throw doing(`enabling the push server on ${where}`, err);
    });
    if (push.enabled) ctx.log("info", `took over the push server running on ${where} (adopt: true)`);
    return { info: written, adopted: push.enabled, turnedOn: !push.enabled };
  });
  const carried = { adopt: inputs.adopt, adopted };
  const connection = turnedOn ? KEPT_BY_PUSH_SERVER : await deviceConnection(ctx, hostId, true);
  const outs = outputsOf(ctx, hostId, info, carried, connection);
  ctx.log("info", outs.firewallNote);
  return { id: hostId, outs };
}

export async function read(
  ctx: ResourceContext,
  id: string,
  props: Partial<Outputs>,
): Promise<{ id: string; props?: Outputs; inputs?: Inputs }> {
  const info = await sharedDpRead(ctx, id, "PushServer");
  if (!info) return { id: "" }; // the DP is gone, and its push-server settings with it: the resource no longer exists
  const carried = { adopt: props.adopt, adopted: props.adopted ?? false };
  const outs = outputsOf(ctx, id, info, carried, await deviceConnection(ctx, id, false));
  const inputs: Inputs & { running?: false } = {
    hostId: id,
    port: outs.port,
    remoteAddress: outs.remoteAddress,
    adopt: outs.adopt ?? false,
  };
  // Turned off in the console, the push server's settings stay on the DP: drift of this resource (an update that
  // turns it on again), not a resource that is gone (which a reviewer would read as something new to create).
  if (outs.running === false) inputs.running = false;
  return { id, props: outs, inputs };
}

export async function update(
  ctx: ResourceContext,
  id: string,
  olds: Outputs,
  news: Inputs,
): Promise<{ outs: Outputs }> {
  const { info, wasRunning } = await dpHostLock.run(id, async () => {
    const current = await readDp(ctx, id);
    if (!current) throw await notADp(ctx, id);
    const clash = portClash(dpPortsOf(ctx.keys, current), news.port);
    if (clash) throw new InputError("port", clash);
    const written = await writeDp(ctx, id, current, overlayPush(ctx, news)).catch((err) => {
      throw doing(`changing the push server on ${describeHost(id, olds.displayName)}`, err);
    });
    return { info: written, wasRunning: pushSettingsOf(ctx.keys, current).enabled };
  });
  // A push server that kept running (a new port or address) leaves the device's keep-connection as it was;
  // one turned on again (it was off in the console) turned it on.
  const connection = wasRunning
    ? { displayName: olds.displayName, keepConnection: olds.keepConnection }
    : KEPT_BY_PUSH_SERVER;
  const outs = outputsOf(ctx, id, info, { adopt: news.adopt, adopted: olds.adopted ?? false }, connection);
  // The port to open is said whenever the push server starts listening somewhere new: on create, on a new port, and
  // when it is turned on again after it was turned off in the console.
  if (!wasRunning || olds.port !== outs.port) ctx.log("info", outs.firewallNote);
  return { outs };
}

async function remove(ctx: ResourceContext, id: string, props: Partial<Outputs>): Promise<void> {
  await dpHostLock.run(id, async () => {
    const current = await readDp(ctx, id);
    if (!current || !pushSettingsOf(ctx.keys, current).enabled) return; // nothing runs any more
    await writeDp(ctx, id, current, (info) => {
      info[ctx.keys.dp.pushServerEnabled] = false;
    }).catch((err) => {
      throw doing(`turning off the push server on ${describeHost(id, props.displayName)}`, err);
    });
  });
}
export { remove as delete };

// ---- diff ----

export function diff(olds: Partial<Outputs>, news: Inputs): DiffResult {
  const diffs: string[] = [];
  const replaces: string[] = [];
  if (isUnknown(news.hostId) || news.hostId !== olds.hostId) {
    diffs.push("hostId");
    replaces.push("hostId");
  }
  for (const p of ["port", "remoteAddress"] as const) {
    if (isUnknown(news[p]) || news[p] !== olds[p]) diffs.push(p);
  }
  if (olds.running === false) diffs.push("running"); // turned off in the console: up turns it on again
  return { changes: diffs.length > 0, replaces, deleteBeforeReplace: false, diffs };
}
