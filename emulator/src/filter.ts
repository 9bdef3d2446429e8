// The search-filter language of HostGroup.FindHosts / FindGroups (docs/ksc-open-api.md#search-filters;
// Kaspersky's "Search filter syntax" page of the KSC Open API reference): RFC 2254-like prefix operators
// around comparisons, e.g.
//   (&(KLHST_WKS_GROUPID = 5)(KLHST_INSTANCEID <> "")(!KLHST_WKS_DN = "A*")(KLHST_WKS_STATUS & 4 <> 0))
// value = signed decimal integer / "quoted string" (a quote inside is doubled: "some ""pc""") /
//         T"YYYY-MM-DD hh:mm:ss" / CURTIME(±seconds) / 0x<hex binary>.
// With "=", a string may hold wildcards: ? (one character), * (any run), [a-f] / [abc] (a set), [^…] (not in set).
// Parsed into a tree and evaluated against typed attributes — never matched as text.
import { KValue, typeName } from "./codec";
import { BadFormat } from "./errors";

export type CompareOp = "=" | "<>" | "<" | ">" | "<=" | ">=";

export type Literal =
  | { type: "string"; text: string }
  | { type: "number"; value: number }
  | { type: "time"; /** epoch ms */ value: number }
  | { type: "binary"; hex: string };

export type FilterNode =
  | { kind: "all" }
  | { kind: "and"; items: FilterNode[] }
  | { kind: "or"; items: FilterNode[] }
  | { kind: "not"; item: FilterNode }
  | {
      kind: "cmp";
      attr: string;
      /** bit operation before the comparison: (attr & mask = bits) */
      bit?: { op: "&" | "|"; mask: number };
      op: CompareOp;
      value: Literal;
    };

type Token =
  | { t: "(" | ")" | "&" | "|" | "!"; pos: number }
  | { t: "op"; op: CompareOp; pos: number }
  | { t: "ident"; text: string; pos: number }
  | { t: "lit"; value: Literal; pos: number }
  | { t: "end"; pos: number };

function fail(msg: string, pos: number): never {
  throw new BadFormat(`filter: ${msg} at position ${pos}`);
}

const TIME_RE = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})$/;

function readQuoted(src: string, start: number): { text: string; end: number } {
  // src[start] is the opening quote; "" inside stands for one quote character.
  let text = "";
  let i = start + 1;
  for (;;) {
    if (i >= src.length) fail("unterminated string", start);
    if (src[i] === '"') {
      if (src[i + 1] === '"') {
        text += '"';
        i += 2;
        continue;
      }
      return { text, end: i + 1 };
    }
    text += src[i++];
  }
}

function lex(src: string, now: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === "(" || c === ")" || c === "&" || c === "|" || c === "!") {
      out.push({ t: c, pos });
      i++;
      continue;
    }
    if (c === "<" || c === ">" || c === "=") {
      const two = src.slice(i, i + 2);
      if (two === "<>" || two === "<=" || two === ">=") {
        out.push({ t: "op", op: two, pos });
        i += 2;
      } else {
        out.push({ t: "op", op: c as CompareOp, pos });
        i++;
      }
      continue;
    }
    if (c === '"') {
      const q = readQuoted(src, i);
      out.push({ t: "lit", value: { type: "string", text: q.text }, pos });
      i = q.end;
      continue;
    }
    if ((c === "T" || c === "t") && src[i + 1] === '"') {
      const q = readQuoted(src, i + 1);
      const m = TIME_RE.exec(q.text);
      if (!m) fail(`bad time T"${q.text}", expected T"YYYY-MM-DD hh:mm:ss"`, pos);
      const [, y, mo, d, h, mi, s] = m.map(Number);
      out.push({ t: "lit", value: { type: "time", value: Date.UTC(y, mo - 1, d, h, mi, s) }, pos });
      i = q.end;
      continue;
    }
    const cur = /^CURTIME\(\s*([+-]?\d+)?\s*\)/i.exec(src.slice(i));
    if (cur) {
      out.push({ t: "lit", value: { type: "time", value: now + Number(cur[1] ?? 0) * 1000 }, pos });
      i += cur[0].length;
      continue;
    }
    const bin = /^0x([0-9A-Fa-f]+)/.exec(src.slice(i));
    if (bin) {
      out.push({ t: "lit", value: { type: "binary", hex: bin[1].toLowerCase() }, pos });
      i += bin[0].length;
      continue;
    }
    const num = /^[+-]?\d+/.exec(src.slice(i));
    if (num) {
      if (/^[.\w]/.test(src.slice(i + num[0].length)))
        fail("an integer must be a signed decimal number", pos);
      out.push({ t: "lit", value: { type: "number", value: Number(num[0]) }, pos });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (ident) {
      out.push({ t: "ident", text: ident[0], pos });
      i += ident[0].length;
      continue;
    }
    fail(`unexpected character '${c}'`, pos);
  }
  out.push({ t: "end", pos: src.length });
  return out;
}

