// Peak memory and CPU of the processes a Pulumi command starts, read from /proc while they run (Linux only).
//
// Why a poller and not a wrapper: the engine starts the dynamic-provider plugin itself (a `sh` script running
// `node …/@pulumi/pulumi/cmd/dynamic-provider`) and stops it with a signal, so an exit hook inside it is not
// reliable, and a PATH-first shim would change what runs. VmHWM ("high water mark") is the kernel's own peak
// resident set size, so sampling it every 50 ms loses at most the growth of the last 50 ms before exit.
// Only descendants of this process are watched: other people's Pulumi runs on the machine are not counted.
import * as fs from "fs";

export type Role = "provider" | "program" | "engine" | "other";

export interface ProcessSample {
  pid: number;
  role: Role;
  /** Peak resident set size (VmHWM), bytes. */
  peakRss: number;
  /** User + system CPU time, seconds. */
  cpuSeconds: number;
}

export interface RoleSummary {
  processes: number;
  /** The largest peak RSS of one process of this role, bytes. */
  peakRss: number;
  /** CPU seconds of all processes of this role. */
  cpuSeconds: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function classify(cmdline: string): Role {
  const args = cmdline.split("\0");
  // The plugin script first runs `node -e "…require.resolve('…/cmd/dynamic-provider')"`: not the provider.
  if (!args.includes("-e") && args.some((a) => /cmd\/dynamic-provider(\/index\.js)?$/.test(a)))
    return "provider";
  if (cmdline.includes("@pulumi/pulumi/cmd/run")) return "program";
  const argv0 = args[0] ?? "";
  if (argv0 === "pulumi" || argv0.endsWith("/pulumi")) return "engine";
  return "other";
}

export class ProcessWatcher {
  private readonly mine = new Set<number>([process.pid]);
  private readonly notMine = new Set<string>();
  private readonly samples = new Map<string, ProcessSample>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly intervalMs = 50) {}

  start(): void {
    this.samples.clear();
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  /** Stops watching and summarises, per role, what was seen since start(). */
  stop(): Record<Role, RoleSummary> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const out = {} as Record<Role, RoleSummary>;
    for (const role of ["provider", "program", "engine", "other"] as Role[]) {
      const of = [...this.samples.values()].filter((s) => s.role === role);
      out[role] = {
        processes: of.length,
        peakRss: Math.max(0, ...of.map((s) => s.peakRss)),
        cpuSeconds: of.reduce((a, s) => a + s.cpuSeconds, 0),
      };
    }
    return out;
  }

  private tick(): void {
    let pids: number[];
    try {
      pids = fs
        .readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d))
        .map(Number)
        .sort((a, b) => a - b);
    } catch {
      return;
    }
    const present = new Set(pids);
    // Parents usually have smaller pids; repeat until no new descendant turns up. Processes that are not
    // ours are remembered with their start time, so a recycled pid is looked at again.
    for (let grew = true; grew; ) {
      grew = false;
      for (const pid of pids) {
        if (this.mine.has(pid)) continue;
        const stat = statFields(pid);
        if (!stat) continue;
        const key = `${pid}:${stat[19]}`;
        if (this.notMine.has(key)) continue;
        const ppid = Number(stat[1]);
        if (this.mine.has(ppid)) {
          this.mine.add(pid);
          grew = true;
        } else if (!present.has(ppid) || ppid <= 1 || !this.mightBeMine(ppid)) {
          this.notMine.add(key);
        }
      }
    }
    for (const pid of this.mine) {
      if (pid === process.pid) continue;
      const status = read(`/proc/${pid}/status`);
      const stat = statFields(pid);
      const cmdline = read(`/proc/${pid}/cmdline`);
      if (!status || !stat || cmdline === undefined) {
        this.mine.delete(pid); // exited; its last sample stays
        continue;
      }
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      const cpu = (Number(stat[11]) + Number(stat[12])) / CLOCK_TICKS;
      const key = `${pid}:${stat[19]}`;
      // A freshly forked child shows its parent's command line until it execs: classify on every sample.
      const role = classify(cmdline);
      const prev = this.samples.get(key);
      this.samples.set(key, {
        pid,
        role: prev && prev.role !== "other" && role === "other" ? prev.role : role,
        peakRss: Math.max(prev?.peakRss ?? 0, hwm ? Number(hwm[1]) * 1024 : 0),
        cpuSeconds: Math.max(prev?.cpuSeconds ?? 0, cpu),
      });
    }
  }

  /** A process is not ours when its parent is known not to be ours. */
  private mightBeMine(pid: number): boolean {
    const stat = statFields(pid);
    return !stat || !this.notMine.has(`${pid}:${stat[19]}`);
  }
}

/** The fields of /proc/<pid>/stat after the command name: [0] state, [1] ppid, [11] utime, [12] stime, [19] start time. */
function statFields(pid: number): string[] | undefined {
  const stat = read(`/proc/${pid}/stat`);
  return stat ? stat.slice(stat.lastIndexOf(")") + 2).split(" ") : undefined;
}
