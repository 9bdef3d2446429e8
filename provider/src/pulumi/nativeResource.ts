// What the generated native resource classes (native.generated.ts) hand to pulumi.CustomResource: the property
// map to register and the options, with the secret properties of schema.json made secret (README.md, "Dynamic or native provider: which to use").
import * as pulumi from "@pulumi/pulumi";

/** A native resource's property names, from schema.json (the generated classes pass theirs). */
export interface NativeResourceMeta {
  /** Every output property: each must be present (even undefined) to become an output of the object. */
  readonly outputs: readonly string[];
  /** Inputs marked `"secret": true`: sent to the engine as secrets. */
  readonly secretInputs: readonly string[];
  /** Outputs marked `"secret": true`: kept secret in the state whatever the provider returns. */
  readonly secretOutputs: readonly string[];
}

/** The properties to register: for a new resource its inputs (secret ones wrapped) plus an empty slot per output;
 *  for a lookup (`opts.id`, `Class.get`) only the empty slots, the provider's read fills them. */
export function nativeProps(
  meta: NativeResourceMeta,
  args: object | undefined,
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.Inputs {
  const props: pulumi.Inputs = Object.fromEntries(meta.outputs.map((n) => [n, undefined]));
  if (opts?.id !== undefined || args === undefined) return props;
  const secret = new Set(meta.secretInputs);
  for (const [name, value] of Object.entries(args)) {
    props[name] = secret.has(name) && value !== undefined ? pulumi.secret(value) : value;
  }
  return props;
}

/** The options, with the secret outputs added to the program's own `additionalSecretOutputs`. */
export function nativeOpts(
  meta: NativeResourceMeta,
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.CustomResourceOptions {
  if (meta.secretOutputs.length === 0) return opts ?? {};
  return pulumi.mergeOptions(opts, { additionalSecretOutputs: [...meta.secretOutputs] });
}
