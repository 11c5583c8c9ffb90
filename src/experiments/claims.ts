/**
 * The paper's claims (Comsa et al. 2021), checked against measured runs. Every row is computed
 * from run records and measurements by the pure function `computeClaims`; nothing is written by
 * hand. A claim whose inputs the profile did not produce does not hold ("not measured").
 *
 * All reconstruction errors (`testMse`, `meanImageMse`) are per-pixel mean squared errors in
 * [0, 1] pixel units after decoding spike times to pixels, whatever the target latency; the
 * training-curve claim alone uses the original program's loss (section 3 of the reference README,
 * in time units), because that is what the original program logged.
 *
 * ## Example
 * ```ts
 * const claims = computeClaims({ profile: 'quick', runs, svm, dynamics, weights, curves });
 * writeFileSync('claims.json', JSON.stringify(claimsFile('quick', claims, runs), null, 2));
 * ```
 */
import type { DatasetName } from '../data/datasets.ts';
import type { Encoding } from '../data/encode.ts';

/** One finished run, as `claims.json` lists it. */
export interface RunRecord {
  readonly kind: 'snn' | 'ann';
  readonly dataset: DatasetName;
  readonly h: number;
  readonly noise: number;
  /** Target latency of a spiking run (ANN: 1, unused). */
  readonly latency: number;
  /** Image encoding: SNN `inverted` = bright pixels spike early; ANN `inverted` = white background. */
  readonly encoding: Encoding;
  /** ANN encoder/decoder activation pair, e.g. `relu/sigmoid` (SNN: absent). */
  readonly activations?: string;
  /** Per-pixel test MSE in [0, 1] pixel units. */
  readonly testMse: number;
  /** The same MSE for the predictor that always answers the training set's mean image. */
  readonly meanImageMse: number;
  readonly epochs: number;
  readonly seconds: number;
}

/** SVM test accuracy on one feature set (figure 7). */
export interface SvmRecord {
  readonly dataset: DatasetName;
  readonly noise: number;
  readonly features: 'pixels' | 'snn' | 'ann';
  /** Embedding size (pixels: the image size). */
  readonly h: number;
  readonly accuracy: number;
}

/** Spike dynamics of one trained spiking network per target latency (figure 8). */
export interface DynamicsRecord {
  readonly latency: number;
  /** Mean hidden-layer spike time over test images (silent neurons excluded). */
  readonly meanHiddenSpikeTime: number;
  /** Mean learned pulse time feeding the output layer. */
  readonly meanDecoderPulseTime: number;
}

/** Mean weights of one trained spiking network (figure 10). */
export interface WeightRecord {
  readonly label: string;
  readonly encoderRegular: number;
  readonly encoderPulse: number;
  readonly decoderRegular: number;
  readonly decoderPulse: number;
}

/** Test loss (original program's metric) after each epoch of one spiking run. */
export interface CurveRecord {
  readonly dataset: DatasetName;
  readonly h: number;
  /** testLoss[k] = loss after epoch k + 1. */
  readonly testLoss: readonly number[];
}

export interface ClaimsInput {
  readonly runs: readonly RunRecord[];
  readonly svm?: readonly SvmRecord[];
  readonly dynamics?: readonly DynamicsRecord[];
  readonly weights?: readonly WeightRecord[];
  readonly curves?: readonly CurveRecord[];
}

export interface Claim {
  readonly id: string;
  /** The paper's claim, in words, with the criterion used to test it. */
  readonly statement: string;
  readonly holds: boolean;
  /** The measured numbers behind the verdict. */
  readonly measured: string;
  /** Report section that shows it (`#figure-3`, …). */
  readonly figure: string;
}

/** "On par": the spiking MSE at most this multiple of the ANN's. */
export const ON_PAR_RATIO = 1.25;

/**
 * Test loss of the original program after epochs 1, 2, 5, 10, 20, 30, 40, 46 on full MNIST
 * (reference README §7; its table counts epochs from 0).
 */
export const ORIGINAL_CURVES: Readonly<Record<number, ReadonlyArray<readonly [number, number]>>> = {
  32: [[1, 0.02249], [2, 0.0138], [5, 0.01201], [10, 0.01158], [20, 0.01104], [30, 0.01057], [40, 0.01031], [46, 0.00983]],
  8: [[1, 0.06526], [2, 0.04756], [5, 0.0343], [10, 0.03346], [20, 0.03288], [30, 0.03266], [40, 0.03243]],
};

