/**
 * `crop(rect)`: keeps the camera events inside the rectangle `rect` (columns x .. x+width−1, rows
 * y .. y+height−1) and moves them to the rectangle's own coordinates (x − rect.x, y − rect.y).
 * Order, polarity and time are kept. Chunks stay chunks, single events stay single events.
 *
 * ## Example
 * ```ts
 * // N-MNIST's 34×34 sensor → the centred 28×28 digit
 * nmnist$.pipe(crop({ x: 3, y: 3, width: 28, height: 28 }));
 * ```
 */
import { type Observable } from 'rxjs';
import { type EventItems, type SameForm, mapEvents } from '../sample.ts';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Throws a RangeError naming `what` unless `rect` has non-negative integer fields. */
export const checkRect = (what: string, rect: Rect): void => {
  for (const k of ['x', 'y', 'width', 'height'] as const) {
    const v = rect[k];
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`${what}: rect.${k} must be a non-negative integer, got ${v}`);
  }
};

/** Index in the rectangle's own coordinates (x + y·width) of sensor pixel (x, y), or −1 outside. */
export const cropIndex = (rect: Rect, x: number, y: number): number => {
  const cx = x - rect.x;
  const cy = y - rect.y;
  return cx >= 0 && cx < rect.width && cy >= 0 && cy < rect.height ? cx + cy * rect.width : -1;
};

export const crop = (rect: Rect): (<T extends EventItems>(source: Observable<T>) => Observable<SameForm<T>>) => {
  checkRect('crop', rect);
  return mapEvents(() => (e) => {
    if (cropIndex(rect, e.x, e.y) < 0) return false;
    e.x -= rect.x;
    e.y -= rect.y;
    return true;
  });
};
