/**
 * Training configuration: the type, its io-ts codecs, and the merge
 *
 *     defaults ← preset ← config file ← command-line flags
 *
 * where every value that comes from outside is decoded, and every bad value is reported with its
 * source, path and expected type, e.g. `run.json: decayRate: expected positive number, got -1`.
 * All errors are collected (not just the first); the CLI prints them and exits with status 2.
 *
 * A config file is a JSON object with any subset of the fields of `TrainingConfig` plus an
 * optional `"preset"` name; unknown fields are errors (with a "did you mean"). Flags are strings
 * keyed by field name, camelCase or kebab-case (`decayRate` or `decay-rate`); numeric fields
 * parse the string as a number.
 *
 * ## Example
 * ```ts
 * const cfg = resolveTrainingConfig({
 *   preset: 'h8-l1-n0.2',
 *   file: { name: 'run.json', value: { epochs: 5 } },
 *   flags: { 'learning-rate': '0.001' },
 * }); // Right({ nHidden: 8, noiseFactor: 0.2, epochs: 5, learningRate: 0.001, … })
 * ```
 */
import { readFileSync } from 'node:fs';
import { type Either, isLeft, isRight, left, right } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { Count, FiniteNumber, PositiveNumber, formatDecodeErrors } from '../io/decode.ts';
import { MAX_AUGMENT_SHIFT } from '../data/augment.ts';
import type { DatasetName } from '../data/datasets.ts';
import type { Encoding } from '../data/encode.ts';
import { DEFAULT_VALIDATION_SIZE } from '../data/split.ts';
import { DEFAULT_PRESET, type Hyperparameters, closest, findPreset } from './presets.ts';

/** Everything a training run needs besides the data. */
export interface TrainingConfig extends Hyperparameters {
  /** Passes over the training split. */
  readonly epochs: number;
  /** Seed of every random choice of the run (split, initialisation, batch order, noise). */
  readonly seed: number;
  readonly dataset: DatasetName;
  /** `inverted`: bright pixels spike early (the paper's default); `plain`: bright spike late. */
  readonly encoding: Encoding;
  /** Input spike times span [0, inputRange]; also where the initial pulses are spread. */
  readonly inputRange: number;
  /** Training images held out for validation (54 000 / 6 000 for MNIST). */
  readonly validationSize: number;
  /** Learning rate is multiplied by this after every epoch (1 = constant). */
  readonly learningRateMultiplier: number;
  /** Extra loss term penaltyOutputSpikeTime · o² per output (0 = off). */
  readonly penaltyOutputSpikeTime: number;
  /** Train on only the first N images of the (shuffled) training split. */
  readonly trainLimit?: number;
  /** Test on only the first N test images (file order). */
  readonly testLimit?: number;
  /** Directory with the four IDX files (default: the data set's usual place). */
  readonly dataDir?: string;
  /** Neuron model of every layer (default `alpha`, the paper's neuron and the fast path). */
  readonly neuron?: NeuronName;
  /**
   * Classifiers: shift every training image by a random (dx, dy) in {−s, …, s}² each epoch
   * (src/data/augment.ts); 0 or absent = no augmentation.
   */
  readonly augmentShift?: number;
  /**
   * Evaluate and keep an exponential moving average of the parameters with this decay per step
   * (src/train/weightAverage.ts), e.g. 0.9998 ≈ the last 5000 steps; 0 or absent = off.
   */
  readonly weightAverageDecay?: number;
}

/** The fields that are not hyperparameters of a preset, with their defaults. */
export const RUN_DEFAULTS = {
  epochs: 100,
  seed: 0,
  dataset: 'mnist',
  encoding: 'inverted',
  inputRange: 1,
  validationSize: DEFAULT_VALIDATION_SIZE,
  learningRateMultiplier: 1,
  penaltyOutputSpikeTime: 0,
} as const satisfies Partial<TrainingConfig>;

// ---- scalar codecs --------------------------------------------------------------------------

