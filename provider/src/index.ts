// pulumi-ksc: Kaspersky Security Center distribution points, push servers and Network Agent policies as Pulumi
// resources.
//
//   import * as ksc from "pulumi-ksc";
//   const dp = new ksc.DistributionPoint("milan-dp", { deviceName: "milan-dp-01", scopeGroups: ["Managed devices/Branch Milan"] });
//   new ksc.PushServer("milan-push", { hostId: dp.hostId });
//
// Reference docs: docs/ (generated from schema.json).
export { DistributionPoint, PushServer, NetworkAgentPolicy } from "./pulumi/resources.generated";
export type * from "./types";
