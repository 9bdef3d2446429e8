// SsContents: reading and writing the settings sections behind a policy's contents handle
// (docs/ksc-open-api.md#sscontents). Writes are buffered on the handle until Ss_Apply; every handle must end
// with Ss_Release.
import { KscParams, SsContentsApi } from "./api";
import { asArray, asParams, asString } from "./codec";
import { CallOptions, Caller, IDEMPOTENT_WRITE, READ, WRITE } from "./caller";

export class SsContentsClient implements SsContentsApi {
  constructor(private readonly c: Caller) {}

  /** Section names for product+version (product only → versions; both empty → products). */
  async getNames(handle: string, product: string, version: string): Promise<string[]> {
    const m = "SsContents.SS_GetNames";
    const r = await this.c.call(m, { wstrID: handle, wstrProduct: product, wstrVersion: version }, READ);
    return asArray(r.PxgRetVal, `${m} PxgRetVal`).map((e, i) => asString(e, `${m} PxgRetVal[${i}]`));
  }

  async read(handle: string, product: string, version: string, section: string): Promise<KscParams> {
    const m = "SsContents.Ss_Read";
    const r = await this.c.call(
      m,
      { wstrID: handle, wstrProduct: product, wstrVersion: version, wstrSection: section },
      READ,
    );
    return asParams(r.PxgRetVal, `${m} PxgRetVal`);
  }

  /** Updates existing variables (fails if one is missing). Same values again give the same result. */
  update(handle: string, product: string, version: string, section: string, data: KscParams): Promise<void> {
    return this.write("Ss_Update", handle, product, version, section, data, IDEMPOTENT_WRITE);
  }

  /** Adds variables (fails if one exists): not repeated on transient failures. */
  add(handle: string, product: string, version: string, section: string, data: KscParams): Promise<void> {
    return this.write("Ss_Add", handle, product, version, section, data, WRITE);
  }

  /** Adds or overwrites variables (upsert). */
  replace(handle: string, product: string, version: string, section: string, data: KscParams): Promise<void> {
    return this.write("Ss_Replace", handle, product, version, section, data, IDEMPOTENT_WRITE);
  }

  /** Replaces the whole section content. */
  clear(handle: string, product: string, version: string, section: string, data: KscParams): Promise<void> {
    return this.write("Ss_Clear", handle, product, version, section, data, IDEMPOTENT_WRITE);
  }

  /**
   * Deletes the variables named in `data` (argument pData, not pNewData: docs/ksc-open-api.md#sscontents).
   */
  async delete(
    handle: string,
    product: string,
    version: string,
    section: string,
    data: KscParams,
  ): Promise<void> {
    await this.c.call(
      "SsContents.Ss_Delete",
      { wstrID: handle, wstrProduct: product, wstrVersion: version, wstrSection: section, pData: data },
      WRITE,
    );
  }

  /** Makes the buffered writes of the handle visible. */
  async apply(handle: string): Promise<void> {
    await this.c.call("SsContents.Ss_Apply", { wstrID: handle }, IDEMPOTENT_WRITE);
  }

  async release(handle: string): Promise<void> {
    await this.c.call("SsContents.Ss_Release", { wstrID: handle }, IDEMPOTENT_WRITE);
  }

  private async write(
    op: string,
    handle: string,
    product: string,
    version: string,
    section: string,
    data: KscParams,
    opts: CallOptions,
  ): Promise<void> {
    await this.c.call(
      `SsContents.${op}`,
      { wstrID: handle, wstrProduct: product, wstrVersion: version, wstrSection: section, pNewData: data },
      opts,
    );
  }
}
