// Every KSC key name pulumi-ksc uses, in ONE place.
//
// Each entry says whether the name is documented (Kaspersky's reference, official KlAkOAPI code, or
// observed in real replies) or PROPOSED: a placeholder we invented because no public source names the
// real key (reference ksc-open-api.md §3.5, §5.3, §8). An administrator with a real server finds the
// real names (the `pulumi-ksc probe` command) and overrides them with a JSON file given in the
// provider configuration (`ksc:keyNamesFile` / KSC_KEY_NAMES_FILE) — no new release needed.
import * as fs from "fs";

export type KeyStatus = "documented" | "proposed";

interface KeyEntry {
  name: string;
  status: KeyStatus;
  /** Where the name comes from: section of ../shared/reference/ksc-open-api.md */
  ref: string;
}

const doc = (name: string, ref: string): KeyEntry => ({ name, status: "documented", ref });
// PROPOSED, unverified: placeholder names, see the file header.
const proposed = (name: string, ref: string): KeyEntry => ({ name, status: "proposed", ref });

/** The default table. Group → logical name → entry. */
export const DEFAULT_KEYS = {
  /** Distribution point settings (`pUaInfo` of UaControl). */
  dp: {
    hostId: doc("UaHostId", "§3.3"),
    scope: doc("UaScope", "§3.3"),
    displayName: doc("UaHostDisplayName", "§3.3"),
    isConnectionGateway: doc("UaIsCg", "§3.3"),
    port: doc("UaPort", "§3.3"),
    nonSslPort: doc("UaNonSslPort", "§3.3"),
    multicastAddress: doc("UaMulticastAddr", "§3.3"),
    distributeUpdates: doc("UaDistributeUpdates", "§3.3"),
    distributePackages: doc("UaDistributePackages", "§3.3"),
    customFolder: doc("UaCustomFolder", "§3.3"),
    gatewayRemoteAddress: doc("CgRemoteAddress", "§3.3"),
    gatewayServerInitiatesConnection: doc("CgServerInitiateConnection", "§3.3"),
    pushServerEnabled: proposed("PROPOSED_UaPushServerEnabled", "§3.5"),
    pushServerPort: proposed("PROPOSED_UaPushServerPort", "§3.5"),
    pushServerRemoteAddress: proposed("PROPOSED_UaPushServerRemoteAddress", "§3.5"),
  },
  /** DP scope (`UaScope` params). */
  scope: {
    groups: doc("ScopeGroups", "§3.4"),
    nlaNetworks: doc("ScopeNlaNetworks", "§3.4"),
    broadcastDomains: doc("ScopeBcDomains", "§3.4"),
    id: doc("ScopeId", "§3.4"),
    name: doc("ScopeName", "§3.4"),
  },
  /** Display info of a DP (GetUpdateAgentsList elements). */
  dpDisplay: {
    hostId: doc("UaHostId", "§3.1"),
    displayName: doc("UaHostDisplayName", "§3.1"),
    isConnectionGateway: doc("UaIsCg", "§3.1"),
  },
  /** Host attributes (HostGroup.FindHosts / GetHostInfo). */
  host: {
    hostId: doc("KLHST_WKS_HOSTNAME", "§6.2"),
    displayName: doc("KLHST_WKS_DN", "§6.2"),
    groupId: doc("KLHST_WKS_GROUPID", "§6.2"),
    fqdn: doc("KLHST_WKS_FQDN", "§6.2"),
    dnsName: doc("KLHST_WKS_DNSNAME", "§6.2"),
    status: doc("KLHST_WKS_STATUS", "§6.2"),
    /** "Do not disconnect from the Administration Server" of the DP host. */
    keepConnection: proposed("PROPOSED_HostKeepConnection", "§3.5"),
  },
  /** Group attributes (HostGroup.FindGroups). */
  group: {
    id: doc("id", "§6.1"),
    name: doc("name", "§6.1"),
    parentId: doc("parentId", "§6.1"),
    fullName: doc("grp_full_name", "§6.1"),
  },
  /** Policy common attributes. */
  policy: {
    id: doc("KLPOL_ID", "§4.2"),
    displayName: doc("KLPOL_DN", "§4.2"),
    product: doc("KLPOL_PRODUCT", "§4.2"),
    version: doc("KLPOL_VERSION", "§4.2"),
    groupId: doc("KLPOL_GROUP_ID", "§4.2"),
    active: doc("KLPOL_ACTIVE", "§4.2"),
    roaming: doc("KLPOL_ROAMING", "§4.2"),
    acceptParent: doc("KLPOL_ACCEPT_PARENT", "§4.2"),
    forceDistribToChildren: doc("KLPOL_FORCE_DISTRIB2CHILDREN", "§4.2"),
    inherited: doc("KLPOL_INHERITED", "§4.2"),
  },
  /** Network Agent product and its network settings section. */
  networkAgent: {
    product: doc("1103", "§5.1"),
    version: doc("1.0.0.0", "§5.1"),
    networkSection: proposed("PROPOSED_NAG_NETWORK", "§5.3"),
    useUdpPort: proposed("PROPOSED_UseUdpPort", "§5.3"),
    udpPort: proposed("PROPOSED_UdpPort", "§5.3"),
    forceConnectionThroughDp: proposed("PROPOSED_UseDpForceConnection", "§5.3"),
  },
  /** The policy-format wrapper of every policy variable. */
  lock: {
    value: doc("KLPRSS_Val", "§4.4"),
    locked: doc("KLPRSS_Mnd", "§4.4"),
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

/** Every proposed (unverified) name, with its group and logical name — for docs, the probe and warnings. */
export function proposedKeys(): { group: string; logical: string; name: string; ref: string }[] {
  const out: { group: string; logical: string; name: string; ref: string }[] = [];
  for (const [group, entries] of Object.entries(DEFAULT_KEYS)) {
    for (const [logical, entry] of Object.entries(entries as Record<string, KeyEntry>)) {
      if (entry.status === "proposed") out.push({ group, logical, name: entry.name, ref: entry.ref });
    }
  }
  return out;
}
