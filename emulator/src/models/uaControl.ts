// UaControl model: distribution points ("update agents") and their push-server option
// (docs/ksc-open-api.md#uacontrol).
import { clone, isLong, isParams, KParams, KValue, long, params, typeName } from "../codec";
import { Backend } from "../backend";
import { assignments, pushServerEnabled } from "../balance";
import { BadFormat, DpNotPermitted, InvalidArgument, NotFound } from "../errors";
import { PROPOSED_SERVES_HOST_AS_PUSH_SERVER } from "../keys";
import { Host } from "../state";
import { checkName, PROPOSED_MAX_NAME_LENGTH } from "./hostGroup";

type KeyType = "string" | "bool" | "long" | "params" | "any";

export class UaControlModel {
  constructor(private readonly b: Backend) {}

  /**
   * Types of the pUaInfo keys the emulator knows (docs/ksc-open-api.md#distribution-point-settings + the
   * proposed push keys). Other keys round-trip.
   */
  private keyTypes(): Record<string, KeyType> {
    const dp = this.b.keys.dp;
    return {
      UaHostId: "string",
      UaScope: "params",
      UaHostDisplayName: "string",
      UaIsCg: "bool",
      UaPort: "long",
      UaNonSslPort: "long",
      UaMulticastAddr: "string",
      UaDistributeUpdates: "bool",
      UaDistributePackages: "bool",
      UaCustomFolder: "string",
      UaUpdFolder: "string",
      UaUpdTask: "string",
      UaReserved: "bool",
      CgRemoteAddress: "string",
      CgServerInitiateConnection: "bool",
      CgWebConsolePort: "long",
      CgOpenWebConsolePort: "bool",
      CgMobilePort: "long",
      CgOpenMobilePort: "bool",
      CgMobileAuthPort: "long",
      CgOpenMobileAuthPort: "bool",
      CgMobileUrl: "string",
      CgMobileAuthCert: "any",
      [dp.pushServerEnabled]: "bool",
      [dp.pushServerPort]: "long",
      [dp.pushServerRemoteAddress]: "string",
    };
  }

  private portKeys(): string[] {
    return [
      "UaPort",
      "UaNonSslPort",
      "CgWebConsolePort",
      "CgMobilePort",
      "CgMobileAuthPort",
      this.b.keys.dp.pushServerPort,
    ];
  }

  defaults(): KParams {
    const dp = this.b.keys.dp;
    return params({
      UaIsCg: false,
      UaPort: long(13000),
      UaNonSslPort: long(14000),
      UaMulticastAddr: "",
      UaDistributeUpdates: true,
      UaDistributePackages: true,
      UaCustomFolder: "",
      UaUpdFolder: "",
      UaUpdTask: "",
      CgRemoteAddress: "",
      CgServerInitiateConnection: false,
      CgWebConsolePort: long(8080),
      CgOpenWebConsolePort: false,
      CgMobilePort: long(13292),
      CgOpenMobilePort: false,
      CgMobileAuthPort: long(13293),
      CgOpenMobileAuthPort: false,
      CgMobileUrl: "",
      // PROPOSED keys (docs/ksc-open-api.md#push-server)
      [dp.pushServerEnabled]: false,
      [dp.pushServerPort]: long(13295),
      [dp.pushServerRemoteAddress]: "",
    });
  }

  /** Type and range checks on a pUaInfo; throws before anything is changed. */
  private validate(info: KParams): void {
    const types = this.keyTypes();
    for (const [k, v] of info.map) {
      const t = types[k];
      if (!t || t === "any") continue;
      const ok =
        (t === "string" && typeof v === "string") ||
        (t === "bool" && typeof v === "boolean") ||
        (t === "long" && isLong(v)) ||
        (t === "params" && isParams(v));
      if (!ok) throw new BadFormat(`pUaInfo.${k}: expected ${t}, got ${typeName(v)}`);
    }
    for (const k of this.portKeys()) {
      const v = info.map.get(k);
      if (isLong(v) && (v.value < 1 || v.value > 65535)) {
        throw new InvalidArgument(`pUaInfo.${k}: port ${v.value} is outside 1..65535`);
      }
    }
    for (const k of [
      "UaMulticastAddr",
      "CgRemoteAddress",
      "CgMobileUrl",
      this.b.keys.dp.pushServerRemoteAddress,
    ]) {
      const v = info.map.get(k);
      if (typeof v === "string" && v.length > PROPOSED_MAX_NAME_LENGTH) {
        throw new InvalidArgument(`pUaInfo.${k} is longer than ${PROPOSED_MAX_NAME_LENGTH} characters`);
      }
    }
  }

