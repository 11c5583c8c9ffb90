/**
 * A scatter plot as SVG: points coloured by class (e.g. a t-SNE map of digit embeddings), with a
 * legend of class names and a title. Axes carry no units (t-SNE coordinates have none).
 *
 * ## Example
 * ```ts
 * const svg = scatterSvg(Float64Array.from([0, 0, 1, 1]), [3, 7], { title: 't-SNE', classNames: ['0', …] });
 * ```
 */

/** Ten well-separated colours (one per MNIST class). */
export const CLASS_COLORS: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

export interface ScatterOptions {
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
  readonly classNames?: readonly string[];
  readonly radius?: number;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `xy` holds count × 2 coordinates row-major; `labels[i]` is the class of point i. */
export const scatterSvg = (xy: Float64Array, labels: ArrayLike<number>, o: ScatterOptions = {}): string => {
  const width = o.width ?? 420;
  const height = o.height ?? 380;
  const r = o.radius ?? 2;
  const n = xy.length / 2;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, xy[2 * i]);
    x1 = Math.max(x1, xy[2 * i]);
    y0 = Math.min(y0, xy[2 * i + 1]);
    y1 = Math.max(y1, xy[2 * i + 1]);
  }
  const plot = { left: 10, top: 30, right: width - 70, bottom: height - 10 };
  const sx = (v: number) => plot.left + ((v - x0) / (x1 - x0 || 1)) * (plot.right - plot.left);
  const sy = (v: number) => plot.bottom - ((v - y0) / (y1 - y0 || 1)) * (plot.bottom - plot.top);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#000000"/>`,
  ];
  for (let i = 0; i < n; i++) {
    const c = CLASS_COLORS[labels[i] % CLASS_COLORS.length];
    out.push(`<circle class="point" cx="${sx(xy[2 * i]).toFixed(1)}" cy="${sy(xy[2 * i + 1]).toFixed(1)}" r="${r}" fill="${c}" fill-opacity="0.8"/>`);
  }
  const present = [...new Set(Array.from({ length: n }, (_, i) => labels[i]))].sort((a, b) => a - b);
  present.forEach((k, j) => {
    const y = plot.top + 10 + j * 16;
    out.push(`<circle cx="${plot.right + 14}" cy="${y - 4}" r="5" fill="${CLASS_COLORS[k % CLASS_COLORS.length]}"/>`);
    out.push(`<text class="legend" x="${plot.right + 24}" y="${y}">${esc(o.classNames?.[k] ?? String(k))}</text>`);
  });
  if (o.title) out.push(`<text class="title" x="${width / 2}" y="18" text-anchor="middle" font-size="13">${esc(o.title)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
};
