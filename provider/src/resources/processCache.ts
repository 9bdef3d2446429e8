// Values read once per provider process (one engine run) and shared by its resources: the registration template
// of a DP, the list of DPs, the managed devices. Keyed by the process's ResourceContext, so a test that builds a
// new context starts empty. A failed read is not kept: the next caller reads again.
import { ResourceContext } from "./common";

const states = new WeakMap<ResourceContext, Map<string, unknown>>();

/** This process's state `name` (what it has seen or done so far), made by `init()` on first use. */
export function processState<T>(ctx: ResourceContext, name: string, init: () => T): T {
  let all = states.get(ctx);
  if (!all) states.set(ctx, (all = new Map()));
  if (!all.has(name)) all.set(name, init());
  return all.get(name) as T;
}

/** The value of `name` for this process: `load()` runs on first use, and again after it failed. */
export function once<T>(ctx: ResourceContext, name: string, load: () => Promise<T>): Promise<T> {
  const held = processState(ctx, `value: ${name}`, () => ({ value: undefined as Promise<T> | undefined }));
  if (held.value) return held.value;
  const loading = load();
  loading.catch(() => {
    if (held.value === loading) held.value = undefined;
  });
  held.value = loading;
  return loading;
}
