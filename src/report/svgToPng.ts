/**
 * SVG → PNG with a real rasteriser: resvg (`@resvg/resvg-js`, whose platform binary ships inside
 * its npm package) and the DejaVu Sans font of the `dejavu-fonts-ttf` package, so a chart renders
 * the same on every machine whatever fonts it has installed (no system fonts are loaded).
 *
 * ## Example
 * ```ts
 * writeFileSync('loss.png', svgToPng(lineChartSvg(series, { title: 'MNIST H=32' })));
 * ```
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);

/** The font every chart is drawn with (bundled, so pictures do not depend on the machine). */
export const CHART_FONT_FAMILY = 'DejaVu Sans';
const fontFiles = [require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')];

export interface SvgToPngOptions {
  /** Output width in pixels (default: the SVG's own width); the height keeps the aspect ratio. */
  readonly width?: number;
  /** Background colour painted under the SVG (default white, as charts are printed). */
  readonly background?: string;
}

/** Renders an SVG document to PNG bytes (8-bit RGBA). */
export const svgToPng = (svg: string, o: SvgToPngOptions = {}): Uint8Array => {
  const resvg = new Resvg(svg, {
    background: o.background ?? '#ffffff',
    fitTo: o.width === undefined ? { mode: 'original' } : { mode: 'width', value: o.width },
    font: {
      fontFiles,
      loadSystemFonts: false,
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
  });
  return new Uint8Array(resvg.render().asPng());
};
