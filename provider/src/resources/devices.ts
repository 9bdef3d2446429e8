// A managed device by host id, or by display name / FQDN (which must match exactly one device).
import { isNotFound } from "../ksc/errors";
import { Host } from "../ksc/inventory";
import { InputError, ResourceContext, errorText, quote, sameName } from "./common";
import { nameKey } from "./names";

export interface Device {
  hostId: string;
  displayName: string;
  fqdn?: string;
  groupId?: number;
}

export type DeviceRef = { hostId: string } | { deviceName: string };

export async function resolveDevice(ctx: ResourceContext, ref: DeviceRef): Promise<Device> {
  if ("hostId" in ref) return deviceById(ctx, ref.hostId, "hostId");
  return deviceByName(ctx, ref.deviceName);
}

// Devices are looked up one by one at first; from the fourth lookup in a provider process, the managed devices are
// listed once (FindHosts, then its chunks) and later lookups are answered from that list. check() runs one
// resource at a time, so a search per DistributionPoint (FindHosts, a chunk, Release: three calls) costs its full
// latency in series; the list costs a few calls once, and a program with a handful of DPs never pays for it.
// A name or id missing from the list (a device added since) is still looked up on its own.
export const LIST_DEVICES_AFTER = 3;

interface DeviceList {
  rows: Host[];
  byId: Map<string, Host>;
  /** Rows by nameKey() of their display name and of their FQDN; rows with a name that has no key, aside. */
  byName: { keyed: Map<string, Host[]>; unkeyed: Host[] };
}

function indexByName(rows: Host[]): DeviceList["byName"] {
  const keyed = new Map<string, Host[]>();
  const unkeyed: Host[] = [];
  const add = (name: string | undefined, r: Host) => {
    if (!name) return;
    const key = nameKey(name);
    if (key === undefined) return void unkeyed.push(r);
    const list = keyed.get(key);
    if (list) list.push(r);
    else keyed.set(key, [r]);
  };
  for (const r of rows) {
    add(r.displayName, r);
    add(r.fqdn, r);
  }
  return { keyed, unkeyed };
}

/** The listed rows whose display name or FQDN is `name` (sameName), without comparing it with every row. */
function listedByName(list: DeviceList, name: string): Host[] {
  const key = nameKey(name);
  const candidates =
    key === undefined ? list.rows : [...(list.byName.keyed.get(key) ?? []), ...list.byName.unkeyed];
  return candidates.filter((r) => sameName(r.displayName, name) || sameName(r.fqdn, name));
}

/** The list of managed devices, once enough lookups were made in this process (else undefined). */
async function listedDevices(ctx: ResourceContext): Promise<DeviceList | undefined> {
  const state = ctx.state.processState("device lookups", () => ({ count: 0, failed: false }));
  state.count++;
  if (state.failed || state.count <= LIST_DEVICES_AFTER) return undefined;
  return ctx.state
    .once("devices", async () => {
      const rows = await ctx.client.inventory.list([
        "hostId",
        "displayName",
        "fqdn",
        "groupId",
        "keepConnection",
      ]);
      return { rows, byId: new Map(rows.map((r) => [r.hostId, r])), byName: indexByName(rows) };
    })
    .catch((err: unknown) => {
      // A server that refuses the listing (e.g. an attribute it does not know) is asked device by device.
      state.failed = true;
      ctx.log("debug", `listing the managed devices failed, looking them up one by one: ${errorText(err)}`);
      return undefined;
    });
}

function deviceOf(r: Host): Device {
  return { hostId: r.hostId, displayName: r.displayName, fqdn: r.fqdn || undefined, groupId: r.groupId };
}

export async function deviceById(ctx: ResourceContext, hostId: string, property: string): Promise<Device> {
  const listed = (await listedDevices(ctx))?.byId.get(hostId);
  if (listed) return deviceOf(listed);
  let info;
  try {
    info = await ctx.client.inventory.get(hostId, ["hostId", "displayName", "fqdn", "groupId"]);
  } catch (err) {
    if (isNotFound(err)) throw new InputError(property, `no managed device has host id ${quote(hostId)}`);
    throw err;
  }
  return { hostId, displayName: info.displayName ?? hostId, fqdn: info.fqdn, groupId: info.groupId };
}

/**
 * The device's display name and its "Do not disconnect from the Administration Server" flag, for reporting.
 * `fresh` asks the console now (right after a write that changes it); otherwise the process's device list may
 * answer. Fails with a KeyNameError when the server does not know the flag's key.
 */
export async function deviceConnection(
  ctx: ResourceContext,
  hostId: string,
  fresh: boolean,
): Promise<{ displayName?: string; keepConnection: boolean }> {
  const listed = fresh ? undefined : (await listedDevices(ctx))?.byId.get(hostId);
  // A listed row without the flag (a server may leave out empty attributes) is asked for on its own.
  if (listed?.keepConnection !== undefined) {
    return { displayName: listed.displayName || undefined, keepConnection: listed.keepConnection };
  }
  return ctx.client.inventory.connection(hostId);
}

async function deviceByName(ctx: ResourceContext, name: string): Promise<Device> {
  const list = await listedDevices(ctx);
  const listed = list && listedByName(list, name);
  const rows =
    listed && listed.length > 0
      ? listed
      : await ctx.client.inventory.findByName(name, ["hostId", "displayName", "fqdn", "groupId"]);
  // One device can match twice (display name and FQDN); a server may also compare case-sensitively or not.
  const byId = new Map<string, Host>();
  for (const r of rows) {
    if (sameName(r.displayName, name) || sameName(r.fqdn, name)) byId.set(r.hostId, r);
  }
  const matches = [...byId.values()];
  if (matches.length === 0) {
    throw new InputError("deviceName", `no managed device has the display name or FQDN ${quote(name)}`);
  }
  if (matches.length > 1) {
    const list = await Promise.all(
      matches.map(async (m) => {
        const group = await ctx.groups.byId(m.groupId).catch(() => undefined);
        return `${m.displayName} (hostId ${quote(m.hostId)}${group ? `, group ${quote(group.path)}` : ""})`;
      }),
    );
    throw new InputError(
      "deviceName",
      `${matches.length} managed devices match ${quote(name)}: ${list.join("; ")}. Set hostId to the one you mean instead of deviceName`,
    );
  }
  return deviceOf(matches[0]);
}
