// The native resource classes (`pulumi-ksc/native`), with Pulumi's mocks: what a program registers (type token,
// inputs, secretness) and what it reads back.
import { execFileSync } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
// Type-checked by `make lint` (tsc, moduleResolution "node", which reads typesVersions, not exports).
import type * as nativePackage from "pulumi-ksc/native";
import { nativeOpts, nativeProps } from "./nativeResource";

const registered: pulumi.runtime.MockResourceArgs[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push(args);
      // What the provider would return: the inputs plus the outputs it computes (a lookup reads them all).
      return {
        id: args.id ?? `${args.name}-id`,
        state: { ...args.inputs, hostId: args.inputs.hostId ?? "guid-1", displayName: "milan-dp-01" },
      };
    },
    call: () => ({}),
  },
  "proj",
  "stack",
  false,
);

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
const isSecret = (v: unknown) =>
  typeof v === "object" &&
  v !== null &&
  (v as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;

describe("native resource classes", () => {
  beforeEach(() => registered.splice(0));

  test("register as ksc:index:<Kind> with exactly the declared inputs: no serialized provider, no resource name", async () => {
    const ksc = await import("../native");
    const dp = new ksc.DistributionPoint("milan-dp", {
      deviceName: "milan-dp-01",
      scopeGroups: ["Branch Milan"],
    });
    const push = new ksc.PushServer("milan-push", { hostId: dp.hostId, port: 13295 });
    const policy = new ksc.NetworkAgentPolicy("milan-na", {
      group: "Branch Milan",
      name: "NA Milan",
      useUdpPort: { value: false },
    });
    expect(dp).toBeInstanceOf(pulumi.CustomResource);
    expect(await value(dp.hostId)).toBe("guid-1");
    expect(await value(dp.displayName)).toBe("milan-dp-01");
    expect(await value(push.port)).toBe(13295);
    expect(await value(policy.name)).toBe("NA Milan");
    expect(registered.map((r) => r.type).sort()).toEqual([
      "ksc:index:DistributionPoint",
      "ksc:index:NetworkAgentPolicy",
      "ksc:index:PushServer",
    ]);
    const byType = (kind: string) => registered.find((r) => r.type === `ksc:index:${kind}`)!;
    expect(byType("DistributionPoint").inputs).toEqual({
      deviceName: "milan-dp-01",
      scopeGroups: ["Branch Milan"],
    });
    expect(byType("PushServer").inputs).toEqual({ hostId: "guid-1", port: 13295 });
    expect(byType("NetworkAgentPolicy").inputs).toEqual({
      group: "Branch Milan",
      name: "NA Milan",
      useUdpPort: { value: false },
    });
    // The dynamic classes are another type of resource altogether.
    const dynamic = await import("../index");
    expect(dynamic.DistributionPoint).not.toBe(ksc.DistributionPoint);
  });

  test("get() looks a resource up by its provider id and sends no inputs", async () => {
    const ksc = await import("../native");
    const push = ksc.PushServer.get("adopted-push", "3f2a-host");
    expect(await value(push.id)).toBe("3f2a-host");
    expect(await value(push.hostId)).toBe("guid-1");
    expect(registered).toHaveLength(1);
    expect(registered[0]).toMatchObject({
      type: "ksc:index:PushServer",
      name: "adopted-push",
      id: "3f2a-host",
    });
    expect(registered[0].inputs).toEqual({});
  });
});

describe("secret properties (schema.json `secret: true`)", () => {
  const meta = {
    outputs: ["hostId", "remoteAddress", "port"],
    secretInputs: ["remoteAddress"],
    secretOutputs: [],
  };

  test("a secret input is registered as a secret, the others as they are", async () => {
    const props = nativeProps(meta, { hostId: "h", remoteAddress: "10.0.0.9" }, {});
    class Probe extends pulumi.CustomResource {}
    const res = new Probe("ksc:index:PushServer", "p", props);
    await value(res.urn); // registered once its URN is known
    const inputs = registered.find((r) => r.name === "p")!.inputs;
    expect(isSecret(inputs.remoteAddress)).toBe(true);
    expect(inputs.remoteAddress.value).toBe("10.0.0.9");
    expect(inputs.hostId).toBe("h");
  });

  test("the check can fail: without the schema's mark the same input goes out in clear", () => {
    const props = nativeProps({ ...meta, secretInputs: [] }, { hostId: "h", remoteAddress: "10.0.0.9" }, {});
    expect(pulumi.Output.isInstance(props.remoteAddress)).toBe(false);
    expect(props.remoteAddress).toBe("10.0.0.9");
    const marked = nativeProps(meta, { hostId: "h", remoteAddress: "10.0.0.9" }, {});
    expect(pulumi.Output.isInstance(marked.remoteAddress)).toBe(true);
  });

  test("secret outputs are added to the program's own additionalSecretOutputs", () => {
    expect(
      nativeOpts({ ...meta, secretOutputs: ["remoteAddress"] }, { additionalSecretOutputs: ["port"] }),
    ).toEqual(expect.objectContaining({ additionalSecretOutputs: ["port", "remoteAddress"] }));
    expect(nativeOpts(meta, { protect: true })).toEqual({ protect: true });
  });

  test("a lookup sends no inputs, secret or not", () => {
    expect(nativeProps(meta, { hostId: "h", remoteAddress: "x" }, { id: "h" })).toEqual({
      hostId: undefined,
      remoteAddress: undefined,
      port: undefined,
    });
  });
});

describe("package entry points (provider/package.json exports; needs `npx tsc -b provider`)", () => {
  const root = path.resolve(__dirname, "../../..");
  const resolveInNode = (script: string) =>
    execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" });

  test("pulumi-ksc/native is the native classes, with the same types as the source", async () => {
    const cls: typeof nativePackage.PushServer = (await import("../native")).PushServer;
    expect(cls.__pulumiType).toBe("ksc:index:PushServer");
    const out = resolveInNode(
      'const n = require("pulumi-ksc/native"); console.log(Object.keys(n).sort().map((k) => n[k].__pulumiType).join(" "))',
    );
    expect(out.trim()).toBe("ksc:index:DistributionPoint ksc:index:NetworkAgentPolicy ksc:index:PushServer");
  });

  test("the paths that serialized dynamic providers and tools require still resolve", () => {
    const paths = [
      "pulumi-ksc",
      "pulumi-ksc/dist/pulumi/dp",
      "pulumi-ksc/dist/pulumi/impl.js",
      "pulumi-ksc/dist/ksc",
    ];
    const out = resolveInNode(`for (const m of ${JSON.stringify(paths)}) console.log(require.resolve(m))`);
    expect(
      out
        .trim()
        .split("\n")
        .map((f) => path.relative(root, f)),
    ).toEqual([
      "provider/dist/index.js",
      "provider/dist/pulumi/dp.js",
      "provider/dist/pulumi/impl.js",
      "provider/dist/ksc/index.js",
    ]);
  });
});
