/**
 * The bench's reverse-pass figure: on the golden H=32 trained state, the scalar loop and the SIMD
 * kernel run the same passes (the bench checks their gradients agree bit for bit, else throws) and
 * one paired ratio per repetition is summarised.
 */
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { goldenTrainHyper } from '../../src/bench/goldenTrainHyper.ts';
import { runReversePassBench } from '../../src/bench/reversePassBench.ts';
import { AutoencoderGoldenFile, goldenNetwork } from '../../src/conformance/autoencoderGolden.ts';
import { decodeWith } from '../../src/io/decode.ts';
import { arrayExampleSet } from '../../src/train/exampleSet.ts';
import { autoencoderObjective } from '../../src/train/objective.ts';
import { readFixtureJson } from '../fixtures/fixtures.ts';

const decoded = decodeWith(AutoencoderGoldenFile, readFixtureJson('golden-autoencoder.json.gz'));
if (!isRight(decoded)) throw new Error(`golden-autoencoder.json.gz: ${decoded.left.join('; ')}`);
const golden = decoded.right;
const h = golden.hyperparameters;

describe('reverse-pass bench', () => {
  it('times both kernels on the golden trained state, one paired ratio per repetition', () => {
    const net = goldenNetwork(golden, 'H32_P10_seed2', 'trained');
    if (net === null) throw new Error('no H32_P10_seed2 trained state');
    const images = golden.images.map((im) => Float64Array.from(im.input_times, (t) => t ?? Infinity));
    const set = arrayExampleSet(images, images);
    const r = runReversePassBench(net, autoencoderObjective(h.latency_ae), goldenTrainHyper(h), set, images.length, 3);
    expect(r.spread.reversePassSimdSpeedup.n).toBe(3);
    expect(r.reversePassSimdSpeedup).toBeGreaterThan(0);
    expect(Number.isFinite(r.reversePassSimdSpeedup)).toBe(true);
  });
});
