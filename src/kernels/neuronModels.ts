/**
 * The built-in neuron models by name: what a config's `neuron` field, a saved model's
 * `network.neuron` and a worker thread resolve. A user-written {@link NeuronModel} is not in this
 * table; it is passed as a value (to `emptyNetwork`, `initNetwork`, `decodeSavedModel`).
 */
import { alphaModel } from './alpha.ts';
import { dualExponentialModel } from './dualExponential.ts';
import type { NeuronModel } from './neuronModel.ts';

export const BUILT_IN_NEURON_MODELS: Readonly<Record<string, NeuronModel>> = {
  [alphaModel.name]: alphaModel,
  [dualExponentialModel.name]: dualExponentialModel,
};

/** The model called `name` among `models` (default: the built-in ones), or undefined. */
export const neuronModelByName = (
  name: string,
  models: Readonly<Record<string, NeuronModel>> = BUILT_IN_NEURON_MODELS,
): NeuronModel | undefined => (Object.hasOwn(models, name) ? models[name] : undefined);

/** The built-in model called `name`; throws a RangeError naming the known ones otherwise. */
export const builtInNeuronModel = (name: string): NeuronModel => {
  const m = neuronModelByName(name);
  if (m === undefined) {
    throw new RangeError(`unknown neuron model "${name}" (built in: ${Object.keys(BUILT_IN_NEURON_MODELS).join(', ')})`);
  }
  return m;
};
