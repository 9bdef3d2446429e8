// ChunkAccessor model: result sets frozen at Find time, paged out, released or expired
// (docs/ksc-open-api.md#chunkaccessor).
import { KParams } from "../codec";
import { Backend } from "../backend";
import { InvalidArgument, NotFound } from "../errors";

/** Longest lifetime of a search result (docs/ksc-open-api.md#hostgroup: lMaxLifeTime ≤ 7200 s). */
export const MAX_ACCESSOR_LIFETIME_S = 7200;

/** PROPOSED: lifetime when lMaxLifeTime is 0 (the default is undocumented). */
export const DEFAULT_ACCESSOR_LIFETIME_S = 600;

export class ChunkAccessorModel {
  constructor(private readonly b: Backend) {}

  create(items: KParams[], lifetimeS: number): string {
    if (lifetimeS < 0 || lifetimeS > MAX_ACCESSOR_LIFETIME_S) {
      throw new InvalidArgument(`lMaxLifeTime must be between 0 and ${MAX_ACCESSOR_LIFETIME_S} seconds`);
    }
    this.b.sweep();
    const id = this.b.randomId(16);
    const lifetimeMs = (lifetimeS || DEFAULT_ACCESSOR_LIFETIME_S) * 1000;
    this.b.accessors.set(id, { id, items, lifetimeMs, lastUsed: this.b.now() });
    return id;
  }

  private get(id: string): KParams[] {
    this.b.sweep();
    const a = this.b.accessors.get(id);
    if (!a) throw new NotFound(`accessor ${id} not found (released or expired)`);
    a.lastUsed = this.b.now();
    return a.items;
  }

  count(id: string): number {
    return this.get(id).length;
  }

  chunk(id: string, start: number, count: number): KParams[] {
    const items = this.get(id);
    if (start < 0 || count < 0) throw new InvalidArgument("nStart and nCount must not be negative");
    return items.slice(start, start + count);
  }

  release(id: string): void {
    this.get(id);
    this.b.accessors.delete(id);
  }
}
