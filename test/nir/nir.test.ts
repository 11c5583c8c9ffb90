/**
 * NIR interchange: export → import is the identity bit for bit; the exported graph, run by a
 * time-stepped simulator of its own CubaLIF equations, reproduces every first-spike time of the
 * network on MNIST; the reader lists real files from Norse, Rockpool and the NIR paper and refuses
 * what spikeline cannot run, naming the node and the reason.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ImageSet, imageView, loadDataset } from '../../src/data/datasets.ts';
import { encodeTimes } from '../../src/data/encode.ts';
import { gaussianSampler } from '../../src/data/rng.ts';
import { forward } from '../../src/model/forward.ts';
import { initNetwork } from '../../src/model/init.ts';
import type { Network, NetworkSpec } from '../../src/model/network.ts';
import { type NirArray, type NirGraph, type NirNode, nirArray } from '../../src/nir/graph.ts';
import { writeNirBytes } from '../../src/nir/hdf5.ts';
import { exportNir, importNir, inspectNir } from '../../src/nir/nir.ts';
import { networkOfNirGraph } from '../../src/nir/networkOfNirGraph.ts';
import { nirGraphOfNetwork } from '../../src/nir/nirGraphOfNetwork.ts';
import { simulateNirGraph } from '../../src/nir/simulateNirGraph.ts';
import { simulationAgreement } from '../../src/nir/verifyNir.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'nir');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(fixtures, name)));

const net = (spec: NetworkSpec, multipliers: [number, number], seed: number): Network =>
  initNetwork(spec, { nonpulseWeightMeanMultiplier: multipliers[0], pulseWeightMeanMultiplier: multipliers[1] }, gaussianSampler(seed));

/** The h32-l1-n0 preset's autoencoder shape and neuron (K, θ, weight means), freshly initialised. */
const autoencoder = () => net({ layerSizes: [784, 32, 784], nPulses: 10, decayRate: 0.172556, threshold: 0.834236 }, [-7.038462, 4.213218], 7);
/** A deep classifier shape with pulses in every layer. */
const deep = () => net({ layerSizes: [784, 64, 32, 10], nPulses: [10, 5, 5], decayRate: 1.81321, threshold: 0.642203 }, [1, 2], 7);

const sameBits = (a: Network, b: Network): boolean =>
  a.params.length === b.params.length &&
  a.params.every((x, i) => Object.is(x, b.params[i])) &&
  Object.is(a.decayRate, b.decayRate) &&
  Object.is(a.threshold, b.threshold) &&
  JSON.stringify([a.layerSizes, a.nPulses]) === JSON.stringify([b.layerSizes, b.nPulses]);

const withNode = (g: NirGraph, name: string, node: NirNode): NirGraph => ({ ...g, nodes: { ...g.nodes, [name]: node } });

const withParam = (g: NirGraph, name: string, key: string, value: number): NirGraph => {
  const n = g.nodes[name];
  const size = (n.params.v_threshold as NirArray).data.length;
  return withNode(g, name, { ...n, params: { ...n.params, [key]: nirArray(new Float64Array(size).fill(value)) } });
};

const refusal = (g: NirGraph): string[] => {
  const r = networkOfNirGraph(g);
  return isLeft(r) ? r.left : [];
};

