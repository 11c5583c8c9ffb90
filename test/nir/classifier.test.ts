/**
 * NIR round trip of trained classifiers (784-32-10 and the deeper 784-32-16-10), trained here in a
 * few seconds on 1 000 MNIST training images through the public `train` (quickClassifier.ts:
 * better than chance, not good): export → import gives the same network bit for bit, and the
 * exported graph, run by the time-stepped simulator, reproduces every first-spike time within its
 * step on MNIST test images and names the network's class on each of them.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageView, loadDataset } from '../../src/data/datasets.ts';
import { encodeTimes } from '../../src/data/encode.ts';
import { forward } from '../../src/model/forward.ts';
import { type NirArray, type NirGraph, type NirNode, nirArray } from '../../src/nir/graph.ts';
import { exportNir, importNir } from '../../src/nir/nir.ts';
import { nirGraphOfNetwork } from '../../src/nir/nirGraphOfNetwork.ts';
import { simulationAgreement } from '../../src/nir/verifyNir.ts';
import { firstSpikeClass } from '../../src/train/loss.ts';
import { quickClassifier } from './quickClassifier.ts';

const samples = 20;
let inputs: Float64Array[];
let labels: Uint8Array;
beforeAll(() => {
  const ds = loadDataset('mnist');
  if (isLeft(ds)) throw new Error(ds.left.message);
  inputs = Array.from({ length: samples }, (_, s) => encodeTimes(imageView(ds.right.test, 784, s), 'inverted'));
  labels = ds.right.test.labels.subarray(0, samples);
});

describe('NIR round trip of a trained classifier', () => {
  for (const [layers, learningRate] of [['784,32,10', '0.003'], ['784,32,16,10', '0.02']] as const) {
    it(`${layers}: export → import bit for bit; the simulated graph gives every first-spike time within the step and the same class`, async () => {
      const { network, testAccuracy } = await quickClassifier(layers, learningRate);
      expect(testAccuracy).toBeGreaterThan(0.2); // trained: better than chance (10 classes)

      const back = await importNir(await exportNir(network, { task: 'classify' }));
      if (isLeft(back)) throw new Error(back.left.join('\n'));
      expect(back.right.params.length).toBe(network.params.length);
      expect(back.right.params.every((x, i) => Object.is(x, network.params[i]))).toBe(true);
      expect([back.right.layerSizes, back.right.nPulses, back.right.decayRate, back.right.threshold]).toEqual([
        network.layerSizes,
        network.nPulses,
        network.decayRate,
        network.threshold,
      ]);

      const dt = 1e-3;
      const r = simulationAgreement(network, nirGraphOfNetwork(network), inputs, dt, { classOf: firstSpikeClass, labels });
      expect(r.disagreements).toEqual([]);
      expect(r.worstDifference).toBeLessThanOrEqual(dt);
      expect(r.spikes).toBeGreaterThan(r.neurons / 3); // a network that computes, not a silent one
      expect(r.classes?.disagreements).toEqual([]);
      expect(r.classes?.nearTies).toEqual([]);
      expect(r.classes?.same).toBe(samples);
      expect(r.classes?.graphCorrect).toBe(r.classes?.networkCorrect);
      // the classes compared are not one constant answer
      const predicted = new Set(inputs.map((x) => firstSpikeClass(forward(network, x).output)));
      expect(predicted.size).toBeGreaterThan(2);
    }, 120_000);
  }

  it('a graph whose output neurons are rotated by one names other classes, reported per sample', async () => {
    const { network } = await quickClassifier('784,32,10', '0.003');
    const g = nirGraphOfNetwork(network);
    // output neuron k of the graph gets the weights of the network's neuron k − 1 (mod 10)
    const rotate = (name: string): NirNode => {
      const node = g.nodes[name];
      const w = node.params.weight as NirArray;
      const width = w.shape[1];
      const data = new Float64Array(w.data.length);
      for (let k = 0; k < 10; k++) data.set(w.data.subarray(((k + 9) % 10) * width, ((k + 9) % 10 + 1) * width), k * width);
      return { ...node, params: { ...node.params, weight: nirArray(data, w.shape) } };
    };
    const rotated: NirGraph = { ...g, nodes: { ...g.nodes, fc1: rotate('fc1'), pulse_fc1: rotate('pulse_fc1') } };
    const r = simulationAgreement(network, rotated, inputs, 1e-3, { classOf: firstSpikeClass, labels });
    expect(r.classes?.same).toBe(0);
    expect(r.classes?.disagreements).toHaveLength(samples);
    expect(r.classes?.disagreements[0]).toMatch(/^sample 0: network class (\d) \(t [\d.e-]+\), graph class (\d) \(t [\d.e-]+\)$/);
  }, 120_000);
});
