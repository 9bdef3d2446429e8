// HostGroup model: administration groups and managed devices (docs/ksc-open-api.md#hostgroup).
import { datetime, isParams, KParams, KValue, long, params } from "../codec";
import { Backend } from "../backend";
import { BadFormat, InvalidArgument, NotFound, NotPermitted } from "../errors";
import { AttrType, checkFilter, matches, parseFilter } from "../filter";
import { childrenOf, fullGroupName, Group, groupLevel, Host, subtreeIds } from "../state";
import { ChunkAccessorModel } from "./chunkAccessor";

/** PROPOSED, unverified: no documented limit for group and display names; one constant to correct. */
export const PROPOSED_MAX_NAME_LENGTH = 255;

export interface SortField {
  name: string;
  asc: boolean;
}

export class HostGroupModel {
  constructor(
    private readonly b: Backend,
    private readonly chunks: ChunkAccessorModel,
  ) {}

  hostAttrSchema(): Record<string, AttrType> {
    return {
      KLHST_WKS_HOSTNAME: "string",
      KLHST_WKS_DN: "string",
      KLHST_WKS_GROUPID: "int",
      KLHST_WKS_FQDN: "string",
      KLHST_WKS_DNSNAME: "string",
      KLHST_WKS_DNSDOMAIN: "string",
      KLHST_WKS_WINHOSTNAME: "string",
      KLHST_WKS_WINDOMAIN: "string",
      KLHST_WKS_IP_LONG: "long",
      KLHST_WKS_STATUS: "int",
      KLHST_INSTANCEID: "string",
      KLHST_WKS_NAG_VERSION: "string",
      KLHST_WKS_FROM_UNASSIGNED: "bool",
      KLHST_WKS_OS_NAME: "string",
      KLHST_WKS_CREATED: "datetime",
      KLHST_WKS_LAST_VISIBLE: "datetime",
      [this.b.keys.host.keepConnection]: "bool",
    };
  }

  groupAttrSchema(): Record<string, AttrType> {
    return {
      id: "int",
      name: "string",
      parentId: "int",
      grp_full_name: "string",
      level: "int",
      creationDate: "datetime",
      lastUpdate: "datetime",
      KLGRP_CHLDHST_CNT: "int",
    };
  }

  hostAttributes(h: Host): Map<string, KValue> {
    const windows = h.osName.includes("Windows");
    const short = h.fqdn.split(".")[0];
    return new Map<string, KValue>([
      ["KLHST_WKS_HOSTNAME", h.hostId],
      ["KLHST_WKS_DN", h.displayName],
      ["KLHST_WKS_GROUPID", h.groupId],
      ["KLHST_WKS_FQDN", h.fqdn],
      ["KLHST_WKS_DNSNAME", short],
      ["KLHST_WKS_DNSDOMAIN", h.fqdn.split(".").slice(1).join(".")],
      ["KLHST_WKS_WINHOSTNAME", windows ? short.toUpperCase().slice(0, 15) : ""],
      ["KLHST_WKS_WINDOMAIN", windows ? "CORP" : ""],
      ["KLHST_WKS_IP_LONG", long(h.ipLong)],
      ["KLHST_WKS_STATUS", h.status],
      ["KLHST_INSTANCEID", h.instanceId],
      ["KLHST_WKS_NAG_VERSION", h.nagVersion],
      ["KLHST_WKS_FROM_UNASSIGNED", h.fromUnassigned],
      ["KLHST_WKS_OS_NAME", h.osName],
      ["KLHST_WKS_CREATED", datetime(h.created)],
      ["KLHST_WKS_LAST_VISIBLE", datetime(this.b.nowIso())],
      [this.b.keys.host.keepConnection, h.keepConnection],
    ]);
  }

  groupAttributes(g: Group): Map<string, KValue> {
    const s = this.b.state;
    let hostCount = 0;
    for (const h of s.hosts.values()) if (h.groupId === g.id) hostCount++;
    const attrs = new Map<string, KValue>([
      ["id", g.id],
      ["name", g.name],
      ["grp_full_name", fullGroupName(s, g.id)],
      ["level", groupLevel(s, g.id)],
      ["creationDate", datetime(g.created)],
      ["lastUpdate", datetime(g.created)],
      ["KLGRP_CHLDHST_CNT", hostCount],
    ]);
    if (g.parentId !== null) attrs.set("parentId", g.parentId);
    return attrs;
  }

  ids(): { managed: number; unassigned: number; super: number } {
    const s = this.b.state;
    return { managed: s.managedGroupId, unassigned: s.unassignedGroupId, super: s.superGroupId };
  }

