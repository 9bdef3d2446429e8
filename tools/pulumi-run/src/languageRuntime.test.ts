import { parseRuntimeOptions } from "./languageRuntime";

describe("Pulumi.yaml runtime options", () => {
  test("a bare `runtime: nodejs` means TypeScript on, no node arguments (the Go host's defaults)", () => {
    expect(parseRuntimeOptions({ name: "p", runtime: "nodejs" })).toEqual({ typescript: true, nodeargs: [] });
  });

  test("options are read", () => {
    const yaml = {
      runtime: {
        name: "nodejs",
        options: {
          typescript: false,
          tsconfig: "tsconfig.build.json",
          nodeargs: "--max-old-space-size=4096  --trace-warnings",
        },
      },
    };
    expect(parseRuntimeOptions(yaml)).toEqual({
      typescript: false,
      tsconfig: "tsconfig.build.json",
      nodeargs: ["--max-old-space-size=4096", "--trace-warnings"],
    });
  });

  test("a non-boolean typescript option is an error, as in the Go host", () => {
    expect(() => parseRuntimeOptions({ runtime: { name: "nodejs", options: { typescript: "no" } } })).toThrow(
      /typescript must be a boolean/,
    );
  });
});
