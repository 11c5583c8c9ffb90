/**
 * `spikeline nir export|import|inspect|verify`: NIR interchange (Neuromorphic Intermediate
 * Representation, HDF5 `.nir` files read and written by snnTorch, Norse, Lava, Rockpool, …).
 *
 *     spikeline nir export MODEL FILE.nir        a saved model → NIR graph (CubaLIF, τ_syn = τ_mem = 1/K)
 *     spikeline nir import FILE.nir OUT.model.json   a NIR graph → saved model (or the reasons it cannot run)
 *     spikeline nir inspect FILE.nir [--json]    any NIR file's nodes, parameters, edges; runnable or why not
 *     spikeline nir verify MODEL [--samples N] [--dt DT] [--dataset D] [--data-dir DIR]
 *                                                export, import (bit for bit), and a time-stepped
 *                                                simulation of the graph against the network on test images
 *                                                (a classifier's: also the class of each image)
 *
 * A classifier's graph carries `task = "classify"` in its metadata, and an import restores it in
 * the model's metadata, so that `verify` compares classes on an imported model too.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import { imageView, loadDataset } from '../../data/datasets.ts';
import { encodeTimes } from '../../data/encode.ts';
import { writeFileAtomic } from '../../io/atomicWrite.ts';
import { savedModelOf } from '../../model/codecs.ts';
import type { Network } from '../../model/network.ts';
import { networkOfNirGraph } from '../../nir/networkOfNirGraph.ts';
import { exportNir, importNir, inspectNir } from '../../nir/nir.ts';
import { nirGraphOfNetwork } from '../../nir/nirGraphOfNetwork.ts';
import { type SimulationAgreement, simulationAgreement } from '../../nir/verifyNir.ts';
import { firstSpikeClass } from '../../train/loss.ts';
import { type ModelWithConfig, readModelFile } from '../modelFile.ts';
import { UsageError } from '../usageError.ts';

export const nirUsage = `usage: spikeline nir export MODEL FILE.nir
       spikeline nir import FILE.nir OUT.model.json
       spikeline nir inspect FILE.nir [--json]
       spikeline nir verify MODEL [--samples N] [--dt DT] [--dataset mnist|fashion-mnist] [--data-dir DIR] [--json]`;

const readBytes = (path: string): Uint8Array => {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new UsageError(`${path}: cannot read (${(e as Error).message})`);
  }
};

const shapeOf = (n: Network): string =>
  `${n.layerSizes.join('-')} (pulses ${n.nPulses.join(', ')}; decay rate ${n.decayRate}, threshold ${n.threshold})`;

/** A classifier (its saved config or metadata says `task: classify`): the first output to fire names the class. */
const isClassifier = (m: ModelWithConfig): boolean => m.config?.task === 'classify' || m.meta.task === 'classify';

const CLASSIFY = 'classify';

const exportCommand = async (model: string, file: string): Promise<number> => {
  const loaded = readModelFile(model);
  const { network } = loaded;
  const bytes = await exportNir(network, { spikeline_model: basename(model), ...(isClassifier(loaded) ? { task: CLASSIFY } : {}) });
  writeFileAtomic(file, bytes);
  console.log(`${file}: ${shapeOf(network)}, ${bytes.length} bytes`);
  return 0;
};

const importCommand = async (file: string, out: string): Promise<number> => {
  const read = await inspectNir(readBytes(file));
  const r = isLeft(read) ? read : networkOfNirGraph(read.right.graph);
  if (isLeft(r)) throw new UsageError(`${file}: spikeline cannot run this graph:\n  ${r.left.join('\n  ')}`);
  const classifier = !isLeft(read) && read.right.graph.metadata.task === CLASSIFY;
  writeFileAtomic(out, `${JSON.stringify(savedModelOf(r.right, { importedFrom: basename(file), ...(classifier ? { task: CLASSIFY } : {}) }))}\n`);
  console.log(`${out}: ${shapeOf(r.right)}`);
  return 0;
};

const inspectCommand = async (file: string, json: boolean): Promise<number> => {
  const r = await inspectNir(readBytes(file));
  if (isLeft(r)) throw new UsageError(`${file}: ${r.left.join('; ')}`);
  const { version, graph, lines, refusal } = r.right;
  if (json) {
    const nodes = Object.fromEntries(Object.entries(graph.nodes).map(([k, n]) => [k, n.type]));
    console.log(JSON.stringify({ file, version, nodes, edges: graph.edges, runnable: refusal === null, refusal }));
    return 0;
  }
  console.log([`${file}: NIR ${version}, ${Object.keys(graph.nodes).length} nodes`, ...lines].join('\n'));
  console.log(refusal === null ? 'spikeline can run this graph' : `spikeline cannot run this graph:\n  ${refusal.join('\n  ')}`);
  return 0;
};

