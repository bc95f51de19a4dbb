/**
 * Inline SVG charts for the report, written by hand (no chart library, no
 * script: the file opens anywhere, offline, and its bytes depend only on the
 * data). Every drawn datum carries class="mark" (what the browser test
 * counts) and a <title> where a reader may want the number.
 */
import { formatDuration } from '../../api/duration.ts';

export const W = 760;
export const H = 260;
const M = { top: 16, right: 56, bottom: 36, left: 56 };
export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number in at most 3 significant decimals, without exponent noise. */
export function num(n: number): string {
  if (!Number.isFinite(n)) return '-';
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toFixed(Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2)));
}

function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** A round axis maximum at or above v (1, 2, 2.5, 5 times a power of ten). */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const TIME_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000];

function timeTicks(end: number): number[] {
  const step = TIME_STEPS.find((s) => end / s <= 8) ?? Math.ceil(end / 8);
  const out: number[] = [];
  for (let t = 0; t <= end; t += step) out.push(t);
  return out;
}

function frame(name: string, label: string, body: string): string {
  return `<svg class="chart" data-chart="${esc(name)}" role="img" aria-label="${esc(label)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${body}</svg>`;
}

function axes(xTicks: Array<[number, string]>, yTicks: Array<[number, string]>, yLabel: string, xLabel: string, right?: { ticks: Array<[number, string]>; label: string }): string {
  const x0 = M.left;
  const x1 = W - M.right;
  const y0 = H - M.bottom;
  const y1 = M.top;
  let s = `<g class="axes" font-size="11" fill="#444">`;
  s += `<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#999"/><line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#999"/>`;
  for (const [x, t] of xTicks) s += `<line x1="${px(x)}" y1="${y0}" x2="${px(x)}" y2="${y0 + 4}" stroke="#999"/><text x="${px(x)}" y="${y0 + 16}" text-anchor="middle">${esc(t)}</text>`;
  for (const [y, t] of yTicks) s += `<line x1="${x0}" y1="${px(y)}" x2="${x1}" y2="${px(y)}" stroke="#eee"/><text x="${x0 - 6}" y="${px(y + 4)}" text-anchor="end">${esc(t)}</text>`;
  s += `<text x="${(x0 + x1) / 2}" y="${H - 4}" text-anchor="middle">${esc(xLabel)}</text>`;
  s += `<text transform="translate(12 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`;
  if (right) {
    s += `<line x1="${x1}" y1="${y0}" x2="${x1}" y2="${y1}" stroke="#999"/>`;
    for (const [y, t] of right.ticks) s += `<text x="${x1 + 6}" y="${px(y + 4)}">${esc(t)}</text>`;
    s += `<text transform="translate(${W - 8} ${(y0 + y1) / 2}) rotate(90)" text-anchor="middle">${esc(right.label)}</text>`;
  }
  return `${s}</g>`;
}

export interface Series {
  name: string;
  values: number[];
}

/** Names with their palette index (the series' own, so a skipped series does not shift the colours). */
function legend(names: string[], colors: number[] = names.map((_, i) => i)): string {
  let s = '<g class="legend" font-size="11">';
  let x = M.left + 8;
  names.forEach((n, i) => {
    s += `<rect x="${x}" y="${M.top - 2}" width="10" height="10" fill="${PALETTE[colors[i]! % PALETTE.length]}"/><text x="${x + 14}" y="${M.top + 7}" fill="#222">${esc(n)}</text>`;
    x += 22 + n.length * 6.2;
  });
  return `${s}</g>`;
}

/**
 * Series over time buckets (value i covers [i·width, (i+1)·width)), drawn as
 * lines at the bucket ends, or stacked areas.
 */
export function timeSeriesChart(name: string, label: string, series: Series[], bucketWidth: number, end: number, yLabel: string, stacked = false): string {
  const n = Math.max(0, ...series.map((s) => s.values.length));
  const tMax = Math.max(end, 1);
  const x = (t: number): number => M.left + (Math.min(t, tMax) / tMax) * (W - M.left - M.right);
  const tops: number[][] = [];
  const acc = new Array<number>(n).fill(0);
  for (const s of series) {
    const row: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = s.values[i] ?? 0;
      row.push(stacked ? (acc[i] = acc[i]! + v) : v);
    }
    tops.push(row);
  }
  const yMax = niceMax(Math.max(0, ...tops.flat()));
  const y = (v: number): number => H - M.bottom - (v / yMax) * (H - M.top - M.bottom - 14);
  const tAt = (i: number): number => Math.min((i + 1) * bucketWidth, tMax);
  let body = axes(
    timeTicks(tMax).map((t) => [x(t), formatDuration(t)]),
    [0, 0.25, 0.5, 0.75, 1].map((f) => [y(f * yMax), num(f * yMax)]),
    yLabel,
    'virtual time',
  );
  tops.forEach((row, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    const pts = row.map((v, i) => `${px(x(tAt(i)))},${px(y(v))}`);
    const first = `${px(x(0))},${px(y(stacked && k > 0 ? 0 : row[0] ?? 0))}`;
    if (stacked) {
      const below = k > 0 ? tops[k - 1]! : new Array<number>(n).fill(0);
      const back = below.map((v, i) => `${px(x(tAt(i)))},${px(y(v))}`).reverse();
      body += `<path class="mark" d="M${px(x(0))},${px(y(below[0] ?? 0))} L${[`${px(x(0))},${px(y(row[0] ?? 0))}`, ...pts, ...back].join(' L')} Z" fill="${color}" fill-opacity="0.75" stroke="${color}"><title>${esc(series[k]!.name)}</title></path>`;
    } else {
      body += `<path class="mark" d="M${[first, ...pts].join(' L')}" fill="none" stroke="${color}" stroke-width="2"><title>${esc(series[k]!.name)}</title></path>`;
    }
  });
  return frame(name, label, body + legend(series.map((s) => s.name)));
}

