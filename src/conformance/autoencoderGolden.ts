/**
 * Conformance of the network engine with the reference program's autoencoder golden file
 * (`golden-autoencoder.json`, reference README sections 3–5): for every network and state, the
 * hidden and output spike times, the loss, the per-example gradients (full where stored; row sums,
 * column sums, sum of squares and non-zero counts always), the pulse gradients, and one Adam step
 * from a fresh optimiser. Tolerances are those the README suggests (section 5).
 */
import * as t from 'io-ts';
import { Count, FiniteNumber, PositiveNumber, SpikeTime } from '../io/decode.ts';
import { backwardInto, gradientViews } from '../model/backward.ts';
import { forwardInto } from '../model/forward.ts';
import { type Network, emptyNetwork } from '../model/network.ts';
import { allocTape } from '../model/tape.ts';
import { adamStep, allocAdamState } from '../train/adam.ts';
import { autoencoderObjective } from '../train/objective.ts';
import { type ConformanceReport, check, checkExact, finish, quantity } from './compare.ts';

const Matrix = t.array(t.array(FiniteNumber));

const GoldenExample = t.intersection([
  t.type({
    test_index: Count,
    hidden_times: t.array(SpikeTime),
    output_times: t.array(SpikeTime),
    loss: FiniteNumber,
    d_pulses: Matrix,
    d_weights_row_sums: Matrix,
    d_weights_col_sums: Matrix,
    d_weights_sum_sq: t.array(FiniteNumber),
    d_weights_nnz: t.array(Count),
  }),
  t.partial({ d_weights: t.array(Matrix) }),
]);

const AdamStepRecord = t.type({
  batch_test_indices: t.array(Count),
  weights_after: t.array(Matrix),
  pulses_after: Matrix,
});

const GoldenState = t.type({
  state: t.string,
  weights: t.array(Matrix),
  pulses: Matrix,
  examples: t.array(GoldenExample),
  adam_step: t.union([t.null, AdamStepRecord]),
});

export const AutoencoderGoldenFile = t.type({
  hyperparameters: t.type({
    decay_rate: PositiveNumber,
    fire_threshold: PositiveNumber,
    latency_ae: FiniteNumber,
    learning_rate: PositiveNumber,
    learning_rate_pulses: PositiveNumber,
    penalty_no_spike: FiniteNumber,
    clip_derivative: FiniteNumber,
    clip_gradient: FiniteNumber,
    penalty_output_spike_time: FiniteNumber,
    adam_beta1: PositiveNumber,
    adam_beta2: PositiveNumber,
    adam_epsilon: PositiveNumber,
    batch_size_for_training_state: Count,
  }),
  images: t.array(t.type({ test_index: Count, input_times: t.array(SpikeTime) })),
  networks: t.array(
    t.type({
      name: t.string,
      layer_sizes: t.array(Count),
      n_pulses: Count,
      states: t.array(GoldenState),
    }),
  ),
});
export type AutoencoderGoldenFile = t.TypeOf<typeof AutoencoderGoldenFile>;
type GoldenStateT = t.TypeOf<typeof GoldenState>;

