// An in-memory KscClient for unit tests of the resource logic, behaving as the reference describes
// (docs/ksc-open-api.md#uacontrol, #policy, #hostgroup, #repeating-calls): ModifyUpdateAgent replaces the
// whole object (an omitted scope leaves it empty), RegisterUpdateAgent fails on a DP and while automatic
// assignment is on, AddPolicy always makes a new policy, SsContents writes stay invisible until Ss_Apply,
// unknown objects are KLSTD 1186. It also counts calls and can fail a chosen call, before or after applying
// it (a lost reply).
import {
  GroupRecord,
  HostFilter,
  HostRecord,
  KscClient,
  KscLong,
  KscParams,
  KscValue,
  NewPolicy,
  PolicyDataChange,
  PolicyRecord,
  UpdateAgentDisplayInfo,
} from "../../ksc/api";
import { KscError } from "../../ksc/errors";
import { KeyNames, resolveKeyNames } from "../../ksc/keys";
import { cloneParams, isParams, kscBoolean, kscNumber, kscParamsArray } from "../common";

export interface FakeHost {
  hostId: string;
  displayName: string;
  fqdn: string;
  groupId: number;
  keepConnection: boolean;
}

export interface FakeGroup {
  id: number;
  name: string;
  parentId: number | null;
}

export interface FakePolicy {
  id: number;
  displayName: string;
  product: string;
  version: string;
  groupId: number;
  active: boolean;
  acceptParent: boolean;
  forceDistribToChildren: boolean;
  /** product → version → section → content */
  sections: Map<string, KscParams>;
}

type Fault = { method: string; when: "before" | "after"; error: Error; times: number };

export const ROOT_GROUP = 0;
export const GROUPS = {
  headOffice: 10,
  servers: 11,
  hqWorkstations: 12,
  milan: 20,
  milanWorkstations: 21,
  rome: 30,
  romeWorkstations: 31,
  unassigned: 99,
} as const;

export function notFound(method: string, message = "object not found"): KscError {
  return new KscError(method, { module: "KLSTD", code: 1186, subcode: 0, message });
}
export function notPermitted(method: string, message: string): KscError {
  return new KscError(method, { module: "KLSTD", code: 1193, subcode: 0, message });
}
export function unavailable(method: string): KscError {
  return new KscError(method, {
    module: "KLSTD",
    code: 1195,
    subcode: 0,
    message: "temporarily unavailable",
  });
}

function sectionKey(product: string, version: string, section: string): string {
  return `${product}\u0000${version}\u0000${section}`;
}

export class FakeKsc implements KscClient {
  readonly keys: KeyNames;
  readonly groups = new Map<number, FakeGroup>();
  readonly hosts = new Map<string, FakeHost>();
  readonly dps = new Map<string, KscParams>();
  readonly policies = new Map<number, FakePolicy>();
  assignAutomatically = false;
  readonly calls: string[] = [];
  private faults: Fault[] = [];
  private gates: { method: string; arrived: () => void; open: Promise<void> }[] = [];
  private nextPolicyId = 1;
  private nextHandle = 1;
  private readonly handles = new Map<string, { policyId: number; buffer: Map<string, KscParams> }>();

  constructor(keys: KeyNames = resolveKeyNames({})) {
    this.keys = keys;
    this.seed();
  }

  // ---- test controls ----

  /** Fail the next `times` calls of `method` ("UaControl.ModifyUpdateAgent"), before or after applying them. */
  failNext(method: string, error: Error, opts: { when?: "before" | "after"; times?: number } = {}): void {
    this.faults.push({ method, when: opts.when ?? "before", error, times: opts.times ?? 1 });
  }

  /** Hold the next call of `method` before it is applied: `reached` resolves when it arrives, `release()` lets it go. */
  gate(method: string): { reached: Promise<void>; release: () => void } {
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    let release!: () => void;
    const open = new Promise<void>((r) => (release = r));
    this.gates.push({ method, arrived, open });
    return { reached, release };
  }

  count(method: string): number {
    return this.calls.filter((c) => c === method).length;
  }

  addHost(h: Partial<FakeHost> & { displayName: string; groupId: number }): FakeHost {
    const host: FakeHost = {
      hostId: h.hostId ?? `host-${h.displayName}`,
      fqdn: h.fqdn ?? `${h.displayName}.corp.example`,
      keepConnection: false,
      ...h,
    };
    this.hosts.set(host.hostId, host);
    return host;
  }

