// The names of the settings no Open API page documents, in one place: the emulator's own table, kept apart from
// the provider's on purpose (the emulator shares no code with the client). Each has a status:
//   evidence  a name found in public code of the same product line (an old Network Agent SDK header and a
//             host-attributes header), not confirmed by a current Open API page: the provider's default too;
//   proposed  a placeholder (PROPOSED_…) invented because no public source names the key; no real server has it.
// docs/ksc-key-names.md lists the sources. A unit test of the provider checks that this table and the provider's
// defaults agree. A key-names JSON file (same shape as the client's override file: {"dp": {...}, "host": {...},
// "networkAgent": {...}}) replaces them, so the emulator can stand in for a real server whose names differ.
import * as fs from "fs";

export interface KeyNames {
  dp: {
    /** PROPOSED: "Run push server" in pUaInfo (bool, default false). */
    pushServerEnabled: string;
    /** PROPOSED: "Push server port" in pUaInfo (long, default 13295). */
    pushServerPort: string;
    /** PROPOSED: "Address for remote hosts" of the push server in pUaInfo (string, default ""). */
    pushServerRemoteAddress: string;
  };
  host: {
    /** EVIDENCE: host attribute "Do not disconnect from the Administration Server" (bool). */
    keepConnection: string;
  };
  networkAgent: {
    /** EVIDENCE: the Network Agent's main settings section, holding Connectivity → Network. */
    networkSection: string;
    /** EVIDENCE: "Use UDP port" (bool, default true). */
    useUdpPort: string;
    /** EVIDENCE: the Network Agent's UDP ports, an array of int (default [15000, 15001]); the first is the
     *  "UDP port number" the server contacts. Whatever its name, the emulator holds it as such an array. */
    udpPort: string;
    /** PROPOSED: "Use distribution point to force connection to Administration Server" (bool, default false). */
    forceConnectionThroughDp: string;
  };
}

export type KeyStatus = "evidence" | "proposed";

/** The default names and their status. */
export const DEFAULT_KEYS: {
  [G in keyof KeyNames]: { [K in keyof KeyNames[G]]: { name: string; status: KeyStatus } };
} = {
  dp: {
    pushServerEnabled: { name: "PROPOSED_UaPushServerEnabled", status: "proposed" },
    pushServerPort: { name: "PROPOSED_UaPushServerPort", status: "proposed" },
    pushServerRemoteAddress: { name: "PROPOSED_UaPushServerRemoteAddress", status: "proposed" },
  },
  host: { keepConnection: { name: "KLHST_WKS_KEEP_CONNECTION", status: "evidence" } },
  networkAgent: {
    networkSection: { name: "86", status: "evidence" },
    useUdpPort: { name: "OpenUdpPort", status: "evidence" },
    udpPort: { name: "Nagentports", status: "evidence" },
    forceConnectionThroughDp: { name: "PROPOSED_UseDpForceConnection", status: "proposed" },
  },
};

/** The default names alone. */
export const DEFAULT_KEY_NAMES: KeyNames = {
  dp: {
    pushServerEnabled: DEFAULT_KEYS.dp.pushServerEnabled.name,
    pushServerPort: DEFAULT_KEYS.dp.pushServerPort.name,
    pushServerRemoteAddress: DEFAULT_KEYS.dp.pushServerRemoteAddress.name,
  },
  host: { keepConnection: DEFAULT_KEYS.host.keepConnection.name },
  networkAgent: {
    networkSection: DEFAULT_KEYS.networkAgent.networkSection.name,
    useUdpPort: DEFAULT_KEYS.networkAgent.useUdpPort.name,
    udpPort: DEFAULT_KEYS.networkAgent.udpPort.name,
    forceConnectionThroughDp: DEFAULT_KEYS.networkAgent.forceConnectionThroughDp.name,
  },
};

/** The Network Agent's UDP ports of a new policy: the first is the one the server contacts (docs/ksc-key-names.md). */
export const DEFAULT_NETWORK_AGENT_UDP_PORTS = [15000, 15001];

/**
 * PROPOSED, emulator only: in the elements of UaControl.GetUpdateAgentsDisplayInfoForHost, marks the DP whose
 * push server the load balancer gave this host. Not overridable: it has no counterpart on a real server.
 */
export const PROPOSED_SERVES_HOST_AS_PUSH_SERVER = "PROPOSED_UaPushServerServesHost";

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * Apply overrides to the default names. The file may be the client's override file, which can also rename
 * documented keys; the emulator only renames the undocumented ones and reports the rest in `ignored`.
 */
export function resolveKeyNames(
  overrides: unknown,
  source = "key names",
): { names: KeyNames; ignored: string[] } {
  const names: KeyNames = JSON.parse(JSON.stringify(DEFAULT_KEY_NAMES)) as KeyNames;
  const ignored: string[] = [];
  if (!isObject(overrides)) throw new Error(`${source}: must be a JSON object of groups`);
  const table = names as unknown as Record<string, Record<string, string>>;
  for (const [group, entries] of Object.entries(overrides)) {
    if (group.startsWith("$")) continue; // "$comment", "$schema"
    if (!isObject(entries))
      throw new Error(`${source}: "${group}" must be an object of logical name → key name`);
    for (const [logical, name] of Object.entries(entries)) {
      if (typeof name !== "string" || name.trim() === "") {
        throw new Error(`${source}: "${group}.${logical}" must be a non-empty string`);
      }
      if (group in table && logical in table[group]) table[group][logical] = name;
      else ignored.push(`${group}.${logical}`);
    }
  }
  return { names, ignored };
}

export function loadKeyNames(file?: string): { names: KeyNames; ignored: string[] } {
  if (!file) return resolveKeyNames({});
  const text = fs.readFileSync(file, "utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`key-names file ${file}: not valid JSON (${(err as Error).message})`);
  }
  return resolveKeyNames(parsed, `key-names file ${file}`);
}
