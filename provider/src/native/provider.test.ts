import { CreatedWithErrorsError, RESOURCE_NAME_KEY } from "../resources/common";
import type { ResourceKind } from "../resources/schemaTypes";
import type { forKind } from "../pulumi/impl";
import { kindOf, nativeProvider, parseUrn, pluginVersion } from "./provider";
import { SECRET_SIG, SIG_KEY } from "./secrets";

type Methods = ReturnType<typeof forKind>;
type Props = Record<string, unknown>;

const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const urn = (type: string, name: string) => `urn:pulumi:dev::proj::${type}::${name}`;

/** Per-resource methods that record what they were given and answer with `answers`. */
function recording(answers: Partial<Methods> = {}) {
  const calls: { kind: ResourceKind; method: string; args: unknown[] }[] = [];
  const methods = (kind: ResourceKind): Methods => {
    const rec =
      (method: keyof Methods, answer: (...a: never[]) => unknown) =>
      (...args: unknown[]) => {
        calls.push({ kind, method, args });
        return answer(...(args as never[]));
      };
    return {
      configure: rec("configure", async () => undefined),
      check: rec("check", answers.check ?? (async (_o: Props, n: Props) => ({ inputs: n, failures: [] }))),
      diff: rec(
        "diff",
        answers.diff ?? (() => ({ changes: false, replaces: [], deleteBeforeReplace: false, diffs: [] })),
      ),
      create: rec(
        "create",
        answers.create ?? (async (i: Props) => ({ id: "id-1", outs: { ...i, extra: 1 } })),
      ),
      read: rec("read", answers.read ?? (async (id: string, p: Props) => ({ id, props: p, inputs: p }))),
      update: rec("update", answers.update ?? (async (_id: string, _o: Props, n: Props) => ({ outs: n }))),
      delete: rec("delete", async () => undefined),
    } as Methods;
  };
  return { calls, methods };
}

describe("the native provider: routing and what differs on its wire", () => {
  test("a URN gives the type (after any parent types) and the name, which may hold '::'", () => {
    expect(parseUrn("urn:pulumi:dev::proj::ksc:index:PushServer::branch-push")).toEqual({
      type: "ksc:index:PushServer",
      name: "branch-push",
    });
    expect(parseUrn("urn:pulumi:dev::proj::my:Site$ksc:index:DistributionPoint::a::b")).toEqual({
      type: "ksc:index:DistributionPoint",
      name: "a::b",
    });
    expect(() => parseUrn("ksc:index:PushServer")).toThrow(/not a resource URN/);
  });

  test.each([
    ["ksc:index:DistributionPoint", "DistributionPoint"],
    ["ksc:index:PushServer", "PushServer"],
    ["ksc:index:NetworkAgentPolicy", "NetworkAgentPolicy"],
  ])("%s is routed to the %s methods", async (type, kind) => {
    const { calls, methods } = recording();
    await nativeProvider("1.2.3", methods).delete!("id-9", urn(type, "x"), {});
    expect(calls).toEqual([{ kind, method: "delete", args: ["id-9", {}] }]);
  });

  test("another type is refused with the types the plugin has", () => {
    expect(() => kindOf(urn("ksc:index:Other", "x"))).toThrow(
      "pulumi-resource-ksc has no resource type ksc:index:Other (it has ksc:index:DistributionPoint, ksc:index:PushServer, ksc:index:NetworkAgentPolicy)",
    );
  });

  test("check gets the resource name from the URN, plain values; the engine gets inputs without the name, secrets marked again", async () => {
    const { calls, methods } = recording();
    const result = await nativeProvider("1.2.3", methods).check!(
      urn("ksc:index:PushServer", "branch-push"),
      { port: secret(13295) },
      { hostId: "h", port: secret(13300) },
    );
    expect(calls[0].args).toEqual([
      { port: 13295 },
      { hostId: "h", port: 13300, [RESOURCE_NAME_KEY]: "branch-push" },
    ]);
    expect(result).toEqual({ inputs: { hostId: "h", port: secret(13300) }, failures: [] });
  });

  test("check failures reach the engine with their property", async () => {
    const failures = [{ property: "port", reason: "must be at most 65535" }];
    const { methods } = recording({ check: async (_o: Props, n: Props) => ({ inputs: n, failures }) });
    const result = await nativeProvider("1.2.3", methods).check!(
      urn("ksc:index:PushServer", "p"),
      {},
      { port: 70000 },
    );
    expect(result.failures).toEqual(failures);
  });

  test("create and update: an output follows its input's secretness", async () => {
    const { methods } = recording();
    const provider = nativeProvider("1.2.3", methods);
    expect(
      await provider.create!(urn("ksc:index:PushServer", "p"), { hostId: "h", port: secret(13295) }),
    ).toEqual({
      id: "id-1",
      outs: { hostId: "h", port: secret(13295), extra: 1 },
    });
    expect(
      await provider.update!(
        "id-1",
        urn("ksc:index:PushServer", "p"),
        { port: 1 },
        { port: secret(2), hostId: "h" },
      ),
    ).toEqual({ outs: { port: secret(2), hostId: "h" } });
  });

  test("a create that made the object and then failed reaches the SDK's server as it was thrown, with id and properties (an initialization error the engine records)", async () => {
    const partial = new CreatedWithErrorsError("enabling the push server: KLSTD 1186", "h-1", {
      hostId: "h-1",
    });
    const { methods } = recording({
      create: async () => {
        throw partial;
      },
    });
    await expect(nativeProvider("1.2.3", methods).create!(urn("ksc:index:PushServer", "p"), {})).rejects.toBe(
      partial,
    );
    expect({ id: partial.id, properties: partial.properties, reasons: partial.reasons }).toEqual({
      id: "h-1",
      properties: { hostId: "h-1" },
      reasons: ["enabling the push server: KLSTD 1186"],
    });
  });

  test("read for import: no properties, and an object that is gone answers an empty id", async () => {
    const { calls, methods } = recording({
      read: async (id: string) =>
        id === "gone" ? { id: "" } : { id, props: { hostId: id }, inputs: { hostId: id } },
    });
    const provider = nativeProvider("1.2.3", methods);
    expect(await provider.read!("h-1", urn("ksc:index:DistributionPoint", "dp"), {})).toEqual({
      id: "h-1",
      props: { hostId: "h-1" },
      inputs: { hostId: "h-1" },
    });
    expect(calls[0].args).toEqual(["h-1", {}]);
    expect(await provider.read!("gone", urn("ksc:index:DistributionPoint", "dp"), undefined)).toEqual({
      id: "",
    });
  });

  test("getSchema answers schema.json with the plugin's version, which is the package's", async () => {
    const schema = JSON.parse(await nativeProvider(pluginVersion(), recording().methods).getSchema!()) as {
      name: string;
      version: string;
      resources: Record<string, unknown>;
      config: { variables: Record<string, { secret?: boolean }> };
    };
    expect(schema.version).toBe(require("../../package.json").version);
    expect(schema.name).toBe("ksc");
    expect(Object.keys(schema.resources).sort()).toEqual([
      "ksc:index:DistributionPoint",
      "ksc:index:NetworkAgentPolicy",
      "ksc:index:PushServer",
    ]);
    // The credentials are secret in the schema (and so in the generated SDKs and in `pulumi config`).
    expect(
      Object.entries(schema.config.variables)
        .filter(([, v]) => v.secret)
        .map(([k]) => k),
    ).toEqual(["password", "token", "webToken"]);
  });
});
