// The emulator, a real client on it, a resource context over that client, and a raw caller to check the console
// from outside: what the *.emu.test.ts lifecycle tests share.
// The emulator package (its build, emulator/dist) is required at run time only, with the little of its API used here
// typed locally.
import { createClient } from "../../provider/src/ksc";
import { KeyNames } from "../../provider/src/ksc/keys";
import { TestContext, testContext } from "./resourceContext";
import { RawKsc } from "./raw-ksc";

export interface Emulator {
  url: string;
  credentials: { user: string; password: string; internal: true };
  keyNames: KeyNames;
  stop(): Promise<void>;
}
type StartOptions = { port?: number; latencyMs?: number; keyNamesFile?: string };

function startEmulator(options: StartOptions): Promise<Emulator> {
  const emulator = require("ksc-emulator") as { startEmulator(o: StartOptions): Promise<Emulator> };
  return emulator.startEmulator(options);
}

export interface EmulatorFixture {
  emu: Emulator;
  ctx: TestContext;
  raw: RawKsc;
  close(): Promise<void>;
}

export async function emulatorFixture(
  options: Parameters<typeof startEmulator>[0] = {},
): Promise<EmulatorFixture> {
  const emu = await startEmulator({ port: 0, ...options });
  const { user, password } = emu.credentials;
  const client = createClient({
    serverUrl: emu.url,
    auth: { kind: "basic", user, password, internal: true },
  });
  const raw = await RawKsc.open(emu.url, emu.credentials);
  return {
    emu,
    ctx: testContext(client),
    raw,
    close: async () => {
      await raw.end();
      await client.close();
      await emu.stop();
    },
  };
}
