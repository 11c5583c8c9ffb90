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
import type { LayerTape } from '../kernels/layer.ts';
import {
  type ConformanceReport,
  type QuantityReport,
  checkOrExplain,
  explainedQuantity,
  finish,
  quantity,
} from './compare.ts';
import { applyReferenceLambertW } from './referenceLayer.ts';

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

/** Which Lambert W the engine runs with: its exact one, or the original program's approximation. */
export type LambertWMode = 'exact' | 'reference';

export interface AutoencoderConformanceOptions {
  /** Tolerances for an exact Lambert W on files with near-tangential crossings (README §5). */
  readonly loose?: boolean;
  /**
   * 'exact' (default): the engine as it trains; a value outside tolerance that the same engine
   * with the original's Lambert W reproduces is reported as explained, not failed.
   * 'reference': the engine with the original's Lambert W, compared strictly.
   */
  readonly lambertW?: LambertWMode;
}

/** What the engine computes for one example. */
interface ExampleValues {
  readonly hidden: Float64Array;
  readonly output: Float64Array;
  readonly loss: number;
  /** The per-example gradient, laid out as `net.params` (weights, then pulses). */
  readonly grad: Float64Array;
}

/** What the engine computes for one stored state: its examples, and the network after the Adam step. */
interface StateValues {
  readonly net: Network;
  readonly examples: readonly ExampleValues[];
  readonly afterAdam: Network | null;
}

/** The forward-pass hook that puts the original's Lambert W into each layer, or none. */
export const lambertWHook = (net: Network, mode: LambertWMode) =>
  mode === 'reference'
    ? (lt: LayerTape, l: number): void => void applyReferenceLambertW(lt, net.weights[l], net.decayRate, net.threshold)
    : undefined;

const evaluateState = (
  file: AutoencoderGoldenFile,
  n: AutoencoderGoldenFile['networks'][number],
  s: GoldenStateT,
  mode: LambertWMode,
): StateValues => {
  const h = file.hyperparameters;
  const imageByIndex = new Map(file.images.map((im) => [im.test_index, im.input_times]));
  const objective = autoencoderObjective(h.latency_ae, h.penalty_output_spike_time);
  const backParams = { clipDerivative: h.clip_derivative, clipGradient: h.clip_gradient, penaltyNoSpike: h.penalty_no_spike };
  const net = networkOfState(h, n.layer_sizes, n.n_pulses, s);
  const tape = allocTape(net);
  const hook = lambertWHook(net, mode);
  const grad = new Float64Array(net.params.length);
  const gv = gradientViews(net, grad);
  /** Adds the gradient of one image to `grad`. */
  const exampleGradient = (input: Float64Array): Float64Array => {
    const out = forwardInto(tape, net, input, hook);
    objective.errorInto(tape.deltaOut, out, input);
    backwardInto(gv, tape, net, backParams);
    return out;
  };
  const inputOf = (i: number) => Float64Array.from(imageByIndex.get(i) ?? []);
  const examples = s.examples.map((e) => {
    grad.fill(0);
    const input = inputOf(e.test_index);
    const out = exampleGradient(input);
    return {
      hidden: tape.layers[0].post.spikeTime.slice(),
      output: out.slice(),
      loss: objective.lossOf(out, input),
      grad: grad.slice(),
    };
  });
  let afterAdam: Network | null = null;
  if (s.adam_step !== null) {
    const step = s.adam_step;
    afterAdam = networkOfState(h, n.layer_sizes, n.n_pulses, s);
    grad.fill(0);
    for (const ti of step.batch_test_indices) exampleGradient(inputOf(ti));
    adamStep(afterAdam.params, afterAdam.weightCount, grad, step.batch_test_indices.length, allocAdamState(net.params.length), {
      learningRate: h.learning_rate,
      learningRatePulses: h.learning_rate_pulses,
      beta1: h.adam_beta1,
      beta2: h.adam_beta2,
      epsilon: h.adam_epsilon,
    });
  }
  return { net, examples, afterAdam };
};

/** Row sums, column sums, sum of squares and non-zero count of each layer's weight gradient. */
interface GradientSummary {
  readonly weights: readonly Float64Array[];
  readonly pulses: readonly Float64Array[];
  readonly rows: readonly Float64Array[];
  readonly cols: readonly Float64Array[];
  readonly sumSq: readonly number[];
  readonly nnz: readonly number[];
}