  group(id: number): Group {
    const g = this.b.state.groups.get(id);
    if (!g) throw new NotFound(`group ${id} not found`);
    return g;
  }

  host(hostId: string): Host {
    const h = this.b.state.hosts.get(hostId);
    if (!h) throw new NotFound(`host ${hostId} not found`);
    return h;
  }

  getGroupId(parentId: number, name: string): number {
    this.group(parentId);
    const child = childrenOf(this.b.state, parentId).find((g) => g.name === name);
    if (!child) throw new NotFound(`group "${name}" not found in group ${parentId}`);
    return child.id;
  }

  getGroupInfo(id: number, attrs: string[]): KParams {
    const all = this.groupAttributes(this.group(id));
    return pick(all, attrs);
  }

  getSubgroups(id: number, depth: number): KParams[] {
    this.group(id);
    // nDepth 0 = the whole tree below, N = N levels [INFERRED].
    const walk = (parent: number, level: number): KParams[] =>
      childrenOf(this.b.state, parent).map((g) => {
        const p = params({ id: g.id, name: g.name, parentId: parent });
        if (depth <= 0 || level < depth) {
          const sub = walk(g.id, level + 1);
          if (sub.length) p.map.set("groups", sub);
        }
        return p;
      });
    return walk(id, 1);
  }

  addGroup(info: KParams): number {
    const name = info.map.get("name");
    const parentId = info.map.get("parentId");
    if (name === undefined) throw new InvalidArgument("pInfo.name is mandatory");
    if (parentId === undefined) throw new InvalidArgument("pInfo.parentId is mandatory");
    if (typeof name !== "string") throw new BadFormat("pInfo.name: expected a string");
    if (typeof parentId !== "number") throw new BadFormat("pInfo.parentId: expected an int");
    checkName(name, "pInfo.name");
    const parent = this.group(parentId);
    const s = this.b.state;
    if (parent.id === s.superGroupId || parent.id === s.unassignedGroupId) {
      throw new NotPermitted(`groups cannot be created in "${parent.name}"`);
    }
    if (childrenOf(s, parentId).some((g) => g.name === name)) {
      throw new NotPermitted(`a group named "${name}" already exists in "${parent.name}"`);
    }
    const id = s.nextGroupId++;
    s.groups.set(id, { id, name, parentId, created: this.b.nowIso() });
    this.b.touch();
    return id;
  }

  /** nFlags [INFERRED]: 2 = also delete subgroups, 4 = move the group's devices to Unassigned. */
  removeGroup(id: number, flags: number): string {
    const s = this.b.state;
    const g = this.group(id);
    if (id === s.superGroupId || id === s.managedGroupId || id === s.unassignedGroupId) {
      throw new NotPermitted(`group "${g.name}" cannot be removed`);
    }
    const ids = subtreeIds(s, id);
    const hasSubgroups = ids.size > 1;
    const hosts = [...s.hosts.values()].filter((h) => ids.has(h.groupId));
    if (hasSubgroups && !(flags & 2)) throw new NotPermitted(`group "${g.name}" has subgroups`);
    if (hosts.length && !(flags & 4)) throw new NotPermitted(`group "${g.name}" contains devices`);
    for (const h of hosts) h.groupId = s.unassignedGroupId;
    for (const gid of ids) s.groups.delete(gid);
    for (const [pid, p] of s.policies) if (ids.has(p.groupId)) s.policies.delete(pid);
    // DP scopes drop the removed groups.
    for (const info of s.dps.values()) {
      const scope = info.map.get("UaScope");
      if (!isParams(scope)) continue;
      const groups = scope.map.get("ScopeGroups");
      if (!Array.isArray(groups)) continue;
      scope.map.set(
        "ScopeGroups",
        groups.filter((e) => {
          if (!isParams(e)) return true;
          const sid = e.map.get("ScopeId");
          return !(
            typeof sid === "object" &&
            sid !== null &&
            !Array.isArray(sid) &&
            sid.kind === "long" &&
            ids.has(sid.value)
          );
        }),
      );
    }
    this.b.touch();
    return this.b.randomId(12);
  }

  findHosts(
    filter: string,
    fields: string[],
    order: SortField[],
    lifetimeS: number,
  ): { count: number; accessor: string } {
    const tree = parseFilter(filter, this.b.now());
    const schema = this.hostAttrSchema();
    checkFilter(tree, schema);
    checkOrder(order, schema);
    const rows = [...this.b.state.hosts.values()]
      .map((h) => this.hostAttributes(h))
      .filter((a) => matches(tree, a));
    sortRows(rows, order);
    const items = rows.map((a) => pick(a, fields));
    return { count: items.length, accessor: this.chunks.create(items, lifetimeS) };
  }

