// The emulator's own codec for KSC typed values (docs/ksc-open-api.md#parameter-encoding). Written from
// docs/ksc-open-api.md, not shared with the client: if both sides used one encoder, a wrong encoding would
// pass every test.
//
// In memory a value keeps its KSC type: a 32-bit int is a plain JS number, everything else that JSON
// cannot tell apart (long, float, datetime, …) is a tagged object, and params are a Map (no prototype
// surprises with keys such as "__proto__").
import { BadFormat } from "./errors";

export interface KLong {
  kind: "long";
  value: number;
}
export interface KFloat {
  kind: "float" | "double";
  value: number;
}
export interface KDatetime {
  kind: "datetime";
  value: string;
}
export interface KDate {
  kind: "date";
  value: string;
}
export interface KBinary {
  kind: "binary";
  value: string; // base64
}
export interface KParams {
  kind: "params";
  map: Map<string, KValue>;
}
export type KValue =
  | null
  | string
  | boolean
  | number // int (32-bit)
  | KLong
  | KFloat
  | KDatetime
  | KDate
  | KBinary
  | KParams
  | KValue[];

export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;

export const long = (value: number): KLong => ({ kind: "long", value });
export const datetime = (value: string | Date): KDatetime => ({
  kind: "datetime",
  value: typeof value === "string" ? value : value.toISOString().replace(/\.\d{3}Z$/, "Z"),
});
export function params(entries: Record<string, KValue> | Map<string, KValue> = {}): KParams {
  const map = entries instanceof Map ? new Map(entries) : new Map(Object.entries(entries));
  return { kind: "params", map };
}

export function isParams(v: KValue | undefined): v is KParams {
  return typeof v === "object" && v !== null && !Array.isArray(v) && v.kind === "params";
}
export function isLong(v: KValue | undefined): v is KLong {
  return typeof v === "object" && v !== null && !Array.isArray(v) && v.kind === "long";
}
export function isInt(v: KValue | undefined): v is number {
  return typeof v === "number";
}

/** The KSC type name of a value, for error messages and validation. */
export function typeName(v: KValue | undefined): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "number") return "int";
  if (Array.isArray(v)) return "array";
  return v.kind;
}

const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A JSON object that is a typed wrapper {"type": …, "value": …} (exactly these two keys). */
function wrapperOf(x: Record<string, unknown>): { type: string; value: unknown } | undefined {
  const keys = Object.keys(x);
  if (keys.length !== 2 || !("type" in x) || !("value" in x) || typeof x.type !== "string") return undefined;
  return { type: x.type, value: x.value };
}

/**
 * Decode a value found inside a params container or an array (docs/ksc-open-api.md#typed-values: strongly
 * typed).
 */
export function decodeInner(json: unknown, path: string): KValue {
  if (json === null) return null;
  if (typeof json === "string" || typeof json === "boolean") return json;
  if (typeof json === "number") {
    if (!Number.isInteger(json)) {
      throw new BadFormat(`${path}: a plain number inside params is a 32-bit int; write {"type":"double",…}`);
    }
    if (json < INT_MIN || json > INT_MAX) {
      throw new BadFormat(`${path}: ${json} does not fit a 32-bit int; write {"type":"long","value":…}`);
    }
    return json;
  }
  if (Array.isArray(json)) return json.map((el, i) => decodeInner(el, `${path}[${i}]`));
  if (isPlainObject(json)) {
    const w = wrapperOf(json);
    if (!w) {
      throw new BadFormat(
        `${path}: a nested params must be written {"type":"params","value":{…}} (docs/ksc-open-api.md#typed-values)`,
      );
    }
    return decodeWrapped(w.type, w.value, path);
  }
  throw new BadFormat(`${path}: unsupported JSON value`);
}

function decodeWrapped(type: string, value: unknown, path: string): KValue {
  switch (type) {
    case "long":
      if (typeof value !== "number" || !Number.isInteger(value)) {
        throw new BadFormat(`${path}: a long must carry an integer value`);
      }
      return { kind: "long", value };
    case "float":
    case "double":
      if (typeof value !== "number") throw new BadFormat(`${path}: a ${type} must carry a number`);
      return { kind: type, value };
    case "datetime":
      if (typeof value !== "string" || !DATETIME_RE.test(value)) {
        throw new BadFormat(`${path}: a datetime must be "YYYY-MM-DDTHH:MM:SSZ"`);
      }
      return { kind: "datetime", value };
    case "date":
      if (typeof value !== "string" || !DATE_RE.test(value)) {
        throw new BadFormat(`${path}: a date must be "YYYY-MM-DD"`);
      }
      return { kind: "date", value };
    case "binary":
      if (typeof value !== "string" || !BASE64_RE.test(value)) {
        throw new BadFormat(`${path}: a binary must carry base64 text`);
      }
      return { kind: "binary", value };
    case "params":
      if (!isPlainObject(value)) throw new BadFormat(`${path}: a params must carry a JSON object`);
      return decodeParamsBody(value, path);
    default:
      throw new BadFormat(`${path}: unknown value type "${type}"`);
  }
}

