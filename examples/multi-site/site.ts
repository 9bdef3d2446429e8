// One branch site as a component: its distribution points, a push server on each (the Administration
// Server balances the site's devices between them), and the site group's Network Agent policy.
import * as pulumi from "@pulumi/pulumi";
import * as ksc from "pulumi-ksc";

export interface SiteArgs {
  /** Administration group of the site, e.g. "Managed devices/Branch Milan". */
  group: string;
  /** Devices (display name or FQDN) that become the site's distribution points. */
  dpDevices: string[];
  /** Push server port on every DP of the site (default 13295). */
  pushServerPort?: number;
}

export class BranchSite extends pulumi.ComponentResource {
  public readonly dpHostIds: pulumi.Output<string[]>;
  public readonly pushServerPorts: pulumi.Output<number[]>;
  public readonly policyId: pulumi.Output<number>;

  constructor(name: string, args: SiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pulumi-ksc-examples:index:BranchSite", name, {}, opts);
    const child = { parent: this };

    // Resources are named after their device, not their place in the list: reordering the list changes
    // nothing, and swapping a device shows as one DP going and another coming.
    const pushServers = args.dpDevices.map((device) => {
      const dp = new ksc.DistributionPoint(device, { deviceName: device, scopeGroups: [args.group] }, child);
      return new ksc.PushServer(
        `${device}-push`,
        { hostId: dp.hostId, port: args.pushServerPort ?? 13295 },
        child,
      );
    });

    // After the push servers: devices are never told to rely on a DP that does not push yet.
    const policy = new ksc.NetworkAgentPolicy(
      `${name}-agents`,
      {
        group: args.group,
        name: `Network Agent - ${name}`,
        forceConnectionThroughDp: { value: true, locked: true },
        useUdpPort: { value: false, locked: false },
      },
      { ...child, dependsOn: pushServers },
    );

    this.dpHostIds = pulumi.all(pushServers.map((p) => p.hostId));
    this.pushServerPorts = pulumi.all(pushServers.map((p) => p.port));
    this.policyId = policy.policyId;
    this.registerOutputs({
      dpHostIds: this.dpHostIds,
      pushServerPorts: this.pushServerPorts,
      policyId: this.policyId,
    });
  }
}
