/**
 * Named hyperparameter presets for the spiking autoencoder.
 *
 * - The 75 sets the reference program ships (file `hyperparameters` of google/ihmehimmeli,
 *   branch autoencoder; one per embedding size h ∈ {8, 16, 32}, target latency
 *   l ∈ {1, 2, 4, 8, 16} and noise factor η ∈ {0, 0.2, 0.4, 0.6, 0.8}), named `h{h}-l{l}-n{η}`,
 *   e.g. `h32-l1-n0`, `h8-l16-n0.2`.
 * - The two sets of Comsa et al. 2021, Table 1, "parameters with good performance on multiple
 *   setups at each target latency": `good-for-all-l1` and `good-for-all-l16`, with the table's
 *   values exactly. The table gives no embedding size or noise factor; these presets use h = 32
 *   and η = 0, to be overridden (e.g. `--n-hidden 8 --noise-factor 0.4`).
 *
 * Field names are camelCase; units: times are dimensionless (inputs in [0, 1]), `decayRate` is
 * K of the alpha kernel w·s·e^(−K s), `latency` is the target delay of the reconstruction.
 *
 * ## Example
 * ```ts
 * const p = findPreset('h8-l2-n0.4');   // Either<string, Preset>
 * presetNameFor(8, 2, 0.4);             // 'h8-l2-n0.4'
 * ```
 */
import { type Either, left, right } from 'fp-ts/lib/Either.js';
import { CLASSIFIER_PRESETS } from './classifierPresets.ts';
import type { TaskName } from './taskName.ts';
import { REFERENCE_HYPERPARAMETERS, type ReferenceHyperparameters } from './presetsData.ts';

/** The hyperparameters a preset fixes (setup: nHidden, latency, noiseFactor; and the rest). */
export interface Hyperparameters {
  /** Embedding size H (hidden neurons). */
  readonly nHidden: number;
  /** Synchronisation pulses per non-output layer. */
  readonly nPulses: number;
  /** Target latency l: output k should spike at l + (target time of pixel k). */
  readonly latency: number;
  /** Input noise factor η ∈ [0, 1]. */
  readonly noiseFactor: number;
  readonly batchSize: number;
  /** Spike-time derivatives are clipped to ±clipDerivative (0 = no clipping). */
  readonly clipDerivative: number;
  /** Decay rate K of the alpha kernel (1/time). */
  readonly decayRate: number;
  /** Firing threshold θ of the membrane potential. */
  readonly fireThreshold: number;
  /** Adam learning rate of the weights. */
  readonly learningRate: number;
  /** Adam learning rate of the pulse times. */
  readonly learningRatePulses: number;
  /** Mean of a regular weight at initialisation, in units of the Glorot σ. */
  readonly nonpulseWeightMeanMultiplier: number;
  /** Mean of a pulse weight at initialisation, in units of the Glorot σ. */
  readonly pulseWeightMeanMultiplier: number;
  /** Gradient −penaltyNoSpike on every incoming weight of a neuron that did not spike. */
  readonly penaltyNoSpike: number;
  /** What the network learns (default `autoencode`); see src/run/task.ts. */
  readonly task?: TaskName;
  /** Neurons per layer, input first (overrides nHidden), e.g. [784, 400, 200, 10]. */
  readonly layers?: readonly number[];
  /** Classifiers: random training shifts of up to this many pixels (src/data/augment.ts). */
  readonly augmentShift?: number;
  /** Per-step decay of the evaluated parameter average (src/train/weightAverage.ts; default off). */
  readonly weightAverageDecay?: number;
  /** Per-epoch learning-rate factor (default 1). */
  readonly learningRateMultiplier?: number;
  /** Passes over the training split (default 100). */
  readonly epochs?: number;
}

export interface Preset {
  readonly name: string;
  readonly description: string;
  readonly hyper: Hyperparameters;
}

/** The reference row's values with camelCase names. */
export const fromReferenceRow = (r: ReferenceHyperparameters): Hyperparameters => ({
  nHidden: r.n_hidden,
  nPulses: r.n_pulses,
  latency: r.latency,
  noiseFactor: r.noise_factor,
  batchSize: r.batch_size,
  clipDerivative: r.clip_derivative,
  decayRate: r.decay_rate,
  fireThreshold: r.fire_threshold,
  learningRate: r.learning_rate,
  learningRatePulses: r.learning_rate_pulses,
  nonpulseWeightMeanMultiplier: r.nonpulse_weight_mean_multiplier,
  pulseWeightMeanMultiplier: r.pulse_weight_mean_multiplier,
  penaltyNoSpike: r.penalty_no_spike,
});

