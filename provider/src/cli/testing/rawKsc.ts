// Raw Open API calls for tests that act as "the administrator in the console": plain fetch and hand-written wire
// JSON, never the client's codec, so what the CLI reads back is checked against the wire format itself.

export type Wire = null | boolean | number | string | Wire[] | { [key: string]: Wire };

export const long = (value: number): Wire => ({ type: "long", value });
export const params = (value: { [key: string]: Wire }): Wire => ({ type: "params", value });
export const policyValue = (value: Wire, locked: boolean): Wire =>
  params({ KLPRSS_Val: value, KLPRSS_Mnd: locked });

export class RawKsc {
  private constructor(
    private readonly url: string,
    private readonly session: string,
  ) {}

  static async login(url: string, user: string, password: string): Promise<RawKsc> {
    const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
    const res = await fetch(`${url}/api/v1.0/Session.StartSession`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: `KSCBasic user="${b64(user)}", pass="${b64(password)}", internal="1"`,
        "X-KSC-VServer": "",
      },
      body: "{}",
    });
    const body = (await res.json()) as { PxgRetVal?: unknown };
    if (typeof body.PxgRetVal !== "string")
      throw new Error(`StartSession failed: ${res.status} ${JSON.stringify(body)}`);
    return new RawKsc(url, body.PxgRetVal);
  }

  /** One call; throws on an HTTP error or a PxgError reply. */
  async call(method: string, body: { [key: string]: Wire } = {}): Promise<{ [key: string]: Wire }> {
    const res = await fetch(`${this.url}/api/v1.0/${method}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-KSC-Session": this.session },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    const json = (text ? JSON.parse(text) : {}) as { [key: string]: Wire };
    if (res.status !== 200 || "PxgError" in json) throw new Error(`${method} failed: ${res.status} ${text}`);
    return json;
  }

  async end(): Promise<void> {
    await this.call("Session.EndSession").catch(() => undefined);
  }

  // ---- what an administrator does in the console ----

  /** Host id of the device with this display name. */
  async hostId(displayName: string): Promise<string> {
    const find = await this.call("HostGroup.FindHosts", {
      wstrFilter: `(KLHST_WKS_DN = "${displayName}")`,
      vecFieldsToReturn: ["KLHST_WKS_HOSTNAME"],
      vecFieldsToOrder: [],
      pParams: {},
      lMaxLifeTime: 60,
    });
    const accessor = find.strAccessor as string;
    const chunk = await this.call("ChunkAccessor.GetItemsChunk", {
      strAccessor: accessor,
      nStart: 0,
      nCount: 10,
    });
    await this.call("ChunkAccessor.Release", { strAccessor: accessor });
    const rows = ((chunk.pChunk as { KLCSP_ITERATOR_ARRAY: Wire[] }).KLCSP_ITERATOR_ARRAY ?? []) as {
      value: { KLHST_WKS_HOSTNAME: string };
    }[];
    if (rows.length !== 1) throw new Error(`${rows.length} devices named ${displayName}`);
    return rows[0].value.KLHST_WKS_HOSTNAME;
  }

  /** Id of a group by path below "Managed devices", e.g. ["Branch Milan"]. */
  async groupId(segments: string[]): Promise<number> {
    let id = (await this.call("HostGroup.GroupIdGroups")).PxgRetVal as number;
    for (const name of segments)
      id = (await this.call("HostGroup.GetGroupId", { nParent: id, strName: name })).PxgRetVal as number;
    return id;
  }

  async makeDp(hostId: string, groupIds: number[], extra: { [key: string]: Wire } = {}): Promise<void> {
    await this.call("UaControl.SetAssignUasAutomatically", { bEnabled: false });
    const defaults = (await this.call("UaControl.GetDefaultUpdateAgentRegistrationInfo")).pUaInfo as {
      [key: string]: Wire;
    };
    await this.call("UaControl.RegisterUpdateAgent", {
      pUaInfo: {
        ...defaults,
        UaHostId: hostId,
        UaScope: params({
          ScopeGroups: groupIds.map((id) => params({ ScopeId: long(id) })),
          ScopeNlaNetworks: [],
        }),
        ...extra,
      },
    });
  }

  /** Read-modify-write of a DP's settings, as the DP properties dialog does. */
  async changeDp(hostId: string, change: { [key: string]: Wire }): Promise<void> {
    const info = (await this.call("UaControl.GetUpdateAgentInfo", { wstrUaHostId: hostId })).pUaInfo as {
      [key: string]: Wire;
    };
    await this.call("UaControl.ModifyUpdateAgent", { pUaInfo: { ...info, ...change } });
  }

  async readSection(policyId: number, section: string): Promise<{ [key: string]: Wire }> {
    const h = (
      await this.call("Policy.GetPolicyContents", { nPolicy: policyId, nRevisionId: 0, nLifeTime: 0 })
    ).PxgRetVal as string;
    try {
      const r = await this.call("SsContents.Ss_Read", {
        wstrID: h,
        wstrProduct: "1103",
        wstrVersion: "1.0.0.0",
        wstrSection: section,
      });
      return r.PxgRetVal as { [key: string]: Wire };
    } finally {
      await this.call("SsContents.Ss_Release", { wstrID: h });
    }
  }

  /** Ss_Replace + Ss_Apply of some variables of a policy section, as saving the policy dialog does. */
  async changePolicy(policyId: number, section: string, data: { [key: string]: Wire }): Promise<void> {
    const h = (
      await this.call("Policy.GetPolicyContents", { nPolicy: policyId, nRevisionId: 0, nLifeTime: 0 })
    ).PxgRetVal as string;
    try {
      await this.call("SsContents.Ss_Replace", {
        wstrID: h,
        wstrProduct: "1103",
        wstrVersion: "1.0.0.0",
        wstrSection: section,
        pNewData: data,
      });
      await this.call("SsContents.Ss_Apply", { wstrID: h });
    } finally {
      await this.call("SsContents.Ss_Release", { wstrID: h });
    }
  }

  async deleteSection(policyId: number, section: string): Promise<void> {
    const h = (
      await this.call("Policy.GetPolicyContents", { nPolicy: policyId, nRevisionId: 0, nLifeTime: 0 })
    ).PxgRetVal as string;
    try {
      await this.call("SsContents.Ss_DeleteSection", {
        wstrID: h,
        wstrProduct: "1103",
        wstrVersion: "1.0.0.0",
        wstrSection: section,
      });
      await this.call("SsContents.Ss_Apply", { wstrID: h });
    } finally {
      await this.call("SsContents.Ss_Release", { wstrID: h });
    }
  }

  async addPolicy(groupId: number, name: string): Promise<number> {
    const r = await this.call("Policy.AddPolicy", {
      pPolicyData: {
        KLPOL_DN: name,
        KLPOL_PRODUCT: "1103",
        KLPOL_VERSION: "1.0.0.0",
        KLPOL_GROUP_ID: groupId,
        KLPOL_ACTIVE: true,
      },
    });
    return r.PxgRetVal as number;
  }
}

/** The value (KLPRSS_Val) of a policy-format variable in a raw Ss_Read reply. */
export function policyVal(section: { [key: string]: Wire }, name: string): Wire {
  const v = section[name] as { value?: { KLPRSS_Val?: Wire } } | undefined;
  return v?.value?.KLPRSS_Val ?? null;
}

/** Method names that change something on the server. */
export const WRITE_METHOD =
  /\.(Register|Modify|Unregister|Set|Add|Update|Delete|Remove|Move|Make|Copy|Revert|Import|Ss_Update|Ss_Add|Ss_Replace|Ss_Clear|Ss_Delete|Ss_Apply|Ss_CreateSection|Ss_DeleteSection|SS_Write)/;
