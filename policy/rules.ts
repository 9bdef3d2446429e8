// The rules of the pack as pure functions over the pulumi-ksc resources of a program (no Pulumi imports, so that
// unit tests can call them directly). index.ts turns what the engine sends into `KscResource`s and the results
// into policy violations. Why each rule exists: the descriptions in index.ts and policy/README.md.
import { KSC_PORTS, PUSH_SERVER_DEFAULT_PORT, kscPort } from "./ports";

/** The pack's rules by name (policy-config.json sets their enforcement levels). */
export const RULES = {
  forcedConnection: "ksc-push-groups-force-connection-through-dp",
  pushPort: "ksc-push-server-port",
  udpPort: "ksc-push-groups-no-udp-port",
  secondPushServer: "ksc-push-groups-second-push-server",
  onePolicy: "ksc-one-agent-policy-per-group-and-name",
} as const;

/** Each rule's enforcement level unless the pack's config says otherwise (policy-config.json states the same). */
export const DEFAULT_LEVELS: Record<(typeof RULES)[keyof typeof RULES], "mandatory" | "advisory"> = {
  [RULES.forcedConnection]: "mandatory",
  [RULES.pushPort]: "mandatory",
  [RULES.udpPort]: "advisory",
  [RULES.secondPushServer]: "advisory",
  [RULES.onePolicy]: "mandatory",
};

export type Kind = "DistributionPoint" | "PushServer" | "NetworkAgentPolicy";

/** A value the engine cannot know during preview (an output of a resource not created yet). */
export const UNKNOWN: unique symbol = Symbol("unknown");

export interface KscResource {
  urn: string;
  /** the resource's name in the program */
  name: string;
  kind: Kind;
  /** inputs (per-resource rules) or outputs (stack rules); a value may be UNKNOWN */
  props: Record<string, unknown>;
}

export interface Violation {
  /** the resource the message is about */
  urn: string;
  message: string;
}

const KINDS: readonly Kind[] = ["DistributionPoint", "PushServer", "NetworkAgentPolicy"];

/**
 * The pulumi-ksc resource kind of a type token: the dynamic resources (`pulumi-nodejs:dynamic/ksc:PushServer`)
 * and the types of the native plugin (`ksc:index:PushServer`, the tokens of schema.json).
 */
export function kindOf(type: string): Kind | undefined {
  const m = /^(?:pulumi-nodejs:dynamic\/ksc|ksc:index):(\w+)$/.exec(type);
  return m && (KINDS as readonly string[]).includes(m[1]) ? (m[1] as Kind) : undefined;
}

// ---- reading properties (anything may be missing, of the wrong type, or UNKNOWN) ----

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A `{ value, locked }` policy setting; undefined parts are unknown or missing. */
function setting(v: unknown): { value?: unknown; locked?: unknown } | undefined {
  const r = record(v);
  return r && { value: r.value, locked: r.locked };
}

const quote = (s: string): string => JSON.stringify(s);

// ---- administration groups ----

/**
 * A group as a program names it: an id and/or a path. Paths compare as the provider compares them: by segment,
 * case-insensitively, the leading "Managed devices" optional (docs/distribution-point.md, `scopeGroups`).
 */
export interface GroupRef {
  id?: number;
  /** segments below "Managed devices", lower-cased */
  segments?: string[];
  /** how to show it in a message */
  label: string;
}

const ROOT = "managed devices";

function segmentsOf(path: string): string[] {
  const parts = path
    .split("/")
    .map((s) => s.trim().toLocaleLowerCase())
    .filter((s) => s.length > 0);
  if (parts[0] === ROOT) parts.shift();
  return parts;
}