/** Decode the body of a params container: every value strongly typed, null not allowed. */
export function decodeParamsBody(obj: Record<string, unknown>, path: string): KParams {
  const map = new Map<string, KValue>();
  for (const [key, raw] of Object.entries(obj)) {
    if (raw === null)
      throw new BadFormat(
        `${path}.${key}: null is not allowed as a params value (docs/ksc-open-api.md#typed-values)`,
      );
    map.set(key, decodeInner(raw, `${path}.${key}`));
  }
  return { kind: "params", map };
}

export type ArgType = "string" | "int" | "long" | "bool" | "params" | "array" | "datetime" | "binary";

/**
 * Decode a method argument (top level of the request body, docs/ksc-open-api.md#method-arguments: written
 * loosely).
 */
export function decodeArg(json: unknown, type: ArgType, name: string): KValue {
  switch (type) {
    case "string":
      if (typeof json !== "string") throw new BadFormat(`${name}: expected a string`);
      return json;
    case "bool":
      if (typeof json !== "boolean") throw new BadFormat(`${name}: expected true or false`);
      return json;
    case "int":
      if (typeof json !== "number" || !Number.isInteger(json))
        throw new BadFormat(`${name}: expected an int`);
      if (json < INT_MIN || json > INT_MAX) throw new BadFormat(`${name}: ${json} does not fit a 32-bit int`);
      return json;
    case "long": {
      // Plain at the top level; a wrapped long is tolerated.
      const v = isPlainObject(json) && wrapperOf(json)?.type === "long" ? json.value : json;
      if (typeof v !== "number" || !Number.isInteger(v)) throw new BadFormat(`${name}: expected a long`);
      return { kind: "long", value: v };
    }
    case "datetime":
      if (typeof json !== "string" || !DATETIME_RE.test(json)) {
        throw new BadFormat(`${name}: expected a datetime "YYYY-MM-DDTHH:MM:SSZ"`);
      }
      return { kind: "datetime", value: json };
    case "binary":
      if (typeof json !== "string" || !BASE64_RE.test(json)) throw new BadFormat(`${name}: expected base64`);
      return { kind: "binary", value: json };
    case "array":
      if (!Array.isArray(json)) throw new BadFormat(`${name}: expected an array`);
      return json.map((el, i) => decodeInner(el, `${name}[${i}]`));
    case "params": {
      if (!isPlainObject(json)) throw new BadFormat(`${name}: expected a params object`);
      const w = wrapperOf(json);
      if (w && w.type === "params" && isPlainObject(w.value)) return decodeParamsBody(w.value, name);
      return decodeParamsBody(json, name);
    }
  }
}

/** Encode a value for use inside params or arrays (docs/ksc-open-api.md#typed-values). */
export function encodeInner(v: KValue): unknown {
  if (v === null || typeof v === "string" || typeof v === "boolean" || typeof v === "number") return v;
  if (Array.isArray(v)) return v.map(encodeInner);
  if (v.kind === "params") return { type: "params", value: encodeParamsBody(v) };
  return { type: v.kind, value: v.value };
}

export function encodeParamsBody(p: KParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of p.map) {
    // defineProperty: a key such as "__proto__" stays an ordinary key.
    Object.defineProperty(out, k, {
      value: encodeInner(v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Encode a return value or out-parameter (docs/ksc-open-api.md#replies: written plain at the top level). */
export function encodeTop(v: KValue): unknown {
  if (v === null || typeof v === "string" || typeof v === "boolean" || typeof v === "number") return v;
  if (Array.isArray(v)) return v.map(encodeInner);
  if (v.kind === "params") return encodeParamsBody(v);
  return v.value;
}

/** Deep copy (params and arrays are mutable containers). */
export function clone<T extends KValue>(v: T): T {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => clone(x)) as T;
  if (v.kind === "params") {
    const map = new Map<string, KValue>();
    for (const [k, x] of v.map) map.set(k, clone(x));
    return { kind: "params", map } as T;
  }
  return { ...v };
}

/** Structural equality of two typed values (types must match too: int 5 ≠ long 5). */
export function equal(a: KValue | undefined, b: KValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  }
  if (a.kind !== b.kind) return false;
  if (a.kind === "params" && b.kind === "params") {
    if (a.map.size !== b.map.size) return false;
    for (const [k, x] of a.map) if (!equal(x, b.map.get(k))) return false;
    return true;
  }
  return (a as { value: unknown }).value === (b as { value: unknown }).value;
}
