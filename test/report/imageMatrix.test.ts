/**
 * Figure-4 layout: labels where they belong, every present cell inlined as a PNG of its raster,
 * empty cells drawn as placeholders, and the whole SVG rasterised by resvg shows the cell pixels.
 */
import { describe, expect, it } from 'vitest';
import { imageMatrixSvg } from '../../src/report/imageMatrix.ts';
import { rasterImage } from '../../src/report/png.ts';
import { svgToPng } from '../../src/report/svgToPng.ts';
import { decodePng } from './decodePng.ts';

describe('imageMatrixSvg', () => {
  const black = rasterImage(56, 28, 1, 0);
  const white = rasterImage(56, 28, 1, 255);
  const m = { title: 'MNIST', rowLabels: ['noise 0', 'noise 0.8'], columnLabels: ['input', 'H=8', 'H=32'], cells: [[black, white, null], [white, black, white]] };

  it('puts the labels and one <image> per present cell, and a placeholder for a missing one', () => {
    const svg = imageMatrixSvg(m);
    for (const l of ['MNIST', 'noise 0', 'noise 0.8', 'input', 'H=8', 'H=32']) expect(svg).toContain(`>${l}</text>`);
    expect(svg.match(/<image /g)).toHaveLength(5);
    expect(svg.match(/fill="#f4f4f4"/g)).toHaveLength(1);
    expect(() => imageMatrixSvg({ ...m, columnLabels: ['input'] })).toThrow(/labels/);
  });

  it('rasterises with the cells where the layout puts them', () => {
    const png = decodePng(svgToPng(imageMatrixSvg(m)));
    const at = (x: number, y: number): number => png.pixels[(y * png.width + x) * png.channels];
    const svg = imageMatrixSvg(m);
    const pos = [...svg.matchAll(/<image x="(\d+)" y="(\d+)"/g)].map((g) => [Number(g[1]), Number(g[2])]);
    expect(at(pos[0][0] + 28, pos[0][1] + 14)).toBeLessThan(30); // black cell
    expect(at(pos[1][0] + 28, pos[1][1] + 14)).toBeGreaterThan(225); // white cell
    expect(at(pos[3][0] + 28, pos[3][1] + 14)).toBeLessThan(30); // row 2, H=8: black
  });
});
