// A real server whose undocumented key names differ from our PROPOSED placeholders (the emulator started with
// other names): the provider must say so and point to the probe, never write meaningless keys.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as dp from "./distributionPoint";
import * as nap from "./networkAgentPolicy";
import * as ps from "./pushServer";
import { EmulatorFixture, emulatorFixture } from "./testing/emulator";

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
    expect(err?.message).toMatch(
      /no Network Agent policy setting named "86".*probe guided/s,
    );
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
