import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  Estate,
  FAST_START_TYPESCRIPT,
  RenderOptions,
  bundlePackage,
  bundledSpec,
  literal,
  packageVersions,
  renderProgram,
  slug,
  unverifiedNames,
} from "./generate";
import { resolveKeyNames } from "../ksc/keys";

const options: RenderOptions = {
  projectName: "estate",
  pulumiKscVersion: bundledSpec("0.1.0"),
  pulumiVersion: "3.248.0",
  retainOnDelete: true,
};

const dpInputs = {
  port: 13000,
  nonSslPort: 14000,
  multicastAddress: "",
  distributeUpdates: true,
  distributePackages: false,
  customFolder: "D:\\KSC data",
  connectionGateway: false,
  gatewayRemoteAddress: "",
  gatewayServerInitiatesConnection: false,
  scopeNlaNetworks: [],
  adopt: true,
};

function estate(extra: Partial<Estate> = {}): Estate {
  return {
    server: "https://ksc.corp:13299",
    readAt: "2024-05-06T09:00:00.000Z",
    groups: [{ id: 10, path: "Managed devices/Branch Milan" }],
    distributionPoints: [
      {
        hostId: "guid-1",
        displayName: "milan-dp-01",
        inputs: { deviceName: "milan-dp-01", scopeGroups: ["Managed devices/Branch Milan"], ...dpInputs },
        push: { port: 13296, remoteAddress: "push.milan.example", adopt: true },
        notes: [],
      },
      {
        hostId: "guid-2",
        displayName: "shared-name-01",
        inputs: { hostId: "guid-2", scopeGroups: ["Managed devices/Branch Milan", 77], ...dpInputs },
        notes: ['2 devices are named "shared-name-01": declared by host id'],
      },
    ],
    policies: [
      {
        id: 5,
        groupPath: "Managed devices/Branch Milan",
        inputs: {
          group: "Managed devices/Branch Milan",
          name: "Milan agents",
          active: true,
          inheritFromParent: true,
          forceInheritance: false,
          forceConnectionThroughDp: { value: true, locked: true },
          useUdpPort: { value: false, locked: false },
          udpPort: { value: 15001, locked: true },
          adopt: true,
        },
        notes: [],
      },
    ],
    skipped: [{ what: 'Network Agent policy "Old" (id 9)', reason: "it does not hold useUdpPort" }],
    warnings: [],
    ...extra,
  };
}

test("every resource is declared with adopt: true and exactly the settings read", () => {
  const p = renderProgram(estate(), options);
  const index = p.files["index.ts"];
  expect(p.resources.map((r) => [r.type, r.name])).toEqual([
    ["DistributionPoint", "milan-dp-01"],
    ["PushServer", "milan-dp-01-push"],
    ["DistributionPoint", "shared-name-01"],
    ["NetworkAgentPolicy", "branch-milan-milan-agents"],
  ]);
  expect(index).toContain(
    'const milanDp01 = new ksc.DistributionPoint(\n  "milan-dp-01",\n  {\n    deviceName: "milan-dp-01",',
  );
  expect(index).toContain('    scopeGroups: ["Managed devices/Branch Milan"],');
  expect(index).toContain('    customFolder: "D:\\\\KSC data",');
  expect(index).toContain("    distributePackages: false,");
  // The push server follows its DP's host id, so it is created after the DP.
  expect(index).toContain(
    'const milanDp01Push = new ksc.PushServer(\n  "milan-dp-01-push",\n  {\n    hostId: milanDp01.hostId,\n    port: 13296,\n    remoteAddress: "push.milan.example",\n    adopt: true,',
  );
  expect(index).toContain('    hostId: "guid-2",');
  expect(index).toContain('    scopeGroups: ["Managed devices/Branch Milan", 77],');
  expect(index).toContain('// Note: 2 devices are named "shared-name-01": declared by host id');
  expect(index).toContain("    forceConnectionThroughDp: { value: true, locked: true },");
  expect(index).toContain("    udpPort: { value: 15001, locked: true },");
  expect(index.match(/^ {4}adopt: true,$/gm)).toHaveLength(4);
  expect(index.match(/^ {2}opts,$/gm)).toHaveLength(4);
  expect(index).toContain("const opts: pulumi.CustomResourceOptions = { retainOnDelete: true };");
  // What was left out is said in the program, too.
  expect(index).toContain('// - Network Agent policy "Old" (id 9): it does not hold useUdpPort');
});

