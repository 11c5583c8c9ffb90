/**
 * The bench's independent-run probe: a worker thread trains on its own, one pass per request,
 * while the main thread runs its pass. This checks the protocol (the worker starts on each request
 * and reports back every time, so no measurement hangs; it exits when closed) and that both
 * timings are of real passes: finite, positive, and of the same order (other test files run beside
 * this one, so the bounds are loose).
 */
import { describe, expect, it } from 'vitest';
import { createIndependentProbe } from '../../src/bench/independentRuns.ts';
import { trainWorkerScript } from '../../src/cli/packageFiles.ts';
import { initNetwork } from '../../src/model/init.ts';
import { arrayExampleSet } from '../../src/train/exampleSet.ts';
import { shareEncodedExamples } from '../../src/train/parallel/sharedExamples.ts';
import { createParallelTrainer } from '../../src/train/parallel/parallelTrainer.ts';
import { hyper, normalSampler } from '../train/testTraining.ts';

describe('independent-run probe', () => {
  it('times a pass on each thread at once, again and again, both of the same order', async () => {
    const rnd = normalSampler(5);
    const network = initNetwork({ layerSizes: [64, 16, 64], nPulses: 3, decayRate: 0.5, threshold: 0.4 }, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, rnd);
    const images = Array.from({ length: 280 }, () => Float64Array.from({ length: 64 }, () => Math.abs(rnd()) / 3));
    const set = arrayExampleSet(images, images);
    const examples = shareEncodedExamples(set);
    const objective = { kind: 'autoencoder', latency: 1, penaltyOutputSpikeTime: 0 } as const;
    const main = await createParallelTrainer({ network, exampleSets: [set], examples: [examples], objective, hyper, workers: 0, maxBatch: 7 });
    const order = Int32Array.from({ length: 280 }, (_, i) => i);
    const pass = (): number => {
      main.reset(network.params);
      const t0 = performance.now();
      for (let b = 0; b < 280; b += 7) main.step(order, b, b + 7);
      return (performance.now() - t0) / 1000;
    };
    const probe = await createIndependentProbe({ network, hyper, objective, examples, batchSize: 7, images: 280, workerScript: trainWorkerScript() });
    try {
      for (let i = 0; i < 3; i++) {
        const [mine, other] = probe.measure(pass);
        for (const s of [mine, other]) {
          expect(Number.isFinite(s)).toBe(true);
          expect(s).toBeGreaterThan(0);
        }
        expect(other / mine).toBeGreaterThan(0.05);
        expect(other / mine).toBeLessThan(20);
      }
    } finally {
      await probe.close();
      await main.close();
    }
  });

  it('fails with the worker\'s error when the worker cannot start its training', async () => {
    const rnd = normalSampler(6);
    const network = initNetwork({ layerSizes: [8, 4, 8], nPulses: 1, decayRate: 0.5, threshold: 0.4 }, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 1 }, rnd);
    const images = Array.from({ length: 7 }, () => Float64Array.from({ length: 8 }, () => Math.abs(rnd()) / 3));
    const examples = { ...shareEncodedExamples(arrayExampleSet(images, images)), kind: 'no-such-kind' };
    await expect(
      createIndependentProbe({ network, hyper, objective: { kind: 'autoencoder', latency: 1, penaltyOutputSpikeTime: 0 }, examples, batchSize: 7, images: 7, workerScript: trainWorkerScript() }),
    ).rejects.toThrow(/unknown example set kind/);
  });
});
