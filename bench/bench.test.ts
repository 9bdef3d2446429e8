// The benchmark's own logic: the estate's 10% change, the lower bound, the CLI summary, the PNG writer; the
// published report is the renderer's output of the published figures; each size keeps its provenance.
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { census, estate } from "./estate";
import { phaseLowerBound } from "./lowerBound";
import { Raster } from "./png";
import { keptRuns, parseSummary, type Provenance, type Results, type SizeRun } from "./figures";
import { renderReport } from "./report";

describe("estate", () => {
  test("5 resources per site, and the changed variant changes one resource in ten, every kind in turn", () => {
    const { total, changed } = census(100);
    expect(total).toEqual({ DistributionPoint: 200, PushServer: 200, NetworkAgentPolicy: 100 });
    expect(changed).toEqual({ DistributionPoint: 20, PushServer: 20, NetworkAgentPolicy: 10 });
  });

  test("names match the emulator's large seed", () => {
    const [first] = estate(1, false);
    expect(first.group).toBe("Managed devices/Site 001");
    expect(first.dps.map((d) => d.device)).toEqual(["site001-dp-01", "site001-dp-02"]);
  });
});

describe("lower bound", () => {
  test("per operation, weighted by the estate", () => {
    const per = (phase: Parameters<typeof phaseLowerBound>[0]) => {
      const lb = phaseLowerBound(phase, 100);
      return lb.calls / lb.operations;
    };
    expect(per("up")).toBeCloseTo(2.4); // a policy's section is read before it is written; its lookup is shared
    expect(per("refresh")).toBeCloseTo(1.0); // a DP object read once for its DistributionPoint and PushServer
    expect(phaseLowerBound("refresh", 100).operations).toBe(1000); // two passes over 500 resources
    expect(per("update")).toBeCloseTo(2.6);
    expect(per("destroy")).toBeCloseTo(1.4);
    expect(phaseLowerBound("preview", 100)).toEqual({ calls: 0, operations: 0 });
  });
});

describe("CLI summary", () => {
  test("reads the last Resources block", () => {
    const stdout = [
      "Resources:",
      "    + 11 to create",
      "",
      "Updating (dev):",
      "Resources:",
      "    + 10 created",
      "    ~ 2 updated",
      "    1 unchanged",
      "",
      "Duration: 3s",
    ].join("\n");
    expect(parseSummary(stdout)).toEqual({ created: 10, updated: 2, unchanged: 1 });
    expect(parseSummary("no summary")).toEqual({});
  });
});

describe("PNG", () => {
  test("a valid PNG whose pixels are the raster's", () => {
    const img = new Raster(3, 2, [255, 255, 255]);
    img.set(1, 0, [10, 20, 30]);
    const png = img.png();
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(3); // IHDR width
    expect(png.readUInt32BE(20)).toBe(2); // IHDR height
    const idatAt = png.indexOf("IDAT");
    const raw = zlib.inflateSync(png.subarray(idatAt + 4, idatAt + 4 + png.readUInt32BE(idatAt - 4)));
    expect(raw.length).toBe((3 * 3 + 1) * 2);
    expect([...raw.subarray(1 + 3, 1 + 6)]).toEqual([10, 20, 30]);
    expect([...raw.subarray(1, 4)]).toEqual([255, 255, 255]);
  });
});

describe("the published report", () => {
  const read = (f: string) => fs.readFileSync(path.join(__dirname, f));
  const published = JSON.parse(read("results.json").toString("utf8")) as Results;

  test("bench/REPORT.md and chart.png are what the renderer makes of bench/results.json", () => {
    const { markdown, chart } = renderReport(published);
    // (After a change of the renderer: npx ts-node --transpile-only bench/report.ts --published)
    expect(read("REPORT.md").toString("utf8")).toBe(markdown + "\n");
    expect(read("chart.png").equals(chart)).toBe(true);
  });
});

describe("provenance", () => {
  const machine = { cpus: 2, cpuModel: "cpu", memoryGB: 8, node: "v20", pulumi: "v3", loadBefore: [1, 1, 1] };
  const run = (n: number, impl: "ksc" | "floor", provenance?: Provenance): SizeRun => ({
    n,
    sites: n / 5,
    impl,
    phases: {},
    ...(provenance ? { provenance } : {}),
  });
  const earlier: Results = {
    generatedAt: "2026-01-01T10:00:00.000Z",
    settings: { latencyMs: 20, sizes: [10, 100], callsInFlight: 4, engineParallel: 8, devicesPerSite: 10 },
    machine,
    runs: [run(10, "floor"), run(10, "ksc"), run(100, "floor"), run(100, "ksc")],
  };
  const fresh: Provenance = {
    generatedAt: "2026-02-02T20:00:00.000Z",
    commit: "0123456789abcdef0123456789abcdef01234567",
    dirty: true,
    engineParallel: 8,
    engineParallelFrom: "fallback",
    machine: { ...machine, cpus: 4 },
  };

  test("BENCH_MERGE: the sizes not measured again keep the date, machine and commit they were measured with", () => {
    const kept = keptRuns(earlier, [100]);
    expect(kept.map((r) => `${r.n} ${r.impl}`)).toEqual(["10 floor", "10 ksc"]);
    expect(kept.every((r) => r.provenance?.generatedAt === earlier.generatedAt)).toBe(true);
    expect(kept[0].provenance).toEqual({
      generatedAt: earlier.generatedAt,
      engineParallel: 8,
      engineParallelFrom: undefined,
      machine,
    });
  });

  test("the report gives each size its own header, the commit, a dirty tree and a fallback --parallel", () => {
    const merged: Results = {
      ...earlier,
      generatedAt: fresh.generatedAt,
      machine: fresh.machine,
      runs: [...keptRuns(earlier, [100]), run(100, "floor", fresh), run(100, "ksc", fresh)],
    };
    const measured = renderReport(merged)
      .markdown.split("\n")
      .filter((l) => /^(N = [\d, ]+: measured|Measured) /.test(l));
    expect(measured).toHaveLength(2);
    expect(measured[0]).toMatch(/^N = 10: measured 2026-01-01 10:00 UTC, commit not recorded .* on 2 × cpu/);
    expect(measured[0]).toMatch(/--parallel 8` \(the CLI's default as the run took it; .*not recorded\)/);
    expect(measured[1]).toMatch(
      /^N = 100: measured 2026-02-02 20:00 UTC, at commit `0123456789ab` \*\*with uncommitted changes\*\* .* on 4 × cpu/,
    );
    expect(measured[1]).toMatch(/--parallel 8` \(\*\*assumed\*\*: the CLI's help showed no default/);
    const clean = { ...fresh, dirty: false, engineParallelFrom: "cli-help" as const };
    const one = renderReport({ ...merged, runs: [run(100, "floor", clean), run(100, "ksc", clean)] });
    expect(one.markdown).toMatch(
      /^Measured 2026-02-02 20:00 UTC, at commit `0123456789ab`, on .*`--parallel 8` \(the CLI's default, from its help\)\.$/m,
    );
  });
});