export function parseFilter(src: string, now: number = Date.now()): FilterNode {
  const tokens = lex(src, now);
  let k = 0;
  const peek = (): Token => tokens[k];
  const next = (): Token => tokens[k++];
  const expect = (t: Token["t"]): void => {
    const tok = next();
    if (tok.t !== t) fail(`expected '${t}'`, tok.pos);
  };

  // attr [bitop mask] op value
  const item = (): FilterNode => {
    const attr = next();
    if (attr.t !== "ident") fail("expected an attribute name", attr.pos);
    let bit: { op: "&" | "|"; mask: number } | undefined;
    const maybeBit = peek();
    if (maybeBit.t === "&" || maybeBit.t === "|") {
      next();
      const mask = next();
      if (mask.t !== "lit" || mask.value.type !== "number") fail("expected an integer bit mask", mask.pos);
      bit = { op: maybeBit.t, mask: mask.value.value };
    }
    const op = next();
    if (op.t !== "op") fail(`expected a comparison operator after ${attr.text}`, op.pos);
    const lit = next();
    if (lit.t === "ident") {
      fail(`expected a value (integer, "quoted string", T"time", CURTIME(), 0x…), got ${lit.text}`, lit.pos);
    }
    if (lit.t !== "lit")
      fail('expected a value (integer, "quoted string", T"time", CURTIME(), 0x…)', lit.pos);
    if (bit && lit.value.type !== "number") fail("a bit comparison needs an integer", lit.pos);
    return { kind: "cmp", attr: attr.text, bit, op: op.op, value: lit.value };
  };

  const filterList = (): FilterNode[] => {
    const items: FilterNode[] = [];
    while (peek().t === "(") items.push(filter());
    if (items.length === 0) fail("expected at least one (…) operand", peek().pos);
    return items;
  };

  // "(" ( "&" filterlist / "|" filterlist / "!" filter / item ) ")"
  const filter = (): FilterNode => {
    expect("(");
    const tok = peek();
    let node: FilterNode;
    if (tok.t === "&") {
      next();
      node = { kind: "and", items: filterList() };
    } else if (tok.t === "|") {
      next();
      node = { kind: "or", items: filterList() };
    } else if (tok.t === "!") {
      next();
      // "(!(item))" and the documented short form "(!attr = value)"
      node = { kind: "not", item: peek().t === "(" ? filter() : item() };
    } else if (tok.t === "(") {
      node = filter();
    } else {
      node = item();
    }
    expect(")");
    return node;
  };

  if (peek().t === "end") return { kind: "all" };
  // The reference's examples also show a bare item without parentheses.
  const root = peek().t === "(" ? filter() : item();
  const rest = peek();
  if (rest.t !== "end") fail("unexpected text after the filter", rest.pos);
  return root;
}

export type AttrType = "string" | "int" | "long" | "bool" | "datetime";

