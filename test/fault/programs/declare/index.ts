// Declares the resources listed in the stack config `resources`, a JSON array of
//   {"kind": "DistributionPoint" | "PushServer" | "NetworkAgentPolicy", "name": "...", "args": {...}}
// in order. A string "${other.property}" in args stands for an output of an earlier resource (e.g. a PushServer's
// hostId from its DistributionPoint). Args go to the resource as they are, so a test can pass wrong types and
// unknown properties on purpose.
//
// Test only: {"kind": "PlantedWrite", "name": "...", "args": {"method": "Class.Method", "args": {...}}} makes that
// raw Open API call (test/support/raw-ksc) on the configured console before anything is declared. The bad-input
// suite plants writes this way to show that its no-write check catches them.
import * as pulumi from "@pulumi/pulumi";
import * as ksc from "pulumi-ksc";
import { RawKsc } from "../../../support/raw-ksc";

type Kind = "DistributionPoint" | "PushServer" | "NetworkAgentPolicy";
interface Declaration {
  kind: Kind | "PlantedWrite";
  name: string;
  args: Record<string, unknown>;
}

type Constructor = new (
  name: string,
  args: never,
  opts?: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;
const KINDS: Record<Kind, Constructor> = {
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

/** The planted writes, one raw call each, with the stack's own console settings. */
async function plant(writes: Declaration[]): Promise<void> {
  if (writes.length === 0) return;
  const config = new pulumi.Config("ksc");
  const password = await new Promise<string>((done) => config.requireSecret("password").apply(done));
  const raw = new RawKsc(config.require("serverUrl"), { user: config.require("user"), password });
  try {
    for (const w of writes) await raw.call(String(w.args.method), w.args.args as Record<string, unknown>);
  } finally {
    await raw.end();
  }
}

export = async (): Promise<{ ids: Record<string, pulumi.Output<string>> }> => {
  await plant(declared.filter((d) => d.kind === "PlantedWrite"));
  for (const d of declared) {
    if (d.kind === "PlantedWrite") continue;
    const kind = KINDS[d.kind];
    if (!kind) throw new Error(`unknown kind ${d.kind}`);
    made[d.name] = new kind(d.name, resolve(d.args) as never);
  }
  return { ids: Object.fromEntries(Object.entries(made).map(([n, r]) => [n, r.id])) };
};
