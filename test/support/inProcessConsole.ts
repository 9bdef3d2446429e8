// The emulator's console in the test's own process, and the provider's real client on it: what the unit tests of
// the resource logic run against. Every call goes through the client (codec, session, error mapping) and the
// emulator's API entry point (its codec, sessions, errors and faults), exactly as over HTTP, without a socket.
// This file is the only place that imports both sides; the emulator knows nothing of the provider.
//
//   const ksc = testConsole();                       // the emulator's default seed
//   await dp.create(ksc.context(), inputs);
//   expect(ksc.dp(HOSTS["milan-dp-01"])?.port).toBe(13001);
import { createClient, KscClientHandle } from "../../provider/src/ksc";
import { networkError } from "../../provider/src/ksc/transport";
import type { RawReply } from "../../provider/src/ksc/transport";
import { TestContext, testContext } from "./resourceContext";
export type { TestContext } from "./resourceContext";
import { createInProcessConsole, InProcessConsole } from "../../emulator/src/inProcess";
import { isLong, isParams, KParams, KValue, long, params } from "../../emulator/src/codec";
import { DEFAULT_KEY_NAMES } from "../../emulator/src/keys";
import {
  guidFor,
  NA_PRODUCT,
  NA_VERSION,
  seedState,
  STATUS_WITH_NETWORK_AGENT,
} from "../../emulator/src/seed";
import { Policy, State } from "../../emulator/src/state";

const SERVER_URL = "http://ksc.in-process:13299";

/** A fault the console answers the next call(s) of a method with (the emulator's fault injection). */
export type Fault =
  /** a transient refusal, the call not executed */
  | "klstd1195"
  | "http500"
  | "http503"
  /** the connection is reset before the call runs */
  | "reset"
  /** the call runs, then the connection drops without a reply (a lost reply) */
  | "dropAfterApply";

export interface TestConsoleOptions {
  /**
   * Whether the console assigns distribution points automatically at the start. Default false (manual
   * assignment, as an administrator who uses distribution points has set it); the emulator's seed has it on.
   */
  assignUasAutomatically?: boolean;
  /**
   * Attempts per call in the client (its retry policy). Default 1: a fault reaches the resource logic as it is,
   * so the tests see what the resources do with it, not the client's retries.
   */
  maxAttempts?: number;
}

/** A distribution point as the console holds it (the settings the tests look at). Setters change the console. */
export interface DpView {
  readonly hostId: string;
  port: number;
  nonSslPort: number;
  customFolder: string;
  distributeUpdates: boolean;
  distributePackages: boolean;
  pushServerEnabled: boolean;
  pushServerPort: number;
  pushServerRemoteAddress: string;
  /** the ids of the groups in its scope */
  scopeGroupIds: number[];
}

/** A value in policy format: the value and its lock. */
export interface PolicyValue {
  value: unknown;
  locked: boolean;
}

/** The Network Agent's network section of a policy, as the console holds it. */
export interface NaSectionView {
  useUdpPort: PolicyValue | undefined;
  udpPorts: PolicyValue | undefined;
  forceConnectionThroughDp: PolicyValue | undefined;
  /** a variable by its name in the section */
  get(name: string): PolicyValue | undefined;
  set(name: string, v: PolicyValue): void;
  delete(name: string): void;
  /** the whole section as plain values, to compare before/after */
  snapshot(): Record<string, PolicyValue>;
}

interface Gate {
  method: string;
  arrived: () => void;
  open: Promise<void>;
}

/** Calls the client makes as part of one of its methods (login, paging through a search): left out of `calls`. */
const PLUMBING = /^(Session|ChunkAccessor)\./;

export class TestConsole {
  readonly emu: InProcessConsole;
  readonly client: KscClientHandle;
  /** The API calls the resource logic asked for, in order (login and chunk paging left out: see allCalls). */
  readonly calls: string[] = [];
  /** Every API call the client sent, in order. */
  readonly allCalls: string[] = [];
  private readonly gates: Gate[] = [];

  constructor(options: TestConsoleOptions = {}) {
    this.emu = createInProcessConsole();
    this.state.assignUasAutomatically = options.assignUasAutomatically ?? false;
    const { user, password } = this.emu.credentials;
    this.client = createClient({
      serverUrl: SERVER_URL,
      auth: { kind: "basic", user, password, internal: true },
      retry: { maxAttempts: options.maxAttempts ?? 1 },
      post: (method, body, headers, timeoutMs) => this.post(method, body, headers, timeoutMs),
    });
  }

