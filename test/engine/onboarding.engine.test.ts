// Onboarding a real console, under the real engine (issue: probe and generate).
//
// 1. A "real server" whose undocumented key names all differ from the provider's defaults (the emulator started with
//    other names): `pulumi up` of examples/push-server-basic fails and tells the user to run the probe; `probe
//    guided`, driven by an administrator making each asked-for change with raw API calls, writes the override file;
//    with `ksc:keyNamesFile` set to it, the example's lifecycle passes unchanged.
// 2. A server where the default names hold (the names from evidence: section "86", OpenUdpPort, Nagentports) except
//    the force-connection setting, still a placeholder: `pulumi up` makes the DP and its push server, and the policy
//    fails with the message pointing to the probe, without creating a meaningless variable or writing the others.
// 3. `generate` against a console with the default names, holding DPs, push servers and a policy made by raw API
//    calls: the first `pulumi up` of the generated program only adopts (no write reaches the console) and
//    `preview --expect-no-changes` exits 0.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "ksc-emulator";
import { main } from "../../provider/src/cli/main";
import { REAL, administrator } from "../support/cli/administrator";
import { recordingIo } from "../support/cli/io";
import { RawKsc, long, policyVal, policyValue, writesBetween } from "../support/raw-ksc";
import { expectSuccess, newStack, repoRoot, type TestStack } from "../../tools/engine";

jest.setTimeout(10 * 60 * 1000);

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const EXAMPLE = path.join(repoRoot, "examples", "push-server-basic");

function kscConfig(emu: Emulator): Record<string, string | { value: string; secret: true }> {
  return {
    "ksc:serverUrl": emu.url,
    "ksc:user": emu.credentials.user,
    "ksc:password": { value: emu.credentials.password, secret: true },
  };
}

/** Every policy of the console (id, name, group), without reading its settings (their names differ here). */
async function policyList(raw: RawKsc): Promise<string[]> {
  const out = new Set<string>();
  for (const id of (await raw.groups()).keys()) {
    for (const p of await raw.policiesOf(id))
      out.add(`${p.KLPOL_ID} ${p.KLPOL_DN} (group ${p.KLPOL_GROUP_ID})`);
  }
  return [...out].sort();
}

/** An emulator serving these key names (standing in for a real server) and a stack of the example on it. */
interface NamedServer {
  emu: Emulator;
  raw: RawKsc;
  dir: string;
  stack: TestStack;
}

async function serverWithNames(names: object): Promise<NamedServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-ksc-onboarding-"));
  fs.writeFileSync(path.join(dir, "server-names.json"), JSON.stringify(names));
  const emu = await startEmulator({ port: 0, tls: false, keyNamesFile: path.join(dir, "server-names.json") });
  const raw = await RawKsc.open(emu.url, emu.credentials);
  const stack = await newStack(EXAMPLE, { config: kscConfig(emu) });
  return { emu, raw, dir, stack };
}

async function closeServer(s: Partial<NamedServer>): Promise<void> {
  await s.stack?.dispose();
  await s.raw?.end();
  await s.emu?.stop();
  if (s.dir) fs.rmSync(s.dir, { recursive: true, force: true });
}

