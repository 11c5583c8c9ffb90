/**
 * What training minimises, as a pair of pure functions over one example's output spike times:
 * the reported loss and the error signal δ back-propagated from the outputs.
 */
import {
  autoencoderErrorInto,
  autoencoderLoss,
  firstSpikeClass,
  firstSpikeCrossEntropy,
  firstSpikeCrossEntropyErrorInto,
} from './loss.ts';
import { argMax } from './confusion.ts';

export interface Objective {
  readonly name: string;
  lossOf(outputTimes: Float64Array, target: Float64Array): number;
  errorInto(delta: Float64Array, outputTimes: Float64Array, target: Float64Array): Float64Array;
  /**
   * Objectives with classes: is the example classified correctly? Training counts it for the
   * running accuracy of the progress line (absent: the objective has no classes).
   */
  readonly isCorrect?: (outputTimes: Float64Array, target: Float64Array) => boolean;
  /** Objectives with classes: the predicted class of an example (−1: no output fired). */
  readonly predict?: (outputTimes: Float64Array) => number;
}

/** Latency-shifted per-pixel MSE; `target` holds target spike times (Infinity = no spike). */
export const autoencoderObjective = (latency: number, penaltyOutputSpikeTime = 0): Objective => ({
  name: 'autoencoder-mse',
  lossOf: (out, target) => autoencoderLoss(out, target, latency, penaltyOutputSpikeTime),
  errorInto: (delta, out, target) =>
    autoencoderErrorInto(delta, out, target, latency, penaltyOutputSpikeTime),
});

/** The label is the index of the largest entry of `target` (a one-hot vector). */
const labelOf = argMax;

/**
 * The reported loss of a silent output: it counts as firing this long after the earliest output
 * spike (e^(−10) ≈ 4.5·10⁻⁵ of its probability), so that one silent example does not make a mean
 * loss Infinity. See `firstSpikeCrossEntropy`.
 */
export const SILENT_OUTPUT_GAP = 10;

/** Classification accuracy helper: did the earliest output spike come from the labelled neuron? */
export const isCorrect = (out: Float64Array, target: Float64Array): boolean =>
  firstSpikeClass(out) === labelOf(target);

/** First-spike softmax cross-entropy; `target` is one-hot over the output neurons. */
export const classificationObjective = (silentGap = SILENT_OUTPUT_GAP): Objective => ({
  name: 'first-spike-cross-entropy',
  lossOf: (out, target) => firstSpikeCrossEntropy(out, labelOf(target), silentGap),
  errorInto: (delta, out, target) => firstSpikeCrossEntropyErrorInto(delta, out, labelOf(target)),
  isCorrect,
  predict: firstSpikeClass,
});
