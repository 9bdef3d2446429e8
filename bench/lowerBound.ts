// The lower bound of console calls per operation, from the Open API (docs/ksc-open-api.md#uacontrol, #policy,
// #hostgroup, #the-whole-sequence) and the design's rules (idempotent create, read-modify-write of the DP
// object). It counts the calls on the resource's own console object; looking up ids by name (devices, groups)
// is left out because one search can serve a whole run (a constant, not per resource), and so is the login
// (one per provider process, counted apart as sessions). Objects that the estate shares are counted once
// (issue 16): a DistributionPoint and its PushServer hold parts of one DP object, so one GetUpdateAgentInfo
// per host and pass serves both reads.
import { census, Kind, KINDS } from "./estate";

export type Operation = "create" | "read" | "update" | "delete";
export type Phase = "up" | "preview" | "refresh" | "update" | "destroy";
export const PHASES: Phase[] = ["up", "preview", "refresh", "update", "destroy"];

/** Which operation each phase performs on each resource it touches (preview performs none). */
export const PHASE_OPERATION: Record<Phase, Operation | undefined> = {
  up: "create",
  preview: undefined,
  refresh: "read",
  update: "update",
  destroy: "delete",
};

/**
 * How many times each phase performs its operation on a resource. The phases run the commands as people do:
 * `pulumi refresh --yes` previews the refresh first, and both passes read every resource; `pulumi up --yes` and
 * `pulumi destroy --yes` also preview first, but a preview creates, updates and deletes nothing (it only checks).
 */
export const PHASE_PASSES: Record<Phase, number> = { up: 1, preview: 0, refresh: 2, update: 1, destroy: 1 };

/** The targets of issue 7: console calls per resource and operation, on average. */
export const TARGET_CALLS: Record<Operation, number> = { create: 2, read: 1, update: 3, delete: 2 };

interface Bound {
  calls: number;
  why: string;
}

export const LOWER_BOUND: Record<Kind, Record<Operation, Bound>> = {
  DistributionPoint: {
    create: {
      calls: 1,
      why: "UaControl.RegisterUpdateAgent (it fails on an existing DP: no existence check needed)",
    },
    read: { calls: 1, why: "UaControl.GetUpdateAgentInfo" },
    update: {
      calls: 2,
      why: "GetUpdateAgentInfo + ModifyUpdateAgent (Modify replaces the object, which the push server shares)",
    },
    delete: { calls: 1, why: "UaControl.UnregisterUpdateAgent" },
  },
  PushServer: {
    create: { calls: 2, why: "GetUpdateAgentInfo + ModifyUpdateAgent (read-modify-write of the DP object)" },
    read: {
      calls: 0,
      why:
        "none of its own: the DP object read for its DistributionPoint in the same pass holds the push-server " +
        "settings (1, UaControl.GetUpdateAgentInfo, for a push server whose DP is not in the program)",
    },
    update: { calls: 2, why: "GetUpdateAgentInfo + ModifyUpdateAgent" },
    delete: { calls: 2, why: "GetUpdateAgentInfo + ModifyUpdateAgent (push server off)" },
  },
  NetworkAgentPolicy: {
    create: {
      calls: 6,
      why:
        "Policy.AddPolicy + " +
        "GetPolicyContents + SsContents.Ss_Read + Ss_Update + Ss_Apply + Ss_Release (the section is read first: " +
        "only variables it holds are written, and the UDP port is the first element of an array whose other " +
        "elements stay as they are: docs/ksc-key-names.md); AddPolicy always adds, so idempotent create needs a lookup " +
        "by name first, but one GetPoliciesForGroup of all groups (-1) serves every policy of the process: left " +
        "out, as the other lookups",
    },
    read: {
      calls: 3,
      why:
        "GetPolicyContents + SsContents.Ss_Read + Ss_Release (settings live behind a handle; the attributes can " +
        "come from one GetPoliciesForGroup of all groups (-1) per pass, left out as a shared listing: pulumi-ksc " +
        "does not share it yet and reads each policy's attributes with Policy.GetPolicyData, docs/performance.md)",
    },
    update: {
      calls: 5,
      why:
        "a setting: GetPolicyContents + Ss_Read + Ss_Update + Ss_Apply + Ss_Release (read first, as for create; " +
        "an attribute alone: UpdatePolicyData, 1)",
    },
    delete: { calls: 1, why: "Policy.DeletePolicy" },
  },
};

/** Lower-bound calls of one phase on the estate of `sites` sites, and the operations it performs. */
export function phaseLowerBound(phase: Phase, sites: number): { calls: number; operations: number } {
  const op = PHASE_OPERATION[phase];
  if (!op) return { calls: 0, operations: 0 };
  const { total, changed } = census(sites);
  const counts = phase === "update" ? changed : total;
  let calls = 0;
  let operations = 0;
  for (const kind of KINDS) {
    calls += counts[kind] * LOWER_BOUND[kind][op].calls * PHASE_PASSES[phase];
    operations += counts[kind] * PHASE_PASSES[phase];
  }
  return { calls, operations };
}
