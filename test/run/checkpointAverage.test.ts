/**
 * A checkpoint's parameter average (`meta.weightAverage`, written by runs with
 * `weightAverageDecay`): it reads back bit for bit, a checkpoint without one has none, and a
 * malformed one is refused with a message naming the file and the field.
 */
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../src/config/config.ts';
import { alphaModel } from '../../src/kernels/alpha.ts';
import { initNetwork } from '../../src/model/init.ts';
import { NO_PROGRESS, checkpointOf, checkpointText } from '../../src/run/checkpoint.ts';
import { decodeModelFile } from '../../src/run/modelFile.ts';
import { allocAdamState } from '../../src/train/adam.ts';
import { normalSampler } from '../train/testTraining.ts';

const resolved = resolveTrainingConfig({ preset: 'mnist-340', flags: { layers: '6,4,3', weightAverageDecay: '0.999' } });
if (isLeft(resolved)) throw new Error(resolved.left.join('\n'));
const config = resolved.right;
const network = initNetwork(
  { layerSizes: [6, 4, 3], nPulses: 2, decayRate: 1, threshold: 1, neuron: alphaModel },
  { nonpulseWeightMeanMultiplier: 0, pulseWeightMeanMultiplier: 1 },
  normalSampler(7),
);
const adam = allocAdamState(network.params.length);
const average = Float64Array.from(network.params, (p, i) => p / 3 + i * 1e-17);

const decodeText = (text: string) => {
  const file = decodeModelFile(JSON.parse(text), 'ckpt.json');
  if (isLeft(file)) throw new Error(file.left);
  return checkpointOf(file.right, 'ckpt.json');
};

/** The checkpoint's JSON with `meta.weightAverage` replaced. */
const withAverage = (value: unknown): string => {
  const json = JSON.parse(checkpointText(network, adam, config, NO_PROGRESS, average));
  json.meta.weightAverage = value;
  return JSON.stringify(json);
};

describe('checkpoint weight average', () => {
  it('reads back bit for bit; a checkpoint written without one has none', () => {
    const back = decodeText(checkpointText(network, adam, config, NO_PROGRESS, average));
    if (!isRight(back)) throw new Error(back.left);
    expect(Array.from(back.right.average ?? [])).toEqual(Array.from(average));
    expect(back.right.config.weightAverageDecay).toBe(0.999);
    const none = decodeText(checkpointText(network, adam, config, NO_PROGRESS));
    if (!isRight(none)) throw new Error(none.left);
    expect(none.right.average).toBeUndefined();
  });

  it('refuses a malformed average, naming the file and the field', () => {
    const short = decodeText(withAverage(Array.from(average).slice(1)));
    expect(isLeft(short) && short.left).toMatch(`ckpt.json: meta.weightAverage: expected ${network.params.length} finite numbers (one per parameter), got ${network.params.length - 1}`);
    const text = decodeText(withAverage(['a', ...Array.from(average).slice(1)]));
    expect(isLeft(text) && text.left).toMatch(/ckpt\.json: meta\.weightAverage.*0/);
    const notArray = decodeText(withAverage({ x: 1 }));
    expect(isLeft(notArray) && notArray.left).toMatch(/ckpt\.json: meta\.weightAverage/);
  });
});