const summarise = (net: Network, grad: Float64Array): GradientSummary => {
  const gv = gradientViews(net, grad);
  const rows: Float64Array[] = [];
  const cols: Float64Array[] = [];
  const sumSq: number[] = [];
  const nnz: number[] = [];
  gv.weights.forEach((gw, l) => {
    const nOut = net.layerSizes[l + 1];
    const nIn = gw.length / nOut;
    const r = new Float64Array(nOut);
    const c = new Float64Array(nIn);
    let sq = 0;
    let nz = 0;
    for (let k = 0; k < nOut; k++) {
      for (let j = 0; j < nIn; j++) {
        const v = gw[k * nIn + j];
        r[k] += v;
        c[j] += v;
        sq += v * v;
        if (v !== 0) nz++;
      }
    }
    rows.push(r);
    cols.push(c);
    sumSq.push(sq);
    nnz.push(nz);
  });
  return { weights: gv.weights, pulses: gv.pulses, rows, cols, sumSq, nnz };
};

export const autoencoderConformance = (
  file: AutoencoderGoldenFile,
  name: string,
  opts: AutoencoderConformanceOptions = {},
): ConformanceReport => {
  const mode = opts.lambertW ?? 'exact';
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
  // In exact mode, the same engine with the original's W explains near-tangential differences.
  const explained = mode === 'exact' ? explainedQuantity() : null;
  let cases = 0;
  for (const n of file.networks) {
    for (const s of n.states) {
      const ours = evaluateState(file, n, s, mode);
      const alt = mode === 'exact' ? evaluateState(file, n, s, 'reference') : null;
      const net = ours.net;
      s.examples.forEach((e, ei) => {
        cases++;
        const where = `${n.name} ${s.state} image ${e.test_index}`;
        const a = ours.examples[ei];
        const b = alt?.examples[ei];
        const cmp = (qq: QuantityReport, x: number, y: number | undefined, want: number, at: string) =>
          checkOrExplain(qq, explained, x, y, want, at);
        const compareTimes = (qq: QuantityReport, x: Float64Array, y: Float64Array | undefined, theirs: number[], what: string) =>
          theirs.forEach((tt, k) => {
            const at = `${where} ${what} ${k}`;
            const silentY = y === undefined ? undefined : y[k] === Infinity ? 1 : 0;
            cmp(q.silent, x[k] === Infinity ? 1 : 0, silentY, tt === Infinity ? 1 : 0, at);
            if (tt !== Infinity && x[k] !== Infinity) cmp(qq, x[k], y?.[k], tt, at);
          });
        compareTimes(q.hidden, a.hidden, b?.hidden, e.hidden_times, 'hidden');
        compareTimes(q.output, a.output, b?.output, e.output_times, 'output');
        cmp(q.loss, a.loss, b?.loss, e.loss, where);
        const sa = summarise(net, a.grad);
        const sb = b === undefined ? undefined : summarise(net, b.grad);
        for (let l = 0; l < net.weights.length; l++) {
          const nOut = net.layerSizes[l + 1];
          const nIn = sa.weights[l].length / nOut;
          const full = e.d_weights?.[l];
          if (full !== undefined) {
            for (let k = 0; k < nOut; k++) {
              for (let j = 0; j < nIn; j++) {
                const want = full[k]?.[j];
                const i = k * nIn + j;
                if (want !== undefined) cmp(q.dW, sa.weights[l][i], sb?.weights[l][i], want, `${where} layer ${l} [${k}][${j}]`);
              }
            }
          }
          sa.rows[l].forEach((v, k) => cmp(q.rows, v, sb?.rows[l][k], e.d_weights_row_sums[l][k], `${where} layer ${l} row ${k}`));
          sa.cols[l].forEach((v, j) => cmp(q.cols, v, sb?.cols[l][j], e.d_weights_col_sums[l][j], `${where} layer ${l} column ${j}`));
          cmp(q.sumSq, sa.sumSq[l], sb?.sumSq[l], e.d_weights_sum_sq[l], `${where} layer ${l}`);
          cmp(q.nnz, sa.nnz[l], sb?.nnz[l], e.d_weights_nnz[l], `${where} layer ${l}`);
          sa.pulses[l].forEach((v, p) => cmp(q.dP, v, sb?.pulses[l][p], e.d_pulses[l][p], `${where} pulses ${l}[${p}]`));
        }
      });
      if (s.adam_step !== null && ours.afterAdam !== null) {
        const step = s.adam_step;
        const after = ours.afterAdam;
        const afterAlt = alt?.afterAdam ?? undefined;
        const where = `${n.name} ${s.state} Adam step`;
        step.weights_after.forEach((m, l) =>
          m.flat().forEach((v, i) =>
            checkOrExplain(q.adamW, explained, after.weights[l][i], afterAlt?.weights[l][i], v, `${where} layer ${l} [${i}]`),
          ),
        );
        after.pulses.forEach((p, l) =>
          p.forEach((v, i) =>
            checkOrExplain(q.adamP, explained, v, afterAlt?.pulses[l][i], step.pulses_after[l][i], `${where} pulses ${l}[${i}]`),
          ),
        );
      }
    }
  }
  const rows: QuantityReport[] = Object.values(q);
  return finish(`autoencoder golden file (Lambert W: ${mode})`, name, cases, explained === null ? rows : [...rows, explained]);
};