  hostByName(displayName: string): FakeHost {
    const h = [...this.hosts.values()].find((x) => x.displayName === displayName);
    if (!h) throw new Error(`no fake host ${displayName}`);
    return h;
  }

  naSection(policyId: number): KscParams | undefined {
    const na = this.keys.networkAgent;
    return this.policies.get(policyId)?.sections.get(sectionKey(na.product, na.version, na.networkSection));
  }

  /** Open SsContents handles (must be 0 after every operation). */
  get openHandles(): number {
    return this.handles.size;
  }

  private seed(): void {
    const g = (id: number, name: string, parentId: number | null) =>
      this.groups.set(id, { id, name, parentId });
    g(ROOT_GROUP, "Managed devices", null);
    g(GROUPS.headOffice, "Head Office", ROOT_GROUP);
    g(GROUPS.servers, "Servers", GROUPS.headOffice);
    g(GROUPS.hqWorkstations, "Workstations", GROUPS.headOffice);
    g(GROUPS.milan, "Branch Milan", ROOT_GROUP);
    g(GROUPS.milanWorkstations, "Workstations", GROUPS.milan);
    g(GROUPS.rome, "Branch Rome", ROOT_GROUP);
    g(GROUPS.romeWorkstations, "Workstations", GROUPS.rome);
    g(GROUPS.unassigned, "Unassigned devices", null);
    this.addHost({ hostId: "guid-milan-dp-01", displayName: "milan-dp-01", groupId: GROUPS.milan });
    this.addHost({ hostId: "guid-milan-dp-02", displayName: "milan-dp-02", groupId: GROUPS.milan });
    this.addHost({ hostId: "guid-rome-dp-01", displayName: "rome-dp-01", groupId: GROUPS.rome });
    this.addHost({ hostId: "guid-hq-srv-01", displayName: "hq-srv-01", groupId: GROUPS.servers });
    this.addHost({
      hostId: "guid-milan-ws-01",
      displayName: "milan-ws-01",
      groupId: GROUPS.milanWorkstations,
    });
    this.addHost({
      hostId: "guid-shared-milan",
      displayName: "shared-name-01",
      groupId: GROUPS.milanWorkstations,
      fqdn: "shared-name-01.milan.corp.example",
    });
    this.addHost({
      hostId: "guid-shared-rome",
      displayName: "shared-name-01",
      groupId: GROUPS.romeWorkstations,
      fqdn: "shared-name-01.rome.corp.example",
    });
    const na = this.keys.networkAgent;
    this.addPolicyRecord({
      displayName: "Kaspersky Security Center Network Agent",
      product: na.product,
      version: na.version,
      groupId: ROOT_GROUP,
      active: true,
    });
  }

  private addPolicyRecord(p: NewPolicy): number {
    const id = this.nextPolicyId++;
    const na = this.keys.networkAgent;
    const sections = new Map<string, KscParams>();
    if (p.product === na.product && p.version === na.version) {
      const v = (value: KscValue) => ({ [this.keys.lock.value]: value, [this.keys.lock.locked]: false });
      sections.set(sectionKey(na.product, na.version, na.networkSection), {
        [na.useUdpPort]: v(true),
        [na.udpPort]: v([15000, 15001]),
        [na.forceConnectionThroughDp]: v(false),
      });
    }
    this.policies.set(id, {
      id,
      displayName: p.displayName,
      product: p.product,
      version: p.version,
      groupId: p.groupId,
      active: p.active ?? false,
      acceptParent: p.acceptParent ?? true,
      forceDistribToChildren: p.forceDistribToChildren ?? false,
      sections,
    });
    return id;
  }

