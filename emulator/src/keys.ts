// Every PROPOSED (invented, unverified) KSC name the emulator uses, in one place (reference §3.5, §5.3, §8).
// None of these is a real KSC name. A key-names JSON file (same shape as the client's override file:
// {"dp": {...}, "host": {...}, "networkAgent": {...}}) replaces them, so the emulator can stand in for a
// real server whose names differ.
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
    /** PROPOSED: host attribute "Do not disconnect from the Administration Server" (bool). */
    keepConnection: string;
  };
  networkAgent: {
    /** PROPOSED: NA policy section holding Connectivity → Network. */
    networkSection: string;
    /** PROPOSED: "Use UDP port" (bool, default true). */
    useUdpPort: string;
    /** PROPOSED: "UDP port number" (int, default 15000). */
    udpPort: string;
    /** PROPOSED: "Use distribution point to force connection to Administration Server" (bool, default false). */
    forceConnectionThroughDp: string;
  };
}

// PROPOSED, unverified.
export const PROPOSED_KEY_NAMES: KeyNames = {
  dp: {
    pushServerEnabled: "PROPOSED_UaPushServerEnabled",
    pushServerPort: "PROPOSED_UaPushServerPort",
    pushServerRemoteAddress: "PROPOSED_UaPushServerRemoteAddress",
  },
  host: { keepConnection: "PROPOSED_HostKeepConnection" },
  networkAgent: {
    networkSection: "PROPOSED_NAG_NETWORK",
    useUdpPort: "PROPOSED_UseUdpPort",
    udpPort: "PROPOSED_UdpPort",
    forceConnectionThroughDp: "PROPOSED_UseDpForceConnection",
  },
};

/**
 * PROPOSED, emulator only: in the elements of UaControl.GetUpdateAgentsDisplayInfoForHost, marks the DP whose
 * push server the load balancer gave this host. Not overridable: it has no counterpart on a real server.
 */
export const PROPOSED_SERVES_HOST_AS_PUSH_SERVER = "PROPOSED_UaPushServerServesHost";

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * Apply overrides to the proposed names. The file may be the client's override file, which can also rename
 * documented keys; the emulator only renames the proposed ones and reports the rest in `ignored`.
 */
export function resolveKeyNames(
  overrides: unknown,
  source = "key names",
): { names: KeyNames; ignored: string[] } {
  const names: KeyNames = JSON.parse(JSON.stringify(PROPOSED_KEY_NAMES)) as KeyNames;
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
