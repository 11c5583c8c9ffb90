/**
 * A confusion matrix as a heatmap: one row per true label, one column per predicted class plus a
 * last column "none" (no output spike); each cell shaded by its share of its row (white 0 →
 * dark blue 1) and labelled with its count; the title carries the accuracy. SVG, or PNG through
 * `svgToPng` (resvg with the bundled font).
 *
 * ## Example
 * ```ts
 * writeFileSync('confusion.png', confusionChartPng(confusionMatrix(network, testSet), { title: 'MNIST test' }));
 * ```
 */
import type { ConfusionMatrix } from '../train/confusion.ts';
import { escapeHtml } from './html.ts';
import { svgToPng } from './svgToPng.ts';

export interface ConfusionChartOptions {
  readonly title?: string;
  /** Names of the classes (default 0, 1, …). */
  readonly classNames?: readonly string[];
  /** Side of a cell in pixels (default 40). */
  readonly cell?: number;
}

/** Blend of white and #08306b by a share in [0, 1]. */
const shade = (share: number): string => {
  const s = Math.max(0, Math.min(1, share));
  const ch = (to: number) => Math.round(255 + (to - 255) * s).toString(16).padStart(2, '0');
  return `#${ch(0x08)}${ch(0x30)}${ch(0x6b)}`;
};

export const confusionChartSvg = (m: ConfusionMatrix, o: ConfusionChartOptions = {}): string => {
  const k = m.classes;
  const cell = o.cell ?? 40;
  const names = Array.from({ length: k }, (_, j) => o.classNames?.[j] ?? String(j));
  const left = 90;
  const top = 60;
  const width = left + (k + 1) * cell + 20;
  const height = top + k * cell + 20;
  const acc = Number.isFinite(m.accuracy) ? `${(100 * m.accuracy).toFixed(2)} %` : 'n/a';
  const title = `${o.title ?? 'confusion matrix'} — accuracy ${acc} of ${m.examples}`;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeHtml(title)}</text>`,
    `<text x="${left + ((k + 1) * cell) / 2}" y="${top - 24}" text-anchor="middle">predicted (first output spike)</text>`,
    `<text x="10" y="${top - 8}">true label</text>`,
  ];
  for (let c = 0; c <= k; c++) {
    const label = c < k ? names[c] : 'none';
    out.push(`<text x="${left + c * cell + cell / 2}" y="${top - 6}" text-anchor="middle">${escapeHtml(label)}</text>`);
  }
  for (let r = 0; r < k; r++) {
    let rowTotal = 0;
    for (let c = 0; c <= k; c++) rowTotal += m.counts[r * (k + 1) + c];
    const y = top + r * cell;
    out.push(`<text x="${left - 8}" y="${y + cell / 2 + 4}" text-anchor="end">${escapeHtml(names[r])}</text>`);
    for (let c = 0; c <= k; c++) {
      const n = m.counts[r * (k + 1) + c];
      const share = rowTotal > 0 ? n / rowTotal : 0;
      const x = left + c * cell;
      out.push(`<rect class="cell" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${shade(share)}" stroke="#cccccc"/>`);
      if (n > 0) {
        out.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle" fill="${share > 0.5 ? '#ffffff' : '#000000'}">${n}</text>`);
      }
    }
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
};

export const confusionChartPng = (m: ConfusionMatrix, o: ConfusionChartOptions = {}): Uint8Array =>
  svgToPng(confusionChartSvg(m, o));
