/**
 * `syntheticCamera$(image, options)`: a synthetic event camera looking at a still image that moves
 * by small saccades, like N-MNIST's recording (Orchard et al. 2015: an ATIS on a pan-tilt unit
 * making three saccades in a triangle in front of a still MNIST digit). Seeded and deterministic.
 *
 * Model (all times in µs):
 * - The `rows × cols` image (bytes, default 28×28) sits on a `sensor` grid (default 34×34) at
 *   `offset` (default: centred) plus a displacement d(t). During saccade s (of `saccadeUs`, default
 *   100 000 µs) d moves at constant speed by `saccades[s]` pixels (default three moves
 *   (+2, +2), (−4, 0), (+2, −2): a triangle back to the start). Pixel (x, y) sees the bilinearly
 *   interpolated intensity I = b/255 at image point (x − offset.x − d.x, y − offset.y − d.y),
 *   0 outside the image.
 * - Each pixel compares its log intensity L = ln(I + `logEpsilon`) with a reference level Lref.
 *   Whenever L − Lref reaches +θ⁺ it emits an ON event (polarity 1) and Lref += θ⁺; whenever it
 *   reaches −θ⁻, an OFF event (polarity 0) and Lref −= θ⁻. The thresholds θ± of each pixel are
 *   `threshold` · max(0.1, 1 + `thresholdSigma` · n), n ~ N(0, 1) drawn once from the seeded RNG.
 * - L is sampled every `stepUs` (default 1000 µs); a crossing between two samples is timed by
 *   linear interpolation and floored to an integer µs.
 * - Optional background noise: each pixel emits a random-polarity event in a step with
 *   probability `noiseRateHz` · stepUs / 10⁶ (default 0), at a uniform time within the step.
 *
 * Events come in non-decreasing time order (ties by row, then column, then polarity), starting at
 * `startUs` (default 0). The Observable emits one {@link EventChunk} per saccade and completes.
 *
 * ## Example
 * ```ts
 * syntheticCamera$(digit, { seed: 7 }).pipe(eventWindow({ durationUs: 300_000 }), toLatencyCode(…));
 * ```
 */
import { Observable } from 'rxjs';
import { createRng } from '../../src/data/rng.ts';
import { type EventChunk } from '../events.ts';
import { type GridSize, checkGrid } from '../grid.ts';

export interface Saccade {
  /** Displacement in pixels over the saccade, columns (+ right) and rows (+ down). */
  readonly dx: number;
  readonly dy: number;
}

export interface SyntheticCameraOptions {
  /** RNG seed (non-negative safe integer): thresholds and noise. */
  readonly seed: number;
  readonly rows?: number;
  readonly cols?: number;
  readonly sensor?: GridSize;
  readonly offset?: { readonly x: number; readonly y: number };
  readonly saccades?: readonly Saccade[];
  readonly saccadeUs?: number;
  readonly stepUs?: number;
  /** Mean contrast threshold θ in log intensity (default 0.25). */
  readonly threshold?: number;
  /** Relative per-pixel threshold mismatch (default 0.03). */
  readonly thresholdSigma?: number;
  /** ε in ln(I + ε), I ∈ [0, 1] (default 0.1). */
  readonly logEpsilon?: number;
  /** Background noise events per pixel per second (default 0). */
  readonly noiseRateHz?: number;
  readonly startUs?: number;
}

export const NMNIST_SACCADES: readonly Saccade[] = [
  { dx: 2, dy: 2 },
  { dx: -4, dy: 0 },
  { dx: 2, dy: -2 },
];

/** Growable event list with per-step sorting. */
interface EventList {
  n: number;
  x: Uint16Array;
  y: Uint16Array;
  p: Uint8Array;
  t: Float64Array;
}

const push = (l: EventList, x: number, y: number, p: number, t: number): void => {
  if (l.n === l.x.length) {
    const c = l.n * 2;
    const nx = new Uint16Array(c);
    nx.set(l.x);
    const ny = new Uint16Array(c);
    ny.set(l.y);
    const np = new Uint8Array(c);
    np.set(l.p);
    const nt = new Float64Array(c);
    nt.set(l.t);
    l.x = nx;
    l.y = ny;
    l.p = np;
    l.t = nt;
  }
  l.x[l.n] = x;
  l.y[l.n] = y;
  l.p[l.n] = p;
  l.t[l.n] = t;
  l.n++;
};

/**
 * The events of each saccade (synchronous form of {@link syntheticCamera$}): one chunk per saccade.
 */
