// generate against the seeded emulator, with DPs, push servers and policies made by raw API calls: the program
// type-checks against the workspace's pulumi-ksc, and taking its resources over (the resources' own create with
// adopt) writes nothing to the console and leaves no difference — what the first `pulumi up` and the `pulumi
// preview` after it will see. (The engine-level run with the real CLI is the lead's engine test.)
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "ksc-emulator";
import { createClient, KscClientHandle } from "../ksc";
import { resolveKeyNames } from "../ksc/keys";
import { ResourceContext } from "../resources/common";
import * as distributionPoint from "../resources/distributionPoint";
import { GroupDirectory } from "../resources/groups";
import * as networkAgentPolicy from "../resources/networkAgentPolicy";
import * as pushServer from "../resources/pushServer";
import { ProcessState } from "../resources/state";
import type {
  DistributionPointCheckedInputs,
  NetworkAgentPolicyCheckedInputs,
  PushServerCheckedInputs,
} from "../resources/schema.generated";
import { EXIT } from "./exitCodes";
import { FAST_START_TYPESCRIPT } from "./generate";
import { main } from "./main";
import { recordingIo } from "../../../test/support/cli/io";
import { RawKsc, WRITE_METHOD, long, policyValue } from "../../../test/support/raw-ksc";

jest.setTimeout(120_000);

const WORKSPACE = path.resolve(__dirname, "../../..");
// Under the workspace (gitignored .stacks/), so `pulumi-ksc` and `@pulumi/pulumi` resolve from its node_modules.
const STACKS = path.join(WORKSPACE, ".stacks");

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emu: Emulator;
let raw: RawKsc;
let out: string;
const hosts: Record<string, string> = {};

const env = () => ({
  KSC_SERVER_URL: emu.url,
  KSC_USER: emu.credentials.user,
  KSC_PASSWORD: emu.credentials.password,
});

beforeAll(async () => {
  fs.mkdirSync(STACKS, { recursive: true });
  out = fs.mkdtempSync(path.join(STACKS, "tmp-cli-generate-"));
  emu = await startEmulator({ port: 0, tls: false });
  raw = await RawKsc.open(emu.url, emu.credentials);
  for (const name of ["milan-dp-01", "milan-dp-02", "rome-dp-01", "hq-dp-01"])
    hosts[name] = await raw.hostId(name);
  const milan = await raw.groupId("Branch Milan");
  const milanWs = await raw.groupId("Branch Milan/Workstations");
  const rome = await raw.groupId("Branch Rome");
  const romeWs = await raw.groupId("Branch Rome/Workstations");
  // The Milan "shared-name-01" (another device has the same name, in Rome): declared by host id.
  const [shared] = await raw.findHosts(
    `(&(KLHST_WKS_DN = "shared-name-01")(KLHST_WKS_GROUPID = ${milanWs}))`,
    ["KLHST_WKS_HOSTNAME"],
  );
  hosts.shared = String(shared.KLHST_WKS_HOSTNAME);

  await raw.makeDp(hosts["milan-dp-01"], [milan], {
    UaMulticastAddr: "239.1.2.3",
    UaDistributePackages: false,
    PROPOSED_UaPushServerEnabled: true,
    PROPOSED_UaPushServerPort: long(13296),
    PROPOSED_UaPushServerRemoteAddress: "push.milan.example",
  });
  await raw.makeDp(hosts["milan-dp-02"], [milanWs], { UaPort: long(13001), UaCustomFolder: "D:\\KSC\\dp" });
  await raw.makeDp(hosts["rome-dp-01"], [rome, romeWs], { PROPOSED_UaPushServerEnabled: true });
  await raw.makeDp(hosts["hq-dp-01"], [await raw.groupId("Head Office")]);
  await raw.makeDp(hosts.shared, [milanWs]);

  const milanPolicy = await raw.addPolicy(milan, "Milan agents");
  await raw.changePolicySection(milanPolicy, "86", {
    PROPOSED_UseDpForceConnection: policyValue(true, true),
    OpenUdpPort: policyValue(false, false),
    Nagentports: policyValue([15001, 15002], true),
  });
  await raw.addPolicy(rome, "Rome agents");
  const legacy = await raw.addPolicy(rome, "Rome legacy");
  await raw.deletePolicySection(legacy, "86");
});

