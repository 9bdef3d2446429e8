// The KSC Open API client: createClient(config) → KscClient (client.ts). No Pulumi here.
//
//   const ksc = createClient({ serverUrl: "https://ksc.corp:13299", auth: { kind: "basic", user, password } });
//   const dps = await ksc.uaControl.getUpdateAgentsList();
//   await ksc.close();
//
// One client = one session, shared by all its calls; up to maxInFlight calls run at once, the rest wait.
import { KscParams, KscValue } from "./api";
import { KscClient } from "./client";
import { CallOptions } from "./caller";
import { KscConnection } from "./connection";
import { HostGroupClient } from "./hostGroup";
import { Inventory } from "./inventory";
import { KeyNames, resolveKeyNames } from "./keys";
import { NetworkAgentSettings } from "./networkAgent";
import { PolicyClient } from "./policy";
import { PolicySettingsClient } from "./policySettings";
import { RetryOptions } from "./retry";
import { KscAuth, SessionClient } from "./session";
import { SsContentsClient } from "./ssContents";
import { Logger, PostFunction } from "./transport";
import { UaControlClient } from "./uaControl";

export * from "./api";
export type { KscClient } from "./client";
export { DpObject, DP_SETTINGS, clashingDpPort } from "./dpObject";
export { Inventory } from "./inventory";
export type { Host, HostField, HostInfo, InventoryApi } from "./inventory";
export { NA_SETTINGS, NetworkAgentSettings } from "./networkAgent";
export type { Locked, NaSettingName, NaSettings, NetworkAgentApi } from "./networkAgent";
export type {
  DpPorts,
  DpScope,
  DpScopeEntry,
  DpSettingName,
  DpSettingValue,
  PushServerSettings,
} from "./dpObject";
export {
  KscClientError,
  KscError,
  KscHttpError,
  KscNetworkError,
  KscAuthError,
  KscProtocolError,
  KeyNameError,
  isNotFound,
  isAccessDenied,
  isTransient,
  shouldRetry,
  describeCode,
} from "./errors";
export type { PxgError, NetworkFailure } from "./errors";
export { FilterError, renderFilter, quoteFilterString, eq } from "./filter";
export {
  DEFAULT_KEYS,
  defaultKeys,
  loadKeyNames,
  resolveKeyNames,
  proposedKeys,
  unconfirmedKeys,
} from "./keys";
export type { DefaultKey, KeyEntry, KeyNames, KeyNameOverrides, KeyStatus } from "./keys";
export type { KscAuth } from "./session";
export type { Logger, PostFunction, RawReply } from "./transport";
export type { RetryOptions } from "./retry";
export type { CallOptions } from "./caller";
export { CA_HINT } from "./transport";

export interface KscClientConfig {
  /** e.g. https://ksc.example.com:13299 */
  serverUrl: string;
  auth: KscAuth;
  /** Virtual server name; sent base64-encoded in X-KSC-VServer. Empty/absent = the main server. */
  virtualServer?: string;
  /** CA certificate of the server: PEM text or a path to a PEM file. */
  caCert?: string;
  /** Skip TLS certificate verification. Only when explicitly set; logs a warning. */
  insecureSkipVerify?: boolean;
  /** Per-call HTTP timeout. Default 60 000 ms. */
  timeoutMs?: number;
  /** Calls in flight at once (= connections). Default 8 (docs/performance.md, "Calls in flight"). */
  maxInFlight?: number;
  retry?: { maxAttempts?: number; maxElapsedMs?: number; baseDelayMs?: number };
  /** Key names (resolved from keys.ts, possibly with a user's overrides). Default: the built-in table. */
  keyNames?: KeyNames;
  /** Receives each call's method and duration at debug level; never credentials or session ids. */
  logger?: Logger;
  /** Carries the calls instead of HTTP: for tests that run the emulator in-process. */
  post?: PostFunction;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_IN_FLIGHT = 8;

/** The client as created: the KscClient interface plus the raw call and a few diagnostics. */
export interface KscClientHandle extends KscClient {
  readonly uaControl: UaControlClient;
  readonly hostGroup: HostGroupClient;
  readonly policy: PolicyClient;
  readonly ssContents: SsContentsClient;
  readonly policySettings: PolicySettingsClient;
  readonly session: SessionClient;
  readonly keyNames: KeyNames;
  /** The server as shown in messages (scheme, host, port). */
  readonly server: string;
  /** Any Open API method. `idempotent: true` for reads and for writes that are safe to repeat. */
  call(method: string, args: Record<string, KscValue | undefined>, opts: CallOptions): Promise<KscParams>;
  /** Session.StartSession requests sent so far, and the most HTTP requests seen in flight at once. */
  stats(): { loginAttempts: number; peakInFlight: number; sessionOpen: boolean };
}

export function createClient(config: KscClientConfig): KscClientHandle {
  const logger: Logger = config.logger ?? (() => undefined);
  const maxInFlight = config.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new Error("timeoutMs must be a positive number of milliseconds");
  const retry: RetryOptions = { ...config.retry };
  const conn = new KscConnection({
    serverUrl: config.serverUrl,
    auth: config.auth,
    virtualServer: config.virtualServer,
    caCert: config.caCert,
    insecureSkipVerify: config.insecureSkipVerify === true,
    timeoutMs,
    maxInFlight,
    retry,
    logger,
    post: config.post,
  });
  const keys = config.keyNames ?? resolveKeyNames({});
  const caller = { call: conn.call.bind(conn) };
  const policy = new PolicyClient(caller, keys);
  const ssContents = new SsContentsClient(caller);
  const hostGroup = new HostGroupClient(caller, keys, logger);
  const policySettings = new PolicySettingsClient(policy, ssContents, logger);
  return {
    session: new SessionClient(conn.session),
    uaControl: new UaControlClient(caller, keys),
    hostGroup,
    inventory: new Inventory(hostGroup, keys),
    policy,
    ssContents,
    policySettings,
    networkAgent: new NetworkAgentSettings(policy, policySettings, keys),
    keyNames: keys,
    server: conn.server,
    call: caller.call,
    stats: () => ({
      loginAttempts: conn.session.loginAttempts,
      peakInFlight: conn.peakInFlight,
      sessionOpen: conn.session.isOpen,
    }),
    close: () => conn.close(),
  };
}
