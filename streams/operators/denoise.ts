/**
 * `denoise(options)`: a background-activity filter. An event at pixel (x, y), time t is kept iff
 * one of its 8 neighbours (x±1, y±1, not the pixel itself) had an earlier event (earlier in the
 * stream) at a time t' with t − t' ≤ `windowUs` — with the same polarity (`polarity: 'same'`,
 * default) or any polarity (`'any'`). Isolated events (sensor noise) are dropped; events of moving
 * edges, which come in neighbourhoods, pass. Every event, kept or not, counts as a neighbour for
 * later events.
 *
 * Events are expected in non-decreasing time order (as cameras and decoders give them). State (the
 * last event time of every pixel, per polarity for 'same') lives in the subscription: a
 * `width × height` (× 2) `Float64Array`. An event outside the grid errors the output.
 *
 * ## Example
 * ```ts
 * events$.pipe(denoise({ width: 34, height: 34, windowUs: 5000 }));
 * ```
 */
import { type Observable } from 'rxjs';
import { type EventItems, type SameForm, mapEvents } from '../sample.ts';

export interface DenoiseOptions {
  readonly width: number;
  readonly height: number;
  /** Support window in µs: a neighbour event at most this long ago keeps an event. */
  readonly windowUs: number;
  /** Neighbours of the same polarity only (default), or of any polarity. */
  readonly polarity?: 'same' | 'any';
}

export const denoise = (
  options: DenoiseOptions,
): (<T extends EventItems>(source: Observable<T>) => Observable<SameForm<T>>) => {
  const { width, height, windowUs } = options;
  const mode = options.polarity ?? 'same';
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`denoise: width and height must be positive integers, got ${width}×${height}`);
  }
  if (!(windowUs >= 0)) throw new RangeError(`denoise: windowUs must be ≥ 0, got ${windowUs}`);
  if (mode !== 'same' && mode !== 'any') throw new RangeError(`denoise: polarity must be 'same' or 'any', got ${String(mode)}`);
  const planes = mode === 'same' ? 2 : 1;
  const plane = width * height;
  return mapEvents(() => {
    const last = new Float64Array(plane * planes).fill(-Infinity);
    let seen = 0;
    return (e) => {
      const { x, y, timeUs: t } = e;
      if (!(x < width && y < height)) {
        throw new RangeError(`denoise: event ${seen} at (${x}, ${y}), time ${t} µs, is outside the ${width}×${height} grid`);
      }
      seen++;
      const base = planes === 2 ? (e.polarity === 0 ? 0 : plane) : 0;
      const since = t - windowUs;
      let supported = false;
      const yLo = y > 0 ? y - 1 : 0;
      const yHi = y + 1 < height ? y + 1 : y;
      const xLo = x > 0 ? x - 1 : 0;
      const xHi = x + 1 < width ? x + 1 : x;
      for (let yy = yLo; yy <= yHi && !supported; yy++) {
        const row = base + yy * width;
        for (let xx = xLo; xx <= xHi; xx++) {
          if ((xx !== x || yy !== y) && last[row + xx] >= since) {
            supported = true;
            break;
          }
        }
      }
      last[base + y * width + x] = t;
      return supported;
    };
  });
};
