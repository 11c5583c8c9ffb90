/** Reading a saved model file at the edge: clear errors naming the file and the field. */
import { CLASS_COUNT } from '../run/task.ts';
import { loadModel } from '../run/modelFile.ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { TrainingConfig } from '../config/config.ts';
import { type RunData, datasetOf, loadRunData } from '../run/runData.ts';
import type { LoadedModel } from '../model/codecs.ts';
import { UsageError } from './usageError.ts';

export interface ModelWithConfig extends LoadedModel {
  /** The training config saved with the model; null when the model has none (`meta.config` absent). */
  readonly config: TrainingConfig | null;
}

/** Reads and decodes a model (gunzipped when its name ends in `.gz`); a `meta.config` that is present must be a valid config (named field). */
export const readModelFile = (path: string): ModelWithConfig => {
  const model = loadModel(path);
  if (isLeft(model)) throw new UsageError(model.left);
  return model.right;
};

/**
 * The data a model of file `path` meets under `cfg`, checked against the model's shape: an
 * autoencoder takes and gives one value per pixel. `split` is the part that will be used; the
 * validation split is only carved out of the training images when it is asked for.
 */
export const dataForModel = (path: string, model: LoadedModel, cfg: TrainingConfig, split: 'test' | 'validation'): RunData => {
  const dataset = datasetOf(cfg);
  const pixels = dataset.rows * dataset.cols;
  const sizes = model.network.layerSizes;
  const where = `${cfg.dataset}${cfg.dataDir === undefined ? '' : ` in ${cfg.dataDir}`}`;
  const [inputs, outputs] = [sizes[0], sizes[sizes.length - 1]];
  const classifier = cfg.task === 'classify';
  if (inputs !== pixels || outputs !== (classifier ? CLASS_COUNT : pixels)) {
    throw new UsageError(
      `${path}: the model (${sizes.join('-')}) takes ${inputs} inputs and gives ${outputs} outputs; ` +
        `the images of ${where} are ${dataset.rows}×${dataset.cols} = ${pixels} pixels, and ` +
        (classifier ? `a classifier needs ${pixels} inputs and ${CLASS_COUNT} outputs` : 'an autoencoder needs both to match them'),
    );
  }
  if (split === 'validation' && cfg.validationSize >= dataset.train.count) {
    throw new UsageError(
      `--split validation: the model was validated on ${cfg.validationSize} training images, ${where} has only ${dataset.train.count}; use --split test`,
    );
  }
  const data = loadRunData(split === 'test' ? { ...cfg, validationSize: 0 } : cfg, dataset);
  const set = split === 'test' ? data.test : data.validation;
  if (set.count === 0) throw new UsageError(`${where}: the ${split} set has no images`);
  return data;
};
