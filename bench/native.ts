// Native plugin vs dynamic provider (issue 15; bench/README.md): the same estate (./estate.ts) deployed once by the
// dynamic provider (./program, TypeScript through bin/pulumi-ksc-run) and once by the native plugin
// pulumi-resource-ksc (the same resources as a Pulumi YAML program on the real CLI and YAML host), then the
// checkpoint's bytes per resource of each; and the start-up time of each plugin: from starting its executable to
// the answer of its first gRPC call (GetPluginInfo), which is what the engine waits for before it uses a provider.
// Writes bench/out/native.json and prints a table.
//
//   N=100 npx ts-node --transpile-only bench/native.ts        (make build and make pulumi first)
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { startEmulator, type RunningEmulator } from "ksc-emulator";
import {
  cliPath,
  expectSuccess,
  newStack,
  offlineEnv,
  parseJson,
  repoRoot,
  type TestStack,
} from "../tools/engine";
import { DEVICES_PER_SITE, estate, RESOURCES_PER_SITE, sitesFor } from "./estate";

// The SDK's generated gRPC client and messages (plain CommonJS, no typings).
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as {
  ResourceProviderClient: new (
    address: string,
    credentials: grpc.ChannelCredentials,
  ) => {
    getPluginInfo(req: unknown, cb: (err: Error | null, res: { getVersion(): string }) => void): void;
    close(): void;
  };
};
const emptyproto = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => unknown };

const outDir = path.join(__dirname, "out");
const STARTS = 7;

