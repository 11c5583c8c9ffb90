/**
 * A NIR graph as a spikeline network, or the reasons it cannot be one (pure; the inverse of
 * {@link nirGraphOfNetwork} and a reader for graphs from other frameworks).
 *
 * Accepted: one data Input → Linear/Affine (zero bias) → CubaLIF → Linear/Affine → CubaLIF → … →
 * Output, a feed-forward chain; beside each CubaLIF, optional pulse inputs (Input nodes with
 * metadata `spike_times`) through their own Linear/Affine. Every CubaLIF must have
 * τ_syn = τ_mem (the alpha kernel), one τ and one v_threshold shared by the whole network, and
 * v_leak = 0. R and w_in are folded into the weights: w = R · w_in · W / (τ_syn · τ_mem)
 * (see the mapping in nirGraphOfNetwork.ts). v_reset is not used: each neuron counts its first
 * spike only. Anything else is refused with the node's name and the reason.
 */
import { type Either, left, right } from 'fp-ts/lib/Either.js';
import { type Network, networkFromParams, shapeParameterCount, specProblem } from '../model/network.ts';
import { type NirArray, type NirGraph, type NirNode, isNirArray } from './graph.ts';

const SUPPORTED = ['Input', 'Output', 'Linear', 'Affine', 'CubaLIF'];

const UNSUPPORTED_REASON: Readonly<Record<string, string>> = {
  LIF: 'a LIF neuron has no synaptic current, so its response to a spike is an exponential, not the alpha kernel (t·e^(−Kt)) spikeline computes with',
  IF: 'an integrate-and-fire neuron does not leak, so its response to a spike is a step, not the alpha kernel',
  LI: 'a leaky integrator does not spike',
  CubaLI: 'a current-based leaky integrator does not spike',
  I: 'an integrator does not spike',
  Delay: 'spikeline has no synaptic delays',
  NIRGraph: 'nested subgraphs are not supported (flatten the graph first)',
};

const label = (name: string, n: NirNode): string => `node "${name}" (${n.type})`;

const unsupported = (name: string, n: NirNode): string =>
  `${label(name, n)}: unsupported — ${UNSUPPORTED_REASON[n.type] ?? 'spikeline runs only Input → Linear/Affine → CubaLIF → … → Output chains'}`;

/** An edge that closes a cycle (a recurrent connection), or null for an acyclic graph. */
export const recurrentEdge = (graph: NirGraph): readonly [string, string] | null => {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (v: string): readonly [string, string] | null => {
    state.set(v, 'open');
    for (const e of graph.edges) {
      if (e[0] !== v) continue;
      const s = state.get(e[1]);
      if (s === 'open') return e;
      if (s === undefined) {
        const found = visit(e[1]);
        if (found) return found;
      }
    }
    state.set(v, 'done');
    return null;
  };
  for (const v of Object.keys(graph.nodes)) {
    if (!state.has(v)) {
      const found = visit(v);
      if (found) return found;
    }
  }
  return null;
};

const successors = (g: NirGraph, name: string): string[] => g.edges.filter((e) => e[0] === name).map((e) => e[1]);
const predecessors = (g: NirGraph, name: string): string[] => g.edges.filter((e) => e[1] === name).map((e) => e[0]);

/** A numeric parameter as n values (a scalar or a length-1 array broadcasts), or an error. */
const vector = (name: string, n: NirNode, key: string, size: number): Either<string, Float64Array> => {
  const v = n.params[key];
  if (!isNirArray(v)) return left(`${label(name, n)}: missing numeric parameter ${key}`);
  if (v.data.length === 1) return right(new Float64Array(size).fill(v.data[0]));
  if (v.data.length !== size) return left(`${label(name, n)}: ${key} has ${v.data.length} values for ${size} neurons`);
  return right(v.data);
};

const inputShape = (n: NirNode): number => {
  const s = n.params.shape;
  return isNirArray(s) ? s.data.reduce((a, b) => a * b, 1) : NaN;
};

const spikeTimes = (n: NirNode): NirArray | null => {
  const t = n.metadata.spike_times;
  return isNirArray(t) ? t : null;
};

const sameTime = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));

const hasBias = (n: NirNode): boolean => {
  const b = n.params.bias;
  return isNirArray(b) && b.data.some((x) => x !== 0);
};

const nonZeroBias = (name: string, n: NirNode): string =>
  `${label(name, n)}: non-zero bias — spikeline neurons have no constant input current`;

interface Stage {
  readonly lif: string;
  readonly nPost: number;
  /** The weight nodes feeding the CubaLIF: regular first, then pulse groups, with their widths. */
  readonly feeds: { readonly weight: NirArray; readonly width: number; readonly pulseTimes: Float64Array | null }[];
}

