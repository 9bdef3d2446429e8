// The benchmark (issue 7; bench/README.md): for each estate size N and each phase — up from empty, preview and
// refresh with no change, up with 10% of inputs changed, destroy — run the real CLI on our program and on the
// floor (the same estate as no-op dynamic resources), against the emulator with a fixed latency per call, and
// record wall time, console calls by method, sessions, state and serialized-provider sizes and the provider
// process's peak memory. Writes bench/out/results.json, then the report (report.ts).
//
//   SIZES="10 100 500" LATENCY_MS=20 npx ts-node --transpile-only bench/run.ts
//   BENCH_MERGE=1 SIZES=500 …   keep the other sizes of an earlier bench/out/results.json
//   PUBLISH=1 …                 then copy the report to bench/ (REPORT.md, results.json, chart.png: committed)
//   MAX_IN_FLIGHT=8 …           the provider's calls in flight (ksc:maxInFlight; default: the client's default)
//   BENCH_PHASES="up refresh" … only these phases, in their order (the others are reported as not measured)
//   BENCH_OUT=bench/out-8 …     write to another folder than bench/out
//   BENCH_IMPLS=ksc …           pulumi-ksc only, no floor (to compare settings of ours, e.g. MAX_IN_FLIGHT)
//   BENCH_PROFILE=/tmp/pp …     also write the engine's Go CPU profiles there (pulumi --profiling)
//   BENCH_FLOOR_STATE=ksc …     the floor's resources hold as much state as ours (floor/kscState.js)
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "ksc-emulator";
import { DEFAULT_MAX_IN_FLIGHT } from "pulumi-ksc/dist/ksc";
import { newStack, parseJson, repoRoot, type TestStack } from "../tools/engine";
import { DEVICES_PER_SITE, KINDS, RESOURCES_PER_SITE, sitesFor } from "./estate";
import { PHASES, type Phase } from "./lowerBound";
import { ProcessWatcher } from "./procwatch";
import { publish, writeReport } from "./report";
import {
  keptRuns,
  parseSummary,
  type Impl,
  type PhaseResult,
  type Provenance,
  type Results,
  type SizeRun,
  type StateFigures,
} from "./figures";

const benchDir = __dirname;
const outDir = path.resolve(process.env.BENCH_OUT || path.join(benchDir, "out"));
const logDir = path.join(outDir, "logs");
const COMMAND_TIMEOUT_MS = 90 * 60 * 1000;

const PHASE_ARGS: Record<Phase, string[]> = {
  up: ["up", "--yes"],
  preview: ["preview", "--expect-no-changes"],
  refresh: ["refresh", "--yes", "--expect-no-changes"],
  update: ["up", "--yes"],
  destroy: ["destroy", "--yes"],
};

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function numbers(text: string | undefined, fallback: number[]): number[] {
  const list = (text ?? "")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < RESOURCES_PER_SITE)) {
    throw new Error(`SIZES must be whole numbers ≥ ${RESOURCES_PER_SITE}, got ${JSON.stringify(text)}`);
  }
  return list.length ? list : fallback;
}

async function control(emu: RunningEmulator, what: "counters" | "reset-counters"): Promise<unknown> {
  const res = await fetch(`${emu.url}/control/${what}`, { method: what === "counters" ? "GET" : "POST" });
  if (!res.ok) throw new Error(`emulator /control/${what}: HTTP ${res.status}`);
  return res.json();
}

/** The stack's checkpoint in its file backend (`<backend>/.pulumi/stacks/<project>/<stack>.json`). */
function stateFile(stack: TestStack): string | undefined {
  const root = path.join(stack.stateDir, ".pulumi", "stacks");
  if (!fs.existsSync(root)) return undefined;
  for (const project of fs.readdirSync(root)) {
    for (const name of [`${stack.name}.json`, `${stack.name}.json.gz`]) {
      const file = path.join(root, project, name);
      if (fs.existsSync(file)) return file;
    }
  }
  return undefined;
}

