/**
 * Loss curves: several series (e.g. train / validation / test loss per epoch) on one chart, as an
 * SVG string or as a PNG raster, with axes, tick labels, a legend, a title and an optional
 * logarithmic y axis. Both renderings share one layout (`chartLayout`), so they agree.
 *
 * Points with a non-finite y (and, on a log axis, y ≤ 0) are not drawn and break their line. The
 * PNG text uses a built-in 5×7 bitmap font (digits, letters shown upper-case, and `.-+:()/%=,_`).
 *
 * ## Example
 * ```ts
 * const series = [{ name: 'train', y: [0.05, 0.02, 0.015] }, { name: 'test', y: [0.04, 0.021, 0.016] }];
 * writeFileSync('loss.svg', lineChartSvg(series, { title: 'MNIST H=32', logY: true }));
 * writeFileSync('loss.png', lineChartPng(series, { title: 'MNIST H=32', logY: true }));
 * ```
 */
import { type RasterImage, encodePng, rasterImage } from './png.ts';

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

/** Pixel layout of a chart (shared by the SVG and PNG renderings). */
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
    `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" font-family="sans-serif" font-size="12">`,
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

// ---- raster ---------------------------------------------------------------------------------

/** 5×7 glyphs, one string of 7 rows × 5 columns per character ('#' = ink). */
const GLYPH_ROWS: Readonly<Record<string, string>> = {
  '0': '.###.#...##..###.#.###..##...#.###.',
  '1': '..#...##....#....#....#....#...###.',
  '2': '.###.#...#....#...#...#...#...#####',
  '3': '#####...#...#.....#.....##...#.###.',
  '4': '...#...##..#.#.#..#.#####...#....#.',
  '5': '######....####.....#....##...#.###.',
  '6': '..##..#...#....####.#...##...#.###.',
  '7': '#####....#...#...#...#....#....#...',
  '8': '.###.#...##...#.###.#...##...#.###.',
  '9': '.###.#...##...#.####....#...#..##..',
  A: '.###.#...##...#######...##...##...#',
  B: '####.#...##...#####.#...##...#####.',
  C: '.###.#...##....#....#....#...#.###.',
  D: '###..#..#.#...##...##...##..#.###..',
  E: '######....#....####.#....#....#####',
  F: '######....#....####.#....#....#....',
  G: '.###.#...##....#.####...##...#.####',
  H: '#...##...##...#######...##...##...#',
  I: '.###...#....#....#....#....#...###.',
  J: '..###...#....#....#....#.#..#..##..',
  K: '#...##..#.#.#..##...#.#..#..#.#...#',
  L: '#....#....#....#....#....#....#####',
  M: '#...###.###.#.##...##...##...##...#',
  N: '#...##...###..##.#.##..###...##...#',
  O: '.###.#...##...##...##...##...#.###.',
  P: '####.#...##...#####.#....#....#....',
  Q: '.###.#...##...##...##.#.##..#..##.#',
  R: '####.#...##...#####.#.#..#..#.#...#',
  S: '.####.....#.....###.....#....#####.',
  T: '#####..#....#....#....#....#....#..',
  U: '#...##...##...##...##...##...#.###.',
  V: '#...##...##...##...##...#.#.#...#..',
  W: '#...##...##...##.#.##.#.##.#.#.#.#.',
  X: '#...##...#.#.#...#...#.#.#...##...#',
  Y: '#...##...#.#.#...#....#....#....#..',
  Z: '#####....#...#...#...#...#....#####',
  '.': '..........................##...##..',
  ',': '.....................##...##...#...',
  '-': '................###................',
  '+': '.......#....#..#####..#....#.......',
  ':': '.....##...##.........##...##.......',
  '(': '...#...#...#....#....#.....#.....#.',
  ')': '.#.....#.....#....#....#...#...#...',
  '/': '.....#...#...#...#...#...#.........',
  '%': '##...##..#...#...#...#...#..##...##',
  '=': '..........#####.....#####..........',
  _: '..............................#####',
  ' ': '...................................',
};

/** Glyph bitmaps: 7 row masks of 5 bits (bit 4 = leftmost column). */
const GLYPHS: ReadonlyMap<string, Uint8Array> = new Map(
  Object.entries(GLYPH_ROWS).map(([ch, rows]) => {
    const padded = rows.padEnd(35, '.');
    const m = new Uint8Array(7);
    for (let r = 0; r < 7; r++) for (let c = 0; c < 5; c++) if (padded[r * 5 + c] === '#') m[r] |= 1 << (4 - c);
    return [ch, m];
  }),
);

