/**
 * Conformance of the alpha neuron with the reference program's single-neuron golden file
 * (`golden-alpha-neuron.json`, reference README section 2), through the engine's layer kernel
 * and reverse pass, with the exact Lambert W (default) or the original program's.
 */
import * as t from 'io-ts';
import { allocLayerTape, layerForward } from '../kernels/layer.ts';
import { layerBackward } from '../kernels/layerGradient.ts';
import { Count, FiniteNumber, PositiveNumber, SpikeTime } from '../io/decode.ts';
import type { LambertWMode } from './autoencoderGolden.ts';
import {
  type ConformanceReport,
  type QuantityReport,
  check,
  checkOrExplain,
  explainedQuantity,
  finish,
  quantity,
} from './compare.ts';
import { applyReferenceLambertW } from './referenceLayer.ts';

export const AlphaGoldenCase = t.type({
  case: Count,
  n_inputs: Count,
  decay_rate: PositiveNumber,
  fire_threshold: PositiveNumber,
  inputs: t.array(SpikeTime),
  weights: t.array(FiniteNumber),
  spike_time: SpikeTime,
  d_spike_d_w: t.array(FiniteNumber),
  d_spike_d_t: t.array(FiniteNumber),
  n_causal: Count,
  spike_time_exact_lambertw: SpikeTime,
});
export type AlphaGoldenCase = t.TypeOf<typeof AlphaGoldenCase>;

export const AlphaGoldenFile = t.type({ cases: t.array(AlphaGoldenCase) });
export type AlphaGoldenFile = t.TypeOf<typeof AlphaGoldenFile>;

/** Structural problems io-ts cannot see (array lengths), as `cases[i].field: …` messages. */
export const alphaGoldenProblems = (file: AlphaGoldenFile): string[] => {
  const problems: string[] = [];
  file.cases.forEach((c, i) => {
    for (const f of ['inputs', 'weights', 'd_spike_d_w', 'd_spike_d_t'] as const) {
      if (c[f].length !== c.n_inputs) {
        problems.push(`cases[${i}].${f}: expected ${c.n_inputs} values (n_inputs), got ${c[f].length}`);
      }
    }
  });
  return problems;
};

/** What the engine computes for one case. */
export interface CaseValues {
  readonly spikeTime: number;
  readonly causalCount: number;
  readonly dSpikeTime_dWeight: Float64Array;
  readonly dSpikeTime_dInput: Float64Array;
}

/**
 * One case through the engine's layer kernel and reverse pass (a layer of one neuron, error 1,
 * no clipping, no penalty: the weight gradient is ∂t/∂w and the input error ∂t/∂t_i), with the
 * exact Lambert W or the original program's.
 */
export const evaluateCase = (c: AlphaGoldenCase, mode: LambertWMode): CaseValues => {
  const n = c.n_inputs;
  const lt = allocLayerTape(n, 1);
  const weights = Float64Array.from(c.weights);
  lt.inputTimes.set(c.inputs);
  layerForward(lt, weights, c.decay_rate, c.fire_threshold);
  if (mode === 'reference') applyReferenceLambertW(lt, weights, c.decay_rate, c.fire_threshold);
  const dSpikeTime_dWeight = new Float64Array(n);
  const dSpikeTime_dInput = new Float64Array(n);
  const p = { decayRate: c.decay_rate, clipDerivative: 0, clipGradient: 0, penaltyNoSpike: 0 };
  layerBackward(dSpikeTime_dWeight, dSpikeTime_dInput, lt, weights, Float64Array.of(1), p);
  return { spikeTime: lt.post.spikeTime[0], causalCount: lt.post.causalCount[0], dSpikeTime_dWeight, dSpikeTime_dInput };
};

/**
 * Spike times and derivatives against the program's values at 1e-12 absolute and 1e-10 relative
 * (plus 1e-15 absolute for values that are zero in one and 1e-16 in the other), causal counts
 * exactly. In exact mode also against the file's exact-W spike times (1e-12), and a value that
 * only the original's approximate W reproduces is reported as explained.
 */
export const alphaNeuronConformance = (
  file: AlphaGoldenFile,
  name: string,
  opts: { readonly lambertW?: LambertWMode } = {},
): ConformanceReport => {
  const mode = opts.lambertW ?? 'exact';
  const spike = quantity('spike time (vs program)', { rtol: 0, atol: 1e-12 });
  const spikeExact = quantity('spike time (vs exact-W reference)', { rtol: 0, atol: 1e-12 });
  const silent = quantity('spikes / silent agree', { rtol: 0, atol: 0 });
  const dw = quantity('dSpikeTime/dWeight', { rtol: 1e-10, atol: 1e-15 });
  const dt = quantity('dSpikeTime/dInput', { rtol: 1e-10, atol: 1e-15 });
  const causal = quantity('causal count', { rtol: 0, atol: 0 });
  const explained = mode === 'exact' ? explainedQuantity() : null;
  for (const c of file.cases) {
    const where = `case ${c.case}`;
    const r = evaluateCase(c, mode);
    const alt = mode === 'exact' ? evaluateCase(c, 'reference') : undefined;
    const cmp = (q: QuantityReport, x: number, y: number | undefined, want: number, at: string) =>
      checkOrExplain(q, explained, x, y, want, at);
    const flag = (t: number) => (t === Infinity ? 1 : 0);
    cmp(silent, flag(r.spikeTime), alt && flag(alt.spikeTime), flag(c.spike_time), where);
    if (r.spikeTime !== Infinity && c.spike_time !== Infinity) {
      cmp(spike, r.spikeTime, alt?.spikeTime, c.spike_time, where);
      if (mode === 'exact') check(spikeExact, r.spikeTime, c.spike_time_exact_lambertw, where);
    }
    cmp(causal, r.causalCount, alt?.causalCount, c.n_causal, where);
    for (let i = 0; i < c.n_inputs; i++) {
      cmp(dw, r.dSpikeTime_dWeight[i], alt?.dSpikeTime_dWeight[i], c.d_spike_d_w[i], `${where}, input ${i}`);
      cmp(dt, r.dSpikeTime_dInput[i], alt?.dSpikeTime_dInput[i], c.d_spike_d_t[i], `${where}, input ${i}`);
    }
  }
  const rows = mode === 'exact' ? [silent, spike, spikeExact, dw, dt, causal] : [silent, spike, dw, dt, causal];
  return finish(`alpha neuron golden file (Lambert W: ${mode})`, name, file.cases.length, explained === null ? rows : [...rows, explained]);
};