test("the project files: Pulumi.yaml, package.json with pulumi-ksc and @pulumi/pulumi, tsconfig.json", () => {
  const p = renderProgram(estate(), options);
  expect(p.files["Pulumi.yaml"]).toMatch(
    /^name: estate\ndescription: ".*Branch Milan.*"\nruntime:\n {2}name: nodejs\n/,
  );
  expect(JSON.parse(p.files["package.json"])).toMatchObject({
    name: "estate",
    main: "index.ts",
    dependencies: { "@pulumi/pulumi": "3.248.0", "pulumi-ksc": "file:pulumi-ksc-0.1.0.tgz" },
  });
  expect(JSON.parse(p.files["tsconfig.json"]).files).toEqual(["index.ts"]);
});

test("the program starts without type checking (tsconfig.pulumi.json, noCheck), and `npm run check` type-checks it", () => {
  const p = renderProgram(estate(), options);
  expect(p.files["Pulumi.yaml"]).toContain("\n    typescript: true\n");
  expect(p.files["Pulumi.yaml"]).toMatch(/\n {4}tsconfig: tsconfig\.pulumi\.json\n/);
  expect(JSON.parse(p.files["tsconfig.pulumi.json"])).toEqual({
    extends: "./tsconfig.json",
    compilerOptions: { noCheck: true },
  });
  const pkg = JSON.parse(p.files["package.json"]) as {
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
  };
  expect(pkg.scripts.check).toBe("tsc --noEmit");
  expect(pkg.dependencies.typescript).toBe(FAST_START_TYPESCRIPT);
});

