// Retry and concurrency policy, built on cockatiel (https://github.com/connor4312/cockatiel):
//  - exponential backoff with decorrelated jitter (cockatiel's ExponentialBackoff default generator);
//  - bounded by attempts (maxAttempts, the first try included) and by total time (maxElapsedMs: no retry starts
//    after it, and no backoff sleeps past it);
//  - what is retried is decided by shouldRetry (errors.ts): transient failures, for reads and idempotent writes
//    always, for other writes only when the request never left the client;
//  - a bulkhead bounds the HTTP requests in flight (the server runs one call per connection at a time).
import {
  bulkhead,
  BulkheadPolicy,
  ExponentialBackoff,
  handleWhen,
  IBackoff,
  IBackoffFactory,
  IRetryBackoffContext,
  retry,
} from "cockatiel";
import { shouldRetry } from "./errors";

export interface RetryOptions {
  /** Attempts in all, the first one included. Default 5. */
  maxAttempts?: number;
  /** No retry starts after this much time since the first attempt. Default 30 000 ms. */
  maxElapsedMs?: number;
  /** First backoff delay (before jitter). Default 200 ms. */
  baseDelayMs?: number;
  /** Longest single backoff delay. Default 5 000 ms. */
  maxDelayMs?: number;
}

export const RETRY_DEFAULTS: Required<RetryOptions> = {
  maxAttempts: 5,
  maxElapsedMs: 30_000,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
};

export interface RetryEvent {
  method: string;
  attempt: number;
  delayMs: number;
  error: unknown;
}

/** A backoff that never sleeps past the deadline. */
class DeadlineBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(
    private readonly inner: IBackoffFactory<IRetryBackoffContext<unknown>>,
    private readonly deadline: number,
  ) {}
  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const step = this.inner.next(context);
    const remaining = Math.max(0, this.deadline - Date.now());
    return {
      duration: Math.min(step.duration, remaining),
      next: (ctx: IRetryBackoffContext<unknown>) => new DeadlineBackoff(step, this.deadline).next(ctx),
    };
  }
}

export class RetryRunner {
  readonly options: Required<RetryOptions>;
  constructor(
    options: RetryOptions = {},
    private readonly onRetry?: (e: RetryEvent) => void,
  ) {
    this.options = { ...RETRY_DEFAULTS, ...stripUndefined(options) };
    if (!(this.options.maxAttempts >= 1)) throw new Error("retry.maxAttempts must be at least 1");
  }

  /**
   * Run `fn`, repeating it on failures that shouldRetry accepts, within the bounds. `notSent` names failures that
   * happened before the request went out (e.g. during login): those may be repeated even for a non-idempotent call.
   */
  async run<T>(
    method: string,
    idempotent: boolean,
    fn: () => Promise<T>,
    notSent?: { has(err: object): boolean },
  ): Promise<T> {
    const start = Date.now();
    const deadline = start + this.options.maxElapsedMs;
    const policy = retry(
      handleWhen(
        (err) => shouldRetry(err, idempotent || (notSent?.has(err) ?? false)) && Date.now() < deadline,
      ),
      {
        maxAttempts: this.options.maxAttempts - 1, // cockatiel counts retries, not attempts
        backoff: new DeadlineBackoff(
          new ExponentialBackoff({
            initialDelay: this.options.baseDelayMs,
            maxDelay: this.options.maxDelayMs,
          }),
          deadline,
        ),
      },
    );
    if (this.onRetry) {
      const listener = policy.onRetry((r) =>
        this.onRetry?.({
          method,
          attempt: r.attempt + 1,
          delayMs: r.delay,
          error: "error" in r ? r.error : r,
        }),
      );
      try {
        return await policy.execute(fn);
      } finally {
        listener.dispose();
      }
    }
    return policy.execute(fn);
  }
}

/** Bounds calls in flight; extra calls wait in an unbounded queue (they are already bounded by the caller). */
export function createLimiter(maxInFlight: number): BulkheadPolicy {
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
    throw new Error("maxInFlight must be a whole number ≥ 1");
  return bulkhead(maxInFlight, Number.POSITIVE_INFINITY);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
