// The emulator's typed-value codec (docs/ksc-open-api.md#parameter-encoding), no network.
import { decodeArg, decodeInner, encodeInner, encodeTop, equal, long, params } from "./codec";
import { KscError } from "./errors";

const code = (f: () => unknown): number | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof KscError) return e.code;
    throw e;
  }
  return undefined;
};

test("inside params: int plain, long wrapped, nested params wrapped; round-trip keeps every type", () => {
  const wire = {
    i: 42,
    l: { type: "long", value: 42 },
    s: "text",
    b: true,
    dt: { type: "datetime", value: "2016-09-19T15:22:35Z" },
    d: { type: "date", value: "2016-09-19" },
    bin: { type: "binary", value: "AAEC" },
    f: { type: "float", value: 1.5 },
    db: { type: "double", value: 2.5 },
    arr: [1, null, { type: "params", value: { x: 1 } }],
    p: {
      type: "params",
      value: { ScopeGroups: [{ type: "params", value: { ScopeId: { type: "long", value: 53 } } }] },
    },
  };
  const decoded = decodeArg(wire, "params", "pArg");
  expect(encodeTop(decoded)).toEqual(wire);
  const again = decodeArg(encodeTop(decoded), "params", "pArg");
  expect(equal(decoded, again)).toBe(true);
  // int 42 and long 42 are different values
  expect(equal(42, long(42))).toBe(false);
});

test("top level: long and params written plain; arrays wrap params elements", () => {
  expect(encodeTop(long(7))).toBe(7);
  expect(encodeTop(params({ a: long(1), b: params({ c: 2 }) }))).toEqual({
    a: { type: "long", value: 1 },
    b: { type: "params", value: { c: 2 } },
  });
  expect(encodeTop([params({ a: 1 })])).toEqual([{ type: "params", value: { a: 1 } }]);
  expect(encodeInner(params({}))).toEqual({ type: "params", value: {} });
});

test("a key named __proto__ stays an ordinary key", () => {
  const p = decodeArg(JSON.parse('{"__proto__": 5}'), "params", "p");
  expect(encodeTop(p)).toEqual(JSON.parse('{"__proto__": 5}'));
  expect(Object.keys(encodeTop(p) as object)).toEqual(["__proto__"]);
});

test("bad encodings are KLSTD 1192", () => {
  for (const bad of [
    3_000_000_000, // a plain number inside params is an int
    1.5,
    { a: 1 }, // unwrapped nested params
    { type: "long", value: 1.5 },
    { type: "long", value: "1" },
    { type: "nope", value: 1 },
    { type: "datetime", value: "2016-09-19" },
    { type: "date", value: "19.09.2016" },
    { type: "binary", value: "not base64!" },
    { type: "params", value: [] },
  ]) {
    expect({ bad, code: code(() => decodeInner(bad, "x")) }).toEqual({ bad, code: 1192 });
  }
  expect(code(() => decodeArg({ a: null }, "params", "p"))).toBe(1192); // null is not a params value
  expect(code(() => decodeArg("5", "int", "n"))).toBe(1192);
  expect(code(() => decodeArg(2 ** 31, "int", "n"))).toBe(1192);
  expect(decodeArg(2 ** 40, "long", "n")).toEqual(long(2 ** 40));
  expect(decodeArg({ type: "long", value: 5 }, "long", "n")).toEqual(long(5));
});
