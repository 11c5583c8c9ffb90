import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, activate, activationSlope } from '../../src/baseline/activations.ts';
import {
  allocAnnTape,
  annBackwardInto,
  annForwardInto,
  annLoss,
  annParameterCount,
  initAnn,
  snnParameterCount,
} from '../../src/baseline/ann.ts';
import { annEvaluate, trainAnn, type AnnExamples } from '../../src/baseline/trainAnn.ts';
import { createRng } from '../../src/data/rng.ts';
import { shapeParameterCount } from '../../src/model/network.ts';

const lossAt = (spec: Parameters<typeof initAnn>[0], params: Float64Array, x: Float64Array, y: Float64Array) => {
  const net = { ...initAnn(spec, createRng(0)) };
  net.params.set(params);
  const tape = allocAnnTape(net);
  annForwardInto(tape, net, x);
  return annLoss(tape, y);
};

describe('activations', () => {
  for (const f of ACTIVATIONS) {
    it(`${f}: slope matches a central difference`, () => {
      for (const z of [-1.3, -0.2, 0.4, 2.1]) {
        const h = 1e-6;
        const fd = (activate(f, z + h) - activate(f, z - h)) / (2 * h);
        expect(activationSlope(f, z, activate(f, z))).toBeCloseTo(fd, 6);
      }
    });
  }
});

describe('parameter counts', () => {
  it('SNN count equals the network engine count; ANN count by formula', () => {
    for (const [h, p] of [[8, 10], [16, 3], [32, 0]]) {
      expect(snnParameterCount(784, h, 784, p)).toBe(shapeParameterCount({ layerSizes: [784, h, 784], nPulses: [p, p] }));
    }
    const net = initAnn({ inputSize: 784, hidden: 32, outputSize: 784, encoder: 'relu', decoder: 'sigmoid' }, createRng(1));
    expect(net.params.length).toBe(annParameterCount(784, 32, 784));
    expect(annParameterCount(784, 32, 784)).toBe(784 * 32 + 32 + 32 * 784 + 784);
  });
});

describe('ANN reverse pass', () => {
  for (const [encoder, decoder] of [['relu', 'sigmoid'], ['gaussian', 'gaussian'], ['elu', 'tanh'], ['tanh', 'sigmoid']] as const) {
    it(`${encoder}-${decoder}: gradient matches central finite differences`, () => {
      const spec = { inputSize: 6, hidden: 3, outputSize: 6, encoder, decoder };
      const net = initAnn(spec, createRng(7));
      const rng = createRng(3);
      for (let k = 0; k < net.b1.length; k++) net.b1[k] = 0.3 * rng.nextGaussian();
      const x = Float64Array.from({ length: 6 }, () => rng.nextFloat());
      const y = Float64Array.from({ length: 6 }, () => rng.nextFloat());
      const tape = allocAnnTape(net);
      annForwardInto(tape, net, x);
      const grad = new Float64Array(net.params.length);
      const loss = annBackwardInto(grad, tape, net, x, y);
      expect(loss).toBeCloseTo(annLoss(tape, y), 14);
      const h = 1e-6;
      for (let p = 0; p < net.params.length; p++) {
        const plus = net.params.slice();
        plus[p] += h;
        const minus = net.params.slice();
        minus[p] -= h;
        const fd = (lossAt(spec, plus, x, y) - lossAt(spec, minus, x, y)) / (2 * h);
        expect(Math.abs(grad[p] - fd)).toBeLessThan(1e-7 + 1e-5 * Math.abs(fd));
      }
    });
  }
});

describe('trainAnn', () => {
  it('lowers the reconstruction loss of a tiny data set and keeps the best model', () => {
    const rng = createRng(11);
    const n = 40;
    const protos = [0, 1, 2].map(() => Float64Array.from({ length: 16 }, () => (rng.nextFloat() < 0.5 ? 0.1 : 0.9)));
    const data = Array.from({ length: n }, (_, i) => protos[i % 3]);
    const set: AnnExamples = {
      count: n,
      inputInto: (out, i) => out.set(data[i]) ?? out,
      targetInto: (out, i) => out.set(data[i]) ?? out,
    };
    const spec = { inputSize: 16, hidden: 4, outputSize: 16, encoder: 'relu', decoder: 'sigmoid' } as const;
    const before = annEvaluate(initAnn(spec, createRng(5, 2)), set);
    const r = trainAnn(spec, { train: set, validation: set, test: set }, { epochs: 30, batchSize: 4, learningRate: 0.01, seed: 5 });
    expect(r.history).toHaveLength(30);
    expect(r.testLoss).toBeLessThan(before / 4);
    expect(annEvaluate(r.best, set)).toBeCloseTo(r.bestValidationLoss, 12);
    expect(Math.min(...r.history.map((e) => e.validationLoss))).toBe(r.bestValidationLoss);
  });
});
