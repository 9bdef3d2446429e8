// A per-key async mutex. DistributionPoint and PushServer both rewrite the whole DP object of a host
// (ModifyUpdateAgent replaces it), so their read-modify-write cycles on one host must not interleave.
// It lives in the provider process only: an optimisation against lost updates within one `pulumi up`,
// never a source of truth.
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Run `fn` when every earlier holder of `key` has finished (whether it succeeded or failed). */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      // Forget the key when nobody queued behind us, so the map does not grow with every host ever seen.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys currently held or waited for (for tests). */
  get size(): number {
    return this.tails.size;
  }
}

/** The lock of the provider process for DP objects, keyed by host id. */
export const dpHostLock = new KeyedLock();
