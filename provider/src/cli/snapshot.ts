// `probe snapshot`: everything in the console that can hold the push-server settings, read-only, as one JSON file
// — the default DP registration info, the settings of every DP (or of one), the DP hosts' attributes, and every
// section of the Network Agent policies of chosen groups (one SsContents handle per policy, always released).
// Only read methods are called; the emulator test checks that from the server's call counters.
import * as fs from "fs";
import { KscClientHandle, KscLong, KscParams, KscTyped, KscValue } from "../ksc";
import { isNotFound, KscError } from "../ksc/errors";
import { DEFAULT_KEYS, KeyNames } from "../ksc/keys";
import { GroupInfo } from "../resources/groups";
import { UsageError } from "./exitCodes";
import { ownNetworkAgentPolicies } from "./lookup";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const SNAPSHOT_KIND = "pulumi-ksc-snapshot";

export interface PolicySnapshot {
  attributes: JsonObject;
  /** Section name → decoded section content (policy format kept: {KLPRSS_Val, KLPRSS_Mnd}). */
  sections: JsonObject;
}

export interface Snapshot {
  kind: typeof SNAPSHOT_KIND;
  version: 1;
  takenAt: string;
  server: string;
  /** What was asked for. */
  scope: { hostId?: string; groups: { id: number; path: string }[] };
  /** Host id → display name, policy id → "name (group path)": for people reading paths. Not compared. */
  labels: Record<string, string>;
  /** What could not be read, and why. Not compared. */
  notes: string[];
  /** The compared part. */
  data: {
    defaultDpRegistrationInfo: JsonObject;
    /** Host id → the DP's full settings (GetUpdateAgentInfo). */
    distributionPoints: Record<string, JsonObject>;
    /** Host id → host attributes (GetHostInfo). */
    hosts: Record<string, JsonObject>;
    /** Policy id → attributes and every section. */
    policies: Record<string, PolicySnapshot>;
  };
}

/** A decoded KSC value as plain JSON: longs as numbers, datetime/binary/… as {type, value}. */
export function toJson(v: KscValue): Json {
  if (v instanceof KscLong) return v.value;
  if (v instanceof KscTyped) return { type: v.type, value: v.value };
  if (Array.isArray(v)) return v.map(toJson);
  if (v !== null && typeof v === "object") return paramsToJson(v);
  return v;
}

export function paramsToJson(p: KscParams): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(p)) out[k] = toJson(v);
  return out;
}

/** Host attributes of docs/ksc-open-api.md#host-attributes and of KSC's attribute list that say something
 *  about a device and its connection. Asked by name because GetHostInfo returns only what is asked for. */
const BROAD_HOST_ATTRIBUTES = [
  "KLHST_WKS_DNSDOMAIN",
  "KLHST_WKS_WINHOSTNAME",
  "KLHST_WKS_WINDOMAIN",
  "KLHST_WKS_IP_LONG",
  "KLHST_WKS_CONNECT_IP_LONG",
  "KLHST_INSTANCEID",
  "KLHST_WKS_NAG_VERSION",
  "KLHST_WKS_FROM_UNASSIGNED",
  "KLHST_WKS_OS_NAME",
  "KLHST_WKS_CREATED",
  "KLHST_WKS_LAST_VISIBLE",
  "KLHST_WKS_LAST_INFOUDATE",
  "KLHST_WKS_LAST_NAGENT_CONNECTED",
  "KLHST_WKS_COMMENT",
  "KLHST_WKS_CTYPE",
  "KLHST_WKS_PTYPE",
];

/** The attribute names asked of every DP host: the mapping module's host names (the keep-connection name in use
 *  and its default), the broad list, and any the user adds. */
export function hostAttributeNames(keys: KeyNames, extra: string[] = []): string[] {
  return [
    ...new Set([
      ...Object.values(keys.host),
      DEFAULT_KEYS.host.keepConnection.name,
      ...BROAD_HOST_ATTRIBUTES,
      ...extra,
    ]),
  ];
}

export interface SnapshotOptions {
  /** Only this DP (and its host); default: every DP. */
  hostId?: string;
  /** Groups whose own Network Agent policies are read. */
  groups: GroupInfo[];
  /** More host attribute names to ask for. */
  extraHostAttributes?: string[];
  now?: () => Date;
}

