// The console as an administrator sees it, for tests: raw KSC Open API calls (./wire) written from the reference
// (docs/ksc-open-api.md) and sharing nothing with the provider's client, codec or key names. Tests read the
// console with it (what the provider really did), change it behind the provider's back (drift), and make objects
// "by hand" (adopt, probe, generate). The wire layer is re-exported: one import for every test.
//
//   const ksc = await RawKsc.open(emu.url, emu.credentials);
//   const dp = await ksc.dp(await ksc.hostId("milan-dp-01"));
//   await ksc.end();
import * as fs from "fs";
import {
  DEFAULT_PASSWORD,
  DEFAULT_USER,
  PxgError,
  RawOptions,
  RawReply,
  RawSession,
  Wire,
  WireObject,
  long,
  params,
  plain,
  policyValue,
  pxgError,
} from "./wire";

export * from "./wire";

/**
 * Names of the settings no Open API page documents, as the emulator implements them by default: names that rest
 * on public evidence (the host flag, the Network Agent's main section "86" and two of its keys) and PROPOSED
 * placeholders for the rest (docs/ksc-key-names.md). Written here on purpose instead of imported from the
 * provider, so a wrong name in the provider shows up as a console that does not hold what was declared.
 */
export const CONSOLE_KEYS = {
  pushServerEnabled: "PROPOSED_UaPushServerEnabled",
  pushServerPort: "PROPOSED_UaPushServerPort",
  pushServerRemoteAddress: "PROPOSED_UaPushServerRemoteAddress",
  keepConnection: "KLHST_WKS_KEEP_CONNECTION",
  networkSection: "86",
  useUdpPort: "OpenUdpPort",
  /** An array of int: the Network Agent's UDP ports, the first is the "UDP port number". */
  udpPort: "Nagentports",
  forceConnectionThroughDp: "PROPOSED_UseDpForceConnection",
} as const;

/** The Network Agent's product and version in policies and settings storages. */
export const NETWORK_AGENT = { product: "1103", version: "1.0.0.0" } as const;

const ROOT_GROUP = "Managed devices";

/** Method names that change something on the server. */
export const WRITE_METHOD =
  /\.(Register|Modify|Unregister|Set|Add|Update|Delete|Remove|Move|Make|Copy|Revert|Import|Ss_Update|Ss_Add|Ss_Replace|Ss_Clear|Ss_Delete|Ss_Apply|Ss_CreateSection|Ss_DeleteSection|SS_Write)/;

/** Calls of write methods made between two readings of the emulator's call counters, by method. */
export function writesBetween(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([method, n]) => [method, n - (before[method] ?? 0)] as const)
      .filter(([method, n]) => n > 0 && WRITE_METHOD.test(method)),
  );
}

type Json = Record<string, unknown>;

/** A setting in policy format, plain: its value and its padlock. */
export interface LockedValue {
  value: unknown;
  locked: boolean;
}

/** What the console holds, in a form that compares with toEqual. Group paths have no trailing slash. */
export interface ConsoleSnapshot {
  automaticAssignment: boolean;
  groups: string[];
  devices: { name: string; group: string; keepConnection: boolean }[];
  distributionPoints: {
    device: string;
    scope: string[];
    pushServer: { port: number; remoteAddress: string } | null;
    /** every other setting of the DP (pUaInfo), values unwrapped */
    settings: Json;
  }[];
  policies: {
    id: number;
    name: string;
    group: string;
    product: string;
    active: boolean;
    /** the Connectivity → Network section (Network Agent policies only) */
    network?: Record<string, LockedValue>;
  }[];
}

/** A PxgError reply, or an HTTP failure, of a raw call. */
export class RawKscError extends Error {
  readonly status: number;
  readonly pxg?: PxgError;
  constructor(
    readonly method: string,
    reply: RawReply,
  ) {
    super(`${method}: HTTP ${reply.status} ${reply.text}`);
    this.status = reply.status;
    this.pxg = pxgError(reply);
  }
  /** KLSTD 1186: no such object (docs/ksc-open-api.md#error-codes). */
  get notFound(): boolean {
    return this.pxg?.module === "KLSTD" && this.pxg.code === 1186;
  }
}

