// What a per-class handler looks like: method name → argument signature + a synchronous run function.
// Handlers are synchronous on purpose: a call runs to completion on the event loop before the next one
// starts, so multi-step rules (check, then change) never interleave with another session's call.
import { ArgType, decodeArg, isParams, KParams, KValue, typeName } from "./codec";
import { BadFormat, InvalidArgument } from "./errors";

export interface ArgSpec {
  type: ArgType;
  optional?: boolean;
}

export interface CallResult {
  /** PxgRetVal (absent for void methods) */
  ret?: KValue;
  /** [out] parameters, each its own key */
  out?: Record<string, KValue>;
}

export interface SessionInfo {
  id: string;
  user: string;
}

export interface CallContext {
  session: SessionInfo;
}

export interface MethodSpec {
  args: Record<string, ArgSpec>;
  /** true if the call can change persistent state (the state file is then rewritten) */
  mutates?: boolean;
  run(args: Args, ctx: CallContext): CallResult;
}

export type ClassHandler = Record<string, MethodSpec>;

/** The decoded arguments of a call, with typed getters. */
export class Args {
  private readonly values = new Map<string, KValue>();

  constructor(body: Record<string, unknown>, spec: Record<string, ArgSpec>) {
    for (const [name, s] of Object.entries(spec)) {
      if (!Object.prototype.hasOwnProperty.call(body, name) || body[name] === undefined) {
        if (!s.optional) throw new InvalidArgument(`missing parameter ${name}`);
        continue;
      }
      const raw = body[name];
      if (raw === null) {
        if (!s.optional) throw new BadFormat(`${name}: null is not a ${s.type}`);
        continue;
      }
      this.values.set(name, decodeArg(raw, s.type, name));
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }
  get(name: string): KValue | undefined {
    return this.values.get(name);
  }
  str(name: string, fallback = ""): string {
    const v = this.values.get(name);
    return typeof v === "string" ? v : fallback;
  }
  int(name: string, fallback = 0): number {
    const v = this.values.get(name);
    return typeof v === "number" ? v : fallback;
  }
  long(name: string, fallback = 0): number {
    const v = this.values.get(name);
    if (typeof v === "number") return v;
    if (typeof v === "object" && v !== null && !Array.isArray(v) && v.kind === "long") return v.value;
    return fallback;
  }
  bool(name: string, fallback = false): boolean {
    const v = this.values.get(name);
    return typeof v === "boolean" ? v : fallback;
  }
  params(name: string): KParams {
    const v = this.values.get(name);
    return isParams(v) ? v : { kind: "params", map: new Map() };
  }
  array(name: string): KValue[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : [];
  }
}

/** Read a key of a params value with an expected KSC type, or throw BadFormat naming the key. */
export function field<T extends KValue>(
  p: KParams,
  key: string,
  check: (v: KValue) => v is T,
  expected: string,
  where: string,
): T | undefined {
  const v = p.map.get(key);
  if (v === undefined) return undefined;
  if (!check(v)) throw new BadFormat(`${where}.${key}: expected ${expected}, got ${typeName(v)}`);
  return v;
}

export const isString = (v: KValue): v is string => typeof v === "string";
export const isBool = (v: KValue): v is boolean => typeof v === "boolean";
export const isIntValue = (v: KValue): v is number => typeof v === "number";
export const isArray = (v: KValue): v is KValue[] => Array.isArray(v);
export const isParamsValue = (v: KValue): v is KParams => isParams(v);