export const syntheticSaccades = (image: Uint8Array, options: SyntheticCameraOptions): EventChunk[] => {
  const rows = options.rows ?? 28;
  const cols = options.cols ?? 28;
  const sensor = options.sensor ?? { width: 34, height: 34 };
  checkGrid('syntheticCamera sensor', sensor);
  checkGrid('syntheticCamera image', { width: cols, height: rows });
  if (image.length !== rows * cols) {
    throw new RangeError(`syntheticCamera: image has ${image.length} pixels, expected ${rows}×${cols}`);
  }
  const offset = options.offset ?? { x: (sensor.width - cols) / 2, y: (sensor.height - rows) / 2 };
  const saccades = options.saccades ?? NMNIST_SACCADES;
  const saccadeUs = options.saccadeUs ?? 100_000;
  const stepUs = options.stepUs ?? 1000;
  const theta = options.threshold ?? 0.25;
  const sigma = options.thresholdSigma ?? 0.03;
  const eps = options.logEpsilon ?? 0.1;
  const noise = options.noiseRateHz ?? 0;
  const start = options.startUs ?? 0;
  for (const [name, v] of [['saccadeUs', saccadeUs], ['stepUs', stepUs], ['threshold', theta], ['logEpsilon', eps]] as const) {
    if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`syntheticCamera: ${name} must be positive, got ${v}`);
  }
  if (!(sigma >= 0) || !(noise >= 0)) throw new RangeError('syntheticCamera: thresholdSigma and noiseRateHz must be ≥ 0');
  const rng = createRng(options.seed);
  const W = sensor.width;
  const H = sensor.height;
  const n = W * H;
  const thOn = new Float64Array(n);
  const thOff = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    thOn[i] = theta * Math.max(0.1, 1 + sigma * rng.nextGaussian());
    thOff[i] = theta * Math.max(0.1, 1 + sigma * rng.nextGaussian());
  }
  const intensity = (px: number, py: number): number => {
    // bilinear sample of the image at (px, py) in image pixel units, 0 outside
    const x0 = Math.floor(px);
    const y0 = Math.floor(py);
    const fx = px - x0;
    const fy = py - y0;
    let s = 0;
    for (let j = 0; j < 2; j++) {
      const yy = y0 + j;
      if (yy < 0 || yy >= rows) continue;
      const wy = j === 0 ? 1 - fy : fy;
      for (let i = 0; i < 2; i++) {
        const xx = x0 + i;
        if (xx < 0 || xx >= cols) continue;
        s += (i === 0 ? 1 - fx : fx) * wy * image[yy * cols + xx];
      }
    }
    return s / 255;
  };
  const logFrame = (out: Float64Array, dx: number, dy: number): void => {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) out[y * W + x] = Math.log(intensity(x - offset.x - dx, y - offset.y - dy) + eps);
    }
  };
  let prev = new Float64Array(n);
  let next = new Float64Array(n);
  logFrame(prev, 0, 0);
  const ref = Float64Array.from(prev);
  const step: EventList = { n: 0, x: new Uint16Array(256), y: new Uint16Array(256), p: new Uint8Array(256), t: new Float64Array(256) };
  let order = new Int32Array(256);
  const chunks: EventChunk[] = [];
  let dx = 0;
  let dy = 0;
  const steps = Math.max(1, Math.round(saccadeUs / stepUs));
  const pNoise = (noise * stepUs) / 1e6;
  for (let s = 0; s < saccades.length; s++) {
    const out: EventList = { n: 0, x: new Uint16Array(1024), y: new Uint16Array(1024), p: new Uint8Array(1024), t: new Float64Array(1024) };
    const sx = dx;
    const sy = dy;
    for (let k = 1; k <= steps; k++) {
      const t0 = start + s * saccadeUs + ((k - 1) * saccadeUs) / steps;
      const t1 = start + s * saccadeUs + (k * saccadeUs) / steps;
      dx = sx + (saccades[s].dx * k) / steps;
      dy = sy + (saccades[s].dy * k) / steps;
      logFrame(next, dx, dy);
      step.n = 0;
      for (let i = 0; i < n; i++) {
        const a = prev[i];
        const b = next[i];
        const x = i % W;
        const y = (i - x) / W;
        if (b !== a) {
          while (b - ref[i] >= thOn[i]) {
            ref[i] += thOn[i];
            push(step, x, y, 1, Math.floor(t0 + ((ref[i] - a) / (b - a)) * (t1 - t0)));
          }
          while (ref[i] - b >= thOff[i]) {
            ref[i] -= thOff[i];
            push(step, x, y, 0, Math.floor(t0 + ((ref[i] - a) / (b - a)) * (t1 - t0)));
          }
        }
        if (pNoise > 0 && rng.nextFloat() < pNoise) {
          push(step, x, y, rng.nextUint32() & 1, Math.floor(t0 + rng.nextFloat() * (t1 - t0)));
        }
      }
      // this step's events in time order (ties: row, column, polarity), then appended
      if (order.length < step.n) order = new Int32Array(step.x.length);
      for (let i = 0; i < step.n; i++) order[i] = i;
      const idx = order.subarray(0, step.n);
      idx.sort((i, j) => step.t[i] - step.t[j] || step.y[i] - step.y[j] || step.x[i] - step.x[j] || step.p[i] - step.p[j]);
      for (const i of idx) {
        // a crossing at the interpolated time may fall one step back after flooring: keep order
        const t = Math.min(Math.max(step.t[i], Math.floor(t0)), Math.floor(t1));
        push(out, step.x[i], step.y[i], step.p[i], t);
      }
      const tmp = prev;
      prev = next;
      next = tmp;
    }
    chunks.push({
      count: out.n,
      x: out.x.slice(0, out.n),
      y: out.y.slice(0, out.n),
      polarity: out.p.slice(0, out.n),
      timeUs: out.t.slice(0, out.n),
    });
  }
  return chunks;
};

/** The synthetic recording of `image`: one chunk per saccade, then completion. */
export const syntheticCamera$ = (image: Uint8Array, options: SyntheticCameraOptions): Observable<EventChunk> =>
  new Observable<EventChunk>((subscriber) => {
    let chunks: EventChunk[];
    try {
      chunks = syntheticSaccades(image, options);
    } catch (e) {
      subscriber.error(e);
      return;
    }
    for (const c of chunks) {
      if (subscriber.closed) return;
      subscriber.next(c);
    }
    subscriber.complete();
  });
