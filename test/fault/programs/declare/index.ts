// Declares the resources listed in the stack config `resources`, a JSON array of
//   {"kind": "DistributionPoint" | "PushServer" | "NetworkAgentPolicy", "name": "...", "args": {...}}
// in order. A string "${other.property}" in args stands for an output of an earlier resource (e.g. a PushServer's
// hostId from its DistributionPoint). Args go to the resource as they are, so a test can pass wrong types and
// unknown properties on purpose.
import * as pulumi from "@pulumi/pulumi";
import * as ksc from "pulumi-ksc";

interface Declaration {
  kind: "DistributionPoint" | "PushServer" | "NetworkAgentPolicy";
  name: string;
  args: Record<string, unknown>;
}

type Constructor = new (
  name: string,
  args: never,
  opts?: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;
const KINDS: Record<Declaration["kind"], Constructor> = {
  DistributionPoint: ksc.DistributionPoint as unknown as Constructor,
  PushServer: ksc.PushServer as unknown as Constructor,
  NetworkAgentPolicy: ksc.NetworkAgentPolicy as unknown as Constructor,
};

const declared = new pulumi.Config().requireObject<Declaration[]>("resources");
const made: Record<string, pulumi.CustomResource> = {};

function resolve(v: unknown): unknown {
  if (typeof v === "string") {
    const ref = /^\$\{([\w-]+)\.(\w+)\}$/.exec(v);
    if (!ref) return v;
    const target = made[ref[1]];
    if (!target) throw new Error(`${v}: no resource named ${ref[1]} declared before`);
    return (target as unknown as Record<string, unknown>)[ref[2]];
  }
  if (Array.isArray(v)) return v.map(resolve);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
  }
  return v;
}

for (const d of declared) {
  const kind = KINDS[d.kind];
  if (!kind) throw new Error(`unknown kind ${d.kind}`);
  made[d.name] = new kind(d.name, resolve(d.args) as never);
}

export const ids = Object.fromEntries(Object.entries(made).map(([n, r]) => [n, r.id]));
