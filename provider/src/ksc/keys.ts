// Every KSC key name pulumi-ksc uses, in ONE place, each with its status and its source
// (docs/ksc-key-names.md explains the three statuses and lists the sources):
//
// - documented: Kaspersky's Open API reference, its official Python wrapper KlAkOAPI, or seen in real replies
//   (third-party clients built from real responses);
// - evidence:   a name found in public code of the same product line (an old Network Agent SDK header, a
//   host-attributes header) but confirmed by no current Open API page: a far better default than an invented
//   name, still to be confirmed on each server;
// - proposed:   a placeholder (`PROPOSED_…`) invented because no public source names the key at all; no server
//   has it.
//
// `pulumi-ksc probe guided` finds a server's real names and says which defaults it confirmed or corrected; the
// override file it writes (`ksc:keyNamesFile` / KSC_KEY_NAMES_FILE) replaces any name here without a new release.
// The probe and the override file are the authority; this table is only the starting point.
import * as fs from "fs";

export type KeyStatus = "documented" | "evidence" | "proposed";

export interface KeyEntry {
  name: string;
  status: KeyStatus;
  /** Where the name comes from, in a few words (details: docs/ksc-key-names.md). */
  source: string;
}

const OAPI = "KSC Open API reference";
const doc = (name: string, source: string): KeyEntry => ({ name, status: "documented", source });
// EVIDENCE, unconfirmed by the current Open API reference: docs/ksc-key-names.md "Names that rest on evidence".
const evidence = (name: string, source: string): KeyEntry => ({ name, status: "evidence", source });
// PROPOSED, unverified: placeholder names no server has, see the file header.
const proposed = (name: string, source: string): KeyEntry => ({ name, status: "proposed", source });

const GO_KSC_UA_INFO = "go-ksc client, PUaInfo (built from real replies)";
const GO_KSC_UA_LIST = "go-ksc client, UpdateAgentValue (built from real replies)";
const NAG_HEADER = "old Network Agent SDK header nagent_const.h (public code)";
const NO_SOURCE = "no public source names it";

