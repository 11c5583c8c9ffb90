/**
 * A network's working copy in this thread's WebAssembly kernel memory (`wasmKernel.ts`), for the
 * span of one synchronous operation (a training step, an evaluation): the SIMD kernels read its
 * weights in place instead of copying them in for every example, and add to a gradient that
 * lives there too, instead of copying it in and out for every example.
 *
 * {@link residentCopy} claims the kernel memory's resident region, copies the network's
 * parameters into it and zeroes the gradient part (and, for a training step, copies the Adam
 * moments in, so that `adamResident.ts`'s SIMD Adam updates them there); the copy is valid until
 * the next claim on this thread (the next operation), so no caller keeps it beyond its own call. Results are the same bit
 * for bit as on the network itself: the same kernels, the same values, only where they are read.
 *
 * ## Example
 * ```ts
 * const work = residentCopy(net, true);          // params copied, gradient zeroed
 * forwardInto(tape, work.net, input);            // the output layer's scan reads work.net in place
 * ```
 */
import { zeroResident } from '../kernels/adamResident.ts';
import { kernelMemory } from '../kernels/wasmKernel.ts';
import { type GradientViews, gradientViews } from './backward.ts';
import { type Network, networkFromParams } from './network.ts';

export interface ResidentCopy {
  /** The network over the resident parameters (same shape and neuron model). */
  readonly net: Network;
  /** The resident summed gradient, laid out like params (length 0 when not asked for). */
  readonly grad: Float64Array;
  readonly gradViews: GradientViews;
  /** The resident Adam moments, laid out like params (length 0 when not asked for). */
  readonly m: Float64Array;
  readonly v: Float64Array;
}

/** Adam's moments to copy in beside the parameters (an `AdamState`'s m and v). */
export interface Moments {
  readonly m: Float64Array;
  readonly v: Float64Array;
}

/** The last copy made on this thread, reused while the claim and the network's shape hold. */
let last: { readonly region: Float64Array; readonly source: Network; readonly copy: ResidentCopy } | undefined;

/**
 * Claims the resident region for a copy of `net`'s parameters (and, with `withGradient`, a zeroed
 * gradient of the same layout; with `moments`, a copy of them too) and fills it. Allocation-free
 * when the previous claim on this thread was for the same network and parts.
 */
export const residentCopy = (net: Network, withGradient: boolean, moments?: Moments): ResidentCopy => {
  const n = net.params.length;
  const g = withGradient ? n : 0;
  const a = moments === undefined ? 0 : n;
  const region = kernelMemory().claimResident(n + g + 2 * a);
  let copy: ResidentCopy;
  if (last !== undefined && last.region === region && last.source === net) copy = last.copy;
  else {
    const rnet = networkFromParams(net, region.subarray(0, n));
    const grad = region.subarray(n, n + g);
    copy = {
      net: rnet,
      grad,
      gradViews: gradientViews(rnet, grad),
      m: region.subarray(n + g, n + g + a),
      v: region.subarray(n + g + a, n + g + 2 * a),
    };
    last = { region, source: net, copy };
  }
  copy.net.params.set(net.params);
  zeroResident(copy.grad);
  if (moments !== undefined) {
    copy.m.set(moments.m);
    copy.v.set(moments.v);
  }
  return copy;
};
