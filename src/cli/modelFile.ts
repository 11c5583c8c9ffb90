/** Reading a saved model file at the edge: clear errors naming the file and the field. */
import { readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { isRight } from 'fp-ts/lib/Either.js';
import { type TrainingConfig, decodeTrainingConfig } from '../config/config.ts';
import { type LoadedModel, decodeSavedModel } from '../model/codecs.ts';
import { UsageError } from './usageError.ts';

export interface ModelWithConfig extends LoadedModel {
  /** The training config saved with the model, when there is a valid one. */
  readonly config: TrainingConfig | null;
}

export const readModelFile = (path: string): ModelWithConfig => {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${path}: cannot read a model (${(e as Error).message})`);
  }
  const model = decodeSavedModel(json);
  if (isLeft(model)) throw new UsageError(`${path}: not a spikeline model:\n  ${model.left.slice(0, 8).join('\n  ')}`);
  const cfg = model.right.meta.config === undefined ? null : decodeTrainingConfig(model.right.meta.config, `${path} meta.config`);
  return { ...model.right, config: cfg !== null && isRight(cfg) ? cfg.right : null };
};
