import { HostFilter } from "./api";
import { eq, FilterError, quoteFilterString, renderFilter } from "./filter";

// A small parser of the documented KSC search-filter syntax ("Search filter syntax" page of the KSC Open API
// reference): quoted strings with "" for a quote, and with "=" the wildcards * ? [set] [^set]. The tests render a
// filter, parse it back the way the server would, and check the value still means exactly the user's text.
type Parsed =
  | { kind: "and" | "or"; items: Parsed[] }
  | { kind: "not"; item: Parsed }
  | { kind: "cmp"; attr: string; op: string; raw: string; isString: boolean };

function parse(src: string): Parsed {
  let i = 0;
  const ws = (): void => {
    while (src[i] === " ") i++;
  };
  const filter = (): Parsed => {
    ws();
    if (src[i] !== "(") throw new Error(`expected ( at ${i}`);
    i++;
    ws();
    let node: Parsed;
    if (src[i] === "&" || src[i] === "|") {
      const kind = src[i] === "&" ? "and" : "or";
      i++;
      const items: Parsed[] = [];
      ws();
      while (src[i] === "(") {
        items.push(filter());
        ws();
      }
      node = { kind, items };
    } else if (src[i] === "!") {
      i++;
      node = { kind: "not", item: filter() };
    } else {
      const attr = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      if (!attr) throw new Error(`expected attribute at ${i}`);
      i += attr[0].length;
      ws();
      const op = /^(<>|=|<|>)/.exec(src.slice(i));
      if (!op) throw new Error(`expected operator at ${i}`);
      i += op[0].length;
      ws();
      if (src[i] === '"') {
        i++;
        let raw = "";
        for (;;) {
          if (i >= src.length) throw new Error("unterminated string");
          if (src[i] === '"') {
            if (src[i + 1] === '"') {
              raw += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          raw += src[i++];
        }
        node = { kind: "cmp", attr: attr[0], op: op[0], raw, isString: true };
      } else {
        const num = /^-?\d+/.exec(src.slice(i));
        if (!num) throw new Error(`expected value at ${i}`);
        i += num[0].length;
        node = { kind: "cmp", attr: attr[0], op: op[0], raw: num[0], isString: false };
      }
    }
    ws();
    if (src[i] !== ")") throw new Error(`expected ) at ${i}, got ${src.slice(i)}`);
    i++;
    return node;
  };
  const root = filter();
  ws();
  if (i !== src.length) throw new Error(`trailing text: ${src.slice(i)}`);
  return root;
}

/** Wildcard pattern (as the server reads it with "=") → RegExp. */
function patternToRegExp(raw: string): RegExp {
  let re = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const end = raw.indexOf("]", i + 2);
      if (end < 0) throw new Error("unclosed set");
      let set = raw.slice(i + 1, end);
      const neg = set.startsWith("^") && set.length > 1;
      if (neg) set = set.slice(1);
      re += `[${neg ? "^" : ""}${set.replace(/[\\\]^-]/g, (x) => `\\${x}`)}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, (x) => `\\${x}`);
  }
  return new RegExp(`^${re}$`, "u");
}

const tricky = [
  'say "hi"',
  '"',
  '""',
  "a) (|(KLHST_WKS_DN = *",
  '") (KLHST_WKS_DN = "*',
  "*",
  "?",
  "name*",
  "dp-0?",
  "[abc]",
  "[^a]",
  "]",
  "[",
  "100%_done",
  "back\\slash\\",
  '\\"',
  "C:\\temp\\*.*",
  "Москва-дп-01",
  "東京サーバー",
  "ümlaut-ß",
  "tab\there",
  "emoji 🚀",
  "",
  "   ",
  "&|!=<>",
];

describe("filter rendering", () => {
  test("simple comparisons and combinators", () => {
    expect(renderFilter(eq("KLHST_WKS_DN", "dp-01"))).toBe('(KLHST_WKS_DN = "dp-01")');
    expect(
      renderFilter({
        op: "and",
        clauses: [
          { op: "=", attribute: "KLHST_WKS_GROUPID", value: 5 },
          { op: "<>", attribute: "KLHST_INSTANCEID", value: "" },
        ],
      }),
    ).toBe('(&(KLHST_WKS_GROUPID = 5)(KLHST_INSTANCEID <> ""))');
    expect(renderFilter({ op: "not", clause: eq("A", -3) })).toBe("(!(A = -3))");
    expect(renderFilter({ op: "or", clauses: [eq("A", true), eq("B", false)] })).toBe("(|(A = 1)(B = 0))");
  });

  test("<= and >= are spelt with the documented operators", () => {
    expect(renderFilter({ op: "<=", attribute: "N", value: 4 })).toBe("(|(N < 4)(N = 4))");
    expect(renderFilter({ op: ">=", attribute: "N", value: 4 })).toBe("(|(N > 4)(N = 4))");
  });

  test("quotes are doubled; wildcard characters become one-character sets with =", () => {
    expect(quoteFilterString('a"b', "=")).toBe('"a""b"');
    expect(quoteFilterString("a*b?c[d]", "=")).toBe('"a[*]b[?]c[[]d]"');
    expect(quoteFilterString("50%_x", "=")).toBe('"50[%][_]x"');
    // Other operators take no wildcards: only quotes are doubled.
    expect(quoteFilterString('a*"', "<>")).toBe('"a*"""');
    expect(quoteFilterString("a\\b(c)", "=")).toBe('"a\\b(c)"');
  });

  test.each(tricky)("a device name %j only ever matches itself", (name) => {
    const text = renderFilter({
      op: "and",
      clauses: [eq("KLHST_WKS_DN", name), { op: "<>", attribute: "KLHST_WKS_FQDN", value: name }],
    });
    const tree = parse(text);
    // The structure is exactly what was asked for: nothing from the value leaked into it.
    expect(tree.kind).toBe("and");
    const items = (tree as { items: Parsed[] }).items;
    expect(items).toHaveLength(2);
    const [a, b] = items as Array<Extract<Parsed, { kind: "cmp" }>>;
    expect([a.kind, a.attr, a.op, a.isString]).toEqual(["cmp", "KLHST_WKS_DN", "=", true]);
    expect([b.kind, b.attr, b.op, b.isString]).toEqual(["cmp", "KLHST_WKS_FQDN", "<>", true]);
    // "=" value: a pattern that matches the name and nothing else we can think of.
    const re = patternToRegExp(a.raw);
    expect(re.test(name)).toBe(true);
    for (const other of [`${name}x`, `x${name}`, name.slice(1), "", "anything", `${name}${name}`]) {
      if (other !== name) expect(re.test(other)).toBe(false);
    }
    // "<>" value: literal text.
    expect(b.raw).toBe(name);
  });

  test("invalid attribute names are refused, so nothing but a name reaches that position", () => {
    for (const attribute of ["", "KLHST_WKS_DN)(|(A", "A B", "1A", 'A"', "Ä"]) {
      expect(() => renderFilter({ op: "=", attribute, value: "x" })).toThrow(FilterError);
    }
  });

  test("empty and/or, fractional numbers and NUL are refused", () => {
    expect(() => renderFilter({ op: "and", clauses: [] })).toThrow(FilterError);
    expect(() => renderFilter({ op: "or", clauses: [] })).toThrow(FilterError);
    expect(() => renderFilter(eq("N", 1.5))).toThrow(FilterError);
    expect(() => renderFilter(eq("N", NaN))).toThrow(FilterError);
    expect(() => renderFilter(eq("S", "a\u0000b"))).toThrow(FilterError);
    expect(() => renderFilter({ op: "~=" } as unknown as HostFilter)).toThrow(FilterError);
  });
});