describe('exportNir → importNir', () => {
  it('returns the same network bit for bit (any depth, pulses, decay rate, threshold)', async () => {
    const spec = fc.record({
      layerSizes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 5 }),
      pulses: fc.integer({ min: 0, max: 3 }),
      decayRate: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
      threshold: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
      seed: fc.integer({ min: 0, max: 1e6 }),
    });
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const original = net({ layerSizes: s.layerSizes, nPulses: s.pulses, decayRate: s.decayRate, threshold: s.threshold }, [1, 1], s.seed);
        const back = await importNir(await exportNir(original));
        return isRight(back) && sameBits(original, back.right);
      }),
      { numRuns: 30 },
    );
  });

  it('round-trips the 784-32-784 autoencoder and the 784-64-32-10 classifier shape', async () => {
    for (const original of [autoencoder(), deep()]) {
      const back = await importNir(await exportNir(original, { note: 'test' }));
      expect(isRight(back) && sameBits(original, back.right)).toBe(true);
    }
  });

  it('writes Input → Linear → CubaLIF → … → Output with pulse inputs carrying their times', () => {
    const n = deep();
    const g = nirGraphOfNetwork(n);
    expect(g.edges).toEqual([
      ['input', 'fc0'], ['fc0', 'lif0'], ['pulses0', 'pulse_fc0'], ['pulse_fc0', 'lif0'],
      ['lif0', 'fc1'], ['fc1', 'lif1'], ['pulses1', 'pulse_fc1'], ['pulse_fc1', 'lif1'],
      ['lif1', 'fc2'], ['fc2', 'lif2'], ['pulses2', 'pulse_fc2'], ['pulse_fc2', 'lif2'],
      ['lif2', 'output'],
    ]);
    expect(g.nodes.pulses1.metadata.spike_times).toMatchObject({ data: n.pulses[1], shape: [5] });
    const lif = g.nodes.lif1.params as Record<string, NirArray>;
    // R · w_in / (τ_syn · τ_mem) = K² · (1/K)² = 1: the trained weights are W unchanged
    expect(lif.tau_syn.data[0]).toBe(1 / n.decayRate);
    expect((lif.r.data[0] * lif.w_in.data[0]) / (lif.tau_syn.data[0] * lif.tau_mem.data[0])).toBe(1);
    expect(lif.v_threshold.data[0]).toBe(n.threshold);
    const fc1 = g.nodes.fc1.params.weight as NirArray;
    expect(fc1.shape).toEqual([32, 64]);
    expect(fc1.data[64 + 3]).toBe(n.weights[1][1 * (64 + 5) + 3]);
  });
});

describe('importing a graph written the other way round (R = w_in = 1, the factor K² in W)', () => {
  it('folds R · w_in / (τ_syn · τ_mem) into the weights', () => {
    const n = deep();
    const g = nirGraphOfNetwork(n);
    const tau = 1 / n.decayRate;
    const scaled = Object.fromEntries(
      Object.entries(g.nodes).map(([name, node]): [string, NirNode] => {
        if (node.type === 'CubaLIF') return [name, { ...node, params: { ...node.params, w_in: nirArray([1]), r: nirArray([1]) } }];
        if (node.type !== 'Linear') return [name, node];
        const w = node.params.weight as NirArray;
        return [name, { ...node, params: { weight: nirArray(w.data.map((x) => x * tau * tau), w.shape) } }];
      }),
    );
    const back = networkOfNirGraph({ ...g, nodes: scaled });
    if (isLeft(back)) throw new Error(back.left.join('\n'));
    const worst = n.params.reduce((m, x, i) => Math.max(m, Math.abs(back.right.params[i] - x) / Math.max(1, Math.abs(x))), 0);
    expect(worst).toBeLessThan(1e-14);
    expect(back.right.decayRate).toBe(n.decayRate);
  });
});

