// What the engine stores for each resource: the serialized provider. Small, no client, no configuration, no secret.
import * as pulumi from "@pulumi/pulumi";
import * as shims from "./shims";

const cases: [string, pulumi.dynamic.ResourceProvider, string][] = [
  ["DistributionPoint", shims.distributionPointProvider, "dp"],
  ["PushServer", shims.pushServerProvider, "ps"],
  ["NetworkAgentPolicy", shims.networkAgentPolicyProvider, "nap"],
];

describe("serialized providers", () => {
  const secret = "Do-Not-Serialize-Me-7781";
  beforeAll(() => {
    process.env.KSC_PASSWORD = secret;
  });
  afterAll(() => {
    delete process.env.KSC_PASSWORD;
  });

  test.each(cases)(
    "%s: under 2 KB, requires its methods by package name, captures nothing else",
    async (_kind, provider, module) => {
      // As pulumi.dynamic.Resource does: serializeFunction(() => provider).
      const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
      expect(sf.text.length).toBeLessThan(2048);
      expect(sf.containsSecrets).toBe(false);
      expect(sf.text).not.toContain(secret);
      const requires = sf.text.match(/require\("[^"]+"\)/g) ?? [];
      expect(new Set(requires)).toEqual(new Set([`require("pulumi-ksc/dist/pulumi/${module}")`]));
      expect(requires).toHaveLength(7);
      // Nothing is captured: no module, client or configuration object travels with the provider.
      expect(sf.text).not.toMatch(/axios|serverUrl|createClient|KscLong/);
      const environments = new Set(sf.text.match(/with\(\{[^}]*\}\)/g));
      expect(environments).toEqual(
        new Set([
          "with({ this: undefined, arguments: undefined })",
          "with({ provider: __provider, this: undefined, arguments: undefined })",
        ]),
      );
      for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
        expect(sf.text).toContain(`${method}: __f`);
      }
    },
  );
});
