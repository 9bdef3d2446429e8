// HostGroup (the subset of docs/ksc-open-api.md#hostgroup) and ChunkAccessor paging
// (docs/ksc-open-api.md#chunkaccessor). FindHosts/FindGroups return an accessor; the rows are read in chunks
// and the accessor is always released, even when reading fails, so the server does not keep result sets until
// they expire.
import { GroupRecord, HostFilter, HostGroupApi, HostRecord, KscParams } from "./api";
import { asArray, asNumber, asParams, asString, optNumber, optString } from "./codec";
import { Caller, IDEMPOTENT_WRITE, READ } from "./caller";
import { isNotFound } from "./errors";
import { renderFilter } from "./filter";
import { KeyNames } from "./keys";
import { Logger } from "./transport";

/** Rows per GetItemsChunk (the reference samples use 100). */
export const CHUNK_SIZE = 100;
/**
 * Accessor lifetime asked of the server, in seconds (≤ 7200, docs/ksc-open-api.md#hostgroup); Release frees
 * it earlier.
 */
export const ACCESSOR_LIFETIME_S = 300;

export class HostGroupClient implements HostGroupApi {
  constructor(
    private readonly c: Caller,
    private readonly keys: KeyNames,
    private readonly logger: Logger,
  ) {}

  async groupIdGroups(): Promise<number> {
    return this.number("HostGroup.GroupIdGroups");
  }

  async findHosts(filter: HostFilter, fields: string[]): Promise<HostRecord[]> {
    const k = this.keys.host;
    const wanted = unique([k.hostId, k.displayName, k.groupId, ...fields]);
    const rows = await this.find("HostGroup.FindHosts", renderFilter(filter), wanted);
    return rows.map((p, i) => {
      const where = `HostGroup.FindHosts row ${i}`;
      const record: HostRecord = {
        ...p,
        hostId: asString(p[k.hostId], `${where} ${k.hostId}`),
        displayName: optString(p[k.displayName]) ?? "",
        groupId: asNumber(p[k.groupId], `${where} ${k.groupId}`),
      };
      const fqdn = optString(p[k.fqdn]);
      if (fqdn !== undefined) record.fqdn = fqdn;
      return record;
    });
  }

  async findGroups(filter: HostFilter, fields: string[] = []): Promise<GroupRecord[]> {
    const g = this.keys.group;
    const wanted = unique([g.id, g.name, g.parentId, g.fullName, ...fields]);
    const rows = await this.find("HostGroup.FindGroups", renderFilter(filter), wanted);
    return rows.map((p, i) => {
      const record: GroupRecord = {
        id: asNumber(p[g.id], `HostGroup.FindGroups row ${i} ${g.id}`),
        name: optString(p[g.name]) ?? "",
        parentId: optNumber(p[g.parentId]) ?? null,
      };
      const fullName = optString(p[g.fullName]);
      if (fullName !== undefined) record.fullName = fullName;
      return record;
    });
  }

  async getHostInfo(hostId: string, fields: string[]): Promise<KscParams> {
    const m = "HostGroup.GetHostInfo";
    const r = await this.c.call(m, { strHostName: hostId, pFields2Return: fields }, READ);
    return asParams(r.PxgRetVal, `${m} PxgRetVal`);
  }

  /** Find* → chunks → Release, as one call. Returns the decoded rows. */
  private async find(method: string, filter: string, fields: string[]): Promise<KscParams[]> {
    const r = await this.c.call(
      method,
      {
        wstrFilter: filter,
        vecFieldsToReturn: fields,
        vecFieldsToOrder: [],
        pParams: {},
        lMaxLifeTime: ACCESSOR_LIFETIME_S,
      },
      READ,
    );
    const accessor = asString(r.strAccessor, `${method} strAccessor`);
    try {
      const total = optNumber(r.PxgRetVal);
      const rows: KscParams[] = [];
      // Read until the announced count is reached or the server returns an empty chunk.
      for (;;) {
        if (total !== undefined && rows.length >= total) break;
        const count = total !== undefined ? Math.min(CHUNK_SIZE, total - rows.length) : CHUNK_SIZE;
        const chunk = await this.getItemsChunk(accessor, rows.length, count);
        if (chunk.length === 0) break;
        rows.push(...chunk);
      }
      return rows;
    } finally {
      await this.release(accessor);
    }
  }

  private async getItemsChunk(accessor: string, start: number, count: number): Promise<KscParams[]> {
    const m = "ChunkAccessor.GetItemsChunk";
    const r = await this.c.call(m, { strAccessor: accessor, nStart: start, nCount: count }, READ);
    const chunk = asParams(r.pChunk, `${m} pChunk`);
    return asArray(chunk.KLCSP_ITERATOR_ARRAY, `${m} pChunk.KLCSP_ITERATOR_ARRAY`).map((e, i) =>
      asParams(e, `${m} row ${start + i}`),
    );
  }

  /** Release never fails the caller: an accessor left behind only expires later. */
  private async release(accessor: string): Promise<void> {
    try {
      await this.c.call("ChunkAccessor.Release", { strAccessor: accessor }, IDEMPOTENT_WRITE);
    } catch (err) {
      if (!isNotFound(err)) {
        this.logger(
          "warn",
          `KSC ChunkAccessor.Release failed (the result set expires on its own): ${errText(err)}`,
        );
      }
    }
  }

  private async number(method: string, args: KscParams = {}, opts = READ): Promise<number> {
    const r = await this.c.call(method, args, opts);
    return asNumber(r.PxgRetVal, `${method} PxgRetVal`);
  }
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
