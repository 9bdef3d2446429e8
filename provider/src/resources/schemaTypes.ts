// The subset of the Pulumi package schema (pulumi.json metaschema) that schema.json uses, as TypeScript types.
// schema.json is the single source of the resources' properties; this file only describes its shape.

/** The key, inside a property's (or resource's) `language` map, that holds validation the Pulumi schema cannot
 *  express: a JSON Schema fragment merged into the property's schema, plus `message` (the reason given when a
 *  pattern/oneOf fails) and, at resource level, `messageProperty` (the property that failure is reported on). */
export const VALIDATION_KEY = "ksc-validation";
/** The key, inside the package's `language` map, that holds text only the docs use. */
export const DOCS_KEY = "ksc-docs";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface TypeSpec {
  type?: "boolean" | "integer" | "number" | "string" | "array" | "object";
  items?: TypeSpec;
  additionalProperties?: TypeSpec;
  $ref?: string;
  oneOf?: TypeSpec[];
}

export interface PropertySpec extends TypeSpec {
  description?: string;
  default?: boolean | number | string;
  defaultInfo?: { environment: string[] };
  secret?: boolean;
  replaceOnChanges?: boolean;
  language?: { [language: string]: JsonObject };
}

export interface ObjectTypeSpec {
  type: "object";
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
  language?: { [language: string]: JsonObject };
}

export interface ResourceSpec {
  description?: string;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs?: string[];
  properties: Record<string, PropertySpec>;
  required?: string[];
  language?: { [language: string]: JsonObject };
}

export interface PackageSchema {
  name: string;
  displayName?: string;
  version?: string;
  description?: string;
  keywords?: string[];
  license?: string;
  publisher?: string;
  language?: { [language: string]: JsonObject };
  config: { variables: Record<string, PropertySpec> };
  types: Record<string, ObjectTypeSpec>;
  resources: Record<string, ResourceSpec>;
}

/** The three resources: short name → type token in schema.json. */
export const RESOURCE_TOKENS = {
  DistributionPoint: "ksc:index:DistributionPoint",
  PushServer: "ksc:index:PushServer",
  NetworkAgentPolicy: "ksc:index:NetworkAgentPolicy",
} as const;
export type ResourceKind = keyof typeof RESOURCE_TOKENS;
export const RESOURCE_KINDS = Object.keys(RESOURCE_TOKENS) as ResourceKind[];

/** "ksc:index:LockedBoolean" → "LockedBoolean" */
export function tokenName(token: string): string {
  return token.slice(token.lastIndexOf(":") + 1);
}

/** "#/types/ksc:index:LockedBoolean" → "ksc:index:LockedBoolean" */
export function refToken(ref: string): string {
  const prefix = "#/types/";
  if (!ref.startsWith(prefix)) throw new Error(`unsupported type reference ${ref} (only #/types/… is used)`);
  return ref.slice(prefix.length);
}

/** The validation fragment of a property or resource (may be empty). */
export function validationOf(spec: { language?: { [language: string]: JsonObject } }): JsonObject {
  return spec.language?.[VALIDATION_KEY] ?? {};
}
