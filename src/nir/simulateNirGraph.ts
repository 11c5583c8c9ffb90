/**
 * A small time-stepped simulator of feed-forward NIR graphs of Input, Linear/Affine (zero bias),
 * CubaLIF and Output nodes, with time-to-first-spike read-out: for each CubaLIF node, the time
 * of each neuron's first spike (∞ if it stays silent). It reads the graph's own parameters and
 * integrates its ODEs (primitives.md)
 *
 *     τ_syn dI/dt = −I + w_in · (W S)(t)        τ_mem dv/dt = (v_leak − v) + R I
 *
 * on a fixed grid of step `dt`. It is independent of spikeline's event kernel (no Lambert W, no
 * sums A, B): the state (I, v) is advanced by the exact linear propagator of these ODEs over
 * each step, split at the arrival of input spikes (each adds w_in · W / τ_syn to I at its own
 * time, as in precise-timing simulators such as NEST's *_ps models); v is checked against
 * v_threshold at every grid point and arrival, and a spike's time is the linear interpolation of
 * the crossing between the last two checks, so it lies in the step where v crossed. A crossing
 * that rises and falls back within one step is missed, as in any time-stepped simulator.
 *
 * A neuron stops being simulated once it spiked, or when no further input comes and its
 * potential can only fall (or at `maxTime`).
 *
 * ## Example
 * ```ts
 * const times = simulateNirGraph(nirGraphOfNetwork(net), { input: encodedImage }, { dt: 1e-3 });
 * times.lif0 // first-spike times of the first hidden layer
 * ```
 */
import type { NirArray, NirGraph, NirNode } from './graph.ts';
import { isNirArray } from './graph.ts';

export interface SimulationOptions {
  /** The grid step, in the graph's time unit. */
  readonly dt: number;
  /** No neuron is simulated past this time (default: last input + 1000 τ_mem). */
  readonly maxTime?: number;
}

const param = (name: string, n: NirNode, key: string, size: number, fallback?: number): Float64Array => {
  const v = n.params[key];
  if (!isNirArray(v)) {
    if (fallback !== undefined) return new Float64Array(size).fill(fallback);
    throw new Error(`simulateNirGraph: node "${name}" has no ${key}`);
  }
  return v.data.length === 1 ? new Float64Array(size).fill(v.data[0]) : v.data;
};

/** Node names in an order where every node comes after its sources; throws on a cycle. */
const topologicalOrder = (g: NirGraph): string[] => {
  const order: string[] = [];
  const state = new Map<string, number>();
  const visit = (v: string): void => {
    if (state.get(v) === 2) return;
    if (state.get(v) === 1) throw new Error(`simulateNirGraph: cycle through node "${v}" (feed-forward graphs only)`);
    state.set(v, 1);
    for (const [a, b] of g.edges) if (b === v) visit(a);
    state.set(v, 2);
    order.push(v);
  };
  for (const v of Object.keys(g.nodes)) visit(v);
  return order;
};

/** Presynaptic spikes of one CubaLIF node, in time order: time and the weight column per target. */
interface Arrivals {
  readonly time: Float64Array;
  /** weight[e * n + k]: W of arrival e onto neuron k. */
  readonly weight: Float64Array;
}

const arrivalsOf = (
  g: NirGraph,
  name: string,
  n: number,
  spikes: ReadonlyMap<string, Float64Array>,
): Arrivals => {
  const list: { t: number; w: NirArray; j: number }[] = [];
  for (const [pre, post] of g.edges) {
    if (post !== name) continue;
    const wn = g.nodes[pre];
    const w = wn.params.weight;
    if ((wn.type !== 'Linear' && wn.type !== 'Affine') || !isNirArray(w) || w.shape.length !== 2 || w.shape[0] !== n) {
      throw new Error(`simulateNirGraph: "${pre}" → "${name}": expected a Linear/Affine node with ${n} rows`);
    }
    const bias = wn.params.bias;
    if (isNirArray(bias) && bias.data.some((b) => b !== 0)) throw new Error(`simulateNirGraph: "${pre}": non-zero bias`);
    for (const [src, to] of g.edges) {
      if (to !== pre) continue;
      const times = spikes.get(src);
      if (times === undefined || times.length !== w.shape[1]) {
        throw new Error(`simulateNirGraph: "${src}" → "${pre}": no ${w.shape[1]} spike times for the source`);
      }
      times.forEach((t, j) => {
        if (Number.isFinite(t)) list.push({ t, w, j });
      });
    }
  }
  list.sort((a, b) => a.t - b.t);
  const time = Float64Array.from(list, (a) => a.t);
  const weight = new Float64Array(list.length * n);
  list.forEach((a, e) => {
    for (let k = 0; k < n; k++) weight[e * n + k] = a.w.data[k * a.w.shape[1] + a.j];
  });
  return { time, weight };
};

