// The DP object (`pUaInfo` of UaControl) that DistributionPoint and PushServer share. ModifyUpdateAgent replaces
// it wholesale, so every writer reads the full object, overlays only the fields it owns and writes it all back:
// keys it does not know (other resources' fields, server additions) round-trip untouched. Writers hold the
// host's lock (dpHostLock) around the whole read-modify-write.
import { KscParams } from "../ksc/api";
import { isNotFound } from "../ksc/errors";
import { KeyNames } from "../ksc/keys";
import { KeyNameError, ResourceContext, cloneParams, kscBoolean, kscNumber, kscString } from "./common";
import { once, processState } from "./processCache";

/** The DP object of a host, or undefined when the host is not a distribution point. */
export async function readDp(ctx: ResourceContext, hostId: string): Promise<KscParams | undefined> {
  try {
    return await ctx.client.uaControl.getUpdateAgentInfo(hostId);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Who takes a shared read of a DP object: the two resources that hold parts of it, and the PushServer's check. */
export type DpReader = "DistributionPoint" | "PushServer" | "check";

interface SharedDpRead {
  read: Promise<KscParams | undefined>;
  takenBy: Set<DpReader>;
}

/** The DP object reads this process shares, by host id (see sharedDpRead). */
const sharedDpReads = (ctx: ResourceContext) =>
  processState(ctx, "shared DP reads", () => new Map<string, SharedDpRead>());

/** When a shared read may serve a reader, and when it is spent (dropped). */
export interface DpReadSharing {
  serves(takenBy: ReadonlySet<DpReader>, reader: DpReader): boolean;
  spent(takenBy: ReadonlySet<DpReader>): boolean;
}

/** Within one pass: a reader takes a read once; both resources took it, it is gone. */
export const PER_PASS: DpReadSharing = {
  serves: (takenBy, reader) => !takenBy.has(reader),
  spent: (takenBy) => takenBy.has("DistributionPoint") && takenBy.has("PushServer"),
};

/** The process's sharing rule: PER_PASS (a test may set another one first, to show what it guards). */
export const DP_READ_SHARING = "DP read sharing";

/**
 * The DP object of a host for a read-only use (refresh, a check), shared with the other reader of the same object
 * within one pass: a DistributionPoint and its PushServer hold parts of one object, so a refresh reads it once for
 * both. A read is shared only within the pass it serves: it is dropped once both resources took it, and when a
 * reader asks a second time (its next pass: a process reads each resource once per pass), it reads afresh and its
 * new read is the one shared. A write to the host drops it too, and writers never use it (they read under the
 * host's lock with readDp). So a change made in the console shows at the next pass at the latest, never hidden by
 * an older read (docs/performance.md).
 */
export function sharedDpRead(
  ctx: ResourceContext,
  hostId: string,
  reader: DpReader,
): Promise<KscParams | undefined> {
  const rule = processState<DpReadSharing>(ctx, DP_READ_SHARING, () => PER_PASS);
  const reads = sharedDpReads(ctx);
  let shared = reads.get(hostId);
  if (!shared || !rule.serves(shared.takenBy, reader)) {
    const read = readDp(ctx, hostId);
    const fresh: SharedDpRead = { read, takenBy: new Set() };
    read.catch(() => {
      if (reads.get(hostId) === fresh) reads.delete(hostId); // a failed read is not shared: the next reader tries
    });
    reads.set(hostId, fresh);
    shared = fresh;
  }
  shared.takenBy.add(reader);
  if (rule.spent(shared.takenBy)) reads.delete(hostId);
  return shared.read;
}

/** Forget the shared read of a host (around a write to it: ModifyUpdateAgent, RegisterUpdateAgent, UnregisterUpdateAgent). */
export function dropSharedDpRead(ctx: ResourceContext, hostId: string): void {
  sharedDpReads(ctx).delete(hostId);
}

/**
 * Whether the host may be a distribution point: false only when it was not one in the list of DPs taken once per
 * provider process (GetUpdateAgentsList), and this process did not register it since. The checks and creates of
 * new DistributionPoints need no GetUpdateAgentInfo for hosts that were not DPs; a host made a DP by hand since is
 * caught by RegisterUpdateAgent itself.
 */
export async function mayBeDp(ctx: ResourceContext, hostId: string): Promise<boolean> {
  if (registeredDps(ctx).has(hostId)) return true;
  const dps = await once(ctx, "distribution points", async () => {
    const list = await ctx.client.uaControl.getUpdateAgentsList();
    return new Set(list.map((d) => d.hostId));
  }).catch(() => undefined);
  return !dps || dps.has(hostId);
}

/** The DPs this process registered, by host id. */
const registeredDps = (ctx: ResourceContext) =>
  processState(ctx, "registered DPs", () => new Map<string, KscParams>());

/** This process registered the host as a new DP, with this object (the server's template and the declared
 *  settings; its push server off, as the template has it). */
export function noteRegisteredDp(ctx: ResourceContext, hostId: string, info: KscParams): void {
  registeredDps(ctx).set(hostId, info);
}

/**
 * The DP object of a host, read-only, for the checks of a preview: the object this process registered a moment ago
 * when there is one (a PushServer is checked right after its DP is created in the same run), else as read, and
 * undefined when the host is no DP.
 */
export async function dpForCheck(ctx: ResourceContext, hostId: string): Promise<KscParams | undefined> {
  const mine = registeredDps(ctx).get(hostId);
  if (mine) return mine;
  return (await mayBeDp(ctx, hostId)) ? sharedDpRead(ctx, hostId, "check") : undefined;
}

/** Write back a full DP object after `overlay` changed the caller's own fields. Call with the host's lock held. */
export async function writeDp(
  ctx: ResourceContext,
  hostId: string,
  current: KscParams,
  overlay: (info: KscParams) => void,
): Promise<KscParams> {
  const next = cloneParams(current);
  overlay(next);
  next[ctx.keys.dp.hostId] = hostId;
  dropSharedDpRead(ctx, hostId);
  try {
    await ctx.client.uaControl.modifyUpdateAgent(next);
  } finally {
    dropSharedDpRead(ctx, hostId); // a read shared while the write ran may be older than it
  }
  return next;
}

export interface PushSettings {
  enabled: boolean;
  port?: number;
  remoteAddress: string;
}

export function pushSettingsOf(keys: KeyNames, info: KscParams): PushSettings {
  return {
    enabled: kscBoolean(info[keys.dp.pushServerEnabled]) ?? false,
    port: kscNumber(info[keys.dp.pushServerPort]),
    remoteAddress: kscString(info[keys.dp.pushServerRemoteAddress]) ?? "",
  };
}

/** The push-server keys must be in the DP's settings (the server lists every setting a DP has, with defaults). */
export function requirePushKeys(keys: KeyNames, info: KscParams): void {
  const missing = [keys.dp.pushServerEnabled, keys.dp.pushServerPort].filter((k) => !(k in info));
  if (missing.length > 0) throw new KeyNameError("distribution point setting", missing);
}

/** The TCP ports the DP itself listens on, by the DistributionPoint property that sets them. */
export interface DpPorts {
  port?: number;
  nonSslPort?: number;
}

export function dpPortsOf(keys: KeyNames, info: KscParams): DpPorts {
  return { port: kscNumber(info[keys.dp.port]), nonSslPort: kscNumber(info[keys.dp.nonSslPort]) };
}

/** Which DP port (if any) equals `port`, in words: "the DP's port (UaPort)". */
export function clashingDpPort(ports: DpPorts, port: number): string | undefined {
  if (ports.port === port) return "its TLS port for Network Agents (DistributionPoint port)";
  if (ports.nonSslPort === port) return "its non-TLS port for Network Agents (DistributionPoint nonSslPort)";
  return undefined;
}
