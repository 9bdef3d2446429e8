import { commandOf, runsProgram, usesPolicyPack, withClientFlag } from "./args";

describe("which pulumi commands run the program", () => {
  test.each([
    [["up", "--yes"], true],
    [["update"], true],
    [["preview", "--expect-no-changes"], true],
    [["pre"], true],
    [["-C", "examples/basic", "--color", "never", "up"], true],
    [["--cwd=examples/basic", "preview"], true],
    [["refresh", "--yes"], false],
    [["refresh", "--run-program"], true],
    [["refresh", "--run-program=true"], true],
    [["refresh", "--run-program=false"], false],
    [["destroy", "--yes", "--run-program"], true],
    [["down", "--run-program"], true],
    [["destroy", "--yes"], false],
    [["stack", "init", "up"], false],
    [["config", "set", "preview", "x"], false],
    [["version"], false],
    [[], false],
    [["--help"], false],
  ])("%j → %s", (args, expected) => {
    expect(runsProgram(args, {})).toBe(expected);
  });

  test("PULUMI_RUN_PROGRAM=true (1, true in any case) makes refresh and destroy run it, as the CLI reads it", () => {
    for (const v of ["1", "true", "TRUE"]) {
      expect(runsProgram(["refresh", "--yes"], { PULUMI_RUN_PROGRAM: v })).toBe(true);
      expect(runsProgram(["destroy", "--yes"], { PULUMI_RUN_PROGRAM: v })).toBe(true);
      // The flag still wins.
      expect(runsProgram(["refresh", "--run-program=false"], { PULUMI_RUN_PROGRAM: v })).toBe(false);
      expect(runsProgram(["stack", "ls"], { PULUMI_RUN_PROGRAM: v })).toBe(false);
    }
    for (const v of ["", "0", "false", "yes"]) {
      expect(runsProgram(["refresh", "--yes"], { PULUMI_RUN_PROGRAM: v })).toBe(false);
    }
  });

  test("a flag value before the command is not taken for the command", () => {
    expect(commandOf(["-C", "up", "preview"])).toBe("preview");
    expect(commandOf(["--color", "never", "stack", "ls"])).toBe("stack");
  });

  test("--run-program after `--` belongs to the program, not the CLI", () => {
    expect(runsProgram(["refresh", "--", "--run-program"], {})).toBe(false);
  });
});

describe("withClientFlag", () => {
  test("appends --client", () => {
    expect(withClientFlag(["up", "--yes"], "127.0.0.1:5")).toEqual(["up", "--yes", "--client=127.0.0.1:5"]);
  });

  test("keeps it before `--`", () => {
    expect(withClientFlag(["up", "--", "x"], "127.0.0.1:5")).toEqual([
      "up",
      "--client=127.0.0.1:5",
      "--",
      "x",
    ]);
  });
});

describe("policy packs on the command line", () => {
  test.each([
    [["preview", "--policy-pack", "policy/"], true],
    [["up", "--policy-pack=../policy", "--yes"], true],
    [["preview", "--policy-pack-config", "c.json"], false],
    [["preview"], false],
    [["preview", "--", "--policy-pack", "x"], false],
  ])("%j → %s", (args, expected) => {
    expect(usesPolicyPack(args)).toBe(expected);
  });
});
