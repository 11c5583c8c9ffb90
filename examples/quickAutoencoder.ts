/**
 * A spiking autoencoder (784-32-784, preset h32-l1-n0) trained in seconds with the public API:
 * one epoch on 3000 MNIST training images, then its loss on 100 test images. Shared by the other
 * examples as their demo network. Real runs: `npx spikeline train`.
 *
 *     npx tsx examples/quickAutoencoder.ts
 */
import { fileURLToPath } from 'node:url';
import {
  type Dataset,
  type Network,
  type TrainingConfig,
  configFromPreset,
  findPreset,
  loadDataset,
  loadModel,
  train,
} from 'spikeline';

export const mnist = (): Dataset => {
  const ds = loadDataset('mnist');
  if (ds._tag === 'Left') throw new Error(ds.left.message);
  return ds.right;
};

/** The paper's H = 32 preset, cut down to a quick run. */
export const quickConfig = (images: number, epochs: number): TrainingConfig => {
  const preset = findPreset('h32-l1-n0');
  if (preset._tag === 'Left') throw new Error(preset.left);
  return { ...configFromPreset(preset.right.hyper), epochs, trainLimit: images, validationSize: 0, testLimit: 100 };
};

export const trainQuickAutoencoder = async (
  dataset: Dataset,
  images = 3000,
  epochs = 1,
  log: (s: string) => void = () => {},
): Promise<Network> => {
  const { network } = await train(quickConfig(images, epochs), {
    dataset,
    onEpoch: ({ record }) =>
      log(`epoch ${record.epoch + 1}: train loss ${record.trainLoss.toFixed(4)}, test loss ${record.testLoss.toFixed(4)} ` +
        `(${record.trainSeconds.toFixed(1)} s at ${Math.round(record.trainImagesPerSec)} img/s)`),
  });
  return network;
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
  const saved = preferTrained ? loadModel(START_MODEL) : null;
  if (saved !== null && saved._tag === 'Right') {
    log(`using the model trained by npm start (${START_MODEL})`);
    return saved.right.network;
  }
  if (saved !== null && !saved.left.includes('no such file')) log(`not using ${saved.left}`);
  log('training a quick 784-32-784 spiking autoencoder (1 epoch on 3000 images; run `npm start` for a better one) …');
  return trainQuickAutoencoder(dataset);
};

export const main = async (images = 3000, log: (s: string) => void = console.log) => {
  const network = await trainQuickAutoencoder(mnist(), images, 1, log);
  log(`trained a ${network.layerSizes.join('-')} spiking autoencoder`);
  return network;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