/** Grouped bars: one group per category, one bar per series. */
export function barChart(name: string, label: string, categories: string[], series: Series[], yLabel: string, format: (v: number) => string = num): string {
  const yMax = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const y = (v: number): number => H - M.bottom - (v / yMax) * (H - M.top - M.bottom - 14);
  const gw = (W - M.left - M.right) / Math.max(1, categories.length);
  const bw = (gw * 0.8) / Math.max(1, series.length);
  let body = axes(
    categories.map((c, i) => [M.left + gw * (i + 0.5), c]),
    [0, 0.25, 0.5, 0.75, 1].map((f) => [y(f * yMax), format(f * yMax)]),
    yLabel,
    '',
  );
  series.forEach((s, k) => {
    s.values.forEach((v, i) => {
      const x0 = M.left + gw * i + gw * 0.1 + bw * k;
      const top = y(v);
      // A zero still gets a hairline so the datum is visible and countable.
      const h = Math.max(1, H - M.bottom - top);
      body += `<rect class="mark" x="${px(x0)}" y="${px(H - M.bottom - h)}" width="${px(bw - 2)}" height="${px(h)}" fill="${PALETTE[k % PALETTE.length]}"><title>${esc(`${s.name} ${categories[i]}: ${format(v)}`)}</title></rect>`;
    });
  });
  return frame(name, label, body + (series.length > 1 ? legend(series.map((s) => s.name)) : ''));
}

/** Most rows and columns a heatmap draws; more are averaged into groups. */
export const HEATMAP_ROWS = 48;
export const HEATMAP_COLS = 80;

/** A sequential scale (ColorBrewer YlOrRd stops): 0% pale yellow, 100% and above dark red. */
const STOPS: Array<[number, [number, number, number]]> = [
  [0, [255, 255, 204]],
  [0.25, [254, 217, 118]],
  [0.5, [253, 141, 60]],
  [0.75, [227, 26, 28]],
  [1, [128, 0, 38]],
];

function colorOf(f: number): string {
  if (!Number.isFinite(f)) return '#d9d9d9';
  const c = Math.max(0, Math.min(1, f));
  let k = 0;
  while (k < STOPS.length - 2 && c > STOPS[k + 1]![0]) k++;
  const [a, ca] = STOPS[k]!;
  const [b, cb] = STOPS[k + 1]!;
  const u = (c - a) / (b - a);
  const mix = (i: number): number => Math.round(ca[i]! + (cb[i]! - ca[i]!) * u);
  return `rgb(${mix(0)},${mix(1)},${mix(2)})`;
}

function groupMean(values: number[][], rowGroups: number, colGroups: number): number[][] {
  const rows = values.length;
  const cols = values[0]?.length ?? 0;
  const out: number[][] = [];
  for (let gr = 0; gr < rowGroups; gr++) {
    const r0 = Math.floor((gr * rows) / rowGroups);
    const r1 = Math.floor(((gr + 1) * rows) / rowGroups);
    const row: number[] = [];
    for (let gc = 0; gc < colGroups; gc++) {
      const c0 = Math.floor((gc * cols) / colGroups);
      const c1 = Math.floor(((gc + 1) * cols) / colGroups);
      let sum = 0;
      let k = 0;
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) if (Number.isFinite(values[r]![c]!)) (sum += values[r]![c]!), k++;
      row.push(k > 0 ? sum / k : Number.NaN);
    }
    out.push(row);
  }
  return out;
}