/** `h{nHidden}-l{latency}-n{noiseFactor}`, noise written as JS prints it (0, 0.2, …). */
export const presetNameFor = (nHidden: number, latency: number, noiseFactor: number): string =>
  `h${nHidden}-l${latency}-n${noiseFactor}`;

/** Comsa et al. 2021, Table 1 (values exactly as printed), latency 1 and latency 16. */
const TABLE_1: readonly Preset[] = [
  {
    name: 'good-for-all-l1',
    description:
      'Comsa et al. 2021 Table 1, good on multiple setups at latency 1 (H = 32, noise 0 are not part of the table)',
    hyper: {
      nHidden: 32,
      nPulses: 10,
      latency: 1,
      noiseFactor: 0,
      batchSize: 3,
      clipDerivative: 247.36488789120077,
      decayRate: 0.3138976904122206,
      fireThreshold: 0.8011900124783229,
      learningRate: 0.0016762843980764315,
      learningRatePulses: 0.0014413603337483233,
      nonpulseWeightMeanMultiplier: -9.533865719823941,
      pulseWeightMeanMultiplier: -8.08055538136939,
      penaltyNoSpike: 33.83286251355259,
    },
  },
  {
    name: 'good-for-all-l16',
    description:
      'Comsa et al. 2021 Table 1, good on multiple setups at latency 16 (H = 32, noise 0 are not part of the table)',
    hyper: {
      nHidden: 32,
      nPulses: 8,
      latency: 16,
      noiseFactor: 0,
      batchSize: 27,
      clipDerivative: 373.3754658744521,
      decayRate: 0.28781361955998486,
      fireThreshold: 0.9063259346518524,
      learningRate: 0.00038521130189147893,
      learningRatePulses: 0.13300674961971326,
      nonpulseWeightMeanMultiplier: -6.971635832107275,
      pulseWeightMeanMultiplier: 9.978394158917038,
      penaltyNoSpike: 39.560790380375444,
    },
  },
];

const referencePresets: readonly Preset[] = REFERENCE_HYPERPARAMETERS.map((r) => {
  const hyper = fromReferenceRow(r);
  return {
    name: presetNameFor(hyper.nHidden, hyper.latency, hyper.noiseFactor),
    description: `reference hyperparameters for H = ${hyper.nHidden}, latency ${hyper.latency}, noise ${hyper.noiseFactor}`,
    hyper,
  };
});

/** All presets: the 75 reference sets in file order, the two of Table 1, then the classifiers. */
export const PRESETS: readonly Preset[] = [...referencePresets, ...TABLE_1, ...CLASSIFIER_PRESETS];

const byName: ReadonlyMap<string, Preset> = new Map(PRESETS.map((p) => [p.name, p]));

/** The preset used when none is named: the reference README configuration. */
export const DEFAULT_PRESET = 'h32-l1-n0';

export const presetNames = (): string[] => PRESETS.map((p) => p.name);

/** Levenshtein distance (for "did you mean"). */
export const editDistance = (a: string, b: string): number => {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
};

/** The closest names to `name` among `candidates` (at most `n`, within distance 3). */
export const closest = (name: string, candidates: readonly string[], n = 3): string[] =>
  candidates
    .map((c) => [c, editDistance(name.toLowerCase(), c.toLowerCase())] as const)
    .filter(([, d]) => d <= 3)
    .sort((x, y) => x[1] - y[1])
    .slice(0, n)
    .map(([c]) => c);

/** The preset called `name`, or a message naming close matches and the naming scheme. */
export const findPreset = (name: string): Either<string, Preset> => {
  const p = byName.get(name);
  if (p !== undefined) return right(p);
  const near = closest(name, presetNames());
  return left(
    `unknown preset "${name}"` +
      (near.length > 0 ? ` (did you mean ${near.map((s) => `"${s}"`).join(', ')}?)` : '') +
      `; presets are h{8,16,32}-l{1,2,4,8,16}-n{0,0.2,0.4,0.6,0.8} good-for-all-l1, good-for-all-l16 and the classifiers ${CLASSIFIER_PRESETS.map((c) => c.name).join(', ')}`,
  );
};
