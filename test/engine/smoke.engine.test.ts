// Engine smoke test: the real pulumi CLI, the language runtime and the dynamic-provider plugin work
// together offline, on a program with one trivial dynamic resource (test/engine/smoke/).
import * as path from "path";
import { expectSuccess, newStack, type TestStack } from "../../tools/engine";

// Each step runs the real CLI (several seconds); jest.config.js cannot set per-tier timeouts (Jest 29).
jest.setTimeout(5 * 60 * 1000);

describe("engine smoke test: one dynamic resource through up, preview, update and destroy", () => {
  let stack: TestStack | undefined;

  const theStack = (): TestStack => {
    if (!stack) throw new Error("stack was not created");
    return stack;
  };

  beforeAll(async () => {
    stack = await newStack(path.join(__dirname, "smoke"), { config: { message: "hello" } });
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  test("up creates the resource, with outputs computed by the provider", async () => {
    expectSuccess(await theStack().up());
    expect(await theStack().outputs()).toEqual({ message: "hello", length: 5 });
    const resources = await theStack().resources();
    expect(resources.map((r) => r.type)).toEqual(["pulumi-nodejs:dynamic:Resource"]);
    expect(resources[0].outputs).toMatchObject({ message: "hello", length: 5 });
  });

  test("preview --expect-no-changes exits 0 when nothing changed", async () => {
    expectSuccess(await theStack().preview(["--expect-no-changes"]));
  });

  test("a changed input shows as an update, and --expect-no-changes then exits 7", async () => {
    await theStack().setConfig("message", "goodbye");

    const preview = await theStack().previewJson();
    const greeting = preview.steps.find((s) => s.urn.endsWith("::greeting"));
    // A dynamic provider's diff says only "changed" (no detailed diff,
    // docs/pulumi-behaviour.md#dynamic-resources-in-the-cli); the step carries the old and new inputs.
    expect(greeting).toMatchObject({
      op: "update",
      oldState: { inputs: { message: "hello" } },
      newState: { inputs: { message: "goodbye" } },
    });
    expect(preview.changeSummary).toMatchObject({ update: 1 });

    expect((await theStack().preview(["--expect-no-changes"])).code).toBe(7);
  });

  test("up applies the update through the provider", async () => {
    expectSuccess(await theStack().up());
    expect(await theStack().outputs()).toEqual({ message: "goodbye", length: 7 });
  });

  test("destroy deletes the resource", async () => {
    expectSuccess(await theStack().destroy());
    expect(await theStack().resources()).toEqual([]);
  });
});
