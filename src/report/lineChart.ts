/**
 * Loss curves: several series (e.g. train / validation / test loss per epoch) on one chart, as an
 * SVG string or as a PNG, with axes, tick labels, a legend, a title and an optional
 * logarithmic y axis, laid out by `chartLayout`.
 *
 * Points with a non-finite y (and, on a log axis, y ≤ 0) are not drawn and break their line. The
 * PNG is the SVG rasterised by resvg (`svgToPng`), so the two renderings are one picture.
 *
 * ## Example
 * ```ts
 * const series = [{ name: 'train', y: [0.05, 0.02, 0.015] }, { name: 'test', y: [0.04, 0.021, 0.016] }];
 * writeFileSync('loss.svg', lineChartSvg(series, { title: 'MNIST H=32', logY: true }));
 * writeFileSync('loss.png', lineChartPng(series, { title: 'MNIST H=32', logY: true }));
 * ```
 */
import { svgToPng } from './svgToPng.ts';

export interface ChartSeries {
  readonly name: string;
  readonly y: readonly number[];
  /** x of each point (default: 0, 1, 2, … — the epoch index). */
  readonly x?: readonly number[];
  /** `#rrggbb` (default: from `SERIES_COLORS`). */
  readonly color?: string;
}

export interface LineChartOptions {
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly logY?: boolean;
}

export const SERIES_COLORS: readonly string[] = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

export interface Tick {
  readonly value: number;
  readonly label: string;
  /** Pixel coordinate along its axis. */
  readonly px: number;
}

export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  /** Plot area in pixels: x from left to right, y from top to bottom. */
  readonly plot: { readonly left: number; readonly top: number; readonly right: number; readonly bottom: number };
  readonly xTicks: readonly Tick[];
  readonly yTicks: readonly Tick[];
  /** Per series: colour and polyline segments of pixel points (breaks at undrawable points). */
  readonly series: readonly {
    readonly name: string;
    readonly color: string;
    readonly segments: readonly (readonly (readonly [number, number])[])[];
  }[];
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly logY: boolean;
}

// ---- ticks ----------------------------------------------------------------------------------

/** Tick label: plain decimal for 1e-3 ≤ |v| < 1e6 (and 0), else exponent form like 1e-5. */
export const formatTick = (v: number): string => {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(10)));
  const [m, e] = v.toExponential().split('e');
  return `${String(Number(Number(m).toPrecision(10)))}e${e.replace('+', '')}`;
};

/** About `count` evenly spaced round ticks (steps 1, 2 or 5 × 10^k) covering [min, max]. */
export const niceTicks = (min: number, max: number, count = 5): number[] => {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const lo = Math.floor(min / step + 1e-9);
  const hi = Math.ceil(max / step - 1e-9);
  // round away the float noise of k·step at the step's own decimal position
  const decimals = Math.min(100, Math.max(0, 1 - Math.floor(Math.log10(step))));
  const out: number[] = [];
  for (let k = lo; k <= hi; k++) out.push(Number((k * step).toFixed(decimals)));
  return out;
};

/** Powers of ten covering [min, max] (both > 0), plus 2× and 5× when they span ≤ 2 decades. */
export const logTicks = (min: number, max: number): number[] => {
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max) - 1e-9));
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) {
    out.push(Number((10 ** e).toPrecision(12)));
    if (hi - lo <= 2 && e < hi) out.push(Number((2 * 10 ** e).toPrecision(12)), Number((5 * 10 ** e).toPrecision(12)));
  }
  return out;
};

// ---- layout ---------------------------------------------------------------------------------

const drawable = (y: number, logY: boolean): boolean => Number.isFinite(y) && (!logY || y > 0);

