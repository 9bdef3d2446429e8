// Shared set-up of the fault tests: an emulator, raw access to it, and stacks of a Pulumi project configured for
// it (through the engine harness of tools/engine).
import * as path from "path";
import { startEmulator, type EmulatorOptions, type FaultConfig, type RunningEmulator } from "ksc-emulator";
import {
  newStack,
  repoRoot,
  type ConfigValue,
  type PulumiResult,
  type StateResource,
  type TestStack,
} from "../../../tools/engine";
import { RawKsc } from "../raw-ksc";

export const examplesDir = path.join(repoRoot, "examples");
export const programsDir = path.join(__dirname, "..", "..", "fault", "programs");

export type Counters = ReturnType<RunningEmulator["counters"]>;

/** An emulator and a raw client on it. */
export class Ksc {
  readonly raw: RawKsc;
  private constructor(readonly emu: RunningEmulator) {
    this.raw = new RawKsc(emu.url, emu.credentials);
  }

  static async start(opts: EmulatorOptions = {}): Promise<Ksc> {
    return new Ksc(await startEmulator({ port: 0, tls: false, ...opts }));
  }

  get url(): string {
    return this.emu.url;
  }

  faults(config: FaultConfig): void {
    this.emu.setFaults(config);
  }

  counters(): Counters {
    return this.emu.counters();
  }

  /** Back to the seeded inventory (POST /control/reseed); faults off, counters kept. */
  async reseed(): Promise<void> {
    this.emu.setFaults({});
    const res = await fetch(`${this.url}/control/reseed`, { method: "POST" });
    if (res.status !== 200) throw new Error(`reseed: HTTP ${res.status}`);
    await this.raw.end();
  }

  /** Runs `fn` with faults off (raw checks must not be disturbed), then puts `config` back. */
  async withoutFaults<T>(fn: () => Promise<T>, restore: FaultConfig = {}): Promise<T> {
    this.emu.setFaults({});
    try {
      return await fn();
    } finally {
      this.emu.setFaults(restore);
    }
  }

  async stop(): Promise<void> {
    await this.raw.end();
    await this.emu.stop();
  }
}

/** The stack config that points the provider at `url` with user and password (secret). */
export function kscConfig(
  url: string,
  password: string,
  extra: Record<string, string | ConfigValue> = {},
): Record<string, string | ConfigValue> {
  return {
    "ksc:serverUrl": url,
    "ksc:user": "admin",
    "ksc:password": { value: password, secret: true },
    ...extra,
  };
}

export function kscStack(
  projectDir: string,
  ksc: { url: string; emu: RunningEmulator },
  opts: { config?: Record<string, string | ConfigValue>; env?: Record<string, string | undefined> } = {},
): Promise<TestStack> {
  return newStack(projectDir, {
    config: kscConfig(ksc.url, ksc.emu.credentials.password, opts.config),
    // Programs are not type-checked on every run (saves seconds per run; `make lint` type-checks them).
    env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true", ...opts.env },
  });
}

/** Resources of one dynamic type in the exported state ("DistributionPoint", …). */
export function ofType(resources: StateResource[], kind: string): StateResource[] {
  return resources.filter((r) => r.type === `pulumi-nodejs:dynamic/ksc:${kind}`);
}

/** The error lines a person reads after a failed run (CLI diagnostics), without duplicates. */
export function errorLines(r: PulumiResult): string[] {
  const lines = `${r.stdout}\n${r.stderr}`
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^error:/.test(l) || /\berror: /.test(l));
  return [...new Set(lines.map((l) => l.replace(/^.*?error: /, "error: ")))];
}

/** Sum of all calls in a counters object. */
export function totalCalls(c: Counters): number {
  return Object.values(c.calls).reduce((a, b) => a + b, 0);
}

export function totalFaults(c: Counters): number {
  return Object.values(c.faultsInjected).reduce((a, b) => a + b, 0);
}

/** Difference of two counters (after − before). */
export function countersSince(before: Counters, after: Counters): Counters {
  const sub = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(
      Object.keys(a)
        .map((k) => [k, a[k] - (b[k] ?? 0)] as const)
        .filter(([, v]) => v !== 0),
    );
  return {
    calls: sub(after.calls, before.calls),
    sessionsOpened: after.sessionsOpened - before.sessionsOpened,
    logins: {
      succeeded: after.logins.succeeded - before.logins.succeeded,
      failed: after.logins.failed - before.logins.failed,
    },
    faultsInjected: sub(after.faultsInjected, before.faultsInjected),
  };
}

/** Sum of two counters. */
export function addCounters(a: Counters, b: Counters): Counters {
  const add = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    calls: add(a.calls, b.calls),
    sessionsOpened: a.sessionsOpened + b.sessionsOpened,
    logins: {
      succeeded: a.logins.succeeded + b.logins.succeeded,
      failed: a.logins.failed + b.logins.failed,
    },
    faultsInjected: add(a.faultsInjected, b.faultsInjected),
  };
}

export const NO_COUNTS: Counters = {
  calls: {},
  sessionsOpened: 0,
  logins: { succeeded: 0, failed: 0 },
  faultsInjected: {},
};

/** Runs `fn` and adds the emulator's counters of that time to `into`. */
export async function counted<T>(ksc: Ksc, into: { counters: Counters }, fn: () => Promise<T>): Promise<T> {
  const before = ksc.counters();
  try {
    return await fn();
  } finally {
    into.counters = addCounters(into.counters, countersSince(before, ksc.counters()));
  }
}

/** Prints a report block at the end of a test file (jest shows console output of the test run). */
export function report(title: string, lines: string[]): void {
  console.log([`── ${title}`, ...lines].join("\n"));
}
