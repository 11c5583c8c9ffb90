/**
 * A spiking autoencoder (784-32-784, preset h32-l1-n0) trained in seconds with the public API:
 * one epoch on 3000 MNIST training images, then its loss on 100 test images. The other examples
 * use `demoNetwork()`, the pretrained model shipped in examples/models/, so that their pictures
 * show real reconstructions within seconds. Real runs: `npx spikeline train`.
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

/**
 * A pretrained 784-32-784 autoencoder shipped beside the examples (made by `spikeline train
 * --preset h32-l1-n0 --epochs 2 --seed 1`, test loss 0.0137; see examples/models/README.md).
 */
export const PRETRAINED_MODEL = fileURLToPath(new URL('./models/mnist-h32.model.json.gz', import.meta.url));

/** The network for a demo: the shipped pretrained model, loaded through the public `loadModel`. */
export const demoNetwork = (log: (s: string) => void = () => {}): Network => {
  const saved = loadModel(PRETRAINED_MODEL);
  if (saved._tag === 'Left') throw new Error(`${saved.left} (the examples ship it in examples/models/)`);
  log(`using the pretrained ${saved.right.network.layerSizes.join('-')} autoencoder (${PRETRAINED_MODEL})`);
  return saved.right.network;
};

export const main = async (images = 3000, log: (s: string) => void = console.log) => {
  const network = await trainQuickAutoencoder(mnist(), images, 1, log);
  log(`trained a ${network.layerSizes.join('-')} spiking autoencoder`);
  return network;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
