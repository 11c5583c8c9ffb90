/**
 * Data-parallel training equals the sequential train step bit for bit (fixed summation order),
 * whatever the number of worker threads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { goldenTrainHyper } from '../../src/bench/goldenTrainHyper.ts';
import { trainWorkerScript } from '../../src/cli/packageFiles.ts';
import { AutoencoderGoldenFile, goldenNetwork } from '../../src/conformance/autoencoderGolden.ts';
import { decodeWith } from '../../src/io/decode.ts';
import { kernelMemory } from '../../src/kernels/wasmKernel.ts';
import { initNetwork } from '../../src/model/init.ts';
import { type Network, cloneNetwork } from '../../src/model/network.ts';
import { type ExampleSet, arrayExampleSet } from '../../src/train/exampleSet.ts';
import { confusionMatrix, confusionOfPredictions } from '../../src/train/confusion.ts';
import { allFinite } from '../../src/train/fit.ts';
import { type Objective, autoencoderObjective, classificationObjective } from '../../src/train/objective.ts';
import { createParallelTrainer } from '../../src/train/parallel/parallelTrainer.ts';
import { shareEncodedExamples } from '../../src/train/parallel/sharedExamples.ts';
import { Control, type ObjectiveSpec } from '../../src/train/parallel/sharedState.ts';
import { osThreadId } from '../../src/train/parallel/threadLiveness.ts';
import { type TrainHyper, createTrainContext, evaluate, trainStep } from '../../src/train/trainStep.ts';
import { readFixtureJson } from '../fixtures/fixtures.ts';
import { hyper, normalSampler } from './testTraining.ts';

/**
 * Trains `initial` on `batches` of `set` with the sequential step, then with the parallel trainer
 * for each worker count, and expects the same losses, parameters and Adam moments bit for bit.
 */
const expectSameAsSequential = async (o: {
  readonly initial: Network;
  readonly set: ExampleSet;
  readonly objective: Objective;
  readonly spec: ObjectiveSpec;
  readonly hyper: TrainHyper;
  readonly order: Int32Array;
  readonly batches: readonly (readonly [number, number])[];
  readonly maxBatch: number;
  readonly workers: readonly number[];
  readonly split?: (bounds: Int32Array, ownWork: Float64Array) => void;
  readonly lowerSplit?: (bounds: Int32Array) => boolean;
}): Promise<void> => {
  const seq = createTrainContext(cloneNetwork(o.initial), o.objective, o.hyper);
  const seqLosses = o.batches.map(([a, b]) => trainStep(seq, o.set, o.order, a, b));
  expect(Array.from(seq.net.params)).not.toEqual(Array.from(o.initial.params));
  for (const workers of o.workers) {
    const trainer = await createParallelTrainer({
      network: o.initial,
      exampleSets: [o.set],
      examples: [shareEncodedExamples(o.set)],
      objective: o.spec,
      hyper: o.hyper,
      workers,
      maxBatch: o.maxBatch,
      workerScript: trainWorkerScript(),
      split: o.split,
      lowerSplit: o.lowerSplit,
    });
    try {
      expect(o.batches.map(([a, b]) => trainer.step(o.order, a, b))).toEqual(seqLosses);
      expect(Array.from(trainer.network.params)).toEqual(Array.from(seq.net.params));
      expect(Array.from(trainer.adam.m)).toEqual(Array.from(seq.adam.m));
      expect(Array.from(trainer.adam.v)).toEqual(Array.from(seq.adam.v));
    } finally {
      await trainer.close();
    }
  }
};

/**
 * A parallel trainer of `initial` on `set` for the autoencoder at latency 1 (`trainedOn`: the set
 * the main thread reads, when it is to differ from the workers').
 */
