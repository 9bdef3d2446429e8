// Before/after table of two benchmark runs (e.g. before and after a fix), for a change note:
//   npx ts-node --transpile-only bench/compare.ts before/results.json after/results.json > comparison.md
import * as fs from "fs";
import { PHASES } from "./lowerBound";
import { operationCalls } from "./report";
import type { Results } from "./figures";

const NAMES: Record<string, string> = {
  up: "up from empty",
  preview: "preview, no change",
  refresh: "refresh, no change",
  update: "up, 10% changed",
  destroy: "destroy",
};

export function compare(before: Results, after: Results): string {
  const lines = [
    `Latency ${after.settings.latencyMs} ms per call. Time as a ratio to the floor of the same run (the machine is shared, the ratio moves less than seconds do).`,
    "",
    "| N | Phase | Calls before | Calls after | Seconds before (× floor) | Seconds after (× floor) | Provider peak MB before / after |",
    "|---:|---|---:|---:|---:|---:|---:|",
  ];
  const sizes = [...new Set(after.runs.map((r) => r.n))].filter((n) => before.runs.some((r) => r.n === n));
  for (const n of sizes.sort((a, b) => a - b)) {
    const get = (res: Results, impl: "ksc" | "floor") => res.runs.find((r) => r.n === n && r.impl === impl);
    const [b, bf, a, af] = [get(before, "ksc"), get(before, "floor"), get(after, "ksc"), get(after, "floor")];
    for (const phase of PHASES) {
      const pb = b?.phases[phase];
      const pa = a?.phases[phase];
      const fb = bf?.phases[phase];
      const fa = af?.phases[phase];
      if (!pb || !pa || !fb || !fa) continue;
      const t = (p: typeof pb, f: typeof fb) =>
        `${p.seconds.toFixed(1)} (${(p.seconds / f.seconds).toFixed(2)}×)`;
      const mb = (p: typeof pb) => (p.processes.provider.peakRss / 2 ** 20).toFixed(0);
      lines.push(
        `| ${n} | ${NAMES[phase]} | ${operationCalls(pb)} | ${operationCalls(pa)} | ${t(pb, fb)} | ${t(pa, fa)} | ${mb(pb)} / ${mb(pa)} |`,
      );
    }
  }
  return lines.join("\n");
}

if (require.main === module) {
  const [beforeFile, afterFile] = process.argv.slice(2);
  if (!beforeFile || !afterFile) {
    console.error("usage: compare.ts <before/results.json> <after/results.json>");
    process.exit(2);
  }
  const read = (f: string) => JSON.parse(fs.readFileSync(f, "utf8")) as Results;
  console.log(compare(read(beforeFile), read(afterFile)));
}
