// The inventory: managed devices and administration groups, typed: the host attributes and group fields the provider uses, by
// their own names (key names from keys.ts), over the HostGroup calls of any HostGroupApi.
import { GroupRecord, HostGroupApi, HostRecord, KscParams, KscValue } from "./api";
import { KeyNameError } from "./errors";
import { KeyNames } from "./keys";
import { kscBoolean, kscNumber, kscString } from "./values";

/** The host attributes the provider asks for, by their logical names in keys.ts (group `host`). */
export type HostField = "hostId" | "displayName" | "fqdn" | "groupId" | "keepConnection";

/** A managed device; an attribute not asked for, or not returned by the server, is undefined. */
export interface Host {
  hostId: string;
  displayName: string;
  fqdn?: string;
  groupId: number;
  /** "Do not disconnect from the Administration Server"; undefined when the server did not return the attribute. */
  keepConnection?: boolean;
}

/** A device as GetHostInfo returns it: only the attributes asked for (and returned) are set. */
export type HostInfo = Partial<Host>;

export interface InventoryApi {
  /** Every managed device (FindHosts with chunks), with these attributes. */
  list(fields: HostField[]): Promise<Host[]>;
  /** The devices whose display name or FQDN is `name` (as the server compares). */
  findByName(name: string, fields: HostField[]): Promise<Host[]>;
  /** One device's attributes (GetHostInfo); fails with isNotFound when there is no such device. */
  get(hostId: string, fields: HostField[]): Promise<HostInfo>;
  /** The display name and keep-connection flag; a KeyNameError when the server does not know the flag. */
  connection(hostId: string): Promise<{ displayName?: string; keepConnection: boolean }>;
  /** Every administration group (id, name, parent). */
  listGroups(): Promise<GroupRecord[]>;
}

export class Inventory implements InventoryApi {
  constructor(
    private readonly hostGroup: HostGroupApi,
    private readonly keys: KeyNames,
  ) {}

  async list(fields: HostField[]): Promise<Host[]> {
    const h = this.keys.host;
    const rows = await this.hostGroup.findHosts(
      { op: "<>", attribute: h.hostId, value: "" },
      this.names(fields),
    );
    return rows.map((r) => this.host(r));
  }

  async findByName(name: string, fields: HostField[]): Promise<Host[]> {
    const h = this.keys.host;
    const rows = await this.hostGroup.findHosts(
      {
        op: "or",
        clauses: [
          { op: "=", attribute: h.displayName, value: name },
          { op: "=", attribute: h.fqdn, value: name },
        ],
      },
      this.names(fields),
    );
    return rows.map((r) => this.host(r));
  }

  async get(hostId: string, fields: HostField[]): Promise<HostInfo> {
    return this.info(await this.hostGroup.getHostInfo(hostId, this.names(fields)));
  }

  async connection(hostId: string): Promise<{ displayName?: string; keepConnection: boolean }> {
    const info = await this.get(hostId, ["displayName", "keepConnection"]);
    return connectionOf(info, this.keys);
  }

  async listGroups(): Promise<GroupRecord[]> {
    const g = this.keys.group;
    return this.hostGroup.findGroups({ op: ">=", attribute: g.id, value: 0 }, [g.id, g.name, g.parentId]);
  }

  private names(fields: HostField[]): string[] {
    return fields.map((f) => this.keys.host[f]);
  }

  private host(r: HostRecord): Host {
    const out: Host = { hostId: r.hostId, displayName: r.displayName, groupId: r.groupId };
    if (r.fqdn) out.fqdn = r.fqdn;
    const keep = this.keys.host.keepConnection;
    if (keep in r) out.keepConnection = kscBoolean(r[keep] as KscValue) ?? false;
    return out;
  }

  private info(p: KscParams): HostInfo {
    const h = this.keys.host;
    const out: HostInfo = {};
    const hostId = kscString(p[h.hostId]);
    if (hostId !== undefined) out.hostId = hostId;
    const displayName = kscString(p[h.displayName]);
    if (displayName !== undefined) out.displayName = displayName;
    const fqdn = kscString(p[h.fqdn]);
    if (fqdn) out.fqdn = fqdn;
    const groupId = kscNumber(p[h.groupId]);
    if (groupId !== undefined) out.groupId = groupId;
    if (h.keepConnection in p) out.keepConnection = kscBoolean(p[h.keepConnection]) ?? false;
    return out;
  }
}

/** The connection report of a device whose attributes were read; a KeyNameError without the flag. */
export function connectionOf(
  info: HostInfo,
  keys: KeyNames,
): { displayName?: string; keepConnection: boolean } {
  if (info.keepConnection === undefined)
    throw new KeyNameError("device attribute", [keys.host.keepConnection]);
  return { displayName: info.displayName || undefined, keepConnection: info.keepConnection };
}
