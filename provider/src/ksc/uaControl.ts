// UaControl: distribution points ("update agents") and connection gateways (docs/ksc-open-api.md#uacontrol).
import { KscParams, UaControlApi, UpdateAgentDisplayInfo } from "./api";
import { asArray, asBoolean, asParams, asString, optBoolean, optString } from "./codec";
import { Caller, IDEMPOTENT_WRITE, READ, WRITE } from "./caller";
import { DpObject } from "./dpObject";
import { KeyNames } from "./keys";

export class UaControlClient implements UaControlApi {
  constructor(
    private readonly c: Caller,
    private readonly keys: KeyNames,
  ) {}

  async getAssignUasAutomatically(): Promise<boolean> {
    const m = "UaControl.GetAssignUasAutomatically";
    const r = await this.c.call(m, {}, READ);
    return asBoolean(r.PxgRetVal, `${m} PxgRetVal`);
  }

  async setAssignUasAutomatically(enabled: boolean): Promise<void> {
    await this.c.call("UaControl.SetAssignUasAutomatically", { bEnabled: enabled }, IDEMPOTENT_WRITE);
  }

  async getDefaultUpdateAgentRegistrationInfo(): Promise<DpObject> {
    const m = "UaControl.GetDefaultUpdateAgentRegistrationInfo";
    const r = await this.c.call(m, {}, READ);
    return new DpObject(this.keys, asParams(r.pUaInfo, `${m} pUaInfo`));
  }

  /**
   * Throws if the host already is a DP (docs/ksc-open-api.md#uacontrol): not repeated on transient failures.
   */
  async registerUpdateAgent(dp: DpObject): Promise<void> {
    await this.c.call("UaControl.RegisterUpdateAgent", { pUaInfo: dp.toWire() }, WRITE);
  }

  /** Replaces the whole DP object, so repeating it gives the same result. */
  async modifyUpdateAgent(dp: DpObject): Promise<void> {
    await this.c.call("UaControl.ModifyUpdateAgent", { pUaInfo: dp.toWire() }, IDEMPOTENT_WRITE);
  }

  /** Not repeated on transient failures: a repeat after success would fail with "not found". */
  async unregisterUpdateAgent(hostId: string): Promise<void> {
    await this.c.call("UaControl.UnregisterUpdateAgent", { wstrUaHostId: hostId }, WRITE);
  }

  async getUpdateAgentInfo(hostId: string): Promise<DpObject> {
    const m = "UaControl.GetUpdateAgentInfo";
    const r = await this.c.call(m, { wstrUaHostId: hostId }, READ);
    return new DpObject(this.keys, asParams(r.pUaInfo, `${m} pUaInfo`));
  }

  async getUpdateAgentsList(): Promise<UpdateAgentDisplayInfo[]> {
    const m = "UaControl.GetUpdateAgentsList";
    const r = await this.c.call(m, {}, READ);
    return asArray(r.pUasArr, `${m} pUasArr`).map((e, i) => this.displayInfo(e, `${m} pUasArr[${i}]`));
  }

  private displayInfo(v: KscParams[string], where: string): UpdateAgentDisplayInfo {
    const p = asParams(v, where);
    const k = this.keys.dpDisplay;
    return {
      hostId: asString(p[k.hostId], `${where}.${k.hostId}`),
      displayName: optString(p[k.displayName]) ?? "",
      isConnectionGateway: optBoolean(p[k.isConnectionGateway]) ?? false,
    };
  }
}
