// The DP object (`pUaInfo` of UaControl, typed by ../ksc/dpObject.ts) that DistributionPoint and PushServer share.
// ModifyUpdateAgent replaces it wholesale, so every writer reads the full object, changes only the fields it owns
// and writes it all back: keys it does not know (other resources' fields, server additions) round-trip untouched.
// Writers hold the host's lock (ctx.state.dpHostLock) around the whole read-modify-write.
import { DpObject, DpPorts, clashingDpPort } from "../ksc/dpObject";
import { isNotFound } from "../ksc/errors";
import { KeyNameError, ResourceContext } from "./common";

export type { DpPorts, PushServerSettings as PushSettings } from "../ksc/dpObject";

/** The DP object of a host, or undefined when the host is not a distribution point. */
export async function readDp(ctx: ResourceContext, hostId: string): Promise<DpObject | undefined> {
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
  read: Promise<DpObject | undefined>;
  takenBy: Set<DpReader>;
}

/** The DP object reads this process shares, by host id (see sharedDpRead). */
const sharedDpReads = (ctx: ResourceContext) =>
  ctx.state.processState("shared DP reads", () => new Map<string, SharedDpRead>());

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
): Promise<DpObject | undefined> {
  const rule = ctx.state.processState<DpReadSharing>(DP_READ_SHARING, () => PER_PASS);
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
  const dps = await ctx.state
    .once("distribution points", async () => {
      const list = await ctx.client.uaControl.getUpdateAgentsList();
      return new Set(list.map((d) => d.hostId));
    })
    .catch(() => undefined);
  return !dps || dps.has(hostId);
}

/** The DPs this process registered, by host id. */
const registeredDps = (ctx: ResourceContext) =>
  ctx.state.processState("registered DPs", () => new Map<string, DpObject>());

/** This process registered the host as a new DP, with this object (the server's template and the declared
 *  settings; its push server off, as the template has it). */
export function noteRegisteredDp(ctx: ResourceContext, hostId: string, dp: DpObject): void {
  registeredDps(ctx).set(hostId, dp);
}

/**
 * The DP object of a host, read-only, for the checks of a preview: the object this process registered a moment ago
 * when there is one (a PushServer is checked right after its DP is created in the same run), else as read, and
 * undefined when the host is no DP.
 */
export async function dpForCheck(ctx: ResourceContext, hostId: string): Promise<DpObject | undefined> {
  const mine = registeredDps(ctx).get(hostId);
  if (mine) return mine;
  return (await mayBeDp(ctx, hostId)) ? sharedDpRead(ctx, hostId, "check") : undefined;
}

/** Write back a full DP object, as changed by the caller in its own fields. Call with the host's lock held. */
export async function writeDp(ctx: ResourceContext, hostId: string, next: DpObject): Promise<DpObject> {
  const written = next.withHostId(hostId);
  dropSharedDpRead(ctx, hostId);
  try {
    await ctx.client.uaControl.modifyUpdateAgent(written);
  } finally {
    dropSharedDpRead(ctx, hostId); // a read shared while the write ran may be older than it
  }
  return written;
}

/** The push-server keys must be in the DP's settings (the server lists every setting a DP has, with defaults). */
export function requirePushKeys(dp: DpObject): void {
  const missing = dp.missingPushServerKeys();
  if (missing.length > 0) throw new KeyNameError("distribution point setting", missing);
}

const DP_PORT_WORDS = {
  port: "its TLS port for Network Agents (DistributionPoint port)",
  nonSslPort: "its non-TLS port for Network Agents (DistributionPoint nonSslPort)",
} as const;

/** Why a push server cannot take `pushPort` on a DP with these ports (clashingDpPort), or undefined. */
export function pushPortClash(ports: DpPorts, pushPort: number): string | undefined {
  const which = clashingDpPort(ports, pushPort);
  return (
    which &&
    `${pushPort} is already used by the distribution point as ${DP_PORT_WORDS[which]}; choose another port`
  );
}

/**
 * The DP property that cannot take its declared port because the DP's running push server uses it
 * (clashingDpPort), with the reason; undefined when none.
 */
export function dpPortClash(
  ports: DpPorts,
  push: { enabled: boolean; port?: number },
): { property: "port" | "nonSslPort"; reason: string } | undefined {
  if (!push.enabled || push.port === undefined) return undefined;
  const property = clashingDpPort(ports, push.port);
  return (
    property && {
      property,
      reason: `${push.port} is the port of the push server running on this distribution point; choose another port`,
    }
  );
}
