/**
 * `spikeline bench [--json] [--images N] [--repeats R]`: the speed figures the issues name,
 * measured on this machine. Engine: the H=32 paper configuration at the golden file's trained
 * state (hidden layer active), over the first N MNIST training images (default 2000).
 */
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import { root, ensureBuilt } from '../build.mjs';
import { runEngineBench } from '../../bench/engineBench.ts';
import { AutoencoderGoldenFile, goldenNetwork } from '../../conformance/autoencoderGolden.ts';
import { loadDataset } from '../../data/datasets.ts';
import { encodeTargetsInto, encodeTimesInto } from '../../data/encode.ts';
import { decodeWith } from '../../io/decode.ts';
import { readTextFile } from '../../io/readText.ts';
import type { ExampleSet } from '../../train/exampleSet.ts';
import { shareEncodedExamples } from '../../train/parallel/sharedExamples.ts';
import { benchDecode } from '../../../streams/bench/decodeBench.ts';
import { benchSpikingLayer } from '../../../streams/bench/layerBench.ts';
import { layerOf } from '../../../streams/operators/spikingLayer.ts';
import { UsageError } from '../usageError.ts';

export const benchUsage = `usage: spikeline bench [--json] [--images N] [--repeats R]
  --images N    MNIST training images per timed pass (default 2000, at least 100)
  --repeats R   timed passes per figure; the median is reported (default 3)
  --json        one JSON object instead of the table`;

/** Targets from the issues (the original C++ program: 565 train, 803 inference images/s). */
export const TARGETS = {
  trainImagesPerSec1Core: 2800,
  trainImagesPerSec2Cores: 5000,
  inferImagesPerSec1Core: 8000,
  decodeEvt3EventsPerSec: 20e6,
  decodeEvt2EventsPerSec: 20e6,
  spikingLayerChunkedEventsPerSec: 5e6,
} as const;

const goldenFile = (): AutoencoderGoldenFile => {
  const path = join(root, 'test', 'fixtures', 'golden-autoencoder.json.gz');
  let json: unknown;
  try {
    json = JSON.parse(readTextFile(path));
  } catch (e) {
    throw new UsageError(`bench needs the golden networks at ${path}: ${(e as Error).message}`);
  }
  const decoded = decodeWith(AutoencoderGoldenFile, json);
  if (isLeft(decoded)) throw new UsageError(`${path}: ${decoded.left.slice(0, 3).join('; ')}`);
  return decoded.right;
};

/** The first n MNIST training images, inverted encoding, as an in-memory example set. */
const mnistPrefix = (n: number): ExampleSet => {
  const ds = loadDataset('mnist');
  if (isLeft(ds)) throw new UsageError(ds.left.message);
  const { train, rows, cols } = ds.right;
  const px = rows * cols;
  const count = Math.min(n, train.count);
  return {
    count,
    inputSize: px,
    targetSize: px,
    inputInto: (out, i) => encodeTimesInto(out, train.images.subarray(i * px, (i + 1) * px), 'inverted'),
    targetInto: (out, i) => encodeTargetsInto(out, train.images.subarray(i * px, (i + 1) * px), 'inverted'),
  };
};

const row = (name: string, value: number, target?: number): string =>
  `${name.padEnd(34)} ${value.toFixed(0).padStart(10)}${target === undefined ? '' : `   target ≥ ${target}  ${value >= target ? 'met' : 'SHORT'}`}`;

export const benchCommand = async (argv: string[]): Promise<number> => {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean' },
      images: { type: 'string', default: '2000' },
      repeats: { type: 'string', default: '3' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(benchUsage);
    return 0;
  }
  const images = Number(values.images);
  const repeats = Number(values.repeats);
  if (!Number.isInteger(images) || images < 100) throw new UsageError(`--images: expected an integer ≥ 100, got ${values.images}`);
  if (!Number.isInteger(repeats) || repeats < 1) throw new UsageError(`--repeats: expected a positive integer, got ${values.repeats}`);

  const golden = goldenFile();
  const network = goldenNetwork(golden, 'H32_P10_seed2', 'trained');
  if (network === null) throw new UsageError('golden file has no H32_P10_seed2 "trained" state');
  const h = golden.hyperparameters;
  const examples = shareEncodedExamples(mnistPrefix(images));
  const { encodedExampleSet } = await import('../../train/parallel/sharedExamples.ts');
  const { trainWorker } = await ensureBuilt();
  const log = (what: string) => {
    if (!values.json) process.stderr.write(`measuring ${what} …\n`);
  };
  const engine = await runEngineBench({
    network,
    hyper: {
      learningRate: h.learning_rate,
      learningRatePulses: h.learning_rate_pulses,
      beta1: h.adam_beta1,
      beta2: h.adam_beta2,
      epsilon: h.adam_epsilon,
      clipDerivative: h.clip_derivative,
      clipGradient: h.clip_gradient,
      penaltyNoSpike: h.penalty_no_spike,
    },
    latency: h.latency_ae,
    batchSize: h.batch_size_for_training_state,
    examples: encodedExampleSet(examples),
    sharedExamples: examples,
    workerScript: trainWorker,
    repeats,
    onProgress: log,
  });
  log('event-file decoding');
  const decode = benchDecode({ eventsDir: join(root, 'test', 'fixtures', 'events') });
  log('spikingLayer operator (784→32)');
  const inputs = Array.from({ length: Math.min(500, examples.count) }, (_, i) =>
    new Float64Array(examples.inputs, i * examples.inputSize * 8, examples.inputSize),
  );
  const layer = await benchSpikingLayer(layerOf(network, 0), inputs);
  const result = { ...engine, ...decode, ...layer, cores: availableParallelism(), node: process.version };
  if (values.json) {
    console.log(JSON.stringify(result));
  } else {
    console.log(`spikeline bench: H=32 paper configuration, golden trained state, ${images} MNIST images, median of ${repeats}`);
    console.log(row('training, 1 core (img/s)', result.trainImagesPerSec1Core, TARGETS.trainImagesPerSec1Core));
    console.log(row('training, 2 cores (img/s)', result.trainImagesPerSec2Cores, TARGETS.trainImagesPerSec2Cores));
    console.log(row('inference, 1 core (img/s)', result.inferImagesPerSec1Core, TARGETS.inferImagesPerSec1Core));
    const m = (x: number) => x / 1e6;
    const mrow = (name: string, v: number, target?: number) =>
      console.log(`${name.padEnd(34)} ${m(v).toFixed(1).padStart(10)}${target === undefined ? '' : `   target ≥ ${m(target)}    ${v >= target ? 'met' : 'SHORT'}`}`);
    console.log('million events/s:');
    mrow('decode EVT3 (M events/s)', result.decodeEvt3EventsPerSec, TARGETS.decodeEvt3EventsPerSec);
    mrow('decode EVT2 (M events/s)', result.decodeEvt2EventsPerSec, TARGETS.decodeEvt2EventsPerSec);
    mrow('decode AEDAT4 (M events/s)', result.decodeAedat4EventsPerSec);
    mrow('decode N-MNIST (M events/s)', result.decodeNmnistEventsPerSec);
    mrow('decode DAT (M events/s)', result.decodeDatEventsPerSec);
    mrow('spikingLayer chunked (M ev/s)', result.spikingLayerChunkedEventsPerSec, TARGETS.spikingLayerChunkedEventsPerSec);
    mrow('spikingLayer per event (M ev/s)', result.spikingLayerPerEventEventsPerSec);
  }
  return 0;
};