describe('the exported graph, simulated on a time grid, reproduces every first-spike time', () => {
  let images: ImageSet;
  beforeAll(() => {
    const ds = loadDataset('mnist');
    if (isLeft(ds)) throw new Error(ds.left.message);
    images = ds.right.test;
  });

  const compare = (n: Network, g: NirGraph, dt: number, samples: number) =>
    simulationAgreement(n, g, Array.from({ length: samples }, (_, s) => encodeTimes(imageView(images, 784, s), 'inverted')), dt);

  for (const [name, make] of [['784-32-784 autoencoder (h32-l1-n0 neuron)', autoencoder], ['784-64-32-10 with pulses', deep]] as const) {
    it(`${name}: within the time step, on 5 MNIST test images, at dt = 1e-3 and 2e-2`, () => {
      const n = make();
      const g = nirGraphOfNetwork(n);
      for (const dt of [1e-3, 2e-2]) {
        const r = compare(n, g, dt, 5);
        expect(r.disagreements).toEqual([]);
        expect(r.spikes).toBeGreaterThan(r.neurons / 3); // a network that computes, not a silent one
        expect(r.worstDifference).toBeLessThanOrEqual(dt);
      }
    });
  }

  it('in physical units (1 unit = c s: τ, input and pulse times × c, w_in × c) the spike times scale by c', () => {
    const n = net({ layerSizes: [6, 4, 3], nPulses: 2, decayRate: 1.3, threshold: 0.3 }, [2, 2], 4);
    const g = nirGraphOfNetwork(n);
    const c = 1e-3;
    const times = (v: NirArray) => nirArray(v.data.map((x) => x * c), v.shape);
    const scaled = Object.fromEntries(
      Object.entries(g.nodes).map(([name, node]): [string, NirNode] => {
        const p = node.params as Record<string, NirArray>;
        if (node.type === 'CubaLIF') return [name, { ...node, params: { ...p, tau_syn: times(p.tau_syn), tau_mem: times(p.tau_mem), w_in: times(p.w_in) } }];
        const pulses = node.metadata.spike_times as NirArray | undefined;
        return [name, pulses ? { ...node, metadata: { ...node.metadata, spike_times: times(pulses) } } : node];
      }),
    );
    const x = [0.1, 0.5, Infinity, 0.2, 0.3, 0.9];
    const expected = forward(n, x).output;
    const got = simulateNirGraph({ ...g, nodes: scaled }, { input: x.map((t) => t * c) }, { dt: 1e-3 * c }).lif1;
    expect(expected.every((t) => Number.isFinite(t))).toBe(true);
    expected.forEach((t, k) => expect(Math.abs(got[k] / c - t)).toBeLessThanOrEqual(1e-3));
  });

  it('catches a wrong mapping: dropping the K² factor (w_in = 1) changes the spike times', () => {
    const n = autoencoder();
    const g = nirGraphOfNetwork(n);
    const broken = [0, 1].reduce((h, l) => withParam(h, `lif${l}`, 'w_in', 1), g);
    const r = compare(n, broken, 1e-3, 1);
    expect(r.disagreements.length > 0 || r.worstDifference > 1e-3).toBe(true);
  });
});

describe('importNir refuses what spikeline cannot run, naming the node and the reason', () => {
  const g = nirGraphOfNetwork(deep());
  const tau = 1 / deep().decayRate;

  it('unequal time constants', () => {
    expect(refusal(withParam(g, 'lif1', 'tau_syn', 0.5))).toEqual([
      `node "lif1" (CubaLIF): unequal time constants at neuron 0 (tau_syn 0.5 ≠ tau_mem ${tau}) — the alpha kernel needs tau_syn = tau_mem`,
    ]);
  });

  it('a recurrent edge', () => {
    const r = refusal({ ...g, edges: [...g.edges, ['lif1', 'fc1']] });
    expect(r).toHaveLength(1);
    expect(r[0]).toMatch(/^edge "(lif1" → "fc1|fc1" → "lif1)": recurrent \(closes a cycle\)/);
  });

  it('a node type other than Input, Output, Linear, Affine, CubaLIF', () => {
    const lif: NirNode = { type: 'LIF', params: {}, metadata: {} };
    expect(refusal(withNode(g, 'lif2', lif))).toEqual([expect.stringMatching(/^node "lif2" \(LIF\): unsupported — a LIF neuron has no synaptic current/)]);
  });

  it('a leak offset, a threshold that varies, a bias, a stray node, bytes that are not HDF5', async () => {
    expect(refusal(withParam(g, 'lif0', 'v_leak', 0.1))).toEqual([expect.stringMatching(/^node "lif0" \(CubaLIF\): v_leak 0.1 at neuron 0/)]);
    expect(refusal(withParam(g, 'lif2', 'v_threshold', 0.7))[0]).toBe(
      `node "lif2" (CubaLIF): tau ${tau} and v_threshold 0.7 differ from the first layer's (${tau}, 0.642203) — spikeline shares one decay rate and threshold`,
    );
    const fc0 = g.nodes.fc0;
    const affine: NirNode = { ...fc0, type: 'Affine', params: { ...fc0.params, bias: nirArray(new Float64Array(64).fill(0.5)) } };
    expect(refusal(withNode(g, 'fc0', affine))).toEqual(['node "fc0" (Affine): non-zero bias — spikeline neurons have no constant input current']);
    expect(refusal(withNode(g, 'extra', { type: 'Linear', params: {}, metadata: {} }))).toEqual(['node "extra" (Linear): not on the path from the input to the output']);
    const junk = await importNir(new TextEncoder().encode('not hdf5'));
    expect(isLeft(junk) && junk.left[0]).toMatch(/^not an HDF5 file/);
  });
});