describe("a server whose undocumented key names differ: probe guided, then the example with the override file", () => {
  let emu: Emulator;
  let raw: RawKsc;
  let dir: string;
  let stack: TestStack;
  let overrideFile: string;

  beforeAll(async () => {
    ({ emu, raw, dir, stack } = await serverWithNames(REAL));
  });

  afterAll(() => closeServer({ emu, raw, dir, stack }));

  test("1. without an override file, `pulumi up` fails and says to run the probe", async () => {
    const policiesBefore = await policyList(raw);
    expect(policiesBefore.length).toBeGreaterThan(0); // the seeded default Network Agent policy
    const before = { ...emu.counters().calls };
    const r = await stack.up(["--skip-preview"]);
    const writes = writesBetween(before, emu.counters().calls);
    expect(r.code).not.toBe(0);
    const output = r.stdout + r.stderr;
    expect(output).toMatch(/no distribution point setting named "PROPOSED_UaPushServerEnabled"/);
    expect(output).toMatch(/npx pulumi-ksc probe guided/);
    expect(output).toMatch(/ksc:keyNamesFile/);
    // Nothing meaningless was written: the DP was registered with the server's template and its documented settings
    // (manual DP assignment first), then nothing more — no ModifyUpdateAgent with placeholder keys, no policy, no
    // policy settings; the DP has no placeholder keys and the console's policies are the ones it had.
    const dpHost = await raw.hostId("milan-dp-01");
    const info = (await raw.call("UaControl.GetUpdateAgentInfo", { wstrUaHostId: dpHost })).pUaInfo as Record<
      string,
      unknown
    >;
    expect(Object.keys(info).filter((k) => k.startsWith("PROPOSED_"))).toEqual([]);
    expect(writes).toEqual({ "UaControl.SetAssignUasAutomatically": 1, "UaControl.RegisterUpdateAgent": 1 });
    expect(await policyList(raw)).toEqual(policiesBefore);
    expectSuccess(await stack.destroy());
  });

  test("2. probe guided, with the administrator making each change, writes the override file", async () => {
    const probeHost = await raw.hostId("milan-dp-02");
    await raw.makeDp(probeHost, [await raw.groupId("Branch Milan")]);
    overrideFile = path.join(dir, "keynames.json");
    const io = recordingIo({
      env: {
        KSC_SERVER_URL: emu.url,
        KSC_USER: emu.credentials.user,
        KSC_PASSWORD: emu.credentials.password,
      },
      cwd: dir,
      prompter: administrator(raw, probeHost),
    });
    const code = await main(
      ["probe", "guided", "--device", "milan-dp-02", "--out", overrideFile, "--yes"],
      io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(fs.readFileSync(overrideFile, "utf8"))).toMatchObject(REAL);
    await raw.call("UaControl.UnregisterUpdateAgent", { wstrUaHostId: probeHost });
  });

  test("3. with ksc:keyNamesFile, push-server-basic deploys, shows no changes, detects drift and is destroyed", async () => {
    await stack.setConfig("ksc:keyNamesFile", overrideFile);
    expectSuccess(await stack.up(["--skip-preview"]));

    const dpHost = await raw.hostId("milan-dp-01");
    const info = (await raw.call("UaControl.GetUpdateAgentInfo", { wstrUaHostId: dpHost })).pUaInfo as Record<
      string,
      unknown
    >;
    expect(info[REAL.dp.pushServerEnabled]).toBe(true);
    expect(info[REAL.dp.pushServerPort]).toEqual({ type: "long", value: 13295 });
    const outputs = await stack.outputs();
    expect(outputs).toMatchObject({ dpHostId: dpHost, pushServerPortInUse: 13295, dpKeepsConnection: true });
    const section = await raw.policySection(outputs.policyId as number, REAL.networkAgent.networkSection);
    expect(policyVal(section, REAL.networkAgent.forceConnectionThroughDp)).toBe(true);
    expect(policyVal(section, REAL.networkAgent.useUdpPort)).toBe(false);

    expectSuccess(await stack.preview(["--expect-no-changes"]));
    await raw.changeDp(dpHost, { [REAL.dp.pushServerPort]: long(13301) });
    expect((await stack.preview(["--refresh", "--expect-no-changes"])).code).toBe(7);
    expectSuccess(await stack.up(["--skip-preview", "--refresh"]));
    const restored = (await raw.call("UaControl.GetUpdateAgentInfo", { wstrUaHostId: dpHost }))
      .pUaInfo as Record<string, unknown>;
    expect(restored[REAL.dp.pushServerPort]).toEqual({ type: "long", value: 13295 });

    expectSuccess(await stack.destroy());
    const dps = (await raw.call("UaControl.GetUpdateAgentsList")).pUasArr as unknown[];
    expect(dps).toEqual([]);
  });
});

