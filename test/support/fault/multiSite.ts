// examples/multi-site as the program under test: what it declares, and the checks a run must pass, comparing the
// console (raw API, ./console) with the declaration and with the stack's exported state.
import * as path from "path";
import type { StateResource } from "../../../tools/engine";
import {
  ConsoleSnapshot,
  KEEP_CONNECTION,
  PUSH,
  groupIdOf,
  hostIdOf,
  naPoliciesNamed,
  scopeGroupIds,
  setting,
} from "./console";
import { examplesDir, ofType } from "./fixture";

export const multiSiteDir = path.join(examplesDir, "multi-site");

/** The example's default sites (examples/multi-site/index.ts). */
export const SITES = [
  { name: "milan", group: "Managed devices/Branch Milan", dps: ["milan-dp-01", "milan-dp-02"] },
  { name: "rome", group: "Managed devices/Branch Rome", dps: ["rome-dp-01", "rome-dp-02"] },
];
export const PUSH_PORT = 13295;
export const policyName = (site: string): string => `Network Agent - ${site}`;

/**
 * What must hold after every run, failed or not: no site has two policies of the stack's name, and every DP and
 * push server in the console is one the stack knows (nothing created behind the state's back is left over).
 */
export function invariantProblems(
  s: ConsoleSnapshot,
  state: StateResource[],
  seededDps: string[] = [],
): string[] {
  const problems: string[] = [];
  for (const site of SITES) {
    const n = naPoliciesNamed(s, groupIdOf(s, site.group), policyName(site.name)).length;
    if (n > 1) problems.push(`${n} Network Agent policies named "${policyName(site.name)}"`);
  }
  const dpIds = new Set(ofType(state, "DistributionPoint").map((r) => r.id));
  const pushIds = new Set(ofType(state, "PushServer").map((r) => r.id));
  for (const [hostId, dp] of Object.entries(s.dps)) {
    if (seededDps.includes(hostId)) continue;
    const name = s.hosts.find((h) => h.hostId === hostId)?.name ?? hostId;
    if (!dpIds.has(hostId)) problems.push(`DP ${name} is in the console but not in the stack`);
    if (dp[PUSH.enabled] === true && !pushIds.has(hostId)) {
      problems.push(`push server on ${name} is in the console but not in the stack`);
    }
  }
  return problems;
}

/** The console holds exactly what multi-site declares, and the exported state says the same. */
export function declaredProblems(s: ConsoleSnapshot, state: StateResource[]): string[] {
  const problems: string[] = [];
  const expectDps = new Set(SITES.flatMap((site) => site.dps.map((d) => hostIdOf(s, d))));
  const actualDps = Object.keys(s.dps);
  if (actualDps.length !== expectDps.size || !actualDps.every((id) => expectDps.has(id))) {
    problems.push(`DPs in the console: ${actualDps.length}, declared ${expectDps.size}`);
  }
  const dpState = ofType(state, "DistributionPoint");
  const pushState = ofType(state, "PushServer");
  const policyState = ofType(state, "NetworkAgentPolicy");
  for (const site of SITES) {
    const groupId = groupIdOf(s, site.group);
    for (const device of site.dps) {
      const hostId = hostIdOf(s, device);
      const dp = s.dps[hostId];
      if (!dp) {
        problems.push(`${device} is not a DP`);
        continue;
      }
      if (JSON.stringify(scopeGroupIds(dp)) !== JSON.stringify([groupId])) {
        problems.push(`${device}: scope ${JSON.stringify(scopeGroupIds(dp))}, declared [${groupId}]`);
      }
      if (dp[PUSH.enabled] !== true || dp[PUSH.port] !== PUSH_PORT || dp[PUSH.remoteAddress] !== "") {
        problems.push(
          `${device}: push server ${dp[PUSH.enabled]}/${dp[PUSH.port]}/${dp[PUSH.remoteAddress]}`,
        );
      }
      if (s.hosts.find((h) => h.hostId === hostId)?.keepConnection !== true) {
        problems.push(`${device}: ${KEEP_CONNECTION} is not on`);
      }
      if (dpState.filter((r) => r.id === hostId).length !== 1)
        problems.push(`${device}: not once in the state`);
      const push = pushState.filter((r) => r.id === hostId);
      if (push.length !== 1 || push[0].outputs?.port !== dp[PUSH.port]) {
        problems.push(
          `${device}: push server in the state ${JSON.stringify(push.map((p) => p.outputs?.port))}`,
        );
      }
    }
    const policies = naPoliciesNamed(s, groupId, policyName(site.name));
    if (policies.length !== 1) {
      problems.push(`${site.name}: ${policies.length} policies named "${policyName(site.name)}"`);
      continue;
    }
    const p = policies[0];
    const force = setting(p, "PROPOSED_UseDpForceConnection");
    const udp = setting(p, "OpenUdpPort");
    if (force?.value !== true || force.locked !== true)
      problems.push(`${site.name}: force ${JSON.stringify(force)}`);
    if (udp?.value !== false || udp.locked !== false)
      problems.push(`${site.name}: UDP ${JSON.stringify(udp)}`);
    if (p.active !== true) problems.push(`${site.name}: policy not active`);
    const inState = policyState.filter((r) => r.outputs?.name === policyName(site.name));
    if (inState.length !== 1 || inState[0].id !== String(p.id)) {
      problems.push(
        `${site.name}: policy ${p.id} in the console, ${JSON.stringify(inState.map((r) => r.id))} in the state`,
      );
    }
  }
  // Nothing else: the seeded default policy plus the two site policies.
  const policyCount = Object.keys(s.policies).length;
  if (policyCount !== 3) problems.push(`${policyCount} policies in the console, expected 3`);
  return problems;
}
