// The search-filter parser and evaluator (no network).
import { datetime, KValue, long } from "./codec";
import { KscError } from "./errors";
import { AttrType, checkFilter, matches, parseFilter } from "./filter";

const schema: Record<string, AttrType> = {
  KLHST_WKS_DN: "string",
  KLHST_WKS_GROUPID: "int",
  KLHST_WKS_IP_LONG: "long",
  KLHST_WKS_STATUS: "int",
  KLHST_WKS_FROM_UNASSIGNED: "bool",
  KLHST_WKS_CREATED: "datetime",
  KLHST_INSTANCEID: "string",
};

const host = (dn: string, group: number, extra: Record<string, KValue> = {}): Map<string, KValue> =>
  new Map<string, KValue>(
    Object.entries({
      KLHST_WKS_DN: dn,
      KLHST_WKS_GROUPID: group,
      KLHST_WKS_IP_LONG: long(167772161),
      KLHST_WKS_STATUS: 13,
      KLHST_WKS_FROM_UNASSIGNED: false,
      KLHST_WKS_CREATED: datetime("2024-05-06T09:00:00Z"),
      KLHST_INSTANCEID: "x",
      ...extra,
    }),
  );

const NOW = Date.UTC(2024, 4, 7, 9, 0, 0);
function run(filter: string, attrs: Map<string, KValue>): boolean {
  const tree = parseFilter(filter, NOW);
  checkFilter(tree, schema);
  return matches(tree, attrs);
}
function error(filter: string): KscError {
  try {
    checkFilter(parseFilter(filter, NOW), schema);
  } catch (e) {
    if (e instanceof KscError) return e;
    throw e;
  }
  throw new Error(`no error for ${filter}`);
}

test("the documented examples parse and evaluate", () => {
  const pc = host("PC1", 5);
  expect(run('(&(KLHST_WKS_GROUPID = 5)(KLHST_INSTANCEID <> ""))', pc)).toBe(true);
  expect(run('(&(KLHST_WKS_GROUPID = 6)(KLHST_INSTANCEID <> ""))', pc)).toBe(false);
  expect(run('KLHST_WKS_DN = "PC1"', pc)).toBe(true);
  expect(run('(KLHST_WKS_DN = "pc1")', pc)).toBe(true); // case-insensitive
  // The short negation of the reference page: (!attr = value)
  expect(run('(& (!KLHST_WKS_DN = "A*") (| (KLHST_WKS_GROUPID = 0 ) (KLHST_WKS_GROUPID = 5 ) ) )', pc)).toBe(
    true,
  );
  expect(run('(!(KLHST_WKS_DN = "P*"))', pc)).toBe(false);
});

test("comparison operators on integers, longs and times", () => {
  const pc = host("PC1", 5);
  for (const [f, want] of [
    ["(KLHST_WKS_GROUPID < 6)", true],
    ["(KLHST_WKS_GROUPID > 5)", false],
    ["(KLHST_WKS_GROUPID <= 5)", true],
    ["(KLHST_WKS_GROUPID >= 6)", false],
    ["(KLHST_WKS_GROUPID <> -5)", true],
    ["(KLHST_WKS_IP_LONG = 167772161)", true],
    ['(KLHST_WKS_CREATED < T"2024-05-06 09:00:01")', true],
    ['(KLHST_WKS_CREATED > T"2024-05-06 09:00:00")', false],
    ["(KLHST_WKS_CREATED > CURTIME(-172800))", true],
    ["(KLHST_WKS_CREATED > CURTIME(-3600))", false],
    ["(KLHST_WKS_STATUS & 4 <> 0)", true],
    ["(KLHST_WKS_STATUS & 2 = 2)", false],
    ["(KLHST_WKS_FROM_UNASSIGNED = 0)", true],
    ["(KLHST_WKS_FROM_UNASSIGNED = 1)", false],
  ] as const) {
    expect({ f, result: run(f, pc) }).toEqual({ f, result: want });
  }
});

test("quoted strings: doubled quotes, wildcards with =, literal characters otherwise", () => {
  const weird = host('we"ird (name) *', 1);
  expect(run('(KLHST_WKS_DN = "we""ird (name) [*]")', weird)).toBe(true);
  expect(run('(KLHST_WKS_DN = "we""ird (name) x")', weird)).toBe(false);
  expect(run('(KLHST_WKS_DN = "we*")', weird)).toBe(true);
  expect(run('(KLHST_WKS_DN = "w?""ird*")', weird)).toBe(true);
  // Backslash has no special meaning inside the quotes.
  expect(run('(KLHST_WKS_DN = "Москва\\дп-01")', host("Москва\\дп-01", 1))).toBe(true);
  expect(run('(KLHST_WKS_DN = "Москва\\дп-01")', host("Москвадп-01", 1))).toBe(false);
  // Sets and negated sets
  expect(run('(KLHST_WKS_DN = "pc[0-9]")', host("pc7", 1))).toBe(true);
  expect(run('(KLHST_WKS_DN = "pc[^0-9]")', host("pc7", 1))).toBe(false);
  expect(run('(KLHST_WKS_DN = "[[]ab]c")', host("[ab]c", 1))).toBe(true);
  expect(run('(KLHST_WKS_DN = "[[]ab]c")', host("ac", 1))).toBe(false);
  expect(run('(KLHST_WKS_DN = "100[%][_]x")', host("100%_x", 1))).toBe(true);
  // With <> a * is just a character.
  expect(run('(KLHST_WKS_DN <> "a*")', host("abc", 1))).toBe(true);
  expect(run('(KLHST_WKS_DN <> "a*")', host("a*", 1))).toBe(false);
  // Ordering on strings
  expect(run('(KLHST_WKS_DN < "b")', host("alpha", 1))).toBe(true);
});

test("an empty filter matches everything; a missing attribute matches nothing", () => {
  expect(run("", host("x", 1))).toBe(true);
  expect(run('(KLHST_INSTANCEID = "x")', new Map())).toBe(false);
});

test("syntax and type errors are KLSTD 1192 with a position", () => {
  for (const bad of [
    "(KLHST_WKS_DN = ",
    '(KLHST_WKS_DN = "x"',
    '(&(KLHST_WKS_DN = "x")',
    "(&)",
    '(KLHST_WKS_DN == "x")',
    '(KLHST_WKS_DN "x")',
    '(KLHST_WKS_DN = "x") trailing',
    "(KLHST_WKS_GROUPID = 1.5)",
    '(KLHST_WKS_CREATED > T"yesterday")',
    "(KLHST_WKS_STATUS & x = 1)",
  ]) {
    const e = error(bad);
    expect({ bad, module: e.module, code: e.code }).toEqual({ bad, module: "KLSTD", code: 1192 });
    expect(e.message).toMatch(/^filter: /);
  }
  expect(error('(KLHST_WKS_GROUPID = "5")').message).toContain("KLHST_WKS_GROUPID is int");
  expect(error("(KLHST_WKS_DN = 5)").message).toContain("KLHST_WKS_DN is string");
  expect(error("(KLHST_WKS_FROM_UNASSIGNED = true)").message).toContain("expected a value");
  expect(error('(NO_SUCH_ATTR = "x")').message).toContain("unknown attribute NO_SUCH_ATTR");
  expect(error('(KLHST_WKS_DN = "pc[0-9")').message).toContain("unterminated [");
});