const refine = (name: string, ok: (n: number) => boolean): t.Type<number, number, unknown> =>
  new t.Type<number, number, unknown>(
    name,
    (u): u is number => typeof u === 'number' && ok(u),
    (u, c) => (typeof u === 'number' && ok(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  );

export const PositiveInt = refine('positive integer', (n) => Number.isInteger(n) && n > 0);
export const NonNegativeNumber = refine('non-negative number', (n) => Number.isFinite(n) && n >= 0);
export const UnitInterval = refine('number in [0, 1]', (n) => n >= 0 && n <= 1);
export const Seed = refine('non-negative safe integer', (n) => Number.isSafeInteger(n) && n >= 0);
export const NonEmptyString = new t.Type<string, string, unknown>(
  'non-empty string',
  (u): u is string => typeof u === 'string' && u.length > 0,
  (u, c) => (typeof u === 'string' && u.length > 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);
export const DatasetCodec = t.keyof({ mnist: null, 'fashion-mnist': null }, '"mnist" | "fashion-mnist"');
export const EncodingCodec = t.keyof({ inverted: null, plain: null }, '"inverted" | "plain"');
/** The built-in neuron models a config can name (src/kernels/neuronModels.ts). */
export const NeuronNameCodec = t.keyof({ alpha: null, 'dual-exponential': null }, '"alpha" | "dual-exponential"');
export type NeuronName = t.TypeOf<typeof NeuronNameCodec>;
export const TaskCodec = t.keyof({ autoencode: null, classify: null }, '"autoencode" | "classify"');

/** Bounds of `layers`: at most 8 layers of at most 4096 neurons (memory, as for MAX_HIDDEN below). */
export const MAX_LAYERS = 8;
export const MAX_LAYER_SIZE = 4096;

const isLayerList = (u: unknown): u is number[] =>
  Array.isArray(u) &&
  u.length >= 2 &&
  u.length <= MAX_LAYERS &&
  u.every((n) => typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= MAX_LAYER_SIZE);

/** Neurons per layer, input first: an array of 2–8 integers in 1..4096, or the flag form "784,340,10". */
export const LayersCodec = new t.Type<readonly number[], readonly number[], unknown>(
  'at least 2 positive integers, e.g. 784,340,10 (at most 8 layers of at most 4096)',
  isLayerList,
  (u, c) => {
    const v = typeof u === 'string' ? u.split(',').map((x) => (/^\s*\d+\s*$/.test(x) ? Number(x) : Number.NaN)) : u;
    return isLayerList(v) ? t.success(v) : t.failure(u, c);
  },
  t.identity,
);

/**
 * `base` limited to [lo, hi] (or (lo, hi] when `lowOpen`). A value of the wrong kind keeps base's
 * message (`expected positive number, got -1`); one out of range names the range
 * (`expected number in (0, 100], got 1e+300`).
 */
export const within = (
  base: t.Type<number, number, unknown>,
  lo: number,
  hi: number,
  lowOpen = false,
): t.Type<number, number, unknown> => {
  const inside = (n: number) => (lowOpen ? n > lo : n >= lo) && n <= hi;
  const kind = base === PositiveInt || base === Count ? 'integer' : 'number';
  const range = refine(`${kind} in ${lowOpen ? '(' : '['}${lo}, ${hi}]`, inside);
  return new t.Type<number, number, unknown>(
    base.name,
    (u): u is number => base.is(u) && inside(u),
    (u, c) => {
      const r = base.validate(u, c);
      if (isLeft(r) || inside(r.right)) return r;
      // the range's name becomes the expectation; an empty key adds nothing to the path
      return t.failure(u, t.appendContext(c, '', range, u));
    },
    t.identity,
  );
};

/**
 * Network size bounds. Memory grows with (pixels + nPulses) · nHidden · 2 parameters, held as
 * float64 in several copies at once (parameters, gradients, Adam's m and v, one gradient slot per
 * worker thread, the checkpoint's JSON): at 1024 hidden neurons and 64 pulses a 28×28 autoencoder
 * has 1.7 M parameters, 14 MB per copy, about 200 MB in all with 8 workers. The paper uses 8–32.
 */
export const MAX_HIDDEN = 1024;
export const MAX_PULSES = 64;

/**
 * Every field's documented range. Values beyond make training diverge or overflow (a spike-time
 * penalty of 1e308, a latency of 1e300) or do not fit in memory; the presets and the search space
 * of Table 1 lie well inside.
 */
const requiredProps = {
  nHidden: within(PositiveInt, 1, MAX_HIDDEN),
  nPulses: within(Count, 0, MAX_PULSES),
  latency: within(PositiveNumber, 0, 100, true),
  noiseFactor: UnitInterval,
  batchSize: within(PositiveInt, 1, 10_000),
  clipDerivative: within(NonNegativeNumber, 0, 1e6),
  decayRate: within(PositiveNumber, 0, 100, true),
  fireThreshold: within(PositiveNumber, 0, 100, true),
  learningRate: within(PositiveNumber, 0, 1, true),
  learningRatePulses: within(NonNegativeNumber, 0, 1),
  nonpulseWeightMeanMultiplier: within(FiniteNumber, -100, 100),
  pulseWeightMeanMultiplier: within(FiniteNumber, -100, 100),
  penaltyNoSpike: within(NonNegativeNumber, 0, 10_000),
  epochs: within(Count, 0, 100_000),
  seed: Seed,
  dataset: DatasetCodec,
  encoding: EncodingCodec,
  inputRange: within(PositiveNumber, 0, 100, true),
  validationSize: within(Count, 0, 10_000_000),
  learningRateMultiplier: within(PositiveNumber, 0, 2, true),
  penaltyOutputSpikeTime: within(NonNegativeNumber, 0, 10),
};

const optionalProps = {
  trainLimit: within(PositiveInt, 1, 10_000_000),
  testLimit: within(PositiveInt, 1, 10_000_000),
  dataDir: NonEmptyString,
  neuron: NeuronNameCodec,
  task: TaskCodec,
  layers: LayersCodec,
  augmentShift: within(Count, 0, MAX_AUGMENT_SHIFT),
  weightAverageDecay: refine('number in [0, 1)', (n) => n >= 0 && n < 1),
};

/** Every field of a complete config (the optional ones checked by `OptionalFieldsCodec`). */
export const RequiredFieldsCodec = t.type(requiredProps, 'TrainingConfig');
export const OptionalFieldsCodec = t.partial(optionalProps, 'TrainingConfig (optional fields)');

/** A partial override: any subset of the fields, each decoded; `preset` names a base preset. */
export const ConfigPatchCodec = t.partial(
  { ...requiredProps, ...optionalProps, preset: NonEmptyString },
  'TrainingConfig override',
);
export type ConfigPatch = t.TypeOf<typeof ConfigPatchCodec>;

/** Names of every field a config file or flag may set. */
export const CONFIG_FIELDS: readonly string[] = Object.keys(ConfigPatchCodec.props);

const NUMERIC_FIELDS: ReadonlySet<string> = new Set(
  Object.entries({ ...requiredProps, ...optionalProps })
    .filter(([, c]) => !(c instanceof t.KeyofType) && c !== NonEmptyString && c !== LayersCodec)
    .map(([k]) => k),
);

// ---- decoding helpers -----------------------------------------------------------------------

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

const unknownFields = (obj: Record<string, unknown>, source: string, label = (k: string) => k): string[] =>
  Object.keys(obj)
    .filter((k) => !CONFIG_FIELDS.includes(k))
    .map((k) => {
      const near = closest(k, CONFIG_FIELDS, 1);
      return `${source}: unknown field ${label(k)}${near.length > 0 ? ` (did you mean ${label(near[0])}?)` : ''}`;
    });

const prefix = (source: string, messages: string[]): string[] => messages.map((m) => `${source}: ${m}`);

/** Decodes a parsed config-file value into an override; `source` names it in messages. */
export const decodeConfigPatch = (value: unknown, source: string): Either<string[], ConfigPatch> => {
  if (!isRecord(value)) {
    return left([`${source}: expected a JSON object with training config fields, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`]);
  }
  const unknown = unknownFields(value, source);
  const r = ConfigPatchCodec.decode(value);
  const errors = [...unknown, ...(isLeft(r) ? prefix(source, formatDecodeErrors(r.left)) : [])];
  if (errors.length > 0 || isLeft(r)) return left(errors);
  // keep only known fields (t.partial passes unknown ones through)
  const out: Record<string, unknown> = {};
  for (const k of CONFIG_FIELDS) if (r.right[k as keyof ConfigPatch] !== undefined) out[k] = r.right[k as keyof ConfigPatch];
  return right(out as ConfigPatch);
};

/** `decay-rate` → `decayRate` (camelCase names pass through). */
export const camelCaseFlag = (name: string): string =>
  name.replace(/^-+/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const NUMBER_SYNTAX = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Decodes command-line overrides. Keys are field names (camelCase or kebab-case, with or without
 * leading dashes); values are the raw strings (numbers are also accepted). Messages name the
 * flag as `--kebab-name`.
 */
export const decodeConfigFlags = (
  flags: Readonly<Record<string, string | number>>,
): Either<string[], ConfigPatch> => {
  const obj: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const [rawKey, raw] of Object.entries(flags)) {
    const key = camelCaseFlag(rawKey);
    if (!CONFIG_FIELDS.includes(key)) {
      const near = closest(key, CONFIG_FIELDS, 1);
      errors.push(`unknown option --${kebab(key)}${near.length > 0 ? ` (did you mean --${kebab(near[0])}?)` : ''}`);
      continue;
    }
    obj[key] = NUMERIC_FIELDS.has(key) && typeof raw === 'string' && NUMBER_SYNTAX.test(raw.trim()) ? Number(raw) : raw;
  }
  const r = ConfigPatchCodec.decode(obj);
  if (isLeft(r)) {
    for (const m of formatDecodeErrors(r.left)) {
      const i = m.indexOf(':');
      errors.push(`--${kebab(m.slice(0, i))}${m.slice(i)}`);
    }
  }
  return errors.length > 0 || isLeft(r) ? left(errors) : right(r.right);
};

/**
 * Decodes a complete config (e.g. one saved with a model): every required field must be present
 * and valid, unknown fields are errors.
 */
export const decodeTrainingConfig = (value: unknown, source: string): Either<string[], TrainingConfig> => {
  if (!isRecord(value)) return left([`${source}: expected a JSON object with a training config`]);
  const errors = unknownFields(value, source).filter((m) => !m.includes('unknown field preset'));
  if ('preset' in value) errors.push(`${source}: a complete config has no "preset" field`);
  const req = RequiredFieldsCodec.decode(value);
  const opt = OptionalFieldsCodec.decode(value);
  if (isLeft(req)) errors.push(...prefix(source, formatDecodeErrors(req.left)));
  if (isLeft(opt)) errors.push(...prefix(source, formatDecodeErrors(opt.left)));
  if (errors.length > 0 || isLeft(req) || isLeft(opt)) return left(errors);
  const out: Record<string, unknown> = { ...req.right };
  for (const k of Object.keys(optionalProps)) {
    const v = opt.right[k as keyof typeof optionalProps];
    if (v !== undefined) out[k] = v;
  }
  return right(out as unknown as TrainingConfig);
};

/** Reads and parses a JSON config file (not yet decoded). */
export const readConfigFile = (path: string): Either<string[], unknown> => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return left([`${path}: cannot read config file (${err.code === 'ENOENT' ? 'no such file' : err.code ?? err.message})`]);
  }
  try {
    return right(JSON.parse(text) as unknown);
  } catch (e) {
    return left([`${path}: not valid JSON (${(e as Error).message})`]);
  }
};

// ---- the merge ------------------------------------------------------------------------------

export interface ConfigSources {
  /** Preset name from the command line (wins over the file's `preset`). */
  readonly preset?: string;
  /** A parsed (not yet decoded) config file and the name to use in messages. */
  readonly file?: { readonly name: string; readonly value: unknown };
  /** Raw command-line overrides, see `decodeConfigFlags`. */
  readonly flags?: Readonly<Record<string, string | number>>;
}

/** Defaults ← preset hyperparameters. */
export const configFromPreset = (hyper: Hyperparameters): TrainingConfig => ({ ...RUN_DEFAULTS, ...hyper });

/**
 * Merges defaults ← preset ← config file ← flags, decoding every outside value. The preset is
 * the command line's, else the file's `preset`, else the flags' `preset`, else `DEFAULT_PRESET`.
 */
export const resolveTrainingConfig = (sources: ConfigSources = {}): Either<string[], TrainingConfig> => {
  const errors: string[] = [];
  const filePatch = sources.file === undefined ? right<string[], ConfigPatch>({}) : decodeConfigPatch(sources.file.value, sources.file.name);
  const flagPatch = sources.flags === undefined ? right<string[], ConfigPatch>({}) : decodeConfigFlags(sources.flags);
  if (isLeft(filePatch)) errors.push(...filePatch.left);
  if (isLeft(flagPatch)) errors.push(...flagPatch.left);
  const fromFile = isRight(filePatch) ? filePatch.right : {};
  const fromFlags = isRight(flagPatch) ? flagPatch.right : {};
  const presetName = sources.preset ?? fromFlags.preset ?? fromFile.preset ?? DEFAULT_PRESET;
  const preset = findPreset(presetName);
  if (isLeft(preset)) errors.push(preset.left);
  if (errors.length > 0 || isLeft(preset)) return left(errors);
  const { preset: _f, ...fileFields } = fromFile;
  const { preset: _g, ...flagFields } = fromFlags;
  return right({ ...configFromPreset(preset.right.hyper), ...fileFields, ...flagFields });
};

/** The config as a JSON-ready object (for saving with a model or a report). */
export const encodeTrainingConfig = (cfg: TrainingConfig): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of CONFIG_FIELDS) {
    const v = (cfg as unknown as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
};
