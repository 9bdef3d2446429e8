// A deliberately tiny Open API caller for tests: fetch + Session.StartSession + POST /api/v1.0/Class.Method, JSON
// in and out, nothing decoded. It checks the console "from outside", without the client's codec, so a wrong
// encoding in the client cannot hide itself.

/** JSON as the wire has it. */
export type Wire = null | boolean | number | string | Wire[] | { [key: string]: Wire };
export type WireObject = { [key: string]: Wire };

export class RawKscError extends Error {
  constructor(
    readonly method: string,
    readonly pxg: { module?: string; code?: number; message?: string },
  ) {
    super(`${method}: ${pxg.module} ${pxg.code} ${pxg.message ?? ""}`);
  }
  get notFound(): boolean {
    return this.pxg.module === "KLSTD" && this.pxg.code === 1186;
  }
}

export class RawKsc {
  private constructor(
    private readonly url: string,
    private readonly session: string,
  ) {}

  static async open(url: string, credentials: { user: string; password: string }): Promise<RawKsc> {
    const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
    const res = await fetch(`${url}/api/v1.0/Session.StartSession`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: `KSCBasic user="${b64(credentials.user)}", pass="${b64(credentials.password)}", internal="1"`,
        "X-KSC-VServer": "",
      },
      body: "{}",
    });
    const body = (await res.json()) as WireObject;
    if (typeof body.PxgRetVal !== "string")
      throw new Error(`StartSession: ${res.status} ${JSON.stringify(body)}`);
    return new RawKsc(url, body.PxgRetVal);
  }

  async call(method: string, args: WireObject = {}): Promise<WireObject> {
    const res = await fetch(`${this.url}/api/v1.0/${method}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-KSC-Session": this.session },
      body: JSON.stringify(args),
    });
    const body = (await res.json()) as WireObject;
    if (body.PxgError) throw new RawKscError(method, body.PxgError as RawKscError["pxg"]);
    return body;
  }

  async end(): Promise<void> {
    await this.call("Session.EndSession").catch(() => undefined);
  }

  // ---- a few reads the lifecycle tests repeat ----

  /** pUaInfo of a DP, or undefined when the host is not a DP. */
  async dp(hostId: string): Promise<WireObject | undefined> {
    try {
      return (await this.call("UaControl.GetUpdateAgentInfo", { wstrUaHostId: hostId }))
        .pUaInfo as WireObject;
    } catch (err) {
      if (err instanceof RawKscError && err.notFound) return undefined;
      throw err;
    }
  }

  async groupId(path: string[]): Promise<number> {
    let id = (await this.call("HostGroup.GroupIdGroups")).PxgRetVal as number;
    for (const name of path)
      id = (await this.call("HostGroup.GetGroupId", { nParent: id, strName: name })).PxgRetVal as number;
    return id;
  }

  /** KLHST_WKS_HOSTNAME of the device with this display name. */
  async hostId(displayName: string): Promise<string> {
    const found = await this.call("HostGroup.FindHosts", {
      wstrFilter: `(KLHST_WKS_DN = "${displayName}")`,
      vecFieldsToReturn: ["KLHST_WKS_HOSTNAME"],
      vecFieldsToOrder: [],
      pParams: {},
      lMaxLifeTime: 60,
    });
    const accessor = found.strAccessor as string;
    const chunk = await this.call("ChunkAccessor.GetItemsChunk", {
      strAccessor: accessor,
      nStart: 0,
      nCount: 10,
    });
    await this.call("ChunkAccessor.Release", { strAccessor: accessor });
    const rows = (chunk.pChunk as WireObject).KLCSP_ITERATOR_ARRAY as WireObject[];
    if (rows.length !== 1) throw new Error(`${rows.length} devices named ${displayName}`);
    const row = (rows[0].value ?? rows[0]) as WireObject;
    return row.KLHST_WKS_HOSTNAME as string;
  }

  /** One section of a policy, read through its own SsContents handle (released). */
  async policySection(
    policyId: number,
    product: string,
    version: string,
    section: string,
  ): Promise<WireObject> {
    const handle = (
      await this.call("Policy.GetPolicyContents", { nPolicy: policyId, nRevisionId: 0, nLifeTime: 0 })
    ).PxgRetVal as string;
    try {
      return (
        await this.call("SsContents.Ss_Read", {
          wstrID: handle,
          wstrProduct: product,
          wstrVersion: version,
          wstrSection: section,
        })
      ).PxgRetVal as WireObject;
    } finally {
      await this.call("SsContents.Ss_Release", { wstrID: handle });
    }
  }

  /** Replace variables of a policy section as an administrator would in the console (apply, release). */
  async replaceInPolicySection(
    policyId: number,
    product: string,
    version: string,
    section: string,
    data: WireObject,
  ): Promise<void> {
    const handle = (
      await this.call("Policy.GetPolicyContents", { nPolicy: policyId, nRevisionId: 0, nLifeTime: 0 })
    ).PxgRetVal as string;
    try {
      await this.call("SsContents.Ss_Replace", {
        wstrID: handle,
        wstrProduct: product,
        wstrVersion: version,
        wstrSection: section,
        pNewData: data,
      });
      await this.call("SsContents.Ss_Apply", { wstrID: handle });
    } finally {
      await this.call("SsContents.Ss_Release", { wstrID: handle });
    }
  }
}

/** A value inside params as the wire writes it: `{"type":"long","value":N}`, `{"type":"params","value":{…}}`, … */
export function unwrapped(v: Wire | undefined): Wire | undefined {
  if (v && typeof v === "object" && !Array.isArray(v) && typeof v.type === "string" && "value" in v)
    return v.value;
  return v;
}