afterAll(async () => {
  await raw?.end();
  await emu?.stop();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

interface GenerateJson {
  resources: { type: string; name: string; object: string }[];
  skipped: { what: string; reason: string }[];
  files: string[];
}

let generated: GenerateJson;

test("generate writes a program for the DPs serving the groups, their push servers and the groups' policies", async () => {
  const io = recordingIo({ env: env(), cwd: WORKSPACE });
  const code = await main(
    [
      "generate",
      "--group",
      "Branch Milan",
      "--group",
      "Managed devices/Branch Rome",
      "--out",
      out,
      "--force",
      "--json",
      "--pulumi-ksc-version",
      "file:../../provider",
    ],
    io,
  );
  expect(io.stderr.join("\n")).toBe("");
  expect(code).toBe(EXIT.ok);
  generated = JSON.parse(io.stdout.join("\n")) as GenerateJson;
  expect(generated.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
    [
      "DistributionPoint milan-dp-01",
      "PushServer milan-dp-01-push",
      "DistributionPoint milan-dp-02",
      "DistributionPoint rome-dp-01",
      "PushServer rome-dp-01-push",
      "DistributionPoint shared-name-01",
      "NetworkAgentPolicy branch-milan-milan-agents",
      "NetworkAgentPolicy branch-rome-rome-agents",
    ].sort(),
  );
  // hq-dp-01 serves Head Office only; the root policy belongs to "Managed devices", not to the chosen groups.
  expect(
    generated.resources.some(
      (r) => r.object.includes("hq-dp-01") || r.object.includes("Kaspersky Security Center Network Agent"),
    ),
  ).toBe(false);
  expect(generated.skipped).toEqual([
    expect.objectContaining({
      what: expect.stringContaining('"Rome legacy"'),
      reason: expect.stringContaining("does not hold forceConnectionThroughDp"),
    }),
  ]);
  const index = fs.readFileSync(path.join(out, "index.ts"), "utf8");
  expect(index).toContain('    multicastAddress: "239.1.2.3",');
  expect(index).toContain('    customFolder: "D:\\\\KSC\\\\dp",');
  expect(index).toContain(`    hostId: ${JSON.stringify(hosts.shared)},`);
  expect(index).toContain(
    '    scopeGroups: ["Managed devices/Branch Rome", "Managed devices/Branch Rome/Workstations"],',
  );
  expect(index).toContain("    udpPort: { value: 15001, locked: true },");
  expect(JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8")).dependencies).toEqual({
    "@pulumi/pulumi": "3.248.0",
    "pulumi-ksc": "file:../../provider",
    typescript: FAST_START_TYPESCRIPT,
  });

  // Refuses to overwrite without --force.
  const again = recordingIo({ env: env(), cwd: WORKSPACE });
  expect(await main(["generate", "--group", "Branch Milan", "--out", out], again)).toBe(EXIT.usage);
  expect(again.stderr.join("\n")).toMatch(/already holds index.ts.*--force/);
});

test("the generated program type-checks against the workspace's pulumi-ksc", async () => {
  expect(fs.existsSync(path.join(WORKSPACE, "provider/dist/index.d.ts"))).toBe(true); // npx tsc -b provider first
  const tsc = path.join(WORKSPACE, "node_modules/.bin/tsc");
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(tsc, ["--noEmit", "-p", out], { cwd: out }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
  expect(result.output).toBe("");
  expect(result.code).toBe(0);
});

test("adopting what the program declares writes nothing to the console and leaves no difference", async () => {
  const keys = resolveKeyNames({});
  const client: KscClientHandle = createClient({
    serverUrl: emu.url,
    auth: { kind: "basic", user: emu.credentials.user, password: emu.credentials.password },
    keyNames: keys,
  });
  const logs: string[] = [];
  const ctx: ResourceContext = {
    client,
    groups: new GroupDirectory(client),
    state: new ProcessState(),
    log: (_l, m) => logs.push(m),
  };
  // The declared inputs, from the same renderer that wrote index.ts.
  const { readEstate, renderProgram } = await import("./generate");
  const groups = await Promise.all(
    ["Branch Milan", "Branch Rome"].map((g) => ctx.groups.resolve(g, "group")),
  );
  const program = renderProgram(await readEstate({ client, keyNames: keys, sources: {} }, groups), {
    projectName: "x",
    pulumiKscVersion: "0",
    pulumiVersion: "0",
    retainOnDelete: true,
  });
  expect(program.resources.map((r) => r.name).sort()).toEqual(generated.resources.map((r) => r.name).sort());
  await fetch(`${emu.url}/control/reset-counters`, { method: "POST" });
  try {
    for (const r of program.resources) {
      if (r.type === "DistributionPoint") {
        const { inputs, failures } = distributionPoint.check({}, r.inputs);
        expect(failures).toEqual([]);
        const { outs } = await distributionPoint.create(ctx, inputs as DistributionPointCheckedInputs);
        expect(outs.adopted).toBe(true);
        expect(distributionPoint.diff(outs, inputs as DistributionPointCheckedInputs).changes).toBe(false);
      } else if (r.type === "PushServer") {
        const { inputs, failures } = pushServer.check({}, r.inputs);
        expect(failures).toEqual([]);
        const { outs } = await pushServer.create(ctx, inputs as PushServerCheckedInputs);
        expect(outs.adopted).toBe(true);
        expect(pushServer.diff(outs, inputs as PushServerCheckedInputs).changes).toBe(false);
      } else {
        const { inputs, failures } = networkAgentPolicy.check({}, r.inputs);
        expect(failures).toEqual([]);
        const { outs } = await networkAgentPolicy.create(ctx, inputs as NetworkAgentPolicyCheckedInputs);
        expect(outs.adopted).toBe(true);
        expect(networkAgentPolicy.diff(outs, inputs as NetworkAgentPolicyCheckedInputs).changes).toBe(false);
      }
    }
  } finally {
    await client.close();
  }
  const writes = Object.keys(emu.counters().calls).filter((m) => WRITE_METHOD.test(m));
  expect(writes).toEqual([]);
  expect(logs.join("\n")).not.toMatch(/took over/); // "took over" means it had to change the object
});
