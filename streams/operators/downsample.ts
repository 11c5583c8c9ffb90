/**
 * `downsample({ from, to })`: maps camera events from a `from.width × from.height` grid onto a
 * coarser (or equal) `to.width × to.height` grid by proportional binning,
 *
 *     x' = ⌊x · to.width / from.width⌋,   y' = ⌊y · to.height / from.height⌋,
 *
 * so an integer factor f (from = f · to) is x' = ⌊x / f⌋. Every event is kept (several may land on
 * one output pixel); order, polarity and time are kept. An event outside the `from` grid errors the
 * output with a RangeError naming the event and the grid (a sensor-size mistake, not data).
 *
 * ## Example
 * ```ts
 * events$.pipe(downsample({ from: { width: 34, height: 34 }, to: { width: 17, height: 17 } }));
 * ```
 */
import { type Observable } from 'rxjs';
import { type GridSize, checkGrid } from '../grid.ts';
import { type EventItems, type SameForm, mapEvents } from '../sample.ts';

export { type GridSize, checkGrid } from '../grid.ts';

export interface DownsampleOptions {
  readonly from: GridSize;
  readonly to: GridSize;
}

/** Output coordinate of input coordinate `c` on an axis of `fromSize` → `toSize` cells. */
export const binCoordinate = (c: number, fromSize: number, toSize: number): number => Math.floor((c * toSize) / fromSize);

export const downsample = (
  options: DownsampleOptions,
): (<T extends EventItems>(source: Observable<T>) => Observable<SameForm<T>>) => {
  const { from, to } = options;
  checkGrid('downsample from', from);
  checkGrid('downsample to', to);
  if (to.width > from.width || to.height > from.height) {
    throw new RangeError(`downsample: target ${to.width}×${to.height} is larger than source ${from.width}×${from.height}`);
  }
  return mapEvents(() => {
    let seen = 0;
    return (e) => {
      if (e.x >= from.width || e.y >= from.height) {
        throw new RangeError(
          `downsample: event ${seen} at (${e.x}, ${e.y}), time ${e.timeUs} µs, is outside the ${from.width}×${from.height} grid`,
        );
      }
      seen++;
      e.x = binCoordinate(e.x, from.width, to.width);
      e.y = binCoordinate(e.y, from.height, to.height);
      return true;
    };
  });
};
