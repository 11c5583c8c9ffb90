/**
 * The proof that an exported graph computes what the network computes: run the network (event
 * kernel, closed-form spike times) and {@link simulateNirGraph} (time grid, the graph's own ODEs)
 * on the same inputs and compare every neuron's first-spike time.
 */
import { forward } from '../model/forward.ts';
import type { Network } from '../model/network.ts';
import type { NirGraph } from './graph.ts';
import { simulateNirGraph } from './simulateNirGraph.ts';

export interface SimulationAgreement {
  /** Largest |t_network − t_simulated| over neurons that spike in both. */
  readonly worstDifference: number;
  /** Neurons (over all samples and layers) that spike in both. */
  readonly spikes: number;
  /** Neurons compared (samples × neurons per sample). */
  readonly neurons: number;
  /** Neurons that spike in one and not the other: `sample s layer l neuron k: t vs u`. */
  readonly disagreements: readonly string[];
}

/**
 * Compares the network and the simulated graph of {@link nirGraphOfNetwork} (CubaLIF node
 * `lif{l}` for layer l + 1) on each input (one spike time per input neuron).
 */
export const simulationAgreement = (
  network: Network,
  graph: NirGraph,
  inputs: readonly ArrayLike<number>[],
  dt: number,
): SimulationAgreement => {
  let worstDifference = 0;
  let spikes = 0;
  let neurons = 0;
  const disagreements: string[] = [];
  inputs.forEach((x, s) => {
    const simulated = simulateNirGraph(graph, { input: x }, { dt });
    forward(network, x).layerTimes.forEach((times, l) =>
      times.forEach((t, k) => {
        const u = simulated[`lif${l}`][k];
        neurons++;
        if (Number.isFinite(t) !== Number.isFinite(u)) disagreements.push(`sample ${s} layer ${l} neuron ${k}: ${t} vs ${u}`);
        else if (Number.isFinite(t)) {
          spikes++;
          worstDifference = Math.max(worstDifference, Math.abs(t - u));
        }
      }),
    );
  });
  return { worstDifference, spikes, neurons, disagreements };
};