/** A curve is "as good as the original's" when it is at most this multiple of it at every epoch. */
export const CURVE_TOLERANCE = 1.1;

const f4 = (v: number): string => (Number.isFinite(v) ? v.toPrecision(4) : 'n/a');
const sortedUnique = (xs: readonly number[]): number[] => [...new Set(xs)].sort((a, b) => a - b);
const notMeasured = (id: string, statement: string, figure: string, what: string): Claim => ({
  id,
  statement,
  holds: false,
  measured: `not measured in this profile (${what})`,
  figure,
});

/** The conventional ANN of figure 3: ReLU encoder, sigmoid decoder, plain images. */
const isFigure3Ann = (r: RunRecord): boolean => r.kind === 'ann' && r.encoding === 'plain' && (r.activations ?? 'relu/sigmoid') === 'relu/sigmoid';
/** The spiking runs of figure 3: latency 1. */
const isFigure3Snn = (r: RunRecord): boolean => r.kind === 'snn' && r.latency === 1;

const onParClaims = (runs: readonly RunRecord[]): Claim[] =>
  sortedDatasets(runs).map((d) => {
    const id = `fig3-on-par-${d}`;
    const statement = `${d}: spiking autoencoders reconstruct on par with ANNs of the same embedding size (SNN/ANN test MSE ≤ ${ON_PAR_RATIO} for every H and noise level)`;
    const pairs: { h: number; noise: number; ratio: number }[] = [];
    for (const s of runs.filter((r) => r.dataset === d && isFigure3Snn(r))) {
      const a = runs.find((r) => r.dataset === d && isFigure3Ann(r) && r.h === s.h && r.noise === s.noise);
      if (a !== undefined) pairs.push({ h: s.h, noise: s.noise, ratio: s.testMse / a.testMse });
    }
    if (pairs.length === 0) return notMeasured(id, statement, '#figure-3', 'no SNN/ANN pair');
    const worst = pairs.reduce((w, p) => (p.ratio > w.ratio ? p : w));
    const failing = pairs.filter((p) => !(p.ratio <= ON_PAR_RATIO));
    return {
      id,
      statement,
      holds: failing.length === 0,
      measured:
        `ratio over ${pairs.length} settings: ${pairs.map((p) => `H=${p.h} n=${p.noise}: ${f4(p.ratio)}`).join(', ')}; worst ${f4(worst.ratio)}` +
        (failing.length > 0 ? `; ${failing.length} above ${ON_PAR_RATIO}` : ''),
      figure: '#figure-3',
    };
  });

const sortedDatasets = (runs: readonly RunRecord[]): DatasetName[] => [...new Set(runs.map((r) => r.dataset))].sort();

