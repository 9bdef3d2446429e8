// The emulated console in the test's own process, without sockets: each call is handed to the same API entry
// point the HTTP server uses (ApiServer.call), so codec, sessions, errors, faults and counters behave exactly as
// over HTTP. Unit tests of the provider put its real client on it (through a small adapter in their own test
// code); the emulator itself knows nothing of the provider.
//
//   const ksc = createInProcessConsole();
//   const out = await ksc.handle({ method: "Session.StartSession", body: "{}", headers: { authorization: … } });
import { Backend } from "./backend";
import { createCore } from "./core";
import { FaultConfig, FaultInjector } from "./faults";
import { KeyNames, resolveKeyNames } from "./keys";
import { SeedOption } from "./seed";
import { ApiConnection, EmulatorCounters, renderReply } from "./server";

export interface InProcessOptions {
  seed?: SeedOption;
  /** names of the undocumented keys (the same overrides a key-names file holds); default: the built-in names */
  keyNames?: unknown;
  user?: string;
  password?: string;
  faults?: FaultConfig;
  /** the clock of every lifetime (default Date.now) */
  now?: () => number;
  log?: (line: string) => void;
}

/** One call: `method` is [Instance.]Class.Method, `headers` as a client sends them (any case). */
export interface InProcessRequest {
  method: string;
  body: string;
  headers: Record<string, string>;
  /** what carries the call (a `login` session ends when it closes); default: one connection for the console */
  connection?: InProcessConnection;
}

/** What the client gets: an HTTP answer, or none (reset before the call ran, dropped after it ran). */
export type InProcessReply =
  | { kind: "reply"; status: number; body: string; headers: Record<string, string> }
  | { kind: "reset" }
  | { kind: "drop" };

export interface InProcessConnection {
  close(): void;
}

export interface InProcessConsole {
  handle(request: InProcessRequest): Promise<InProcessReply>;
  /** a connection of its own (sessions opened with `login` are bound to it) */
  connect(): InProcessConnection;
  /** the console's state (backend.state) and short-lived objects, for assertions and for changes "in the console" */
  readonly backend: Backend;
  readonly keyNames: KeyNames;
  readonly faults: FaultInjector;
  credentials: { user: string; password: string; internal: true };
  /** replace the fault configuration (as POST /control/faults) */
  setFaults(config: FaultConfig): void;
  counters(): EmulatorCounters;
  resetCounters(): void;
  /** end every session (as POST /control/expire-sessions) */
  expireSessions(): number;
}

class Connection implements InProcessConnection {
  private readonly listeners: (() => void)[] = [];
  readonly api: ApiConnection = { key: this, onClose: (l) => this.listeners.push(l) };
  close(): void {
    for (const l of this.listeners.splice(0)) l();
  }
}

export function createInProcessConsole(options: InProcessOptions = {}): InProcessConsole {
  const { names: keys } = resolveKeyNames(options.keyNames ?? {});
  const { backend, sessions, faults, api, credentials } = createCore({
    keys,
    seed: options.seed ?? "default",
    user: options.user,
    password: options.password,
    now: options.now,
    log: options.log,
  });
  api.applyFaults(options.faults ?? {});
  const shared = new Connection();
  return {
    backend,
    keyNames: keys,
    faults,
    credentials,
    connect: () => new Connection(),
    handle: async (request) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
      const connection = request.connection instanceof Connection ? request.connection : shared;
      const outcome = await api.call({
        name: request.method,
        headers,
        body: Buffer.from(request.body, "utf8"),
        connection: connection.api,
      });
      if (outcome.kind !== "reply") return outcome;
      const rendered = renderReply(outcome.reply, headers);
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(rendered.headers)) out[k.toLowerCase()] = v;
      return { kind: "reply", status: outcome.reply.status, body: rendered.text, headers: out };
    },
    setFaults: (config) => api.applyFaults(config),
    counters: () => api.counters(),
    resetCounters: () => api.resetCounters(),
    expireSessions: () => sessions.expireAll(),
  };
}
