// The console as an administrator sees it: raw KSC Open API calls over HTTP(S), written from the reference
// (ksc-open-api.md §1–§6) and sharing nothing with the provider's client, codec or key names. The engine tests
// read the console with it (what `pulumi up` really did) and change it behind Pulumi's back (drift), and
// adopt-existing/setup-console.ts uses it to make objects "by hand".
//
// Node's `http`/`https` rather than `fetch`: fetch in Node 20 cannot be given a CA certificate without the
// `undici` package, which is not a dependency of this project.
import * as fs from "fs";
import * as http from "http";
import * as https from "https";

/**
 * Names of the settings no public source names yet: the PROPOSED placeholders of the reference (§3.5, §5.3),
 * which the emulator implements. Written here on purpose instead of imported from the provider, so a wrong name
 * in the provider shows up as a console that does not hold what was declared.
 */
export const CONSOLE_KEYS = {
  pushServerEnabled: "PROPOSED_UaPushServerEnabled",
  pushServerPort: "PROPOSED_UaPushServerPort",
  pushServerRemoteAddress: "PROPOSED_UaPushServerRemoteAddress",
  keepConnection: "PROPOSED_HostKeepConnection",
  networkSection: "PROPOSED_NAG_NETWORK",
  useUdpPort: "PROPOSED_UseUdpPort",
  udpPort: "PROPOSED_UdpPort",
  forceConnectionThroughDp: "PROPOSED_UseDpForceConnection",
} as const;

const NA_PRODUCT = "1103";
const NA_VERSION = "1.0.0.0";
const ROOT_GROUP = "Managed devices";

export interface RawKscOptions {
  /** e.g. https://127.0.0.1:13299 */
  url: string;
  user: string;
  password: string;
  /** CA certificate (PEM file) of an https server */
  caFile?: string;
}

type Json = Record<string, unknown>;

/** A setting in policy format: its value and its lock (KLPRSS_Val, KLPRSS_Mnd). */
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

