// The floor: what the engine itself costs for the benchmark estate. The same shape as ../program (same
// resources, inputs, dependencies and outputs that feed other resources), made of no-op dynamic resources
// that never call the console. Config: `sites`, `changed`, as for ../program.
import * as pulumi from "@pulumi/pulumi";
import { estate } from "../estate";

type Props = Record<string, unknown>;

const config = new pulumi.Config();
// `kscState: true`: every resource also holds the properties pulumi-ksc's resource of its kind stores (kscState.js),
// to tell the engine's cost of that state from the provider's own cost (docs/performance.md).
const kscState: string | undefined = config.getBoolean("kscState")
  ? require.resolve("./kscState.js")
  : undefined;

// Serialized into the state like ours, so kept self-contained: outputs = inputs plus a host id (and, with
// kscState, pulumi-ksc's output-only properties; only the module's path is captured).
const noop: pulumi.dynamic.ResourceProvider = {
  async diff(_id: string, olds: Props, news: Props) {
    const changed = Object.keys(news).some(
      (k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
    );
    return { changes: changed };
  },
  async create(inputs: Props) {
    const device = typeof inputs.device === "string" ? inputs.device : undefined;
    const extra = kscState ? require(kscState).outputs(inputs) : {};
    const outs = { ...inputs, ...(device ? { hostId: `host-${device}` } : {}), ...extra };
    return { id: require("crypto").randomUUID() as string, outs };
  },
  async read(id: string, props?: Props) {
    return { id, props };
  },
  async update(_id: string, olds: Props, news: Props) {
    return { outs: { ...olds, ...news } };
  },
  async delete() {},
};

class Noop extends pulumi.dynamic.Resource {
  declare readonly hostId: pulumi.Output<string>;
  constructor(type: string, name: string, props: Props, opts?: pulumi.CustomResourceOptions) {
    const extra = kscState ? require(kscState).inputs(type, name, props) : {};
    super(noop, name, { hostId: undefined, ...props, ...extra }, opts, "floor", type);
  }
}

const sites = estate(config.requireNumber("sites"), config.getBoolean("changed") ?? false);

for (const site of sites) {
  const pushServers = site.dps.map((spec, d) => {
    const dp = new Noop("DistributionPoint", spec.name, {
      device: spec.device,
      scopeGroups: [site.group],
      distributePackages: spec.distributePackages,
    });
    const push = site.pushServers[d];
    return new Noop("PushServer", push.name, { target: dp.hostId, port: push.port });
  });
  new Noop(
    "NetworkAgentPolicy",
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
