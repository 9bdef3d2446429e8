// Throughput of the client for one read method, with 1 call in flight and with the default number.
//
//   KSC_SERVER_URL=http://127.0.0.1:13299 KSC_USER=admin KSC_PASSWORD=… \
//     npx ts-node provider/src/ksc/bench-client.ts [--method UaControl.GetUpdateAgentsList] [--seconds 5]
//
// Works against the emulator (start it with `npm run emulator`) or a real server (KSC_CA_CERT for its CA).
// Only reads are called, so it is safe against a real server, but it does load it: ask before using production.
import { createClient, DEFAULT_MAX_IN_FLIGHT, KscClientHandle } from "./index";

const READS: Record<string, (c: KscClientHandle) => Promise<unknown>> = {
  "UaControl.GetUpdateAgentsList": (c) => c.uaControl.getUpdateAgentsList(),
  "HostGroup.GroupIdGroups": (c) => c.hostGroup.groupIdGroups(),
  "UaControl.GetAssignUasAutomatically": (c) => c.uaControl.getAssignUasAutomatically(),
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`set ${name}`);
  return v;
}

async function measure(method: string, inFlight: number, seconds: number): Promise<void> {
  const read = READS[method];
  const client = createClient({
    serverUrl: env("KSC_SERVER_URL"),
    auth: { kind: "basic", user: env("KSC_USER"), password: env("KSC_PASSWORD"), internal: true },
    caCert: process.env.KSC_CA_CERT,
    maxInFlight: inFlight,
  });
  try {
    for (let i = 0; i < 20; i++) await read(client); // login + warm connections
    const latencies: number[] = [];
    const deadline = Date.now() + seconds * 1000;
    const start = process.hrtime.bigint();
    const worker = async () => {
      while (Date.now() < deadline) {
        const t = process.hrtime.bigint();
        await read(client);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    latencies.sort((a, b) => a - b);
    const p = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(2);
    console.log(
      `${method}  in flight ${inFlight}: ${latencies.length} calls in ${elapsed.toFixed(1)} s = ` +
        `${(latencies.length / elapsed).toFixed(0)} calls/s  (latency p50 ${p(0.5)} ms, p95 ${p(0.95)} ms)`,
    );
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const method = arg("method", "UaControl.GetUpdateAgentsList");
  const seconds = Number(arg("seconds", "5"));
  if (!READS[method]) throw new Error(`--method must be one of ${Object.keys(READS).join(", ")}`);
  for (const inFlight of [1, DEFAULT_MAX_IN_FLIGHT]) await measure(method, inFlight, seconds);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
