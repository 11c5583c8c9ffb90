/**
 * The reverse pass's two kernels on the engine bench's workload: the tapes of the H=32 network's
 * forward passes over given examples, every layer's reverse pass run once by the scalar loop and
 * once by the WebAssembly SIMD kernel, interleaved per repetition (after one warm-up repetition),
 * with the ratio per repetition: the figure that justified the SIMD kernel, measured so that the
 * machine's load of the day hits both sides alike. Both must give the same gradient bit for bit;
 * the bench checks it.
 */
import type { LayerBackwardKernel } from '../kernels/layerGradient.ts';
import { layerBackwardRangeScalar } from '../kernels/layerGradient.ts';
import { layerBackwardRangeSimd } from '../kernels/layerGradientSimd.ts';
import { gradientViews } from '../model/backward.ts';
import { forwardInto } from '../model/forward.ts';
import type { Network } from '../model/network.ts';
import { type Tape, allocTape } from '../model/tape.ts';
import type { ExampleSet } from '../train/exampleSet.ts';
import type { Objective } from '../train/objective.ts';
import type { TrainHyper } from '../train/trainStep.ts';
import { type Spread, pairedRatios, seconds, spreadOf } from './stats.ts';

export interface ReversePassBenchResult {
  /** Median over repetitions of (scalar time / SIMD time) of the output layer's reverse pass. */
  readonly reversePassSimdSpeedup: number;
  readonly spread: Readonly<Record<string, Spread>>;
}

/** Forward passes of `count` examples, each on its own tape, with the output error filled in. */
const tapesOf = (net: Network, objective: Objective, set: ExampleSet, count: number): Tape[] => {
  const input = new Float64Array(net.layerSizes[0]);
  const target = new Float64Array(net.layerSizes[net.layerSizes.length - 1]);
  return Array.from({ length: count }, (_, i) => {
    const tape = allocTape(net);
    const out = forwardInto(tape, net, set.inputInto(input, i));
    objective.errorInto(tape.deltaOut, out, set.targetInto(target, i));
    return tape;
  });
};

export const runReversePassBench = (
  net: Network,
  objective: Objective,
  hyper: TrainHyper,
  set: ExampleSet,
  count: number,
  repeats: number,
): ReversePassBenchResult => {
  const tapes = tapesOf(net, objective, set, Math.min(count, set.count));
  const out = tapes[0].layers.length - 1;
  const p = { ...hyper, decayRate: net.decayRate };
  const grads = [new Float64Array(net.params.length), new Float64Array(net.params.length)];
  const deltaIn = new Float64Array(tapes[0].layers[out].nIn);
  const pass = (kernel: LayerBackwardKernel, grad: Float64Array) => () => {
    const g = gradientViews(net, grad).weights[out];
    for (const tape of tapes) {
      const layer = tape.layers[out];
      deltaIn.fill(0);
      kernel(g, deltaIn, layer, net.weights[out], tape.deltaOut, p, 0, layer.nOut);
    }
  };
  const scalar: number[] = [];
  const simd: number[] = [];
  for (let r = 0; r <= repeats; r++) {
    grads[0].fill(0);
    grads[1].fill(0);
    const a = seconds(pass(layerBackwardRangeScalar, grads[0]));
    const b = seconds(pass(layerBackwardRangeSimd, grads[1]));
    if (!grads[0].every((x, i) => Object.is(x, grads[1][i]))) {
      throw new Error('reverse-pass bench: the SIMD kernel and the scalar loop disagree');
    }
    if (r === 0) continue; // warm-up
    scalar.push(a);
    simd.push(b);
  }
  const ratio = spreadOf(pairedRatios(scalar, simd));
  return { reversePassSimdSpeedup: ratio.median, spread: { reversePassSimdSpeedup: ratio } };
};