/** Rows (nodes) by time buckets, each cell a fraction 0..1 (NaN: no data, drawn grey). */
export function heatmap(name: string, label: string, rowNames: string[], values: number[][], bucketWidth: number, end: number): string {
  const rowGroups = Math.min(HEATMAP_ROWS, rowNames.length);
  const cols = values[0]?.length ?? 0;
  const colGroups = Math.min(HEATMAP_COLS, cols);
  const cells = groupMean(values, rowGroups, colGroups);
  const labels = Array.from({ length: rowGroups }, (_, g) => {
    const r0 = Math.floor((g * rowNames.length) / rowGroups);
    const r1 = Math.floor(((g + 1) * rowNames.length) / rowGroups) - 1;
    return r0 === r1 ? rowNames[r0]! : `${rowNames[r0]}…${rowNames[r1]}`;
  });
  const left = 140;
  const h = Math.max(H, M.top + M.bottom + rowGroups * 12);
  const cw = (W - left - M.right) / Math.max(1, colGroups);
  const ch = (h - M.top - M.bottom) / Math.max(1, rowGroups);
  const tMax = Math.max(end, 1);
  let body = `<g font-size="10" fill="#444">`;
  labels.forEach((l, g) => {
    if (rowGroups <= 24 || g % Math.ceil(rowGroups / 24) === 0) body += `<text x="${left - 4}" y="${px(M.top + ch * (g + 0.5) + 3)}" text-anchor="end">${esc(l.length > 22 ? `${l.slice(0, 21)}…` : l)}</text>`;
  });
  for (const t of timeTicks(tMax)) {
    const x = left + (t / tMax) * (W - left - M.right);
    body += `<text x="${px(x)}" y="${px(h - M.bottom + 14)}" text-anchor="middle">${esc(formatDuration(t))}</text>`;
  }
  body += `<text x="${(left + W - M.right) / 2}" y="${h - 4}" text-anchor="middle">virtual time</text></g>`;
  const colMs = (cols * bucketWidth) / Math.max(1, colGroups);
  cells.forEach((row, g) => {
    row.forEach((v, c) => {
      const tip = `${labels[g]} ${formatDuration(Math.round(c * colMs))}–${formatDuration(Math.round((c + 1) * colMs))}: ${Number.isFinite(v) ? `${num(v * 100)}%` : 'no node'}`;
      body += `<rect class="mark" x="${px(left + c * cw)}" y="${px(M.top + g * ch)}" width="${px(cw + 0.3)}" height="${px(ch + 0.3)}" fill="${colorOf(v)}"><title>${esc(tip)}</title></rect>`;
    });
  });
  // The colour scale.
  for (let k = 0; k <= 10; k++) body += `<rect x="${W - M.right + 12}" y="${px(M.top + (10 - k) * 12)}" width="14" height="12" fill="${colorOf(k / 10)}"/>`;
  body += `<text x="${W - M.right + 30}" y="${M.top + 9}" font-size="10">100%</text><text x="${W - M.right + 30}" y="${M.top + 129}" font-size="10">0%</text>`;
  return `<svg class="chart" data-chart="${esc(name)}" role="img" aria-label="${esc(label)}" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}">${body}</svg>`;
}

/** Step lines from change points (t, v), on a left axis and, for `right`, a right axis. */
export function stepChart(name: string, label: string, end: number, left: { label: string; series: Array<{ name: string; points: Array<[number, number]> }> }, right?: { label: string; series: Array<{ name: string; points: Array<[number, number]> }> }): string {
  const tMax = Math.max(end, 1);
  const x = (t: number): number => M.left + (Math.min(t, tMax) / tMax) * (W - M.left - M.right);
  const yOf = (max: number) => (v: number): number => H - M.bottom - (v / max) * (H - M.top - M.bottom - 14);
  const lMax = niceMax(Math.max(0, ...left.series.flatMap((s) => s.points.map((p) => p[1]))));
  const rMax = right ? niceMax(Math.max(0, ...right.series.flatMap((s) => s.points.map((p) => p[1])))) : 1;
  const yl = yOf(lMax);
  const yr = yOf(rMax);
  let body = axes(
    timeTicks(tMax).map((t) => [x(t), formatDuration(t)]),
    [0, 0.25, 0.5, 0.75, 1].map((f) => [yl(f * lMax), num(f * lMax)]),
    left.label,
    'virtual time',
    right ? { ticks: [0, 0.25, 0.5, 0.75, 1].map((f) => [yr(f * rMax), num(f * rMax)]), label: right.label } : undefined,
  );
  const names: string[] = [];
  const colors: number[] = [];
  const draw = (s: { name: string; points: Array<[number, number]> }, y: (v: number) => number, k: number, dashed: boolean): void => {
    if (s.points.length === 0) return;
    const d: string[] = [];
    s.points.forEach(([t, v], i) => {
      if (i > 0) d.push(`${px(x(t))},${px(y(s.points[i - 1]![1]))}`);
      d.push(`${px(x(t))},${px(y(v))}`);
    });
    d.push(`${px(x(tMax))},${px(y(s.points[s.points.length - 1]![1]))}`);
    body += `<path class="mark" d="M${d.join(' L')}" fill="none" stroke="${PALETTE[k % PALETTE.length]}" stroke-width="2"${dashed ? ' stroke-dasharray="5 3"' : ''}><title>${esc(s.name)}</title></path>`;
    names.push(s.name);
    colors.push(k);
  };
  let k = 0;
  for (const s of left.series) draw(s, yl, k++, false);
  for (const s of right?.series ?? []) draw(s, yr, k++, true);
  return frame(name, label, body + legend(names, colors));
}
