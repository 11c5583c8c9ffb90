/**
 * Model files: `saveModel` writes a network (with its training config, free metadata and,
 * for checkpoints, the Adam state) as versioned JSON, atomically; `loadModel` reads one back,
 * decoding every field with the io-ts codecs of src/model/codecs.ts, and the saved training
 * config with the config codec (an invalid one is an error, not silently dropped).
 *
 * ## Example
 * ```ts
 * saveModel('net.model.json', network, { config });
 * const m = loadModel('net.model.json');
 * if (isRight(m)) forward(m.right.network, input);
 * ```
 */
import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js';
import { type TrainingConfig, decodeTrainingConfig, encodeTrainingConfig } from '../config/config.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { readTextFile } from '../io/readText.ts';
import { type LoadedModel, decodeSavedModel, savedModelOf } from '../model/codecs.ts';
import type { Network } from '../model/network.ts';
import type { AdamState } from '../train/adam.ts';

export interface ModelFile extends LoadedModel {
  /** The training config saved with the model (null when the file has none). */
  readonly config: TrainingConfig | null;
}

export interface SaveModelOptions {
  readonly config?: TrainingConfig;
  /** Free-form metadata (JSON values), e.g. the epoch and its losses. */
  readonly meta?: Record<string, unknown>;
  /** Optimiser state, for a checkpoint to continue from. */
  readonly adam?: AdamState;
}

/** The JSON text of a model file. */
export const modelFileText = (network: Network, o: SaveModelOptions = {}): string =>
  JSON.stringify(
    savedModelOf(
      network,
      { ...o.meta, ...(o.config ? { config: encodeTrainingConfig(o.config) } : {}) },
      o.adam ? { step: o.adam.step, m: o.adam.m, v: o.adam.v } : undefined,
    ),
  );

/** Writes a model file atomically (a reader sees the old file or the new one). */
export const saveModel = (path: string, network: Network, o: SaveModelOptions = {}): void =>
  writeFileAtomic(path, modelFileText(network, o));

/** Decodes a parsed model file; `source` names it in messages. */
export const decodeModelFile = (json: unknown, source: string): Either<string, ModelFile> => {
  const model = decodeSavedModel(json);
  if (isLeft(model)) return left(`${source}: not a spikeline model: ${model.left.slice(0, 8).join('; ')}`);
  const saved = model.right.meta.config;
  if (saved === undefined) return right({ ...model.right, config: null });
  const config = decodeTrainingConfig(saved, `${source}: meta.config`);
  if (isLeft(config)) return left(config.left.slice(0, 8).join('; '));
  return right({ ...model.right, config: config.right });
};

/** Reads and decodes a model file (gunzipped when its name ends in `.gz`); Left is a message naming the file and the field. */
export const loadModel = (path: string): Either<string, ModelFile> => {
  let json: unknown;
  try {
    json = JSON.parse(readTextFile(path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return left(`${path}: cannot read a model (${err.code === 'ENOENT' ? 'no such file' : err.message})`);
  }
  return decodeModelFile(json, path);
};
