// The persistent state of the emulated Administration Server, and its (atomic) file form.
import * as fs from "fs";
import * as path from "path";
import { decodeInner, encodeInner, isParams, KParams, KValue } from "./codec";

export interface Group {
  id: number;
  name: string;
  /** null for the super group only */
  parentId: number | null;
  created: string;
}

export interface Host {
  /** KLHST_WKS_HOSTNAME: the server-generated GUID-like id (the UaHostId of a DP) */
  hostId: string;
  displayName: string;
  groupId: number;
  fqdn: string;
  osName: string;
  ipLong: number;
  /** KLHST_WKS_STATUS bitmask; bit 4 = Network Agent installed */
  status: number;
  instanceId: string;
  nagVersion: string;
  /** host flag "Do not disconnect from the Administration Server" (its name: keys.ts) */
  keepConnection: boolean;
  created: string;
  fromUnassigned: boolean;
}

/** product → version → section → section content (policy format values) */
export type Storage = Map<string, Map<string, Map<string, KParams>>>;

export interface Policy {
  id: number;
  displayName: string;
  product: string;
  version: string;
  groupId: number;
  active: boolean;
  roaming: boolean;
  acceptParent: boolean;
  forceDistribToChildren: boolean;
  hideOnSlaves: boolean;
  created: string;
  modified: string;
  storage: Storage;
}

export interface State {
  superGroupId: number;
  managedGroupId: number;
  unassignedGroupId: number;
  groups: Map<number, Group>;
  hosts: Map<string, Host>;
  /** hostId → stored pUaInfo (unknown keys kept as received) */
  dps: Map<string, KParams>;
  policies: Map<number, Policy>;
  assignUasAutomatically: boolean;
  nextGroupId: number;
  nextPolicyId: number;
  /** Key names the stored data was written with (a later run with other names is warned about). */
  keyNamesTag: string;
}

export function cloneStorage(s: Storage): Storage {
  const out: Storage = new Map();
  for (const [p, versions] of s) {
    const vs = new Map<string, Map<string, KParams>>();
    for (const [v, sections] of versions) {
      const ss = new Map<string, KParams>();
      for (const [name, content] of sections) ss.set(name, { kind: "params", map: new Map(content.map) });
      vs.set(v, ss);
    }
    out.set(p, vs);
  }
  return out;
}

// ---- queries shared by several API classes ----

export function childrenOf(state: State, groupId: number): Group[] {
  return [...state.groups.values()].filter((g) => g.parentId === groupId);
}

/** The group and all groups below it. */
export function subtreeIds(state: State, groupId: number): Set<number> {
  const out = new Set<number>([groupId]);
  const queue = [groupId];
  while (queue.length) {
    const id = queue.shift() as number;
    for (const g of childrenOf(state, id)) {
      if (!out.has(g.id)) {
        out.add(g.id);
        queue.push(g.id);
      }
    }
  }
  return out;
}

/** Ancestors of a group, nearest first (not including the group itself, not the super group). */
export function ancestorsOf(state: State, groupId: number): Group[] {
  const out: Group[] = [];
  let g = state.groups.get(groupId);
  while (g && g.parentId !== null) {
    const parent = state.groups.get(g.parentId);
    if (!parent || parent.id === state.superGroupId) break;
    out.push(parent);
    g = parent;
  }
  return out;
}

export function fullGroupName(state: State, groupId: number): string {
  const g = state.groups.get(groupId);
  if (!g) return "";
  const names = [g.name, ...ancestorsOf(state, groupId).map((a) => a.name)].reverse();
  return names.join("/") + "/";
}

export function groupLevel(state: State, groupId: number): number {
  return ancestorsOf(state, groupId).length + 1;
}

// ---- persistence ----

interface StateFile {
  format: "ksc-emulator-state";
  version: 1;
  superGroupId: number;
  managedGroupId: number;
  unassignedGroupId: number;
  groups: Group[];
  hosts: Host[];
  dps: { hostId: string; info: unknown }[];
  policies: (Omit<Policy, "storage"> & {
    storage: Record<string, Record<string, Record<string, unknown>>>;
  })[];
  assignUasAutomatically: boolean;
  nextGroupId: number;
  nextPolicyId: number;
  keyNamesTag: string;
}

/**
 * Typed values are stored in their wire form (docs/ksc-open-api.md#typed-values), which keeps int/long and
 * every other type apart.
 */
export function serializeState(state: State): string {
  const file: StateFile = {
    format: "ksc-emulator-state",
    version: 1,
    superGroupId: state.superGroupId,
    managedGroupId: state.managedGroupId,
    unassignedGroupId: state.unassignedGroupId,
    groups: [...state.groups.values()],
    hosts: [...state.hosts.values()],
    dps: [...state.dps.entries()].map(([hostId, info]) => ({ hostId, info: encodeInner(info) })),
    policies: [...state.policies.values()].map((p) => {
      const storage: Record<string, Record<string, Record<string, unknown>>> = {};
      for (const [prod, versions] of p.storage) {
        storage[prod] = {};
        for (const [ver, sections] of versions) {
          storage[prod][ver] = {};
          for (const [name, content] of sections) storage[prod][ver][name] = encodeInner(content);
        }
      }
      return { ...p, storage };
    }),
    assignUasAutomatically: state.assignUasAutomatically,
    nextGroupId: state.nextGroupId,
    nextPolicyId: state.nextPolicyId,
    keyNamesTag: state.keyNamesTag,
  };
  return JSON.stringify(file, null, 1);
}

function asParams(v: KValue, what: string): KParams {
  if (!isParams(v)) throw new Error(`state file: ${what} is not a params value`);
  return v;
}

export function deserializeState(text: string): State {
  const file = JSON.parse(text) as StateFile;
  if (file.format !== "ksc-emulator-state" || file.version !== 1) {
    throw new Error("not a ksc-emulator state file (format/version mismatch)");
  }
  const policies = new Map<number, Policy>();
  for (const p of file.policies) {
    const storage: Storage = new Map();
    for (const [prod, versions] of Object.entries(p.storage)) {
      const vs = new Map<string, Map<string, KParams>>();
      for (const [ver, sections] of Object.entries(versions)) {
        const ss = new Map<string, KParams>();
        for (const [name, content] of Object.entries(sections)) {
          ss.set(name, asParams(decodeInner(content, name), `policy ${p.id} section ${name}`));
        }
        vs.set(ver, ss);
      }
      storage.set(prod, vs);
    }
    policies.set(p.id, { ...p, storage });
  }
  return {
    superGroupId: file.superGroupId,
    managedGroupId: file.managedGroupId,
    unassignedGroupId: file.unassignedGroupId,
    groups: new Map(file.groups.map((g) => [g.id, g])),
    hosts: new Map(file.hosts.map((h) => [h.hostId, h])),
    dps: new Map(file.dps.map((d) => [d.hostId, asParams(decodeInner(d.info, "dp"), `dp ${d.hostId}`)])),
    policies,
    assignUasAutomatically: file.assignUasAutomatically,
    nextGroupId: file.nextGroupId,
    nextPolicyId: file.nextPolicyId,
    keyNamesTag: file.keyNamesTag,
  };
}

/** Write temp file + rename, so a crash never leaves a half-written state file. */
export function writeStateAtomically(file: string, state: State): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, serializeState(state));
  fs.renameSync(tmp, file);
}
