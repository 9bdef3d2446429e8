// bin/pulumi-ksc-run with a program's own errors and with `pulumi import` (issue 13, items 8 and 9), on a
// three-line program that uses no pulumi-ksc (test/engine/config-error/).
import * as path from "path";
import { expectSuccess, newStack, type TestStack } from "../../tools/engine";

jest.setTimeout(5 * 60 * 1000);

describe("the runner with a program's own errors and with pulumi import", () => {
  let stack: TestStack | undefined;
  const theStack = (): TestStack => {
    if (!stack) throw new Error("stack was not created");
    return stack;
  };

  beforeAll(async () => {
    stack = await newStack(path.join(__dirname, "config-error"), { config: { n: "abc" } });
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  test("an invalid config value fails the preview with the SDK's message, naming the key and the value", async () => {
    const preview = await theStack().preview();
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toContain(
      "Configuration 'ksc-engine-config-error:n' value 'abc' is not a valid number",
    );
  });

  // Before the guard, the program process spent ~30 s in util.inspect after reporting that error (and its
  // error report was only slow, not different). This checks the cause instead of the time: in the program's
  // process, coloured inspection of an error from the SDK's sources returns. Without the guard the probe
  // throws "RangeError: Invalid string length" and the preview fails.
  test("in the program's process, an error from the SDK's own sources can be inspected with colours", async () => {
    await theStack().setConfig("inspectProbe", "true");
    await theStack().setConfig("n", "1");
    const preview = expectSuccess(await theStack().preview());
    expect(preview.stdout).toContain("inspected: true");
  });

  test("pulumi import of a dynamic resource says it cannot be imported and points to adopt and generate", async () => {
    const result = await theStack().run([
      "import",
      "pulumi-nodejs:dynamic:Resource",
      "milan-dp",
      "42",
      "--yes",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Pulumi cannot import dynamic resources");
    expect(result.stderr).toContain("https://github.com/pulumi/pulumi/issues/3550");
    expect(result.stderr).toContain("adopt: true");
    expect(result.stderr).toContain("pulumi-ksc generate");
    expect(result.stderr + result.stdout).not.toContain("no language plugin");
    expect(await theStack().resources()).toEqual([]);
  });
});
