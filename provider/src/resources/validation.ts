// Input validation from schema.json: each resource's inputProperties (types, defaults) plus the constraints kept
// under each property's `language["ksc-validation"]` become one JSON Schema, compiled once with ajv. Failures are
// turned into {property, reason} in words ("must be between 1 and 65535, got 70000").
// Values not known yet (preview) are left out of validation and left untouched in the result.
import Ajv2020, { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import { CheckFailure, CheckResult, ECHO_MAX, containsUnknown, echo, isUnknown } from "./common";
import { PACKAGE_SCHEMA } from "./schema.generated";
import {
  JsonObject,
  JsonValue,
  PackageSchema,
  PropertySpec,
  RESOURCE_TOKENS,
  ResourceKind,
  TypeSpec,
  refToken,
  tokenName,
  validationOf,
} from "./schemaTypes";

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Merge `extra` into `base` (objects recursively, everything else replaced). */
function deepMerge(base: JsonObject, extra: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const b = out[k];
    out[k] = isObject(b) && isObject(v) ? deepMerge(b as JsonObject, v as JsonObject) : v;
  }
  return out;
}

function typeSchema(t: TypeSpec): JsonObject {
  if (t.$ref) return { $ref: `#/$defs/${tokenName(refToken(t.$ref))}` };
  if (t.oneOf) return { oneOf: t.oneOf.map(typeSchema) };
  if (t.type === "array") return { type: "array", items: typeSchema(t.items ?? {}) };
  if (t.type === "object") {
    return {
      type: "object",
      additionalProperties: t.additionalProperties ? typeSchema(t.additionalProperties) : { type: "string" },
    };
  }
  return t.type ? { type: t.type } : {};
}

/** JSON Schema of one property: its Pulumi type, its default, and its validation fragment. */
export function propertySchema(p: PropertySpec): JsonObject {
  const s = typeSchema(p);
  if (p.default !== undefined) s.default = p.default;
  return deepMerge(s, validationOf(p));
}

function objectSchema(
  props: Record<string, PropertySpec>,
  required: string[],
  extra: JsonObject,
  allowInternal: boolean,
): JsonObject {
  const properties: JsonObject = {};
  for (const [name, p] of Object.entries(props)) properties[name] = propertySchema(p);
  const s: JsonObject = { type: "object", properties, required, additionalProperties: false };
  // "__provider", "__resourceName": added by the Pulumi runtime and the resource classes.
  if (allowInternal) s.patternProperties = { "^__": {} };
  return deepMerge(s, extra);
}

/** The JSON Schema ajv compiles for a resource's inputs. */
export function inputJsonSchema(kind: ResourceKind, schema: PackageSchema = PACKAGE_SCHEMA): JsonObject {
  const r = schema.resources[RESOURCE_TOKENS[kind]];
  const defs: JsonObject = {};
  for (const [token, t] of Object.entries(schema.types)) {
    defs[tokenName(token)] = objectSchema(t.properties, t.required ?? [], validationOf(t), false);
  }
  return { $defs: defs, ...objectSchema(r.inputProperties, r.requiredInputs ?? [], validationOf(r), true) };
}

/** The JSON Schema of the provider configuration (values already parsed to their types). */
export function configJsonSchema(schema: PackageSchema = PACKAGE_SCHEMA): JsonObject {
  return objectSchema(schema.config.variables, [], {}, false);
}

export function newAjv(): Ajv2020 {
  // strictTypes off: a union's constraints (minimum for the number branch, pattern for the string one) sit side by side.
  const ajv = new Ajv2020({
    allErrors: true,
    useDefaults: true,
    verbose: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
  });
  ajv.addKeyword({ keyword: "message", schemaType: "string" });
  ajv.addKeyword({ keyword: "messageProperty", schemaType: "string" });
  return ajv;
}

const compiled = new Map<string, ValidateFunction>();
let sharedAjv: Ajv2020 | undefined;

function validatorFor(key: string, build: () => JsonObject): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    sharedAjv ??= newAjv();
    v = sharedAjv.compile(build());
    compiled.set(key, v);
  }
  return v;
}

export function inputValidator(kind: ResourceKind): ValidateFunction {
  return validatorFor(kind, () => inputJsonSchema(kind));
}

export function configValidator(): ValidateFunction {
  return validatorFor("config", () => configJsonSchema());
}

// ---- unknown values ----

