// A managed device by host id, or by display name / FQDN (which must match exactly one device).
import { HostRecord } from "../ksc/api";
import { isNotFound } from "../ksc/errors";
import { InputError, ResourceContext, kscNumber, kscString, quote, sameName } from "./common";

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

export async function deviceById(ctx: ResourceContext, hostId: string, property: string): Promise<Device> {
  const h = ctx.keys.host;
  let info;
  try {
    info = await ctx.client.hostGroup.getHostInfo(hostId, [h.hostId, h.displayName, h.fqdn, h.groupId]);
  } catch (err) {
    if (isNotFound(err)) throw new InputError(property, `no managed device has host id ${quote(hostId)}`);
    throw err;
  }
  return {
    hostId,
    displayName: kscString(info[h.displayName]) ?? hostId,
    fqdn: kscString(info[h.fqdn]) || undefined,
    groupId: kscNumber(info[h.groupId]),
  };
}

async function deviceByName(ctx: ResourceContext, name: string): Promise<Device> {
  const h = ctx.keys.host;
  const rows = await ctx.client.hostGroup.findHosts(
    {
      op: "or",
      clauses: [
        { op: "=", attribute: h.displayName, value: name },
        { op: "=", attribute: h.fqdn, value: name },
      ],
    },
    [h.hostId, h.displayName, h.fqdn, h.groupId],
  );
  // One device can match twice (display name and FQDN); a server may also compare case-sensitively or not.
  const byId = new Map<string, HostRecord>();
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
  const m = matches[0];
  return { hostId: m.hostId, displayName: m.displayName, fqdn: m.fqdn || undefined, groupId: m.groupId };
}