  findGroups(
    filter: string,
    fields: string[],
    order: SortField[],
    lifetimeS: number,
  ): { count: number; accessor: string } {
    const tree = parseFilter(filter, this.b.now());
    const schema = this.groupAttrSchema();
    checkFilter(tree, schema);
    checkOrder(order, schema);
    const s = this.b.state;
    // The super group and "Unassigned devices" are not administration groups.
    const rows = [...s.groups.values()]
      .filter((g) => g.id !== s.superGroupId && g.id !== s.unassignedGroupId)
      .map((g) => this.groupAttributes(g))
      .filter((a) => matches(tree, a));
    sortRows(rows, order);
    const items = rows.map((a) => pick(a, fields));
    return { count: items.length, accessor: this.chunks.create(items, lifetimeS) };
  }

  getHostInfo(hostId: string, fields: string[]): KParams {
    const attrs = this.hostAttributes(this.host(hostId));
    return fields.length ? pick(attrs, fields) : params(attrs);
  }

  updateHost(hostId: string, info: KParams): void {
    const h = this.host(hostId);
    const keep = this.b.keys.host.keepConnection;
    // Validate everything first: a rejected call changes nothing.
    for (const [k, v] of info.map) {
      if (k === "KLHST_WKS_DN") {
        if (typeof v !== "string") throw new BadFormat("pInfo.KLHST_WKS_DN: expected a string");
        checkName(v, "pInfo.KLHST_WKS_DN");
      } else if (k === keep) {
        if (typeof v !== "boolean") throw new BadFormat(`pInfo.${keep}: expected a boolean`);
      } else {
        throw new InvalidArgument(`host attribute ${k} cannot be changed with UpdateHost`);
      }
    }
    const dn = info.map.get("KLHST_WKS_DN");
    if (typeof dn === "string") h.displayName = dn;
    const kc = info.map.get(keep);
    if (typeof kc === "boolean") h.keepConnection = kc;
    this.b.touch();
  }

  moveHostsToGroup(groupId: number, hostIds: string[]): void {
    this.group(groupId);
    const hosts = hostIds.map((id) => this.host(id));
    for (const h of hosts) h.groupId = groupId;
    this.b.touch();
  }
}

export function checkName(name: string, what: string): void {
  if (name.trim() === "") throw new InvalidArgument(`${what} must not be empty`);
  if (name.length > PROPOSED_MAX_NAME_LENGTH) {
    throw new InvalidArgument(`${what} is longer than ${PROPOSED_MAX_NAME_LENGTH} characters`);
  }
}

function pick(attrs: Map<string, KValue>, fields: string[]): KParams {
  const out = new Map<string, KValue>();
  for (const f of fields) {
    const v = attrs.get(f);
    if (v !== undefined) out.set(f, v);
  }
  return { kind: "params", map: out };
}

function checkOrder(order: SortField[], schema: Record<string, AttrType>): void {
  for (const o of order)
    if (!schema[o.name]) throw new BadFormat(`vecFieldsToOrder: unknown attribute ${o.name}`);
}

function sortKey(v: KValue | undefined): string | number {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v.toLowerCase();
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (!Array.isArray(v) && "value" in v && (typeof v.value === "number" || typeof v.value === "string"))
    return v.value;
  return "";
}

function sortRows(rows: Map<string, KValue>[], order: SortField[]): void {
  if (!order.length) return;
  rows.sort((a, b) => {
    for (const o of order) {
      const x = sortKey(a.get(o.name));
      const y = sortKey(b.get(o.name));
      if (x < y) return o.asc ? -1 : 1;
      if (x > y) return o.asc ? 1 : -1;
    }
    return 0;
  });
}

/** vecFieldsToOrder: elements {Name, Asc} (wrapped params); a bare string means ascending. */
export function parseOrder(arr: KValue[]): SortField[] {
  return arr.map((e, i) => {
    if (typeof e === "string") return { name: e, asc: true };
    if (!isParams(e)) throw new BadFormat(`vecFieldsToOrder[${i}]: expected params {Name, Asc}`);
    const name = e.map.get("Name");
    const asc = e.map.get("Asc");
    if (typeof name !== "string") throw new BadFormat(`vecFieldsToOrder[${i}].Name: expected a string`);
    if (asc !== undefined && typeof asc !== "boolean")
      throw new BadFormat(`vecFieldsToOrder[${i}].Asc: expected a boolean`);
    return { name, asc: asc !== false };
  });
}

export function parseStringList(arr: KValue[], what: string): string[] {
  return arr.map((e, i) => {
    if (typeof e !== "string") throw new BadFormat(`${what}[${i}]: expected a string`);
    return e;
  });
}