describe('nested graphs', () => {
  it('are written, read back and listed with their nodes; the importer refuses them', async () => {
    const inner = nirGraphOfNetwork(net({ layerSizes: [2, 2], nPulses: 0, decayRate: 1, threshold: 0.5 }, [1, 1], 1));
    const outer: NirGraph = { nodes: { block: { type: 'NIRGraph', params: {}, metadata: {}, subgraph: inner } }, edges: [], metadata: {} };
    const r = await inspectNir(await writeNirBytes(outer));
    if (isLeft(r)) throw new Error(r.left.join('\n'));
    expect(r.right.graph.nodes.block.subgraph?.edges).toEqual(inner.edges);
    expect(r.right.lines).toContain('node "block" NIRGraph');
    expect(r.right.lines).toContain('  node "lif0" CubaLIF');
    expect(r.right.refusal).toEqual([expect.stringMatching(/^node "block" \(NIRGraph\): unsupported — nested subgraphs/)]);
  });

  it('an Output whose shape does not match the last layer is refused', () => {
    const g = nirGraphOfNetwork(deep());
    const output: NirNode = { ...g.nodes.output, params: { shape: nirArray([7]) } };
    expect(refusal(withNode(g, 'output', output))).toEqual(['node "output" (Output): shape holds 7 values but "lif2" has 10 neurons']);
  });
});

describe('real NIR files (Norse, Rockpool, the NIR paper)', () => {
  const inspected = async (file: string) => {
    const r = await inspectNir(fixture(file));
    if (isLeft(r)) throw new Error(r.left.join('\n'));
    return r.right;
  };

  it('lif_norse.nir: lists Affine → LIF with its parameters; refused (LIF)', async () => {
    const r = await inspected('lif_norse.nir');
    expect(r.version).toBe('0.1.1');
    expect(r.lines).toContain('node "1" LIF');
    expect(r.lines).toContain('  v_threshold  [1] <f  0.100000');
    expect(r.lines).toContain('edges (3): input → 0, 0 → 1, 1 → output');
    expect(r.refusal).toEqual([expect.stringMatching(/^node "1" \(LIF\): unsupported/)]);
  });

  it('lif_rockpool.nir and two_lif_neurons.nir: read, refused for every LIF node', async () => {
    const rock = await inspected('lif_rockpool.nir');
    expect(rock.lines).toContain('node "0_LinearTorch" Linear');
    expect(rock.lines).toContain('  weight  [1, 1] <f  0.0400000');
    expect(rock.refusal).toEqual([expect.stringMatching(/^node "1_LIFNeuronTorch" \(LIF\): unsupported/)]);
    const two = await inspected('two_lif_neurons.nir');
    expect(two.lines).toContain('  v_leak       [1] <d  1.20000');
    expect(two.refusal?.map((m) => m.slice(0, 17))).toEqual(['node "lif1" (LIF)', 'node "lif2" (LIF)']);
  });

  it('braille_noDelay_bias_zero.nir: a recurrent CubaLIF network, refused with every reason', async () => {
    const r = await inspected('braille_noDelay_bias_zero.nir');
    expect(r.graph.nodes['lif1.lif'].type).toBe('CubaLIF');
    expect(r.lines).toContain('  tau_syn      [38] <d  all 0.000222222');
    expect(r.lines).toContain('  weight  [38, 38] <f  min -13.3887 mean -0.278336 max 0.795154');
    expect(r.refusal).toEqual([
      'node "fc1" (Affine): non-zero bias — spikeline neurons have no constant input current',
      'node "fc2" (Affine): non-zero bias — spikeline neurons have no constant input current',
      'node "lif1.lif" (CubaLIF): unequal time constants at neuron 0 (tau_syn 0.0002222222281091009 ≠ tau_mem 0.0009999997615814777) — the alpha kernel needs tau_syn = tau_mem',
      'node "lif1.w_rec" (Affine): non-zero bias — spikeline neurons have no constant input current',
      'node "lif2" (CubaLIF): unequal time constants at neuron 0 (tau_syn 0.0002 ≠ tau_mem 0.0002222222281091009) — the alpha kernel needs tau_syn = tau_mem',
      'edge "lif1.w_rec" → "lif1.lif": recurrent (closes a cycle) — spikeline runs feed-forward networks only',
    ]);
    const imported = await importNir(fixture('braille_noDelay_bias_zero.nir'));
    expect(isLeft(imported) && imported.left).toEqual(r.refusal);
  });
});