/** Shape problems io-ts cannot see, as `networks[i]...: …` messages. */
export const autoencoderGoldenProblems = (file: AutoencoderGoldenFile): string[] => {
  const problems: string[] = [];
  file.networks.forEach((n, ni) => {
    const at = `networks[${ni}]`;
    if (n.layer_sizes.length !== 3) {
      problems.push(`${at}.layer_sizes: expected [inputs, hidden, outputs], got ${n.layer_sizes.length} layers`);
      return;
    }
    const [nIn, nHid, nOut] = n.layer_sizes;
    const widths = [nIn + n.n_pulses, nHid + n.n_pulses];
    n.states.forEach((s, si) => {
      const st = `${at}.states[${si}]`;
      [nHid, nOut].forEach((rows, l) => {
        if (s.weights[l]?.length !== rows) problems.push(`${st}.weights[${l}]: expected ${rows} rows`);
        else if (s.weights[l].some((r) => r.length !== widths[l])) {
          problems.push(`${st}.weights[${l}]: expected rows of ${widths[l]} values`);
        }
        if ((s.pulses[l]?.length ?? -1) !== n.n_pulses) {
          problems.push(`${st}.pulses[${l}]: expected ${n.n_pulses} values`);
        }
      });
      s.examples.forEach((e, ei) => {
        const ex = `${st}.examples[${ei}]`;
        if (!file.images.some((im) => im.test_index === e.test_index)) {
          problems.push(`${ex}.test_index: no image with test_index ${e.test_index}`);
        }
        if (e.hidden_times.length !== nHid) problems.push(`${ex}.hidden_times: expected ${nHid} values`);
        if (e.output_times.length !== nOut) problems.push(`${ex}.output_times: expected ${nOut} values`);
      });
    });
  });
  file.images.forEach((im, i) => {
    const n0 = file.networks[0]?.layer_sizes[0];
    if (n0 !== undefined && im.input_times.length !== n0) {
      problems.push(`images[${i}].input_times: expected ${n0} values, got ${im.input_times.length}`);
    }
  });
  return problems;
};

const networkOfState = (
  h: AutoencoderGoldenFile['hyperparameters'],
  layerSizes: number[],
  nPulses: number,
  s: GoldenStateT,
): Network => {
  const net = emptyNetwork({ layerSizes, nPulses, decayRate: h.decay_rate, threshold: h.fire_threshold });
  s.weights.forEach((w, l) => net.weights[l].set(w.flat()));
  net.pulses.forEach((p, l) => p.set(s.pulses[l]));
  return net;
};

/** The network of one stored state (e.g. H32's "trained"), by network and state name. */
export const goldenNetwork = (
  file: AutoencoderGoldenFile,
  networkName: string,
  stateName: string,
): Network | null => {
  const n = file.networks.find((x) => x.name === networkName);
  const s = n?.states.find((x) => x.state === stateName);
  return n && s ? networkOfState(file.hyperparameters, n.layer_sizes, n.n_pulses, s) : null;
};

export interface AutoencoderConformanceOptions {
  /** Tolerances for an exact Lambert W on files with near-tangential crossings (README §5). */
  readonly loose?: boolean;
}

