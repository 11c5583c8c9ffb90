/**
 * Shared by the examples: a spiking autoencoder (784-32-784, preset h32-l1-n0) trained for one
 * quick epoch on the first MNIST training images — a few seconds, enough to give recognisable
 * reconstructions for a demo. Real runs: `npx spikeline train`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeSavedModel } from '../src/model/codecs.ts';
import { findPreset } from '../src/config/presets.ts';
import { configFromPreset } from '../src/config/config.ts';
import { type Dataset, loadDataset } from '../src/data/datasets.ts';
import { encodedExamples } from '../src/data/noise.ts';
import { epochOrder, hyperOf, initialNetwork } from '../src/experiments/autoencoderRun.ts';
import type { Network } from '../src/model/network.ts';
import { fit } from '../src/train/fit.ts';
import { autoencoderObjective } from '../src/train/objective.ts';
import { createSequentialTrainer } from '../src/train/trainer.ts';

export const mnist = (): Dataset => {
  const ds = loadDataset('mnist');
  if (isLeft(ds)) throw new Error(ds.left.message);
  return ds.right;
};

export const trainQuickAutoencoder = async (dataset: Dataset, images = 3000, epochs = 1): Promise<Network> => {
  const preset = findPreset('h32-l1-n0');
  if (isLeft(preset)) throw new Error(preset.left);
  const config = configFromPreset(preset.right.hyper);
  const px = dataset.rows * dataset.cols;
  const train = encodedExamples(dataset.train, px, {
    encoding: 'inverted',
    noiseFactor: 0,
    noiseSeed: 0,
    part: 'train',
    indices: Uint32Array.from({ length: images }, (_, i) => i),
  });
  const net = initialNetwork(config, px);
  const trainer = createSequentialTrainer(net, [train], autoencoderObjective(config.latency), hyperOf(config));
  await fit(trainer, {
    epochs,
    startEpoch: 0,
    batchSize: config.batchSize,
    trainCount: train.count,
    orderOf: (e) => epochOrder(0, e, train.count),
    validationSet: -1,
    testSet: -1,
  });
  return net;
};

/** The model `npm start` trained (runs/start/best.model.json), if there is one. */
export const START_MODEL = 'runs/start/best.model.json';

/**
 * The network for a demo: the model of `npm start` when it exists (recognisable reconstructions),
 * else a quick one-epoch network (a blurry average digit, but every stage of the pipeline runs).
 */
export const demoNetwork = async (
  dataset: Dataset,
  log: (s: string) => void,
  preferTrained = true,
): Promise<Network> => {
  if (preferTrained && existsSync(START_MODEL)) {
    const model = decodeSavedModel(JSON.parse(readFileSync(START_MODEL, 'utf8')));
    if (isLeft(model)) throw new Error(`${START_MODEL}: ${model.left.join('; ')}`);
    log(`using the model trained by npm start (${START_MODEL})`);
    return model.right.network;
  }
  log('training a quick 784-32-784 spiking autoencoder (1 epoch on 3000 images; run `npm start` for a better one) …');
  return trainQuickAutoencoder(dataset);
};