const autoencoderTrainer = (o: {
  readonly initial: Network;
  readonly set: ExampleSet;
  readonly workers: number;
  readonly maxBatch: number;
  readonly trainedOn?: ExampleSet;
  readonly workerScript?: string;
}) =>
  createParallelTrainer({
    network: o.initial,
    exampleSets: [o.trainedOn ?? o.set],
    examples: [shareEncodedExamples(o.set)],
    objective: { kind: 'autoencoder', latency: 1, penaltyOutputSpikeTime: 0 },
    hyper,
    workers: o.workers,
    maxBatch: o.maxBatch,
    workerScript: o.workerScript ?? trainWorkerScript(),
  });

/**
 * Ten steps of four examples, 40 random images with random targets of the network's output width,
 * for the autoencoder at latency 1: for the tests whose splits move every step.
 */
const tenStepsOn = (initial: Network, rnd: () => number) => {
  const nOut = initial.layerSizes[initial.layerSizes.length - 1];
  const images = Array.from({ length: 40 }, () => Float64Array.from({ length: initial.layerSizes[0] }, () => Math.abs(rnd()) / 3));
  const targets = Array.from({ length: 40 }, () => Float64Array.from({ length: nOut }, () => 1 + Math.abs(rnd()) / 3));
  return {
    initial,
    set: arrayExampleSet(images, targets),
    objective: autoencoderObjective(1),
    spec: { kind: 'autoencoder', latency: 1, penaltyOutputSpikeTime: 0 } as const,
    hyper,
    order: Int32Array.from({ length: 40 }, (_, i) => (i * 7) % 40),
    batches: Array.from({ length: 10 }, (_, i) => [4 * i, 4 * i + 4] as const),
    maxBatch: 7,
  };
};

