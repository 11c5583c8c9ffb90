/**
 * A labelled matrix of pictures as one SVG: row labels on the left, column labels on top, each
 * cell a raster (PNG, inlined as a `data:` URI) — the layout of the paper's Figure 4 (rows: noise
 * levels, columns: the noisy input and the reconstructions per embedding size). Text is real
 * text, so the figure reads well in a browser and rasterises with `svgToPng`.
 *
 * ## Example
 * ```ts
 * const svg = imageMatrixSvg({ title: 'MNIST', rowLabels: ['noise 0'], columnLabels: ['input', 'H=32'], cells: [[a, b]] });
 * ```
 */
import { encodePng, type RasterImage } from './png.ts';

export interface ImageMatrix {
  readonly title?: string;
  readonly rowLabels: readonly string[];
  readonly columnLabels: readonly string[];
  /** cells[row][column]; `null` leaves a cell empty (a run the profile did not make). */
  readonly cells: readonly (readonly (RasterImage | null)[])[];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const imageMatrixSvg = (m: ImageMatrix): string => {
  if (m.cells.length !== m.rowLabels.length || m.cells.some((r) => r.length !== m.columnLabels.length)) {
    throw new RangeError(`imageMatrixSvg: ${m.rowLabels.length} × ${m.columnLabels.length} labels for a ${m.cells.length}-row matrix of unequal shape`);
  }
  const present = m.cells.flat().filter((c): c is RasterImage => c !== null);
  const cellW = Math.max(40, ...present.map((c) => c.width));
  const cellH = Math.max(20, ...present.map((c) => c.height));
  const pad = 8;
  const labelW = Math.max(60, ...m.rowLabels.map((l) => l.length * 7 + 12));
  const top = (m.title ? 28 : 0) + 22;
  const width = labelW + m.columnLabels.length * (cellW + pad) + pad;
  const height = top + m.rowLabels.length * (cellH + pad) + pad;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (m.title) out.push(`<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">${esc(m.title)}</text>`);
  m.columnLabels.forEach((l, c) => out.push(`<text x="${labelW + c * (cellW + pad) + cellW / 2}" y="${top - 7}" text-anchor="middle">${esc(l)}</text>`));
  m.rowLabels.forEach((l, r) => {
    const y = top + r * (cellH + pad);
    out.push(`<text x="${labelW - 8}" y="${y + cellH / 2 + 4}" text-anchor="end">${esc(l)}</text>`);
    m.cells[r].forEach((cell, c) => {
      const x = labelW + c * (cellW + pad);
      if (cell === null) {
        out.push(`<rect x="${x}" y="${y}" width="${cellW}" height="${cellH}" fill="#f4f4f4" stroke="#dddddd"/>`);
        return;
      }
      const uri = `data:image/png;base64,${Buffer.from(encodePng(cell)).toString('base64')}`;
      out.push(`<rect x="${x - 1}" y="${y - 1}" width="${cell.width + 2}" height="${cell.height + 2}" fill="none" stroke="#999999"/>`);
      out.push(`<image x="${x}" y="${y}" width="${cell.width}" height="${cell.height}" href="${uri}" style="image-rendering:pixelated"/>`);
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
};