describe("a server whose force-connection setting has another name, in a real-looking section 86", () => {
  let server: NamedServer;

  beforeAll(async () => {
    server = await serverWithNames({
      networkAgent: { forceConnectionThroughDp: REAL.networkAgent.forceConnectionThroughDp },
    });
  });

  afterAll(() => closeServer(server ?? {}));

  test("`pulumi up` fails on the policy's placeholder only, says to run the probe, and writes no setting", async () => {
    const r = await server.stack.up(["--skip-preview"]);
    expect(r.code).not.toBe(0);
    const output = r.stdout + r.stderr;
    expect(output).toMatch(
      /no Network Agent policy setting \(section "86"\) named "PROPOSED_UseDpForceConnection"/,
    );
    expect(output).toMatch(/npx pulumi-ksc probe guided/);
    // The DP and its push server use names this server has: they were made.
    const dpHost = await server.raw.hostId("milan-dp-01");
    const info = (await server.raw.call("UaControl.GetUpdateAgentInfo", { wstrUaHostId: dpHost }))
      .pUaInfo as Record<string, unknown>;
    expect(info.PROPOSED_UaPushServerEnabled).toBe(true);
    // The policy was made, but its section is as KSC made it: no placeholder variable, UDP settings untouched.
    const policyId = await server.raw.policyId("Managed devices/Branch Milan", "Network Agent - push server");
    expect(await server.raw.networkSettings(policyId)).toEqual({
      OpenUdpPort: { value: true, locked: false },
      Nagentports: { value: [15000, 15001], locked: false },
      [REAL.networkAgent.forceConnectionThroughDp]: { value: false, locked: false },
    });
    // The engine recorded the policy, so destroy removes everything the run made.
    expectSuccess(await server.stack.destroy());
    expect((await server.raw.call("UaControl.GetUpdateAgentsList")).pUasArr).toEqual([]);
    await expect(
      server.raw.policyId("Managed devices/Branch Milan", "Network Agent - push server"),
    ).rejects.toThrow();
  });
});

describe("generate: the first `pulumi up` of the generated program only adopts", () => {
  let emu: Emulator;
  let raw: RawKsc;
  let out: string;
  let stack: TestStack;

  beforeAll(async () => {
    const stacks = path.join(repoRoot, ".stacks");
    fs.mkdirSync(stacks, { recursive: true });
    // Under the workspace, so the program resolves pulumi-ksc and @pulumi/pulumi from its node_modules.
    out = fs.mkdtempSync(path.join(stacks, "generated-"));
    emu = await startEmulator({ port: 0, tls: false });
    raw = await RawKsc.open(emu.url, emu.credentials);
    // What an administrator made by hand in the console.
    const milan = await raw.groupId("Branch Milan");
    await raw.makeDp(await raw.hostId("milan-dp-01"), [milan], {
      UaDistributePackages: false,
      PROPOSED_UaPushServerEnabled: true,
      PROPOSED_UaPushServerPort: long(13296),
    });
    await raw.makeDp(await raw.hostId("milan-dp-02"), [milan], { PROPOSED_UaPushServerEnabled: true });
    const policy = await raw.addPolicy(milan, "Milan agents");
    await raw.changePolicySection(policy, "86", {
      PROPOSED_UseDpForceConnection: policyValue(true, true),
      OpenUdpPort: policyValue(false, false),
    });
  });

  afterAll(async () => {
    await stack?.dispose();
    await raw?.end();
    await emu?.stop();
    if (out) fs.rmSync(out, { recursive: true, force: true });
  });

  test("generate, then up: resources in the state, no write to the console; then no changes", async () => {
    const io = recordingIo({
      env: {
        KSC_SERVER_URL: emu.url,
        KSC_USER: emu.credentials.user,
        KSC_PASSWORD: emu.credentials.password,
      },
      cwd: repoRoot,
    });
    const code = await main(
      ["generate", "--group", "Managed devices/Branch Milan", "--out", out, "--force"],
      io,
    );
    expect(code).toBe(0);
    expect(fs.readFileSync(path.join(out, "index.ts"), "utf8")).toMatch(/adopt: true/);

    stack = await newStack(out, { config: kscConfig(emu) });
    const before = { ...emu.counters().calls };
    expectSuccess(await stack.up(["--skip-preview"]));
    // 2 DPs, 2 push servers, 1 policy: in the state only.
    expect((await stack.resources()).map((r) => r.type).sort()).toHaveLength(5);
    expect(writesBetween(before, emu.counters().calls)).toEqual({});
    expectSuccess(await stack.preview(["--expect-no-changes"]));
    expectSuccess(await stack.preview(["--refresh", "--expect-no-changes"]));
  });
});