/** Checks that MSE moves in one direction along an axis (H or noise) for every series. */
const trendClaim = (
  runs: readonly RunRecord[],
  id: string,
  statement: string,
  axis: 'h' | 'noise',
  direction: 'falls' | 'rises',
): Claim => {
  const other = axis === 'h' ? 'noise' : 'h';
  const groups = new Map<string, RunRecord[]>();
  for (const r of runs.filter((x) => isFigure3Snn(x) || isFigure3Ann(x))) {
    const key = `${r.dataset} ${r.kind.toUpperCase()} ${other === 'h' ? 'H' : 'noise'}=${r[other]}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const checked: string[] = [];
  const broken: string[] = [];
  for (const [key, rs] of groups) {
    const xs = sortedUnique(rs.map((r) => r[axis]));
    if (xs.length < 2) continue;
    const ys = xs.map((x) => (rs.find((r) => r[axis] === x) as RunRecord).testMse);
    const ok = ys.every((y, i) => i === 0 || (direction === 'falls' ? y < ys[i - 1] : y > ys[i - 1]));
    const line = `${key}: ${ys.map(f4).join(' → ')}`;
    checked.push(line);
    if (!ok) broken.push(line);
  }
  if (checked.length === 0) return notMeasured(id, statement, '#figure-3', `fewer than two values of ${axis === 'h' ? 'H' : 'noise'}`);
  return {
    id,
    statement,
    holds: broken.length === 0,
    measured: broken.length === 0 ? `all ${checked.length} series: ${checked.join('; ')}` : `${broken.length} of ${checked.length} series do not: ${broken.join('; ')}`,
    figure: '#figure-3',
  };
};

const plateauClaim = (runs: readonly RunRecord[]): Claim => {
  const id = 'snn-leaves-plateau';
  const statement = 'every spiking run learns more than the mean image (test MSE ≤ 0.8 × the mean-image predictor’s)';
  const snns = runs.filter((r) => r.kind === 'snn');
  if (snns.length === 0) return notMeasured(id, statement, '#figure-3', 'no spiking run');
  const ratios = snns.map((r) => ({ r, q: r.testMse / r.meanImageMse }));
  const worst = ratios.reduce((w, x) => (x.q > w.q ? x : w));
  const failing = ratios.filter((x) => !(x.q <= 0.8));
  return {
    id,
    statement,
    holds: failing.length === 0,
    measured:
      `${snns.length} runs; worst ${worst.r.dataset} H=${worst.r.h} latency ${worst.r.latency} noise ${worst.r.noise}: ${f4(worst.r.testMse)} = ${f4(worst.q)} × mean image` +
      (failing.length > 0 ? `; ${failing.length} above 0.8` : ''),
    figure: '#figure-3',
  };
};

const svmClaim = (svm: readonly SvmRecord[] | undefined): Claim => {
  const id = 'fig7-svm-noise';
  const statement = 'at the highest noise level, an SVM on spiking embeddings (H ≥ 16) classifies better than on the pixels';
  if (svm === undefined || svm.length === 0) return notMeasured(id, statement, '#figure-7', 'no SVM');
  const lines: string[] = [];
  let holds = true;
  let any = false;
  for (const d of [...new Set(svm.map((s) => s.dataset))].sort()) {
    const top = Math.max(...svm.filter((s) => s.dataset === d).map((s) => s.noise));
    const px = svm.find((s) => s.dataset === d && s.noise === top && s.features === 'pixels');
    const snn = svm.filter((s) => s.dataset === d && s.noise === top && s.features === 'snn' && s.h >= 16);
    if (px === undefined || snn.length === 0) continue;
    any = true;
    for (const s of snn) {
      if (!(s.accuracy > px.accuracy)) holds = false;
      lines.push(`${d} noise ${top} H=${s.h}: ${f4(s.accuracy)} vs pixels ${f4(px.accuracy)}`);
    }
  }
  if (!any) return notMeasured(id, statement, '#figure-7', 'no pixel/SNN pair at the highest noise');
  return { id, statement, holds, measured: lines.join('; '), figure: '#figure-7' };
};

const invertedClaim = (runs: readonly RunRecord[]): Claim => {
  const id = 'fig11-inverted';
  const statement = 'on inverted images (noise 0) the spiking autoencoder reconstructs better than every ANN activation pair of the same H';
  const lines: string[] = [];
  let holds = true;
  for (const s of runs.filter((r) => isFigure3Snn(r) && r.noise === 0)) {
    const anns = runs.filter((r) => r.kind === 'ann' && r.encoding === 'inverted' && r.dataset === s.dataset && r.h === s.h && r.noise === 0);
    if (anns.length === 0) continue;
    const best = anns.reduce((b, a) => (a.testMse < b.testMse ? a : b));
    if (!(s.testMse < best.testMse)) holds = false;
    lines.push(`${s.dataset} H=${s.h}: SNN ${f4(s.testMse)} vs best of ${anns.length} ANNs ${f4(best.testMse)} (${best.activations ?? '?'})`);
  }
  if (lines.length === 0) return notMeasured(id, statement, '#figure-11', 'no inverted-image ANN');
  return { id, statement, holds, measured: lines.join('; '), figure: '#figure-11' };
};

const dynamicsClaim = (dyn: readonly DynamicsRecord[] | undefined): Claim => {
  const id = 'fig8-dynamics';
  const statement =
    'as the target latency grows, hidden spikes stay early while the decoder pulses move later (pulse mean rises with latency; hidden mean moves less than a quarter as much)';
  if (dyn === undefined || dyn.length < 2) return notMeasured(id, statement, '#figures-8-10', 'fewer than two latencies');
  const d = [...dyn].sort((a, b) => a.latency - b.latency);
  const pulseRises = d.every((x, i) => i === 0 || x.meanDecoderPulseTime > d[i - 1].meanDecoderPulseTime);
  const hidden = d.map((x) => x.meanHiddenSpikeTime);
  const hiddenSpread = Math.max(...hidden) - Math.min(...hidden);
  const pulseShift = d[d.length - 1].meanDecoderPulseTime - d[0].meanDecoderPulseTime;
  return {
    id,
    statement,
    holds: pulseRises && hiddenSpread < pulseShift / 4,
    measured: d.map((x) => `latency ${x.latency}: hidden ${f4(x.meanHiddenSpikeTime)}, pulses ${f4(x.meanDecoderPulseTime)}`).join('; ') +
      `; hidden spread ${f4(hiddenSpread)}, pulse shift ${f4(pulseShift)}`,
    figure: '#figures-8-10',
  };
};

const weightsClaim = (w: readonly WeightRecord[] | undefined): Claim => {
  const id = 'fig10-weights';
  const statement = 'regular weights are on average inhibitory (mean < 0) and pulse weights excitatory (mean > 0), in both layers';
  if (w === undefined || w.length === 0) return notMeasured(id, statement, '#figures-8-10', 'no trained spiking model');
  const ok = (x: WeightRecord): boolean => x.encoderRegular < 0 && x.decoderRegular < 0 && x.encoderPulse > 0 && x.decoderPulse > 0;
  return {
    id,
    statement,
    holds: w.every(ok),
    measured: w
      .map((x) => `${x.label}: encoder regular ${f4(x.encoderRegular)}, pulse ${f4(x.encoderPulse)}; decoder regular ${f4(x.decoderRegular)}, pulse ${f4(x.decoderPulse)}`)
      .join('; '),
    figure: '#figures-8-10',
  };
};

const curveClaims = (curves: readonly CurveRecord[] | undefined): Claim[] =>
  [32, 8].map((h) => {
    const id = `curve-h${h}`;
    const statement = `MNIST H=${h}: test loss after each epoch at most ${CURVE_TOLERANCE} × the original program’s (reference README §7)`;
    const c = curves?.find((x) => x.dataset === 'mnist' && x.h === h);
    const ref = ORIGINAL_CURVES[h].filter(([e]) => c !== undefined && e <= c.testLoss.length);
    if (c === undefined || ref.length === 0) return notMeasured(id, statement, '#figure-3', `no MNIST H=${h} latency-1 noise-0 run`);
    const rows = ref.map(([e, o]) => ({ e, o, ours: c.testLoss[e - 1] }));
    return {
      id,
      statement,
      holds: rows.every((r) => r.ours <= CURVE_TOLERANCE * r.o),
      measured: rows.map((r) => `epoch ${r.e}: ${f4(r.ours)} vs ${f4(r.o)}`).join('; '),
      figure: '#figure-3',
    };
  });

/** Every claim the report checks, in the order of the paper. */
export const computeClaims = (input: ClaimsInput): Claim[] => [
  plateauClaim(input.runs),
  ...onParClaims(input.runs),
  trendClaim(input.runs, 'fig3-falls-with-h', 'reconstruction loss falls as the embedding size H grows, for SNNs and ANNs at every noise level', 'h', 'falls'),
  trendClaim(input.runs, 'fig3-rises-with-noise', 'reconstruction loss rises with the input noise, for SNNs and ANNs at every H', 'noise', 'rises'),
  ...curveClaims(input.curves),
  svmClaim(input.svm),
  dynamicsClaim(input.dynamics),
  weightsClaim(input.weights),
  invertedClaim(input.runs),
];

/** The content of `claims.json`. */
export interface ClaimsFile {
  readonly profile: string;
  readonly claims: readonly { readonly id: string; readonly statement: string; readonly holds: boolean; readonly measured: string }[];
  readonly runs: readonly RunRecord[];
}

export const claimsFile = (profile: string, claims: readonly Claim[], runs: readonly RunRecord[]): ClaimsFile => ({
  profile,
  claims: claims.map(({ id, statement, holds, measured }) => ({ id, statement, holds, measured })),
  runs,
});