/** The default table. Group → logical name → entry. */
export const DEFAULT_KEYS = {
  /** Distribution point settings (`pUaInfo` of UaControl). */
  dp: {
    hostId: doc("UaHostId", `${OAPI}: RegisterUpdateAgent`),
    scope: doc("UaScope", `${OAPI}: RegisterUpdateAgent`),
    displayName: doc("UaHostDisplayName", GO_KSC_UA_INFO),
    isConnectionGateway: doc("UaIsCg", GO_KSC_UA_INFO),
    port: doc("UaPort", GO_KSC_UA_INFO),
    nonSslPort: doc("UaNonSslPort", GO_KSC_UA_INFO),
    multicastAddress: doc("UaMulticastAddr", GO_KSC_UA_INFO),
    distributeUpdates: doc("UaDistributeUpdates", GO_KSC_UA_INFO),
    distributePackages: doc("UaDistributePackages", GO_KSC_UA_INFO),
    customFolder: doc("UaCustomFolder", GO_KSC_UA_INFO),
    gatewayRemoteAddress: doc("CgRemoteAddress", GO_KSC_UA_INFO),
    gatewayServerInitiatesConnection: doc("CgServerInitiateConnection", GO_KSC_UA_INFO),
    pushServerEnabled: proposed("PROPOSED_UaPushServerEnabled", NO_SOURCE),
    pushServerPort: proposed("PROPOSED_UaPushServerPort", NO_SOURCE),
    pushServerRemoteAddress: proposed("PROPOSED_UaPushServerRemoteAddress", NO_SOURCE),
  },
  /** DP scope (`UaScope` params). */
  scope: {
    groups: doc("ScopeGroups", `${OAPI}: UaScope`),
    nlaNetworks: doc("ScopeNlaNetworks", `${OAPI}: UaScope`),
    broadcastDomains: doc("ScopeBcDomains", `${OAPI}: UaScope`),
    id: doc("ScopeId", `${OAPI}: UaScope`),
    name: doc("ScopeName", `${OAPI}: UaScope`),
  },
  /** Display info of a DP (GetUpdateAgentsList elements). */
  dpDisplay: {
    hostId: doc("UaHostId", GO_KSC_UA_LIST),
    displayName: doc("UaHostDisplayName", GO_KSC_UA_LIST),
    isConnectionGateway: doc("UaIsCg", GO_KSC_UA_LIST),
  },
  /** Host attributes (HostGroup.FindHosts / GetHostInfo). */
  host: {
    hostId: doc("KLHST_WKS_HOSTNAME", `${OAPI}: host attributes`),
    displayName: doc("KLHST_WKS_DN", `${OAPI}: host attributes`),
    groupId: doc("KLHST_WKS_GROUPID", `${OAPI}: host attributes`),
    fqdn: doc("KLHST_WKS_FQDN", `${OAPI}: host attributes`),
    dnsName: doc("KLHST_WKS_DNSNAME", `${OAPI}: host attributes`),
    status: doc("KLHST_WKS_STATUS", `${OAPI}: host attributes`),
    /** "Do not disconnect from the Administration Server" of the DP host. */
    keepConnection: evidence(
      "KLHST_WKS_KEEP_CONNECTION",
      "host-attributes header Hosts.h (public code), bool",
    ),
  },
  /** Group attributes (HostGroup.FindGroups). */
  group: {
    id: doc("id", `${OAPI}: HostGroup.FindGroups`),
    name: doc("name", `${OAPI}: HostGroup.FindGroups`),
    parentId: doc("parentId", `${OAPI}: HostGroup.FindGroups`),
    fullName: doc("grp_full_name", `${OAPI}: HostGroup.FindGroups`),
  },
  /** Policy common attributes. */
  policy: {
    id: doc("KLPOL_ID", `${OAPI}: policy common attributes`),
    displayName: doc("KLPOL_DN", `${OAPI}: policy common attributes`),
    product: doc("KLPOL_PRODUCT", `${OAPI}: policy common attributes`),
    version: doc("KLPOL_VERSION", `${OAPI}: policy common attributes`),
    groupId: doc("KLPOL_GROUP_ID", `${OAPI}: policy common attributes`),
    active: doc("KLPOL_ACTIVE", `${OAPI}: policy common attributes`),
    roaming: doc("KLPOL_ROAMING", `${OAPI}: policy common attributes`),
    acceptParent: doc("KLPOL_ACCEPT_PARENT", `${OAPI}: policy common attributes`),
    forceDistribToChildren: doc("KLPOL_FORCE_DISTRIB2CHILDREN", `${OAPI}: policy common attributes`),
    inherited: doc("KLPOL_INHERITED", `${OAPI}: policy common attributes`),
  },
  /** Network Agent product and its network settings section. */
  networkAgent: {
    product: doc("1103", `${OAPI}: Network Agent product`),
    version: doc("1.0.0.0", `${OAPI}: Network Agent product`),
    /** The Network Agent's main settings section. That its header constant is the "86" of the section list is
     *  an inference (docs/ksc-key-names.md). */
    networkSection: evidence("86", `${NAG_HEADER}, section list of the ${OAPI}`),
    /** "Use UDP port" (bool, default true). */
    useUdpPort: evidence("OpenUdpPort", `${NAG_HEADER}, bool`),
    /** "UDP port number": an ARRAY of int (default 15000, 15001, …) whose first element is the port the server
     *  contacts; see udpPortOf / withUdpPort in networkAgent.ts. */
    udpPort: evidence("Nagentports", `${NAG_HEADER}, array of int, first = the UDP port`),
    /** "Use distribution point to force connection to Administration Server". */
    forceConnectionThroughDp: proposed("PROPOSED_UseDpForceConnection", NO_SOURCE),
  },
  /** The policy-format wrapper of every policy variable. */
  lock: {
    value: doc("KLPRSS_Val", `${OAPI}: policy format`),
    locked: doc("KLPRSS_Mnd", `${OAPI}: policy format`),
  },
} satisfies Record<string, Record<string, KeyEntry>>;

