/**
 * A spikeline network as a NIR graph (pure; {@link ./nir.ts} writes the bytes).
 *
 * ## The mapping
 * spikeline's neuron has the alpha potential V(t) = Σ w_i (t − t_i) e^(−K (t − t_i)). NIR's
 * CubaLIF (primitives.md) is
 *
 *     τ_syn dI/dt = −I + w_in · (W S)(t)        τ_mem dv/dt = (v_leak − v) + R I
 *
 * with S the presynaptic spike trains (Dirac pulses) and W the Linear weights. With
 * τ_syn = τ_mem = τ and v_leak = 0, one input spike of weight W at t_i makes I jump by
 * w_in W / τ and decay as e^(−s/τ) (s = t − t_i); then v solves v' + v/τ = (R/τ) I, so
 *
 *     v(t) = (R · w_in · W / τ²) · s · e^(−s/τ),
 *
 * the alpha kernel with K = 1/τ and weight w = R · w_in · W / τ² = R · w_in · W · K². The export
 * writes τ_syn = τ_mem = τ = 1/K, v_leak = 0, R = 1, W = w (the trained weights, unchanged, bit for
 * bit) and puts the whole factor in the input current weight: w_in = τ · τ, so R · w_in / τ² is 1
 * (exactly so in floating point, as the importer computes it from the same τ). A reader that
 * prefers w_in = R = 1 multiplies W by w_in. v_threshold = θ (potential units are unchanged).
 *
 * ## Time-to-first-spike semantics
 * Each neuron counts only its first spike: the first time v crosses v_threshold from below, and
 * after that the neuron is silent (v_reset is written as 0 but never used). Data inputs are
 * single spikes at the encoded times (pixel → time, dimensionless; 1 time unit = 1 NIR time
 * unit), and a network's answer is the first-spike time of each output neuron (no spike = ∞).
 * (To run the graph in physical units, one spikeline unit = c seconds: multiply τ_syn, τ_mem,
 * the input and pulse times by c and w_in by c; the spike times come out multiplied by c.)
 *
 * ## Graph
 *     input ─▶ fc0 ─▶ lif0 ─▶ fc1 ─▶ lif1 ─▶ … ─▶ lif{L−1} ─▶ output
 *     pulses0 ─▶ pulse_fc0 ─▶ lif0,  pulses1 ─▶ pulse_fc1 ─▶ lif1, …
 * `fc{l}` is the Linear of the regular inputs of weight layer l (n(l+1) × n(l)), `pulse_fc{l}` that
 * of its P_l synchronisation pulses (n(l+1) × P_l). The pulses are a second kind of Input node
 * `pulses{l}` (shape [P_l]) whose metadata `spike_times` holds the P_l pulse times: a reader feeds
 * one spike per pulse at those times, with every sample. The graph's metadata records
 * `format = "spikeline"`, `semantics = "time-to-first-spike"` and `decay_rate` K (the importer
 * takes it only when 1/K reproduces τ exactly, to restore K bit for bit).
 */
import { layerInputWidth, type Network } from '../model/network.ts';
import { type NirGraph, type NirNode, type NirValue, nirArray, nirIntArray } from './graph.ts';

export const TTFS_SEMANTICS = 'time-to-first-spike';

/** Free-form metadata a user attaches to the graph (strings and numbers). */
export type NirMeta = Readonly<Record<string, string | number>>;

const node = (type: string, params: Record<string, NirValue>, metadata: Record<string, NirValue> = {}): NirNode => ({
  type,
  params,
  metadata,
});

/** Columns [from, to) of a row-major rows × width matrix, as a rows × (to − from) NIR array. */
const columns = (w: Float64Array, rows: number, width: number, from: number, to: number): NirValue => {
  const out = new Float64Array(rows * (to - from));
  for (let k = 0; k < rows; k++) out.set(w.subarray(k * width + from, k * width + to), k * (to - from));
  return nirArray(out, [rows, to - from]);
};

const filled = (n: number, x: number): NirValue => nirArray(new Float64Array(n).fill(x));

/** The CubaLIF node of n alpha neurons with decay rate K and threshold θ. */
export const alphaCubaLif = (n: number, decayRate: number, threshold: number): NirNode => {
  const tau = 1 / decayRate;
  return node('CubaLIF', {
    tau_syn: filled(n, tau),
    tau_mem: filled(n, tau),
    r: filled(n, 1),
    w_in: filled(n, tau * tau),
    v_leak: filled(n, 0),
    v_reset: filled(n, 0),
    v_threshold: filled(n, threshold),
  });
};

/** The NIR graph of a network (see the module comment for the mapping). */
export const nirGraphOfNetwork = (net: Network, meta: NirMeta = {}): NirGraph => {
  const L = net.layerSizes.length - 1;
  const nodes: Record<string, NirNode> = { input: node('Input', { shape: nirIntArray([net.layerSizes[0]]) }) };
  const edges: [string, string][] = [];
  let previous = 'input';
  for (let l = 0; l < L; l++) {
    const nPre = net.layerSizes[l];
    const nPost = net.layerSizes[l + 1];
    const width = layerInputWidth(net, l);
    const P = net.nPulses[l];
    nodes[`fc${l}`] = node('Linear', { weight: columns(net.weights[l], nPost, width, 0, nPre) });
    nodes[`lif${l}`] = alphaCubaLif(nPost, net.decayRate, net.threshold);
    edges.push([previous, `fc${l}`], [`fc${l}`, `lif${l}`]);
    if (P > 0) {
      nodes[`pulses${l}`] = node(
        'Input',
        { shape: nirIntArray([P]) },
        { spike_times: nirArray(net.pulses[l]), role: 'synchronisation pulses: one spike per entry at spike_times, every sample' },
      );
      nodes[`pulse_fc${l}`] = node('Linear', { weight: columns(net.weights[l], nPost, width, nPre, width) });
      edges.push([`pulses${l}`, `pulse_fc${l}`], [`pulse_fc${l}`, `lif${l}`]);
    }
    previous = `lif${l}`;
  }
  nodes.output = node('Output', { shape: nirIntArray([net.layerSizes[L]]) });
  edges.push([previous, 'output']);
  const metadata: Record<string, NirValue> = { ...metadataOf(meta) };
  metadata.format = 'spikeline';
  metadata.semantics = TTFS_SEMANTICS;
  metadata.decay_rate = nirArray([net.decayRate], []);
  return { nodes, edges, metadata };
};

const metadataOf = (meta: NirMeta): Record<string, NirValue> =>
  Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, typeof v === 'number' ? nirArray([v], []) : v]));