/** A group reference from a declared value (an id or a path) and, when known, the console's id and path. */
export function groupRef(
  declared: unknown,
  consoleId?: unknown,
  consolePath?: unknown,
): GroupRef | undefined {
  const id = num(consoleId) ?? num(declared);
  const path = str(consolePath) ?? str(declared);
  if (id === undefined && path === undefined) return undefined;
  return {
    id,
    segments: path === undefined ? undefined : segmentsOf(path),
    label: path ?? `id ${id}`,
  };
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

export function sameGroup(a: GroupRef, b: GroupRef): boolean {
  if (a.id !== undefined && b.id !== undefined) return a.id === b.id;
  return a.segments !== undefined && b.segments !== undefined && samePath(a.segments, b.segments);
}

/** How many levels `ancestor` is above `group` (0: the same group), or undefined if it is not above it. */
function levelsAbove(ancestor: GroupRef, group: GroupRef): number | undefined {
  if (sameGroup(ancestor, group)) return 0;
  const a = ancestor.segments;
  const g = group.segments;
  if (a === undefined || g === undefined || a.length >= g.length) return undefined;
  return samePath(a, g.slice(0, a.length)) ? g.length - a.length : undefined;
}

// ---- the program's shape: which groups push-server DPs serve ----

const ofKind = (resources: KscResource[], kind: Kind) => resources.filter((r) => r.kind === kind);

/** The groups a DP serves: its scope as the console holds it (outputs), else as declared. */
function scopeGroups(dp: KscResource): GroupRef[] {
  const fromConsole = list(record(dp.props.scope)?.groups)
    .map((g) => record(g))
    .map((g) => g && groupRef(g.path, g.id, g.path));
  if (fromConsole.length > 0 && fromConsole.every((g) => g !== undefined)) return fromConsole as GroupRef[];
  return list(dp.props.scopeGroups)
    .map((g) => groupRef(g))
    .filter((g): g is GroupRef => g !== undefined);
}

function policyGroup(nap: KscResource): GroupRef | undefined {
  return groupRef(nap.props.group, nap.props.groupId, nap.props.groupPath);
}

interface ServedGroup {
  group: GroupRef;
  /** the push-server DPs of the program that serve it */
  dps: KscResource[];
}

/** Groups served by DPs of the program that run a push server of the program (matched by host id), by path; their
 *  DPs by name. */
export function servedGroups(resources: KscResource[]): ServedGroup[] {
  const pushHosts = new Set(
    ofKind(resources, "PushServer")
      .map((p) => str(p.props.hostId))
      .filter((h): h is string => h !== undefined),
  );
  const served: ServedGroup[] = [];
  for (const dp of ofKind(resources, "DistributionPoint")) {
    const host = str(dp.props.hostId);
    if (host === undefined || !pushHosts.has(host)) continue;
    for (const group of scopeGroups(dp)) {
      const known = served.find((s) => sameGroup(s.group, group));
      if (known) {
        if (!known.dps.includes(dp)) known.dps.push(dp);
      } else served.push({ group, dps: [dp] });
    }
  }
  // The engine sends a stack's resources in no fixed order: messages must not depend on it.
  for (const s of served) s.dps.sort((a, b) => a.name.localeCompare(b.name));
  return served.sort((a, b) => a.group.label.localeCompare(b.group.label));
}

/**
 * The NetworkAgentPolicy resources whose settings a group's devices get: the active ones of the group itself, else
 * those of the nearest ancestor group that has one (policies are inherited down the group tree).
 */
export function applyingPolicies(group: GroupRef, resources: KscResource[]): KscResource[] {
  let best: { levels: number; naps: KscResource[] } | undefined;
  for (const nap of ofKind(resources, "NetworkAgentPolicy")) {
    if (nap.props.active === false) continue;
    const g = policyGroup(nap);
    const levels = g && levelsAbove(g, group);
    if (levels === undefined) continue;
    if (!best || levels < best.levels) best = { levels, naps: [nap] };
    else if (levels === best.levels) best.naps.push(nap);
  }
  return best?.naps ?? [];
}

const names = (rs: KscResource[]) => rs.map((r) => quote(r.name)).join(", ");

// ---- rule 1: push-server groups force the connection through the DP, locked (mandatory) ----

export function forcedConnectionViolations(resources: KscResource[]): Violation[] {
  const out: Violation[] = [];
  for (const { group, dps } of servedGroups(resources)) {
    const naps = applyingPolicies(group, resources);
    if (naps.length === 0) {
      out.push({
        urn: dps[0].urn,
        message:
          `group ${quote(group.label)} is served by push-server distribution point(s) ${names(dps)}, but no ` +
          `active NetworkAgentPolicy of this stack applies to it: declare one for the group with ` +
          `forceConnectionThroughDp: { value: true, locked: true }`,
      });
      continue;
    }
    for (const nap of naps) {
      const s = setting(nap.props.forceConnectionThroughDp);
      if (s?.value === UNKNOWN || s?.locked === UNKNOWN) continue;
      if (s?.value === true && s.locked === true) continue;
      const now = s ? `{ value: ${String(s.value)}, locked: ${String(s.locked ?? false)} }` : "not set";
      out.push({
        urn: nap.urn,
        message:
          `NetworkAgentPolicy ${quote(nap.name)} applies to group ${quote(group.label)}, served by push-server ` +
          `distribution point(s) ${names(dps)}: it must set forceConnectionThroughDp: { value: true, locked: true } ` +
          `(it has ${now})`,
      });
    }
  }
  return dedupe(out);
}

// ---- rule 2: push-server ports (mandatory) ----

/** The ports a DP of the program declares for itself (`port`, `nonSslPort`). */
function dpPorts(dp: KscResource): { property: string; port: number }[] {
  return (["port", "nonSslPort"] as const)
    .map((property) => ({ property, port: num(dp.props[property]) }))
    .filter((p): p is { property: "port" | "nonSslPort"; port: number } => p.port !== undefined);
}

/**
 * Problems with the port of `push` (a PushServer): a port KSC itself uses on a server or DP, or a port of its own
 * DP as declared among `others`. Also run for a DistributionPoint, against the PushServers among `others` on its
 * host, so that the pair is caught whichever of the two the engine analyzes first.
 */
export function pushPortViolations(resource: KscResource, others: KscResource[]): Violation[] {
  const out: Violation[] = [];
  const host = str(resource.props.hostId);
  if (resource.kind === "PushServer") {
    const port = num(resource.props.port);
    if (port === undefined) return [];
    const ksc = port === PUSH_SERVER_DEFAULT_PORT ? undefined : kscPort(port);
    if (ksc) {
      out.push({
        urn: resource.urn,
        message:
          `PushServer ${quote(resource.name)}: port ${port} is a port Kaspersky Security Center itself uses ` +
          `(${ksc.protocol.toUpperCase()}: ${ksc.use}); use ${PUSH_SERVER_DEFAULT_PORT} or another free port`,
      });
    }
    const dp = others.find(
      (o) => o.kind === "DistributionPoint" && host !== undefined && o.props.hostId === host,
    );
    const clash = dp && dpPorts(dp).find((p) => p.port === port);
    if (dp && clash)
      out.push({ urn: resource.urn, message: clashMessage(resource, port, dp, clash.property) });
  } else if (resource.kind === "DistributionPoint" && host !== undefined) {
    for (const push of others.filter((o) => o.kind === "PushServer" && o.props.hostId === host)) {
      const port = num(push.props.port);
      const clash = dpPorts(resource).find((p) => p.port === port);
      if (port !== undefined && clash) {
        out.push({ urn: resource.urn, message: clashMessage(push, port, resource, clash.property) });
      }
    }
  }
  return out;
}

function clashMessage(push: KscResource, port: number, dp: KscResource, property: string): string {
  return (
    `PushServer ${quote(push.name)}: port ${port} is the ${property} of its distribution point ${quote(dp.name)}; ` +
    `a push server needs a port of its own`
  );
}

// ---- rule 3: no UDP port where push servers serve (advisory) ----

export function udpPortViolations(resources: KscResource[]): Violation[] {
  const out: Violation[] = [];
  for (const { group, dps } of servedGroups(resources)) {
    for (const nap of applyingPolicies(group, resources)) {
      if (setting(nap.props.useUdpPort)?.value !== true) continue;
      out.push({
        urn: nap.urn,
        message:
          `NetworkAgentPolicy ${quote(nap.name)} turns the Network Agent's UDP port on in group ` +
          `${quote(group.label)}, which push-server distribution point(s) ${names(dps)} serve: set ` +
          `useUdpPort: { value: false } (the push server replaces the UDP notifications)`,
      });
    }
  }
  return dedupe(out);
}

// ---- rule 4: a second push-server DP (advisory) ----

export function singlePushServerViolations(resources: KscResource[]): Violation[] {
  const out: Violation[] = [];
  for (const { group, dps } of servedGroups(resources)) {
    if (dps.length !== 1) continue;
    out.push({
      urn: dps[0].urn,
      message:
        `distribution point ${quote(dps[0].name)} is the only push server of group ${quote(group.label)}: while ` +
        `it is down, the group's devices (forced to connect through a DP) lose their connection; add a second ` +
        `push-server distribution point to the group's scope`,
    });
  }
  return out;
}

// ---- rule 5: one NetworkAgentPolicy per group and name (mandatory) ----

function sameName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}