export async function takeSnapshot(
  client: KscClientHandle,
  keys: KeyNames,
  opts: SnapshotOptions,
): Promise<Snapshot> {
  const notes: string[] = [];
  const labels: Record<string, string> = {};
  const snapshot: Snapshot = {
    kind: SNAPSHOT_KIND,
    version: 1,
    takenAt: (opts.now ?? (() => new Date()))().toISOString(),
    server: client.server,
    scope: { groups: opts.groups.map((g) => ({ id: g.id, path: g.path })) },
    labels,
    notes,
    data: { defaultDpRegistrationInfo: {}, distributionPoints: {}, hosts: {}, policies: {} },
  };
  if (opts.hostId !== undefined) snapshot.scope.hostId = opts.hostId;
  const data = snapshot.data;
  data.defaultDpRegistrationInfo = paramsToJson(
    (await client.uaControl.getDefaultUpdateAgentRegistrationInfo()).toWire(),
  );

  // The DPs: the named one, or all.
  let hostIds: string[];
  if (opts.hostId !== undefined) hostIds = [opts.hostId];
  else {
    const list = await client.uaControl.getUpdateAgentsList();
    for (const dp of list) if (dp.displayName) labels[dp.hostId] = dp.displayName;
    hostIds = list.map((dp) => dp.hostId);
  }
  for (const hostId of hostIds) {
    try {
      const info = await client.uaControl.getUpdateAgentInfo(hostId);
      data.distributionPoints[hostId] = paramsToJson(info.toWire());
      if (info.displayName) labels[hostId] = info.displayName;
    } catch (err) {
      if (!isNotFound(err)) throw err;
      notes.push(`host ${hostId} is not a distribution point (UaControl.GetUpdateAgentInfo: not found)`);
    }
  }

  const attributes = hostAttributeNames(keys, opts.extraHostAttributes);
  let askAll = true;
  for (const hostId of hostIds) {
    const attrs = await readHostAttributes(client, keys, hostId, attributes, notes);
    // An empty list asks for every attribute the server will give (the emulator gives all; a real server may give
    // none or refuse): it catches attributes nobody knew to ask for.
    if (askAll) {
      try {
        const all = paramsToJson(await client.hostGroup.getHostInfo(hostId, []));
        for (const [k, v] of Object.entries(all)) if (!(k in attrs)) attrs[k] = v;
      } catch (err) {
        if (!(err instanceof KscError)) throw err;
        askAll = false;
        notes.push(
          `HostGroup.GetHostInfo with an empty attribute list was refused (${err.message}); only named attributes were read`,
        );
      }
    }
    data.hosts[hostId] = attrs;
    const dn = attrs[keys.host.displayName];
    if (typeof dn === "string" && dn && !labels[hostId]) labels[hostId] = dn;
  }

  // The groups' own Network Agent policies, every section.
  const na = keys.networkAgent;
  for (const group of opts.groups) {
    const policies = await ownNetworkAgentPolicies(client, keys, group);
    if (policies.length === 0)
      notes.push(`group ${JSON.stringify(group.path)} has no Network Agent policy of its own`);
    for (const p of policies) {
      labels[String(p.id)] = `${p.displayName} (${group.path})`;
      const read = await client.policySettings.readAllSections(
        p.id,
        na.product,
        na.version,
        (section, err) => {
          if (!(err instanceof KscError)) throw err;
          notes.push(`policy ${p.id}: section ${section} could not be read (${err.message})`);
        },
      );
      const sections: JsonObject = {};
      for (const [section, content] of Object.entries(read)) sections[section] = paramsToJson(content);
      data.policies[String(p.id)] = { attributes: paramsToJson(p.raw), sections };
    }
  }
  return snapshot;
}

async function readHostAttributes(
  client: KscClientHandle,
  keys: KeyNames,
  hostId: string,
  attributes: string[],
  notes: string[],
): Promise<JsonObject> {
  try {
    return paramsToJson(await client.hostGroup.getHostInfo(hostId, attributes));
  } catch (err) {
    if (!(err instanceof KscError) || isNotFound(err)) throw err;
    // A server may refuse names it does not know: fall back to the mapping module's documented host names.
    const documented = Object.entries(DEFAULT_KEYS.host)
      .filter(([, e]) => e.status === "documented")
      .map(([logical]) => keys.host[logical as keyof KeyNames["host"]]);
    notes.push(
      `host ${hostId}: GetHostInfo refused the broad attribute list (${err.message}); read ${documented.join(", ")} only`,
    );
    return paramsToJson(await client.hostGroup.getHostInfo(hostId, documented));
  }
}

export function writeJsonFile(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Read a snapshot file; a file that is not one is a usage error (exit 2). */
export function readSnapshotFile(file: string): Snapshot {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const s = parsed as Partial<Snapshot> | null;
  if (
    !s ||
    typeof s !== "object" ||
    s.kind !== SNAPSHOT_KIND ||
    typeof s.data !== "object" ||
    s.data === null
  ) {
    throw new UsageError(`${file} is not a snapshot of \`pulumi-ksc probe snapshot\``);
  }
  return { labels: {}, notes: [], ...s } as Snapshot;
}
