// Renders a structured HostFilter into the KSC search-filter syntax (KSC Open API "Search filter syntax" page;
// docs/ksc-open-api.md#search-filters):
//   filter = "(" ( "&" 1*filter / "|" 1*filter / "!" filter / attr op value ) ")"
//   op     = "=" / "<>" / "<" / ">"
//   value  = signed decimal integer / "quoted string"
// Inside a quoted string a double quote is written twice ("some ""computer"""), and with "=" the characters
// * ? [ are wildcards (any string, any character, a character set). A value from the user (a device name) must
// only ever match itself, so quotes are doubled and each wildcard character is put in a one-character set:
// "*" → "[*]", "?" → "[?]", "[" → "[[]". "%" and "_" get the same treatment: they are not KSC wildcards, but they
// are SQL LIKE wildcards, and "[%]"/"[_]" mean the literal character under either reading. Parentheses,
// backslashes and non-Latin letters have no meaning inside the quotes and are kept as they are. Attribute names are checked against a strict pattern; nothing else from the
// caller ever reaches the filter text.
import { HostFilter } from "./api";

const ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class FilterError extends Error {}

/** Quote a string for use with "=" (wildcards neutralised) or another operator (quotes doubled only). */
export function quoteFilterString(value: string, op: string): string {
  // A NUL would end the string on the server side (C strings).
  if (value.includes("\u0000")) throw new FilterError("a filter value cannot contain a NUL character");
  let body = value.replace(/"/g, '""');
  if (op === "=") body = body.replace(/[*?[%_]/g, (c) => `[${c}]`);
  return `"${body}"`;
}

function renderValue(value: string | number | boolean, op: string): string {
  if (typeof value === "string") return quoteFilterString(value, op);
  if (typeof value === "boolean") return value ? "1" : "0"; // the syntax has no boolean literal; flags are 0/1
  if (!Number.isSafeInteger(value)) {
    throw new FilterError(`a filter number must be a whole number, got ${value}`);
  }
  return String(value);
}

function simple(attribute: string, op: "=" | "<>" | "<" | ">", value: string | number | boolean): string {
  return `(${attribute} ${op} ${renderValue(value, op)})`;
}

/** Render a HostFilter. Throws FilterError for an invalid attribute name, an empty and/or, or a bad number. */
export function renderFilter(f: HostFilter): string {
  switch (f.op) {
    case "and":
    case "or": {
      if (!Array.isArray(f.clauses) || f.clauses.length === 0) {
        throw new FilterError(`"${f.op}" needs at least one clause`);
      }
      return `(${f.op === "and" ? "&" : "|"}${f.clauses.map(renderFilter).join("")})`;
    }
    case "not":
      return `(!${renderFilter(f.clause)})`;
    case "=":
    case "<>":
    case "<":
    case ">":
    case "<=":
    case ">=": {
      if (typeof f.attribute !== "string" || !ATTRIBUTE.test(f.attribute)) {
        throw new FilterError(`invalid attribute name in filter: ${JSON.stringify(f.attribute)}`);
      }
      // The syntax has only = <> < >; "<=" and ">=" are spelt out.
      if (f.op === "<=" || f.op === ">=") {
        const strict = f.op === "<=" ? "<" : ">";
        return `(|${simple(f.attribute, strict, f.value)}${simple(f.attribute, "=", f.value)})`;
      }
      return simple(f.attribute, f.op, f.value);
    }
    default:
      throw new FilterError(`unknown filter operator ${JSON.stringify((f as { op: unknown }).op)}`);
  }
}

/** Shorthand for the common case: attribute equals value. */
export function eq(attribute: string, value: string | number | boolean): HostFilter {
  return { op: "=", attribute, value };
}
