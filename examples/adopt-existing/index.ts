// Adopting existing console objects. `pulumi import` does not work for dynamic providers, so adoption is
// explicit: with `adopt: true`, create takes over the existing DP (found by its device) and the existing
// policy (found by group + name) instead of failing, and makes their settings match what is declared
// here. Declare the settings they already have, and the first `pulumi up` changes nothing in the console.
// Once adopted, `adopt` can be removed or left as it is: it only matters on create.
import * as pulumi from "@pulumi/pulumi";
import * as ksc from "pulumi-ksc";

// Defaults in Pulumi.yaml: what setup-console.ts makes (hq-dp-01, Head Office, "Head Office agents").
const config = new pulumi.Config();
const dpDevice = config.require("dpDevice");
const group = config.require("group");
const policyName = config.require("policyName");

const dp = new ksc.DistributionPoint("hq-dp", {
  deviceName: dpDevice,
  scopeGroups: [group],
  adopt: true,
});

const policy = new ksc.NetworkAgentPolicy("hq-agent-policy", {
  group,
  name: policyName,
  forceConnectionThroughDp: { value: false, locked: false },
  useUdpPort: { value: true, locked: false },
  adopt: true,
});

export const dpHostId = dp.hostId;
export const dpAdopted = dp.adopted;
export const policyId = policy.policyId;
export const policyAdopted = policy.adopted;