async function stateFigures(stack: TestStack): Promise<StateFigures> {
  const file = stateFile(stack);
  const exported = parseJson<{
    deployment: {
      resources?: { type: string; outputs?: Record<string, unknown>; inputs?: Record<string, unknown> }[];
    };
  }>(await stack.run(["stack", "export"]));
  const resources = (exported.deployment.resources ?? []).filter(
    (r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"),
  );
  const providers: StateFigures["providers"] = {};
  for (const r of resources) {
    const kind = KINDS.find((k) => r.type.endsWith(`:${k}`));
    if (!kind) continue;
    const copies = [r.inputs?.__provider, r.outputs?.__provider].filter((p) => p !== undefined);
    // A secret provider is stored encrypted ({ciphertext}); its length is what the state holds.
    const bytes = Math.max(0, ...copies.map((p) => (typeof p === "string" ? p : JSON.stringify(p)).length));
    const entry = (providers[kind] ??= { resources: 0, providerBytes: 0, copies: 0 });
    entry.resources++;
    entry.providerBytes = Math.max(entry.providerBytes, bytes);
    entry.copies = Math.max(entry.copies, copies.length);
  }
  return { fileBytes: file ? fs.statSync(file).size : 0, resources: resources.length, providers };
}

async function runPhase(
  emu: RunningEmulator,
  stack: TestStack,
  impl: Impl,
  n: number,
  phase: Phase,
  watcher: ProcessWatcher,
): Promise<PhaseResult> {
  if (phase === "update") await stack.setConfig("changed", "true");
  await control(emu, "reset-counters");
  watcher.start();
  const started = process.hrtime.bigint();
  // BENCH_PROFILE=<dir>: the CLI's own --profiling (Go CPU and memory profiles of the engine, for `go tool pprof`).
  const profile = process.env.BENCH_PROFILE
    ? ["--profiling", path.join(path.resolve(process.env.BENCH_PROFILE), `${n}-${impl}-${phase}`)]
    : [];
  const result = await stack.run([...PHASE_ARGS[phase], ...profile], { timeoutMs: COMMAND_TIMEOUT_MS });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const processes = watcher.stop();
  const counters = (await control(emu, "counters")) as {
    calls: Record<string, number>;
    sessionsOpened: number;
  };
  fs.writeFileSync(
    path.join(logDir, `${n}-${impl}-${phase}.log`),
    `$ ${result.command}\nexit ${result.code}, ${seconds.toFixed(1)} s\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
  );
  const calls = Object.fromEntries(Object.entries(counters.calls).sort(([a], [b]) => a.localeCompare(b)));
  const out: PhaseResult = {
    command: result.command.replace(/ --stack \S+/, ""),
    exitCode: result.code,
    seconds: Math.round(seconds * 1000) / 1000,
    load1: Math.round(os.loadavg()[0] * 100) / 100,
    summary: parseSummary(result.stdout),
    calls,
    totalCalls: Object.values(calls).reduce((a, b) => a + b, 0),
    sessionsOpened: counters.sessionsOpened,
    processes,
  };
  if (result.code !== 0) {
    out.error = (result.stderr.trim() || result.stdout.trim())
      .split("\n")
      .slice(-15)
      .join("\n")
      .slice(0, 3000);
  }
  if (phase !== "preview") out.state = await stateFigures(stack);
  const mb = (processes.provider.peakRss / 2 ** 20).toFixed(0);
  log(
    `N=${n} ${impl.padEnd(5)} ${phase.padEnd(7)} ${seconds.toFixed(1).padStart(6)} s  exit ${result.code}  ` +
      `${out.totalCalls} calls, ${out.sessionsOpened} sessions, ${processes.provider.processes} provider ` +
      `processes (peak ${mb} MB)  ${JSON.stringify(out.summary)}`,
  );
  return out;
}

async function runSize(
  n: number,
  latencyMs: number,
  maxInFlight: number,
  watcher: ProcessWatcher,
  provenance: Provenance,
): Promise<SizeRun[]> {
  const sites = sitesFor(n);
  const resources = sites * RESOURCES_PER_SITE;
  log(
    `N=${resources}: ${sites} sites, emulator with ${sites * DEVICES_PER_SITE} devices and ${latencyMs} ms per call`,
  );
  const emu = await startEmulator({
    port: 0,
    tls: false,
    seed: { sites, devicesPerSite: DEVICES_PER_SITE },
    latencyMs,
  });
  const runs: Record<Impl, SizeRun> = {
    floor: { n: resources, sites, impl: "floor", phases: {}, provenance },
    ksc: { n: resources, sites, impl: "ksc", phases: {}, provenance },
  };
  const stacks: Partial<Record<Impl, TestStack>> = {};
  try {
    const floorConfig: Record<string, string> = { sites: String(sites) };
    if (process.env.BENCH_FLOOR_STATE === "ksc") floorConfig.kscState = "true";
    stacks.floor = await newStack(path.join(benchDir, "floor"), { config: floorConfig });
    stacks.ksc = await newStack(path.join(benchDir, "program"), {
      config: {
        sites: String(sites),
        "ksc:serverUrl": emu.url,
        "ksc:user": emu.credentials.user,
        "ksc:password": { value: emu.credentials.password, secret: true },
        "ksc:maxInFlight": String(maxInFlight),
      },
    });
    // Floor and ours alternate phase by phase, so a slow spell of the (shared) machine hits both alike.
    for (const phase of phasesToRun()) {
      for (const impl of implsToRun()) {
        runs[impl].phases[phase] = await runPhase(emu, stacks[impl]!, impl, resources, phase, watcher);
      }
    }
  } finally {
    for (const stack of Object.values(stacks)) {
      await stack.dispose().catch((err: unknown) => log(`cleaning up ${stack.name}: ${String(err)}`));
    }
    await emu.stop();
  }
  return [runs.floor, runs.ksc];
}

/** BENCH_IMPLS: "ksc" alone, or both (the default). */
function implsToRun(): Impl[] {
  return process.env.BENCH_IMPLS === "ksc" ? ["ksc"] : ["floor", "ksc"];
}

/** BENCH_PHASES, in the order of PHASES (all of them by default). */
function phasesToRun(): Phase[] {
  const asked = (process.env.BENCH_PHASES ?? "").split(/[\s,]+/).filter(Boolean);
  const unknown = asked.filter((p) => !(PHASES as string[]).includes(p));
  if (unknown.length)
    throw new Error(`BENCH_PHASES: unknown phase(s) ${unknown.join(", ")}; phases: ${PHASES.join(", ")}`);
  return asked.length ? PHASES.filter((p) => asked.includes(p)) : PHASES;
}

/** The CLI's default --parallel, as its help prints it; when the help shows none, 8, said to be a fallback. */
function engineParallel(): Pick<Provenance, "engineParallel" | "engineParallelFrom"> {
  const help = execFileSync(path.join(repoRoot, "bin", "pulumi"), ["up", "--help"], { encoding: "utf8" });
  const shown = /--parallel int32.*\(default (\d+)\)/.exec(help)?.[1];
  if (shown) return { engineParallel: Number(shown), engineParallelFrom: "cli-help" };
  log("`pulumi up --help` shows no default for --parallel: 8 assumed (the report says so)");
  return { engineParallel: 8, engineParallelFrom: "fallback" };
}

/** The commit measured, and whether the working tree differs from it (then the figures are of uncommitted code). */
function sourceOf(): Pick<Provenance, "commit" | "dirty"> {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repoRoot, encoding: "utf8" }).trim();
  try {
    return { commit: git("rev-parse", "HEAD"), dirty: git("status", "--porcelain") !== "" };
  } catch {
    log("not a git checkout: the report cannot name the commit measured");
    return {};
  }
}

async function main(): Promise<void> {
  const sizes = numbers(process.env.SIZES, [10, 100, 500]);
  const latencyMs = Number(process.env.LATENCY_MS ?? 20);
  if (!(latencyMs >= 0)) throw new Error(`LATENCY_MS must be a number ≥ 0, got ${process.env.LATENCY_MS}`);
  const maxInFlight = Number(process.env.MAX_IN_FLIGHT || DEFAULT_MAX_IN_FLIGHT);
  if (!(Number.isInteger(maxInFlight) && maxInFlight >= 1)) {
    throw new Error(`MAX_IN_FLIGHT must be a whole number ≥ 1, got ${process.env.MAX_IN_FLIGHT}`);
  }
  fs.mkdirSync(logDir, { recursive: true });
  const resultsFile = path.join(outDir, "results.json");

  const parallel = engineParallel();
  const provenance: Provenance = {
    generatedAt: new Date().toISOString(),
    ...sourceOf(),
    ...parallel,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      memoryGB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      pulumi: execFileSync(path.join(repoRoot, "bin", "pulumi"), ["version"], { encoding: "utf8" }).trim(),
      loadBefore: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
  };
  const results: Results = {
    generatedAt: provenance.generatedAt,
    settings: {
      latencyMs,
      sizes: [],
      callsInFlight: maxInFlight,
      ...parallel,
      devicesPerSite: DEVICES_PER_SITE,
    },
    machine: provenance.machine,
    runs: [],
  };
  if (process.env.BENCH_MERGE === "1" && fs.existsSync(resultsFile)) {
    const earlier = JSON.parse(fs.readFileSync(resultsFile, "utf8")) as Results;
    if (earlier.settings.latencyMs !== latencyMs) {
      throw new Error(
        `BENCH_MERGE: ${resultsFile} was measured with ${earlier.settings.latencyMs} ms per call`,
      );
    }
    if (earlier.settings.callsInFlight !== maxInFlight) {
      throw new Error(
        `BENCH_MERGE: ${resultsFile} was measured with ${earlier.settings.callsInFlight} calls in flight`,
      );
    }
    // The sizes not measured again keep their own date, machine and commit.
    results.runs = keptRuns(
      earlier,
      sizes.map((n) => sitesFor(n) * RESOURCES_PER_SITE),
    );
  }

  const watcher = new ProcessWatcher();
  for (const n of sizes) {
    results.runs.push(...(await runSize(n, latencyMs, maxInFlight, watcher, provenance)));
    results.runs.sort((a, b) => a.n - b.n || a.impl.localeCompare(b.impl));
    results.settings.sizes = [...new Set(results.runs.map((r) => r.n))];
    fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + "\n");
    await writeReport(outDir);
  }
  log(
    `results: ${path.relative(repoRoot, resultsFile)}; report: ${path.relative(repoRoot, path.join(outDir, "REPORT.md"))}`,
  );
  if (process.env.PUBLISH === "1") {
    await publish(outDir);
    log("published: bench/REPORT.md, bench/results.json, bench/chart.png");
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}
