/**
 * The bench's yardstick, the original program's algorithm (Lambert W after every input, dense
 * derivative matrices), computes what the engine computes: the same spike times, bit for bit, on
 * every golden network, state and image, and the same training step up to rounding.
 */
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { goldenTrainHyper } from '../../src/bench/goldenTrainHyper.ts';
import { createOriginalContext, originalForwardInto, originalTrainStep } from '../../src/bench/originalAlgorithm.ts';
import { AutoencoderGoldenFile, goldenNetwork } from '../../src/conformance/autoencoderGolden.ts';
import { decodeWith } from '../../src/io/decode.ts';
import { forwardInto } from '../../src/model/forward.ts';
import { cloneNetwork } from '../../src/model/network.ts';
import { allocTape } from '../../src/model/tape.ts';
import { arrayExampleSet } from '../../src/train/exampleSet.ts';
import { autoencoderObjective } from '../../src/train/objective.ts';
import { createTrainContext, trainStep } from '../../src/train/trainStep.ts';
import { readFixtureJson } from '../fixtures/fixtures.ts';

const decoded = decodeWith(AutoencoderGoldenFile, readFixtureJson('golden-autoencoder.json.gz'));
if (!isRight(decoded)) throw new Error(`golden-autoencoder.json.gz: ${decoded.left.join('; ')}`);
const golden = decoded.right;
const h = golden.hyperparameters;
const hyper = goldenTrainHyper(h);
const objective = autoencoderObjective(h.latency_ae, h.penalty_output_spike_time);
const images = golden.images.map((im) => Float64Array.from(im.input_times, (t) => t ?? Infinity));
const cases = golden.networks.flatMap((n) => n.states.map((s) => [n.name, s.state] as const));

describe('the original program algorithm (bench yardstick)', () => {
  it.each(cases)('gives the engine spike times bit for bit: %s %s', (name, state) => {
    const net = goldenNetwork(golden, name, state);
    if (net === null) throw new Error(`no ${name} ${state}`);
    const ctx = createOriginalContext(net, objective, hyper);
    const tape = allocTape(net);
    let spikes = 0;
    for (const image of images) {
      const theirs = originalForwardInto(ctx, image);
      const ours = forwardInto(tape, net, image);
      expect(Array.from(ctx.layers[0].spikeTime)).toEqual(Array.from(tape.layers[0].post.spikeTime));
      expect(Array.from(theirs)).toEqual(Array.from(ours));
      spikes += ours.filter((t) => t !== Infinity).length;
    }
    expect(spikes).toBeGreaterThan(0);
  });

  it('takes the same training step as the engine, up to rounding', () => {
    const net = goldenNetwork(golden, 'H32_P10_seed2', 'trained');
    if (net === null) throw new Error('no H32 trained state');
    const set = arrayExampleSet(images, images);
    const order = Int32Array.from(images.keys());
    const engine = createTrainContext(cloneNetwork(net), objective, hyper);
    const original = createOriginalContext(cloneNetwork(net), objective, hyper);
    for (const [a, b] of [[0, 7], [7, 14]]) {
      expect(originalTrainStep(original, set, order, a, b)).toBeCloseTo(trainStep(engine, set, order, a, b), 12);
    }
    let worst = 0;
    engine.net.params.forEach((p, i) => {
      worst = Math.max(worst, Math.abs(p - original.net.params[i]));
    });
    expect(worst).toBeLessThan(1e-12);
    expect(Array.from(engine.net.params)).not.toEqual(Array.from(net.params));
  });
});