export interface RawKscOptions {
  user?: string;
  password?: string;
  /** CA certificate (PEM file) of an https server */
  caFile?: string;
}

/** Scope group ids of a DP's settings (pUaInfo, typed or plain), sorted. */
export function scopeGroupIds(info: WireObject | Json | undefined): number[] {
  const scope = (plain(info) as Json | undefined)?.UaScope as
    | { ScopeGroups?: { ScopeId: number }[] }
    | undefined;
  return (scope?.ScopeGroups ?? []).map((g) => Number(g.ScopeId)).sort((a, b) => a - b);
}

const trimSlash = (p: string) => p.replace(/\/+$/, "");

/**
 * The arguments that name a section of a Network Agent policy in an opened settings storage
 * (docs/ksc-open-api.md#policy-format).
 */
const naSection = (id: string, section: string): Json => ({
  wstrID: id,
  wstrProduct: NETWORK_AGENT.product,
  wstrVersion: NETWORK_AGENT.version,
  wstrSection: section,
});

/**
 * One administrator's session. It logs in at the first call (or at `open`), and once more when the server has
 * ended the session (HTTP 401/403: the fault tests expire sessions under it). Each call has a connection of its
 * own, so nothing is left open between the calls of a test.
 */
export class RawKsc {
  private session?: RawSession;
  private readonly transport: RawOptions;

  constructor(
    readonly url: string,
    private readonly options: RawKscOptions = {},
  ) {
    this.transport = { agent: false, ca: options.caFile ? fs.readFileSync(options.caFile) : undefined };
  }

  /** A session logged in now (fails here if the login does). */
  static async open(url: string, options: RawKscOptions = {}): Promise<RawKsc> {
    const ksc = new RawKsc(url, options);
    await ksc.login();
    return ksc;
  }

  /** Session.StartSession with KSCBasic (docs/ksc-open-api.md#logging-in, #sessions). */
  async login(): Promise<RawSession> {
    const { user = DEFAULT_USER, password = DEFAULT_PASSWORD } = this.options;
    this.session = await RawSession.start(this.url, user, password, this.transport);
    return this.session;
  }

  /** POST /api/v1.0/<method>; a PxgError or a status other than 200 throws RawKscError. */
  async call(method: string, args: Json = {}): Promise<WireObject> {
    let reply = await (this.session ?? (await this.login())).call(method, args);
    if (reply.status === 401 || reply.status === 403) reply = await (await this.login()).call(method, args);
    const body = reply.text === "" ? {} : reply.json;
    if (reply.status !== 200 || typeof body !== "object" || body === null || "PxgError" in body)
      throw new RawKscError(method, reply);
    return body as WireObject;
  }

  async end(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.call("Session.EndSession").catch(() => undefined);
  }

  // ---- groups and devices ----

  /** Group id of a path such as "Branch Milan/Workstations", with or without "Managed devices/" in front. */
  async groupId(path: string): Promise<number> {
    const names = trimSlash(path).split("/").filter(Boolean);
    if (names[0] === ROOT_GROUP) names.shift();
    let id = Number((await this.call("HostGroup.GroupIdGroups")).PxgRetVal);
    for (const name of names) {
      id = Number((await this.call("HostGroup.GetGroupId", { nParent: id, strName: name })).PxgRetVal);
    }
    return id;
  }

  /** Every group: id → path. */
  async groups(): Promise<Map<number, string>> {
    const rows = await this.findGroups("(id >= 0)", ["id", "grp_full_name"]);
    return new Map(rows.map((r) => [Number(r.id), trimSlash(String(r.grp_full_name))]));
  }

  /** Every device with its group and its keep-connection flag. */
  async devices(): Promise<{ hostId: string; name: string; groupId: number; keepConnection: boolean }[]> {
    const fields = ["KLHST_WKS_HOSTNAME", "KLHST_WKS_DN", "KLHST_WKS_GROUPID", CONSOLE_KEYS.keepConnection];
    const rows = await this.findHosts("(KLHST_WKS_GROUPID >= 0)", fields);
    return rows.map((r) => ({
      hostId: String(r.KLHST_WKS_HOSTNAME),
      name: String(r.KLHST_WKS_DN),
      groupId: Number(r.KLHST_WKS_GROUPID),
      keepConnection: r[CONSOLE_KEYS.keepConnection] === true,
    }));
  }

