/**
 * The proof that an exported graph computes what the network computes: run the network (event
 * kernel, closed-form spike times) and {@link simulateNirGraph} (time grid, the graph's own ODEs)
 * on the same inputs and compare every neuron's first-spike time, and, for a classifier, the
 * class each sample's output spikes name.
 */
import { forward } from '../model/forward.ts';
import type { Network } from '../model/network.ts';
import type { NirGraph } from './graph.ts';
import { simulateNirGraph } from './simulateNirGraph.ts';

/** How a classifier reads its output spike times (a parameter: this layer knows no objective). */
export interface ClassReadout {
  /** The class named by the output spike times (e.g. the first output to fire), −1 for none. */
  readonly classOf: (outputTimes: Float64Array) => number;
  /** Each input's true label, when known: both accuracies are reported too. */
  readonly labels?: ArrayLike<number>;
}

export interface ClassAgreement {
  readonly samples: number;
  /** Samples on which the simulated graph names the network's class. */
  readonly same: number;
  /** Correctly classified samples, network and graph (when labels were given). */
  readonly networkCorrect?: number;
  readonly graphCorrect?: number;
  /**
   * Samples whose class differs although the network's own times of the two classes are more
   * than 2·dt apart (a real difference): `sample s: network class c (t …), graph class d (t …)`.
   */
  readonly disagreements: readonly string[];
  /**
   * Samples whose class differs where the network's two times lie within 2·dt: a time grid of
   * step dt cannot order them (each simulated time is only known within its step).
   */
  readonly nearTies: readonly string[];
}

export interface SimulationAgreement {
  /** Largest |t_network − t_simulated| over neurons that spike in both. */
  readonly worstDifference: number;
  /** Neurons (over all samples and layers) that spike in both. */
  readonly spikes: number;
  /** Neurons compared (samples × neurons per sample). */
  readonly neurons: number;
  /** Neurons that spike in one and not the other: `sample s layer l neuron k: t vs u`. */
  readonly disagreements: readonly string[];
  /** With a {@link ClassReadout}: the predicted classes compared. */
  readonly classes?: ClassAgreement;
}

/**
 * Compares the network and the simulated graph of {@link nirGraphOfNetwork} (CubaLIF node
 * `lif{l}` for layer l + 1) on each input (one spike time per input neuron); with `readout`,
 * also the class each sample's output spike times name.
 */
export const simulationAgreement = (
  network: Network,
  graph: NirGraph,
  inputs: readonly ArrayLike<number>[],
  dt: number,
  readout?: ClassReadout,
): SimulationAgreement => {
  let worstDifference = 0;
  let spikes = 0;
  let neurons = 0;
  const disagreements: string[] = [];
  const last = network.layerSizes.length - 2;
  let same = 0;
  let networkCorrect = 0;
  let graphCorrect = 0;
  const classDisagreements: string[] = [];
  const nearTies: string[] = [];
  inputs.forEach((x, s) => {
    const simulated = simulateNirGraph(graph, { input: x }, { dt });
    const { layerTimes, output } = forward(network, x);
    layerTimes.forEach((times, l) =>
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
    if (readout === undefined) return;
    const simulatedOutput = simulated[`lif${last}`];
    const c = readout.classOf(output);
    const d = readout.classOf(simulatedOutput);
    if (readout.labels !== undefined) {
      if (c === readout.labels[s]) networkCorrect++;
      if (d === readout.labels[s]) graphCorrect++;
    }
    if (c === d) same++;
    else {
      const at = (times: Float64Array, k: number) => (k < 0 ? 'no spike' : `t ${times[k]}`);
      const text = `sample ${s}: network class ${c} (${at(output, c)}), graph class ${d} (${at(simulatedOutput, d)})`;
      const tie = c >= 0 && d >= 0 && Math.abs(output[c] - output[d]) <= 2 * dt;
      (tie ? nearTies : classDisagreements).push(text);
    }
  });
  const counts = readout?.labels === undefined ? {} : { networkCorrect, graphCorrect };
  const classes = readout === undefined ? {} : { classes: { samples: inputs.length, same, ...counts, disagreements: classDisagreements, nearTies } };
  return { worstDifference, spikes, neurons, disagreements, ...classes };
};