/** Pixel layout of a chart. */
export const chartLayout = (series: readonly ChartSeries[], opts: LineChartOptions = {}): ChartLayout => {
  const width = opts.width ?? 640;
  const height = opts.height ?? 400;
  const logY = opts.logY ?? false;
  const plot = { left: 72, top: 34, right: width - 16, bottom: height - 44 };
  if (plot.right - plot.left < 40 || plot.bottom - plot.top < 40) {
    throw new RangeError(`lineChart: ${width}×${height} is too small`);
  }
  const xs = series.flatMap((s) => s.y.map((_, i) => s.x?.[i] ?? i).filter((x, i) => Number.isFinite(x) && drawable(s.y[i], logY)));
  const ys = series.flatMap((s) => s.y.filter((y) => drawable(y, logY)));
  let xMin = xs.length > 0 ? Math.min(...xs) : 0;
  let xMax = xs.length > 0 ? Math.max(...xs) : 1;
  if (xMax === xMin) {
    xMin -= 1;
    xMax += 1;
  }
  const xT = niceTicks(xMin, xMax, 8);
  xMin = xT[0];
  xMax = xT[xT.length - 1];
  let yT: number[];
  let yMin: number;
  let yMax: number;
  if (logY) {
    const lo = ys.length > 0 ? Math.min(...ys) : 0.1;
    const hi = ys.length > 0 ? Math.max(...ys) : 1;
    yT = logTicks(lo, hi);
    yMin = yT[0];
    yMax = yT[yT.length - 1];
  } else {
    let lo = ys.length > 0 ? Math.min(...ys) : 0;
    let hi = ys.length > 0 ? Math.max(...ys) : 1;
    if (hi === lo) {
      lo -= Math.abs(lo) * 0.1 || 1;
      hi += Math.abs(hi) * 0.1 || 1;
    }
    yT = niceTicks(lo, hi, 6);
    yMin = yT[0];
    yMax = yT[yT.length - 1];
  }
  const fy = (y: number): number => (logY ? Math.log10(y) : y);
  const xPx = (x: number): number => plot.left + ((x - xMin) / (xMax - xMin)) * (plot.right - plot.left);
  const yPx = (y: number): number => plot.bottom - ((fy(y) - fy(yMin)) / (fy(yMax) - fy(yMin))) * (plot.bottom - plot.top);
  return {
    width,
    height,
    plot,
    xTicks: xT.map((v) => ({ value: v, label: formatTick(v), px: xPx(v) })),
    yTicks: yT.map((v) => ({ value: v, label: formatTick(v), px: yPx(v) })),
    series: series.map((s, k) => {
      const segments: [number, number][][] = [];
      let cur: [number, number][] = [];
      s.y.forEach((y, i) => {
        const x = s.x?.[i] ?? i;
        if (drawable(y, logY) && Number.isFinite(x)) cur.push([xPx(x), yPx(y)]);
        else if (cur.length > 0) {
          segments.push(cur);
          cur = [];
        }
      });
      if (cur.length > 0) segments.push(cur);
      return { name: s.name, color: s.color ?? SERIES_COLORS[k % SERIES_COLORS.length], segments };
    }),
    title: opts.title ?? '',
    xLabel: opts.xLabel ?? 'epoch',
    yLabel: opts.yLabel ?? 'loss',
    logY,
  };
};

// ---- SVG ------------------------------------------------------------------------------------

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const r2 = (v: number): string => String(Math.round(v * 100) / 100);

/** The chart as a standalone SVG document. */
export const lineChartSvg = (series: readonly ChartSeries[], opts: LineChartOptions = {}): string => {
  const L = chartLayout(series, opts);
  const { left, top, right, bottom } = L.plot;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" font-family="DejaVu Sans, sans-serif" font-size="12">`,
    `<rect width="${L.width}" height="${L.height}" fill="#ffffff"/>`,
  ];
  for (const t of L.yTicks) {
    out.push(`<line class="grid" x1="${left}" y1="${r2(t.px)}" x2="${right}" y2="${r2(t.px)}" stroke="#e0e0e0"/>`);
    out.push(`<text class="ytick" x="${left - 6}" y="${r2(t.px + 4)}" text-anchor="end">${esc(t.label)}</text>`);
  }
  for (const t of L.xTicks) {
    out.push(`<line class="grid" x1="${r2(t.px)}" y1="${top}" x2="${r2(t.px)}" y2="${bottom}" stroke="#f0f0f0"/>`);
    out.push(`<text class="xtick" x="${r2(t.px)}" y="${bottom + 16}" text-anchor="middle">${esc(t.label)}</text>`);
  }
  out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#000000"/>`);
  for (const s of L.series) {
    const d = s.segments.map((seg) => seg.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${r2(x)} ${r2(y)}`).join(' ')).join(' ');
    out.push(`<path class="series" data-name="${esc(s.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
  }
  L.series.forEach((s, k) => {
    const y = top + 14 + k * 16;
    out.push(`<line x1="${right - 120}" y1="${y - 4}" x2="${right - 100}" y2="${y - 4}" stroke="${s.color}" stroke-width="2"/>`);
    out.push(`<text class="legend" x="${right - 94}" y="${y}">${esc(s.name)}</text>`);
  });
  if (L.title !== '') out.push(`<text class="title" x="${L.width / 2}" y="20" text-anchor="middle" font-size="14">${esc(L.title)}</text>`);
  out.push(`<text class="xlabel" x="${(left + right) / 2}" y="${L.height - 10}" text-anchor="middle">${esc(L.xLabel)}</text>`);
  out.push(`<text class="ylabel" x="8" y="${top - 8}">${esc(L.yLabel + (L.logY ? ' (log)' : ''))}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
};

// ---- PNG ----------------------------------------------------------------------------------

/** The chart as a PNG file: the SVG above, rasterised by resvg with the bundled font. */
export const lineChartPng = (series: readonly ChartSeries[], opts: LineChartOptions = {}): Uint8Array =>
  svgToPng(lineChartSvg(series, opts));
