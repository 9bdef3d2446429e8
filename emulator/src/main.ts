#!/usr/bin/env node
// ksc-emulator command: start the emulator in the foreground until SIGINT/SIGTERM.
import * as path from "path";
import { FaultConfig, startEmulator } from "./index";

const USAGE = `usage: ksc-emulator [options]
  --port N                   listen port (default 13299, like a real server; 0 = random)
  --host ADDR                listen address (default 127.0.0.1)
  --http                     plain HTTP instead of HTTPS
  --data-dir DIR             where the certificate and CA go (default ./.emulator)
  --state-file FILE          keep state in FILE across restarts (default: fresh state every start)
  --reseed                   ignore an existing state file and start from the seed
  --seed-sites N --seed-devices-per-site M   seed a larger estate (N sites x M devices)
  --latency-ms N             add N ms to every API call
  --fault-rate R             probability 0..1 of a transient error (HTTP 500/503, KLSTD 1195)
  --reset-rate R             probability of a connection reset
  --drop-rate R              probability of "apply the change, then drop the response"
  --fault-seed N             seed of the fault sequence
  --session-ttl N            sessions expire N seconds after opening
  --key-names-file FILE      alternative names for the undocumented keys
Environment: KSC_EMU_PORT, KSC_EMU_LATENCY_MS, KSC_EMU_FAULT_RATE, KSC_EMU_RESET_RATE, KSC_EMU_DROP_RATE,
KSC_EMU_FAULT_SEED, KSC_EMU_SESSION_TTL, KSC_EMU_STATE_FILE, KSC_EMU_KEY_NAMES_FILE (flags win).`;

function fail(msg: string): never {
  process.stderr.write(`ksc-emulator: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function parse(argv: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  const boolFlags = new Set(["http", "reseed", "help"]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) fail(`unexpected argument ${a}`);
    const eq = a.indexOf("=");
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (boolFlags.has(name)) {
      out.set(name, true);
    } else if (eq >= 0) {
      out.set(name, a.slice(eq + 1));
    } else {
      if (i + 1 >= argv.length) fail(`--${name} needs a value`);
      out.set(name, argv[++i]);
    }
  }
  return out;
}

function num(flags: Map<string, string | true>, name: string, env: string): number | undefined {
  const raw = flags.get(name) ?? process.env[env];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (raw === true || !Number.isFinite(n)) fail(`--${name} must be a number`);
  return n;
}

async function main(): Promise<void> {
  const flags = parse(process.argv.slice(2));
  if (flags.has("help")) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const known = new Set([
    "port",
    "host",
    "http",
    "data-dir",
    "state-file",
    "reseed",
    "seed-sites",
    "seed-devices-per-site",
    "latency-ms",
    "fault-rate",
    "reset-rate",
    "drop-rate",
    "fault-seed",
    "session-ttl",
    "key-names-file",
    "help",
  ]);
  for (const k of flags.keys()) if (!known.has(k)) fail(`unknown option --${k}`);

  const sites = num(flags, "seed-sites", "KSC_EMU_SEED_SITES");
  const perSite = num(flags, "seed-devices-per-site", "KSC_EMU_SEED_DEVICES_PER_SITE");
  if ((sites === undefined) !== (perSite === undefined))
    fail("--seed-sites and --seed-devices-per-site go together");
  const faults: FaultConfig = {};
  const errorRate = num(flags, "fault-rate", "KSC_EMU_FAULT_RATE");
  const resetRate = num(flags, "reset-rate", "KSC_EMU_RESET_RATE");
  const dropRate = num(flags, "drop-rate", "KSC_EMU_DROP_RATE");
  const seed = num(flags, "fault-seed", "KSC_EMU_FAULT_SEED");
  if (errorRate !== undefined) faults.errorRate = errorRate;
  if (resetRate !== undefined) faults.resetRate = resetRate;
  if (dropRate !== undefined) faults.dropAfterApplyRate = dropRate;
  if (seed !== undefined) faults.seed = seed;

  const str = (name: string, env: string): string | undefined => {
    const v = flags.get(name) ?? process.env[env];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const emu = await startEmulator({
    port: num(flags, "port", "KSC_EMU_PORT") ?? 13299,
    host: str("host", "KSC_EMU_HOST"),
    tls: !flags.has("http"),
    dataDir: str("data-dir", "KSC_EMU_DATA_DIR") ?? path.resolve(".emulator"),
    stateFile: str("state-file", "KSC_EMU_STATE_FILE"),
    reseed: flags.has("reseed"),
    seed: sites !== undefined && perSite !== undefined ? { sites, devicesPerSite: perSite } : "default",
    latencyMs: num(flags, "latency-ms", "KSC_EMU_LATENCY_MS"),
    sessionTtlSeconds: num(flags, "session-ttl", "KSC_EMU_SESSION_TTL"),
    faults,
    keyNamesFile: str("key-names-file", "KSC_EMU_KEY_NAMES_FILE"),
    log: (line) => process.stderr.write(`${line}\n`),
  });

  const out = [
    `KSC console emulator listening on ${emu.url}`,
    `  login:    user "${emu.credentials.user}", password "${emu.credentials.password}", internal (KSCBasic internal="1")`,
    emu.caFile ? `  CA file:  ${emu.caFile}` : "  plain HTTP (no TLS)",
    `  state:    ${emu.stateFile ?? "in memory (fresh state every start)"}`,
    `  status:   ${emu.url}/status`,
    "Press Ctrl+C to stop.",
  ];
  process.stdout.write(`${out.join("\n")}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`ksc-emulator: ${signal}, stopping\n`);
    emu.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`ksc-emulator: stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => {
  process.stderr.write(`ksc-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
