/**
 * io-ts codecs for what crosses the program's edge: network specs and saved models.
 *
 * A saved model is versioned JSON with full double precision (JSON numbers round-trip exactly):
 *
 *     { "format": "spikeline-model", "version": 1,
 *       "network": { layerSizes, nPulses, decayRate, threshold, neuron? },
 *       "params": [...weights of every layer, then every pulse time...],
 *       "adam"?: { step, m: [...], v: [...] },      // checkpoints, for --resume
 *       "meta"?: { ... free-form: config, epoch, losses ... } }
 *
 * `network.neuron` names the neuron model ("alpha", "dual-exponential", or a user model's name);
 * files written before it existed have none and load as alpha networks.
 */
import { isLeft, type Either, left, right } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { Count, FiniteNumber, PositiveNumber, decodeWith } from '../io/decode.ts';
import { alphaModel } from '../kernels/alpha.ts';
import type { NeuronModel } from '../kernels/neuronModel.ts';
import { BUILT_IN_NEURON_MODELS, neuronModelByName } from '../kernels/neuronModels.ts';
import { type Network, networkFromParams, shapeParameterCount, specProblem } from './network.ts';

export const MODEL_FORMAT = 'spikeline-model';
export const MODEL_VERSION = 1;

export const NetworkSpecCodec = t.intersection([
  t.type({
    layerSizes: t.array(Count),
    nPulses: t.array(Count),
    decayRate: PositiveNumber,
    threshold: PositiveNumber,
  }),
  t.partial({ neuron: t.string }),
]);

export const SavedAdamCodec = t.type({
  step: Count,
  m: t.array(FiniteNumber),
  v: t.array(FiniteNumber),
});

export const SavedModelCodec = t.intersection([
  t.type({
    format: t.literal(MODEL_FORMAT),
    version: t.literal(MODEL_VERSION),
    network: NetworkSpecCodec,
    params: t.array(FiniteNumber),
  }),
  t.partial({
    adam: SavedAdamCodec,
    meta: t.UnknownRecord,
  }),
]);
export type SavedModel = t.TypeOf<typeof SavedModelCodec>;

export interface LoadedModel {
  readonly network: Network;
  readonly adam?: { readonly step: number; readonly m: Float64Array; readonly v: Float64Array };
  readonly meta: Record<string, unknown>;
}

/** A saved-model value for a network (and optionally its optimiser state and metadata). */
export const savedModelOf = (
  net: Network,
  meta: Record<string, unknown> = {},
  adam?: { step: number; m: Float64Array; v: Float64Array },
): SavedModel => ({
  format: MODEL_FORMAT,
  version: MODEL_VERSION,
  network: {
    layerSizes: [...net.layerSizes],
    nPulses: [...net.nPulses],
    decayRate: net.decayRate,
    threshold: net.threshold,
    neuron: net.neuron.name,
  },
  params: Array.from(net.params),
  ...(adam ? { adam: { step: adam.step, m: Array.from(adam.m), v: Array.from(adam.v) } } : {}),
  meta,
});

/**
 * Decodes a parsed JSON value into a network; Left holds `path: expected …` messages. The neuron
 * model is looked up by name in `models` (the built-in ones by default; pass your own models
 * there to load networks of them); a file without `network.neuron` is an alpha network.
 */
export const decodeSavedModel = (
  json: unknown,
  models: Readonly<Record<string, NeuronModel>> = BUILT_IN_NEURON_MODELS,
): Either<string[], LoadedModel> => {
  const d = decodeWith(SavedModelCodec, json);
  if (isLeft(d)) return d;
  const m = d.right;
  const neuronName = m.network.neuron ?? alphaModel.name;
  const neuron = neuronModelByName(neuronName, models);
  if (neuron === undefined) {
    return left([`network.neuron: unknown neuron model ${JSON.stringify(neuronName)} (known: ${Object.keys(models).join(', ')})`]);
  }
  const L = m.network.layerSizes.length - 1;
  if (m.network.nPulses.length !== L) {
    return left([`network.nPulses: expected ${L} entries (one per non-output layer), got ${m.network.nPulses.length}`]);
  }
  const problem = specProblem({ ...m.network, neuron });
  if (problem !== null) return left([`network.${problem}`]);
  const n = shapeParameterCount(m.network);
  if (m.params.length !== n) return left([`params: expected ${n} values for this network, got ${m.params.length}`]);
  if (m.adam && (m.adam.m.length !== n || m.adam.v.length !== n)) {
    return left([`adam: expected m and v of ${n} values each`]);
  }
  const network = networkFromParams({ ...m.network, neuron }, Float64Array.from(m.params));
  return right({
    network,
    adam: m.adam
      ? { step: m.adam.step, m: Float64Array.from(m.adam.m), v: Float64Array.from(m.adam.v) }
      : undefined,
    meta: m.meta ?? {},
  });
};
