/**
 * Interpolation between four test items (figure 6): the corners of a k×k grid are four items;
 * every other cell is the bilinear mix of the corners' hidden spike times, decoded by the
 * network's decoder layer alone — and, for comparison, the bilinear mix of the pixels.
 * A hidden neuron that does not spike reads as time `noSpikeTime` before mixing.
 */
import { encodeTimes } from '../data/encode.ts';
import { forward } from '../model/forward.ts';
import { type Network, networkFromParams } from '../model/network.ts';
import { grayFromTimes } from '../report/imageGrid.ts';

/** The decoder (hidden → output) of a 3-layer spiking network as a network of its own. */
export const decoderOf = (net: Network): Network => {
  const params = new Float64Array(net.weights[1].length + net.pulses[1].length);
  params.set(net.weights[1]);
  params.set(net.pulses[1], net.weights[1].length);
  return networkFromParams(
    { layerSizes: [net.layerSizes[1], net.layerSizes[2]], nPulses: [net.nPulses[1]], decayRate: net.decayRate, threshold: net.threshold },
    params,
  );
};

const bilinear = (c: readonly Float64Array[], u: number, v: number, out: Float64Array): Float64Array => {
  for (let j = 0; j < out.length; j++) {
    out[j] = (1 - u) * (1 - v) * c[0][j] + u * (1 - v) * c[1][j] + (1 - u) * v * c[2][j] + u * v * c[3][j];
  }
  return out;
};

export interface InterpolationGrids {
  /** k rows of k gray images (bytes), decoded from mixed embeddings. */
  readonly embedding: Uint8Array[][];
  /** k rows of k gray images, mixed pixels. */
  readonly pixel: Uint8Array[][];
}

/** `corners`: four images as pixel bytes (inverted encoding, as the spiking network reads them). */
export const interpolate = (net: Network, corners: readonly Uint8Array[], k: number, latency: number, noSpikeTime: number): InterpolationGrids => {
  if (corners.length !== 4) throw new RangeError(`interpolate: need 4 corner images, got ${corners.length}`);
  const decoder = decoderOf(net);
  const h = net.layerSizes[1];
  const codes = corners.map((px) => {
    const t = forward(net, encodeTimes(px, 'inverted')).layerTimes[0];
    return Float64Array.from(t, (v) => (v === Infinity ? noSpikeTime : v));
  });
  const pixels = corners.map((px) => Float64Array.from(px));
  const code = new Float64Array(h);
  const mixed = new Float64Array(corners[0].length);
  const embedding: Uint8Array[][] = [];
  const pixel: Uint8Array[][] = [];
  for (let r = 0; r < k; r++) {
    const er: Uint8Array[] = [];
    const pr: Uint8Array[] = [];
    for (let c = 0; c < k; c++) {
      const u = k > 1 ? c / (k - 1) : 0;
      const v = k > 1 ? r / (k - 1) : 0;
      bilinear(codes, u, v, code);
      er.push(grayFromTimes(forward(decoder, code).output, 'inverted', latency));
      bilinear(pixels, u, v, mixed);
      pr.push(Uint8Array.from(mixed, (x) => Math.round(x)));
    }
    embedding.push(er);
    pixel.push(pr);
  }
  return { embedding, pixel };
};