test("package.json names the @pulumi/pulumi this package runs with, exactly, and this package's version", () => {
  const sdk = (
    JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  const own = (
    JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as { version: string }
  ).version;
  expect(packageVersions()).toEqual({ pulumi: sdk, pulumiKsc: own });
  expect(sdk).toMatch(/^\d+\.\d+\.\d+$/);
});

describe("the pulumi-ksc dependency: a copy of this package next to the program", () => {
  let dir: string;
  let pkg: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-ksc-bundle-"));
    pkg = path.join(dir, "pkg");
    fs.mkdirSync(path.join(pkg, "dist"), { recursive: true });
    fs.writeFileSync(path.join(pkg, "dist", "index.js"), "module.exports = 1;\n");
    fs.writeFileSync(
      path.join(pkg, "package.json"),
      JSON.stringify({
        name: "pulumi-ksc",
        version: "9.8.7",
        files: ["dist/**/*.js"],
        // An installed package has no sources to build: a prepack script must not run.
        scripts: { prepack: "exit 1" },
      }),
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("bundlePackage writes the tarball bundledSpec names, with the built code, without running scripts", () => {
    const out = path.join(dir, "program");
    fs.mkdirSync(out);
    expect(bundlePackage(out, pkg)).toBe("pulumi-ksc-9.8.7.tgz");
    expect(bundledSpec("9.8.7")).toBe("file:pulumi-ksc-9.8.7.tgz");
    const listing = execFileSync("tar", ["tzf", path.join(out, "pulumi-ksc-9.8.7.tgz")], {
      encoding: "utf8",
    });
    expect(listing.split("\n").sort()).toEqual(["", "package/dist/index.js", "package/package.json"]);
  });

  test("when npm cannot pack, the error says how to name the dependency instead", () => {
    expect(() => bundlePackage(path.join(dir, "no-such-dir"), pkg)).toThrow(
      /could not write pulumi-ksc-9\.8\.7\.tgz .*--pulumi-ksc-version SPEC/,
    );
  });
});

test("without retainOnDelete the program has no options and no pulumi import", () => {
  const index = renderProgram(estate(), { ...options, retainOnDelete: false }).files["index.ts"];
  expect(index).not.toContain("opts");
  expect(index).not.toContain("@pulumi/pulumi");
});

test("a resource whose settings fail the resource's own check is left out, with the reason", () => {
  const e = estate();
  e.distributionPoints[0].inputs.port = 14000; // equal to nonSslPort: the DistributionPoint check refuses it
  e.policies[0].inputs.name = " padded ";
  const p = renderProgram(e, options);
  expect(p.resources.map((r) => r.name)).toEqual(["shared-name-01"]);
  expect(p.skipped.map((s) => s.what)).toEqual([
    'Network Agent policy "Old" (id 9)',
    "distribution point milan-dp-01 (host id guid-1)",
    'Network Agent policy " padded " (id 5) of group "Managed devices/Branch Milan"',
  ]);
  expect(p.skipped[1].reason).toMatch(/nonSslPort: must differ from port/);
  expect(p.files["index.ts"]).not.toContain("milanDp01");
});

test("names stay unique and valid as identifiers", () => {
  const e = estate();
  e.distributionPoints[1].displayName = "milan-dp-01";
  e.distributionPoints.push({ ...e.distributionPoints[1], displayName: "1st/DP", hostId: "guid-3" });
  const p = renderProgram(e, options);
  expect(p.resources.filter((r) => r.type === "DistributionPoint").map((r) => r.name)).toEqual([
    "milan-dp-01",
    "milan-dp-01-2",
    "1st-dp",
  ]);
  expect(p.files["index.ts"]).toContain("const milanDp012 = new ksc.DistributionPoint(");
  expect(p.files["index.ts"]).toContain("const r1stDp = new ksc.DistributionPoint(");
});

test("an empty estate still gives a valid module", () => {
  const p = renderProgram(estate({ distributionPoints: [], policies: [], skipped: [] }), options);
  expect(p.resources).toEqual([]);
  expect(p.files["index.ts"]).toContain("export {};");
});

test("literals and slugs", () => {
  expect(literal({ value: true, "odd key": [1, 'a"b'], skip: undefined })).toBe(
    '{ value: true, "odd key": [1, "a\\"b"] }',
  );
  expect(slug("Kaspersky Security Center Network Agent")).toBe("kaspersky-security-center-network-agent");
  expect(slug("***")).toBe("x");
});

test("placeholder and evidence names in use are reported, names from an override file are not", () => {
  expect(unverifiedNames(resolveKeyNames({}))).toEqual(
    expect.arrayContaining([
      "dp.pushServerEnabled = PROPOSED_UaPushServerEnabled (placeholder)",
      "networkAgent.udpPort = Nagentports (evidence)",
    ]),
  );
  const real = resolveKeyNames({
    dp: { pushServerEnabled: "A", pushServerPort: "B", pushServerRemoteAddress: "C" },
    host: { keepConnection: "D" },
    networkAgent: { networkSection: "E", useUdpPort: "F", udpPort: "G", forceConnectionThroughDp: "H" },
  });
  expect(unverifiedNames(real)).toEqual([]);
});

test("a console name with line breaks cannot escape its comment", () => {
  const e = estate();
  e.distributionPoints[1].displayName = "evil\nconst injected = 1;\u2028another\r\nlast";
  const index = renderProgram(e, options).files["index.ts"];
  const lines = index.split(/\r\n|[\n\r\u2028\u2029]/);
  expect(lines.filter((l) => /^(const injected|another|last)/.test(l.trim()))).toEqual([]);
  expect(index).toContain("// distribution point evil");
  expect(index).toContain("// const injected = 1;");
});