  /**
   * Validate a UaScope (docs/ksc-open-api.md#scope) and return its stored form: group ids checked,
   * output-only parts dropped.
   */
  private normalizeScope(scope: KParams): KParams {
    const out = new Map<string, KValue>();
    const seen = new Set<number>();
    const groups: KParams[] = [];
    const rawGroups = scope.map.get("ScopeGroups");
    if (rawGroups !== undefined && !Array.isArray(rawGroups)) {
      throw new BadFormat(`pUaInfo.UaScope.ScopeGroups: expected an array, got ${typeName(rawGroups)}`);
    }
    (rawGroups ?? []).forEach((e, i) => {
      const id = scopeId(e, `pUaInfo.UaScope.ScopeGroups[${i}]`);
      if (!this.b.state.groups.has(id) || id === this.b.state.superGroupId) {
        throw new NotFound(`scope group ${id} not found`);
      }
      if (!seen.has(id)) {
        seen.add(id);
        groups.push(params({ ScopeId: long(id) }));
      }
    });
    const rawNla = scope.map.get("ScopeNlaNetworks");
    if (rawNla !== undefined && !Array.isArray(rawNla)) {
      throw new BadFormat(`pUaInfo.UaScope.ScopeNlaNetworks: expected an array, got ${typeName(rawNla)}`);
    }
    (rawNla ?? []).forEach((e, i) => scopeId(e, `pUaInfo.UaScope.ScopeNlaNetworks[${i}]`));
    for (const [k, v] of scope.map) {
      // ScopeBcDomains is output only: ignored on input. Other keys round-trip.
      if (k !== "ScopeGroups" && k !== "ScopeNlaNetworks" && k !== "ScopeBcDomains") out.set(k, clone(v));
    }
    out.set("ScopeGroups", groups);
    out.set("ScopeNlaNetworks", clone(rawNla ?? []));
    return { kind: "params", map: out };
  }

  private hostFor(info: KParams): { hostId: string; host: Host | undefined } {
    const hostId = info.map.get("UaHostId");
    if (hostId === undefined) throw new InvalidArgument("pUaInfo.UaHostId is mandatory");
    if (typeof hostId !== "string")
      throw new BadFormat(`pUaInfo.UaHostId: expected string, got ${typeName(hostId)}`);
    return { hostId, host: this.b.state.hosts.get(hostId) };
  }

  /** Store a DP's settings and apply the push-server side effect on its host. */
  private store(hostId: string, host: Host, stored: KParams): void {
    stored.map.delete("UaHostDisplayName"); // output only
    stored.map.set("UaHostId", hostId);
    this.b.state.dps.set(hostId, stored);
    // Turning "Run push server" on turns on "Do not disconnect from the Administration Server"
    // (docs/ksc-open-api.md#push-server).
    if (pushServerEnabled(this.b, stored)) host.keepConnection = true;
    this.b.touch();
  }

  register(info: KParams): void {
    const { hostId, host } = this.hostFor(info);
    const scope = info.map.get("UaScope");
    if (scope === undefined) throw new InvalidArgument("pUaInfo.UaScope is mandatory");
    this.validate(info);
    if (!host) throw new NotFound(`host ${hostId} not found`);
    if (this.b.state.assignUasAutomatically) {
      throw new DpNotPermitted(
        "distribution points are assigned automatically; turn automatic assignment off first",
      );
    }
    if (this.b.state.dps.has(hostId))
      throw new DpNotPermitted(`host ${hostId} already is a distribution point`);
    const stored = this.defaults();
    for (const [k, v] of info.map) stored.map.set(k, clone(v));
    stored.map.set("UaScope", this.normalizeScope(scope as KParams));
    this.store(hostId, host, stored);
  }

  modify(info: KParams): void {
    const { hostId, host } = this.hostFor(info);
    this.validate(info);
    const current = this.b.state.dps.get(hostId);
    if (!host || !current) throw new NotFound(`host ${hostId} is not a distribution point`);
    // The scope is replaced wholesale: an omitted UaScope leaves the DP with an empty scope
    // (docs/ksc-open-api.md#uacontrol, #pitfalls).
    const scope = info.map.get("UaScope");
    const newScope = this.normalizeScope(isParams(scope) ? scope : params());
    const stored = clone(current);
    for (const [k, v] of info.map) stored.map.set(k, clone(v));
    stored.map.set("UaScope", newScope);
    this.store(hostId, host, stored);
  }

  unregister(hostId: string): void {
    if (!this.b.state.dps.has(hostId)) throw new NotFound(`host ${hostId} is not a distribution point`);
    this.b.state.dps.delete(hostId);
    this.b.touch();
  }

