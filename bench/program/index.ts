// The benchmark estate on pulumi-ksc (../estate.ts): per site, 2 distribution points with a push server each
// and the site group's Network Agent policy, which waits for the push servers (as in examples/multi-site).
// Config: `sites` (number), `changed` (true: the "10% of inputs changed" variant).
import * as pulumi from "@pulumi/pulumi";
import * as ksc from "pulumi-ksc";
import { estate } from "../estate";

const config = new pulumi.Config();
const sites = estate(config.requireNumber("sites"), config.getBoolean("changed") ?? false);

for (const site of sites) {
  const pushServers = site.dps.map((spec, d) => {
    const dp = new ksc.DistributionPoint(spec.name, {
      deviceName: spec.device,
      scopeGroups: [site.group],
      distributePackages: spec.distributePackages,
    });
    const push = site.pushServers[d];
    return new ksc.PushServer(push.name, { hostId: dp.hostId, port: push.port });
  });
  new ksc.NetworkAgentPolicy(
    site.policy.name,
    {
      group: site.group,
      name: site.policy.displayName,
      forceConnectionThroughDp: { value: true, locked: true },
      useUdpPort: { value: site.policy.useUdpPort, locked: false },
    },
    { dependsOn: pushServers },
  );
}