function hasWildcards(text: string): boolean {
  return /[*?[]/.test(text);
}

/** A wildcard string (used with "=") as an anchored, case-insensitive regular expression. */
export function wildcardRegExp(text: string): RegExp {
  let re = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const close = text.indexOf("]", i + 2); // "[]…]" is not special; a set holds at least one character
      if (close < 0) throw new BadFormat(`filter: unterminated [ set in "${text}"`);
      let body = text.slice(i + 1, close);
      let negate = false;
      if (body.startsWith("^") && body.length > 1) {
        negate = true;
        body = body.slice(1);
      }
      const cls = body.replace(/[\\\]^]/g, (x) => `\\${x}`);
      re += `[${negate ? "^" : ""}${cls}]`;
      i = close;
    } else re += c.replace(/[\\^$.*+?()[\]{}|/]/g, (x) => `\\${x}`);
  }
  return new RegExp(`^${re}$`, "iu");
}

/** Check every attribute the filter names is known and its value fits the attribute's type. */
export function checkFilter(node: FilterNode, schema: Record<string, AttrType>): void {
  switch (node.kind) {
    case "all":
      return;
    case "and":
    case "or":
      node.items.forEach((n) => checkFilter(n, schema));
      return;
    case "not":
      checkFilter(node.item, schema);
      return;
    case "cmp": {
      const type = schema[node.attr];
      if (!type) throw new BadFormat(`filter: unknown attribute ${node.attr}`);
      const lit = node.value.type;
      const ok =
        (type === "string" && lit === "string") ||
        (type === "datetime" && lit === "time") ||
        ((type === "int" || type === "long" || type === "bool") && lit === "number");
      if (!ok) {
        const hint = type === "bool" ? " (write booleans as 0 or 1)" : "";
        throw new BadFormat(`filter: ${node.attr} is ${type}, cannot compare it with a ${lit}${hint}`);
      }
      if (node.bit && type !== "int" && type !== "long") {
        throw new BadFormat(`filter: bit operations need an integer attribute, ${node.attr} is ${type}`);
      }
      if (node.value.type === "string" && node.op === "=" && hasWildcards(node.value.text)) {
        wildcardRegExp(node.value.text); // reject a malformed set now
      }
    }
  }
}

function applyOp(op: CompareOp, c: number): boolean {
  switch (op) {
    case "=":
      return c === 0;
    case "<>":
      return c !== 0;
    case "<":
      return c < 0;
    case ">":
      return c > 0;
    case "<=":
      return c <= 0;
    case ">=":
      return c >= 0;
  }
}

const cmp = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Evaluate against one object's attributes. A missing attribute matches nothing (SQL NULL-like). */
export function matches(node: FilterNode, attrs: Map<string, KValue>): boolean {
  switch (node.kind) {
    case "all":
      return true;
    case "and":
      return node.items.every((n) => matches(n, attrs));
    case "or":
      return node.items.some((n) => matches(n, attrs));
    case "not":
      return !matches(node.item, attrs);
    case "cmp": {
      const raw = attrs.get(node.attr);
      if (raw === undefined || raw === null) return false;
      const lit = node.value;
      if (typeof raw === "boolean" || typeof raw === "number") {
        if (lit.type !== "number") return false;
        let v = typeof raw === "boolean" ? (raw ? 1 : 0) : raw;
        if (node.bit) v = node.bit.op === "&" ? v & node.bit.mask : v | node.bit.mask;
        return applyOp(node.op, cmp(v, lit.value));
      }
      if (typeof raw === "string") {
        if (lit.type !== "string") return false;
        if (node.op === "=" && hasWildcards(lit.text)) return wildcardRegExp(lit.text).test(raw);
        // Case-insensitive, like the server's database collation [INFERRED].
        return applyOp(node.op, cmp(raw.toLowerCase(), lit.text.toLowerCase()));
      }
      if (Array.isArray(raw)) return false;
      if (raw.kind === "long" && lit.type === "number") {
        let v = raw.value;
        if (node.bit)
          v =
            node.bit.op === "&"
              ? Number(BigInt(v) & BigInt(node.bit.mask))
              : Number(BigInt(v) | BigInt(node.bit.mask));
        return applyOp(node.op, cmp(v, lit.value));
      }
      if (raw.kind === "datetime" && lit.type === "time")
        return applyOp(node.op, cmp(Date.parse(raw.value), lit.value));
      throw new BadFormat(`filter: ${node.attr} is ${typeName(raw)}, cannot compare it with a ${lit.type}`);
    }
  }
}