export class KscCallError extends Error {
  constructor(
    readonly method: string,
    readonly module: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method}: ${module} ${code} ${message}`);
  }
}

/** Typed values (§2.2) to plain JSON: longs, datetimes… to their value, nested params to objects. */
export function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") {
    const o = v as Json;
    if (typeof o.type === "string" && "value" in o && Object.keys(o).length === 2) return plain(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

const long = (value: number) => ({ type: "long", value });
const wrapped = (value: Json) => ({ type: "params", value });
const trimSlash = (p: string) => p.replace(/\/+$/, "");

export class RawKsc {
  private constructor(
    private readonly opts: RawKscOptions,
    private session: string,
  ) {}

  /** Session.StartSession with KSCBasic (§1.2, §1.3 B). */
  static async login(opts: RawKscOptions): Promise<RawKsc> {
    const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
    const reply = await post(opts, "Session.StartSession", {
      Authorization: `KSCBasic user="${b64(opts.user)}", pass="${b64(opts.password)}", internal="1"`,
      "X-KSC-VServer": "",
    });
    const sid = reply.body.PxgRetVal;
    if (reply.status !== 200 || typeof sid !== "string") {
      throw new Error(`Session.StartSession: HTTP ${reply.status}, no session id`);
    }
    return new RawKsc(opts, sid);
  }

  /** POST /api/v1.0/<method>; a PxgError reply throws KscCallError. */
  async call(method: string, args: Json = {}): Promise<Json> {
    const reply = await post(this.opts, method, { "X-KSC-Session": this.session }, args);
    const err = reply.body.PxgError as Json | undefined;
    if (err) throw new KscCallError(method, String(err.module), Number(err.code), String(err.message));
    if (reply.status !== 200) throw new Error(`${method}: HTTP ${reply.status}`);
    return reply.body;
  }

  async logout(): Promise<void> {
    await this.call("Session.EndSession").catch(() => undefined);
  }

  // ---- groups and devices ----

  /** Group id of a path such as "Managed devices/Branch Milan". */
  async groupId(path: string): Promise<number> {
    const parts = trimSlash(path).split("/");
    if (parts[0] !== ROOT_GROUP) parts.unshift(ROOT_GROUP);
    let id = Number((await this.call("HostGroup.GroupIdGroups")).PxgRetVal);
    for (const name of parts.slice(1)) {
      id = Number((await this.call("HostGroup.GetGroupId", { nParent: id, strName: name })).PxgRetVal);
    }
    return id;
  }

  /** Every group: id → path. */
  async groups(): Promise<Map<number, string>> {
    const rows = await this.find("HostGroup.FindGroups", "(id >= 0)", ["id", "grp_full_name"]);
    return new Map(rows.map((r) => [Number(r.id), trimSlash(String(r.grp_full_name))]));
  }

  /** Every device with its group and its keep-connection flag. */
  async devices(): Promise<{ hostId: string; name: string; groupId: number; keepConnection: boolean }[]> {
    const fields = ["KLHST_WKS_HOSTNAME", "KLHST_WKS_DN", "KLHST_WKS_GROUPID", CONSOLE_KEYS.keepConnection];
    const rows = await this.find("HostGroup.FindHosts", "(KLHST_WKS_GROUPID >= 0)", fields);
    return rows.map((r) => ({
      hostId: String(r.KLHST_WKS_HOSTNAME),
      name: String(r.KLHST_WKS_DN),
      groupId: Number(r.KLHST_WKS_GROUPID),
      keepConnection: r[CONSOLE_KEYS.keepConnection] === true,
    }));
  }

  /** Host id of the one device with this display name. */
  async hostId(displayName: string): Promise<string> {
    const filter = `(KLHST_WKS_DN = "${displayName.replace(/"/g, '""')}")`;
    const rows = await this.find("HostGroup.FindHosts", filter, ["KLHST_WKS_HOSTNAME"]);
    if (rows.length !== 1) throw new Error(`${rows.length} devices are named ${displayName}`);
    return String(rows[0].KLHST_WKS_HOSTNAME);
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
        const items = ((chunk.pChunk as Json | undefined)?.KLCSP_ITERATOR_ARRAY ?? []) as unknown[];
        rows.push(...items.map((i) => plain(i) as Json));
        if (items.length < 100) break;
      }
    } finally {
      await this.call("ChunkAccessor.Release", { strAccessor: accessor });
    }
    return rows;
  }

  // ---- distribution points (UaControl, §3) ----

  async automaticAssignment(): Promise<boolean> {
    return (await this.call("UaControl.GetAssignUasAutomatically")).PxgRetVal === true;
  }

  /** The DP's settings exactly as the console sends them (typed values), or undefined if it is not a DP. */
  async updateAgentInfo(hostId: string): Promise<Json | undefined> {
    const list = plain((await this.call("UaControl.GetUpdateAgentsList")).pUasArr ?? []) as Json[];
    if (!list.some((ua) => ua.UaHostId === hostId)) return undefined;
    return (await this.call("UaControl.GetUpdateAgentInfo", { wstrUaHostId: hostId })).pUaInfo as Json;
  }

  /** Read-modify-write of a DP, as the console's DP properties dialog does. */
  async modifyUpdateAgent(hostId: string, edit: (info: Json) => void): Promise<void> {
    const info = await this.updateAgentInfo(hostId);
    if (!info) throw new Error(`host ${hostId} is not a distribution point`);
    edit(info);
    await this.call("UaControl.ModifyUpdateAgent", { pUaInfo: info });
  }

  /** DP properties → General → "Push server port". */
  async setPushServerPort(hostId: string, port: number): Promise<void> {
    await this.modifyUpdateAgent(hostId, (info) => {
      info[CONSOLE_KEYS.pushServerPort] = long(port);
    });
  }

  /** DP properties → Scope → Add: one more administration group. */
  async addScopeGroup(hostId: string, groupId: number): Promise<void> {
    await this.modifyUpdateAgent(hostId, (info) => {
      const scope = info.UaScope as { value: { ScopeGroups?: unknown[] } };
      scope.value.ScopeGroups = [...(scope.value.ScopeGroups ?? []), wrapped({ ScopeId: long(groupId) })];
    });
  }

  /** Makes a device a DP serving the given groups, as an administrator would (automatic assignment off first). */
  async registerUpdateAgent(hostId: string, groupIds: number[]): Promise<void> {
    if (await this.automaticAssignment()) {
      await this.call("UaControl.SetAssignUasAutomatically", { bEnabled: false });
    }
    const info = (await this.call("UaControl.GetDefaultUpdateAgentRegistrationInfo")).pUaInfo as Json;
    info.UaHostId = hostId;
    info.UaScope = wrapped({
      ScopeGroups: groupIds.map((id) => wrapped({ ScopeId: long(id) })),
      ScopeNlaNetworks: [],
    });
    await this.call("UaControl.RegisterUpdateAgent", { pUaInfo: info });
  }

  // ---- policies (Policy, SsContents, §4–§5) ----

  /** Creates an active Network Agent policy with the console's defaults; returns its id. */
  async addNetworkAgentPolicy(groupId: number, name: string): Promise<number> {
    const reply = await this.call("Policy.AddPolicy", {
      pPolicyData: {
        KLPOL_DN: name,
        KLPOL_PRODUCT: NA_PRODUCT,
        KLPOL_VERSION: NA_VERSION,
        KLPOL_GROUP_ID: groupId,
        KLPOL_ACTIVE: true,
      },
    });
    return Number(reply.PxgRetVal);
  }

  /** The Connectivity → Network section of a Network Agent policy. */
  async networkSettings(policyId: number): Promise<Record<string, LockedValue>> {
    return this.withContents(policyId, async (id) => {
      const section = plain(
        (
          await this.call("SsContents.Ss_Read", {
            wstrID: id,
            wstrProduct: NA_PRODUCT,
            wstrVersion: NA_VERSION,
            wstrSection: CONSOLE_KEYS.networkSection,
          })
        ).PxgRetVal,
      ) as Record<string, { KLPRSS_Val: unknown; KLPRSS_Mnd?: boolean }>;
      return Object.fromEntries(
        Object.entries(section).map(([k, v]) => [k, { value: v.KLPRSS_Val, locked: v.KLPRSS_Mnd === true }]),
      );
    });
  }

  /** Changes one Connectivity → Network setting of a policy (value and padlock), then applies it. */
  async setNetworkSetting(policyId: number, key: string, setting: LockedValue): Promise<void> {
    await this.withContents(policyId, async (id) => {
      await this.call("SsContents.Ss_Replace", {
        wstrID: id,
        wstrProduct: NA_PRODUCT,
        wstrVersion: NA_VERSION,
        wstrSection: CONSOLE_KEYS.networkSection,
        pNewData: { [key]: wrapped({ KLPRSS_Val: setting.value, KLPRSS_Mnd: setting.locked }) },
      });
      await this.call("SsContents.Ss_Apply", { wstrID: id });
    });
  }

  /** Opens or closes the padlock of one setting, keeping its value. */
  async setNetworkLock(policyId: number, key: string, locked: boolean): Promise<void> {
    const current = (await this.networkSettings(policyId))[key];
    if (!current) throw new Error(`policy ${policyId} has no setting ${key}`);
    await this.setNetworkSetting(policyId, key, { value: current.value, locked });
  }

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

  /** Policies owned by groups (not the inherited entries), each once. */
  async policies(): Promise<ConsoleSnapshot["policies"]> {
    const groups = await this.groups();
    const out: ConsoleSnapshot["policies"] = [];
    for (const [groupId, path] of [...groups].sort((a, b) => a[0] - b[0])) {
      const list = plain(
        (await this.call("Policy.GetPoliciesForGroup", { nGroupId: groupId })).PxgRetVal,
      ) as Json[];
      for (const p of list) {
        if (p.KLPOL_INHERITED === true || Number(p.KLPOL_GROUP_ID) !== groupId) continue;
        const policy: ConsoleSnapshot["policies"][number] = {
          id: Number(p.KLPOL_ID),
          name: String(p.KLPOL_DN),
          group: path,
          product: String(p.KLPOL_PRODUCT),
          active: p.KLPOL_ACTIVE === true,
        };
        if (policy.product === NA_PRODUCT) policy.network = await this.networkSettings(policy.id);
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

  // ---- everything ----

  async snapshot(): Promise<ConsoleSnapshot> {
    const groups = await this.groups();
    const devices = await this.devices();
    const names = new Map(devices.map((d) => [d.hostId, d.name]));
    const list = plain((await this.call("UaControl.GetUpdateAgentsList")).pUasArr ?? []) as Json[];
    const distributionPoints: ConsoleSnapshot["distributionPoints"] = [];
    for (const ua of list) {
      const hostId = String(ua.UaHostId);
      const info = plain(
        (await this.call("UaControl.GetUpdateAgentInfo", { wstrUaHostId: hostId })).pUaInfo,
      ) as Json;
      const scope = (info.UaScope ?? {}) as { ScopeGroups?: { ScopeId: number }[] };
      const k = CONSOLE_KEYS;
      const settings = { ...info };
      for (const key of ["UaHostId", "UaHostDisplayName", "UaScope", k.pushServerEnabled, k.pushServerPort]) {
        delete settings[key];
      }
      delete settings[k.pushServerRemoteAddress];
      distributionPoints.push({
        device: names.get(hostId) ?? hostId,
        scope: (scope.ScopeGroups ?? []).map((g) => groups.get(g.ScopeId) ?? `#${g.ScopeId}`).sort(),
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

interface Reply {
  status: number;
  body: Json;
}

function post(
  opts: RawKscOptions,
  method: string,
  headers: Record<string, string>,
  args: Json = {},
): Promise<Reply> {
  const url = new URL(`/api/v1.0/${method}`, opts.url);
  const body = Buffer.from(JSON.stringify(args));
  const isHttps = url.protocol === "https:";
  const options: https.RequestOptions = {
    method: "POST",
    headers: { ...headers, "Content-Type": "application/json", "Content-Length": String(body.length) },
    agent: false,
  };
  if (isHttps && opts.caFile) options.ca = fs.readFileSync(opts.caFile);
  return new Promise((resolve, reject) => {
    const req = (isHttps ? https : http).request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: Json = {};
        try {
          parsed = text ? (JSON.parse(text) as Json) : {};
        } catch {
          parsed = {};
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