/** A copy without unknown values (arrays lose the unknown elements), and the JSON pointers where they were. */
function withoutUnknowns(value: unknown, pointer: string, unknowns: string[]): unknown {
  if (isUnknown(value)) {
    unknowns.push(pointer);
    return undefined;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((v, i) => {
      const c = withoutUnknowns(v, `${pointer}/${i}`, unknowns);
      if (c !== undefined) out.push(c);
    });
    return out;
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = withoutUnknowns(v, `${pointer}/${k}`, unknowns);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  return value;
}

function under(pointer: string, prefix: string): boolean {
  return pointer === prefix || pointer.startsWith(`${prefix}/`);
}

// ---- error wording ----

function describeValue(v: unknown): string {
  return echo(v);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeWord(t: unknown): string {
  if (Array.isArray(t)) return t.map(typeWord).join(" or ");
  if (t === "integer") return "whole number";
  if (t === "array") return "list";
  if (t === "object") return "object";
  return String(t);
}

/** "/udpPort/value" → property "udpPort", location "value"; "/scopeGroups/1" → "scopeGroups", "item 2". */
function splitPointer(pointer: string): { property: string; location: string } {
  const parts = pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const property = parts.shift() ?? "";
  const location = parts.map((p) => (/^\d+$/.test(p) ? `item ${Number(p) + 1}` : p)).join(", ");
  return { property, location };
}

function reasonOf(e: ErrorObject): string {
  const ps = (e.parentSchema ?? {}) as Record<string, unknown>;
  const custom = typeof ps.message === "string" ? ps.message : undefined;
  const p = e.params as Record<string, unknown>;
  const got = `got ${describeValue(e.data)}`;
  switch (e.keyword) {
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      if (typeof ps.minimum === "number" && typeof ps.maximum === "number") {
        return `must be between ${ps.minimum} and ${ps.maximum}, ${got}`;
      }
      return e.keyword.endsWith("inimum")
        ? `must be ${e.keyword === "minimum" ? "at least" : "more than"} ${String(p.limit)}, ${got}`
        : `must be ${e.keyword === "maximum" ? "at most" : "less than"} ${String(p.limit)}, ${got}`;
    case "type":
      return `must be ${article(typeWord(p.type))}, ${got}`;
    case "minLength":
      return p.limit === 1
        ? "must not be empty"
        : `must be at least ${String(p.limit)} characters long, ${got}`;
    case "maxLength":
      return `must be at most ${String(p.limit)} characters long, got ${String((e.data as string).length)}`;
    case "pattern":
    case "not":
    case "oneOf":
    case "anyOf":
      return `${custom ?? (e.keyword === "pattern" ? `must match ${String(p.pattern)}` : "is not valid")}, ${got}`;
    case "uniqueItems":
      return `lists the same value twice (items ${Number(p.j) + 1} and ${Number(p.i) + 1})`;
    case "maxItems":
      return `must have at most ${String(p.limit)} items`;
    case "minItems":
      return `must have at least ${String(p.limit)} items`;
    case "enum":
      return `must be one of ${describeValue(p.allowedValues)}, ${got}`;
    case "const":
      return `must be ${describeValue(p.allowedValue)}, ${got}`;
    default:
      return custom ?? e.message ?? "is not valid";
  }
}

/** Keywords whose failure is explained by the schema's own `message`. */
const WORDED = new Set(["pattern", "not", "oneOf", "anyOf"]);

/** Turn ajv errors into failures, dropping those about unknown values and the noise of union branches. */
export function failuresOf(
  errors: ErrorObject[],
  unknowns: string[],
  knownProperties: string[],
): CheckFailure[] {
  // A failed oneOf explains itself (with its message); the failures of its branches only repeat it.
  const unionPointers = new Set(errors.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath));
  // Where a schema gives its own wording (message) and that check failed, that wording says it all.
  const worded = new Set(
    errors
      .filter(
        (e) =>
          WORDED.has(e.keyword) && typeof (e.parentSchema as Record<string, unknown>)?.message === "string",
      )
      .map((e) => e.instancePath),
  );
  // An empty string is best told as such.
  const empty = new Set(
    errors.filter((e) => e.keyword === "minLength" && e.data === "").map((e) => e.instancePath),
  );
  const out: CheckFailure[] = [];
  for (const e of errors) {
    if (empty.has(e.instancePath) && e.keyword !== "minLength") continue;
    const pointer =
      e.keyword === "required" ? `${e.instancePath}/${String(e.params.missingProperty)}` : e.instancePath;
    if (unknowns.some((u) => under(pointer, u))) continue;
    if (e.keyword !== "oneOf" && unionPointers.has(e.instancePath) && e.schemaPath.includes("/oneOf/"))
      continue;
    if (
      e.instancePath !== "" &&
      worded.has(e.instancePath) &&
      !WORDED.has(e.keyword) &&
      !empty.has(e.instancePath)
    )
      continue;
    const ps = (e.parentSchema ?? {}) as Record<string, unknown>;
    if (e.instancePath === "" && (e.keyword === "oneOf" || e.keyword === "anyOf")) {
      // A rule across properties: which of them are present is only known when none is unknown.
      if (unknowns.length > 0) continue;
      out.push({
        property: typeof ps.messageProperty === "string" ? ps.messageProperty : "",
        reason: reasonOf(e).replace(/, got .*$/, ""),
      });
      continue;
    }
    if (e.keyword === "additionalProperties") {
      const name = String(e.params.additionalProperty);
      const { property, location } = splitPointer(`${e.instancePath}/${name}`);
      out.push({
        property,
        reason: location
          ? `${location.length > ECHO_MAX ? echo(location) : location}: unknown property`
          : `unknown property (known: ${knownProperties.join(", ")})`,
      });
      continue;
    }
    const { property, location } = splitPointer(pointer);
    const reason = e.keyword === "required" ? "is required" : reasonOf(e);
    out.push({ property, reason: location ? `${location}: ${reason}` : reason });
  }
  const seen = new Set<string>();
  return out.filter((f) => {
    const k = `${f.property}\u0000${f.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Validate inputs against schema.json and fill in the defaults. Properties holding unknown values are kept as
 * they are and not reported.
 */
export function validateInputs<T>(kind: ResourceKind, news: Record<string, unknown>): CheckResult<T> {
  const validate = inputValidator(kind);
  const unknowns: string[] = [];
  const copy = withoutUnknowns(news, "", unknowns) as Record<string, unknown>;
  validate(copy);
  const known = Object.keys(PACKAGE_SCHEMA.resources[RESOURCE_TOKENS[kind]].inputProperties);
  const failures = failuresOf(validate.errors ?? [], unknowns, known);
  // The copy now holds the defaults; put back the values that contain unknowns, untouched.
  const inputs: Record<string, unknown> = { ...copy };
  for (const [k, v] of Object.entries(news)) {
    if (containsUnknown(v)) inputs[k] = v;
  }
  return { inputs: inputs as T, failures };
}

/** Default of a property as check() fills it in (for docs and tests). */
export function defaultOf(p: PropertySpec): JsonValue | undefined {
  return p.default ?? validationOf(p).default;
}