export const autoencoderConformance = (
  file: AutoencoderGoldenFile,
  name: string,
  opts: AutoencoderConformanceOptions = {},
): ConformanceReport => {
  const h = file.hyperparameters;
  const rt = opts.loose ? 1e-8 : 1e-12;
  const rg = opts.loose ? 1e-6 : 1e-10;
  const q = {
    silent: quantity('spikes / silent agree', { rtol: 0, atol: 0 }),
    hidden: quantity('hidden spike times', { rtol: rt, atol: 0 }),
    output: quantity('output spike times', { rtol: rt, atol: 0 }),
    loss: quantity('loss', { rtol: opts.loose ? 1e-10 : 1e-12, atol: 0 }),
    dW: quantity('weight gradients (full)', { rtol: rg, atol: 1e-300 }),
    rows: quantity('weight gradient row sums', { rtol: rg, atol: 1e-10 }),
    cols: quantity('weight gradient column sums', { rtol: rg, atol: 1e-10 }),
    sumSq: quantity('weight gradient sum of squares', { rtol: rg, atol: 0 }),
    nnz: quantity('weight gradient non-zeros', { rtol: 0, atol: 0 }),
    dP: quantity('pulse gradients', { rtol: rg, atol: 1e-12 }),
    adamW: quantity('weights after Adam step', { rtol: 0, atol: opts.loose ? 1e-9 : 1e-12 }),
    adamP: quantity('pulses after Adam step', { rtol: 0, atol: opts.loose ? 1e-9 : 1e-12 }),
  };
  const imageByIndex = new Map(file.images.map((im) => [im.test_index, im.input_times]));
  const objective = autoencoderObjective(h.latency_ae, h.penalty_output_spike_time);
  const backParams = {
    clipDerivative: h.clip_derivative,
    clipGradient: h.clip_gradient,
    penaltyNoSpike: h.penalty_no_spike,
  };
  let cases = 0;
  for (const n of file.networks) {
    for (const s of n.states) {
      const net = networkOfState(h, n.layer_sizes, n.n_pulses, s);
      const tape = allocTape(net);
      const grad = new Float64Array(net.params.length);
      const gv = gradientViews(net, grad);
      /** Gradient of one image, into a zeroed `grad`. */
      const exampleGradient = (input: number[]): Float64Array => {
        const out = forwardInto(tape, net, input);
        objective.errorInto(tape.deltaOut, out, Float64Array.from(input));
        backwardInto(gv, tape, net, backParams);
        return out;
      };
      for (const e of s.examples) {
        cases++;
        const where = `${n.name} ${s.state} image ${e.test_index}`;
        const input = imageByIndex.get(e.test_index) ?? [];
        grad.fill(0);
        const out = exampleGradient(input);
        const hid = tape.layers[0].post.spikeTime;
        const compareTimes = (qq: typeof q.hidden, ours: Float64Array, theirs: number[], what: string) =>
          theirs.forEach((tt, k) => {
            checkExact(q.silent, ours[k] === Infinity ? 1 : 0, tt === Infinity ? 1 : 0, `${where} ${what} ${k}`);
            if (tt !== Infinity && ours[k] !== Infinity) check(qq, ours[k], tt, `${where} ${what} ${k}`);
          });
        compareTimes(q.hidden, hid, e.hidden_times, 'hidden');
        compareTimes(q.output, out, e.output_times, 'output');
        check(q.loss, objective.lossOf(out, Float64Array.from(input)), e.loss, where);
        for (let l = 0; l < net.weights.length; l++) {
          const gw = gv.weights[l];
          const nIn = gw.length / net.layerSizes[l + 1];
          const colSums = new Float64Array(nIn);
          let sumSq = 0;
          let nnz = 0;
          for (let k = 0; k < net.layerSizes[l + 1]; k++) {
            let rowSum = 0;
            for (let j = 0; j < nIn; j++) {
              const v = gw[k * nIn + j];
              rowSum += v;
              colSums[j] += v;
              sumSq += v * v;
              if (v !== 0) nnz++;
              const full = e.d_weights?.[l]?.[k]?.[j];
              if (full !== undefined) check(q.dW, v, full, `${where} layer ${l} [${k}][${j}]`);
            }
            check(q.rows, rowSum, e.d_weights_row_sums[l][k], `${where} layer ${l} row ${k}`);
          }
          colSums.forEach((v, j) => check(q.cols, v, e.d_weights_col_sums[l][j], `${where} layer ${l} column ${j}`));
          check(q.sumSq, sumSq, e.d_weights_sum_sq[l], `${where} layer ${l}`);
          checkExact(q.nnz, nnz, e.d_weights_nnz[l], `${where} layer ${l}`);
          gv.pulses[l].forEach((v, p) => check(q.dP, v, e.d_pulses[l][p], `${where} pulses ${l}[${p}]`));
        }
      }
      if (s.adam_step !== null) {
        const step = s.adam_step;
        grad.fill(0);
        for (const ti of step.batch_test_indices) exampleGradient(imageByIndex.get(ti) ?? []);
        const adam = allocAdamState(net.params.length);
        adamStep(net.params, net.weightCount, grad, step.batch_test_indices.length, adam, {
          learningRate: h.learning_rate,
          learningRatePulses: h.learning_rate_pulses,
          beta1: h.adam_beta1,
          beta2: h.adam_beta2,
          epsilon: h.adam_epsilon,
        });
        const where = `${n.name} ${s.state} Adam step`;
        step.weights_after.forEach((m, l) =>
          m.flat().forEach((v, i) => check(q.adamW, net.weights[l][i], v, `${where} layer ${l} [${i}]`)),
        );
        net.pulses.forEach((p, l) =>
          p.forEach((v, i) => check(q.adamP, v, step.pulses_after[l][i], `${where} pulses ${l}[${i}]`)),
        );
      }
    }
  }
  return finish('autoencoder golden file', name, cases, Object.values(q));
};
