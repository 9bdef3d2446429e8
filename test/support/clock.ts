// Time for tests without waiting: a clock the test moves by hand (the emulator's `now` option), and a wait for a
// condition that depends on no timer — it asks again after each turn of the event loop until the condition holds
// (jest's timeout ends a wait that never succeeds).

/** A clock that stands still until `advance` moves it. */
export class ManualClock {
  private t: number;
  constructor(start: number = Date.now()) {
    this.t = start;
  }

  /** Milliseconds since the epoch, as Date.now. */
  readonly now = (): number => this.t;

  advance(ms: number): void {
    this.t += ms;
  }
}

/** Resolves with the first value of `probe` that `done` accepts; asks again after each turn of the event loop. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
