import {
  changesJson,
  diffJson,
  diffSnapshots,
  flatten,
  pathText,
  renderChanges,
  withoutClockChanges,
} from "./diff";
import { makeStyle } from "./output";
import { Snapshot, SNAPSHOT_KIND } from "./snapshot";

const plain = makeStyle(false);

function snapshot(data: Partial<Snapshot["data"]>, extra: Partial<Snapshot> = {}): Snapshot {
  return {
    kind: SNAPSHOT_KIND,
    version: 1,
    takenAt: "2024-01-01T00:00:00.000Z",
    server: "http://127.0.0.1:1",
    scope: { groups: [] },
    labels: {},
    notes: [],
    data: { defaultDpRegistrationInfo: {}, distributionPoints: {}, hosts: {}, policies: {}, ...data },
    ...extra,
  };
}

describe("flatten", () => {
  test("leaves are scalars, typed values and empty containers", () => {
    expect(
      flatten({ a: { b: 1, c: [true, "x"] }, t: { type: "datetime", value: "2024" }, e: {}, l: [] }),
    ).toEqual([
      { path: ["a", "b"], value: 1 },
      { path: ["a", "c", "0"], value: true },
      { path: ["a", "c", "1"], value: "x" },
      { path: ["t"], value: { type: "datetime", value: "2024" } },
      { path: ["e"], value: {} },
      { path: ["l"], value: [] },
    ]);
  });
});

describe("diffJson", () => {
  test("a toggled key is one change with its path and old/new values", () => {
    const a = { dp: { UaPort: 13000, PushOn: false, Name: "x" } };
    const b = { dp: { UaPort: 13000, PushOn: true, Name: "x" } };
    expect(diffJson(a, b)).toEqual([{ kind: "changed", path: ["dp", "PushOn"], old: false, new: true }]);
  });

  test("added and removed keys, including inside new sections", () => {
    const a = { s: { Old: 1 } };
    const b = { s: { New: 2 }, t: { Inner: { KLPRSS_Val: true, KLPRSS_Mnd: false } } };
    expect(diffJson(a, b)).toEqual([
      { kind: "added", path: ["s", "New"], new: 2 },
      { kind: "removed", path: ["s", "Old"], old: 1 },
      { kind: "added", path: ["t", "Inner", "KLPRSS_Mnd"], new: false },
      { kind: "added", path: ["t", "Inner", "KLPRSS_Val"], new: true },
    ]);
  });

  test("a typed value that changes is one change, not two", () => {
    const a = { h: { seen: { type: "datetime", value: "2024-01-01" } } };
    const b = { h: { seen: { type: "datetime", value: "2024-01-02" } } };
    expect(diffJson(a, b)).toEqual([
      {
        kind: "changed",
        path: ["h", "seen"],
        old: { type: "datetime", value: "2024-01-01" },
        new: { type: "datetime", value: "2024-01-02" },
      },
    ]);
  });

  test("a type change counts as a change; equal values do not", () => {
    expect(diffJson({ a: 1, b: "1" }, { a: "1", b: "1" })).toEqual([
      { kind: "changed", path: ["a"], old: 1, new: "1" },
    ]);
  });

  test("array elements are compared by position, numerically ordered", () => {
    const a = { l: Array.from({ length: 11 }, (_, i) => i) };
    const b = { l: Array.from({ length: 11 }, (_, i) => (i === 2 || i === 10 ? -1 : i)) };
    expect(diffJson(a, b).map((c) => c.path)).toEqual([
      ["l", "2"],
      ["l", "10"],
    ]);
  });
});

describe("snapshots", () => {
  test("only the data is compared (not the time, notes or labels)", () => {
    const a = snapshot(
      { hosts: { h1: { Keep: false } } },
      { takenAt: "a", notes: ["n"], labels: { h1: "dp" } },
    );
    const b = snapshot({ hosts: { h1: { Keep: true } } }, { takenAt: "b" });
    expect(diffSnapshots(a, b)).toEqual([
      { kind: "changed", path: ["hosts", "h1", "Keep"], old: false, new: true },
    ]);
  });

  test("the text output names the path, the values and the labelled hosts", () => {
    const text = renderChanges(
      [
        { kind: "changed", path: ["distributionPoints", "h1", "PushOn"], old: false, new: true },
        { kind: "added", path: ["hosts", "h1", "KEEP CONN"], new: true },
      ],
      plain,
      { h1: "milan-dp-01" },
    );
    expect(text).toContain("~ changed  distributionPoints.h1.PushOn");
    expect(text).toContain("false → true");
    expect(text).toContain('hosts.h1["KEEP CONN"]');
    expect(text).toContain("2 differences (1 added, 0 removed, 1 changed)");
    expect(text).toContain("h1 = milan-dp-01");
    expect(text).not.toContain("\u001b[");
    expect(renderChanges([], plain)).toBe("No differences.");
  });

  test("colours only when asked for", () => {
    const text = renderChanges([{ kind: "removed", path: ["a"], old: 1 }], makeStyle(true));
    expect(text).toContain("\u001b[31m- removed\u001b[39m");
  });

  test("JSON output keeps the path as a list and as text", () => {
    expect(changesJson([{ kind: "added", path: ["a", "b c"], new: 1 }])).toEqual({
      changes: [{ kind: "added", path: ["a", "b c"], pathText: 'a["b c"]', new: 1 }],
    });
    expect(pathText(["policies", "1", "sections", "86", "Key"])).toBe("policies.1.sections.86.Key");
  });
});

test("a host's clock attributes moving is not a change (the guided probe's steps)", () => {
  const host = (lastVisible: string, keep: boolean) => ({
    h1: { KLHST_WKS_LAST_VISIBLE: { type: "datetime", value: lastVisible }, KLHST_WKS_KEEP_CONNECTION: keep },
  });
  const a = snapshot({ hosts: host("2024-01-01T00:00:00Z", false) } as Partial<Snapshot["data"]>);
  const b = snapshot({ hosts: host("2024-01-01T00:00:07Z", false) } as Partial<Snapshot["data"]>);
  const c = snapshot({ hosts: host("2024-01-01T00:00:07Z", true) } as Partial<Snapshot["data"]>);
  expect(diffSnapshots(a, b)).toHaveLength(1);
  expect(withoutClockChanges(diffSnapshots(a, b))).toEqual([]);
  expect(withoutClockChanges(diffSnapshots(a, c)).map((x) => pathText(x.path))).toEqual([
    "hosts.h1.KLHST_WKS_KEEP_CONNECTION",
  ]);
});
