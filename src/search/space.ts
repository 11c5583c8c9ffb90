/**
 * A hyperparameter search space: which training-config fields a search varies, over which range,
 * on which scale, and which fields it holds fixed.
 *
 * Every strategy works in the unit cube [0, 1)^d; a dimension maps a coordinate u to a value:
 *
 *     linear:  v = min + u·(max − min)
 *     log:     v = exp(ln min + u·(ln max − ln min))          (min > 0)
 *     integer: the same on [min, max + 1), rounded down, so every integer of [min, max] has an
 *              equal share of the line (linear) or of the log line (log).
 *
 * The default space is Table 1 of Comsa et al. 2021 (`TABLE_1_SPACE`): the ten searched
 * hyperparameters with the published ranges, log scale for batch size and both learning rates,
 * integers for batch size and pulses.
 *
 * A space file (`spikeline search --space FILE`) is a JSON object
 * `{ "preset"?: NAME, "fixed"?: { config fields }, "params": { field: { min, max, scale?, integer? } } }`,
 * decoded by `decodeSearchSpace`; a bad value is reported as `FILE: params.decayRate.min: …`.
 *
 * ## Example
 * ```ts
 * const space = TABLE_1_SPACE;
 * const patch = pointToValues(space, [0.5, 0.5, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
 * patch.learningRate;   // ≈ 0.00316 (the middle of [1e-5, 1] on the log line)
 * ```
 */
import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { CONFIG_FIELDS, ConfigPatchCodec, type ConfigPatch, decodeConfigPatch } from '../config/config.ts';
import { DEFAULT_PRESET, closest } from '../config/presets.ts';
import { FiniteNumber, formatDecodeErrors } from '../io/decode.ts';

/** One searched field. */
export interface Dimension {
  readonly min: number;
  readonly max: number;
  readonly scale: 'linear' | 'log';
  readonly integer: boolean;
}

/** Fields of a training config a search may vary: the numeric hyperparameters of a preset. */
export const SEARCHABLE_FIELDS = [
  'nHidden',
  'nPulses',
  'latency',
  'noiseFactor',
  'batchSize',
  'clipDerivative',
  'decayRate',
  'fireThreshold',
  'learningRate',
  'learningRatePulses',
  'nonpulseWeightMeanMultiplier',
  'pulseWeightMeanMultiplier',
  'penaltyNoSpike',
  'learningRateMultiplier',
  'penaltyOutputSpikeTime',
] as const;
export type SearchableField = (typeof SEARCHABLE_FIELDS)[number];

/** Fields that must take integer values. */
const INTEGER_FIELDS: ReadonlySet<string> = new Set(['nHidden', 'nPulses', 'batchSize']);

export interface SearchSpace {
  /** Base preset of every trial (fixed fields and flags override it). */
  readonly preset: string;
  /** Config fields held fixed across the search (e.g. nHidden, latency, noiseFactor). */
  readonly fixed: ConfigPatch;
  /** Searched fields in a fixed order (the order of the unit-cube coordinates). */
  readonly params: ReadonlyArray<readonly [SearchableField, Dimension]>;
}

/** Comsa et al. 2021, Table 1 ("*" = logarithmic search space). */
export const TABLE_1_SPACE: SearchSpace = {
  preset: DEFAULT_PRESET,
  fixed: {},
  params: [
    ['decayRate', { min: 0.1, max: 2, scale: 'linear', integer: false }],
    ['fireThreshold', { min: 0.1, max: 1.5, scale: 'linear', integer: false }],
    ['nPulses', { min: 0, max: 10, scale: 'linear', integer: true }],
    ['nonpulseWeightMeanMultiplier', { min: -10, max: 10, scale: 'linear', integer: false }],
    ['pulseWeightMeanMultiplier', { min: -10, max: 10, scale: 'linear', integer: false }],
    ['batchSize', { min: 1, max: 1000, scale: 'log', integer: true }],
    ['clipDerivative', { min: 1, max: 1000, scale: 'linear', integer: false }],
    ['penaltyNoSpike', { min: 0, max: 100, scale: 'linear', integer: false }],
    ['learningRate', { min: 1e-5, max: 1, scale: 'log', integer: false }],
    ['learningRatePulses', { min: 1e-5, max: 1, scale: 'log', integer: false }],
  ],
};

/** The value of coordinate u ∈ [0, 1] on dimension d (u = 1 gives max). */
export const valueAt = (d: Dimension, u: number): number => {
  const c = Math.min(1, Math.max(0, u));
  const hi = d.integer ? d.max + 1 : d.max;
  const v =
    d.scale === 'log' ? Math.exp(Math.log(d.min) + c * (Math.log(hi) - Math.log(d.min))) : d.min + c * (hi - d.min);
  // clamp: exp(ln min) may come out one ulp below min
  return Math.max(d.min, d.integer ? Math.min(d.max, Math.floor(v)) : Math.min(d.max, v));
};

/** The coordinate of a value (inverse of `valueAt`; integers map to the middle of their share). */
export const unitOf = (d: Dimension, value: number): number => {
  const v = d.integer ? value + 0.5 : value;
  const hi = d.integer ? d.max + 1 : d.max;
  const u = d.scale === 'log' ? (Math.log(v) - Math.log(d.min)) / (Math.log(hi) - Math.log(d.min)) : (v - d.min) / (hi - d.min);
  return Math.min(1, Math.max(0, u));
};

