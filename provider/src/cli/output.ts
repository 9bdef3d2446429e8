// Output for people: colours only on a terminal (and never with NO_COLOR set), aligned tables, short values.

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

/** ANSI colours when stdout is a terminal and NO_COLOR is unset or empty (https://no-color.org). */
export function useColour(isTty: boolean, env: NodeJS.ProcessEnv): boolean {
  return isTty && !env.NO_COLOR;
}

export function makeStyle(colour: boolean): Style {
  const wrap =
    (open: number, close: number) =>
    (s: string): string =>
      colour ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(s: string): number {
  return s.replace(ANSI, "").length;
}

/** Rows as aligned columns (the last column is not padded). */
export function table(rows: string[][], header?: string[], style?: Style): string {
  const all = header ? [header, ...rows] : rows;
  if (all.length === 0) return "";
  const widths: number[] = [];
  for (const row of all) {
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  }
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat(widths[i] - visibleLength(cell))))
      .join("  ")
      .trimEnd();
  const out = all.map(line);
  if (header) out[0] = style ? style.bold(out[0]) : out[0];
  return out.join("\n");
}

/** A JSON value on one line, shortened for a table cell. */
export function shortValue(v: unknown, max = 60): string {
  const text = v === undefined ? "(none)" : JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