const positiveNumber = (flag: string, v: string): number => {
  const x = Number(v);
  if (!(x > 0) || !Number.isFinite(x)) throw new UsageError(`--${flag}: expected a positive number, got ${v}`);
  return x;
};

/** The report lines of a classifier's class comparison. */
const classLines = (c: NonNullable<SimulationAgreement['classes']>): string[] => {
  const pct = (k: number | undefined) => (k === undefined ? '?' : `${((100 * k) / c.samples).toFixed(1)} %`);
  const ties = c.nearTies.length > 0 ? `, ${c.nearTies.length} near ties (the network's two times within 2·dt: not ordered by the time grid)` : '';
  return [
    `classes: the graph names the network's class on ${c.same} of ${c.samples} images (accuracy: network ${pct(c.networkCorrect)}, graph ${pct(c.graphCorrect)})${ties}`,
    ...[...c.disagreements, ...c.nearTies].slice(0, 20).map((d) => `  ${d}`),
  ];
};

const verifyCommand = async (model: string, values: Record<string, string | boolean | undefined>): Promise<number> => {
  const loaded = readModelFile(model);
  const { network, config } = loaded;
  const samples = positiveNumber('samples', String(values.samples ?? '10'));
  if (!Number.isInteger(samples)) throw new UsageError(`--samples: expected a positive integer, got ${values.samples}`);
  const dt = positiveNumber('dt', String(values.dt ?? '0.001'));
  const name = String(values.dataset ?? config?.dataset ?? 'mnist');
  if (name !== 'mnist' && name !== 'fashion-mnist') throw new UsageError(`--dataset: expected mnist or fashion-mnist, got ${name}`);
  const ds = loadDataset(name, values['data-dir'] === undefined ? {} : { dataDir: String(values['data-dir']) });
  if (isLeft(ds)) throw new UsageError(ds.left.message);
  const pixels = ds.right.rows * ds.right.cols;
  if (network.layerSizes[0] !== pixels) throw new UsageError(`${model}: the model takes ${network.layerSizes[0]} inputs, ${name} has ${pixels} pixels`);
  const back = await importNir(await exportNir(network));
  const bitForBit = !isLeft(back) && back.right.params.every((x, i) => Object.is(x, network.params[i])) && Object.is(back.right.decayRate, network.decayRate);
  const encoding = config?.encoding ?? 'inverted';
  const n = Math.min(samples, ds.right.test.count);
  const inputs = Array.from({ length: n }, (_, s) => encodeTimes(imageView(ds.right.test, pixels, s), encoding));
  const readout = isClassifier(loaded) ? { classOf: firstSpikeClass, labels: ds.right.test.labels.subarray(0, n) } : undefined;
  const t0 = performance.now();
  const agreement = simulationAgreement(network, nirGraphOfNetwork(network), inputs, dt, readout);
  const seconds = (performance.now() - t0) / 1000;
  const { classes } = agreement;
  const ok = bitForBit && agreement.disagreements.length === 0 && agreement.worstDifference <= dt && (classes === undefined || classes.disagreements.length === 0);
  const result = {
    model,
    images: n,
    dt,
    roundTripBitForBit: bitForBit,
    ...agreement,
    disagreements: agreement.disagreements.slice(0, 20),
    ...(classes === undefined ? {} : { classes: { ...classes, disagreements: classes.disagreements.slice(0, 20), nearTies: classes.nearTies.slice(0, 20) } }),
    seconds,
    ok,
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`${model}: export → import ${bitForBit ? 'bit for bit' : 'DIFFERS'}`);
    console.log(`simulated graph vs network on ${n} ${name} test images (dt ${dt}): ${agreement.spikes} of ${agreement.neurons} neurons spike in both, worst |Δt| ${agreement.worstDifference.toExponential(2)}, ${agreement.disagreements.length} disagree (${seconds.toFixed(1)} s)`);
    for (const d of agreement.disagreements.slice(0, 20)) console.log(`  ${d}`);
    if (classes !== undefined) console.log(classLines(classes).join('\n'));
  }
  return ok ? 0 : 1;
};

export const nirCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      samples: { type: 'string' },
      dt: { type: 'string' },
      dataset: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(nirUsage);
    return 0;
  }
  const [action, ...args] = positionals;
  if (action === 'export' && args.length === 2) return exportCommand(args[0], args[1]);
  if (action === 'import' && args.length === 2) return importCommand(args[0], args[1]);
  if (action === 'inspect' && args.length === 1) return inspectCommand(args[0], values.json === true);
  if (action === 'verify' && args.length === 1) return verifyCommand(args[0], values);
  throw new UsageError(nirUsage);
};