/** Config values of a unit-cube point (one coordinate per searched field, in order). */
export const pointToValues = (space: SearchSpace, point: readonly number[]): Partial<Record<SearchableField, number>> => {
  if (point.length !== space.params.length) {
    throw new RangeError(`search point: expected ${space.params.length} coordinates, got ${point.length}`);
  }
  const out: Partial<Record<SearchableField, number>> = {};
  space.params.forEach(([name, d], i) => {
    out[name] = valueAt(d, point[i]);
  });
  return out;
};

// ---- decoding -------------------------------------------------------------------------------

const DimensionCodec = t.intersection([
  t.type({ min: FiniteNumber, max: FiniteNumber }),
  t.partial({ scale: t.keyof({ linear: null, log: null }, '"linear" | "log"'), integer: t.boolean }),
]);

const SpaceFileCodec = t.intersection([
  t.type({ params: t.record(t.string, t.unknown) }),
  t.partial({ preset: t.string, fixed: t.unknown }),
]);

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/** Checks one dimension's range against its field; messages are `params.<field>…: …`. */
const checkDimension = (name: string, raw: unknown): Either<string[], Dimension> => {
  const r = DimensionCodec.decode(raw);
  if (isLeft(r)) return left(formatDecodeErrors(r.left, `params.${name}`));
  if (isRecord(raw)) {
    const extra = Object.keys(raw).filter((k) => !['min', 'max', 'scale', 'integer'].includes(k));
    if (extra.length > 0) return left([`params.${name}: unknown field ${extra[0]} (expected min, max, scale, integer)`]);
  }
  const integer = r.right.integer ?? INTEGER_FIELDS.has(name);
  const d: Dimension = { min: r.right.min, max: r.right.max, scale: r.right.scale ?? 'linear', integer };
  const errors: string[] = [];
  if (!(d.max >= d.min)) errors.push(`params.${name}: expected min ≤ max, got min ${d.min} and max ${d.max}`);
  if (d.scale === 'log' && !(d.min > 0)) errors.push(`params.${name}.min: a log scale needs min > 0, got ${d.min}`);
  if (INTEGER_FIELDS.has(name) && !d.integer) errors.push(`params.${name}.integer: ${name} takes integers, got false`);
  if (d.integer && !(Number.isInteger(d.min) && Number.isInteger(d.max))) {
    errors.push(`params.${name}: an integer range needs integer bounds, got [${d.min}, ${d.max}]`);
  }
  // the range must hold values the config accepts: check both ends with the config codec
  for (const [end, v] of [['min', d.min], ['max', d.max]] as const) {
    const ok = ConfigPatchCodec.decode({ [name]: v });
    if (isLeft(ok)) errors.push(...formatDecodeErrors(ok.left).map((m) => `params.${name}.${end}: ${m.slice(m.indexOf(':') + 2)}`));
  }
  return errors.length > 0 ? left(errors) : right(d);
};

/** Decodes a parsed space file; `source` names it in every message. */
export const decodeSearchSpace = (value: unknown, source: string): Either<string[], SearchSpace> => {
  const top = SpaceFileCodec.decode(value);
  if (isLeft(top)) return left(formatDecodeErrors(top.left).map((m) => `${source}: ${m}`));
  const errors: string[] = [];
  if (isRecord(value)) {
    for (const k of Object.keys(value)) {
      if (!['preset', 'fixed', 'params'].includes(k)) errors.push(`${source}: unknown field ${k} (expected preset, fixed, params)`);
    }
  }
  const params: Array<readonly [SearchableField, Dimension]> = [];
  for (const [name, raw] of Object.entries(top.right.params)) {
    if (!(SEARCHABLE_FIELDS as readonly string[]).includes(name)) {
      const near = closest(name, SEARCHABLE_FIELDS, 1);
      const why = CONFIG_FIELDS.includes(name) ? ' (not a searchable numeric hyperparameter; put it in "fixed")' : '';
      errors.push(`${source}: params.${name}: unknown hyperparameter${why}${near.length > 0 && why === '' ? ` (did you mean ${near[0]}?)` : ''}`);
      continue;
    }
    const d = checkDimension(name, raw);
    if (isLeft(d)) errors.push(...d.left.map((m) => `${source}: ${m}`));
    else params.push([name as SearchableField, d.right]);
  }
  if (Object.keys(top.right.params).length === 0) errors.push(`${source}: params: expected at least one searched field, got none`);
  let fixed: ConfigPatch = {};
  if (top.right.fixed !== undefined) {
    const f = decodeConfigPatch(top.right.fixed, `${source}: fixed`);
    if (isLeft(f)) errors.push(...f.left);
    else {
      fixed = f.right;
      for (const [name] of params) {
        if (name in fixed) errors.push(`${source}: fixed.${name}: also searched in params (keep one)`);
      }
      if (fixed.preset !== undefined) errors.push(`${source}: fixed.preset: name the preset at the top level`);
    }
  }
  if (errors.length > 0) return left(errors);
  return right({ preset: top.right.preset ?? DEFAULT_PRESET, fixed, params });
};

/** The JSON form of a space (what a space file holds; also stored with a search for resume). */
export const encodeSearchSpace = (s: SearchSpace): Record<string, unknown> => ({
  preset: s.preset,
  fixed: s.fixed,
  params: Object.fromEntries(s.params.map(([n, d]) => [n, { min: d.min, max: d.max, scale: d.scale, integer: d.integer }])),
});
