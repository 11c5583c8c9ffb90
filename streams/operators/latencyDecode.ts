/**
 * `latencyDecode(options)`: a network's output spikes for one sample → an image, reading each
 * output neuron's first spike time t at the target latency L (`latency_ae`, default 1) as in the
 * training loss, o = t − L, and then the pixel byte
 *
 *     inverted (default):  b = 256 · (1 − o)      plain:  b = 256 · o
 *
 * rounded to the nearest integer and clamped to 0..255. A silent neuron reads as o = 1, as the
 * loss does (background: b = 0 for inverted, 255 for plain); o is clamped to [0, 1] first
 * (`timeToIntensity` of `src/data/encode.ts`). So the decode of an encoded image delayed by L is
 * the image itself.
 *
 * The operator collects a whole sample and emits one `Uint8Array` of `size` pixels when it
 * completes; use it per sample (`eachSample(latencyDecode(…))`).
 *
 * ## Example
 * ```ts
 * from([{ neuron: 1, time: 1.5 }]).pipe(latencyDecode({ size: 2 })); // emits [0, 128]
 * ```
 */
import { type OperatorFunction, map } from 'rxjs';
import { type Encoding, timeToIntensity } from '../../src/data/encode.ts';
import { firstSpikeTimes } from '../sample.ts';
import { type Spikes } from '../spike.ts';

export interface LatencyDecodeOptions {
  /** Number of output neurons = pixels (e.g. 784). */
  readonly size: number;
  /** Target latency L subtracted from output times (default 1). */
  readonly latency?: number;
  /** Encoding the network was trained with (default 'inverted'). */
  readonly encoding?: Encoding;
}

/** Pixel byte of output time `t` at latency `latency` (`Infinity` = silent). */
export const timeToByte = (t: number, latency: number, encoding: Encoding): number => {
  const v = Math.round(256 * timeToIntensity(t - latency, encoding));
  return v > 255 ? 255 : v;
};

/** Writes the bytes of per-neuron output times into `out` (same length); returns `out`. */
export const latencyDecodeInto = (
  out: Uint8Array,
  times: Float64Array,
  latency = 1,
  encoding: Encoding = 'inverted',
): Uint8Array => {
  if (out.length !== times.length) {
    throw new RangeError(`latencyDecodeInto: out has ${out.length} pixels for ${times.length} times`);
  }
  for (let k = 0; k < times.length; k++) out[k] = timeToByte(times[k], latency, encoding);
  return out;
};

export const latencyDecode = (options: LatencyDecodeOptions): OperatorFunction<Spikes, Uint8Array> => {
  const latency = options.latency ?? 1;
  const encoding = options.encoding ?? 'inverted';
  if (!Number.isFinite(latency)) throw new RangeError(`latencyDecode: latency must be finite, got ${latency}`);
  return (source) =>
    source.pipe(
      firstSpikeTimes(options.size),
      map((times) => latencyDecodeInto(new Uint8Array(times.length), times, latency, encoding)),
    );
};
