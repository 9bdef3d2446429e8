// Push-server load balancing made visible: which push-server DP serves each managed device.
// docs/ksc-open-api.md#push-server: several DPs in one group may each run a push server and the
// Administration Server balances devices among them. The emulator spreads the devices of a shared scope
// evenly (greedy, in a stable order), so the result is the same for the same state.
import { isLong, isParams, KParams } from "./codec";
import { Backend } from "./backend";
import { subtreeIds } from "./state";

export interface Assignments {
  /** hostId → DPs whose scope covers the host (DP host ids, sorted) */
  coveringDps: Map<string, string[]>;
  /** hostId → the push-server DP that serves it */
  pushServerOf: Map<string, string>;
  /** DP host id → number of devices its push server serves */
  served: Map<string, number>;
  /** DP host id → number of devices in its scope */
  inScope: Map<string, number>;
}

export function scopeGroupIds(info: KParams): number[] {
  const scope = info.map.get("UaScope");
  if (!isParams(scope)) return [];
  const groups = scope.map.get("ScopeGroups");
  if (!Array.isArray(groups)) return [];
  const ids: number[] = [];
  for (const e of groups) {
    if (!isParams(e)) continue;
    const id = e.map.get("ScopeId");
    if (isLong(id)) ids.push(id.value);
  }
  return ids;
}

export function pushServerEnabled(b: Backend, info: KParams): boolean {
  return info.map.get(b.keys.dp.pushServerEnabled) === true;
}

const caches = new WeakMap<Backend, { version: number; value: Assignments }>();

export function assignments(b: Backend): Assignments {
  const cached = caches.get(b);
  if (cached && cached.version === b.version) return cached.value;
  const s = b.state;
  const dpIds = [...s.dps.keys()].sort();
  // group id → DPs covering it (scope covers the group and its subgroups [INFERRED])
  const byGroup = new Map<number, string[]>();
  for (const dp of dpIds) {
    const covered = new Set<number>();
    for (const gid of scopeGroupIds(s.dps.get(dp) as KParams)) {
      if (s.groups.has(gid)) for (const id of subtreeIds(s, gid)) covered.add(id);
    }
    for (const gid of covered) {
      const list = byGroup.get(gid) ?? [];
      list.push(dp);
      byGroup.set(gid, list);
    }
  }
  const coveringDps = new Map<string, string[]>();
  const pushServerOf = new Map<string, string>();
  const served = new Map<string, number>(dpIds.map((d) => [d, 0]));
  const inScope = new Map<string, number>(dpIds.map((d) => [d, 0]));
  const hostIds = [...s.hosts.keys()].sort();
  for (const hostId of hostIds) {
    const host = s.hosts.get(hostId);
    const dps = host ? (byGroup.get(host.groupId) ?? []) : [];
    if (!dps.length) continue;
    coveringDps.set(hostId, dps);
    for (const d of dps) inScope.set(d, (inScope.get(d) ?? 0) + 1);
    const candidates = dps.filter((d) => pushServerEnabled(b, s.dps.get(d) as KParams));
    if (!candidates.length) continue;
    let best = candidates[0];
    for (const c of candidates) if ((served.get(c) ?? 0) < (served.get(best) ?? 0)) best = c;
    pushServerOf.set(hostId, best);
    served.set(best, (served.get(best) ?? 0) + 1);
  }
  const value = { coveringDps, pushServerOf, served, inScope };
  caches.set(b, { version: b.version, value });
  return value;
}
