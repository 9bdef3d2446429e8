// The emulated console without its HTTP listener: state, models, handlers, faults and the API entry point
// (ApiServer.call). startEmulator (index.ts) puts an HTTP server in front of it; createInProcessConsole
// (inProcess.ts) hands calls to it directly, for tests that need no sockets.
import { Backend } from "./backend";
import { FaultInjector } from "./faults";
import { classHandlers } from "./handlers";
import { Models } from "./handlers/models";
import { KeyNames } from "./keys";
import { ChunkAccessorModel } from "./models/chunkAccessor";
import { HostGroupModel } from "./models/hostGroup";
import { PolicyModel } from "./models/policy";
import { SessionModel } from "./models/session";
import { SsContentsModel } from "./models/ssContents";
import { UaControlModel } from "./models/uaControl";
import { seedState, SeedOption } from "./seed";
import { ApiServer } from "./server";
import { State } from "./state";

export const DEFAULT_USER = "admin";
export const DEFAULT_PASSWORD = "KscEmulator-Pa55";

export interface CoreOptions {
  keys: KeyNames;
  seed: SeedOption;
  /** the state to start from (default: the seed) */
  state?: State;
  user?: string;
  password?: string;
  lockoutThreshold?: number;
  lockoutSeconds?: number;
  now?: () => number;
  /** called after a call, or a reseed, that may have changed persistent state */
  onMutate?: () => void;
  url?: () => string;
  log?: (line: string) => void;
}

export interface Core {
  /** the account's credentials (an administrator may change the password: setPassword) */
  credentials: { user: string; password: string; internal: true };
  backend: Backend;
  sessions: SessionModel;
  faults: FaultInjector;
  api: ApiServer;
}

export function createCore(o: CoreOptions): Core {
  const onMutate = o.onMutate ?? (() => undefined);
  const backend = new Backend(o.state ?? seedState(o.keys, o.seed), o.keys, o.now);
  const sessions = new SessionModel({
    user: o.user ?? DEFAULT_USER,
    password: o.password ?? DEFAULT_PASSWORD,
    lockoutThreshold: o.lockoutThreshold ?? 5,
    lockoutSeconds: o.lockoutSeconds ?? 300,
    tokenLifetimeSeconds: 180,
    now: () => backend.now(),
  });
  const chunks = new ChunkAccessorModel(backend);
  const models: Models = {
    sessions,
    chunks,
    hostGroup: new HostGroupModel(backend, chunks),
    uaControl: new UaControlModel(backend),
    policy: new PolicyModel(backend),
    ssContents: new SsContentsModel(backend),
  };
  const faults = new FaultInjector();
  const api = new ApiServer({
    backend,
    models,
    faults,
    handlers: classHandlers(models),
    onMutate,
    reseed: () => {
      backend.state = seedState(o.keys, o.seed);
      backend.accessors.clear();
      backend.ssHandles.clear();
      backend.touch();
      sessions.unlockAll();
      onMutate();
    },
    url: o.url ?? (() => ""),
    user: () => o.user ?? DEFAULT_USER,
    log: o.log ?? (() => undefined),
  });
  const credentials = {
    user: o.user ?? DEFAULT_USER,
    password: o.password ?? DEFAULT_PASSWORD,
    internal: true as const,
  };
  return { credentials, backend, sessions, faults, api };
}
