import {
  KscAuthError,
  KscError,
  KscHttpError,
  KscNetworkError,
  KscProtocolError,
  shouldRetry,
} from "./errors";
import { createLimiter, RetryRunner } from "./retry";

const S = "https://ksc:13299";
const busy = () => new KscError("X.Y", { module: "KLSTD", code: 1195, subcode: 1, message: "busy" });
const notFound = () => new KscError("X.Y", { module: "KLSTD", code: 1186, subcode: 0, message: "" });
const http = (status: number) => new KscHttpError("X.Y", S, status, "");
const net = (failure: "timeout" | "refused" | "reset" | "tls" | "unknown-host") =>
  new KscNetworkError("X.Y", S, failure, failure, { requestNotSent: failure === "refused" });

describe("retry classification", () => {
  test.each([
    ["KLSTD 1195", busy(), true, false],
    ["KLSTD 1186", notFound(), false, false],
    ["HTTP 500", http(500), true, false],
    ["HTTP 502", http(502), true, false],
    ["HTTP 503", http(503), true, false],
    ["HTTP 504", http(504), true, false],
    ["HTTP 400", http(400), false, false],
    ["HTTP 404", http(404), false, false],
    ["timeout", net("timeout"), true, false],
    ["connection reset", net("reset"), true, false],
    ["connection refused (never sent)", net("refused"), true, true],
    ["TLS", net("tls"), false, false],
    ["unknown host", net("unknown-host"), false, false],
    [
      "login refused",
      new KscAuthError("x", { method: "Session.StartSession", server: S, user: "u" }),
      false,
      false,
    ],
    ["bad reply", new KscProtocolError("x"), false, false],
    ["programming error", new TypeError("x"), false, false],
  ])("%s: read/idempotent %s, other write %s", (_name, err, read, write) => {
    expect(shouldRetry(err, true)).toBe(read);
    expect(shouldRetry(err, false)).toBe(write);
  });
});

describe("RetryRunner", () => {
  const fast = { baseDelayMs: 1, maxDelayMs: 2 };

  function failing(errors: unknown[], result = "ok"): { fn: () => Promise<string>; calls: () => number } {
    let n = 0;
    return {
      fn: async () => {
        const e = errors[n++];
        if (e !== undefined) throw e;
        return result;
      },
      calls: () => n,
    };
  }

  test("a read is repeated on transient failures until it succeeds", async () => {
    const f = failing([http(503), busy(), net("reset")]);
    await expect(new RetryRunner(fast).run("X.Y", true, f.fn)).resolves.toBe("ok");
    expect(f.calls()).toBe(4);
  });

  test("a non-idempotent write is not repeated after a transient failure", async () => {
    const f = failing([http(503)]);
    await expect(new RetryRunner(fast).run("X.Y", false, f.fn)).rejects.toBeInstanceOf(KscHttpError);
    expect(f.calls()).toBe(1);
  });

  test("a write is repeated when the request never went out", async () => {
    const f = failing([net("refused")]);
    await expect(new RetryRunner(fast).run("X.Y", false, f.fn)).resolves.toBe("ok");
    expect(f.calls()).toBe(2);
    const login = http(503);
    const g = failing([login]);
    await expect(new RetryRunner(fast).run("X.Y", false, g.fn, new WeakSet([login]))).resolves.toBe("ok");
    expect(g.calls()).toBe(2);
  });

  test("non-transient failures are thrown at once", async () => {
    const f = failing([notFound()]);
    await expect(new RetryRunner(fast).run("X.Y", true, f.fn)).rejects.toMatchObject({ code: 1186 });
    expect(f.calls()).toBe(1);
  });

  test("attempts are bounded (first try included) and the last error is thrown", async () => {
    const errs = [http(500), http(502), http(503), http(504), http(500), http(500)];
    const f = failing(errs);
    await expect(new RetryRunner({ ...fast, maxAttempts: 3 }).run("X.Y", true, f.fn)).rejects.toBe(errs[2]);
    expect(f.calls()).toBe(3);
  });

  test("no retry starts after maxElapsedMs", async () => {
    const f = failing([http(503), http(503)]);
    await expect(new RetryRunner({ ...fast, maxElapsedMs: 0 }).run("X.Y", true, f.fn)).rejects.toBeInstanceOf(
      KscHttpError,
    );
    expect(f.calls()).toBe(1);
  });

  test("each retry is reported with its method and attempt number", async () => {
    const events: Array<{ method: string; attempt: number }> = [];
    const f = failing([busy(), busy()]);
    await new RetryRunner(fast, (e) => events.push({ method: e.method, attempt: e.attempt })).run(
      "A.B",
      true,
      f.fn,
    );
    expect(events).toEqual([
      { method: "A.B", attempt: 2 },
      { method: "A.B", attempt: 3 },
    ]);
  });

  test("invalid bounds are refused", () => {
    expect(() => new RetryRunner({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => createLimiter(0)).toThrow(/maxInFlight/);
  });
});

describe("in-flight limit", () => {
  test("never more than the limit run at once, and the limit is used", async () => {
    const limiter = createLimiter(3);
    let running = 0;
    let peak = 0;
    const release: Array<() => void> = [];
    const tasks = Array.from({ length: 10 }, () =>
      limiter.execute(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => release.push(r));
        running--;
      }),
    );
    // Let queued work start, then finish tasks one by one.
    for (let done = 0; done < 10; done++) {
      while (release.length === 0) await new Promise((r) => setImmediate(r));
      expect(running).toBeLessThanOrEqual(3);
      release.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(tasks);
    expect(peak).toBe(3);
  });
});
