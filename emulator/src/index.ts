// ksc-emulator: a local Kaspersky Security Center Open API, for examples, tests and benchmarks.
//   const emu = await startEmulator({ port: 0, tls: false });  …  await emu.stop();
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { ensureCertificate } from "./cert";
import { createCore } from "./core";
import { FaultConfig } from "./faults";
import { KeyNames, loadKeyNames } from "./keys";
import { seedState, SeedOption } from "./seed";
import { EmulatorCounters } from "./server";
import { deserializeState, State, writeStateAtomically } from "./state";
import { statusText } from "./status";

export type { FaultConfig, TransientKind } from "./faults";
export type { KeyNames } from "./keys";
export {
  DEFAULT_KEY_NAMES,
  DEFAULT_KEYS,
  DEFAULT_NETWORK_AGENT_UDP_PORTS,
  PROPOSED_SERVES_HOST_AS_PUSH_SERVER,
} from "./keys";
export type { SeedOption } from "./seed";
export type { EmulatorCounters } from "./server";
export type { StatusReport } from "./status";

export { DEFAULT_PASSWORD, DEFAULT_USER } from "./core";
export { createInProcessConsole } from "./inProcess";
export type { InProcessConsole, InProcessOptions, InProcessReply, InProcessRequest } from "./inProcess";

export interface EmulatorOptions {
  /** 0 = a random free port */
  port?: number;
  /** listen address (default 127.0.0.1) */
  host?: string;
  /** true = HTTPS with a self-signed certificate (emu.caFile is the CA) */
  tls?: boolean;
  /** where cert/CA files go (default for TLS: a temp dir of its own, removed on stop) */
  dataDir?: string;
  /** persist state here (atomically) and load it on start if present */
  stateFile?: string;
  /** ignore an existing state file and start from the seed */
  reseed?: boolean;
  seed?: SeedOption;
  latencyMs?: number;
  faults?: FaultConfig;
  sessionTtlSeconds?: number;
  /** alternative names for the undocumented keys (standing in for a real server whose names differ) */
  keyNamesFile?: string;
  user?: string;
  password?: string;
  /** consecutive bad passwords that lock the account (default 5) */
  lockoutThreshold?: number;
  /** how long a locked account stays locked (default 300 s) */
  lockoutSeconds?: number;
  /** lines for a person (warnings); default: nothing */
  log?: (line: string) => void;
  /**
   * The clock of every lifetime (sessions, tokens, lockouts, accessors, settings handles) and of CURTIME in
   * filters, in ms since the epoch (default Date.now). Tests pass a clock they move by hand.
   */
  now?: () => number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  caFile: string | undefined;
  credentials: { user: string; password: string; internal: true };
  stateFile: string | undefined;
  /** where the certificate files are (undefined for plain HTTP without a dataDir) */
  dataDir: string | undefined;
  keyNames: KeyNames;
  /** replace the fault configuration (same as POST /control/faults) */
  setFaults(config: FaultConfig): void;
  /** an administrator changes the account's password (same as POST /control/set-password) */
  setPassword(password: string): void;
  /** calls per method, sessions opened, logins accepted and refused, faults injected (GET /control/counters) */
  counters(): EmulatorCounters;
  /** the status page as text */
  statusText(): string;
  /** write the state file now (it is also written shortly after every change) */
  flush(): void;
  stop(): Promise<void>;
}

const SAVE_DELAY_MS = 20;

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const log = options.log ?? (() => undefined);
  const { names: keys, ignored } = loadKeyNames(options.keyNamesFile);
  if (ignored.length)
    log(`key-names file: the emulator only renames proposed keys; ignored ${ignored.join(", ")}`);
  const keysTag = JSON.stringify(keys);
  const seed = options.seed ?? "default";

  let state: State;
  const stateFile = options.stateFile ? path.resolve(options.stateFile) : undefined;
  if (stateFile && !options.reseed && fs.existsSync(stateFile)) {
    state = deserializeState(fs.readFileSync(stateFile, "utf8"));
    if (state.keyNamesTag !== keysTag) {
      log(`state file ${stateFile} was written with other key names; stored settings keep their old names`);
    }
  } else {
    state = seedState(keys, seed);
  }

  let url = "";
  const { backend, sessions, api, credentials } = createCore({
    keys,
    seed,
    state,
    user: options.user,
    password: options.password,
    lockoutThreshold: options.lockoutThreshold,
    lockoutSeconds: options.lockoutSeconds,
    now: options.now,
    onMutate: () => scheduleSave(),
    url: () => url,
    log,
  });

  // Persistence: coalesce bursts of changes into one atomic write shortly after.
  let saveTimer: NodeJS.Timeout | undefined;
  const save = (): void => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (stateFile) writeStateAtomically(stateFile, backend.state);
  };
  const scheduleSave = (): void => {
    if (!stateFile || saveTimer) return;
    saveTimer = setTimeout(() => {
      try {
        save();
      } catch (err) {
        log(`emulator: cannot write ${stateFile}: ${(err as Error).message}`);
      }
    }, SAVE_DELAY_MS);
  };
  if (stateFile) {
    fs.mkdirSync(path.dirname(stateFile), { recursive: true });
    save();
  }

  api.applyFaults({
    ...(options.faults ?? {}),
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
    ...(options.sessionTtlSeconds !== undefined ? { sessionTtlSeconds: options.sessionTtlSeconds } : {}),
  });

  // Without a dataDir, a TLS emulator keeps its certificate in a temp dir of its own, removed on stop.
  const ownTempDir = options.tls && !options.dataDir;
  const dataDir = options.dataDir
    ? path.resolve(options.dataDir)
    : ownTempDir
      ? fs.mkdtempSync(path.join(os.tmpdir(), "ksc-emulator-"))
      : undefined;
  let caFile: string | undefined;
  let server: http.Server | https.Server;
  if (options.tls && dataDir) {
    const cert = ensureCertificate(dataDir);
    caFile = cert.caFile;
    server = https.createServer(
      { cert: fs.readFileSync(cert.certFile), key: fs.readFileSync(cert.keyFile), minVersion: "TLSv1.2" },
      api.handle,
    );
  } else {
    server = http.createServer(api.handle);
  }
  // Style-A sessions live as long as their connection: keep idle connections open a good while.
  server.keepAliveTimeout = 10 * 60 * 1000;
  server.headersTimeout = 10 * 60 * 1000 + 1000;
  server.requestTimeout = 0;

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  url = `${options.tls ? "https" : "http"}://${host}:${port}`;

  let stopped = false;
  return {
    url,
    port,
    caFile,
    credentials,
    stateFile,
    dataDir,
    keyNames: keys,
    setFaults: (config) => api.applyFaults(config),
    setPassword: (password) => {
      sessions.setPassword(credentials.user, password);
      credentials.password = password;
    },
    counters: () => api.counters(),
    statusText: () => statusText(api.report()),
    flush: save,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      save();
      if (ownTempDir && dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
