// Administration groups by id or by path ("Managed devices/Branch Milan").
// The whole group tree is read once per provider process (one FindGroups) and read again when a lookup misses,
// so a group created in the console during a run is still found. Paths compare case-insensitively.
import { KscClient } from "../ksc/client";
import { InputError, quote, sameName } from "./names";

export interface GroupInfo {
  id: number;
  name: string;
  /** Full path from the root, e.g. "Managed devices/Branch Milan". */
  path: string;
}

/** A group reference as users write it: an id, or a path. */
export type GroupRef = number | string;

const DEFAULT_ROOT_NAME = "Managed devices";

interface Tree {
  rootId: number;
  rootName: string;
  byId: Map<number, { id: number; name: string; parentId: number | null }>;
  children: Map<number, number[]>;
}

/**
 * A group reference as the provider keeps it: a path without the trailing "/" that KSC's full group names end with
 * (and so the emulator's status page; copied from there, "Managed devices/Branch Milan/" is the same group), so that
 * "a/b/" and "a/b" never show as a change. Ids, and anything that is not a path, stay as they are.
 */
export function normalGroupRef<T>(ref: T): T {
  return (typeof ref === "string" && ref.length > 1 && ref.endsWith("/") ? ref.slice(0, -1) : ref) as T;
}

/** Split a path into its names; the leading root name ("Managed devices") may be left out. */
export function pathSegments(path: string, rootName = DEFAULT_ROOT_NAME): string[] {
  const parts = path
    .split("/")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (parts.length > 0 && sameName(parts[0], rootName)) parts.shift();
  return parts;
}

/** Whether two path strings name the same group (without asking the console). */
export function samePath(a: string, b: string, rootName = DEFAULT_ROOT_NAME): boolean {
  const x = pathSegments(a, rootName);
  const y = pathSegments(b, rootName);
  return x.length === y.length && x.every((s, i) => sameName(s, y[i]));
}

export class GroupDirectory {
  private tree?: Promise<Tree>;

  constructor(private readonly client: KscClient) {}

  /** Forget the cached tree (the next lookup reads it again). */
  invalidate(): void {
    this.tree = undefined;
  }

  /** The group with this id or path; an InputError on `property` when there is none. */
  async resolve(ref: GroupRef, property: string): Promise<GroupInfo> {
    const found = await this.byRef(ref);
    if (found) return found;
    if (typeof ref === "number") throw new InputError(property, `no administration group has id ${ref}`);
    const t = await this.load();
    throw new InputError(
      property,
      `no administration group at path ${quote(ref)} (paths start at ${quote(t.rootName)}, e.g. ${quote(`${t.rootName}/Branch Milan`)})`,
    );
  }

  /** The group with this id or path, or undefined. */
  async byRef(ref: GroupRef): Promise<GroupInfo | undefined> {
    return (await this.find(ref)) ?? (this.invalidate(), await this.find(ref));
  }

  /** The group with this id, or undefined. */
  async byId(id: number): Promise<GroupInfo | undefined> {
    return this.byRef(id);
  }

  /** The root group ("Managed devices"). */
  async root(): Promise<GroupInfo> {
    const t = await this.load();
    return { id: t.rootId, name: t.rootName, path: t.rootName };
  }

  private async find(ref: GroupRef): Promise<GroupInfo | undefined> {
    const t = await this.load();
    if (typeof ref === "number") {
      const path = pathOf(t, ref);
      const g = t.byId.get(ref);
      return path !== undefined && g ? { id: ref, name: g.name, path } : undefined;
    }
    let id = t.rootId;
    for (const segment of pathSegments(ref, t.rootName)) {
      const kids = (t.children.get(id) ?? []).map((k) => t.byId.get(k)!);
      // Exact spelling first, then a case-insensitive match.
      const next = kids.find((k) => k.name === segment) ?? kids.find((k) => sameName(k.name, segment));
      if (!next) return undefined;
      id = next.id;
    }
    return { id, name: t.byId.get(id)?.name ?? t.rootName, path: pathOf(t, id)! };
  }

  private load(): Promise<Tree> {
    if (!this.tree) {
      this.tree = this.read();
      // A failed read is not cached.
      this.tree.catch(() => (this.tree = undefined));
    }
    return this.tree;
  }

  private async read(): Promise<Tree> {
    const rootId = await this.client.hostGroup.groupIdGroups();
    const groups = await this.client.inventory.listGroups();
    const byId = new Map<number, { id: number; name: string; parentId: number | null }>();
    const children = new Map<number, number[]>();
    for (const r of groups) {
      byId.set(r.id, { id: r.id, name: r.name, parentId: r.parentId });
    }
    for (const r of byId.values()) {
      if (r.parentId === null || r.id === rootId) continue;
      children.set(r.parentId, [...(children.get(r.parentId) ?? []), r.id]);
    }
    const rootName = byId.get(rootId)?.name || DEFAULT_ROOT_NAME;
    if (!byId.has(rootId)) byId.set(rootId, { id: rootId, name: rootName, parentId: null });
    return { rootId, rootName, byId, children };
  }
}

/** Path of a group below the root, or undefined when the group is not under "Managed devices". */
function pathOf(t: Tree, id: number): string | undefined {
  const names: string[] = [];
  const seen = new Set<number>();
  let cur = t.byId.get(id);
  while (cur && cur.id !== t.rootId) {
    if (seen.has(cur.id)) return undefined; // a cycle: not a tree we understand
    seen.add(cur.id);
    names.unshift(cur.name);
    cur = cur.parentId === null ? undefined : t.byId.get(cur.parentId);
  }
  if (!cur) return undefined;
  return [t.rootName, ...names].join("/");
}