function log(line: string): void {
  process.stderr.write(`[bench native ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/** The estate as a Pulumi YAML program for the native plugin: the resources and options of ./program/index.ts. */
export function yamlProgram(sites: number): string {
  const lines = ["name: ksc-bench-native", "runtime: yaml", "resources:"];
  for (const site of estate(sites, false)) {
    site.dps.forEach((dp, d) => {
      const push = site.pushServers[d];
      lines.push(
        `  ${dp.name}:`,
        "    type: ksc:DistributionPoint",
        "    properties:",
        `      deviceName: ${dp.device}`,
        `      scopeGroups: ["${site.group}"]`,
        `      distributePackages: ${dp.distributePackages}`,
        `  ${push.name}:`,
        "    type: ksc:PushServer",
        "    properties:",
        `      hostId: \${${dp.name}.hostId}`,
        `      port: ${push.port}`,
      );
    });
    lines.push(
      `  ${site.policy.name}:`,
      "    type: ksc:NetworkAgentPolicy",
      "    properties:",
      `      group: "${site.group}"`,
      `      name: "${site.policy.displayName}"`,
      "      forceConnectionThroughDp: { value: true, locked: true }",
      `      useUdpPort: { value: ${site.policy.useUdpPort}, locked: false }`,
      "    options:",
      `      dependsOn: [${site.pushServers.map((p) => `"\${${p.name}}"`).join(", ")}]`,
    );
  }
  return `${lines.join("\n")}\n`;
}

interface StateBytes {
  resources: number;
  checkpointBytes: number;
  checkpointBytesPerResource: number;
  /** Mean size of one resource's entry in the checkpoint (JSON), per type. */
  entryBytes: Record<string, number>;
}

/** The stack's checkpoint in its file backend: `<backend>/.pulumi/stacks/<project>/<stack>.json`. */
function checkpointBytes(stack: TestStack): number {
  const root = path.join(stack.stateDir, ".pulumi", "stacks");
  for (const project of fs.readdirSync(root)) {
    const file = path.join(root, project, `${stack.name}.json`);
    if (fs.existsSync(file)) return fs.statSync(file).size;
  }
  throw new Error(`no checkpoint of ${stack.name} under ${root}`);
}

async function stateBytes(stack: TestStack): Promise<StateBytes> {
  const state = parseJson<{ deployment: { resources?: { type: string }[] } }>(
    expectSuccess(await stack.run(["stack", "export"])),
  );
  const ksc = (state.deployment.resources ?? []).filter((r) => /(^|\/)ksc:/.test(r.type));
  const byType: Record<string, number[]> = {};
  for (const r of ksc) {
    const type = r.type.replace(/^.*:/, "");
    (byType[type] ??= []).push(JSON.stringify(r, null, 4).length);
  }
  const bytes = checkpointBytes(stack);
  return {
    resources: ksc.length,
    checkpointBytes: bytes,
    checkpointBytesPerResource: Math.round(bytes / ksc.length),
    entryBytes: Object.fromEntries(
      Object.entries(byType).map(([t, list]) => [
        t,
        Math.round(list.reduce((a, b) => a + b, 0) / list.length),
      ]),
    ),
  };
}

/** Milliseconds from starting a provider plugin to the answer of GetPluginInfo (median of STARTS runs). */
async function startupMs(command: string, cwd: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const started = process.hrtime.bigint();
    // The engine passes its own address; the plugins only keep it.
    // Its own process group: the dynamic provider's launcher is a shell script whose node child outlives a signal
    // to the script alone.
    const child = spawn(command, ["127.0.0.1:1"], {
      detached: true,
      cwd,
      env: offlineEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (b: Buffer) => {
          out += b.toString();
          const line = out.split("\n");
          if (line.length > 1) resolve(line[0].trim());
        });
        child.on("exit", (code) => reject(new Error(`${command} exited ${code} before printing its port`)));
      });
      const client = new provrpc.ResourceProviderClient(
        `127.0.0.1:${port}`,
        grpc.credentials.createInsecure(),
      );
      await new Promise<void>((resolve, reject) =>
        client.getPluginInfo(new emptyproto.Empty(), (err) => (err ? reject(err) : resolve())),
      );
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      client.close();
    } finally {
      process.kill(-child.pid!, "SIGKILL");
    }
  }
  return times.sort((a, b) => a - b);
}

const median = (xs: number[]): number => xs[Math.floor(xs.length / 2)];

async function deploy(
  emu: RunningEmulator,
  projectDir: string,
  sites: number,
  native: boolean,
): Promise<{ stateBytes: StateBytes; upSeconds: number }> {
  const config = {
    ...(native ? {} : { sites: String(sites) }),
    "ksc:serverUrl": emu.url,
    "ksc:user": emu.credentials.user,
    "ksc:password": { value: emu.credentials.password, secret: true },
  };
  const stack = await newStack(projectDir, { config, ...(native ? { cli: cliPath } : {}) });
  try {
    const started = process.hrtime.bigint();
    expectSuccess(await stack.up(["--skip-preview"]));
    const upSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { stateBytes: await stateBytes(stack), upSeconds: Math.round(upSeconds * 10) / 10 };
  } finally {
    await stack.dispose();
  }
}

async function main(): Promise<void> {
  const n = Number(process.env.N ?? 100);
  const sites = sitesFor(n);
  const resources = sites * RESOURCES_PER_SITE;
  fs.mkdirSync(outDir, { recursive: true });
  const yamlDir = fs.mkdtempSync(path.join(os.tmpdir(), "ksc-bench-native-"));
  fs.writeFileSync(path.join(yamlDir, "Pulumi.yaml"), yamlProgram(sites));

  const nativePlugin = path.join(
    offlineEnv().PULUMI_HOME!,
    "plugins",
    "resource-ksc-v0.1.0",
    "pulumi-resource-ksc",
  );
  const dynamicPlugin = path.join(repoRoot, "bin", "pulumi-resource-pulumi-nodejs");
  log(`plugin start-up, ${STARTS} starts each`);
  const startup = {
    native: await startupMs(nativePlugin, yamlDir),
    dynamic: await startupMs(dynamicPlugin, path.join(__dirname, "program")),
  };

  log(`N=${resources}: ${sites} sites; dynamic provider, then native plugin`);
  const emu = await startEmulator({ port: 0, tls: false, seed: { sites, devicesPerSite: DEVICES_PER_SITE } });
  let results;
  try {
    const dynamic = await deploy(emu, path.join(__dirname, "program"), sites, false);
    const native = await deploy(emu, yamlDir, sites, true);
    results = { n: resources, sites, dynamic, native, startupMs: startup };
  } finally {
    await emu.stop();
    fs.rmSync(yamlDir, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(outDir, "native.json"), `${JSON.stringify(results, null, 2)}\n`);
  const row = (what: string, d: number | string, nat: number | string) => `| ${what} | ${d} | ${nat} |`;
  process.stdout.write(
    [
      `N=${resources} (${sites} sites)`,
      "| | dynamic provider | native plugin |",
      "|---|---|---|",
      row(
        "checkpoint bytes / resource",
        results.dynamic.stateBytes.checkpointBytesPerResource,
        results.native.stateBytes.checkpointBytesPerResource,
      ),
      ...Object.keys(results.dynamic.stateBytes.entryBytes).map((t) =>
        row(
          `${t} entry bytes`,
          results.dynamic.stateBytes.entryBytes[t],
          results.native.stateBytes.entryBytes[t] ?? "-",
        ),
      ),
      row("up (s, no latency)", results.dynamic.upSeconds, results.native.upSeconds),
      row(
        `plugin start → GetPluginInfo (ms, median of ${STARTS})`,
        median(startup.dynamic).toFixed(0),
        median(startup.native).toFixed(0),
      ),
      "",
    ].join("\n"),
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `bench/native: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