type Table = typeof DEFAULT_KEYS;
/** The resolved names: same shape as the table, each entry reduced to its name. */
export type KeyNames = { [G in keyof Table]: { [K in keyof Table[G]]: string } };
/** The override file's shape: any subset of groups and logical names. */
export type KeyNameOverrides = { [G in keyof Table]?: { [K in keyof Table[G]]?: string } };

function namesOf(table: Table): KeyNames {
  const out: Record<string, Record<string, string>> = {};
  for (const [group, entries] of Object.entries(table)) {
    out[group] = {};
    for (const [logical, entry] of Object.entries(entries as Record<string, KeyEntry>)) {
      out[group][logical] = entry.name;
    }
  }
  return out as KeyNames;
}

/** Apply overrides to the defaults; unknown groups or logical names are errors (typos must not pass silently). */
export function resolveKeyNames(overrides: unknown = {}, source = "key-name overrides"): KeyNames {
  const names = namesOf(DEFAULT_KEYS) as unknown as Record<string, Record<string, string>>;
  if (overrides === null || typeof overrides !== "object" || Array.isArray(overrides)) {
    throw new Error(
      `${source}: must be a JSON object of groups, e.g. {"dp": {"pushServerPort": "RealName"}}`,
    );
  }
  for (const [group, entries] of Object.entries(overrides as Record<string, unknown>)) {
    if (group.startsWith("$")) continue; // "$comment", "$schema", …
    if (!(group in names)) {
      throw new Error(`${source}: unknown group "${group}" (known: ${Object.keys(names).join(", ")})`);
    }
    if (entries === null || typeof entries !== "object" || Array.isArray(entries)) {
      throw new Error(`${source}: "${group}" must be an object of logical name → KSC key name`);
    }
    for (const [logical, name] of Object.entries(entries as Record<string, unknown>)) {
      if (!(logical in names[group])) {
        throw new Error(
          `${source}: unknown key "${group}.${logical}" (known: ${Object.keys(names[group]).join(", ")})`,
        );
      }
      if (typeof name !== "string" || name.trim() === "") {
        throw new Error(`${source}: "${group}.${logical}" must be a non-empty string`);
      }
      names[group][logical] = name;
    }
  }
  return names as unknown as KeyNames;
}

/** Read an override file (JSON) and resolve; without a file, the defaults. */
export function loadKeyNames(overrideFile?: string): KeyNames {
  if (!overrideFile) return resolveKeyNames({});
  let text: string;
  try {
    text = fs.readFileSync(overrideFile, "utf8");
  } catch (err) {
    throw new Error(`key-name override file ${overrideFile}: cannot read it (${(err as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`key-name override file ${overrideFile}: not valid JSON (${(err as Error).message})`);
  }
  return resolveKeyNames(parsed, `key-name override file ${overrideFile}`);
}

/** A default name with its place in the table. */
export interface DefaultKey extends KeyEntry {
  group: string;
  logical: string;
}

/** Every default name, in table order — for docs, the probe and warnings. */
export function defaultKeys(): DefaultKey[] {
  const out: DefaultKey[] = [];
  for (const [group, entries] of Object.entries(DEFAULT_KEYS)) {
    for (const [logical, entry] of Object.entries(entries as Record<string, KeyEntry>)) {
      out.push({ group, logical, ...entry });
    }
  }
  return out;
}

/** The placeholders (`PROPOSED_…`): no server has them. */
export function proposedKeys(): DefaultKey[] {
  return defaultKeys().filter((k) => k.status === "proposed");
}

/** Every default that no Open API page confirms (evidence and proposed): what `probe guided` looks for. */
export function unconfirmedKeys(): DefaultKey[] {
  return defaultKeys().filter((k) => k.status !== "documented");
}
