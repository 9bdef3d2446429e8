// The arguments and property types of the resources, the same for both entry points: pulumi-ksc (index.ts) and
// pulumi-ksc/native (native.ts).
export type * from "./pulumi/types.generated";
export type {
  DistributionPointScope,
  LockedBoolean,
  LockedPort,
  ScopeGroup,
  ScopeNlaNetwork,
} from "./resources/schema.generated";
