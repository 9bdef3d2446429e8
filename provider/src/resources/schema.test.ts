// schema.json is a valid Pulumi package schema, and what the provider derives from it is consistent.
import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import { goModCache } from "../../../test/support/go";
import { PACKAGE_SCHEMA } from "./schema.generated";
import { DOCS_KEY, RESOURCE_KINDS, RESOURCE_TOKENS } from "./schemaTypes";
import { inputJsonSchema, newAjv } from "./validation";

const ROOT = path.resolve(__dirname, "../../..");
const schemaJson = JSON.parse(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8"));

// The metaschema of the Pulumi version pinned in tools/pulumi-cli/go.mod, from the Go module cache (where Go says).
function findMetaschema(): string | undefined {
  const gomod = fs.readFileSync(path.join(ROOT, "tools/pulumi-cli/go.mod"), "utf8");
  const version = /github\.com\/pulumi\/pulumi\/pkg\/v3 (v[\w.-]+)/.exec(gomod)?.[1];
  if (!version) return undefined;
  const modcache = goModCache();
  if (!modcache) return undefined;
  const f = path.join(modcache, `github.com/pulumi/pulumi/pkg/v3@${version}`, "codegen/schema/pulumi.json");
  return fs.existsSync(f) ? f : undefined;
}

describe("schema.json", () => {
  const metaschemaFile = findMetaschema();
  // The metaschema comes with the Go modules of the CLI build (`make pulumi`). A user who links an installed CLI
  // has no Go module cache, and the check is skipped, visibly; `make test` with Go sets KSC_REQUIRE_METASCHEMA=1.
  if (!metaschemaFile && process.env.KSC_REQUIRE_METASCHEMA) {
    throw new Error(
      "the Pulumi package metaschema is not in the Go module cache: run `make pulumi`, or `go mod download` in tools/pulumi-cli",
    );
  }
  (metaschemaFile ? test : test.skip)("is valid against the Pulumi package metaschema", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(metaschemaFile!, "utf8")));
    const ok = validate(schemaJson);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The check can fail: a resource property with a bogus type is rejected.
    const broken = JSON.parse(JSON.stringify(schemaJson));
    broken.resources["ksc:index:PushServer"].inputProperties.port.type = "port";
    expect(validate(broken)).toBe(false);
  });

  test("is the schema embedded in the provider", () => {
    expect(PACKAGE_SCHEMA).toEqual(schemaJson);
  });

  test("names the package ksc and the three resources", () => {
    expect(schemaJson.name).toBe("ksc");
    expect(Object.keys(schemaJson.resources).sort()).toEqual(Object.values(RESOURCE_TOKENS).sort());
  });

  test.each(RESOURCE_KINDS)("%s: the input validation compiles under ajv's strict mode", (kind) => {
    expect(() => newAjv().compile(inputJsonSchema(kind))).not.toThrow();
  });

  test.each(RESOURCE_KINDS)("%s: every input is also an output, and every property is described", (kind) => {
    const r = PACKAGE_SCHEMA.resources[RESOURCE_TOKENS[kind]];
    for (const [name, p] of Object.entries(r.inputProperties)) {
      expect({ name, output: name in r.properties }).toEqual({ name, output: true });
      expect(p.description?.length ?? 0).toBeGreaterThan(10);
    }
    for (const p of Object.values(r.properties)) expect(p.description?.length ?? 0).toBeGreaterThan(5);
    for (const name of r.requiredInputs ?? []) expect(Object.keys(r.inputProperties)).toContain(name);
    for (const name of r.required ?? []) expect(Object.keys(r.properties)).toContain(name);
  });

  test("replace-on-change inputs are the device, the DP of a push server and the group of a policy", () => {
    const replacing = Object.fromEntries(
      RESOURCE_KINDS.map((k) => [
        k,
        Object.entries(PACKAGE_SCHEMA.resources[RESOURCE_TOKENS[k]].inputProperties)
          .filter(([, p]) => p.replaceOnChanges)
          .map(([n]) => n),
      ]),
    );
    expect(replacing).toEqual({
      DistributionPoint: ["hostId", "deviceName"],
      PushServer: ["hostId"],
      NetworkAgentPolicy: ["group"],
    });
  });

  test("config variables: secrets are marked, every variable has its KSC_* environment variable", () => {
    const vars = PACKAGE_SCHEMA.config.variables;
    expect(Object.keys(vars)).toEqual([
      "serverUrl",
      "user",
      "password",
      "domain",
      "internal",
      "token",
      "webToken",
      "virtualServer",
      "caCert",
      "insecureSkipVerify",
      "timeoutMs",
      "maxInFlight",
      "keyNamesFile",
    ]);
    expect(
      Object.entries(vars)
        .filter(([, v]) => v.secret)
        .map(([n]) => n),
    ).toEqual(["password", "token", "webToken"]);
    for (const v of Object.values(vars)) {
      expect(v.defaultInfo?.environment?.[0]).toMatch(/^KSC_[A-Z_]+$/);
      expect(v.description?.length ?? 0).toBeGreaterThan(10);
    }
    expect(typeof PACKAGE_SCHEMA.language?.[DOCS_KEY]?.configurationExample).toBe("string");
  });
});
