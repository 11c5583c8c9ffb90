/**
 * Conformance of the stream layer with the reference program: the golden networks' forward
 * passes run through the RxJS operators (`spikingLayer` per layer, input spikes in time order),
 * compared with the stored hidden and output spike times at the same tolerance as the batch
 * conformance; for the single-neuron file, each case as a layer of one neuron, its spike time
 * against the program's. (`npm run conformance -- --streams FILE`.) The operators always use the exact
 * Lambert W; as in the batch conformance, a value that the batch engine with the original
 * program's approximate W reproduces is reported on its own row and does not fail.
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import {
  type AutoencoderGoldenFile,
  goldenNetwork,
  lambertWHook,
} from '../../conformance/autoencoderGolden.ts';
import {
  type ConformanceReport,
  checkOrExplain,
  explainedQuantity,
  finish,
  quantity,
} from '../../conformance/compare.ts';
import { type AlphaGoldenFile, evaluateCase } from '../../conformance/alphaNeuronGolden.ts';
import { forwardInto } from '../../model/forward.ts';
import { allocTape } from '../../model/tape.ts';
import { type NeuronSpike, layerOf, spikingLayer } from '../../../streams/operators/spikingLayer.ts';

const sampleOf = (times: ArrayLike<number>): NeuronSpike[] =>
  Array.from(times, (time, neuron) => ({ neuron, time }))
    .filter((s) => s.time !== Infinity)
    .sort((a, b) => a.time - b.time || a.neuron - b.neuron);

export const streamConformance = async (
  file: AutoencoderGoldenFile,
  name: string,
): Promise<ConformanceReport> => {
  const explained = explainedQuantity();
  const silent = quantity('spikes / silent agree (streams)', { rtol: 0, atol: 0 });
  const hidden = quantity('hidden spike times (streams)', { rtol: 1e-12, atol: 0 });
  const output = quantity('output spike times (streams)', { rtol: 1e-12, atol: 0 });
  const imageByIndex = new Map(file.images.map((im) => [im.test_index, im.input_times]));
  let cases = 0;
  for (const n of file.networks) {
    for (const s of n.states) {
      const net = goldenNetwork(file, n.name, s.state);
      if (net === null) continue;
      const tape = allocTape(net);
      const hook = lambertWHook(net, 'reference');
      for (const e of s.examples) {
        cases++;
        const where = `${n.name} ${s.state} image ${e.test_index}`;
        let times: ArrayLike<number> = imageByIndex.get(e.test_index) ?? [];
        const expected = [e.hidden_times, e.output_times];
        // the batch engine with the original's W, layer by layer: what explains a difference
        forwardInto(tape, net, Float64Array.from(times), hook);
        const withReferenceW = tape.layers.map((lt) => lt.post.spikeTime.slice());
        for (let l = 0; l < net.weights.length; l++) {
          const spikes = await lastValueFrom(from(sampleOf(times)).pipe(spikingLayer(layerOf(net, l)), toArray()));
          const t = new Float64Array(net.layerSizes[l + 1]).fill(Infinity);
          for (const sp of spikes) t[sp.neuron] = sp.time;
          const alt = withReferenceW[l];
          const flag = (x: number) => (x === Infinity ? 1 : 0);
          expected[l].forEach((want, k) => {
            const at = `${where} layer ${l + 1} neuron ${k}`;
            checkOrExplain(silent, explained, flag(t[k]), flag(alt[k]), flag(want), at);
            if (want !== Infinity && t[k] !== Infinity) checkOrExplain(l === 0 ? hidden : output, explained, t[k], alt[k], want, at);
          });
          times = t;
        }
      }
    }
  }
  return finish('autoencoder golden file through the RxJS operators', name, cases, [silent, hidden, output, explained]);
};

/**
 * The single-neuron golden file through `spikingLayer`: each case as a layer of one neuron fed
 * its input spikes in time order; the spike time against the program's (1e-12 absolute, as the
 * batch conformance), silence exactly. A value that the batch engine with the original's W
 * reproduces is reported on its own row.
 */
export const alphaNeuronStreamConformance = async (file: AlphaGoldenFile, name: string): Promise<ConformanceReport> => {
  const explained = explainedQuantity();
  const silent = quantity('spikes / silent agree (streams)', { rtol: 0, atol: 0 });
  const spike = quantity('spike time (streams, vs program)', { rtol: 0, atol: 1e-12 });
  const flag = (x: number) => (x === Infinity ? 1 : 0);
  for (const c of file.cases) {
    const where = `case ${c.case}`;
    const layer = {
      weights: Float64Array.from(c.weights),
      nRegular: c.n_inputs,
      nOut: 1,
      pulses: new Float64Array(0),
      decayRate: c.decay_rate,
      threshold: c.fire_threshold,
    };
    const spikes = await lastValueFrom(from(sampleOf(c.inputs)).pipe(spikingLayer(layer), toArray()));
    const t = spikes.length > 0 ? spikes[0].time : Infinity;
    const alt = evaluateCase(c, 'reference').spikeTime;
    checkOrExplain(silent, explained, flag(t), flag(alt), flag(c.spike_time), where);
    if (t !== Infinity && c.spike_time !== Infinity) checkOrExplain(spike, explained, t, alt, c.spike_time, where);
  }
  return finish('alpha neuron golden file through the RxJS operators', name, file.cases.length, [silent, spike, explained]);
};
