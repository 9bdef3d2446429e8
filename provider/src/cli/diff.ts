// `probe diff`: two snapshots compared key by key. Both sides are flattened to leaves (a path of keys → a value);
// a leaf only on the new side was added, only on the old side removed, on both with another value changed.
import { Style, shortValue, table } from "./output";
import { Json, JsonObject, Snapshot } from "./snapshot";

export type Path = string[];

export interface Change {
  kind: "added" | "removed" | "changed";
  path: Path;
  old?: Json;
  new?: Json;
}

function isObject(v: Json): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A typed value ({type: "datetime", value: …}) is one leaf, not two. */
function isTypedLeaf(v: JsonObject): boolean {
  const keys = Object.keys(v);
  return (
    keys.length === 2 &&
    typeof v.type === "string" &&
    "value" in v &&
    !isObject(v.value) &&
    !Array.isArray(v.value)
  );
}

/** Every leaf of a JSON value: scalars, typed values, and empty objects/arrays (so an added empty section shows). */
export function flatten(
  value: Json,
  prefix: Path = [],
  out: { path: Path; value: Json }[] = [],
): { path: Path; value: Json }[] {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push({ path: prefix, value });
    value.forEach((v, i) => flatten(v, [...prefix, String(i)], out));
  } else if (isObject(value) && !isTypedLeaf(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) out.push({ path: prefix, value });
    for (const k of keys) flatten(value[k], [...prefix, k], out);
  } else out.push({ path: prefix, value });
  return out;
}

function same(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function diffJson(a: Json, b: Json): Change[] {
  const before = new Map(flatten(a).map((l) => [JSON.stringify(l.path), l]));
  const after = new Map(flatten(b).map((l) => [JSON.stringify(l.path), l]));
  const changes: Change[] = [];
  for (const [key, l] of before) {
    const r = after.get(key);
    if (!r) changes.push({ kind: "removed", path: l.path, old: l.value });
    else if (!same(l.value, r.value))
      changes.push({ kind: "changed", path: l.path, old: l.value, new: r.value });
  }
  for (const [key, r] of after)
    if (!before.has(key)) changes.push({ kind: "added", path: r.path, new: r.value });
  return changes.sort((x, y) => comparePaths(x.path, y.path));
}

function comparePaths(a: Path, b: Path): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const na = Number(a[i]);
      const nb = Number(b[i]);
      if (Number.isInteger(na) && Number.isInteger(nb)) return na - nb;
      return a[i] < b[i] ? -1 : 1;
    }
  }
  return a.length - b.length;
}

/** The compared part of two snapshots (data only: not the time, notes or labels). */
export function diffSnapshots(a: Snapshot, b: Snapshot): Change[] {
  return diffJson(a.data as unknown as Json, b.data as unknown as Json);
}

/** Host attributes the server moves by itself as time passes (when it last saw the device, its last update of the
 *  device's data, the Network Agent's last connection): a clock, never a change an administrator made. */
export const CLOCK_ATTRIBUTES: ReadonlySet<string> = new Set([
  "KLHST_WKS_LAST_VISIBLE",
  "KLHST_WKS_LAST_INFOUDATE",
  "KLHST_WKS_LAST_NAGENT_CONNECTED",
]);

/** The changes without those of a host's clock attributes (CLOCK_ATTRIBUTES). */
export function withoutClockChanges(changes: Change[]): Change[] {
  return changes.filter((c) => !(c.path[0] === "hosts" && CLOCK_ATTRIBUTES.has(c.path[c.path.length - 1])));
}

/** A path as people read it: dot-separated, with odd segments in brackets and quotes. */
export function pathText(path: Path): string {
  return path
    .map((seg, i) =>
      /^[A-Za-z0-9_-]+$/.test(seg) ? (i === 0 ? seg : `.${seg}`) : `[${JSON.stringify(seg)}]`,
    )
    .join("");
}

/** Host and policy ids named in a path, with their labels, e.g. `a1b2… = milan-dp-01`. */
function labelsIn(changes: Change[], labels: Record<string, string>): string[] {
  const seen = new Set<string>();
  for (const c of changes) if (c.path.length > 1 && labels[c.path[1]]) seen.add(c.path[1]);
  return [...seen].map((id) => `${id} = ${labels[id]}`);
}

export function renderChanges(changes: Change[], style: Style, labels: Record<string, string> = {}): string {
  if (changes.length === 0) return "No differences.";
  const sign = {
    added: style.green("+ added"),
    removed: style.red("- removed"),
    changed: style.yellow("~ changed"),
  };
  const rows = changes.map((c) => [
    sign[c.kind],
    pathText(c.path),
    c.kind === "added"
      ? shortValue(c.new)
      : c.kind === "removed"
        ? shortValue(c.old)
        : `${shortValue(c.old)} → ${shortValue(c.new)}`,
  ]);
  const counts = (["added", "removed", "changed"] as const)
    .map((k) => `${changes.filter((c) => c.kind === k).length} ${k}`)
    .join(", ");
  const legend = labelsIn(changes, labels);
  return [
    table(rows, ["", "path", "value"], style),
    "",
    `${changes.length} difference${changes.length === 1 ? "" : "s"} (${counts})`,
    ...(legend.length ? ["", style.dim("where"), ...legend.map((l) => style.dim(`  ${l}`))] : []),
  ].join("\n");
}

/** Machine output: each change with its path as a list and as text. */
export function changesJson(changes: Change[]): JsonObject {
  return {
    changes: changes.map((c) => {
      const o: JsonObject = { kind: c.kind, path: c.path, pathText: pathText(c.path) };
      if (c.kind !== "added") o.old = c.old ?? null;
      if (c.kind !== "removed") o.new = c.new ?? null;
      return o;
    }),
  };
}
