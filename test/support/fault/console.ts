// What the console holds, read with raw API calls (test/support/raw-ksc): everything the three resources can
// touch, every value plain. Two snapshots compare with toEqual, so "the console is unchanged" is one assertion.
import { CONSOLE_KEYS, NETWORK_AGENT, RawKsc, plain } from "../raw-ksc";

export { scopeGroupIds } from "../raw-ksc";

type Plain = Record<string, unknown>;

export const KEEP_CONNECTION = CONSOLE_KEYS.keepConnection;
export const PUSH = {
  enabled: CONSOLE_KEYS.pushServerEnabled,
  port: CONSOLE_KEYS.pushServerPort,
  remoteAddress: CONSOLE_KEYS.pushServerRemoteAddress,
} as const;

export interface ConsoleHost {
  hostId: string;
  name: string;
  groupId: number;
  keepConnection: unknown;
}

export interface ConsolePolicy {
  id: number;
  name: string;
  groupId: number;
  product: string;
  version: string;
  active: unknown;
  /** The Network Agent policy's network section (policy format, plain), when it is a Network Agent policy. */
  network?: Plain;
  record: Plain;
}

export interface ConsoleSnapshot {
  autoAssign: unknown;
  groups: { id: number; name: string; parentId: unknown }[];
  hosts: ConsoleHost[];
  /** DP objects by host id. */
  dps: Record<string, Plain>;
  /** Every policy, by id (each once, from its own group). */
  policies: Record<number, ConsolePolicy>;
}

export async function snapshot(raw: RawKsc): Promise<ConsoleSnapshot> {
  const autoAssign = (await raw.call("UaControl.GetAssignUasAutomatically")).PxgRetVal;
  const groups = (await raw.findGroups("(id >= 0)", ["id", "name", "parentId"]))
    .map((g) => ({ id: Number(g.id), name: String(g.name), parentId: g.parentId }))
    .sort((a, b) => a.id - b.id);
  const hosts = (
    await raw.findHosts('(KLHST_WKS_HOSTNAME = "*")', [
      "KLHST_WKS_HOSTNAME",
      "KLHST_WKS_DN",
      "KLHST_WKS_GROUPID",
      KEEP_CONNECTION,
    ])
  )
    .map((h) => ({
      hostId: String(h.KLHST_WKS_HOSTNAME),
      name: String(h.KLHST_WKS_DN),
      groupId: Number(h.KLHST_WKS_GROUPID),
      keepConnection: h[KEEP_CONNECTION],
    }))
    .sort((a, b) => a.hostId.localeCompare(b.hostId));
  const dps: Record<string, Plain> = {};
  for (const id of await raw.dpHostIds()) dps[id] = plain(await raw.dp(id)) as Plain;
  const policies: Record<number, ConsolePolicy> = {};
  for (const g of groups) {
    for (const p of await raw.policiesOf(g.id)) {
      const id = Number(p.KLPOL_ID);
      if (Number(p.KLPOL_GROUP_ID) !== g.id || policies[id]) continue;
      const policy: ConsolePolicy = {
        id,
        name: String(p.KLPOL_DN),
        groupId: g.id,
        product: String(p.KLPOL_PRODUCT),
        version: String(p.KLPOL_VERSION),
        active: p.KLPOL_ACTIVE,
        record: p,
      };
      if (policy.product === NETWORK_AGENT.product && policy.version === NETWORK_AGENT.version) {
        policy.network = plain(await raw.policySection(id, CONSOLE_KEYS.networkSection)) as Plain;
      }
      policies[id] = policy;
    }
  }
  return { autoAssign, groups, hosts, dps, policies };
}

/** Host id of the one device with this display name. */
export function hostIdOf(s: ConsoleSnapshot, name: string): string {
  const found = s.hosts.filter((h) => h.name === name);
  if (found.length !== 1) throw new Error(`${found.length} devices named ${name}`);
  return found[0].hostId;
}

export function groupIdOf(s: ConsoleSnapshot, path: string): number {
  let parent: number | undefined = s.groups.find((g) => g.name === "Managed devices")?.id;
  for (const name of path.split("/").slice(1)) {
    parent = s.groups.find((g) => g.name === name && Number(g.parentId) === parent)?.id;
  }
  if (parent === undefined) throw new Error(`no group ${path}`);
  return parent;
}

/** The Network Agent policies of a group with a given name. */
export function naPoliciesNamed(s: ConsoleSnapshot, groupId: number, name: string): ConsolePolicy[] {
  return Object.values(s.policies).filter(
    (p) => p.groupId === groupId && p.name === name && p.product === NETWORK_AGENT.product,
  );
}

/** A policy-format setting as {value, locked}. */
export function setting(p: ConsolePolicy, key: string): { value: unknown; locked: unknown } | undefined {
  const v = p.network?.[key] as { KLPRSS_Val?: unknown; KLPRSS_Mnd?: unknown } | undefined;
  return v && { value: v.KLPRSS_Val, locked: v.KLPRSS_Mnd };
}
