// The one per-process state: its lock orders the read-modify-write cycles of one host, and a new process (a new
// ProcessState) starts with nothing the last one saw.
import { KeyedLock, ProcessState } from "./state";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("KeyedLock", () => {
  test("a second holder of a key starts only when the first has finished; other keys do not wait", async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const first = deferred();
    const a = lock.run("h1", async () => {
      order.push("a start");
      await first.promise;
      order.push("a end");
    });
    const b = lock.run("h1", async () => {
      order.push("b start");
    });
    await lock.run("h2", async () => {
      order.push("other host");
    });
    expect(order).toEqual(["a start", "other host"]);
    first.resolve();
    await Promise.all([a, b]);
    expect(order).toEqual(["a start", "other host", "a end", "b start"]);
    expect(lock.size).toBe(0);
  });

  test("a holder that fails releases the key", async () => {
    const lock = new KeyedLock();
    await expect(lock.run("h1", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(lock.run("h1", async () => "next")).resolves.toBe("next");
    expect(lock.size).toBe(0);
  });
});

describe("ProcessState", () => {
  test("claims, declared ports and values belong to one process", async () => {
    const one = new ProcessState();
    expect(one.claim("PushServer", "h1", "push-a", false)).toBeUndefined();
    expect(one.claim("PushServer", "h1", "push-b", false)).toEqual({
      resourceName: "push-a",
      incumbent: false,
    });
    one.declareDpPorts("h1", { port: 13000 });
    let loads = 0;
    const load = async () => ++loads;
    expect(await one.once("dps", load)).toBe(1);
    expect(await one.once("dps", load)).toBe(1);

    const next = new ProcessState();
    expect(next.claim("PushServer", "h1", "push-b", false)).toBeUndefined();
    expect(next.declaredDpPorts("h1")).toBeUndefined();
    expect(await next.once("dps", load)).toBe(2);
    expect(one.declaredDpPorts("h1")).toEqual({ port: 13000 });
  });

  test("a value whose load failed is loaded again", async () => {
    const state = new ProcessState();
    await expect(state.once("template", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    await expect(state.once("template", async () => "ok")).resolves.toBe("ok");
  });
});
