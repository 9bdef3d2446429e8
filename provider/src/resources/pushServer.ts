// PushServer: runs a push server on a distribution point. It owns the push-server keys of the DP object (PROPOSED
// names, see ../ksc/keys.ts) and nothing else: enabling and changing go through read-modify-write of the DP
// object under the host's lock; deleting turns the push server off and leaves the DP. The host's keep-connection
// flag, which KSC turns on with the push server, is reported but never compared.
import { DpObject } from "../ksc/dpObject";
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
  quote,
  unchangedDeclaration,
} from "./common";
import { deviceById, deviceConnection } from "./devices";
import {
  PushSettings,
  dpForCheck,
  pushPortClash,
  readDp,
  requirePushKeys,
  sharedDpRead,
  writeDp,
} from "./dpObject";
import type { PushServerCheckedInputs as Inputs, PushServerOutputs as Outputs } from "./schema.generated";
import type { ResourceKind } from "./schemaTypes";
import { ResourceProvider, diffResult } from "./provider";
import { duplicateReason } from "./state";
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
  return ctx.state.settledClaim(PS_KIND, news, () => verifyHost(ctx, olds, news));
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
    const other = ctx.state.claim(PS_KIND, news.hostId, name, olds.hostId === news.hostId);
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
  const declared = ctx.state.declaredDpPorts(news.hostId);
  if (declared && unchangedDeclaration(olds, news, ["hostId"])) {
    // A running push server moves to another port, on a DP this program declares: its declared ports are what
    // the new port must not take (update() checks the console's again, under the host's lock).
    const clash = isUnknown(news.port) ? undefined : pushPortClash(declared, news.port);
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
    const declared = ctx.state.declaredDpPorts(news.hostId);
    if (device && !declared) {
      failures.push({ property: "hostId", reason: notADpReason(news.hostId, device.displayName, true) });
    }
    const clash = declared && !isUnknown(news.port) ? pushPortClash(declared, news.port) : undefined;
    if (clash) failures.push({ property: "port", reason: clash });
    return failures;
  }
  requirePushKeys(info);
  const ports = ctx.state.declaredDpPorts(news.hostId) ?? info.ports;
  const clash = isUnknown(news.port) ? undefined : pushPortClash(ports, news.port);
  if (clash) failures.push({ property: "port", reason: clash });
  const push = info.pushServer;
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

/** The DP object with this resource's push server on, as declared. */
function withPush(dp: DpObject, i: Inputs): DpObject {
  return dp.withPushServer({ enabled: true, port: i.port, remoteAddress: i.remoteAddress });
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
  hostId: string,
  dp: DpObject,
  carried: { adopt?: boolean; adopted: boolean },
  connection: { displayName?: string; keepConnection: boolean },
): Outputs {
  requirePushKeys(dp);
  const displayName = dp.displayName || connection.displayName || hostId;
  const push = dp.pushServer;
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
  const { info, adopted, turnedOn } = await ctx.state.dpHostLock.run(hostId, async () => {
    const current = await readDp(ctx, hostId);
    if (!current) throw await notADp(ctx, hostId);
    requirePushKeys(current);
    const where = describeHost(hostId, current.displayName);
    const clash = pushPortClash(current.ports, inputs.port);
    if (clash) throw new InputError("port", clash);
    const push = current.pushServer;
    if (matches(push, inputs)) {
      // Running exactly as declared: this resource's own write from a run whose result was lost, or a push
      // server set up by hand the same way. Either way the declaration holds.
      ctx.log("info", `the push server on ${where} already runs as declared; managing it`);
      return { info: current, adopted: true, turnedOn: false };
    }
    if (push.enabled && !inputs.adopt) throw new InputError("hostId", alreadyRunningMessage(where, push));
    const written = await writeDp(ctx, hostId, withPush(current, inputs)).catch(async (err) => {
      // The write may have been applied and only its reply lost: then the DP now holds exactly our settings.
      const now = await readDp(ctx, hostId).catch(() => undefined);
      if (now && matches(now.pushServer, inputs)) return now;
      throw doing(`enabling the push server on ${where}`, err);
    });
    if (push.enabled) ctx.log("info", `took over the push server running on ${where} (adopt: true)`);
    return { info: written, adopted: push.enabled, turnedOn: !push.enabled };
  });
  const carried = { adopt: inputs.adopt, adopted };
  const connection = turnedOn ? KEPT_BY_PUSH_SERVER : await deviceConnection(ctx, hostId, true);
  const outs = outputsOf(hostId, info, carried, connection);
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
  const outs = outputsOf(id, info, carried, await deviceConnection(ctx, id, false));
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
  const { info, wasRunning } = await ctx.state.dpHostLock.run(id, async () => {
    const current = await readDp(ctx, id);
    if (!current) throw await notADp(ctx, id);
    const clash = pushPortClash(current.ports, news.port);
    if (clash) throw new InputError("port", clash);
    const written = await writeDp(ctx, id, withPush(current, news)).catch((err) => {
      throw doing(`changing the push server on ${describeHost(id, olds.displayName)}`, err);
    });
    return { info: written, wasRunning: current.pushServer.enabled };
  });
  // A push server that kept running (a new port or address) leaves the device's keep-connection as it was;
  // one turned on again (it was off in the console) turned it on.
  const connection = wasRunning
    ? { displayName: olds.displayName, keepConnection: olds.keepConnection }
    : KEPT_BY_PUSH_SERVER;
  const outs = outputsOf(id, info, { adopt: news.adopt, adopted: olds.adopted ?? false }, connection);
  // The port to open is said whenever the push server starts listening somewhere new: on create, on a new port, and
  // when it is turned on again after it was turned off in the console.
  if (!wasRunning || olds.port !== outs.port) ctx.log("info", outs.firewallNote);
  return { outs };
}

async function remove(ctx: ResourceContext, id: string, props: Partial<Outputs>): Promise<void> {
  await ctx.state.dpHostLock.run(id, async () => {
    const current = await readDp(ctx, id);
    if (!current || !current.pushServer.enabled) return; // nothing runs any more
    await writeDp(ctx, id, current.withPushServer({ enabled: false })).catch((err) => {
      throw doing(`turning off the push server on ${describeHost(id, props.displayName)}`, err);
    });
  });
}
export { remove as delete };

// ---- diff ----

export function diff(olds: Partial<Outputs>, news: Inputs): DiffResult {
  const diffs: string[] = [];
  if (isUnknown(news.hostId) || news.hostId !== olds.hostId) diffs.push("hostId");
  for (const p of ["port", "remoteAddress"] as const) {
    if (isUnknown(news[p]) || news[p] !== olds[p]) diffs.push(p);
  }
  if (olds.running === false) diffs.push("running"); // turned off in the console: up turns it on again
  return diffResult(PS_KIND, diffs);
}

/** PushServer for the glue: typed inputs and outputs from schema.json. */
export const provider: ResourceProvider<Inputs, Outputs> = {
  kind: PS_KIND,
  check,
  verify,
  diff,
  create,
  read,
  update,
  delete: remove,
};