/** Another NetworkAgentPolicy among `others` with the same group and name as `nap`. */
export function duplicatePolicyViolations(nap: KscResource, others: KscResource[]): Violation[] {
  if (nap.kind !== "NetworkAgentPolicy") return [];
  const name = str(nap.props.name);
  const group = policyGroup(nap);
  if (name === undefined || group === undefined) return [];
  const twins = others.filter((o) => {
    if (o.kind !== "NetworkAgentPolicy" || o.urn === nap.urn) return false;
    const g = policyGroup(o);
    const n = str(o.props.name);
    return g !== undefined && n !== undefined && sameName(n, name) && sameGroup(g, group);
  });
  if (twins.length === 0) return [];
  return [
    {
      urn: nap.urn,
      message:
        `NetworkAgentPolicy ${quote(nap.name)} declares the policy ${quote(name)} of group ${quote(group.label)}, ` +
        `which NetworkAgentPolicy ${names(twins)} of this stack declares too: each would overwrite the other's ` +
        `settings; keep one`,
    },
  ];
}

function dedupe(vs: Violation[]): Violation[] {
  const seen = new Set<string>();
  return vs.filter((v) => {
    const k = `${v.urn}\u0000${v.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** For docs and tests: the port numbers rule 2 refuses. */
export const REFUSED_PORTS: readonly number[] = KSC_PORTS.map((p) => p.port).filter(
  (p) => p !== PUSH_SERVER_DEFAULT_PORT,
);
