// The DP object: `pUaInfo` of UaControl (GetUpdateAgentInfo, RegisterUpdateAgent, ModifyUpdateAgent), typed.
// ModifyUpdateAgent replaces the whole object, so a writer reads it, changes only its own fields with the with…()
// methods (each returns a changed copy) and writes the whole object back: keys this class does not know (other
// resources' fields, what a server adds) round-trip untouched. The key names come from keys.ts; nothing above this
// layer sees them.
import { KeyNames } from "./keys";
import {
  KscLong,
  KscParams,
  cloneParams,
  isParams,
  kscBoolean,
  kscNumber,
  kscParamsArray,
  kscString,
} from "./values";

/** The DP settings DistributionPoint owns, named as its schema properties. */
export type DpSettingName =
  | "port"
  | "nonSslPort"
  | "multicastAddress"
  | "distributeUpdates"
  | "distributePackages"
  | "customFolder"
  | "connectionGateway"
  | "gatewayRemoteAddress"
  | "gatewayServerInitiatesConnection";

export type DpSettingKind = "port" | "string" | "boolean";
export type DpSettingValue = string | number | boolean;

/** Each setting: its name, its kind on the wire, and its logical key in keys.ts (group `dp`). */
const SETTINGS: readonly { name: DpSettingName; kind: DpSettingKind; key: keyof KeyNames["dp"] }[] = [
  { name: "port", kind: "port", key: "port" },
  { name: "nonSslPort", kind: "port", key: "nonSslPort" },
  { name: "multicastAddress", kind: "string", key: "multicastAddress" },
  { name: "distributeUpdates", kind: "boolean", key: "distributeUpdates" },
  { name: "distributePackages", kind: "boolean", key: "distributePackages" },
  { name: "customFolder", kind: "string", key: "customFolder" },
  { name: "connectionGateway", kind: "boolean", key: "isConnectionGateway" },
  { name: "gatewayRemoteAddress", kind: "string", key: "gatewayRemoteAddress" },
  { name: "gatewayServerInitiatesConnection", kind: "boolean", key: "gatewayServerInitiatesConnection" },
];

/** The DP settings DistributionPoint owns, in a fixed order, with their kind. */
export const DP_SETTINGS: readonly { name: DpSettingName; kind: DpSettingKind }[] = SETTINGS.map(
  ({ name, kind }) => ({ name, kind }),
);

export interface PushServerSettings {
  enabled: boolean;
  port?: number;
  remoteAddress: string;
}

/** The TCP ports the DP itself listens on, by the DistributionPoint property that sets them. */
export interface DpPorts {
  port?: number;
  nonSslPort?: number;
}

/** An entry of the DP's scope: a group or an NLA network, by id (the name when the server gives one). */
export interface DpScopeEntry {
  id: number;
  name?: string;
}

export interface DpScope {
  groups: DpScopeEntry[];
  nlaNetworks: DpScopeEntry[];
}

export class DpObject {
  /** `info` is the decoded `pUaInfo`; it is copied, so the object never changes under its holder. */
  constructor(
    private readonly keys: KeyNames,
    info: KscParams,
  ) {
    this.info = cloneParams(info);
  }

  private readonly info: KscParams;

  /** The whole object as sent to the server (a copy). For the client's UaControl calls and test doubles. */
  toWire(): KscParams {
    return cloneParams(this.info);
  }

  get hostId(): string | undefined {
    return kscString(this.info[this.keys.dp.hostId]);
  }

  /** The DP's display name as the DP object holds it; undefined when absent or empty. */
  get displayName(): string | undefined {
    return kscString(this.info[this.keys.dp.displayName]) || undefined;
  }

  get pushServer(): PushServerSettings {
    const dp = this.keys.dp;
    return {
      enabled: kscBoolean(this.info[dp.pushServerEnabled]) ?? false,
      port: kscNumber(this.info[dp.pushServerPort]),
      remoteAddress: kscString(this.info[dp.pushServerRemoteAddress]) ?? "",
    };
  }

  /**
   * The push-server key names the object does not hold. A server lists every setting a DP has (with defaults), so
   * a missing one means the name is not this server's (docs/ksc-key-names.md).
   */
  missingPushServerKeys(): string[] {
    const dp = this.keys.dp;
    return [dp.pushServerEnabled, dp.pushServerPort].filter((k) => !(k in this.info));
  }

  get ports(): DpPorts {
    return {
      port: kscNumber(this.info[this.keys.dp.port]),
      nonSslPort: kscNumber(this.info[this.keys.dp.nonSslPort]),
    };
  }

  /** A setting as the object holds it; undefined when the server does not return it (or with another type). */
  setting(name: DpSettingName): DpSettingValue | undefined {
    const s = SETTINGS.find((x) => x.name === name)!;
    const v = this.info[this.keys.dp[s.key]];
    return s.kind === "port" ? kscNumber(v) : s.kind === "boolean" ? kscBoolean(v) : kscString(v);
  }

  get scope(): DpScope {
    const s = this.keys.scope;
    const scope = this.info[this.keys.dp.scope];
    const entries = (name: string): DpScopeEntry[] =>
      isParams(scope)
        ? kscParamsArray(scope[name]).flatMap((e) => {
            const id = kscNumber(e[s.id]);
            const entryName = kscString(e[s.name]) || undefined;
            if (id === undefined) return [];
            return [entryName === undefined ? { id } : { id, name: entryName }];
          })
        : [];
    return { groups: entries(s.groups), nlaNetworks: entries(s.nlaNetworks) };
  }

  withHostId(hostId: string): DpObject {
    return this.with((info) => {
      info[this.keys.dp.hostId] = hostId;
    });
  }

  /** The push server on, with its port (a long on the wire) and remote address; or off, its settings kept. */
  withPushServer(
    push: { enabled: true; port: number; remoteAddress: string } | { enabled: false },
  ): DpObject {
    const dp = this.keys.dp;
    return this.with((info) => {
      info[dp.pushServerEnabled] = push.enabled;
      if (!push.enabled) return;
      info[dp.pushServerPort] = new KscLong(push.port);
      info[dp.pushServerRemoteAddress] = push.remoteAddress;
    });
  }

  /**
   * DistributionPoint's settings and the scope, by group and NLA network ids. The scope is written in full
   * (ModifyUpdateAgent replaces it); its other keys are kept.
   */
  withSettings(
    settings: Record<DpSettingName, DpSettingValue>,
    scope: { groups: number[]; nlaNetworks: number[] },
  ): DpObject {
    const k = this.keys;
    return this.with((info) => {
      for (const s of SETTINGS) {
        const v = settings[s.name];
        info[k.dp[s.key]] = s.kind === "port" ? new KscLong(v as number) : v;
      }
      const previous = info[k.dp.scope];
      const next: KscParams = isParams(previous) ? previous : {};
      const ids = (list: number[]) => list.map((id) => ({ [k.scope.id]: new KscLong(id) }));
      next[k.scope.groups] = ids(scope.groups);
      next[k.scope.nlaNetworks] = ids(scope.nlaNetworks);
      info[k.dp.scope] = next;
    });
  }

  private with(change: (info: KscParams) => void): DpObject {
    const next = new DpObject(this.keys, this.info);
    change(next.info);
    return next;
  }
}

/**
 * The one port rule between a DP and its push server: which of the DP's own ports (by the DistributionPoint
 * property that sets it) is `pushPort`, if any.
 */
export function clashingDpPort(ports: DpPorts, pushPort: number): "port" | "nonSslPort" | undefined {
  if (ports.port === pushPort) return "port";
  if (ports.nonSslPort === pushPort) return "nonSslPort";
  return undefined;
}
