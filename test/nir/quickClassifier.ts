/**
 * Small MNIST classifiers trained within seconds for the NIR tests (library and command line):
 * 1 000 training images, 4 epochs, settings that learn visibly at once (not the published ones,
 * which start slowly). Trained once per shape and learning rate and shared within a test file.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { resolveTrainingConfig } from '../../src/config/config.ts';
import type { Network } from '../../src/model/network.ts';
import { train } from '../../src/run/train.ts';

/** Config fields (as flags, on top of the mnist-340 preset). */
export const quickClassifierFlags: Readonly<Record<string, string>> = {
  trainLimit: '1000',
  validationSize: '100',
  testLimit: '100',
  epochs: '4',
  batchSize: '10',
  nPulses: '5',
  decayRate: '1.81321',
  fireThreshold: '0.642203',
  nonpulseWeightMeanMultiplier: '2',
  pulseWeightMeanMultiplier: '1',
  learningRatePulses: '0.005',
  penaltyNoSpike: '0.5',
  clipDerivative: '100',
};

/** The same settings as command-line flags (`--train-limit 1000 …`). */
export const quickClassifierArgs = (): string[] =>
  Object.entries(quickClassifierFlags).flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, v]);

export interface TrainedClassifier {
  readonly network: Network;
  readonly testAccuracy: number;
}

const cache = new Map<string, Promise<TrainedClassifier>>();

/** The best-validation network of a quick run with these layers (`784,32,10`) and learning rate. */
export const quickClassifier = (layers: string, learningRate: string): Promise<TrainedClassifier> => {
  const key = `${layers} ${learningRate}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const c = resolveTrainingConfig({ preset: 'mnist-340', flags: { ...quickClassifierFlags, layers, learningRate } });
  if (isLeft(c)) throw new Error(c.left.join('\n'));
  const run = train(c.right).then(({ best, summary }) => ({ network: best, testAccuracy: summary.testAccuracy ?? Number.NaN }));
  cache.set(key, run);
  return run;
};
