// The typed-value codec of the KSC Open API (docs/ksc-open-api.md#parameter-encoding).
//
// Two levels:
//  - "loose": a method's top-level arguments and the top-level keys of a reply (PxgRetVal, [out] parameters).
//    A long is a plain number, a params is a plain object, datetime/binary are plain strings.
//  - "strict": everything inside a params or an array. A long is {"type":"long","value":N}, a nested params is
//    {"type":"params","value":{…}}, datetime/date/binary/float/double are wrapped likewise; plain numbers are 32-bit ints.
// On input both forms are accepted everywhere (servers and clients differ, docs/ksc-open-api.md#replies).
import { KscLong, KscParams, KscTyped, KscValue } from "./api";
import { KscProtocolError } from "./errors";

const TYPED = new Set(["datetime", "date", "binary", "float", "double"]);
const WRAPPER_TYPES = new Set(["long", "params", ...TYPED]);
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof KscLong) &&
    !(v instanceof KscTyped)
  );
}

/** A wire wrapper is an object with exactly `type` (a known type name) and `value`. */
function isWrapper(v: unknown): v is { type: string; value: unknown } {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return (
    keys.length === 2 &&
    "type" in v &&
    "value" in v &&
    typeof v.type === "string" &&
    WRAPPER_TYPES.has(v.type)
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding

function checkNumber(n: number, where: string): void {
  if (!Number.isFinite(n)) throw new TypeError(`${where}: ${n} cannot be sent to KSC (not a finite number)`);
}

/** Encode a value inside a params container or an array (strict typing). */
export function encodeStrict(v: KscValue, where = "value"): Json {
  if (v === null) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") {
    checkNumber(v, where);
    // An integer outside 32 bits can only be a long; sending it plain would be read as a (wrapped-around) int.
    if (Number.isInteger(v) && (v < INT32_MIN || v > INT32_MAX)) return { type: "long", value: v };
    return v;
  }
  if (v instanceof KscLong) {
    checkNumber(v.value, where);
    return { type: "long", value: v.value };
  }
  if (v instanceof KscTyped) return { type: v.type, value: v.value };
  if (Array.isArray(v)) return v.map((e, i) => encodeStrict(e, `${where}[${i}]`));
  return { type: "params", value: encodeParams(v, where) };
}

/**
 * Encode the contents of a params container. A null or undefined value is omitted:
 * docs/ksc-open-api.md#typed-values does not allow null as a params value, and omitting the key is what it
 * prescribes.
 */
export function encodeParams(p: KscParams, where = "params"): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === null || v === undefined) continue;
    out[k] = encodeStrict(v, `${where}.${k}`);
  }
  return out;
}

/** Encode one top-level method argument (loose typing). */
export function encodeLoose(v: KscValue, where = "argument"): Json {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") {
    checkNumber(v, where);
    return v;
  }
  if (v instanceof KscLong) {
    checkNumber(v.value, where);
    return v.value;
  }
  if (v instanceof KscTyped) return v.value;
  if (Array.isArray(v)) return v.map((e, i) => encodeStrict(e, `${where}[${i}]`));
  return encodeParams(v, where);
}

/** Encode a request body: argument name → value. Undefined arguments are left out. */
export function encodeArgs(args: Record<string, KscValue | undefined>): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(args)) {
    if (v === undefined) continue;
    out[k] = encodeLoose(v, k);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

function decodeWrapper(w: { type: string; value: unknown }, where: string): KscValue {
  switch (w.type) {
    case "long": {
      const n = typeof w.value === "string" ? Number(w.value) : w.value;
      if (typeof n !== "number" || !Number.isFinite(n)) {
        throw new KscProtocolError(`${where}: a "long" whose value is not a number`);
      }
      return new KscLong(n);
    }
    case "params":
      if (w.value === null) return {};
      if (!isPlainObject(w.value))
        throw new KscProtocolError(`${where}: a "params" whose value is not an object`);
      return decodeParams(w.value, where);
    default: {
      if (typeof w.value !== "string" && typeof w.value !== "number") {
        throw new KscProtocolError(`${where}: a "${w.type}" whose value is neither a string nor a number`);
      }
      return new KscTyped(w.type as KscTyped["type"], w.value);
    }
  }
}

/** Decode a value found inside a params container or an array (wrapped or plain). */
export function decodeStrict(v: unknown, where = "value"): KscValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map((e, i) => decodeStrict(e, `${where}[${i}]`));
  if (isWrapper(v)) return decodeWrapper(v, where);
  if (isPlainObject(v)) return decodeParams(v, where);
  throw new KscProtocolError(`${where}: unexpected JSON value`);
}

/** Decode the contents of a params container. */
export function decodeParams(o: Record<string, unknown>, where = "params"): KscParams {
  const out: KscParams = {};
  for (const [k, v] of Object.entries(o)) out[k] = decodeStrict(v, `${where}.${k}`);
  return out;
}

/** Decode a top-level value of a reply (loose, but wrapped forms are accepted too). */
export function decodeLoose(v: unknown, where = "value"): KscValue {
  return decodeStrict(v, where);
}

/** Decode a whole reply body: PxgRetVal and [out] parameters. */
export function decodeReply(body: unknown, where = "reply"): KscParams {
  if (!isPlainObject(body)) throw new KscProtocolError(`${where}: the reply is not a JSON object`);
  const out: KscParams = {};
  for (const [k, v] of Object.entries(body)) out[k] = decodeLoose(v, `${where}.${k}`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading decoded values (with errors that say which method and key were wrong)

export function isParams(v: KscValue | undefined): v is KscParams {
  return isPlainObject(v);
}

export function asNumber(v: KscValue | undefined, where: string): number {
  if (typeof v === "number") return v;
  if (v instanceof KscLong) return v.value;
  throw new KscProtocolError(`${where}: expected a number, got ${describe(v)}`);
}

export function asString(v: KscValue | undefined, where: string): string {
  if (typeof v === "string") return v;
  throw new KscProtocolError(`${where}: expected a string, got ${describe(v)}`);
}

export function asBoolean(v: KscValue | undefined, where: string): boolean {
  if (typeof v === "boolean") return v;
  // Some servers write flags as 0/1.
  if (v === 0 || v === 1) return v === 1;
  throw new KscProtocolError(`${where}: expected a boolean, got ${describe(v)}`);
}

export function asParams(v: KscValue | undefined, where: string): KscParams {
  if (isParams(v)) return v;
  throw new KscProtocolError(`${where}: expected a params object, got ${describe(v)}`);
}

export function asArray(v: KscValue | undefined, where: string): KscValue[] {
  if (Array.isArray(v)) return v;
  // An empty array is sometimes written as null or left out.
  if (v === null || v === undefined) return [];
  throw new KscProtocolError(`${where}: expected an array, got ${describe(v)}`);
}

export function optString(v: KscValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function optNumber(v: KscValue | undefined): number | undefined {
  if (typeof v === "number") return v;
  if (v instanceof KscLong) return v.value;
  return undefined;
}

export function optBoolean(v: KscValue | undefined): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === 0 || v === 1) return v === 1;
  return undefined;
}

function describe(v: KscValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (v instanceof KscLong) return "a long";
  if (v instanceof KscTyped) return `a ${v.type}`;
  if (typeof v === "object") return "a params object";
  return `a ${typeof v}`;
}