  /** Host id (KLHST_WKS_HOSTNAME) of the one device with this display name. */
  async hostId(displayName: string): Promise<string> {
    const filter = `(KLHST_WKS_DN = "${displayName.replace(/"/g, '""')}")`;
    const rows = await this.findHosts(filter, ["KLHST_WKS_HOSTNAME"]);
    if (rows.length !== 1) throw new Error(`${rows.length} devices are named ${displayName}`);
    return String(rows[0].KLHST_WKS_HOSTNAME);
  }

  /** Every row of HostGroup.FindHosts, plain. */
  findHosts(filter: string, fields: string[]): Promise<Json[]> {
    return this.find("HostGroup.FindHosts", filter, fields);
  }

  /** Every row of HostGroup.FindGroups, plain. */
  findGroups(filter: string, fields: string[]): Promise<Json[]> {
    return this.find("HostGroup.FindGroups", filter, fields);
  }

  private async find(method: string, filter: string, fields: string[]): Promise<Json[]> {
    const found = await this.call(method, {
      wstrFilter: filter,
      vecFieldsToReturn: fields,
      vecFieldsToOrder: [],
      pParams: {},
      lMaxLifeTime: 60,
    });
    const accessor = String(found.strAccessor);
    const rows: Json[] = [];
    try {
      for (;;) {
        const chunk = await this.call("ChunkAccessor.GetItemsChunk", {
          strAccessor: accessor,
          nStart: rows.length,
          nCount: 100,
        });
        const items = ((chunk.pChunk as WireObject | undefined)?.KLCSP_ITERATOR_ARRAY ?? []) as Wire[];
        rows.push(...items.map((i) => plain(i) as Json));
        if (items.length < 100) break;
      }
    } finally {
      await this.call("ChunkAccessor.Release", { strAccessor: accessor });
    }
    return rows;
  }

  // ---- distribution points (UaControl, docs/ksc-open-api.md#uacontrol) ----

  async automaticAssignment(): Promise<boolean> {
    return (await this.call("UaControl.GetAssignUasAutomatically")).PxgRetVal === true;
  }

  /** Host ids of every DP, sorted. */
  async dpHostIds(): Promise<string[]> {
    const list = plain((await this.call("UaControl.GetUpdateAgentsList")).pUasArr ?? []) as Json[];
    return list.map((ua) => String(ua.UaHostId)).sort();
  }

  /** A DP's settings (pUaInfo) as the server sends them (typed values), or undefined if the host is not a DP. */
  async dp(hostId: string): Promise<WireObject | undefined> {
    try {
      return (await this.call("UaControl.GetUpdateAgentInfo", { wstrUaHostId: hostId }))
        .pUaInfo as WireObject;
    } catch (err) {
      if (err instanceof RawKscError && err.notFound) return undefined;
      throw err;
    }
  }

  /**
   * Makes a device a DP serving the given groups, as an administrator would: automatic assignment off first, the
   * server's defaults, then `extra` settings.
   */
  async makeDp(hostId: string, groupIds: number[], extra: Json = {}): Promise<void> {
    if (await this.automaticAssignment()) {
      await this.call("UaControl.SetAssignUasAutomatically", { bEnabled: false });
    }
    const defaults = (await this.call("UaControl.GetDefaultUpdateAgentRegistrationInfo"))
      .pUaInfo as WireObject;
    await this.call("UaControl.RegisterUpdateAgent", {
      pUaInfo: {
        ...defaults,
        UaHostId: hostId,
        UaScope: params({
          ScopeGroups: groupIds.map((id) => params({ ScopeId: long(id) })),
          ScopeNlaNetworks: [],
        }),
        ...extra,
      },
    });
  }

