/**
 * What a resumed run may change: only how far it goes (`epochs`). Every other setting defines the
 * network, the data or the optimiser the checkpoint was made with, so a value that contradicts the
 * checkpoint is refused, naming the field, both values, and the flag that sets it.
 */
import { CONFIG_FIELDS, type TrainingConfig } from '../config/config.ts';
import type { NetworkShape } from '../model/network.ts';

/** Fields a resumed run may set differently from its checkpoint. */
export const RESUMABLE_FIELDS: ReadonlySet<string> = new Set(['epochs']);

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const show = (v: unknown): string => (v === undefined ? 'unset' : JSON.stringify(v));

/** One message per field of `requested` that contradicts the checkpoint's config. */
export const resumeConflicts = (saved: TrainingConfig, requested: TrainingConfig): string[] => {
  const s = saved as unknown as Record<string, unknown>;
  const r = requested as unknown as Record<string, unknown>;
  // compared as JSON: `layers` is an array (equal when its entries are)
  return CONFIG_FIELDS.filter((f) => f !== 'preset' && !RESUMABLE_FIELDS.has(f) && show(s[f]) !== show(r[f])).map(
    (f) => `${f} (--${kebab(f)}): the checkpoint was trained with ${show(s[f])}, the request says ${show(r[f])}`,
  );
};

/** What is wrong with resuming `network` for a run whose task wants `layerSizes` (null: nothing). */
export const checkpointShapeProblem = (network: NetworkShape, layerSizes: readonly number[], config: TrainingConfig): string | null => {
  const have = network.layerSizes.join('-');
  const want = layerSizes.join('-');
  if (have !== want) return `the checkpoint's network is ${have}, the data and config ask for ${want}`;
  if (network.nPulses.some((p) => p !== config.nPulses)) {
    return `the checkpoint's network has ${network.nPulses.join('/')} pulses per layer, the config ${config.nPulses}`;
  }
  const neuron = network.neuron?.name ?? 'alpha';
  if (neuron !== (config.neuron ?? 'alpha')) {
    return `the checkpoint's network is a ${neuron} network, the config asks for ${config.neuron ?? 'alpha'}`;
  }
  if (network.decayRate !== config.decayRate || network.threshold !== config.fireThreshold) {
    return `the checkpoint's network has decay rate ${network.decayRate} and threshold ${network.threshold}, the config ${config.decayRate} and ${config.fireThreshold}`;
  }
  return null;
};
