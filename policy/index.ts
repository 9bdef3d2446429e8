// pulumi-ksc's policy pack: the rules of the push-server procedure, checked on every `pulumi preview` and `up`
// (`pulumi preview --policy-pack policy/`; policy/README.md). Enforcement levels per rule: policy/policy-config.json.
import {
  PolicyPack,
  UnknownValueError,
  type StackValidationPolicy,
  type ResourceValidationPolicy,
} from "@pulumi/policy";
import {
  DEFAULT_LEVELS,
  RULES,
  UNKNOWN,
  duplicatePolicyViolations,
  forcedConnectionViolations,
  kindOf,
  pushPortViolations,
  singlePushServerViolations,
  udpPortViolations,
  type KscResource,
  type Violation,
} from "./rules";

/** A plain copy of what the engine sent, with values unknown during preview replaced by UNKNOWN. */
function plain(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  const read = (get: () => unknown): unknown => {
    try {
      return plain(get());
    } catch (e) {
      if (e instanceof UnknownValueError) return UNKNOWN;
      throw e;
    }
  };
  if (Array.isArray(v)) return v.map((_, i) => read(() => (v as unknown[])[i]));
  const src = v as Record<string, unknown>;
  return Object.fromEntries(Object.keys(src).map((k) => [k, read(() => src[k])]));
}

/** The pulumi-ksc resource the engine sent, or undefined for any other type (providers' inputs are never read). */
function kscResource(r: { type: string; urn: string; name: string; props: Record<string, unknown> }) {
  const kind = kindOf(r.type);
  if (!kind) return undefined;
  const resource: KscResource = {
    urn: r.urn,
    name: r.name,
    kind,
    props: plain(r.props) as Record<string, unknown>,
  };
  return resource;
}

/**
 * Per-resource rules that compare a resource with others (a push port with its DP's ports, a policy with its
 * twin): the engine analyzes each resource right after the provider checks it, and still does when the provider
 * refused it, whereas stack rules only run when every resource passed. So these rules remember what the engine has
 * sent so far in this run; of two resources in conflict, the second one analyzed gets the message.
 */
const seen = new Map<string, KscResource>();

function reportAll(violations: Violation[], report: (message: string, urn?: string) => void): void {
  for (const v of violations) report(v.message, v.urn);
}

type RuleName = (typeof RULES)[keyof typeof RULES];

function pairwise(
  name: RuleName,
  description: string,
  check: (r: KscResource, others: KscResource[]) => Violation[],
): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: DEFAULT_LEVELS[name],
    validateResource: (args, reportViolation) => {
      const r = kscResource(args);
      if (!r) return;
      seen.set(r.urn, r);
      const others = [...seen.values()].filter((o) => o.urn !== r.urn);
      reportAll(check(r, others), (message) => reportViolation(message));
    },
  };
}

/** A rule over the whole stack, as the engine sends it once every resource has passed (outputs, not inputs). */
function whole(
  name: RuleName,
  description: string,
  check: (rs: KscResource[]) => Violation[],
): StackValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: DEFAULT_LEVELS[name],
    validateStack: (args, reportViolation) => {
      const resources = args.resources.map(kscResource).filter((r): r is KscResource => r !== undefined);
      reportAll(check(resources), reportViolation);
    },
  };
}

new PolicyPack("pulumi-ksc", {
  policies: [
    whole(
      RULES.forcedConnection,
      "A group served by push-server distribution points needs a Network Agent policy that forces the connection " +
        "through the DP and locks that setting: otherwise devices keep connecting to the Administration Server " +
        "directly, the push server holds no connection for them, and a user or child policy can turn it off.",
      forcedConnectionViolations,
    ),
    pairwise(
      RULES.pushPort,
      "A push server's port must not be a port Kaspersky Security Center itself uses on a server or distribution " +
        "point (docs/ports.md), nor a port of its own distribution point: the push server would not start, or " +
        "would take the port from the component that needs it.",
      pushPortViolations,
    ),
    whole(
      RULES.udpPort,
      "Where push servers serve a group, the Network Agents' UDP port should be off: the push server replaces " +
        "its notifications, and an open UDP port is one more port to allow and to attack.",
      udpPortViolations,
    ),
    whole(
      RULES.secondPushServer,
      "A group served by a single push-server distribution point depends on that one device: with the " +
        "connection forced through the DP, its devices lose contact with the Administration Server while it is " +
        "down. A second push-server DP in the group's scope takes over.",
      singlePushServerViolations,
    ),
    pairwise(
      RULES.onePolicy,
      "At most one NetworkAgentPolicy per group and policy name in a stack: two resources managing one console " +
        "policy overwrite each other's settings on every update, and which one wins is a matter of timing.",
      duplicatePolicyViolations,
    ),
  ],
});