  /** Record the call; throw a configured fault before, or run `apply` and throw after (a lost reply). */
  private async op<T>(method: string, apply: () => T): Promise<T> {
    this.calls.push(method);
    await Promise.resolve(); // a real call is asynchronous: let other work interleave
    const g = this.gates.findIndex((x) => x.method === method);
    if (g >= 0) {
      const [gate] = this.gates.splice(g, 1);
      gate.arrived();
      await gate.open;
    }
    const i = this.faults.findIndex((f) => f.method === method);
    const fault = i >= 0 ? this.faults[i] : undefined;
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(i, 1);
      if (fault.when === "before") throw fault.error;
    }
    const result = apply();
    if (fault) throw fault.error;
    return result;
  }

  // ---- session ----

  readonly session = {
    ensure: async () => undefined,
    ping: async () => undefined,
    createToken: async () => "token",
    end: async () => undefined,
  };

  async close(): Promise<void> {}

  // ---- UaControl ----

  readonly uaControl = {
    getAssignUasAutomatically: () =>
      this.op("UaControl.GetAssignUasAutomatically", () => this.assignAutomatically),
    setAssignUasAutomatically: (enabled: boolean) =>
      this.op("UaControl.SetAssignUasAutomatically", () => {
        this.assignAutomatically = enabled;
      }),
    getDefaultUpdateAgentRegistrationInfo: () =>
      this.op("UaControl.GetDefaultUpdateAgentRegistrationInfo", () => this.defaultDp()),
    registerUpdateAgent: (info: KscParams) =>
      this.op("UaControl.RegisterUpdateAgent", () => {
        const m = "UaControl.RegisterUpdateAgent";
        const hostId = this.hostIdOf(info, m);
        if (!isParams(info[this.keys.dp.scope]))
          throw new KscError(m, { module: "KLSTD", code: 1192, subcode: 0, message: "UaScope is mandatory" });
        if (this.assignAutomatically) throw notPermitted(m, "distribution points are assigned automatically");
        if (this.dps.has(hostId)) throw notPermitted(m, `host ${hostId} already is a distribution point`);
        this.store(hostId, { ...this.defaultDp(), ...cloneParams(info) }, m);
      }),
    modifyUpdateAgent: (info: KscParams) =>
      this.op("UaControl.ModifyUpdateAgent", () => {
        const m = "UaControl.ModifyUpdateAgent";
        const hostId = this.hostIdOf(info, m);
        const current = this.dps.get(hostId);
        if (!current) throw notFound(m, `host ${hostId} is not a distribution point`);
        const next = { ...current, ...cloneParams(info) };
        // Replace-style: the scope is whatever was sent, nothing if nothing was.
        if (!isParams(info[this.keys.dp.scope])) next[this.keys.dp.scope] = {};
        this.store(hostId, next, m);
      }),
    unregisterUpdateAgent: (hostId: string) =>
      this.op("UaControl.UnregisterUpdateAgent", () => {
        if (!this.dps.delete(hostId)) throw notFound("UaControl.UnregisterUpdateAgent");
      }),
    getUpdateAgentInfo: (hostId: string) =>
      this.op("UaControl.GetUpdateAgentInfo", () => {
        const stored = this.dps.get(hostId);
        if (!stored)
          throw notFound("UaControl.GetUpdateAgentInfo", `host ${hostId} is not a distribution point`);
        return this.withOutputFields(hostId, stored);
      }),
    getUpdateAgentsList: () =>
      this.op("UaControl.GetUpdateAgentsList", (): UpdateAgentDisplayInfo[] =>
        [...this.dps.keys()].map((hostId) => ({
          hostId,
          displayName: this.hosts.get(hostId)?.displayName ?? "",
          isConnectionGateway: kscBoolean(this.dps.get(hostId)?.[this.keys.dp.isConnectionGateway]) ?? false,
        })),
      ),
    getUpdateAgentsDisplayInfoForHost: (_hostId: string) =>
      this.op("UaControl.GetUpdateAgentsDisplayInfoForHost", (): UpdateAgentDisplayInfo[] => []),
  };

  private defaultDp(): KscParams {
    const dp = this.keys.dp;
    return {
      [dp.isConnectionGateway]: false,
      [dp.port]: new KscLong(13000),
      [dp.nonSslPort]: new KscLong(14000),
      [dp.multicastAddress]: "",
      [dp.distributeUpdates]: true,
      [dp.distributePackages]: true,
      [dp.customFolder]: "",
      [dp.gatewayRemoteAddress]: "",
      [dp.gatewayServerInitiatesConnection]: false,
      UaUpdFolder: "",
      [dp.pushServerEnabled]: false,
      [dp.pushServerPort]: new KscLong(13295),
      [dp.pushServerRemoteAddress]: "",
    };
  }

  private hostIdOf(info: KscParams, method: string): string {
    const hostId = info[this.keys.dp.hostId];
    if (typeof hostId !== "string")
      throw new KscError(method, {
        module: "KLSTD",
        code: 1192,
        subcode: 0,
        message: "UaHostId is mandatory",
      });
    if (!this.hosts.has(hostId)) throw notFound(method, `host ${hostId} not found`);
    return hostId;
  }

  private store(hostId: string, info: KscParams, method: string): void {
    const s = this.keys.scope;
    const scope = info[this.keys.dp.scope];
    const groups = isParams(scope) ? kscParamsArray(scope[s.groups]) : [];
    for (const g of groups) {
      const id = kscNumber(g[s.id]);
      if (!(g[s.id] instanceof KscLong))
        throw new KscError(method, {
          module: "KLSTD",
          code: 1192,
          subcode: 0,
          message: "ScopeId must be a long",
        });
      if (id === undefined || !this.groups.has(id)) throw notFound(method, `scope group ${id} not found`);
    }
    const stored = cloneParams(info);
    delete stored[this.keys.dp.displayName]; // output only
    if (isParams(stored[this.keys.dp.scope])) {
      const sc = stored[this.keys.dp.scope] as KscParams;
      sc[s.groups] = kscParamsArray(sc[s.groups]).map((g) => ({ [s.id]: g[s.id] }));
      delete sc[s.broadcastDomains];
    }
    this.dps.set(hostId, stored);
    if (kscBoolean(stored[this.keys.dp.pushServerEnabled])) this.hosts.get(hostId)!.keepConnection = true;
  }

  private withOutputFields(hostId: string, stored: KscParams): KscParams {
    const s = this.keys.scope;
    const out = cloneParams(stored);
    out[this.keys.dp.displayName] = this.hosts.get(hostId)?.displayName ?? "";
    const scope = out[this.keys.dp.scope];
    if (isParams(scope)) {
      scope[s.groups] = kscParamsArray(scope[s.groups]).map((g) => ({
        ...g,
        [s.name]: this.groups.get(kscNumber(g[s.id]) ?? -1)?.name ?? "",
      }));
      scope[s.broadcastDomains] = [];
    }
    return out;
  }

  // ---- HostGroup ----

  readonly hostGroup = {
    groupIdGroups: () => this.op("HostGroup.GroupIdGroups", () => ROOT_GROUP),
    groupIdUnassigned: () => this.op("HostGroup.GroupIdUnassigned", () => GROUPS.unassigned),
    getGroupId: (parentId: number, name: string) =>
      this.op("HostGroup.GetGroupId", () => {
        const g = [...this.groups.values()].find((x) => x.parentId === parentId && x.name === name);
        if (!g) throw notFound("HostGroup.GetGroupId");
        return g.id;
      }),
    getSubgroups: (_groupId: number, _depth: number) =>
      this.op("HostGroup.GetSubgroups", (): KscParams[] => []),
    addGroup: (name: string, parentId: number) =>
      this.op("HostGroup.AddGroup", () => {
        const id = Math.max(...this.groups.keys()) + 1;
        this.groups.set(id, { id, name, parentId });
        return id;
      }),
    findHosts: (filter: HostFilter, _fields: string[]) =>
      this.op("HostGroup.FindHosts", (): HostRecord[] =>
        [...this.hosts.values()]
          .filter((h) => matches(filter, this.hostAttributes(h)))
          .map((h) => ({
            ...this.hostAttributes(h),
            hostId: h.hostId,
            displayName: h.displayName,
            groupId: h.groupId,
            fqdn: h.fqdn,
          })),
      ),
    findGroups: (filter: HostFilter, _fields?: string[]) =>
      this.op("HostGroup.FindGroups", (): GroupRecord[] =>
        [...this.groups.values()]
          .filter((g) => g.id !== GROUPS.unassigned)
          .filter((g) => matches(filter, { id: g.id, name: g.name, parentId: g.parentId ?? -1 }))
          .map((g) => ({ id: g.id, name: g.name, parentId: g.parentId })),
      ),
    getHostInfo: (hostId: string, fields: string[]) =>
      this.op("HostGroup.GetHostInfo", () => {
        const h = this.hosts.get(hostId);
        if (!h) throw notFound("HostGroup.GetHostInfo", `host ${hostId} not found`);
        const all = this.hostAttributes(h);
        const out: KscParams = {};
        for (const f of fields) if (f in all) out[f] = all[f];
        return out;
      }),
  };

  private hostAttributes(h: FakeHost): KscParams {
    const k = this.keys.host;
    return {
      [k.hostId]: h.hostId,
      [k.displayName]: h.displayName,
      [k.fqdn]: h.fqdn,
      [k.groupId]: h.groupId,
      [k.keepConnection]: h.keepConnection,
    };
  }

  // ---- Policy ----

  readonly policy = {
    addPolicy: (p: NewPolicy) =>
      this.op("Policy.AddPolicy", () => {
        if (!this.groups.has(p.groupId) || p.groupId === GROUPS.unassigned)
          throw notFound("Policy.AddPolicy", "group not found");
        return this.addPolicyRecord(p);
      }),
    getPolicyData: (policyId: number) =>
      this.op("Policy.GetPolicyData", () =>
        this.record(this.policyOrThrow(policyId, "Policy.GetPolicyData"), false),
      ),
    updatePolicyData: (policyId: number, change: PolicyDataChange) =>
      this.op("Policy.UpdatePolicyData", () => {
        const p = this.policyOrThrow(policyId, "Policy.UpdatePolicyData");
        if (change.displayName !== undefined) p.displayName = change.displayName;
        if (change.active !== undefined) p.active = change.active;
        if (change.acceptParent !== undefined) p.acceptParent = change.acceptParent;
        if (change.forceDistribToChildren !== undefined)
          p.forceDistribToChildren = change.forceDistribToChildren;
      }),
    deletePolicy: (policyId: number) =>
      this.op("Policy.DeletePolicy", () => {
        if (!this.policies.delete(policyId)) throw notFound("Policy.DeletePolicy");
      }),
    getPoliciesForGroup: (groupId: number) =>
      this.op("Policy.GetPoliciesForGroup", () => {
        if (!this.groups.has(groupId)) throw notFound("Policy.GetPoliciesForGroup", "group not found");
        const ancestors: number[] = [];
        for (
          let g = this.groups.get(groupId)?.parentId;
          g !== null && g !== undefined;
          g = this.groups.get(g)?.parentId
        ) {
          ancestors.push(g);
        }
        const all = [...this.policies.values()];
        return [
          ...all.filter((p) => p.groupId === groupId).map((p) => this.record(p, false)),
          ...all.filter((p) => ancestors.includes(p.groupId)).map((p) => this.record(p, true)),
        ];
      }),
    getEffectivePoliciesForGroup: (_groupId: number) =>
      this.op("Policy.GetEffectivePoliciesForGroup", (): PolicyRecord[] => []),
    getPolicyContents: (policyId: number, _lifetimeMs?: number) =>
      this.op("Policy.GetPolicyContents", () => {
        const p = this.policyOrThrow(policyId, "Policy.GetPolicyContents");
        const handle = `ss-${this.nextHandle++}`;
        const buffer = new Map<string, KscParams>();
        for (const [k, v] of p.sections) buffer.set(k, cloneParams(v));
        this.handles.set(handle, { policyId, buffer });
        return handle;
      }),
  };

  private policyOrThrow(id: number, method: string): FakePolicy {
    const p = this.policies.get(id);
    if (!p) throw notFound(method, `policy ${id} not found`);
    return p;
  }

  private record(p: FakePolicy, inherited: boolean): PolicyRecord {
    const k = this.keys.policy;
    return {
      id: p.id,
      displayName: p.displayName,
      product: p.product,
      version: p.version,
      groupId: p.groupId,
      active: p.active,
      roaming: false,
      acceptParent: p.acceptParent,
      forceDistribToChildren: p.forceDistribToChildren,
      inherited,
      raw: { [k.id]: p.id, [k.displayName]: p.displayName, [k.groupId]: p.groupId },
    };
  }

  // ---- SsContents ----

  private handle(id: string, method: string) {
    const h = this.handles.get(id);
    if (!h) throw notFound(method, `SsContents ${id} not found`);
    return h;
  }

  readonly ssContents = {
    getNames: (handle: string, product: string, version: string) =>
      this.op("SsContents.SS_GetNames", () =>
        [...this.handle(handle, "SsContents.SS_GetNames").buffer.keys()]
          .map((k) => k.split("\u0000"))
          .filter(([p, v]) => p === product && v === version)
          .map(([, , s]) => s),
      ),
    read: (handle: string, product: string, version: string, section: string) =>
      this.op("SsContents.Ss_Read", () => {
        const s = this.handle(handle, "SsContents.Ss_Read").buffer.get(sectionKey(product, version, section));
        if (!s)
          throw new KscError("SsContents.Ss_Read", {
            module: "KLPRSS",
            code: 1125,
            subcode: 0,
            message: "section does not exist",
          });
        return cloneParams(s);
      }),
    update: (handle: string, product: string, version: string, section: string, data: KscParams) =>
      this.op("SsContents.Ss_Update", () => this.write(handle, product, version, section, data)),
    add: (handle: string, product: string, version: string, section: string, data: KscParams) =>
      this.op("SsContents.Ss_Add", () => this.write(handle, product, version, section, data)),
    replace: (handle: string, product: string, version: string, section: string, data: KscParams) =>
      this.op("SsContents.Ss_Replace", () => this.write(handle, product, version, section, data)),
    clear: (handle: string, product: string, version: string, section: string, data: KscParams) =>
      this.op("SsContents.Ss_Clear", () => {
        this.handle(handle, "SsContents.Ss_Clear").buffer.set(
          sectionKey(product, version, section),
          cloneParams(data),
        );
      }),
    delete: (handle: string, product: string, version: string, section: string, data: KscParams) =>
      this.op("SsContents.Ss_Delete", () => {
        const s = this.handle(handle, "SsContents.Ss_Delete").buffer.get(
          sectionKey(product, version, section),
        );
        for (const k of Object.keys(data)) if (s) delete s[k];
      }),
    apply: (handle: string) =>
      this.op("SsContents.Ss_Apply", () => {
        const h = this.handle(handle, "SsContents.Ss_Apply");
        const p = this.policyOrThrow(h.policyId, "SsContents.Ss_Apply");
        p.sections.clear();
        for (const [k, v] of h.buffer) p.sections.set(k, cloneParams(v));
      }),
    release: (handle: string) =>
      this.op("SsContents.Ss_Release", () => {
        if (!this.handles.delete(handle)) throw notFound("SsContents.Ss_Release");
      }),
  };

  private write(handle: string, product: string, version: string, section: string, data: KscParams): void {
    const buffer = this.handle(handle, "SsContents.Ss_Replace").buffer;
    const key = sectionKey(product, version, section);
    buffer.set(key, { ...(buffer.get(key) ?? {}), ...cloneParams(data) });
  }

  readonly policySettings = {
    readSection: (policyId: number, product: string, version: string, section: string) =>
      this.withContents(policyId, (h) => this.ssContents.read(h, product, version, section)),
    readAllSections: (policyId: number, product: string, version: string) =>
      this.withContents(policyId, async (h) => {
        const out: Record<string, KscParams> = {};
        for (const s of await this.ssContents.getNames(h, product, version))
          out[s] = await this.ssContents.read(h, product, version, s);
        return out;
      }),
    updateInSection: (
      policyId: number,
      product: string,
      version: string,
      section: string,
      change: (current: KscParams) => KscParams,
    ) =>
      this.withContents(policyId, async (h) => {
        const data = change(await this.ssContents.read(h, product, version, section));
        await this.ssContents.update(h, product, version, section, data);
        await this.ssContents.apply(h);
      }),
    replaceInSection: (
      policyId: number,
      product: string,
      version: string,
      section: string,
      data: KscParams,
    ) =>
      this.withContents(policyId, async (h) => {
        await this.ssContents.replace(h, product, version, section, data);
        await this.ssContents.apply(h);
      }),
  };

  private async withContents<T>(policyId: number, fn: (handle: string) => Promise<T>): Promise<T> {
    const h = await this.policy.getPolicyContents(policyId);
    try {
      return await fn(h);
    } finally {
      await this.ssContents.release(h).catch(() => undefined);
    }
  }
}

/** Evaluate a HostFilter against attributes (strings compare case-insensitively with "="). */
export function matches(f: HostFilter, attrs: Record<string, unknown>): boolean {
  switch (f.op) {
    case "and":
      return f.clauses.every((c) => matches(c, attrs));
    case "or":
      return f.clauses.some((c) => matches(c, attrs));
    case "not":
      return !matches(f.clause, attrs);
    default: {
      const a = attrs[f.attribute];
      const v = f.value;
      if (a === undefined) return false;
      const cmp =
        typeof a === "string" && typeof v === "string"
          ? a.localeCompare(v, undefined, { sensitivity: "accent" })
          : Number(a) - Number(v);
      switch (f.op) {
        case "=":
          return cmp === 0;
        case "<>":
          return cmp !== 0;
        case "<":
          return cmp < 0;
        case ">":
          return cmp > 0;
        case "<=":
          return cmp <= 0;
        case ">=":
          return cmp >= 0;
      }
    }
  }
}
