/**
 * Conformance of the alpha neuron with the reference program's single-neuron golden file
 * (`golden-alpha-neuron.json`, reference README section 2).
 *
 * Our Lambert W is exact, so spike times are compared with `spike_time_exact_lambertw`
 * (1e-12 absolute, as the README suggests); derivatives with the program's values at 1e-9
 * relative (plus 1e-15 absolute for values that are zero in one and 1e-16 in the other); causal
 * counts exactly.
 */
import * as t from 'io-ts';
import { alphaNeuron } from '../kernels/alpha.ts';
import { Count, FiniteNumber, PositiveNumber, SpikeTime } from '../io/decode.ts';
import { type ConformanceReport, check, checkExact, finish, quantity } from './compare.ts';

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

export const alphaNeuronConformance = (file: AlphaGoldenFile, name: string): ConformanceReport => {
  const spike = quantity('spike time (vs exact-W reference)', { rtol: 0, atol: 1e-12 });
  const spikeProgram = quantity('spike time (vs program, informative)', { rtol: 0, atol: 1e-6 });
  const silent = quantity('spikes / silent agree', { rtol: 0, atol: 0 });
  const dw = quantity('dSpikeTime/dWeight', { rtol: 1e-9, atol: 1e-15 });
  const dt = quantity('dSpikeTime/dInput', { rtol: 1e-9, atol: 1e-15 });
  const causal = quantity('causal count', { rtol: 0, atol: 0 });
  for (const c of file.cases) {
    const where = `case ${c.case}`;
    const r = alphaNeuron.fire(
      { decayRate: c.decay_rate, threshold: c.fire_threshold },
      c.inputs,
      c.weights,
    );
    checkExact(silent, r.spikeTime === Infinity ? 1 : 0, c.spike_time === Infinity ? 1 : 0, where);
    if (r.spikeTime !== Infinity && c.spike_time !== Infinity) {
      check(spike, r.spikeTime, c.spike_time_exact_lambertw, where);
      check(spikeProgram, r.spikeTime, c.spike_time, where);
    }
    checkExact(causal, r.causalCount, c.n_causal, where);
    for (let i = 0; i < c.n_inputs; i++) {
      check(dw, r.dSpikeTime_dWeight[i], c.d_spike_d_w[i], `${where}, input ${i}`);
      check(dt, r.dSpikeTime_dInput[i], c.d_spike_d_t[i], `${where}, input ${i}`);
    }
  }
  return finish('alpha neuron golden file', name, file.cases.length, [
    silent, spike, spikeProgram, dw, dt, causal,
  ]);
};
