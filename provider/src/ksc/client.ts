// The whole client as the resources see it: the API classes (./api.ts) and the typed views over them. Kept apart
// from api.ts because the views (./inventory.ts, ./networkAgent.ts) are built on those API interfaces.
import type {
  HostGroupApi,
  PolicyApi,
  PolicySettingsApi,
  SessionApi,
  SsContentsApi,
  UaControlApi,
} from "./api";
import type { InventoryApi } from "./inventory";
import type { KeyNames } from "./keys";
import type { NetworkAgentApi } from "./networkAgent";

export interface KscClient {
  /** The KSC key names this client uses (keys.ts, with a server's overrides): their one holder. */
  readonly keyNames: KeyNames;
  readonly session: SessionApi;
  readonly uaControl: UaControlApi;
  readonly hostGroup: HostGroupApi;
  /** Devices and groups, typed (over hostGroup). */
  readonly inventory: InventoryApi;
  readonly policy: PolicyApi;
  readonly ssContents: SsContentsApi;
  readonly policySettings: PolicySettingsApi;
  /** The Network Agent policy's settings, typed (over policy and policySettings). */
  readonly networkAgent: NetworkAgentApi;
  /** Ends the session; the client can no longer be used. */
  close(): Promise<void>;
}
