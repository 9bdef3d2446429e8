// Readers for decoded KSC values that tolerate what servers differ in (a long or an int, a flag as 0/1), and a
// deep copy of decoded params. Unlike the as…/opt… readers of codec.ts they never throw: a value of the wrong type
// reads as undefined, and the caller decides what that means.

/** A decoded KSC `params` value: plain JS values, with 64-bit longs and other typed values kept apart. */
export type KscValue = string | number | boolean | null | KscLong | KscTyped | KscValue[] | KscParams;
export interface KscParams {
  [key: string]: KscValue;
}
/** A 64-bit integer (`{"type":"long","value":N}` on the wire). Kept distinct from a 32-bit int. */
export class KscLong {
  constructor(public readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}
/** datetime, date, binary, float, double — kept as their wire type and string/number value. */
export class KscTyped {
  constructor(
    public readonly type: "datetime" | "date" | "binary" | "float" | "double",
    public readonly value: string | number,
  ) {}
}

export function kscNumber(v: KscValue | undefined): number | undefined {
  if (typeof v === "number") return v;
  if (v instanceof KscLong) return v.value;
  if (v instanceof KscTyped && typeof v.value === "number") return v.value;
  return undefined;
}

export function kscString(v: KscValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function kscBoolean(v: KscValue | undefined): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  return undefined;
}

export function isParams(v: KscValue | undefined): v is KscParams {
  return (
    v !== null &&
    v !== undefined &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    !(v instanceof KscLong) &&
    !(v instanceof KscTyped)
  );
}

export function kscParamsArray(v: KscValue | undefined): KscParams[] {
  return Array.isArray(v) ? v.filter(isParams) : [];
}

/** Deep copy of decoded params (KscLong/KscTyped are immutable and shared). */
export function cloneParams(p: KscParams): KscParams {
  const copy = (v: KscValue): KscValue => {
    if (Array.isArray(v)) return v.map(copy);
    if (isParams(v)) return cloneParams(v);
    return v;
  };
  const out: KscParams = {};
  for (const [k, v] of Object.entries(p)) out[k] = copy(v);
  return out;
}
