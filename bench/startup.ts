// Time to first preview (issue 16): how long `pulumi preview` takes when the program is started
//   - "type check": ts-node compiles the TypeScript and type-checks it (the default of `typescript: true`),
//   - "transpile only": ts-node compiles without type checking (tsconfig `noCheck`, or PULUMI_NODEJS_TRANSPILE_ONLY),
//   - "precompiled JS": `tsc` compiled the program beforehand and Pulumi runs JavaScript (`typescript: false`),
// for a program with no resources (bench/startup/empty: the engine and a program starting, nothing else) and for
// the examples, against the emulator (no added latency). Writes bench/out/startup.json and startup.md;
// PUBLISH=1 copies startup.md to bench/STARTUP.md.
//
//   npx ts-node --transpile-only bench/startup.ts          (REPEAT=3 runs per program and mode; the median counts)
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "ksc-emulator";
import { newStack, repoRoot, type ConfigValue } from "../tools/engine";
import { ProcessWatcher } from "./procwatch";

const outDir = path.join(__dirname, "out");
const MODES = ["type check", "transpile only", "precompiled JS"] as const;
type Mode = (typeof MODES)[number];

interface Program {
  name: string;
  dir: string;
  /** Files the program is made of (compiled for "precompiled JS"). */
  entry: string;
  needsConsole: boolean;
}

const PROGRAMS: Program[] = [
  {
    name: "no resources",
    dir: path.join(__dirname, "startup", "empty"),
    entry: "index.ts",
    needsConsole: false,
  },
  {
    name: "examples/push-server-basic",
    dir: path.join(repoRoot, "examples", "push-server-basic"),
    entry: "index.ts",
    needsConsole: true,
  },
  {
    name: "examples/multi-site",
    dir: path.join(repoRoot, "examples", "multi-site"),
    entry: "index.ts",
    needsConsole: true,
  },
];

export interface StartupFigure {
  program: string;
  mode: Mode;
  /** Wall time of each `pulumi preview`, seconds. */
  seconds: number[];
  median: number;
  /** CPU seconds of the program process (median run). */
  programCpu: number;
  exitCodes: number[];
}

function median(list: number[]): number {
  const s = [...list].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The program compiled to JavaScript in its own project folder (`typescript: false`), beside bench/out. */
function precompiled(p: Program): string {
  const dir = path.join(outDir, "startup", path.basename(p.dir));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const tsc = path.join(repoRoot, "node_modules", ".bin", "tsc");
  execFileSync(tsc, [
    ...["-p", path.join(p.dir, "tsconfig.json"), "--noEmit", "false", "--outDir", dir],
    ...["--rootDir", p.dir, "--declaration", "false", "--sourceMap", "false"],
  ]);
  const project = fs.readFileSync(path.join(p.dir, "Pulumi.yaml"), "utf8");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), project.replace("typescript: true", "typescript: false"));
  return dir;
}

async function main(): Promise<void> {
  const repeat = Number(process.env.REPEAT ?? 3);
  fs.mkdirSync(outDir, { recursive: true });
  const emu = await startEmulator({ port: 0, tls: false });
  const watcher = new ProcessWatcher();
  const figures: StartupFigure[] = [];
  try {
    for (const p of PROGRAMS) {
      const config: Record<string, string | ConfigValue> = p.needsConsole
        ? {
            "ksc:serverUrl": emu.url,
            "ksc:user": emu.credentials.user,
            "ksc:password": { value: emu.credentials.password, secret: true },
          }
        : {};
      for (const mode of MODES) {
        const dir = mode === "precompiled JS" ? precompiled(p) : p.dir;
        const env = { PULUMI_NODEJS_TRANSPILE_ONLY: mode === "transpile only" ? "true" : "false" };
        const stack = await newStack(dir, { config, env });
        const runs: { seconds: number; cpu: number; code: number }[] = [];
        try {
          for (let i = 0; i < repeat; i++) {
            watcher.start();
            const started = process.hrtime.bigint();
            const r = await stack.run(["preview"]);
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            const procs = watcher.stop();
            if (r.code !== 0)
              process.stderr.write(`${p.name} (${mode}): exit ${r.code}\n${r.stderr.slice(-2000)}\n`);
            runs.push({ seconds, cpu: procs.program.cpuSeconds, code: r.code });
          }
        } finally {
          await stack.dispose();
        }
        const mid = median(runs.map((r) => r.seconds));
        const f: StartupFigure = {
          program: p.name,
          mode,
          seconds: runs.map((r) => Math.round(r.seconds * 100) / 100),
          median: Math.round(mid * 100) / 100,
          programCpu: Math.round((runs.find((r) => r.seconds === mid)?.cpu ?? 0) * 100) / 100,
          exitCodes: runs.map((r) => r.code),
        };
        figures.push(f);
        process.stderr.write(
          `[startup] ${p.name.padEnd(28)} ${mode.padEnd(15)} ${f.median} s (${f.seconds.join(", ")})\n`,
        );
      }
    }
  } finally {
    await emu.stop();
  }
  const measured = {
    generatedAt: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, Node ${process.version}`,
    loadBefore: os.loadavg().map((l) => Math.round(l * 100) / 100),
    repeat,
    figures,
  };
  fs.writeFileSync(path.join(outDir, "startup.json"), JSON.stringify(measured, null, 2) + "\n");
  fs.writeFileSync(path.join(outDir, "startup.md"), renderStartup(measured));
  if (process.env.PUBLISH === "1") {
    fs.copyFileSync(path.join(outDir, "startup.md"), path.join(__dirname, "STARTUP.md"));
    fs.copyFileSync(path.join(outDir, "startup.json"), path.join(__dirname, "startup.json"));
  }
}

export function renderStartup(m: {
  generatedAt: string;
  machine: string;
  loadBefore: number[];
  repeat: number;
  figures: StartupFigure[];
}): string {
  const lines = [
    "# Time to first preview",
    "",
    `Measured ${m.generatedAt.slice(0, 16).replace("T", " ")} UTC on ${m.machine} (load average before: ${m.loadBefore.join(", ")}); ` +
      `\`npx ts-node --transpile-only bench/startup.ts\`. Each figure is the median of ${m.repeat} runs of \`pulumi preview\` ` +
      "(CLI, engine, program and provider, against the emulator without added latency; all runs in brackets), and the " +
      "CPU time of the program process in that run. How the program is started: **type check** = `typescript: true` " +
      "as ts-node does it by default; **transpile only** = ts-node without type checking (`PULUMI_NODEJS_TRANSPILE_ONLY=true`, " +
      "or `noCheck` in the tsconfig Pulumi uses); **precompiled JS** = `tsc` beforehand, `typescript: false`.",
    "",
    "| Program | Start | Preview, s | Runs, s | Program CPU, s |",
    "|---|---|---:|---|---:|",
  ];
  for (const f of m.figures) {
    const failed = f.exitCodes.some((c) => c !== 0) ? ` (exit ${f.exitCodes.join("/")})` : "";
    lines.push(
      `| ${f.program} | ${f.mode} | ${f.median}${failed} | ${f.seconds.join(", ")} | ${f.programCpu} |`,
    );
  }
  return lines.join("\n") + "\n";
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
