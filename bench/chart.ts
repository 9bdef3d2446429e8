// The report's chart: wall time against N, one panel per phase, ours beside the floor and the time target.
import { PHASES, type Phase } from "./lowerBound";
import { Raster, type Rgb } from "./png";

export interface Series {
  label: string;
  color: Rgb;
  dash?: [number, number];
  /** seconds by N */
  points: { n: number; seconds: number }[];
}

const TITLES: Record<Phase, string> = {
  up: "up from empty",
  preview: "preview, no change",
  refresh: "refresh, no change",
  update: "up, 10% changed",
  destroy: "destroy",
};

const INK: Rgb = [30, 30, 30];
const GRID: Rgb = [225, 225, 225];
const MUTED: Rgb = [110, 110, 110];

function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
}

function fmt(v: number): string {
  return v >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1);
}

function panel(
  img: Raster,
  x: number,
  y: number,
  w: number,
  h: number,
  title: string,
  series: Series[],
): void {
  const left = x + 64;
  const right = x + w - 40;
  const top = y + 40;
  const bottom = y + h - 52;
  img.text((left + right) / 2, y + 12, title, INK, 2, "center");
  const sizes = [...new Set(series.flatMap((s) => s.points.map((p) => p.n)))].sort((a, b) => a - b);
  const maxY = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.seconds)));
  const step = niceStep(maxY, 4);
  const topValue = Math.ceil(maxY / step) * step;
  const ly = (v: number) => bottom - ((bottom - top) * v) / topValue;
  const lo = Math.log10(sizes[0] ?? 1);
  const hi = Math.log10(sizes[sizes.length - 1] ?? 10);
  const lx = (n: number) =>
    hi === lo ? (left + right) / 2 : left + ((right - left) * (Math.log10(n) - lo)) / (hi - lo);
  for (let v = 0; v <= topValue + 1e-9; v += step) {
    img.line(left, ly(v), right, ly(v), GRID);
    img.text(left - 8, ly(v) - 7, fmt(v), MUTED, 2, "right");
  }
  for (const n of sizes) {
    img.line(lx(n), top, lx(n), bottom, GRID);
    img.text(lx(n), bottom + 10, String(n), MUTED, 2, "center");
  }
  img.text((left + right) / 2, bottom + 32, "N resources", MUTED, 2, "center");
  img.line(left, top, left, bottom, INK);
  img.line(left, bottom, right, bottom, INK);
  for (const s of series) {
    const pts = [...s.points].sort((a, b) => a.n - b.n);
    for (let i = 1; i < pts.length; i++) {
      img.line(
        lx(pts[i - 1].n),
        ly(pts[i - 1].seconds),
        lx(pts[i].n),
        ly(pts[i].seconds),
        s.color,
        3,
        s.dash,
      );
    }
    for (const p of pts) img.fillRect(lx(p.n) - 4, ly(p.seconds) - 4, 9, 9, s.color);
  }
}

/** The chart as a PNG: a 3×2 grid, five phases and a legend. */
export function timeChart(byPhase: Record<Phase, Series[]>, caption: string[]): Buffer {
  const cellW = 420;
  const cellH = 330;
  const img = new Raster(cellW * 3, cellH * 2 + 64);
  img.text(16, 12, "Wall time (seconds) against N, per phase", INK, 2);
  PHASES.forEach((phase, i) => {
    panel(img, (i % 3) * cellW, 40 + Math.floor(i / 3) * cellH, cellW, cellH, TITLES[phase], byPhase[phase]);
  });
  // Legend in the sixth cell.
  const lx = 2 * cellW + 40;
  let ly = 40 + cellH + 50;
  for (const s of byPhase.up) {
    img.line(lx, ly + 7, lx + 50, ly + 7, s.color, 3, s.dash);
    img.fillRect(lx + 21, ly + 3, 9, 9, s.color);
    img.text(lx + 64, ly, s.label, INK, 2);
    ly += 34;
  }
  ly += 10;
  for (const line of caption) {
    img.text(lx, ly, line, MUTED, 2);
    ly += 24;
  }
  return img.png();
}
