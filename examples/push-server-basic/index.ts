// The seed's procedure as code: one branch group, one device made a distribution point (DP), a push
// server on that DP, and the group's Network Agent policy forcing connections through the DP.
import * as pulumi from "@pulumi/pulumi";
import * as ksc from "pulumi-ksc";

// Defaults in Pulumi.yaml: Branch Milan, milan-dp-01, 13295.
const config = new pulumi.Config();
const branchGroup = config.require("branchGroup");
const dpDevice = config.require("dpDevice");
const pushServerPort = config.requireNumber("pushServerPort");

// Steps 1-2 of the console procedure: the device becomes a DP serving the branch group.
const dp = new ksc.DistributionPoint("branch-dp", {
  deviceName: dpDevice,
  scopeGroups: [branchGroup],
});

// Steps 2-3: "Run push server" on the DP (which also turns on "Do not disconnect from the
// Administration Server" for the DP). Open this port in the DP's firewall.
const push = new ksc.PushServer("branch-push", {
  hostId: dp.hostId,
  port: pushServerPort,
});

// Steps 4-6: the group's Network Agent policy forces connection through the DP (locked) and turns off
// the UDP port, which the push server replaces. Created after the push server, so devices are never
// told to rely on a DP that does not push yet.
const policy = new ksc.NetworkAgentPolicy(
  "branch-agent-policy",
  {
    group: branchGroup,
    name: "Network Agent - push server",
    forceConnectionThroughDp: { value: true, locked: true },
    useUdpPort: { value: false, locked: false },
  },
  { dependsOn: [push] },
);

export const dpHostId = dp.hostId;
export const dpDisplayName = dp.displayName;
export const pushServerPortInUse = push.port;
export const dpKeepsConnection = push.keepConnection;
// KSC does not open the push-server port on the DP host: this says which port to open where.
export const firewallNote = push.firewallNote;
export const policyId = policy.policyId;
