// Calls in flight (issue 16): how long creating and reading the benchmark estate takes with the client's
// maxInFlight at 4, 8 and 16, at 20 ms and 100 ms per call. The engine runs 8 resource operations at once
// (`--parallel`); this drives pulumi-ksc's resource logic the same way (a pool of 8 operations, each resource
// after the ones it depends on, as in bench/program) against the emulator, without the engine, so that the
// figures show the client's limit rather than the machine's load. Writes bench/out/inflight.json and prints a
// table (docs/performance.md, "Calls in flight").
//
//   npx ts-node --transpile-only bench/inflight.ts          (SITES=20, i.e. N=100; ENGINE_PARALLEL=8)
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "ksc-emulator";
import { createClient } from "pulumi-ksc/dist/ksc";
import { resolveKeyNames } from "pulumi-ksc/dist/ksc/keys";
import type { ResourceContext } from "pulumi-ksc/dist/resources/common";
import * as dp from "pulumi-ksc/dist/resources/distributionPoint";
import { GroupDirectory } from "pulumi-ksc/dist/resources/groups";
import * as na from "pulumi-ksc/dist/resources/networkAgentPolicy";
import * as ps from "pulumi-ksc/dist/resources/pushServer";
import { ProcessState } from "pulumi-ksc/dist/resources/state";
import { DEVICES_PER_SITE, estate } from "./estate";

interface Job {
  deps: Job[];
  run: () => Promise<unknown>;
  done?: Promise<unknown>;
}

/** Runs every job after its dependencies, at most `parallel` at once (as the engine does). */
async function pool(jobs: Job[], parallel: number): Promise<void> {
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    if (running >= parallel) await new Promise<void>((r) => waiting.push(r));
    running++;
  };
  const free = () => {
    running--;
    waiting.shift()?.();
  };
  const start = (j: Job): Promise<unknown> =>
    (j.done ??= (async () => {
      await Promise.all(j.deps.map(start));
      await slot();
      try {
        return await j.run();
      } finally {
        free();
      }
    })());
  await Promise.all(jobs.map(start));
}

interface Figure {
  latencyMs: number;
  maxInFlight: number;
  createSeconds: number;
  readSeconds: number;
  peakInFlight: number;
  calls: number;
}

async function measure(
  sites: number,
  latencyMs: number,
  maxInFlight: number,
  parallel: number,
): Promise<Figure> {
  const emu = await startEmulator({
    port: 0,
    tls: false,
    seed: { sites, devicesPerSite: DEVICES_PER_SITE },
    latencyMs,
  });
  const keys = resolveKeyNames({});
  const context = (): ResourceContext & { close: () => Promise<void>; peak: () => number } => {
    const client = createClient({
      serverUrl: emu.url,
      auth: { kind: "basic", user: emu.credentials.user, password: emu.credentials.password },
      keyNames: keys,
      maxInFlight,
    });
    return {
      client,
      groups: new GroupDirectory(client),
      state: new ProcessState(),
      log: () => undefined,
      close: () => client.close(),
      peak: () => client.stats().peakInFlight,
    };
  };
  try {
    // Up: every resource created, each after what it depends on (push server after its DP, policy after both).
    const up = context();
    const created: { kind: "dp" | "ps" | "na"; id: string; outs: unknown }[] = [];
    const jobs: Job[] = [];
    for (const site of estate(sites, false)) {
      const pushes: Job[] = site.dps.map((spec, d) => {
        let hostId = "";
        const dpJob: Job = {
          deps: [],
          run: async () => {
            const inputs = dp.check({}, { deviceName: spec.device, scopeGroups: [site.group] }).inputs;
            const r = await dp.create(up, inputs);
            hostId = r.id;
            created.push({ kind: "dp", id: r.id, outs: r.outs });
          },
        };
        jobs.push(dpJob);
        return {
          deps: [dpJob],
          run: async () => {
            const inputs = ps.check({}, { hostId, port: site.pushServers[d].port }).inputs;
            const r = await ps.create(up, inputs);
            created.push({ kind: "ps", id: r.id, outs: r.outs });
          },
        };
      });
      jobs.push(...pushes, {
        deps: pushes,
        run: async () => {
          const inputs = na.check(
            {},
            {
              group: site.group,
              name: site.policy.displayName,
              forceConnectionThroughDp: { value: true, locked: true },
              useUdpPort: { value: site.policy.useUdpPort, locked: false },
            },
          ).inputs;
          const r = await na.create(up, inputs);
          created.push({ kind: "na", id: r.id, outs: r.outs });
        },
      });
    }
    let started = process.hrtime.bigint();
    await pool(jobs, parallel);
    const createSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peakUp = up.peak();
    await up.close();

    // One refresh pass: a new provider process (context) reads every resource.
    const reader = context();
    const reads: Job[] = created.map((c) => ({
      deps: [],
      run: () =>
        c.kind === "dp"
          ? dp.read(reader, c.id, c.outs as Parameters<typeof dp.read>[2])
          : c.kind === "ps"
            ? ps.read(reader, c.id, c.outs as Parameters<typeof ps.read>[2])
            : na.read(reader, c.id, c.outs as Parameters<typeof na.read>[2]),
    }));
    started = process.hrtime.bigint();
    await pool(reads, parallel);
    const readSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peak = Math.max(peakUp, reader.peak());
    await reader.close();
    const counters = (await (await fetch(`${emu.url}/control/counters`)).json()) as {
      calls: Record<string, number>;
    };
    return {
      latencyMs,
      maxInFlight,
      createSeconds: Math.round(createSeconds * 100) / 100,
      readSeconds: Math.round(readSeconds * 100) / 100,
      peakInFlight: peak,
      calls: Object.values(counters.calls).reduce((a, b) => a + b, 0),
    };
  } finally {
    await emu.stop();
  }
}

async function main(): Promise<void> {
  const sites = Number(process.env.SITES ?? 20);
  const parallel = Number(process.env.ENGINE_PARALLEL ?? 8);
  const figures: Figure[] = [];
  for (const latencyMs of [20, 100]) {
    for (const maxInFlight of [4, 8, 16]) {
      const f = await measure(sites, latencyMs, maxInFlight, parallel);
      figures.push(f);
      process.stderr.write(`[inflight] ${JSON.stringify(f)}\n`);
    }
  }
  const lines = [
    `N=${sites * 5} (${sites} sites), ${parallel} operations at once, ${new Date().toISOString().slice(0, 16)} UTC`,
    "",
    "| Latency | Calls in flight | Create all, s | Read all (one pass), s | Most in flight seen | Calls |",
    "|---:|---:|---:|---:|---:|---:|",
    ...figures.map(
      (f) =>
        `| ${f.latencyMs} ms | ${f.maxInFlight} | ${f.createSeconds} | ${f.readSeconds} | ${f.peakInFlight} | ${f.calls} |`,
    ),
  ];
  const out = path.join(__dirname, "out");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, "inflight.json"),
    JSON.stringify({ sites, parallel, figures }, null, 2) + "\n",
  );
  process.stdout.write(lines.join("\n") + "\n");
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
