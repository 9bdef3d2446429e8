// The DistributionPoint provider methods, for the shim: require("pulumi-ksc/dist/pulumi/dp"). The short module name
// keeps the serialized provider (stored in every resource's state) small.
import { forKind } from "./impl";

export = forKind("DistributionPoint");
