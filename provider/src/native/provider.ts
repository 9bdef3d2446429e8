// The native provider `pulumi-resource-ksc`: the `Provider` of @pulumi/pulumi/provider for the types
// ksc:index:DistributionPoint, ksc:index:PushServer and ksc:index:NetworkAgentPolicy. It adds nothing to the
// resource logic: each call is routed by the URN's type to the same per-resource provider methods the dynamic
// providers use (../pulumi/impl forKind), after what differs on this wire is put right (docs/native-plugin.md):
// secret inputs arrive wrapped (./secrets), the resource's name comes from the URN instead of the hidden input the
// dynamic resource classes add, and there is no serialized provider.
import * as fs from "fs";
import * as path from "path";
import type * as pulumiProvider from "@pulumi/pulumi/provider";
import { forKind } from "../pulumi/impl";
import { RESOURCE_NAME_KEY } from "../resources/common";
import { PACKAGE_SCHEMA } from "../resources/schema.generated";
import { RESOURCE_KINDS, RESOURCE_TOKENS, type ResourceKind } from "../resources/schemaTypes";
import { markSecrets, secretKeys, unwrapSecrets } from "./secrets";

type Props = Record<string, unknown>;

/** The plugin's version: the package's (provider/package.json), which is also what GetPluginInfo reports. */
export function pluginVersion(): string {
  const file = path.join(__dirname, "..", "..", "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/** schema.json as GetSchema answers it: the package schema with the plugin's version. */
export function schemaText(version: string): string {
  return JSON.stringify({ ...PACKAGE_SCHEMA, version });
}

/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` → the type and the name (which may hold "::"). */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  if (parts.length < 4) throw new Error(`not a resource URN: ${urn}`);
  const qualified = parts[2];
  return { type: qualified.slice(qualified.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}

const KIND_OF_TOKEN = new Map<string, ResourceKind>(RESOURCE_KINDS.map((k) => [RESOURCE_TOKENS[k], k]));

/** The resource kind of a URN, or an error naming the types this plugin has. */
export function kindOf(urn: string): ResourceKind {
  const { type } = parseUrn(urn);
  const kind = KIND_OF_TOKEN.get(type);
  if (!kind) {
    throw new Error(
      `pulumi-resource-ksc has no resource type ${type} (it has ${[...KIND_OF_TOKEN.keys()].join(", ")})`,
    );
  }
  return kind;
}

function plain(v: unknown): Props {
  return (unwrapSecrets(v ?? {}) ?? {}) as Props;
}

function withoutName<T>(inputs: T): T {
  if (inputs === null || typeof inputs !== "object") return inputs;
  const { [RESOURCE_NAME_KEY]: _name, ...rest } = inputs as Props;
  return rest as T;
}

/** The provider methods of one kind, as the engine calls them for ksc:index:* resources. */
type Methods = ReturnType<typeof forKind>;

/** The native provider over the shared per-resource methods (`methods`: forKind by default; tests pass fakes). */
export function nativeProvider(
  version: string,
  methods: (kind: ResourceKind) => Methods = forKind,
): pulumiProvider.Provider {
  const byKind = new Map<ResourceKind, Methods>(RESOURCE_KINDS.map((k) => [k, methods(k)]));
  const of = (urn: string): Methods => byKind.get(kindOf(urn))!;
  return {
    version,
    getSchema: async () => schemaText(version),

    async check(urn, olds, news) {
      const secret = secretKeys(news);
      // The dynamic resource classes give check the resource's name as a hidden input (duplicate detection across
      // resources); here it is in the URN. It is not kept in the inputs: the schema does not declare it.
      const named = { ...plain(news), [RESOURCE_NAME_KEY]: parseUrn(urn).name };
      const result = await of(urn).check(plain(olds), named);
      return {
        inputs: markSecrets(withoutName(result.inputs as Props), secret),
        failures: result.failures,
      };
    },

    async diff(id, urn, olds, news) {
      return of(urn).diff(id, plain(olds), plain(news));
    },

    async create(urn, inputs) {
      const secret = secretKeys(inputs);
      const result = await of(urn).create(plain(inputs));
      return { id: result.id, outs: markSecrets(withoutName(result.outs), secret) };
    },

    async read(id, urn, props) {
      const secret = secretKeys(props);
      const result = await of(urn).read(id, plain(props));
      if (!result.id) return { id: "" };
      return {
        id: result.id,
        props: markSecrets(withoutName(result.props), secret),
        inputs: markSecrets(withoutName(result.inputs), secret),
      };
    },

    async update(id, urn, olds, news) {
      const secret = secretKeys(news);
      const result = await of(urn).update(id, plain(olds), plain(news));
      return { outs: markSecrets(withoutName(result.outs), secret) };
    },

    async delete(id, urn, props) {
      await of(urn).delete(id, plain(props));
    },
  };
}
