// Values read once per provider process (one engine run) and shared by its resources: the registration template
// of a DP, the list of DPs, the managed devices. Keyed by the process's ResourceContext, so a test that builds a
// new context starts empty. A failed read is not kept: the next caller reads again.
import { ResourceContext } from "./common";

const caches = new WeakMap<ResourceContext, Map<string, Promise<unknown>>>();

/** The value of `name` for this process: `load()` runs on first use, and again after it failed. */
export function once<T>(ctx: ResourceContext, name: string, load: () => Promise<T>): Promise<T> {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new Map()));
  const held = cache.get(name) as Promise<T> | undefined;
  if (held) return held;
  const loading = load();
  const c = cache;
  loading.catch(() => {
    if (c.get(name) === loading) c.delete(name);
  });
  c.set(name, loading);
  return loading;
}

/** Forget `name` for this process (the next once() reads it again). */
export function forget(ctx: ResourceContext, name: string): void {
  caches.get(ctx)?.delete(name);
}