describe('data-parallel training', () => {
  it('gives bit-identical parameters to the sequential step, for 0, 1, 2 and 3 workers', async () => {
    const rnd = normalSampler(7);
    const spec = { layerSizes: [20, 6, 20], nPulses: 3, decayRate: 0.5, threshold: 0.4 };
    const initial = initNetwork(spec, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, rnd);
    const images = Array.from({ length: 23 }, () =>
      Float64Array.from({ length: 20 }, () => {
        const x = rnd();
        return x > 0.8 ? Infinity : Math.abs(x) / 3;
      }),
    );
    const set = arrayExampleSet(images, images);
    const order = Int32Array.from({ length: 23 }, (_, i) => (i * 7) % 23);
    const batches = [[0, 7], [7, 14], [14, 21], [21, 23]] as const;

    const seq = createTrainContext(cloneNetwork(initial), autoencoderObjective(1), hyper);
    const seqLosses = batches.map(([a, b]) => trainStep(seq, set, order, a, b));

    for (const workers of [0, 1, 2, 3]) {
      const trainer = await autoencoderTrainer({ initial, set, workers, maxBatch: 7 });
      try {
        const losses = batches.map(([a, b]) => trainer.step(order, a, b));
        expect(losses).toEqual(seqLosses);
        expect(trainer.adam.step).toBe(4);
        expect(Array.from(trainer.network.params)).toEqual(Array.from(seq.net.params));
        expect(Array.from(trainer.adam.m)).toEqual(Array.from(seq.adam.m));
        // the mean loss too: the examples' losses summed in example order, whatever the threads
        const mean = evaluate(seq.net, autoencoderObjective(1), set);
        expect(trainer.evaluate(0)).toBe(mean);
      } finally {
        await trainer.close();
      }
    }
    // and training moved the parameters at all
    expect(Array.from(seq.net.params)).not.toEqual(Array.from(initial.params));
  });

  it('uses the state of record after a reset, an evaluation, or another claim of the kernel memory between steps (each thread keeps its rows between steps otherwise)', async () => {
    const rnd = normalSampler(11);
    const initial = initNetwork({ layerSizes: [20, 6, 20], nPulses: 3, decayRate: 0.5, threshold: 0.4 }, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, rnd);
    const images = Array.from({ length: 21 }, () => Float64Array.from({ length: 20 }, () => Math.abs(rnd()) / 3));
    const set = arrayExampleSet(images, images);
    const order = Int32Array.from({ length: 21 }, (_, i) => (i * 5) % 21);
    const seq = createTrainContext(cloneNetwork(initial), autoencoderObjective(1), hyper);
    const seqLosses = [[0, 7], [7, 14], [14, 21]].map(([a, b]) => trainStep(seq, set, order, a, b));
    const trainer = await autoencoderTrainer({ initial, set, workers: 1, maxBatch: 7 });
    try {
      // somewhere else first, then back to the start
      trainer.step(order, 14, 21);
      trainer.step(order, 0, 7);
      trainer.reset(initial.params);
      // the moments the threads kept from the steps before are not the state any more
      expect(trainer.adam.m.every((x) => x === 0) && trainer.adam.v.every((x) => x === 0)).toBe(true);
      expect(trainer.step(order, 0, 7)).toBe(seqLosses[0]);
      trainer.evaluate(0, 5);
      expect(trainer.step(order, 7, 14)).toBe(seqLosses[1]);
      // another operation on the main thread claims the kernel memory's region and scribbles on it
      kernelMemory().claimResident(4 * initial.params.length).fill(Number.NaN);
      expect(trainer.step(order, 14, 21)).toBe(seqLosses[2]);
      expect(Array.from(trainer.network.params)).toEqual(Array.from(seq.net.params));
      expect(Array.from(trainer.adam.m)).toEqual(Array.from(seq.adam.m));
      expect(Array.from(trainer.adam.v)).toEqual(Array.from(seq.adam.v));
    } finally {
      await trainer.close();
    }
  });

  it('says after each step whether every parameter and moment is finite, as a check of the whole state finds (each thread checks its own rows)', async () => {
    const rnd = normalSampler(17);
    const initial = initNetwork({ layerSizes: [20, 6, 20], nPulses: 3, decayRate: 0.5, threshold: 0.4 }, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, rnd);
    const images = Array.from({ length: 14 }, () => Float64Array.from({ length: 20 }, () => Math.abs(rnd()) / 3));
    const set = arrayExampleSet(images, images);
    const order = Int32Array.from({ length: 14 }, (_, i) => i);
    const whole = (t: { network: Network; adam: { m: Float64Array; v: Float64Array } }) =>
      allFinite(t.network.params) && allFinite(t.adam.m) && allFinite(t.adam.v);
    for (const workers of [1, 2]) {
      const trainer = await autoencoderTrainer({ initial, set, workers, maxBatch: 7 });
      try {
        trainer.step(order, 0, 7);
        expect(trainer.lastStep?.finite).toBe(true);
        expect(whole(trainer)).toBe(true);
        // one bad value in each part that a different thread owns: an output row, a hidden row, a pulse
        for (const at of [initial.weightCount - 1, 0, initial.params.length - 1]) {
          const bad = Float64Array.from(initial.params);
          bad[at] = Number.NaN;
          trainer.reset(bad);
          trainer.step(order, 7, 14);
          expect(trainer.lastStep?.finite).toBe(false);
          expect(whole(trainer)).toBe(false);
        }
      } finally {
        await trainer.close();
      }
    }
  });

  // The paper's H=32 network at its trained golden state: the output layer (784 × 42) is large
  // and dense enough for the WebAssembly SIMD scan and reverse pass on each thread's half.
  it('is bit-identical to the sequential step on the golden H=32 network, with 0, 1 and 2 workers', async () => {
    const decoded = decodeWith(AutoencoderGoldenFile, readFixtureJson('golden-autoencoder.json.gz'));
    if (!isRight(decoded)) throw new Error(`golden-autoencoder.json.gz: ${decoded.left.join('; ')}`);
    const golden = decoded.right;
    const h = golden.hyperparameters;
    const initial = goldenNetwork(golden, 'H32_P10_seed2', 'trained');
    if (initial === null) throw new Error('no H32_P10_seed2 trained state');
    const images = golden.images.map((im) => Float64Array.from(im.input_times, (t) => t ?? Infinity));
    await expectSameAsSequential({
      initial,
      set: arrayExampleSet(images, images),
      objective: autoencoderObjective(h.latency_ae),
      spec: { kind: 'autoencoder', latency: h.latency_ae, penaltyOutputSpikeTime: 0 },
      hyper: goldenTrainHyper(h),
      order: Int32Array.from({ length: images.length }, (_, i) => i),
      batches: [[0, 7], [7, 14], [14, images.length]],
      maxBatch: 7,
      workers: [0, 1, 2],
    });
  });

  // The output layer's split moves between steps (balance.ts); any split must give the same bits.
  // Here it jumps every step: on the golden network to other multiples of eight (the scan kernel's
  // whole groups, or not), on a small network anywhere, empty shares included.
  it.each([
    { name: 'the golden H=32 network, 1 and 2 workers', golden: true, workers: [1, 2] },
    { name: 'a small network with two hidden layers, 1, 2 and 3 workers', golden: false, workers: [1, 2, 3] },
  ])('is bit-identical to the sequential step whatever the output split, every step another: $name', async ({ golden, workers }) => {
    const rnd = normalSampler(13);
    let initial: Network | null;
    let images: Float64Array[];
    let hyperOf = hyper;
    let latency = 1;
    if (golden) {
      const decoded = decodeWith(AutoencoderGoldenFile, readFixtureJson('golden-autoencoder.json.gz'));
      if (!isRight(decoded)) throw new Error(`golden-autoencoder.json.gz: ${decoded.left.join('; ')}`);
      initial = goldenNetwork(decoded.right, 'H32_P10_seed2', 'trained');
      images = decoded.right.images.map((im) => Float64Array.from(im.input_times, (t) => t ?? Infinity));
      hyperOf = goldenTrainHyper(decoded.right.hyperparameters);
      latency = decoded.right.hyperparameters.latency_ae;
    } else {
      initial = initNetwork({ layerSizes: [20, 7, 5, 20], nPulses: 2, decayRate: 0.5, threshold: 0.4 }, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, rnd);
      images = Array.from({ length: 16 }, () => Float64Array.from({ length: 20 }, () => Math.abs(rnd()) / 3));
    }
    if (initial === null) throw new Error('no H32_P10_seed2 trained state');
    const n = initial.layerSizes[initial.layerSizes.length - 1];
    const quantum = golden ? 8 : 1;
    const splits: string[] = [];
    // sorted random cut points (repeats make empty shares) on multiples of the quantum
    const jump = (bounds: Int32Array): void => {
      const cuts = Array.from({ length: bounds.length - 2 }, () => Math.floor(Math.abs(rnd() * 0.4 + 0.5) * (n / quantum)) * quantum);
      cuts.map((c) => Math.min(n, Math.max(0, c))).sort((a, b) => a - b).forEach((c, i) => (bounds[i + 1] = c));
      splits.push(Array.from(bounds).join(','));
    };
    await expectSameAsSequential({
      initial,
      set: arrayExampleSet(images, images),
      objective: autoencoderObjective(latency),
      spec: { kind: 'autoencoder', latency, penaltyOutputSpikeTime: 0 },
      hyper: hyperOf,
      order: Int32Array.from({ length: images.length }, (_, i) => (i * 5) % images.length),
      batches: golden ? [[0, 7], [7, 14], [14, images.length]] : [[0, 5], [5, 10], [10, 15], [15, 16]],
      maxBatch: 7,
      workers,
      split: jump,
    });
    expect(new Set(splits).size).toBeGreaterThan(2); // the split did move
  });

  // Each thread keeps the Adam moments of its rows in its own memory between steps and writes back
  // after each step only those of the rows next to a boundary (sharedState.ts, MOMENT_BAND); a
  // boundary that moves within that band hands over rows whose moments only shared memory has.
  // Here the boundaries creep by one or two groups of eight every step, as `rebalance` moves them,
  // over ten steps, and the moments are read only at the end.
  it('keeps every Adam moment when the split creeps a group or two every step (rows change threads between flushes)', async () => {
    const rnd = normalSampler(19);
    const initial = initNetwork({ layerSizes: [20, 6, 128], nPulses: 3, decayRate: 0.5, threshold: 0.4 }, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, rnd);
    const steps = tenStepsOn(initial, rnd);
    const moves: number[] = [];
    const creep = (bounds: Int32Array): void => {
      for (let q = 1; q + 1 < bounds.length; q++) {
        const by = [-16, -8, 8, 16][Math.floor(Math.abs(rnd() * 1e6)) % 4];
        const next = Math.max(bounds[q - 1] + 8, Math.min(bounds[q + 1] - 8, bounds[q] + by));
        moves.push(next - bounds[q]);
        bounds[q] = next;
      }
    };
    await expectSameAsSequential({ ...steps, workers: [1, 2], split: creep });
    expect(moves.filter((d) => d !== 0).length).toBeGreaterThan(10); // the boundaries did move
  });

  // The split of the layer below the output layer can move (the trainer's lowerSplit option); a
  // thread then takes over rows, which its forward scan and reverse pass read in its own copies,
  // whose moments it must find in shared memory (the trainer flushes first): it copies in only those. Here the split jumps every step,
  // by one neuron or across the layer, empty shares included, and the moments are read at the end;
  // with two hidden layers the upper one moves and the lower one keeps its split.
  it.each([
    { name: '1 and 2 workers, a moving last boundary', workers: [1, 2], all: false, layerSizes: [20, 12, 30] },
    { name: '2 and 3 workers, every boundary anywhere', workers: [2, 3], all: true, layerSizes: [20, 12, 30] },
    { name: 'two hidden layers, 1 and 3 workers, every boundary anywhere', workers: [1, 3], all: true, layerSizes: [20, 9, 12, 30] },
  ])('is bit-identical to the sequential step when the hidden layer\'s split moves every step: $name', async ({ workers, all, layerSizes }) => {
    const rnd = normalSampler(23);
    const initial = initNetwork({ layerSizes, nPulses: 3, decayRate: 0.5, threshold: 0.4 }, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, rnd);
    const steps = tenStepsOn(initial, rnd);
    const splits: string[] = [];
    const move = (bounds: Int32Array): boolean => {
      const P = bounds.length - 1;
      if (all) {
        const cuts = Array.from({ length: P - 1 }, () => Math.floor(Math.abs(rnd() * 0.4 + 0.5) * 12));
        cuts.map((c) => Math.min(12, Math.max(0, c))).sort((a, b) => a - b).forEach((c, i) => (bounds[i + 1] = c));
      } else {
        const by = [-2, -1, 1, 2][Math.floor(Math.abs(rnd() * 1e6)) % 4];
        bounds[P - 1] = Math.max(bounds[P - 2] + 1, Math.min(bounds[P] - 1, bounds[P - 1] + by));
      }
      splits.push(Array.from(bounds).join(','));
      return true;
    };
    await expectSameAsSequential({ ...steps, workers, lowerSplit: move });
    expect(new Set(splits).size).toBeGreaterThan(4); // the split did move
  });

  // By default the hidden layer's split follows the output layer's (balance.ts, followOutput): held
  // far above its even share of the output layer for 50 steps, participant 0 takes a neuron of the
  // hidden layer per window of 16 steps.
  it('ignores what follows the last batch in the caller\'s order when it is no example of the set (the threads sort ahead the examples they expect next)', async () => {
    const rnd = normalSampler(71);
    const spec = { layerSizes: [20, 6, 20], nPulses: 2, decayRate: 0.5, threshold: 0.4 };
    const c = tenStepsOn(initNetwork(spec, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, rnd), rnd);
    // after the 40 examples: entries no example set has, which the guess at the next batch reads
    const order = Int32Array.from([...c.order, 40, 1_000_000_000, -1, 41]);
    // a set that refuses examples it does not have, as the project's image sets do
    const strict: ExampleSet = {
      ...c.set,
      inputInto: (out, i) => {
        if (!(Number.isInteger(i) && i >= 0 && i < c.set.count)) throw new RangeError(`no example ${i}`);
        return c.set.inputInto(out, i);
      },
    };
    await expectSameAsSequential({ ...c, set: strict, order, workers: [1, 2] });
  });

  it('is bit-identical to the sequential step while the default hidden split follows the output split', async () => {
    const rnd = normalSampler(31);
    const initial = initNetwork({ layerSizes: [20, 16, 30], nPulses: 3, decayRate: 0.5, threshold: 0.4 }, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, rnd);
    const steps = tenStepsOn(initial, rnd);
    const batches = Array.from({ length: 50 }, (_, i) => [4 * (i % 10), 4 * (i % 10) + 4] as const);
    const high = (bounds: Int32Array): void => {
      const P = bounds.length - 1;
      for (let q = 1; q < P; q++) bounds[q] = 30 - 2 * (P - q); // participant 0: 26 or 28 of 30
    };
    await expectSameAsSequential({ ...steps, batches, workers: [1, 2], split: high });
  });

  it('stops a step with the failing thread\'s error instead of leaving the others waiting for it', async () => {
    const rnd = normalSampler(3);
    const spec = { layerSizes: [20, 6, 20], nPulses: 2, decayRate: 0.5, threshold: 0.4 };
    const initial = initNetwork(spec, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, rnd);
    const images = Array.from({ length: 8 }, () => Float64Array.from({ length: 20 }, () => Math.abs(rnd()) / 3));
    const set = arrayExampleSet(images, images);
    // the main thread's view of the set fails on example 0 (its share of the forward pass); the
    // worker, waiting for that example's hidden spikes, must give up rather than wait forever
    const failing = { ...set, inputInto: (out: Float64Array, i: number) => {
      if (i === 0) throw new Error('bad image 0');
      return set.inputInto(out, i);
    } }; // prettier-ignore
    const trainer = await autoencoderTrainer({ initial, set, workers: 1, maxBatch: 4, trainedOn: failing });
    try {
      expect(() => trainer.step(Int32Array.from([0, 1, 2, 3]), 0, 4)).toThrow('bad image 0');
    } finally {
      await trainer.close();
    }
  });

  // A worker that ends without a word (out of memory, process.exit, a crash outside its phase's
  // try) cannot tell the main thread, which waits in a blocking loop where the Worker's events do
  // not arrive: the main thread looks for the worker's thread (threadLiveness.ts, Linux only).
  it.skipIf(osThreadId() === undefined)('stops a step whose worker thread has ended, instead of waiting for it for ever', async () => {
    const rnd = normalSampler(5);
    const spec = { layerSizes: [20, 6, 20], nPulses: 2, decayRate: 0.5, threshold: 0.4 };
    const initial = initNetwork(spec, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, rnd);
    const images = Array.from({ length: 8 }, () => Float64Array.from({ length: 20 }, () => Math.abs(rnd()) / 3));
    const set = arrayExampleSet(images, images);
    // a worker that says it is ready (with its thread id, as the real one does), then ends as
    // soon as the first phase starts
    const dir = mkdtempSync(join(tmpdir(), 'spikeline-worker-'));
    const script = join(dir, 'vanishing.cjs');
    // (the generation is read before the ready message, as the real worker does: read after it,
    // a step already started would leave the worker waiting for the next, alive)
    writeFileSync(script, [
      "const { parentPort, workerData } = require('node:worker_threads');",
      'const control = new Int32Array(workerData.buffers.control);',
      `const generation = Atomics.load(control, ${Control.generation});`,
      "const link = require('node:fs').readlinkSync('/proc/thread-self');",
      "parentPort.postMessage({ ready: true, tid: Number(link.slice(link.lastIndexOf('/') + 1)) });",
      `Atomics.wait(control, ${Control.generation}, generation);`,
      'process.exit(3);',
    ].join('\n')); // prettier-ignore
    const trainer = await autoencoderTrainer({ initial, set, workers: 1, maxBatch: 4, workerScript: script });
    try {
      const order = Int32Array.from([0, 1, 2, 3]);
      expect(() => trainer.step(order, 0, 4)).toThrow('training worker 1 has ended (its thread is gone)');
      expect(() => trainer.step(order, 0, 4)).toThrow('training worker 1 has ended');
    } finally {
      await trainer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The neuron split has three paths besides the one above: no hidden layer, several hidden
  // layers (error terms cross two layer boundaries), and an error that couples the outputs; and
  // with 3 workers some participants own no neuron of a 2-neuron layer (they still hand on the
  // error terms in the relay).
  it.each([
    { name: 'no hidden layer', layerSizes: [20, 20], classes: 0 },
    { name: 'a hidden layer narrower than the participants', layerSizes: [20, 2, 20], classes: 0 },
    { name: 'two hidden layers', layerSizes: [20, 7, 5, 20], classes: 0 },
    { name: 'classification', layerSizes: [20, 6, 4], classes: 4 },
  ])('is bit-identical to the sequential step for $name, with 0, 1, 2 and 3 workers', async ({ layerSizes, classes }) => {
    const rnd = normalSampler(11);
    const spec = { layerSizes, nPulses: 2, decayRate: 0.5, threshold: 0.4 };
    const initial = initNetwork(spec, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, rnd);
    const images = Array.from({ length: 16 }, () =>
      Float64Array.from({ length: 20 }, () => {
        const x = rnd();
        return x > 0.8 ? Infinity : Math.abs(x) / 3;
      }),
    );
    const targets = classes === 0 ? images : images.map((_, i) => Float64Array.from({ length: classes }, (_, c) => (c === i % classes ? 1 : 0)));
    await expectSameAsSequential({
      initial,
      set: arrayExampleSet(images, targets),
      objective: classes === 0 ? autoencoderObjective(1) : classificationObjective(),
      spec: classes === 0 ? { kind: 'autoencoder', latency: 1, penaltyOutputSpikeTime: 0 } : { kind: 'classification' },
      hyper,
      order: Int32Array.from({ length: 16 }, (_, i) => (i * 5) % 16),
      batches: [[0, 5], [5, 10], [10, 15], [15, 16]],
      maxBatch: 5,
      workers: [0, 1, 2, 3],
    });
  });

  it('the evaluation pass predicts each example\'s class (the same confusion matrix as running the network again) and gives the sequential mean loss bit for bit, with 0, 1 and 2 workers', async () => {
    const rnd = normalSampler(5);
    const initial = initNetwork({ layerSizes: [20, 6, 4], nPulses: 2, decayRate: 0.5, threshold: 0.4 }, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 2 }, rnd);
    const images = Array.from({ length: 23 }, () => Float64Array.from({ length: 20 }, () => Math.abs(rnd()) / 3));
    const targets = images.map((_, i) => Float64Array.from({ length: 4 }, (_, c) => (c === i % 4 ? 1 : 0)));
    const set = arrayExampleSet(images, targets);
    const expected = confusionMatrix(initial, set);
    const sequential = new Int32Array(23).fill(-9);
    const loss = evaluate(initial, classificationObjective(), set, 23, sequential);
    expect(confusionOfPredictions(sequential, set, 4)).toEqual(expected);
    expect(new Set(sequential).size).toBeGreaterThan(1); // the classes differ between examples
    for (const workers of [0, 1, 2]) {
      const trainer = await createParallelTrainer({
        network: initial,
        exampleSets: [set, set],
        examples: [shareEncodedExamples(set), shareEncodedExamples(set)],
        objective: { kind: 'classification' },
        hyper,
        workers,
        maxBatch: 4,
        workerScript: trainWorkerScript(),
      });
      try {
        const predicted = new Int32Array(23).fill(-9);
        expect(trainer.evaluate(1, 23, predicted)).toBe(loss);
        expect(Array.from(predicted)).toEqual(Array.from(sequential));
        const few = new Int32Array(5).fill(-9);
        trainer.evaluate(1, 5, few);
        expect(Array.from(few)).toEqual(Array.from(sequential.subarray(0, 5)));
      } finally {
        await trainer.close();
      }
    }
  });
});
