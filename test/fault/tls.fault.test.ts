// TLS against the emulator's HTTPS with its self-signed certificate: by default the provider refuses and says how
// to give the CA; the CA option works (as a file path and as PEM text); skipping verification works only when it
// is set, and then warns. Each case is a `pulumi preview` of one DistributionPoint (the check reads the console).
import * as fs from "fs";
import { startEmulator, type RunningEmulator } from "ksc-emulator";
import { newStack, type PulumiResult } from "../../tools/engine";
import { declareDir } from "../support/fault/declare";
import { kscConfig, report } from "../support/fault/fixture";

jest.setTimeout(15 * 60 * 1000);

const ONE_DP = JSON.stringify([
  {
    kind: "DistributionPoint",
    name: "dp",
    args: { deviceName: "milan-dp-01", scopeGroups: ["Managed devices/Branch Milan"] },
  },
]);

describe("TLS with the emulator's self-signed certificate", () => {
  let emu: RunningEmulator;
  const rows: string[] = [];

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, tls: true });
    expect(emu.url).toMatch(/^https:/);
  });

  afterAll(async () => {
    report("TLS", rows);
    await emu?.stop();
  });

  async function preview(title: string, extra: Record<string, string>): Promise<PulumiResult> {
    const stack = await newStack(declareDir, {
      config: kscConfig(emu.url, emu.credentials.password, { resources: ONE_DP, ...extra }),
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    try {
      const r = await stack.preview();
      rows.push(`${title}: exit ${r.code}`);
      return r;
    } finally {
      await stack.dispose();
    }
  }

  test("by default the certificate is refused, with a message saying how to give the CA", async () => {
    const r = await preview("default", {});
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted/);
    expect(r.stdout).toContain("ksc:caCert");
    expect(r.stdout).toContain("KSC_CA_CERT");
  });

  test("insecureSkipVerify: false is the same as not setting it", async () => {
    const r = await preview("insecureSkipVerify false", { "ksc:insecureSkipVerify": "false" });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/is not trusted/);
  });

  test("ksc:caCert as a file path works, without a warning", async () => {
    const r = await preview("caCert file", { "ksc:caCert": emu.caFile! });
    if (r.code !== 0) throw new Error(r.stdout + r.stderr);
    expect(r.stdout).not.toMatch(/verification is OFF/);
  });

  test("ksc:caCert as PEM text works", async () => {
    const r = await preview("caCert PEM", { "ksc:caCert": fs.readFileSync(emu.caFile!, "utf8") });
    if (r.code !== 0) throw new Error(r.stdout + r.stderr);
  });

  test("a CA that did not sign the certificate is refused", async () => {
    const other = await startEmulator({ port: 0, tls: true });
    try {
      const r = await preview("caCert of another server", { "ksc:caCert": other.caFile! });
      expect(r.code).not.toBe(0);
      expect(r.stdout).toMatch(/is not trusted/);
    } finally {
      await other.stop();
    }
  });

  test("insecureSkipVerify: true works and warns", async () => {
    const r = await preview("insecureSkipVerify true", { "ksc:insecureSkipVerify": "true" });
    if (r.code !== 0) throw new Error(r.stdout + r.stderr);
    expect(r.stdout).toMatch(/warning: .*TLS certificate verification is OFF for https:\/\/127\.0\.0\.1:\d+/);
  });
});