  private async post(
    method: string,
    body: unknown,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<RawReply> {
    this.allCalls.push(method);
    if (!PLUMBING.test(method)) this.calls.push(method);
    const g = this.gates.findIndex((x) => x.method === method);
    if (g >= 0) {
      const [gate] = this.gates.splice(g, 1);
      gate.arrived();
      await gate.open;
    }
    const requestId = `req-${this.allCalls.length}`;
    const out = await this.emu.handle({
      method,
      body: JSON.stringify(body ?? {}),
      headers: { ...headers, "Content-Type": "application/json", "X-KSC-RequestId": requestId },
    });
    if (out.kind !== "reply") {
      // What the HTTP transport reports when the connection closes without an answer.
      const err = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
      throw networkError(method, this.client.server, err, timeoutMs);
    }
    return { status: out.status, body: out.body, headers: out.headers, requestId };
  }

  /** A resource context over the client (its log lines collected). */
  context(): TestContext {
    return testContext(this.client);
  }

  get state(): State {
    return this.emu.backend.state;
  }

  // ---- calls and faults ----

  count(method: string): number {
    return this.allCalls.filter((c) => c === method).length;
  }

  /** The next `times` calls of `method` get `fault` from the console. */
  fail(method: string, fault: Fault, times = 1): void {
    this.emu.faults.schedule({ method, fault, times });
  }

  /** Hold the next call of `method` before the console sees it: `reached` resolves when it arrives. */
  gate(method: string): { reached: Promise<void>; release: () => void } {
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    let release!: () => void;
    const open = new Promise<void>((r) => (release = r));
    this.gates.push({ method, arrived, open });
    return { reached, release };
  }

  // ---- what the console holds ----

  /** Settings-storage handles still open (0 after every operation that releases what it opens). */
  get openHandles(): number {
    return this.emu.backend.ssHandles.size;
  }

  get assignAutomatically(): boolean {
    return this.state.assignUasAutomatically;
  }
  set assignAutomatically(on: boolean) {
    this.state.assignUasAutomatically = on;
    this.emu.backend.touch();
  }

  /** hostId → stored DP object. */
  get dps(): Map<string, KParams> {
    return this.state.dps;
  }

  get policies(): Map<number, Policy> {
    return this.state.policies;
  }

  /** The host's flag "Do not disconnect from the Administration Server". */
  keepsConnection(hostId: string): boolean {
    const h = this.state.hosts.get(hostId);
    if (!h) throw new Error(`no host ${hostId} in the console`);
    return h.keepConnection;
  }

  /** A managed device added in the console; returns its id. */
  addHost(displayName: string, groupId: number): string {
    const hostId = guidFor(`test-host:${displayName}:${this.state.hosts.size}`);
    this.state.hosts.set(hostId, {
      hostId,
      displayName,
      groupId,
      fqdn: `${displayName}.corp.example`,
      osName: "Microsoft Windows Server 2022 Standard x64",
      ipLong: 0x0a000001,
      status: STATUS_WITH_NETWORK_AGENT,
      instanceId: guidFor(`test-instance:${hostId}`),
      nagVersion: "14.0.0.4490",
      keepConnection: false,
      created: this.emu.backend.nowIso(),
      fromUnassigned: false,
    });
    this.emu.backend.touch();
    return hostId;
  }

  /** The DP of a host as the console holds it, or undefined when the host is not a DP. */
  dp(hostId: string): DpView | undefined {
    const stored = this.state.dps.get(hostId);
    if (!stored) return undefined;
    const m = stored.map;
    const touch = (): void => this.emu.backend.touch();
    const keys = this.emu.keyNames.dp;
    const num = (k: string): number => plainNumber(m.get(k));
    const str = (k: string): string => String(m.get(k) ?? "");
    const bool = (k: string): boolean => m.get(k) === true;
    const set = (k: string, v: KValue): void => {
      m.set(k, v);
      touch();
    };
    return {
      hostId,
      get port() {
        return num("UaPort");
      },
      set port(v) {
        set("UaPort", long(v));
      },
      get nonSslPort() {
        return num("UaNonSslPort");
      },
      set nonSslPort(v) {
        set("UaNonSslPort", long(v));
      },
      get customFolder() {
        return str("UaCustomFolder");
      },
      set customFolder(v) {
        set("UaCustomFolder", v);
      },
      get distributeUpdates() {
        return bool("UaDistributeUpdates");
      },
      set distributeUpdates(v) {
        set("UaDistributeUpdates", v);
      },
      get distributePackages() {
        return bool("UaDistributePackages");
      },
      set distributePackages(v) {
        set("UaDistributePackages", v);
      },
      get pushServerEnabled() {
        return bool(keys.pushServerEnabled);
      },
      set pushServerEnabled(v) {
        set(keys.pushServerEnabled, v);
      },
      get pushServerPort() {
        return num(keys.pushServerPort);
      },
      set pushServerPort(v) {
        set(keys.pushServerPort, long(v));
      },
      get pushServerRemoteAddress() {
        return str(keys.pushServerRemoteAddress);
      },
      set pushServerRemoteAddress(v) {
        set(keys.pushServerRemoteAddress, v);
      },
      get scopeGroupIds() {
        const scope = m.get("UaScope");
        const groups = isParams(scope) ? scope.map.get("ScopeGroups") : undefined;
        return (Array.isArray(groups) ? groups : []).map((g) =>
          isParams(g) ? plainNumber(g.map.get("ScopeId")) : NaN,
        );
      },
      set scopeGroupIds(ids) {
        const scope = m.get("UaScope");
        const next = isParams(scope) ? params(scope.map) : params();
        next.map.set(
          "ScopeGroups",
          ids.map((id) => params({ ScopeId: long(id) })),
        );
        set("UaScope", next);
      },
    };
  }

  /** The Network Agent's network section of a policy, or undefined when it has none. */
  naSection(policyId: number): NaSectionView | undefined {
    const na = this.emu.keyNames.networkAgent;
    const section = this.state.policies
      .get(policyId)
      ?.storage.get(NA_PRODUCT)
      ?.get(NA_VERSION)
      ?.get(na.networkSection);
    if (!section) return undefined;
    const m = section.map;
    const get = (name: string): PolicyValue | undefined => {
      const v = m.get(name);
      if (!isParams(v)) return undefined;
      return { value: plain(v.map.get("KLPRSS_Val") ?? null), locked: v.map.get("KLPRSS_Mnd") === true };
    };
    const view: NaSectionView = {
      get useUdpPort() {
        return get(na.useUdpPort);
      },
      get udpPorts() {
        return get(na.udpPort);
      },
      get forceConnectionThroughDp() {
        return get(na.forceConnectionThroughDp);
      },
      get,
      set: (name, v) => {
        m.set(name, params({ KLPRSS_Val: toValue(v.value), KLPRSS_Mnd: v.locked }));
      },
      delete: (name) => {
        m.delete(name);
      },
      snapshot: () => Object.fromEntries([...m.keys()].map((k) => [k, get(k) as PolicyValue])),
    };
    return view;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export function testConsole(options: TestConsoleOptions = {}): TestConsole {
  return new TestConsole(options);
}

/** An int or a long as a number (the emulator checks the types of what it stores); anything else NaN. */
function plainNumber(v: KValue | undefined): number {
  if (typeof v === "number") return v;
  if (isLong(v)) return v.value;
  return NaN;
}

/** A console value as plain JS: longs as numbers, params as objects. */
function plain(v: KValue): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (isParams(v)) return Object.fromEntries([...v.map].map(([k, x]) => [k, plain(x)]));
  if (typeof v === "object" && v !== null) return v.value;
  return v;
}

/** Plain JS into a console value: integers as int, arrays and objects element by element. */
function toValue(v: unknown): KValue {
  if (Array.isArray(v)) return v.map(toValue);
  if (typeof v === "object" && v !== null) {
    return params(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toValue(x)])));
  }
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null) return v;
  throw new Error(`cannot put ${typeof v} into the console`);
}