interface Neuron {
  readonly tauSyn: number;
  readonly tauMem: number;
  readonly r: number;
  readonly vLeak: number;
  readonly threshold: number;
  readonly wIn: number;
}

/** State after h time units with no input: I decays, v follows the exact propagator. */
const propagate = (p: Neuron, state: Float64Array, h: number): void => {
  const i = state[0];
  const v = state[1];
  const em = Math.exp(-h / p.tauMem);
  const es = p.tauSyn === p.tauMem ? em : Math.exp(-h / p.tauSyn);
  const drive = p.tauSyn === p.tauMem ? (p.r * i * h * em) / p.tauMem : (p.r * i * p.tauSyn * (es - em)) / (p.tauSyn - p.tauMem);
  state[0] = i * es;
  state[1] = p.vLeak + (v - p.vLeak) * em + drive;
};

/** First-spike time of one neuron (k of n) under the arrivals. */
const firstSpike = (p: Neuron, arrivals: Arrivals, n: number, k: number, opts: SimulationOptions): number => {
  const { time, weight } = arrivals;
  if (time.length === 0 && !(p.vLeak > p.threshold)) return Infinity;
  const dt = opts.dt;
  const last = time.length > 0 ? time[time.length - 1] : 0;
  const maxTime = opts.maxTime ?? last + 1000 * Math.max(p.tauMem, p.tauSyn);
  const state = new Float64Array(2); // I, v
  state[1] = p.vLeak;
  let t = time.length > 0 ? Math.floor(time[0] / dt) * dt : 0;
  let e = 0;
  let tPrev = t;
  let vPrev = state[1];
  const crossed = (tNow: number): number => {
    const v = state[1];
    if (v > p.threshold && vPrev <= p.threshold) return tPrev + ((p.threshold - vPrev) / (v - vPrev)) * (tNow - tPrev);
    tPrev = tNow;
    vPrev = v;
    return NaN;
  };
  for (let step = 1; t < maxTime; step++) {
    const tEnd = t + dt;
    let tNow = t;
    while (e < time.length && time[e] <= tEnd) {
      propagate(p, state, time[e] - tNow);
      tNow = time[e];
      const spike = crossed(tNow);
      if (!Number.isNaN(spike)) return spike;
      state[0] += (p.wIn * weight[e * n + k]) / p.tauSyn;
      vPrev = state[1];
      e++;
    }
    propagate(p, state, tEnd - tNow);
    const spike = crossed(tEnd);
    if (!Number.isNaN(spike)) return spike;
    t = (Math.floor(time.length > 0 ? time[0] / dt : 0) + step) * dt;
    if (e === time.length) {
      const dv = p.vLeak - state[1] + p.r * state[0];
      if (state[1] < p.threshold && ((dv <= 0 && state[0] >= 0) || (state[0] <= 0 && p.vLeak < p.threshold))) return Infinity;
    }
  }
  return Infinity;
};

/**
 * First-spike times of every CubaLIF node of a feed-forward graph. `inputs` gives the spike
 * times of the data Input nodes (one per element; ∞ for no spike); Input nodes with metadata
 * `spike_times` (spikeline's synchronisation pulses) spike at those times.
 */
export const simulateNirGraph = (
  g: NirGraph,
  inputs: Readonly<Record<string, ArrayLike<number>>>,
  opts: SimulationOptions,
): Record<string, Float64Array> => {
  const spikes = new Map<string, Float64Array>();
  const out: Record<string, Float64Array> = {};
  for (const name of topologicalOrder(g)) {
    const node = g.nodes[name];
    if (node.type === 'Input') {
      const given = inputs[name];
      const pulses = node.metadata.spike_times;
      if (given !== undefined) spikes.set(name, Float64Array.from(given));
      else if (isNirArray(pulses)) spikes.set(name, pulses.data);
      else throw new Error(`simulateNirGraph: no spike times for input "${name}"`);
    } else if (node.type === 'CubaLIF') {
      const size = param(name, node, 'v_threshold', 1).length;
      const get = (key: string, fallback?: number) => param(name, node, key, size, fallback);
      const [tauSyn, tauMem, r, vLeak, threshold, wIn] = [get('tau_syn'), get('tau_mem'), get('r'), get('v_leak'), get('v_threshold'), get('w_in', 1)];
      const arrivals = arrivalsOf(g, name, size, spikes);
      const times = new Float64Array(size);
      for (let k = 0; k < size; k++) {
        const p = { tauSyn: tauSyn[k], tauMem: tauMem[k], r: r[k], vLeak: vLeak[k], threshold: threshold[k], wIn: wIn[k] };
        times[k] = firstSpike(p, arrivals, size, k, opts);
      }
      spikes.set(name, times);
      out[name] = times;
    } else if (node.type !== 'Linear' && node.type !== 'Affine' && node.type !== 'Output') {
      throw new Error(`simulateNirGraph: node "${name}" (${node.type}) is not simulated`);
    }
  }
  return out;
};
