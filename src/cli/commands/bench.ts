/**
 * `spikeline bench [--json] [--images N] [--repeats R]`: the speed figures the issues name,
 * measured on this machine. Engine: the H=32 paper configuration at the golden file's trained
 * state (hidden layer active), over the first N MNIST training images (default 2000).
 *
 * The machine may be shared: every figure is the median of R repetitions (default 5) with its
 * spread (min, max, quartiles under `spread`), the speed-ups are ratios measured within each
 * repetition, and the load average at the start and the end says how busy the machine was.
 */
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import { packageRoot as root, trainWorkerScript } from '../packageFiles.ts';
import { runAnnBench } from '../../bench/annBench.ts';
import { runEngineBench } from '../../bench/engineBench.ts';
import { runReversePassBench } from '../../bench/reversePassBench.ts';
import { runRssBench } from '../../bench/rssBench.ts';
import { goldenTrainHyper } from '../../bench/goldenTrainHyper.ts';
import { type Spread, repeat, spreadOf } from '../../bench/stats.ts';
import { AutoencoderGoldenFile, goldenNetwork } from '../../conformance/autoencoderGolden.ts';
import { loadDataset } from '../../data/datasets.ts';
import { encodeTargetsInto, encodeTimesInto } from '../../data/encode.ts';
import { decodeWith } from '../../io/decode.ts';
import { readTextFile } from '../../io/readText.ts';
import type { ExampleSet } from '../../train/exampleSet.ts';
import { autoencoderObjective } from '../../train/objective.ts';
import { shareEncodedExamples } from '../../train/parallel/sharedExamples.ts';
import { benchDecode } from '../../../streams/bench/decodeBench.ts';
import { benchSpikingLayer } from '../../../streams/bench/layerBench.ts';
import { layerOf } from '../../../streams/operators/spikingLayer.ts';
import { UsageError } from '../usageError.ts';

export const benchUsage = `usage: spikeline bench [--json] [--images N] [--repeats R]
  --images N    MNIST training images per timed pass (default 2000, at least 100)
  --repeats R   timed repetitions; each figure is their median, with its spread (default 5)
  --json        one JSON object instead of the table`;

/** Medians and spreads of every key of repeated measurements {key: number}. */
const summarise = <K extends string>(runs: readonly Readonly<Record<K, number>>[]) => {
  const keys = Object.keys(runs[0]) as K[];
  const spread = Object.fromEntries(keys.map((k) => [k, spreadOf(runs.map((r) => r[k]))])) as Record<K, Spread>;
  const median = Object.fromEntries(keys.map((k) => [k, spread[k].median])) as Record<K, number>;
  return { median, spread };
};

/** Targets from the issues (the original C++ program: 565 train, 803 inference images/s). */
export const TARGETS = {
  trainImagesPerSec1Core: 2800,
  trainImagesPerSec2Cores: 5000,
  inferImagesPerSec1Core: 8000,
  decodeEvt3EventsPerSec: 20e6,
  decodeEvt2EventsPerSec: 20e6,
  spikingLayerChunkedEventsPerSec: 5e6,
  trainSpeedup2Cores: 1.8,
  annTrainImagesPerSec: 30_000,
} as const;

