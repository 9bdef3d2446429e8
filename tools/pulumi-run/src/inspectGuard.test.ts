import * as util from "util";
import { guardedInspect, withPreloadInNodeOptions, wouldLoopInColouredInspect } from "./inspectGuard";

/** An error as the SDK throws it for `config.requireNumber("n")` given "abc", source-mapped. */
function sdkConfigError(): Error {
  const err = new Error("Configuration 'cfg:n' value 'abc' is not a valid number");
  err.stack = [
    "Error: Configuration 'cfg:n' value 'abc' is not a valid number",
    "    at Config.getNumberImpl (/home/u/proj/node_modules/@pulumi/config.ts:209:19)",
    "    at Object.<anonymous> (/home/u/proj/index.ts:3:25)",
    "    at Module.m._compile (/home/u/proj/node_modules/ts-node/src/index.ts:1618:23)",
  ].join("\n");
  return err;
}

function errorWithFrame(frame: string): Error {
  const err = new Error("x");
  err.stack = `Error: x\n    at f (${frame})`;
  return err;
}

describe("which stacks make Node's coloured inspect loop (nodejs/node#64011)", () => {
  test.each([
    ["/a/node_modules/@pulumi/config.ts:1:1", true], // scope and file, no package segment
    ["C:\\a\\node_modules\\@pulumi\\config.ts:1:1", true],
    ["/a/node_modules/foo.js:1:1", true], // a file right under node_modules
    ["/a/node_modules/@pulumi/pulumi/config.js:1:1", false],
    ["/a/node_modules/ts-node/src/index.ts:1:1", false],
    ["/a/node_modules/x/node_modules/@s/p/i.js:1:1", false],
    ["/a/node_modules/x/node_modules/@s/i.js:1:1", true],
    ["/a/my_node_modules_dir/i.js:1:1", false],
    ["/a/src/index.ts:1:1", false],
  ])("%s → %s", (frame, loops) => {
    expect(wouldLoopInColouredInspect(errorWithFrame(frame))).toBe(loops);
  });

  test("an error whose cause, or one of whose errors, has such a stack", () => {
    expect(wouldLoopInColouredInspect(new Error("outer", { cause: sdkConfigError() }))).toBe(true);
    expect(wouldLoopInColouredInspect(new AggregateError([new Error("a"), sdkConfigError()]))).toBe(true);
    expect(wouldLoopInColouredInspect(new Error("plain"))).toBe(false);
    expect(wouldLoopInColouredInspect("a string")).toBe(false);
  });
});

describe("guardedInspect", () => {
  const recording = () => {
    const calls: unknown[][] = [];
    const fake = ((...args: unknown[]) => {
      calls.push(args);
      return "text";
    }) as unknown as typeof util.inspect;
    return { calls, inspect: guardedInspect(fake) };
  };

  test("inspects an error that would loop without colours (the SDK's call: colors: true)", () => {
    const { calls, inspect } = recording();
    const err = sdkConfigError();
    expect(inspect(err, { colors: true, depth: 3 })).toBe("text");
    expect(calls).toEqual([[err, { colors: false, depth: 3 }]]);
  });

  test("the legacy form inspect(value, showHidden, depth, colors) too", () => {
    const { calls, inspect } = recording();
    const err = sdkConfigError();
    inspect(err, false, 2, true);
    expect(calls).toEqual([[err, false, 2, false]]);
  });

  test("leaves every other call as it was", () => {
    const { calls, inspect } = recording();
    const plain = new Error("plain");
    const looping = sdkConfigError();
    inspect(plain, { colors: true });
    inspect(looping, { colors: false });
    inspect(looping);
    inspect({ a: 1 }, { colors: true });
    expect(calls).toEqual([
      [plain, { colors: true }],
      [looping, { colors: false }],
      [looping],
      [{ a: 1 }, { colors: true }],
    ]);
  });

  test("keeps inspect's own properties (custom, defaultOptions, colors, styles)", () => {
    const inspect = guardedInspect(util.inspect);
    expect(inspect.custom).toBe(util.inspect.custom);
    expect(inspect.colors).toBe(util.inspect.colors);
    expect(inspect.styles).toBe(util.inspect.styles);
    expect(inspect.defaultOptions).toEqual(util.inspect.defaultOptions);
  });

  test("with the real inspect, the SDK's error comes out with its message and stack", () => {
    const text = guardedInspect(util.inspect)(sdkConfigError(), { colors: true });
    expect(text).toContain("Configuration 'cfg:n' value 'abc' is not a valid number");
    expect(text).toContain("node_modules/@pulumi/config.ts:209:19");
  });
});

describe("withPreloadInNodeOptions (the CLI's own language host)", () => {
  test("adds --require of the guard, quoted, after the user's own NODE_OPTIONS", () => {
    expect(withPreloadInNodeOptions({ PATH: "/bin" }, "/a b/preload.js")).toEqual({
      PATH: "/bin",
      NODE_OPTIONS: '--require "/a b/preload.js"',
    });
    expect(
      withPreloadInNodeOptions({ NODE_OPTIONS: "--max-old-space-size=4096 " }, "/p.js").NODE_OPTIONS,
    ).toBe('--max-old-space-size=4096 --require "/p.js"');
  });
});