/** The weight matrix of a Linear/Affine node as nPost × nPre, or an error naming the node. */
const weightOf = (g: NirGraph, name: string, nPost: number | null, nPre: number): Either<string, NirArray> => {
  const n = g.nodes[name];
  if (n.type !== 'Linear' && n.type !== 'Affine') return left(`${label(name, n)}: expected a Linear or Affine node`);
  const w = n.params.weight;
  if (!isNirArray(w) || w.shape.length !== 2) return left(`${label(name, n)}: weight must be a 2-d array`);
  if (w.shape[1] !== nPre) return left(`${label(name, n)}: weight has ${w.shape[1]} columns but its input has ${nPre} values`);
  if (nPost !== null && w.shape[0] !== nPost) return left(`${label(name, n)}: weight has ${w.shape[0]} rows but feeds ${nPost} neurons`);
  if (n.type === 'Affine' && hasBias(n)) return left(nonZeroBias(name, n));
  return right(w);
};

/** Follows the chain from the data input; returns the stages or the first reason it fails. */
const chainOf = (g: NirGraph, dataInput: string): Either<string, { stages: Stage[]; nInputs: number; visited: Set<string> }> => {
  const visited = new Set([dataInput]);
  const stages: Stage[] = [];
  const nInputs = inputShape(g.nodes[dataInput]);
  let current = dataInput;
  let width = nInputs;
  for (;;) {
    const next = successors(g, current);
    if (next.length !== 1) {
      return left(`${label(current, g.nodes[current])}: expected exactly one outgoing edge, found ${next.length} (${next.join(', ') || 'none'})`);
    }
    const [n1] = next;
    const t1 = g.nodes[n1].type;
    if (t1 === 'Output') {
      if (current === dataInput) return left(`${label(n1, g.nodes[n1])}: the input connects to the output directly`);
      const size = inputShape(g.nodes[n1]);
      if (size !== width) return left(`${label(n1, g.nodes[n1])}: shape holds ${size} values but "${current}" has ${width} neurons`);
      visited.add(n1);
      return right({ stages, nInputs, visited });
    }
    if (t1 !== 'Linear' && t1 !== 'Affine') return left(`${label(n1, g.nodes[n1])}: expected a Linear or Affine node after "${current}"`);
    const [lif, ...more] = successors(g, n1);
    if (lif === undefined || more.length > 0 || g.nodes[lif].type !== 'CubaLIF') {
      return left(`${label(n1, g.nodes[n1])}: expected exactly one outgoing edge, to a CubaLIF node`);
    }
    const w = weightOf(g, n1, null, width);
    if (w._tag === 'Left') return w;
    const nPost = w.right.shape[0];
    const feeds: Stage['feeds'][number][] = [{ weight: w.right, width, pulseTimes: null }];
    for (const p of predecessors(g, lif)) {
      if (p === n1) continue;
      const sources = predecessors(g, p);
      const src = sources.length === 1 ? g.nodes[sources[0]] : undefined;
      const times = src?.type === 'Input' ? spikeTimes(src) : null;
      if (times === null || successors(g, sources[0]).length !== 1) {
        return left(`${label(lif, g.nodes[lif])}: its input "${p}" is neither the previous layer nor a pulse input (an Input node with metadata spike_times feeding only it)`);
      }
      const pw = weightOf(g, p, nPost, times.data.length);
      if (pw._tag === 'Left') return pw;
      feeds.push({ weight: pw.right, width: times.data.length, pulseTimes: times.data });
      visited.add(p).add(sources[0]);
    }
    visited.add(n1).add(lif);
    stages.push({ lif, nPost, feeds });
    current = lif;
    width = nPost;
  }
};

interface Neurons {
  readonly tau: number;
  readonly threshold: number;
  /** Per-neuron factor R · w_in / (τ_syn · τ_mem) that turns W into alpha weights. */
  readonly factor: Float64Array;
}

/** The alpha-neuron parameters of a CubaLIF node, or the reason it is not one. */
const alphaNeurons = (name: string, n: NirNode, size: number): Either<string, Neurons> => {
  const keys = ['tau_syn', 'tau_mem', 'r', 'v_leak', 'v_threshold', 'w_in'] as const;
  const p: Partial<Record<(typeof keys)[number], Float64Array>> = {};
  for (const key of keys) {
    const v = key === 'w_in' && n.params.w_in === undefined ? right(new Float64Array(size).fill(1)) : vector(name, n, key, size);
    if (v._tag === 'Left') return v;
    p[key] = v.right;
  }
  const { tau_syn: tauSyn, tau_mem: tauMem, r, v_leak: vLeak, v_threshold: vThreshold, w_in: wIn } = p as Record<(typeof keys)[number], Float64Array>;
  const tau = tauMem[0];
  const threshold = vThreshold[0];
  const factor = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const ts = tauSyn[k];
    const tm = tauMem[k];
    if (!sameTime(ts, tm)) {
      return left(`${label(name, n)}: unequal time constants at neuron ${k} (tau_syn ${ts} ≠ tau_mem ${tm}) — the alpha kernel needs tau_syn = tau_mem`);
    }
    if (!(tm > 0) || tm !== tau) return left(`${label(name, n)}: tau_mem must be one positive value for all neurons (neuron ${k}: ${tm}, neuron 0: ${tau})`);
    if (vLeak[k] !== 0) return left(`${label(name, n)}: v_leak ${vLeak[k]} at neuron ${k} — spikeline neurons rest at 0`);
    if (vThreshold[k] !== threshold || !(threshold > 0)) {
      return left(`${label(name, n)}: v_threshold must be one positive value for all neurons (neuron ${k}: ${vThreshold[k]})`);
    }
    factor[k] = (r[k] * wIn[k]) / (ts * tm);
    if (!Number.isFinite(factor[k])) return left(`${label(name, n)}: r · w_in / (tau_syn · tau_mem) is not finite at neuron ${k}`);
  }
  return right({ tau, threshold, factor });
};

