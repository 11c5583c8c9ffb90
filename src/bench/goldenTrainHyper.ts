/** The training hyperparameters of the golden file (reference README §3), as a {@link TrainHyper}. */
import type { AutoencoderGoldenFile } from '../conformance/autoencoderGolden.ts';
import type { TrainHyper } from '../train/trainStep.ts';

export const goldenTrainHyper = (h: AutoencoderGoldenFile['hyperparameters']): TrainHyper => ({
  learningRate: h.learning_rate,
  learningRatePulses: h.learning_rate_pulses,
  beta1: h.adam_beta1,
  beta2: h.adam_beta2,
  epsilon: h.adam_epsilon,
  clipDerivative: h.clip_derivative,
  clipGradient: h.clip_gradient,
  penaltyNoSpike: h.penalty_no_spike,
});