  /**
   * Read-modify-write of a DP's settings, as the DP properties dialog does: `change` is the settings to set, or
   * makes them from the current ones.
   */
  async changeDp(hostId: string, change: Json | ((info: WireObject) => Json)): Promise<void> {
    const info = await this.dp(hostId);
    if (!info) throw new Error(`host ${hostId} is not a distribution point`);
    const changed = typeof change === "function" ? change(info) : change;
    await this.call("UaControl.ModifyUpdateAgent", { pUaInfo: { ...info, ...changed } });
  }

  /** DP properties → General → "Push server port". */
  async setPushServerPort(hostId: string, port: number): Promise<void> {
    await this.changeDp(hostId, { [CONSOLE_KEYS.pushServerPort]: long(port) });
  }

  /** DP properties → Scope → Add: one more administration group. */
  async addScopeGroup(hostId: string, groupId: number): Promise<void> {
    await this.changeDp(hostId, (info) => {
      const scope = info.UaScope as { type: string; value: WireObject };
      const groups = (scope.value.ScopeGroups ?? []) as Wire[];
      return {
        UaScope: {
          ...scope,
          value: { ...scope.value, ScopeGroups: [...groups, params({ ScopeId: long(groupId) })] },
        },
      };
    });
  }

  // ---- policies (Policy, SsContents, docs/ksc-open-api.md#policy, #network-agent-policy) ----

  /** Creates an active Network Agent policy with the console's defaults; returns its id. */
  async addPolicy(groupId: number, name: string): Promise<number> {
    const reply = await this.call("Policy.AddPolicy", {
      pPolicyData: {
        KLPOL_DN: name,
        KLPOL_PRODUCT: NETWORK_AGENT.product,
        KLPOL_VERSION: NETWORK_AGENT.version,
        KLPOL_GROUP_ID: groupId,
        KLPOL_ACTIVE: true,
      },
    });
    return Number(reply.PxgRetVal);
  }

  /** The policies of a group as Policy.GetPoliciesForGroup lists them (inherited ones too), plain. */
  async policiesOf(groupId: number): Promise<Json[]> {
    const list = (await this.call("Policy.GetPoliciesForGroup", { nGroupId: groupId })).PxgRetVal;
    return (plain(list) as Json[] | undefined) ?? [];
  }