  /** Full settings with output fields filled: UaHostDisplayName, ScopeName, ScopeBcDomains. */
  info(hostId: string): KParams {
    const stored = this.b.state.dps.get(hostId);
    if (!stored) throw new NotFound(`host ${hostId} is not a distribution point`);
    const out = clone(stored);
    out.map.set("UaHostDisplayName", this.b.state.hosts.get(hostId)?.displayName ?? "");
    const scope = out.map.get("UaScope");
    if (isParams(scope)) {
      const groups = scope.map.get("ScopeGroups");
      if (Array.isArray(groups)) {
        for (const e of groups) {
          if (!isParams(e)) continue;
          const id = e.map.get("ScopeId");
          if (isLong(id)) e.map.set("ScopeName", this.b.state.groups.get(id.value)?.name ?? "");
        }
      }
      scope.map.set("ScopeBcDomains", []);
    }
    return out;
  }

  private displayInfo(hostId: string): KParams {
    const info = this.b.state.dps.get(hostId);
    return params({
      UaHostId: hostId,
      UaHostDisplayName: this.b.state.hosts.get(hostId)?.displayName ?? "",
      UaIsCg: info?.map.get("UaIsCg") === true,
    });
  }

  list(): KParams[] {
    return [...this.b.state.dps.keys()].map((id) => this.displayInfo(id));
  }

  /** DPs serving a host; the one whose push server the balancer picked comes first and is marked. */
  forHost(hostId: string): KParams[] {
    if (!this.b.state.hosts.has(hostId)) throw new NotFound(`host ${hostId} not found`);
    const a = assignments(this.b);
    const pushDp = a.pushServerOf.get(hostId);
    const dps = [...(a.coveringDps.get(hostId) ?? [])].sort((x, y) =>
      x === pushDp ? -1 : y === pushDp ? 1 : 0,
    );
    return dps.map((dp) => {
      const p = this.displayInfo(dp);
      p.map.set(
        this.b.keys.dp.pushServerEnabled,
        pushServerEnabled(this.b, this.b.state.dps.get(dp) as KParams),
      );
      p.map.set(PROPOSED_SERVES_HOST_AS_PUSH_SERVER, dp === pushDp);
      return p;
    });
  }

  getAssignAutomatically(): boolean {
    return this.b.state.assignUasAutomatically;
  }

  setAssignAutomatically(enabled: boolean): void {
    this.b.state.assignUasAutomatically = enabled;
    this.b.touch();
  }

  /** A DMZ connection gateway: a new host in "Unassigned devices" that is a DP and CG [INFERRED]. */
  registerDmzGateway(info: KParams): void {
    const addr = info.map.get("CgRemoteAddress");
    if (addr === undefined) throw new InvalidArgument("pCgInfo.CgRemoteAddress is mandatory");
    if (typeof addr !== "string")
      throw new BadFormat(`pCgInfo.CgRemoteAddress: expected string, got ${typeName(addr)}`);
    checkName(addr, "pCgInfo.CgRemoteAddress");
    const s = this.b.state;
    const n = [...s.hosts.values()].filter((h) => h.displayName.startsWith("dmz-gateway-")).length + 1;
    const hostId = this.b.randomId(12);
    const host: Host = {
      hostId,
      displayName: `dmz-gateway-${String(n).padStart(2, "0")}`,
      groupId: s.unassignedGroupId,
      fqdn: addr,
      osName: "Ubuntu 22.04 LTS x64",
      ipLong: 0,
      status: 1 | 4 | 8,
      instanceId: this.b.randomId(12),
      nagVersion: "14.0.0.4490",
      keepConnection: true,
      created: this.b.nowIso(),
      fromUnassigned: true,
    };
    s.hosts.set(hostId, host);
    const stored = this.defaults();
    stored.map.set("UaIsCg", true);
    stored.map.set("CgRemoteAddress", addr);
    stored.map.set("CgServerInitiateConnection", true);
    stored.map.set("UaScope", params({ ScopeGroups: [], ScopeNlaNetworks: [] }));
    this.store(hostId, host, stored);
  }
}

function scopeId(e: KValue, where: string): number {
  if (!isParams(e)) throw new BadFormat(`${where}: expected params {"ScopeId": long}, got ${typeName(e)}`);
  const id = e.map.get("ScopeId");
  if (id === undefined) throw new InvalidArgument(`${where}.ScopeId is mandatory`);
  if (!isLong(id)) throw new BadFormat(`${where}.ScopeId: expected long, got ${typeName(id)}`);
  return id.value;
}
