/**
 * Bring your own neuron model and check it with the exported law suite.
 *
 * The model here is the non-leaky integrate-and-fire neuron with exponentially decaying synaptic
 * current (Mostafa 2017, "Supervised learning based on temporal coding in spiking neural
 * networks"). Each input adds a kernel that rises and saturates:
 *
 *     V(t) = Σ_{t_i < t} w_i · (1 − e^(−K (t − t_i)))
 *
 * Relative to the latest input time t_k, with S = Σ w_i and P = Σ w_i e^(−K (t_k − t_i)),
 * V(t) = S − P v where v = e^(−K (t − t_k)). V is monotone between inputs, so it crosses θ in
 * [t_k, t_next] iff P > 0 and V(t_next) ≥ θ, at v* = (S − θ)/P, t* = t_k − ln(v*)/K. With
 * q_i = e^(−K (t* − t_i)) and V'(t*) = K (S − θ):
 *
 *     ∂t*∂w_i = −(1 − q_i) / (K (S − θ)),   ∂t*∂t_i = w_i q_i / (S − θ)
 *
 * Run: `npx tsx examples/custom-neuron-laws.ts` (exit code 0 when every law holds).
 */
import { pathToFileURL } from 'node:url';
import { NO_SPIKE, type NeuronModel, fire } from 'spikeline';
import { type LawReport, checkLaws, neuronModelLaws } from 'spikeline/laws';

export const integrateAndFireModel: NeuronModel = {
  name: 'non-leaky integrate-and-fire',
  monotoneInWeights: true, // ∂V/∂w_i = 1 − q_i ≥ 0 and V'(t*) > 0
  potential: (params, inputTimes, weights, t) => {
    let v = 0;
    for (let i = 0; i < inputTimes.length; i++) {
      const s = t - inputTimes[i];
      if (s > 0) v -= weights[i] * Math.expm1(-params.decayRate * s);
    }
    return v;
  },
  fireSortedInto: (out, { decayRate: k, threshold }, times, weights, n) => {
    out.dSpikeTime_dWeight.fill(0, 0, n);
    out.dSpikeTime_dInput.fill(0, 0, n);
    out.spikeTime = NO_SPIKE;
    let sum = 0;
    let decayed = 0;
    let count = 0;
    for (; count < n && times[count] !== NO_SPIKE; count++) {
      const tk = times[count];
      if (count > 0) decayed *= Math.exp(-k * (tk - times[count - 1]));
      sum += weights[count];
      decayed += weights[count];
      const tNext = count + 1 < n ? times[count + 1] : NO_SPIKE;
      const vNext = tNext === NO_SPIKE ? 0 : Math.exp(-k * (tNext - tk));
      if (decayed > 0 && sum - decayed * vNext >= threshold) {
        const v = Math.min(1, (sum - threshold) / decayed);
        out.spikeTime = Math.min(tNext, tk - Math.log(v) / k);
        count++;
        break;
      }
    }
    out.causalCount = count;
    if (out.spikeTime === NO_SPIKE) return out;
    const excess = sum - threshold;
    for (let i = 0; i < count; i++) {
      const s = out.spikeTime - times[i];
      const q = Math.exp(-k * s);
      out.dSpikeTime_dWeight[i] = Math.expm1(-k * s) / (k * excess); // −(1 − q)/(K (S − θ))
      out.dSpikeTime_dInput[i] = (weights[i] * q) / excess;
    }
    return out;
  },
};

/** Runs the law suite on the model above and prints one line per law. */
export const main = (log: (line: string) => void = console.log): LawReport[] => {
  const r = fire(integrateAndFireModel, { decayRate: 1, threshold: 1 }, [0, 0.2, Infinity], [1, 1.5, 2]);
  log(`one neuron: spike at ${r.spikeTime.toFixed(4)}, ${r.causalCount} causal inputs`);
  const reports = checkLaws(neuronModelLaws(integrateAndFireModel), { numRuns: 100, seed: 2017 });
  for (const report of reports) {
    log(`${report.passed ? 'ok  ' : 'FAIL'} ${report.name} (${report.numRuns} runs, ${report.numSkips} skipped)`);
    if (report.message !== null) log(report.message);
  }
  return reports;
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const reports = main();
  process.exitCode = reports.every((r) => r.passed) ? 0 : 1;
}
