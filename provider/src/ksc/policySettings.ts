// Policy settings helpers: open the policy's contents, do one thing, apply if it wrote, and always release the
// handle — also when the work in between fails.
import { KscParams, PolicyApi, PolicySettingsApi, SsContentsApi } from "./api";
import { isNotFound } from "./errors";
import { Logger } from "./transport";

export class PolicySettingsClient implements PolicySettingsApi {
  constructor(
    private readonly policy: PolicyApi,
    private readonly ss: SsContentsApi,
    private readonly logger: Logger,
  ) {}

  readSection(policyId: number, product: string, version: string, section: string): Promise<KscParams> {
    return this.withContents(policyId, (h) => this.ss.read(h, product, version, section));
  }

  readAllSections(
    policyId: number,
    product: string,
    version: string,
    onSectionError?: (section: string, err: unknown) => void,
  ): Promise<Record<string, KscParams>> {
    return this.withContents(policyId, async (h) => {
      const out: Record<string, KscParams> = {};
      for (const section of await this.ss.getNames(h, product, version)) {
        try {
          out[section] = await this.ss.read(h, product, version, section);
        } catch (err) {
          if (!onSectionError) throw err;
          onSectionError(section, err);
        }
      }
      return out;
    });
  }

  updateInSection(
    policyId: number,
    product: string,
    version: string,
    section: string,
    change: (current: KscParams) => KscParams,
  ): Promise<void> {
    return this.writeAndApply(policyId, async (h) => {
      const data = change(await this.ss.read(h, product, version, section));
      await this.ss.update(h, product, version, section, data);
    });
  }

  /** `write` on one handle, then Ss_Apply (writes are invisible until applied). */
  private writeAndApply(policyId: number, write: (handle: string) => Promise<void>): Promise<void> {
    return this.withContents(policyId, async (h) => {
      await write(h);
      await this.ss.apply(h);
    });
  }

  /** Open the policy's contents, run `fn`, release the handle whatever happens. */
  async withContents<T>(policyId: number, fn: (handle: string) => Promise<T>): Promise<T> {
    const handle = await this.policy.getPolicyContents(policyId);
    try {
      return await fn(handle);
    } finally {
      try {
        await this.ss.release(handle);
      } catch (err) {
        // The work's own result (or error) matters more; a handle left behind expires on the server.
        if (!isNotFound(err)) {
          const msg = err instanceof Error ? err.message : String(err);
          this.logger(
            "warn",
            `KSC SsContents.Ss_Release failed for policy ${policyId} (the handle expires on its own): ${msg}`,
          );
        }
      }
    }
  }
}
