// What replaces a resource comes from schema.json (replaceOnChanges), not from the resources' code. diffCoverage.test.ts
// drives every input of every resource through its diff; this file pins the rule itself.
import { diffResult, replacesOf } from "./provider";
import { PACKAGE_SCHEMA } from "./schema.generated";
import { RESOURCE_KINDS, RESOURCE_TOKENS, ResourceSpec } from "./schemaTypes";

describe("replace rules from schema.json", () => {
  test.each(RESOURCE_KINDS)("%s: exactly the inputs marked replaceOnChanges replace", (kind) => {
    const props = PACKAGE_SCHEMA.resources[RESOURCE_TOKENS[kind]].inputProperties;
    for (const [name, spec] of Object.entries(props)) {
      expect(replacesOf(kind, [name])).toEqual(spec.replaceOnChanges === true ? [name] : []);
    }
  });

  test("today's rules: the device of a DistributionPoint, the host of a PushServer, the group of a policy", () => {
    const all = (kind: keyof typeof RESOURCE_TOKENS) =>
      replacesOf(kind, Object.keys(PACKAGE_SCHEMA.resources[RESOURCE_TOKENS[kind]].inputProperties));
    expect(all("DistributionPoint")).toEqual(["hostId", "deviceName"]);
    expect(all("PushServer")).toEqual(["hostId"]);
    expect(all("NetworkAgentPolicy")).toEqual(["group"]);
  });

  test("drift that is no input (a push server turned off) is a change, never a replace", () => {
    expect(diffResult("PushServer", ["running"])).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      diffs: ["running"],
    });
    expect(diffResult("PushServer", [])).toMatchObject({ changes: false, replaces: [] });
  });

  test("the check can fail: with replaceOnChanges taken off hostId in the schema, a new hostId updates in place", () => {
    const spec = PACKAGE_SCHEMA.resources[RESOURCE_TOKENS.PushServer];
    const { replaceOnChanges: _dropped, ...hostId } = spec.inputProperties.hostId;
    const edited: ResourceSpec = { ...spec, inputProperties: { ...spec.inputProperties, hostId } };
    expect(replacesOf("PushServer", ["hostId", "port"])).toEqual(["hostId"]);
    expect(replacesOf("PushServer", ["hostId", "port"], edited)).toEqual([]);
  });
});
