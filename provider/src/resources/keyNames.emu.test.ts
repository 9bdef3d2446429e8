// A real server whose undocumented key names differ from the provider's defaults (the emulator started with other
// names): the provider must say so and point to the probe, never write meaningless keys. Two such servers: one where
// every undocumented name differs, and one where the names that rest on evidence are right (section "86" with
// OpenUdpPort and Nagentports) but the force-connection setting, still a placeholder, has another name.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as dp from "./distributionPoint";
import * as nap from "./networkAgentPolicy";
import * as ps from "./pushServer";
import { EmulatorFixture, emulatorFixture } from "../../../test/support/emulatorFixture";

const OTHER_NAMES = {
  dp: {
    pushServerEnabled: "KLUA_PUSH_SRV_ENABLED",
    pushServerPort: "KLUA_PUSH_SRV_PORT",
    pushServerRemoteAddress: "KLUA_PUSH_SRV_ADDR",
  },
  host: { keepConnection: "KLHST_WKS_KEEP_CONNECTION" },
  networkAgent: {
    networkSection: "KLNAG_SECTION_NETWORK",
    useUdpPort: "KLNAG_USE_UDP",
    udpPort: "KLNAG_UDP_PORT",
    forceConnectionThroughDp: "KLNAG_FORCE_UA",
  },
};

describe("key names that are not this server's (emulator with other names)", () => {
  let f: EmulatorFixture;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ksc-keynames-"));
    const file = path.join(dir, "names.json");
    fs.writeFileSync(file, JSON.stringify(OTHER_NAMES));
    f = await emulatorFixture({ keyNamesFile: file });
  });
  afterAll(async () => {
    await f.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("PushServer fails at preview and on create, naming the missing key and the probe; nothing is written", async () => {
    const { inputs: dpInputs } = dp.check(
      {},
      { deviceName: "milan-dp-01", scopeGroups: ["Managed devices/Branch Milan"] },
    );
    const { id: hostId } = await dp.create(f.ctx, dpInputs);
    const before = await f.raw.dp(hostId);
    const { inputs } = ps.check({}, { hostId });
    await expect(ps.verify(f.ctx, {}, inputs)).rejects.toThrow(
      /no distribution point setting named "PROPOSED_UaPushServerEnabled".*probe guided.*ksc:keyNamesFile/s,
    );
    await expect(ps.create(f.ctx, inputs)).rejects.toThrow(/PROPOSED_UaPushServerPort.*probe guided/s);
    expect(await f.raw.dp(hostId)).toEqual(before);
  });

  test("NetworkAgentPolicy settings: an error naming the section and the probe, no new variables", async () => {
    const { inputs } = nap.check({}, { group: "Managed devices/Branch Rome", name: "Rome agents" });
    const err = await nap.create(f.ctx, inputs).then(
      () => undefined,
      (e: unknown) => e as Error & { id?: string },
    );
    expect(err?.message).toMatch(/no Network Agent policy setting named "86".*probe guided/s);
    // The policy itself was made (AddPolicy) before its settings failed: the error carries its id so the engine
    // records it instead of making a duplicate on the next run.
    const policyId = Number(err?.id);
    expect(policyId).toBeGreaterThan(0);
    const h = (
      await f.raw.call("Policy.GetPolicyContents", { nPolicy: policyId, nRevisionId: 0, nLifeTime: 0 })
    ).PxgRetVal as string;
    const names = (
      await f.raw.call("SsContents.SS_GetNames", { wstrID: h, wstrProduct: "1103", wstrVersion: "1.0.0.0" })
    ).PxgRetVal as string[];
    await f.raw.call("SsContents.Ss_Release", { wstrID: h });
    expect(names).toContain("KLNAG_SECTION_NETWORK");
    expect(names).not.toContain("86");
  });
});

// The section may well be real: it holds the UDP settings under the evidence names, and the force-connection setting
// under a name the provider does not know. The provider must not add its placeholder next to them, nor write the
// two settings it does know while the third fails: nothing at all is written, and the error names the one key.
describe("a real-looking network section whose force-connection setting has another name", () => {
  const FORCE = "KLNAG_FORCE_CONN_VIA_UA";
  let f: EmulatorFixture;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ksc-keynames-"));
    const file = path.join(dir, "names.json");
    fs.writeFileSync(file, JSON.stringify({ networkAgent: { forceConnectionThroughDp: FORCE } }));
    f = await emulatorFixture({ keyNamesFile: file });
  });
  afterAll(async () => {
    await f.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the emulator stands in for it: section 86 with OpenUdpPort, Nagentports and the other name", async () => {
    const section = await f.raw.networkSettings(1);
    expect(section).toEqual({
      OpenUdpPort: { value: true, locked: false },
      Nagentports: { value: [15000, 15001], locked: false },
      [FORCE]: { value: false, locked: false },
    });
    const k = f.ctx.client.keyNames.networkAgent;
    expect([k.networkSection, k.useUdpPort, k.udpPort]).toEqual(["86", "OpenUdpPort", "Nagentports"]);
    expect(k.forceConnectionThroughDp).toBe("PROPOSED_UseDpForceConnection");
  });

  test("create: the error names the placeholder and the probe; the new policy's section is untouched", async () => {
    const { inputs } = nap.check(
      {},
      {
        group: "Managed devices/Branch Rome",
        name: "Rome agents",
        forceConnectionThroughDp: { value: true, locked: true },
        useUdpPort: { value: false },
        udpPort: { value: 15500 },
      },
    );
    const err = await nap.create(f.ctx, inputs).then(
      () => undefined,
      (e: unknown) => e as Error & { id?: string },
    );
    expect(err?.message).toMatch(
      /no Network Agent policy setting \(section "86"\) named "PROPOSED_UseDpForceConnection"\..*npx pulumi-ksc probe guided.*ksc:keyNamesFile/s,
    );
    // Only the unknown name is blamed: the evidence names were found.
    expect(err?.message).not.toMatch(/"86",|OpenUdpPort|Nagentports/);
    const policyId = Number(err?.id);
    expect(policyId).toBeGreaterThan(0);
    // The policy was made (AddPolicy) but its section is as a new policy has it: no placeholder variable, and the
    // UDP settings were not written either.
    expect(await f.raw.networkSettings(policyId)).toEqual({
      OpenUdpPort: { value: true, locked: false },
      Nagentports: { value: [15000, 15001], locked: false },
      [FORCE]: { value: false, locked: false },
    });
  });

  test("update of an existing policy: nothing written (no Ss_Update at all), same error", async () => {
    const { inputs } = nap.check(
      {},
      { group: "Managed devices", name: "Kaspersky Security Center Network Agent", adopt: true },
    );
    const before = await f.raw.networkSettings(1);
    const calls = async () =>
      (await (await fetch(`${f.emu.url}/control/counters`)).json()) as { calls: Record<string, number> };
    const updatesBefore = (await calls()).calls["SsContents.Ss_Update"] ?? 0;
    await expect(nap.create(f.ctx, inputs)).rejects.toThrow(/"PROPOSED_UseDpForceConnection".*probe guided/s);
    expect((await calls()).calls["SsContents.Ss_Update"] ?? 0).toBe(updatesBefore);
    expect(await f.raw.networkSettings(1)).toEqual(before);
  });
});
