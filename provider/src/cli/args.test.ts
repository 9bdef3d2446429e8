import { parseArgs } from "./args";
import { UsageError } from "./exitCodes";

const spec = { out: "value", group: "multi", yes: "flag", help: "flag" } as const;

test("values, repeatable values, flags and positionals", () => {
  const a = parseArgs(
    ["--out", "f.json", "--group=A", "--group", "B", "--yes", "x", "--", "--not-an-option"],
    spec,
  );
  expect(a.one("out")).toBe("f.json");
  expect(a.all("group")).toEqual(["A", "B"]);
  expect(a.has("yes")).toBe(true);
  expect(a.has("help")).toBe(false);
  expect(a.positionals).toEqual(["x", "--not-an-option"]);
  expect(parseArgs(["-h"], spec).has("help")).toBe(true);
});

test.each([
  [["--nope"], /unknown option --nope/],
  [["-x"], /unknown option -x/],
  [["--out"], /--out needs a value/],
  [["--out", "a", "--out", "b"], /only once/],
  [["--yes=1"], /takes no value/],
])("%j is a usage error", (argv, message) => {
  expect(() => parseArgs(argv, spec)).toThrow(UsageError);
  expect(() => parseArgs(argv, spec)).toThrow(message);
});

test("integers are checked against their range", () => {
  const a = parseArgs(["--out", "70000"], spec);
  expect(() => a.integer("out", 1, 65535)).toThrow(/--out must be a whole number from 1 to 65535/);
  expect(parseArgs(["--out", "13297"], spec).integer("out", 1, 65535)).toBe(13297);
  expect(parseArgs([], spec).integer("out", 1, 65535)).toBeUndefined();
});
