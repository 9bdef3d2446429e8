// Raw KSC Open API calls for the fault tests: plain fetch, its own login and its own tiny unwrapping of typed
// values. Deliberately shares nothing with the provider's client or codec: if both sides used one decoder, a wrong
// decoding would pass every test.

export interface RawCredentials {
  user: string;
  password: string;
}

/** A PxgError reply, or an HTTP failure, of a raw call. */
export class RawCallError extends Error {
  constructor(
    readonly method: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method}: HTTP ${status} ${JSON.stringify(body)}`);
  }
  get pxg(): { module?: string; code?: number } | undefined {
    const b = this.body as { PxgError?: { module?: string; code?: number } } | undefined;
    return b?.PxgError;
  }
}

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

/** The Authorization header of a KSCBasic login (reference §1.2). */
export function basicAuthorization(c: RawCredentials): string {
  return `KSCBasic user="${b64(c.user)}", pass="${b64(c.password)}", internal="1"`;
}

/** Turns typed values ({"type":"long","value":5}, wrapped params) into plain JSON, recursively. */
export function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 2 && typeof o.type === "string" && "value" in o) return plain(o.value);
    return Object.fromEntries(keys.map((k) => [k, plain(o[k])]));
  }
  return v;
}

export type Plain = Record<string, unknown>;

/** One session on the server; every call is a fresh fetch with X-KSC-Session. */
export class RawKsc {
  private sid?: string;
  constructor(
    readonly url: string,
    private readonly credentials: RawCredentials,
  ) {}

  private async post(method: string, body: unknown, headers: Record<string, string>): Promise<Plain> {
    const res = await fetch(`${this.url}/api/v1.0/${method}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    if (res.status !== 200 || (typeof json === "object" && json !== null && "PxgError" in json)) {
      throw new RawCallError(method, res.status, json);
    }
    return json as Plain;
  }

  async login(): Promise<void> {
    const r = await this.post(
      "Session.StartSession",
      {},
      { Authorization: basicAuthorization(this.credentials) },
    );
    this.sid = String(r.PxgRetVal);
  }

  /** One Open API call; logs in first when needed, and once more when the session was refused. */
  async call(method: string, body: Record<string, unknown> = {}): Promise<Plain> {
    if (!this.sid) await this.login();
    try {
      return await this.post(method, body, { "X-KSC-Session": this.sid! });
    } catch (err) {
      if (err instanceof RawCallError && (err.status === 401 || err.status === 403)) {
        await this.login();
        return this.post(method, body, { "X-KSC-Session": this.sid! });
      }
      throw err;
    }
  }

  async end(): Promise<void> {
    if (!this.sid) return;
    await this.post("Session.EndSession", {}, { "X-KSC-Session": this.sid }).catch(() => undefined);
    this.sid = undefined;
  }

  /** Every row of a Find* accessor, plain. */
  private async rows(accessor: string, count: number): Promise<Plain[]> {
    const out: Plain[] = [];
    for (let start = 0; start < count; start += 100) {
      const r = await this.call("ChunkAccessor.GetItemsChunk", {
        strAccessor: accessor,
        nStart: start,
        nCount: 100,
      });
      const chunk = plain(r.pChunk) as { KLCSP_ITERATOR_ARRAY?: Plain[] };
      out.push(...(chunk.KLCSP_ITERATOR_ARRAY ?? []));
    }
    await this.call("ChunkAccessor.Release", { strAccessor: accessor });
    return out;
  }

  async findHosts(filter: string, fields: string[]): Promise<Plain[]> {
    const r = await this.call("HostGroup.FindHosts", {
      wstrFilter: filter,
      vecFieldsToReturn: fields,
      vecFieldsToOrder: [],
      pParams: {},
      lMaxLifeTime: 60,
    });
    return this.rows(String(r.strAccessor), Number(r.PxgRetVal));
  }

  async findGroups(filter: string, fields: string[]): Promise<Plain[]> {
    const r = await this.call("HostGroup.FindGroups", {
      wstrFilter: filter,
      vecFieldsToReturn: fields,
      vecFieldsToOrder: [],
      pParams: {},
      lMaxLifeTime: 60,
    });
    return this.rows(String(r.strAccessor), Number(r.PxgRetVal));
  }

  async dpHostIds(): Promise<string[]> {
    const r = await this.call("UaControl.GetUpdateAgentsList");
    return ((plain(r.pUasArr) as Plain[] | undefined) ?? []).map((e) => String(e.UaHostId)).sort();
  }

  async dpInfo(hostId: string): Promise<Plain> {
    const r = await this.call("UaControl.GetUpdateAgentInfo", { wstrUaHostId: hostId });
    return plain(r.pUaInfo) as Plain;
  }

  async policiesOf(groupId: number): Promise<Plain[]> {
    const r = await this.call("Policy.GetPoliciesForGroup", { nGroupId: groupId });
    return (plain(r.PxgRetVal) as Plain[] | undefined) ?? [];
  }

  /** One section of a policy's settings (GetPolicyContents → Ss_Read → Ss_Release). */
  async policySection(policyId: number, product: string, version: string, section: string): Promise<Plain> {
    const h = await this.call("Policy.GetPolicyContents", {
      nPolicy: policyId,
      nRevisionId: 0,
      nLifeTime: 60000,
    });
    const id = String(h.PxgRetVal);
    try {
      const r = await this.call("SsContents.Ss_Read", {
        wstrID: id,
        wstrProduct: product,
        wstrVersion: version,
        wstrSection: section,
      });
      return plain(r.PxgRetVal) as Plain;
    } finally {
      await this.call("SsContents.Ss_Release", { wstrID: id });
    }
  }
}
