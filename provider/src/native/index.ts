// pulumi-ksc/native: the same three resources as the package's main entry, as native resources (type tokens
// ksc:index:*) served by the plugin pulumi-resource-ksc (./main.ts) instead of a dynamic provider. Same arguments
// and outputs; what differs, and when to use which: README.md, "Dynamic or native provider: which to use".
//
//   import * as ksc from "pulumi-ksc/native";
//   const dp = new ksc.DistributionPoint("milan-dp", { deviceName: "milan-dp-01", scopeGroups: ["Managed devices/Branch Milan"] });
export { DistributionPoint, PushServer, NetworkAgentPolicy } from "../pulumi/native.generated";
export type * from "../types";
