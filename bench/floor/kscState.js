// The floor with pulumi-ksc's state (config `kscState: true`, bench/README.md): each no-op resource also holds the
// properties that pulumi-ksc's resource of the same kind stores, with values of the same kind, so that the engine
// serializes as much state per resource for the floor as for ours. Plain JavaScript: the no-op provider requires it
// at run time in the provider process, so the serialized provider only holds this file's path.
"use strict";

/** What pulumi-ksc's check adds to the declared inputs (defaults), by resource kind. */
function inputs(kind, name, props) {
  switch (kind) {
    case "DistributionPoint":
      return {
        __resourceName: name,
        adopt: false,
        connectionGateway: false,
        customFolder: "",
        deviceName: props.device,
        disableAutomaticAssignment: true,
        distributeUpdates: true,
        gatewayRemoteAddress: "",
        gatewayServerInitiatesConnection: false,
        multicastAddress: "",
        nonSslPort: 14000,
        port: 13000,
        scopeNlaNetworks: [],
      };
    case "PushServer":
      return { __resourceName: name, adopt: false, remoteAddress: "" };
    default:
      return {
        __resourceName: name,
        active: true,
        adopt: false,
        forceInheritance: false,
        inheritFromParent: true,
        udpPort: { locked: false, value: 15000 },
      };
  }
}

/** The outputs pulumi-ksc's resource has beyond its inputs (the kind told by the inputs). */
function outputs(inputs) {
  const kind =
    "device" in inputs ? "DistributionPoint" : "target" in inputs ? "PushServer" : "NetworkAgentPolicy";
  switch (kind) {
    case "DistributionPoint":
      return {
        adopted: false,
        displayName: inputs.device,
        fqdn: `${inputs.device}.corp.example`,
        scope: {
          groups: (inputs.scopeGroups || []).map((path, i) => ({
            id: 13 + i,
            name: path.split("/").pop(),
            path,
          })),
          nlaNetworks: [],
        },
      };
    case "PushServer":
      return {
        adopted: false,
        displayName: "site001-dp-02",
        firewallNote: `Open TCP port ${inputs.port} for incoming connections in the firewall of site001-dp-02: KSC does not add the push-server port to the firewall exceptions of the distribution point.`,
        keepConnection: true,
      };
    default:
      return {
        adopted: false,
        groupId: 13,
        groupPath: inputs.group,
        policyId: 2,
        product: "1103",
        version: "1.0.0.0",
      };
  }
}

module.exports = { inputs, outputs };
