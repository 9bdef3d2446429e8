// The engine stops the provider process with SIGINT: the process ends its KSC session before it exits.
import { spawn } from "child_process";
import * as path from "path";

type Emulator = { url: string; credentials: { user: string; password: string }; stop(): Promise<void> };
const { startEmulator } = require("ksc-emulator") as { startEmulator(o: object): Promise<Emulator> };

async function activeSessions(emu: Emulator): Promise<number> {
  const status = (await (await fetch(`${emu.url}/status.json`)).json()) as {
    server: { sessionsActive: number };
  };
  return status.server.sessionsActive;
}

test("SIGINT to the provider process ends its session", async () => {
  const emu = await startEmulator({ port: 0, tls: false });
  try {
    // The provider process as the engine runs it: the implementation from the build, configured from KSC_* env.
    const impl = path.resolve(__dirname, "../../dist/pulumi/impl.js");
    const child = spawn(
      process.execPath,
      [
        "-e",
        `const impl = require(${JSON.stringify(impl)});
         impl.context().client.hostGroup.groupIdGroups().then(() => console.log("ready"));
         setInterval(() => {}, 1000);`,
      ],
      {
        env: {
          ...process.env,
          KSC_SERVER_URL: emu.url,
          KSC_USER: emu.credentials.user,
          KSC_PASSWORD: emu.credentials.password,
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve()),
    );
    expect(await activeSessions(emu)).toBe(1);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(await activeSessions(emu)).toBe(0);
  } finally {
    await emu.stop();
  }
});