// ---- the seed, by name: ids are the emulator's, looked up once ----

const SEED = seedState(DEFAULT_KEY_NAMES);

function groupByPath(path: string): number {
  const names = path.split("/");
  let parent: number | null = SEED.superGroupId;
  for (const name of names) {
    const found = [...SEED.groups.values()].find((g) => g.parentId === parent && g.name === name);
    if (!found) throw new Error(`no group ${path} in the emulator's seed`);
    parent = found.id;
  }
  return parent as number;
}

/** The seeded groups the tests use, by path in the emulator's default seed. */
export const GROUPS = {
  managed: groupByPath("Managed devices"),
  headOffice: groupByPath("Managed devices/Head Office"),
  servers: groupByPath("Managed devices/Head Office/Servers"),
  hqWorkstations: groupByPath("Managed devices/Head Office/Workstations"),
  milan: groupByPath("Managed devices/Branch Milan"),
  milanWorkstations: groupByPath("Managed devices/Branch Milan/Workstations"),
  rome: groupByPath("Managed devices/Branch Rome"),
  romeWorkstations: groupByPath("Managed devices/Branch Rome/Workstations"),
} as const;

/** The id of a seeded device with a unique display name. */
export function seededHost(displayName: string): string {
  const found = [...SEED.hosts.values()].filter((h) => h.displayName === displayName);
  if (found.length !== 1) throw new Error(`${found.length} seeded devices are named ${displayName}`);
  return found[0].hostId;
}

/** Seeded devices by display name (HOSTS["milan-dp-01"]); a name the seed does not hold once throws. */
export const HOSTS: Readonly<Record<string, string>> = new Proxy({} as Record<string, string>, {
  get: (_target, name) => seededHost(String(name)),
});

/** The ids of the two seeded devices named shared-name-01: one in Milan's workstations, one in Rome's. */
export const SHARED_NAME = {
  milan: [...SEED.hosts.values()].find(
    (h) => h.displayName === "shared-name-01" && h.groupId === GROUPS.milanWorkstations,
  )!.hostId,
  rome: [...SEED.hosts.values()].find(
    (h) => h.displayName === "shared-name-01" && h.groupId === GROUPS.romeWorkstations,
  )!.hostId,
};
