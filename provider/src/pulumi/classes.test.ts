// The resource classes, with Pulumi's mocks: what a program registers (type, inputs) and what it can read back.
import * as pulumi from "@pulumi/pulumi";

const registered: pulumi.runtime.MockResourceArgs[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push(args);
      // What the provider would return: the inputs plus the outputs it computes.
      return {
        id: `${args.name}-id`,
        state: {
          ...args.inputs,
          hostId: args.inputs.hostId ?? "guid-1",
          displayName: "milan-dp-01",
          keepConnection: true,
        },
      };
    },
    call: () => ({}),
  },
  "proj",
  "stack",
  false,
);

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("resource classes", () => {
  test("register as pulumi-nodejs:dynamic/ksc:<Kind>, with their name and the serialized provider", async () => {
    const ksc = await import("../index");
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
    expect(await value(dp.hostId)).toBe("guid-1");
    expect(await value(dp.displayName)).toBe("milan-dp-01");
    expect(await value(push.keepConnection)).toBe(true);
    expect(await value(policy.name)).toBe("NA Milan");
    const byType = (kind: string) => registered.find((r) => r.type === `pulumi-nodejs:dynamic/ksc:${kind}`)!;
    expect(registered.map((r) => r.type).sort()).toEqual([
      "pulumi-nodejs:dynamic/ksc:DistributionPoint",
      "pulumi-nodejs:dynamic/ksc:NetworkAgentPolicy",
      "pulumi-nodejs:dynamic/ksc:PushServer",
    ]);
    for (const r of registered) {
      expect(r.inputs.__resourceName).toBe(r.name);
      expect(typeof r.inputs.__provider).toBe("string");
      expect((r.inputs.__provider as string).length).toBeLessThan(2048);
    }
    // Output-only properties are not sent as inputs.
    expect(Object.keys(byType("DistributionPoint").inputs).sort()).toEqual([
      "__provider",
      "__resourceName",
      "deviceName",
      "scopeGroups",
    ]);
    expect(byType("PushServer").inputs).toMatchObject({ hostId: "guid-1", port: 13295 });
  });
});
