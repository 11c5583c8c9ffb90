/**
 * `toLatencyCode(options)`: a window of camera events ({@link EventWindow}) → one sample of
 * first-spike latency code on the network's input grid.
 *
 * 1. Pixel (x, y) of the `sensor` grid is cropped to `crop` (if given; coordinates become the
 *    rectangle's) and binned onto the `grid` (`downsample`'s rule ⌊x · grid.width / width⌋), so
 *    34×34 N-MNIST becomes 28×28 with `crop: { x: 3, y: 3, width: 28, height: 28 }`, or with
 *    binning alone. Events outside the crop are ignored; events outside the sensor error.
 * 2. Polarity: `'on'` (polarity 1 only), `'off'` (polarity 0 only) or `'both'` — two channels, ON
 *    first: input neuron = c · W·H + y'·W + x' with c = 0 for ON and 1 for OFF (W×H the grid);
 *    otherwise neuron = y'·W + x'.
 * 3. Each input neuron's earliest event at time t gives one spike at the window-relative time
 *    τ = (t − startUs) / (endUs − startUs) ∈ [0, 1). Neurons without events are silent.
 *
 * The sample is a {@link SpikeChunk} in time order (ties by neuron index), the order training's
 * `forward` uses. State (a lookup table and one time per input neuron) lives in the subscription.
 *
 * ## Example
 * ```ts
 * eventFile$('digit.bin').pipe(
 *   eventWindow({ durationUs: 300_000 }),
 *   toLatencyCode({ sensor: { width: 34, height: 34 }, crop: { x: 3, y: 3, width: 28, height: 28 }, polarity: 'on' }),
 * );
 * ```
 */
import { Observable, type OperatorFunction } from 'rxjs';
import { type EventWindow } from '../sample.ts';
import { type SpikeChunk, spikeChunkFromTimes } from '../spike.ts';
import { type Rect, checkRect, cropIndex } from './crop.ts';
import { type GridSize, binCoordinate, checkGrid } from './downsample.ts';

export type PolarityChoice = 'on' | 'off' | 'both';

export interface ToLatencyCodeOptions {
  /** The camera's pixel grid. */
  readonly sensor: GridSize;
  /** Optional crop rectangle, in sensor coordinates. */
  readonly crop?: Rect;
  /** The network's input grid (default: the crop's size, or the sensor's). */
  readonly grid?: GridSize;
  /** Which events spike (default 'both'). */
  readonly polarity?: PolarityChoice;
}

/** Input neurons of the code: grid cells × (2 for 'both', else 1). */
export const latencyCodeSize = (options: ToLatencyCodeOptions): number => {
  const g = gridOf(options);
  return g.width * g.height * ((options.polarity ?? 'both') === 'both' ? 2 : 1);
};

const gridOf = (o: ToLatencyCodeOptions): GridSize => o.grid ?? o.crop ?? o.sensor;

/** The largest double below 1. */
const BELOW_ONE = 1 - 2 ** -53;

/** Sensor pixel → grid cell (or −1 when cropped away), as an Int32Array over x + y·width. */
const cellTable = (o: ToLatencyCodeOptions): Int32Array => {
  const { sensor } = o;
  const area: Rect = o.crop ?? { x: 0, y: 0, width: sensor.width, height: sensor.height };
  const grid = gridOf(o);
  const lut = new Int32Array(sensor.width * sensor.height).fill(-1);
  for (let y = 0; y < sensor.height; y++) {
    for (let x = 0; x < sensor.width; x++) {
      if (cropIndex(area, x, y) < 0) continue;
      const gx = binCoordinate(x - area.x, area.width, grid.width);
      const gy = binCoordinate(y - area.y, area.height, grid.height);
      lut[x + y * sensor.width] = gx + gy * grid.width;
    }
  }
  return lut;
};

const checkOptions = (o: ToLatencyCodeOptions): void => {
  checkGrid('toLatencyCode sensor', o.sensor);
  const grid = gridOf(o);
  checkGrid('toLatencyCode grid', grid);
  if (o.crop) {
    checkRect('toLatencyCode crop', o.crop);
    if (o.crop.width === 0 || o.crop.height === 0) throw new RangeError('toLatencyCode: empty crop rectangle');
    if (o.crop.x + o.crop.width > o.sensor.width || o.crop.y + o.crop.height > o.sensor.height) {
      throw new RangeError(`toLatencyCode: crop rectangle exceeds the ${o.sensor.width}×${o.sensor.height} sensor`);
    }
  }
  const area = o.crop ?? o.sensor;
  if (grid.width > area.width || grid.height > area.height) {
    throw new RangeError(`toLatencyCode: grid ${grid.width}×${grid.height} is larger than the ${area.width}×${area.height} area it bins`);
  }
  const p = o.polarity ?? 'both';
  if (p !== 'on' && p !== 'off' && p !== 'both') throw new RangeError(`toLatencyCode: polarity must be 'on', 'off' or 'both', got ${String(p)}`);
};

/**
 * A reusable coder: `code(window)` returns the window's sample. Its scratch state (lookup table,
 * per-neuron times) is the returned closure's; use one coder per stream.
 */
export const latencyCoder = (options: ToLatencyCodeOptions): ((window: EventWindow) => SpikeChunk) => {
  checkOptions(options);
  const lut = cellTable(options);
  const grid = gridOf(options);
  const cells = grid.width * grid.height;
  const mode = options.polarity ?? 'both';
  const { width: sw, height: sh } = options.sensor;
  const first = new Float64Array(latencyCodeSize(options));
  return (w) => {
    const { events, startUs, endUs } = w;
    const span = endUs - startUs;
    if (!(span > 0)) throw new RangeError(`toLatencyCode: window ${w.index} has an empty span [${startUs}, ${endUs})`);
    first.fill(Infinity);
    for (let i = 0; i < events.count; i++) {
      const x = events.x[i];
      const y = events.y[i];
      const t = events.timeUs[i];
      if (x >= sw || y >= sh) {
        throw new RangeError(`toLatencyCode: event ${i} of window ${w.index} at (${x}, ${y}) is outside the ${sw}×${sh} sensor`);
      }
      if (!(t >= startUs && t < endUs)) {
        throw new RangeError(`toLatencyCode: event ${i} of window ${w.index} at ${t} µs is outside the window [${startUs}, ${endUs})`);
      }
      const cell = lut[x + y * sw];
      if (cell < 0) continue;
      const on = events.polarity[i] !== 0;
      let k: number;
      if (mode === 'both') k = on ? cell : cells + cell;
      else if (on === (mode === 'on')) k = cell;
      else continue;
      if (t < first[k]) first[k] = t;
    }
    for (let k = 0; k < first.length; k++) {
      if (first[k] === Infinity) continue;
      const tau = (first[k] - startUs) / span;
      first[k] = tau < 1 ? tau : BELOW_ONE;
    }
    return spikeChunkFromTimes(first);
  };
};

export const toLatencyCode = (options: ToLatencyCodeOptions): OperatorFunction<EventWindow, SpikeChunk> => {
  checkOptions(options);
  return (source) =>
    new Observable<SpikeChunk>((subscriber) => {
      const code = latencyCoder(options);
      return source.subscribe({
        next: (w) => {
          let s: SpikeChunk;
          try {
            s = code(w);
          } catch (e) {
            subscriber.error(e);
            return;
          }
          subscriber.next(s);
        },
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
};