/**
 * The spikeline network of a NIR graph. Left lists every reason it is refused (each naming its
 * node); graphs written by {@link nirGraphOfNetwork} come back bit for bit.
 */
export const networkOfNirGraph = (g: NirGraph): Either<string[], Network> => {
  const bad = Object.entries(g.nodes).filter(([, n]) => !SUPPORTED.includes(n.type)).map(([name, n]) => unsupported(name, n));
  for (const [a, b] of g.edges) {
    for (const end of [a, b]) if (g.nodes[end] === undefined) bad.push(`edge "${a}" → "${b}": no node "${end}"`);
  }
  for (const [name, n] of Object.entries(g.nodes)) {
    if (n.type === 'CubaLIF') {
      const v = n.params.v_threshold;
      const nr = alphaNeurons(name, n, isNirArray(v) ? v.data.length : 0);
      if (nr._tag === 'Left') bad.push(nr.left);
    }
    if (n.type === 'Affine' && hasBias(n)) bad.push(nonZeroBias(name, n));
  }
  const cycle = bad.some((b) => b.startsWith('edge')) ? null : recurrentEdge(g);
  if (cycle) bad.push(`edge "${cycle[0]}" → "${cycle[1]}": recurrent (closes a cycle) — spikeline runs feed-forward networks only`);
  if (bad.length > 0) return left(bad);

  const dataInputs = Object.entries(g.nodes).filter(([, n]) => n.type === 'Input' && spikeTimes(n) === null).map(([k]) => k);
  if (dataInputs.length !== 1) return left([`graph: expected one data Input node (others carry metadata spike_times), found ${dataInputs.length}${dataInputs.length ? ` (${dataInputs.join(', ')})` : ''}`]);
  const chain = chainOf(g, dataInputs[0]);
  if (chain._tag === 'Left') return left([chain.left]);
  const { stages, nInputs, visited } = chain.right;
  const stray = Object.keys(g.nodes).filter((k) => !visited.has(k));
  if (stray.length > 0) return left(stray.map((k) => `${label(k, g.nodes[k])}: not on the path from the input to the output`));

  const neurons: Neurons[] = [];
  for (const s of stages) {
    const nr = alphaNeurons(s.lif, g.nodes[s.lif], s.nPost);
    if (nr._tag === 'Left') return left([nr.left]);
    if (neurons.length > 0 && (nr.right.tau !== neurons[0].tau || nr.right.threshold !== neurons[0].threshold)) {
      return left([`${label(s.lif, g.nodes[s.lif])}: tau ${nr.right.tau} and v_threshold ${nr.right.threshold} differ from the first layer's (${neurons[0].tau}, ${neurons[0].threshold}) — spikeline shares one decay rate and threshold`]);
    }
    neurons.push(nr.right);
  }
  const { tau, threshold } = neurons[0];
  const hinted = g.metadata.decay_rate;
  const decayRate = isNirArray(hinted) && hinted.data.length === 1 && 1 / hinted.data[0] === tau ? hinted.data[0] : 1 / tau;

  const shape = {
    layerSizes: [nInputs, ...stages.map((s) => s.nPost)],
    nPulses: stages.map((s) => s.feeds.reduce((p, f) => p + (f.pulseTimes ? f.width : 0), 0)),
    decayRate,
    threshold,
  };
  const problem = specProblem(shape);
  if (problem !== null) return left([`graph: ${problem}`]);
  const params = new Float64Array(shapeParameterCount(shape));
  let offset = 0;
  stages.forEach((s, l) => {
    const width = s.feeds.reduce((p, f) => p + f.width, 0);
    let column = 0;
    for (const f of s.feeds) {
      const w = f.weight;
      for (let k = 0; k < s.nPost; k++) {
        for (let j = 0; j < f.width; j++) params[offset + k * width + column + j] = w.data[k * f.width + j] * neurons[l].factor[k];
      }
      column += f.width;
    }
    offset += s.nPost * width;
  });
  for (const s of stages) {
    for (const f of s.feeds) if (f.pulseTimes) { params.set(f.pulseTimes, offset); offset += f.width; }
  }
  return right(networkFromParams(shape, params));
};
