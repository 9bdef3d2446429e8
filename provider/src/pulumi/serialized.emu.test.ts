// The providers as the engine runs them: serialized (pulumi.runtime.serializeFunction, as dynamic.Resource does),
// deserialized with require-from-string (as the dynamic-provider host does), configured with the stack
// configuration, then driven through check/create/read/diff/delete against the emulator.
// The deserialized shim requires pulumi-ksc/dist/…: build first with `npx tsc -b provider`.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator } from "ksc-emulator";
import { RawKsc } from "../../../test/support/raw-ksc";
import * as shims from "./shims";

const requireFromString: (code: string) => {
  handler: () => pulumi.dynamic.ResourceProvider;
} = require("require-from-string");

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe("serialized providers against the emulator", () => {
  let emu: Emulator;
  let raw: RawKsc;
  const stackConfig: Record<string, string> = {};
  const texts: Record<string, string> = {};

  beforeAll(async () => {
    const dist = path.resolve(__dirname, "../../dist/pulumi/dp.js");
    if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: run \`npx tsc -b provider\` first`);
    emu = await startEmulator({ port: 0 });
    raw = await RawKsc.open(emu.url, emu.credentials);
    Object.assign(stackConfig, {
      "ksc:serverUrl": emu.url,
      "ksc:user": emu.credentials.user,
      "ksc:password": emu.credentials.password,
      "other:serverUrl": "http://not-this-one",
    });
  });
  afterAll(async () => {
    // The deserialized code's client lives in the real Node module cache (not jest's): end its session there.
    const impl = requireFromString(
      'exports.handler = () => require("pulumi-ksc/dist/pulumi/impl")',
    ).handler() as unknown as {
      shutdown(): Promise<void>;
    };
    await impl.shutdown();
    await raw.end();
    await emu.stop();
  });

  async function deserialize(kind: string, provider: pulumi.dynamic.ResourceProvider) {
    const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    texts[kind] = sf.text;
    expect(sf.text.length).toBeLessThan(2048);
    expect(sf.containsSecrets).toBe(false);
    const p = requireFromString(sf.text).handler();
    await p.configure!({
      config: { get: (k: string) => stackConfig[k], require: (k: string) => stackConfig[k] },
    });
    return { p, text: sf.text };
  }

  test("DistributionPoint, PushServer and NetworkAgentPolicy: check, create, read, diff, delete", async () => {
    const dp = await deserialize("DistributionPoint", shims.distributionPointProvider);
    const ps = await deserialize("PushServer", shims.pushServerProvider);
    const nap = await deserialize("NetworkAgentPolicy", shims.networkAgentPolicyProvider);

    // DistributionPoint
    const dpCheck = await dp.p.check!(
      {},
      { __provider: dp.text, deviceName: "rome-dp-01", scopeGroups: ["Managed devices/Branch Rome"] },
    );
    expect(dpCheck.failures).toEqual([]);
    const dpCreated = await dp.p.create(dpCheck.inputs);
    const hostId = await raw.hostId("rome-dp-01");
    expect(dpCreated.id).toBe(hostId);
    expect(await raw.dp(hostId)).toBeDefined();
    const dpRead = await dp.p.read!(dpCreated.id, { ...dpCreated.outs, __provider: dp.text });
    expect(dpRead.props).toEqual(dpCreated.outs);
    expect(
      await dp.p.diff!(dpCreated.id, { ...dpRead.props, __provider: dp.text }, dpCheck.inputs),
    ).toMatchObject({ changes: false });

    // PushServer on it
    const psCheck = await ps.p.check!({}, { __provider: ps.text, hostId, __resourceName: "push-rome" });
    expect(psCheck.failures).toEqual([]);
    const psCreated = await ps.p.create(psCheck.inputs);
    expect((await raw.dp(hostId))?.[emu.keyNames.dp.pushServerEnabled]).toBe(true);
    expect((await ps.p.read!(psCreated.id, psCreated.outs)).props).toEqual(psCreated.outs);
    await ps.p.delete!(psCreated.id, psCreated.outs);
    expect((await raw.dp(hostId))?.[emu.keyNames.dp.pushServerEnabled]).toBe(false);
    await dp.p.delete!(dpCreated.id, dpCreated.outs);
    expect(await raw.dp(hostId)).toBeUndefined();

    // NetworkAgentPolicy
    const naCheck = await nap.p.check!(
      {},
      { __provider: nap.text, group: "Managed devices/Branch Rome", name: "NA Rome" },
    );
    expect(naCheck.failures).toEqual([]);
    const naCreated = await nap.p.create(naCheck.inputs);
    expect(
      (await raw.call("Policy.GetPolicyData", { nPolicy: Number(naCreated.id) })).PxgRetVal,
    ).toMatchObject({ KLPOL_DN: "NA Rome" });
    expect((await nap.p.read!(naCreated.id, naCreated.outs)).props).toEqual(naCreated.outs);
    await nap.p.delete!(naCreated.id, naCreated.outs);
    expect(await nap.p.read!(naCreated.id, naCreated.outs)).toEqual({ id: "" });

    // Nothing of the configuration travelled with the providers.
    for (const text of Object.values(texts)) {
      expect(text).not.toContain(emu.credentials.password);
      expect(text).not.toContain(emu.url);
    }
    console.log(
      Object.entries(texts)
        .map(([k, t]) => `${k}: ${t.length} bytes`)
        .join(", "),
    );
  });
});