/** Pixel width of `text` at `scale` (6 px per character: 5 ink + 1 space). */
export const textWidth = (text: string, scale = 1): number => Math.max(0, text.length * 6 - 1) * scale;

const parseColor = (hex: string): [number, number, number] => {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (m === null) throw new RangeError(`lineChart: colour must be #rrggbb, got ${hex}`);
  const v = parseInt(m[1], 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
};

const setPixel = (img: RasterImage, x: number, y: number, rgb: readonly number[]): void => {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const o = (y * img.width + x) * img.channels;
  if (img.channels === 1) img.pixels[o] = Math.round(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
  else {
    img.pixels[o] = rgb[0];
    img.pixels[o + 1] = rgb[1];
    img.pixels[o + 2] = rgb[2];
  }
};

/** Draws `text` with its top-left corner at (x, y); unknown characters are drawn as '?'-boxes. */
export const drawText = (img: RasterImage, x: number, y: number, text: string, rgb: readonly number[], scale = 1): void => {
  let cx = Math.round(x);
  const y0 = Math.round(y);
  for (const ch of text) {
    const g = GLYPHS.get(ch) ?? GLYPHS.get(ch.toUpperCase());
    for (let r = 0; r < 7; r++) {
      for (let c = 0; c < 5; c++) {
        const ink = g === undefined ? r === 0 || r === 6 || c === 0 || c === 4 : (g[r] >> (4 - c)) & 1;
        if (!ink) continue;
        for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) setPixel(img, cx + c * scale + dx, y0 + r * scale + dy, rgb);
      }
    }
    cx += 6 * scale;
  }
};

/** A line of the given thickness (Bresenham, a square brush). */
export const drawLine = (
  img: RasterImage,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  rgb: readonly number[],
  thickness = 1,
): void => {
  let x = Math.round(x0);
  let y = Math.round(y0);
  const xe = Math.round(x1);
  const ye = Math.round(y1);
  const dx = Math.abs(xe - x);
  const dy = -Math.abs(ye - y);
  const sx = x < xe ? 1 : -1;
  const sy = y < ye ? 1 : -1;
  let err = dx + dy;
  const lo = -Math.floor((thickness - 1) / 2);
  const hi = lo + thickness - 1;
  for (;;) {
    for (let a = lo; a <= hi; a++) for (let b = lo; b <= hi; b++) setPixel(img, x + a, y + b, rgb);
    if (x === xe && y === ye) break;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
};

/** The chart as an RGB raster. */
export const lineChartRaster = (series: readonly ChartSeries[], opts: LineChartOptions = {}): RasterImage => {
  const L = chartLayout(series, opts);
  const img = rasterImage(L.width, L.height, 3, 255);
  const { left, top, right, bottom } = L.plot;
  const black = [0, 0, 0];
  const grid = [224, 224, 224];
  for (const t of L.yTicks) {
    drawLine(img, left, t.px, right, t.px, grid);
    drawText(img, left - 6 - textWidth(t.label), t.px - 3, t.label, black);
  }
  for (const t of L.xTicks) {
    drawLine(img, t.px, top, t.px, bottom, [240, 240, 240]);
    drawText(img, t.px - textWidth(t.label) / 2, bottom + 8, t.label, black);
  }
  drawLine(img, left, top, right, top, black);
  drawLine(img, left, bottom, right, bottom, black);
  drawLine(img, left, top, left, bottom, black);
  drawLine(img, right, top, right, bottom, black);
  for (const s of L.series) {
    const rgb = parseColor(s.color);
    for (const seg of s.segments) {
      if (seg.length === 1) drawLine(img, seg[0][0], seg[0][1], seg[0][0], seg[0][1], rgb, 3);
      for (let i = 1; i < seg.length; i++) drawLine(img, seg[i - 1][0], seg[i - 1][1], seg[i][0], seg[i][1], rgb, 2);
    }
  }
  L.series.forEach((s, k) => {
    const y = top + 14 + k * 16;
    drawLine(img, right - 120, y - 4, right - 100, y - 4, parseColor(s.color), 2);
    drawText(img, right - 94, y - 7, s.name, black);
  });
  if (L.title !== '') drawText(img, L.width / 2 - textWidth(L.title, 2) / 2, 6, L.title, black, 2);
  drawText(img, (left + right) / 2 - textWidth(L.xLabel) / 2, L.height - 16, L.xLabel, black);
  drawText(img, 8, top - 14, L.yLabel + (L.logY ? ' (log)' : ''), black);
  return img;
};

/** The chart as a PNG file. */
export const lineChartPng = (series: readonly ChartSeries[], opts: LineChartOptions = {}): Uint8Array =>
  encodePng(lineChartRaster(series, opts));