  /** Policies owned by groups (not the inherited entries), each once. */
  async policies(): Promise<ConsoleSnapshot["policies"]> {
    const groups = await this.groups();
    const out: ConsoleSnapshot["policies"] = [];
    for (const [groupId, path] of [...groups].sort((a, b) => a[0] - b[0])) {
      for (const p of await this.policiesOf(groupId)) {
        if (p.KLPOL_INHERITED === true || Number(p.KLPOL_GROUP_ID) !== groupId) continue;
        const policy: ConsoleSnapshot["policies"][number] = {
          id: Number(p.KLPOL_ID),
          name: String(p.KLPOL_DN),
          group: path,
          product: String(p.KLPOL_PRODUCT),
          active: p.KLPOL_ACTIVE === true,
        };
        if (policy.product === NETWORK_AGENT.product) policy.network = await this.networkSettings(policy.id);
        out.push(policy);
      }
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /** Id of the policy with this name on this group. */
  async policyId(groupPath: string, name: string): Promise<number> {
    const path = trimSlash(groupPath.startsWith(ROOT_GROUP) ? groupPath : `${ROOT_GROUP}/${groupPath}`);
    const found = (await this.policies()).filter((p) => p.group === path && p.name === name);
    if (found.length !== 1) throw new Error(`${found.length} policies named ${name} on ${path}`);
    return found[0].id;
  }

  /** One section of a Network Agent policy as Ss_Read returns it (typed values), read through its own handle. */
  async policySection(policyId: number, section: string): Promise<WireObject> {
    return this.withContents(
      policyId,
      async (id) => (await this.call("SsContents.Ss_Read", naSection(id, section))).PxgRetVal as WireObject,
    );
  }

  /** Ss_Replace + Ss_Apply of some variables of a Network Agent policy section, as saving the policy dialog does. */
  async changePolicySection(policyId: number, section: string, data: WireObject): Promise<void> {
    await this.withContents(policyId, async (id) => {
      await this.call("SsContents.Ss_Replace", { ...naSection(id, section), pNewData: data });
      await this.call("SsContents.Ss_Apply", { wstrID: id });
    });
  }

  /** Ss_DeleteSection + Ss_Apply of a section of a Network Agent policy. */
  async deletePolicySection(policyId: number, section: string): Promise<void> {
    await this.withContents(policyId, async (id) => {
      await this.call("SsContents.Ss_DeleteSection", naSection(id, section));
      await this.call("SsContents.Ss_Apply", { wstrID: id });
    });
  }

  /** The Connectivity → Network section of a Network Agent policy, plain. */
  async networkSettings(policyId: number): Promise<Record<string, LockedValue>> {
    const section = plain(await this.policySection(policyId, CONSOLE_KEYS.networkSection)) as Record<
      string,
      { KLPRSS_Val: unknown; KLPRSS_Mnd?: boolean }
    >;
    return Object.fromEntries(
      Object.entries(section).map(([k, v]) => [k, { value: v.KLPRSS_Val, locked: v.KLPRSS_Mnd === true }]),
    );
  }

  /** Changes one Connectivity → Network setting of a policy (value and padlock), then applies it. */
  async setNetworkSetting(policyId: number, key: string, setting: LockedValue): Promise<void> {
    await this.changePolicySection(policyId, CONSOLE_KEYS.networkSection, {
      [key]: policyValue(setting.value as Wire, setting.locked),
    });
  }

  /** Opens or closes the padlock of one setting, keeping its value. */
  async setNetworkLock(policyId: number, key: string, locked: boolean): Promise<void> {
    const current = (await this.networkSettings(policyId))[key];
    if (!current) throw new Error(`policy ${policyId} has no setting ${key}`);
    await this.setNetworkSetting(policyId, key, { value: current.value, locked });
  }

  /** Runs `use` with a settings storage handle of the policy (GetPolicyContents), released afterwards. */
  private async withContents<T>(policyId: number, use: (id: string) => Promise<T>): Promise<T> {
    const opened = await this.call("Policy.GetPolicyContents", {
      nPolicy: policyId,
      nRevisionId: 0,
      nLifeTime: 0,
    });
    const id = String(opened.PxgRetVal);
    try {
      return await use(id);
    } finally {
      await this.call("SsContents.Ss_Release", { wstrID: id });
    }
  }

  // ---- everything ----

  async snapshot(): Promise<ConsoleSnapshot> {
    const groups = await this.groups();
    const devices = await this.devices();
    const names = new Map(devices.map((d) => [d.hostId, d.name]));
    const distributionPoints: ConsoleSnapshot["distributionPoints"] = [];
    for (const hostId of await this.dpHostIds()) {
      const info = plain(await this.dp(hostId)) as Json;
      const k = CONSOLE_KEYS;
      // The settings shown in fields of their own (device, scope, pushServer) are left out of `settings`.
      const settings = { ...info };
      const ownFields = ["UaHostId", "UaHostDisplayName", "UaScope"];
      for (const key of [...ownFields, k.pushServerEnabled, k.pushServerPort, k.pushServerRemoteAddress]) {
        delete settings[key];
      }
      distributionPoints.push({
        device: names.get(hostId) ?? hostId,
        scope: scopeGroupIds(info)
          .map((id) => groups.get(id) ?? `#${id}`)
          .sort(),
        pushServer:
          info[k.pushServerEnabled] === true
            ? {
                port: Number(info[k.pushServerPort]),
                remoteAddress: String(info[k.pushServerRemoteAddress] ?? ""),
              }
            : null,
        settings,
      });
    }
    return {
      automaticAssignment: await this.automaticAssignment(),
      groups: [...groups.values()].sort(),
      devices: devices
        .map((d) => ({
          name: d.name,
          group: groups.get(d.groupId) ?? `#${d.groupId}`,
          keepConnection: d.keepConnection,
        }))
        .sort((a, b) => `${a.name} ${a.group}`.localeCompare(`${b.name} ${b.group}`)),
      distributionPoints: distributionPoints.sort((a, b) => a.device.localeCompare(b.device)),
      policies: await this.policies(),
    };
  }
}