/** Upper bounds (the issues' "at most"). */
export const LIMITS = {
  trainingPeakRssMB: 400,
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
      repeats: { type: 'string', default: '5' },
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

  const loadAverageStart = loadavg();
  const golden = goldenFile();
  const network = goldenNetwork(golden, 'H32_P10_seed2', 'trained');
  if (network === null) throw new UsageError('golden file has no H32_P10_seed2 "trained" state');
  const h = golden.hyperparameters;
  const examples = shareEncodedExamples(mnistPrefix(images));
  const { encodedExampleSet } = await import('../../train/parallel/sharedExamples.ts');
  const trainWorker = trainWorkerScript();
  const log = (what: string) => {
    if (!values.json) process.stderr.write(`measuring ${what} …\n`);
  };
  const engine = await runEngineBench({
    network,
    hyper: goldenTrainHyper(h),
    latency: h.latency_ae,
    batchSize: h.batch_size_for_training_state,
    examples: encodedExampleSet(examples),
    sharedExamples: examples,
    workerScript: trainWorker,
    repeats,
    originalImages: 200,
    onProgress: (what) => log(`engine and original algorithm, ${what}`),
  });
  log('reverse pass of the output layer, scalar loop vs SIMD kernel');
  const reverse = runReversePassBench(network, autoencoderObjective(h.latency_ae), goldenTrainHyper(h), encodedExampleSet(examples), 200, repeats);
  log('event-file decoding');
  const eventsDir = join(root, 'test', 'fixtures', 'events');
  const decode = summarise(repeat(repeats, () => benchDecode({ eventsDir, minSeconds: 0.2 })));
  log('spikingLayer operator (784→32)');
  const inputs = Array.from({ length: Math.min(500, examples.count) }, (_, i) =>
    new Float64Array(examples.inputs, i * examples.inputSize * 8, examples.inputSize),
  );
  const layerRuns = [];
  for (let r = 0; r < repeats; r++) layerRuns.push(await benchSpikingLayer(layerOf(network, 0), inputs, 0.3));
  const layer = summarise(layerRuns);
  log('ANN baseline 784-32-784 (WebAssembly SIMD batches vs plain-JS per example, CPU time)');
  // the ANN reads the same encoded images, "no spike" as 1 (see annExamplesOf)
  const annImages = Float64Array.from(new Float64Array(examples.inputs), (t) => Math.min(t, 1));
  const annBatchSize = 32; // a usual ANN mini-batch (the spiking runs use 3–90)
  const ann = runAnnBench({ images: annImages, inputSize: examples.inputSize, hidden: 32, batchSize: annBatchSize, repeats });
  log('peak memory of a full-MNIST training run (child process, default threads)');
  const memory = runRssBench(join(root, 'bin', 'spikeline.mjs'));
  const spread: Record<string, Spread> = { ...engine.spread, ...reverse.spread, ...decode.spread, ...layer.spread, ...ann.spread };
  const result = {
    ...engine,
    reversePassSimdSpeedup: reverse.reversePassSimdSpeedup,
    ...decode.median,
    ...layer.median,
    annTrainImagesPerSec: ann.annTrainImagesPerSec,
    annPerExampleTrainImagesPerSec: ann.annPerExampleTrainImagesPerSec,
    annSpeedupVsPerExample: ann.annSpeedupVsPerExample,
    annBatchSize,
    trainingPeakRssMB: memory.trainingPeakRssMB,
    trainingPeakRssThreads: memory.threads,
    spread,
    cores: availableParallelism(),
    node: process.version,
    loadAverageStart,
    loadAverageEnd: loadavg(),
  };
  if (values.json) {
    console.log(JSON.stringify(result));
  } else {
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
    console.log(`spikeline bench: H=32 paper configuration, golden trained state, ${images} MNIST images, median of ${repeats} (min–max)`);
    console.log(`load average at start ${load(result.loadAverageStart)}, at end ${load(result.loadAverageEnd)} (${result.cores} cores)`);
    const range = (key: string, digits = 0, scale = 1) => {
      const s = spread[key];
      return `  (${(s.min / scale).toFixed(digits)}–${(s.max / scale).toFixed(digits)})`;
    };
    console.log(row('training, 1 core (img/s)', result.trainImagesPerSec1Core, TARGETS.trainImagesPerSec1Core) + range('trainImagesPerSec1Core'));
    console.log(row('  a bare trainStep loop (img/s)', result.trainStepImagesPerSec1Core) + range('trainStepImagesPerSec1Core'));
    console.log(row('training, 2 cores (img/s)', result.trainImagesPerSec2Cores, TARGETS.trainImagesPerSec2Cores) + range('trainImagesPerSec2Cores'));
    console.log(row('inference, 1 core (img/s)', result.inferImagesPerSec1Core, TARGETS.inferImagesPerSec1Core) + range('inferImagesPerSec1Core'));
    console.log(row('original algorithm, training', result.originalAlgorithmTrainImagesPerSec) + range('originalAlgorithmTrainImagesPerSec'));
    console.log(row('original algorithm, inference', result.originalAlgorithmInferImagesPerSec) + range('originalAlgorithmInferImagesPerSec'));
    const ratio = (name: string, v: number, key: string, target?: number) =>
      console.log(`${name.padEnd(34)} ${v.toFixed(2).padStart(10)}${target === undefined ? '' : `   target ≥ ${target}   ${v >= target ? 'met' : 'SHORT'}`}${range(key, 2)}`);
    console.log('ratios within each repetition:');
    ratio('training, 2 cores / 1 core', result.trainSpeedup2Cores, 'trainSpeedup2Cores', TARGETS.trainSpeedup2Cores);
    ratio('  CPU-s per s of the 2-core pass', result.trainCpuShare2Cores, 'trainCpuShare2Cores');
    ratio('  its CPU time / the 1-core pass\'s', result.trainCpuCost2Cores, 'trainCpuCost2Cores');
    ratio('  2 threads of pure arithmetic / 1', result.parallelCeiling2Cores, 'parallelCeiling2Cores');
    ratio('  training\'s share of that ceiling', result.trainSpeedup2CoresOfCeiling, 'trainSpeedup2CoresOfCeiling');
    ratio('  2 independent 1-core trainings / 1', result.trainIndependentSpeedup2Cores, 'trainIndependentSpeedup2Cores');
    ratio('  training\'s share of that', result.trainSpeedup2CoresOfIndependent, 'trainSpeedup2CoresOfIndependent');
    ratio('training, engine / original', result.speedupVsOriginalAlgorithm.train, 'speedupVsOriginalAlgorithm.train');
    ratio('inference, engine / original', result.speedupVsOriginalAlgorithm.inference, 'speedupVsOriginalAlgorithm.inference');
    ratio('output reverse pass, SIMD / scalar', result.reversePassSimdSpeedup, 'reversePassSimdSpeedup');
    console.log(row(`ANN training, batch ${annBatchSize} (img/CPU-s)`, result.annTrainImagesPerSec, TARGETS.annTrainImagesPerSec) + range('annTrainImagesPerSec'));
    console.log(row('ANN training, plain JS (img/CPU-s)', result.annPerExampleTrainImagesPerSec) + range('annPerExampleTrainImagesPerSec'));
    ratio('ANN, SIMD / plain JS', result.annSpeedupVsPerExample, 'annSpeedupVsPerExample');
    const m = (x: number) => x / 1e6;
    const mrow = (name: string, key: keyof typeof result & string, target?: number) => {
      const v = spread[key].median;
      const goal = target === undefined ? '' : `   target ≥ ${m(target)}    ${v >= target ? 'met' : 'SHORT'}`;
      console.log(`${name.padEnd(34)} ${m(v).toFixed(1).padStart(10)}${goal}${range(key, 1, 1e6)}`);
    };
    console.log('million events/s:');
    mrow('decode EVT3 (M events/s)', 'decodeEvt3EventsPerSec', TARGETS.decodeEvt3EventsPerSec);
    mrow('decode EVT2 (M events/s)', 'decodeEvt2EventsPerSec', TARGETS.decodeEvt2EventsPerSec);
    mrow('decode AEDAT4 (M events/s)', 'decodeAedat4EventsPerSec');
    mrow('decode N-MNIST (M events/s)', 'decodeNmnistEventsPerSec');
    mrow('decode DAT (M events/s)', 'decodeDatEventsPerSec');
    mrow('spikingLayer chunked (M ev/s)', 'spikingLayerChunkedEventsPerSec', TARGETS.spikingLayerChunkedEventsPerSec);
    mrow('spikingLayer per event (M ev/s)', 'spikingLayerPerEventEventsPerSec');
    const rss = result.trainingPeakRssMB;
    console.log(
      `${`peak memory, MNIST training (MB)`.padEnd(34)} ${rss.toFixed(0).padStart(10)}   limit ≤ ${LIMITS.trainingPeakRssMB}   ${rss <= LIMITS.trainingPeakRssMB ? 'met' : 'OVER'}  (${result.trainingPeakRssThreads} threads, one run)`,
    );
  }
  return 0;
};
