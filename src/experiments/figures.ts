/**
 * The report's sections, one per figure of Comsa et al. 2021 (3–11), built from finished grid
 * results and the trained models in their run directories. Captions state what is shown and the
 * settings used; every table is also offered as CSV.
 */
import { join } from 'node:path';
import { annExamplesOf } from '../baseline/trainAnn.ts';
import type { Dataset, DatasetName } from '../data/datasets.ts';
import { imageView } from '../data/datasets.ts';
import { grayFromTimes, imageGrid } from '../report/imageGrid.ts';
import { imageMatrixSvg } from '../report/imageMatrix.ts';
import type { ReportSection } from '../report/html.ts';
import { type ChartSeries, lineChartSvg } from '../report/lineChart.ts';
import { type RasterImage, encodePng } from '../report/png.ts';
import { scatterSvg } from '../report/scatter.ts';
import { forward } from '../model/forward.ts';
import { loadRunData } from '../run/runData.ts';
import { hiddenSpikeTimes, histogram, outputPotentials, weightGroups } from './dynamics.ts';
import { annEmbeddings, pixelFeatures, snnEmbeddings } from './embeddings.ts';
import { interpolate } from './interpolation.ts';
import {
  type AnnResult,
  type ExperimentSettings,
  type RunResult,
  type SnnResult,
  annTaskId,
  loadAnnModel,
  loadSnnModel,
  snnConfig,
  snnTaskId,
} from './paperRuns.ts';
import type { DynamicsRecord, SvmRecord, WeightRecord } from './claims.ts';
import { svmAccuracy } from './svm.ts';
import { tsne2d } from './tsne.ts';

export interface FigureInputs {
  readonly settings: ExperimentSettings;
  readonly root: string;
  readonly results: ReadonlyMap<string, RunResult>;
  readonly dataset: (name: DatasetName) => Dataset;
  readonly log: (m: string) => void;
}

/** No-spike hidden neurons read as this time in feature vectors (later than any target). */
export const NO_SPIKE_FEATURE = 3;

const settingsText = (s: ExperimentSettings): string =>
  `${s.epochs} epoch(s), ${s.trainSize} training / ${s.validationSize} validation images, ${s.testSize} test images, seed ${s.seed}` +
  (s.profile !== 'full' ? ` (--${s.profile} profile, not the paper’s 100 epochs)` : '');

const snn = (f: FigureInputs, d: DatasetName, h: number, l: number, n: number): SnnResult | undefined => {
  const r = f.results.get(snnTaskId(f.settings, d, h, l, n));
  return r?.kind === 'snn' ? r : undefined;
};
const ann = (f: FigureInputs, d: DatasetName, h: number, n: number, enc: 'plain' | 'inverted', e = 'relu', dd = 'sigmoid'): AnnResult | undefined => {
  const r = f.results.get(annTaskId(f.settings, d, h, n, enc, [e, dd] as never));
  return r?.kind === 'ann' ? r : undefined;
};

/** The mean-image MSE of a data set's runs (they share training and test images), NaN without runs. */
const datasetMeanImageMse = (f: FigureInputs, d: DatasetName): number => {
  for (const r of f.results.values()) if (r.dataset === d) return r.meanImageMse;
  return Number.NaN;
};

export const figure3 = (f: FigureInputs): ReportSection => {
  const s = f.settings;
  const rows: (string | number)[][] = [];
  const figures = s.datasets.map((d) => {
    const series: ChartSeries[] = [];
    for (const kind of ['snn', 'ann'] as const) {
      for (const h of s.hiddens) {
        const y = s.noises.map((n) => (kind === 'snn' ? snn(f, d, h, 1, n) : ann(f, d, h, n, 'plain'))?.testMse ?? Number.NaN);
        series.push({ name: `${kind} h=${h}`, x: [...s.noises], y });
        s.noises.forEach((n, i) => {
          const r = kind === 'snn' ? snn(f, d, h, 1, n) : ann(f, d, h, n, 'plain');
          rows.push([d, kind, h, n, y[i], r?.parameters ?? Number.NaN, r?.bestEpoch ?? Number.NaN]);
        });
      }
    }
    const base = datasetMeanImageMse(f, d);
    if (Number.isFinite(base)) series.push({ name: 'mean image', x: [s.noises[0], s.noises[s.noises.length - 1]], y: [base, base], color: '#7f7f7f' });
    return {
      svg: lineChartSvg(series, { title: `Figure 3: ${d}`, xLabel: 'noise factor', yLabel: 'test MSE (pixels)', width: 520, height: 360 }),
      caption: `${d}: per-pixel test reconstruction MSE (intensities in [0, 1], output spike times decoded to pixels) against input noise factor, spiking autoencoders (published presets, latency 1, inverted images) and ANN baselines (ReLU encoder, sigmoid decoder, conventional images), embedding sizes ${s.hiddens.join('/')}; the gray line is the predictor that always answers the mean training image (${base.toFixed(4)}). ${settingsText(s)}.`,
    };
  });
  return {
    id: 'figure-3',
    title: 'Figure 3 — reconstruction loss, SNN vs ANN',
    figures,
    tables: [{ caption: 'Test MSE of the model with the lowest validation loss', columns: ['dataset', 'kind', 'H', 'noise', 'test MSE', 'parameters', 'best epoch'], rows, csvName: 'figure3.csv' }],
  };
};

/** Test images shown per cell of Figure 4. */
const FIGURE4_IMAGES = 3;

/** Figure 4 as in the paper: per data set a matrix, rows noise levels, columns the input and the SNN of each H. */
export const figure4 = (f: FigureInputs): ReportSection => {
  const s = f.settings;
  const strip = (images: Uint8Array[]) => imageGrid([images], { scale: 2 });
  const figures = [];
  for (const d of s.datasets) {
    const idx = Array.from({ length: FIGURE4_IMAGES }, (_, i) => i);
    const cells = s.noises.map((n) => {
      const data = loadRunData(snnConfig(s, d, s.hiddens[0], 1, n), f.dataset(d));
      const inputs = idx.map((i) => data.test.inputInto(new Float64Array(data.pixels), i));
      const row: (RasterImage | null)[] = [strip(inputs.map((x) => grayFromTimes(x, data.encoding)))];
      for (const h of s.hiddens) {
        const id = snnTaskId(s, d, h, 1, n);
        if (!f.results.has(id)) {
          row.push(null);
          continue;
        }
        const net = loadSnnModel(join(f.root, id));
        row.push(strip(inputs.map((x) => grayFromTimes(forward(net, x).output, data.encoding, data.latency))));
      }
      return row;
    });
    if (cells.every((r) => r.slice(1).every((c) => c === null))) continue;
    figures.push({
      svg: imageMatrixSvg({
        title: `Figure 4: ${d}`,
        rowLabels: s.noises.map((n) => `noise ${n}`),
        columnLabels: ['input', ...s.hiddens.map((h) => `H=${h}`)],
        cells,
      }),
      caption: `${d}: the first ${FIGURE4_IMAGES} test images as fed to the network (rows: input noise factor) and their reconstructions by the spiking autoencoder of each embedding size H (latency 1); empty cells are runs this profile did not make.`,
    });
  }
  return { id: 'figure-4', title: 'Figure 4 — reconstructions by noise and embedding size', text: settingsText(s), figures };
};

export const figure5 = (f: FigureInputs): ReportSection => {
  const s = f.settings;
  const figures = [];
  const picks: [DatasetName, number, number][] = [];
  for (const d of s.datasets) for (const h of [s.hiddens[0], s.hiddens[s.hiddens.length - 1]]) for (const n of [s.noises[0], s.noises[s.noises.length - 1]]) picks.push([d, h, n]);
  for (const [d, h, n] of picks) {
    const id = snnTaskId(s, d, h, 1, n);
    if (!f.results.has(id)) continue;
    f.log(`t-SNE ${d} H=${h} noise ${n}`);
    const net = loadSnnModel(join(f.root, id));
    const data = loadRunData(snnConfig(s, d, h, 1, n), f.dataset(d));
    const e = snnEmbeddings(net, data.test, s.tsnePoints, NO_SPIKE_FEATURE);
    const xy = tsne2d(e, { perplexity: 20, iterations: s.tsneIterations });
    const labels = Array.from({ length: e.count }, (_, i) => data.dataset.test.labels[data.test.imageIndex(i)]);
    figures.push({
      svg: scatterSvg(xy, labels, { title: `${d} H=${h} noise ${n}` }),
      caption: `t-SNE (PCA initialisation, perplexity 20, ${s.tsneIterations} iterations) of the hidden spike times of ${e.count} test images, coloured by class; SNN ${d}, H=${h}, noise ${n}. ${settingsText(s)}.`,
    });
  }
  return { id: 'figure-5', title: 'Figure 5 — t-SNE of embeddings', figures };
};

export const figure6 = (f: FigureInputs): ReportSection => {
  const s = f.settings;
  const h = s.hiddens[s.hiddens.length - 1];
  const figures = [];
  for (const d of s.datasets) {
    const id = snnTaskId(s, d, h, 1, 0);
    if (!f.results.has(id)) continue;
    const net = loadSnnModel(join(f.root, id));
    const ds = f.dataset(d);
    const corners = [0, 1, 2, 3].map((i) => imageView(ds.test, 784, i));
    const g = interpolate(net, corners, 7, 1, NO_SPIKE_FEATURE);
    figures.push({ png: encodePng(imageGrid(g.embedding, { scale: 2 })), caption: `${d}: interpolation in embedding space between test images 0–3 (corners), decoded by the SNN decoder (H=${h}, latency 1, noise 0).` });
    figures.push({ png: encodePng(imageGrid(g.pixel, { scale: 2 })), caption: `${d}: the same four images interpolated in pixel space, for comparison.` });
  }
  return { id: 'figure-6', title: 'Figure 6 — interpolation in embedding space vs pixel space', text: settingsText(s), figures };
};

export const figure7 = async (f: FigureInputs): Promise<{ section: ReportSection; svm: SvmRecord[] }> => {
  const s = f.settings;
  const rows: (string | number)[][] = [];
  const svm: SvmRecord[] = [];
  const figures = [];
  for (const d of s.datasets) {
    const acc = new Map<string, number[]>();
    const put = (k: string, i: number, v: number) => {
      if (!acc.has(k)) acc.set(k, s.noises.map(() => Number.NaN));
      (acc.get(k) as number[])[i] = v;
    };
    for (const [i, n] of s.noises.entries()) {
      f.log(`SVM ${d} noise ${n}`);
      const base = loadRunData(snnConfig(s, d, s.hiddens[0], 1, n), f.dataset(d));
      const trLabels = Array.from({ length: Math.min(s.svmTrain, base.train.count) }, (_, k) => base.dataset.train.labels[base.train.imageIndex(k)]);
      const teLabels = Array.from({ length: base.test.count }, (_, k) => base.dataset.test.labels[base.test.imageIndex(k)]);
      const px = await svmAccuracy(pixelFeatures(annExamplesOf(base.train), 784, s.svmTrain), trLabels, pixelFeatures(annExamplesOf(base.test), 784, base.test.count), teLabels);
      put('pixels', i, px.accuracy);
      svm.push({ dataset: d, noise: n, features: 'pixels', h: 784, accuracy: px.accuracy });
      rows.push([d, n, 'pixels', 784, px.accuracy]);
      for (const h of s.hiddens) {
        const sid = snnTaskId(s, d, h, 1, n);
        if (f.results.has(sid)) {
          const net = loadSnnModel(join(f.root, sid));
          const r = await svmAccuracy(snnEmbeddings(net, base.train, s.svmTrain, NO_SPIKE_FEATURE), trLabels, snnEmbeddings(net, base.test, base.test.count, NO_SPIKE_FEATURE), teLabels);
          put(`snn h=${h}`, i, r.accuracy);
          svm.push({ dataset: d, noise: n, features: 'snn', h, accuracy: r.accuracy });
          rows.push([d, n, `snn h=${h}`, h, r.accuracy]);
        }
        const aid = annTaskId(s, d, h, n, 'plain', ['relu', 'sigmoid']);
        if (f.results.has(aid)) {
          const net = loadAnnModel(join(f.root, aid));
          const plain = loadRunData({ ...snnConfig(s, d, h, 1, n), encoding: 'plain' }, f.dataset(d));
          const r = await svmAccuracy(annEmbeddings(net, annExamplesOf(plain.train), s.svmTrain), trLabels, annEmbeddings(net, annExamplesOf(plain.test), plain.test.count), teLabels);
          put(`ann h=${h}`, i, r.accuracy);
          svm.push({ dataset: d, noise: n, features: 'ann', h, accuracy: r.accuracy });
          rows.push([d, n, `ann h=${h}`, h, r.accuracy]);
        }
      }
    }
    const series: ChartSeries[] = [...acc.entries()].map(([name, y], k) => ({ name, x: [...s.noises], y, color: name === 'pixels' ? '#000000' : undefined }));
    figures.push({
      svg: lineChartSvg(series, { title: `Figure 7: ${d}`, xLabel: 'noise factor', yLabel: 'SVM test accuracy', width: 520, height: 360 }),
      caption: `${d}: test accuracy of an RBF-kernel SVM (libsvm, C=1, γ=1/d on standardised features) trained on ${s.svmTrain} training items, tested on ${s.testSize} test items, using the (noisy) pixels or the embeddings of the SNN (hidden spike times) and ANN (ReLU activations) autoencoders. ${settingsText(s)}.`,
    });
  }
  return {
    section: {
      id: 'figure-7',
      title: 'Figure 7 — SVM classification from embeddings vs pixels',
      figures,
      tables: [{ caption: 'SVM test accuracy', columns: ['dataset', 'noise', 'features', 'dimension', 'accuracy'], rows, csvName: 'figure7.csv' }],
    },
    svm,
  };
};

const meanOf = (a: ArrayLike<number>): number => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i];
  return a.length > 0 ? sum / a.length : Number.NaN;
};

export const dynamicsFigures = (f: FigureInputs): { section: ReportSection; dynamics: DynamicsRecord[]; weights: WeightRecord[] } => {
  const s = f.settings;
  const h = s.hiddens[s.hiddens.length - 1];
  const d: DatasetName = 'mnist';
  const nets = s.latencies
    .map((l) => ({ l, id: snnTaskId(s, d, h, l, 0) }))
    .filter((x) => f.results.has(x.id))
    .map((x) => ({ l: x.l, net: loadSnnModel(join(f.root, x.id)), data: loadRunData(snnConfig(s, d, h, x.l, 0), f.dataset(d)) }));
  const tMax = Math.max(...s.latencies) + 2;
  const hid: ChartSeries[] = [];
  const pul: ChartSeries[] = [];
  const rows: (string | number)[][] = [];
  const dynamics: DynamicsRecord[] = [];
  const weights: WeightRecord[] = [];
  for (const { l, net, data } of nets) {
    const { times, silentFraction } = hiddenSpikeTimes(net, data.test, Math.min(500, data.test.count));
    const g = weightGroups(net);
    dynamics.push({ latency: l, meanHiddenSpikeTime: meanOf(times), meanDecoderPulseTime: meanOf(net.pulses[1]) });
    weights.push({ label: `MNIST H=${h} latency ${l}`, encoderRegular: meanOf(g.encoderRegular), encoderPulse: meanOf(g.encoderPulse), decoderRegular: meanOf(g.decoderRegular), decoderPulse: meanOf(g.decoderPulse) });
    const hh = histogram(times, 0, tMax, 60);
    hid.push({ name: `latency ${l}`, x: hh.centers, y: hh.density });
    const ph = histogram(Float64Array.from([...net.pulses[0], ...net.pulses[1]]), 0, tMax, 60);
    pul.push({ name: `latency ${l}`, x: ph.centers, y: ph.density });
    rows.push([l, meanOf(times), silentFraction, Array.from(net.pulses[0]).map((p) => p.toFixed(2)).join(' '), Array.from(net.pulses[1]).map((p) => p.toFixed(2)).join(' ')]);
  }
  const figures: { svg: string; caption: string }[] = [
    { svg: lineChartSvg(hid, { title: 'Figure 8a: hidden spike times', xLabel: 'time', yLabel: 'fraction', width: 520, height: 340 }), caption: `MNIST, H=${h}, noise 0: distribution of hidden-layer spike times over test images for each target latency ${nets.map((n) => n.l).join(', ')}. ${settingsText(s)}.` },
    { svg: lineChartSvg(pul, { title: 'Figure 8b: pulse times', xLabel: 'time', yLabel: 'fraction', width: 520, height: 340 }), caption: `Learned pulse times (both layers) per target latency.` },
  ];
  for (const { l, net, data } of [nets[0], nets[nets.length - 1]].filter((x, i, a) => x !== undefined && a.indexOf(x) === i)) {
    const span = l + 2;
    const pt = outputPotentials(net, data.test, 0, [300, 400, 500], span, 200);
    const series: ChartSeries[] = pt.traces.map((t) => ({ name: `output ${t.neuron}`, x: t.t, y: t.v }));
    const vMax = Math.max(pt.threshold, ...pt.traces.flatMap((t) => t.v.filter(Number.isFinite)));
    const vMin = Math.min(0, ...pt.traces.flatMap((t) => t.v.filter(Number.isFinite)));
    const ticks = (times: number[], lo: number, hi: number) => ({ x: times.flatMap((t) => [t, t, t]), y: times.flatMap(() => [lo, hi, Number.NaN]) });
    const band = (vMax - vMin) * 0.08;
    series.push({ name: 'hidden spikes', ...ticks(pt.hiddenSpikes.filter((t) => t <= span), vMin - band, vMin), color: '#7f7f7f' });
    series.push({ name: 'pulses', ...ticks(pt.pulses.filter((t) => t <= span), vMin - 2 * band, vMin - band), color: '#000000' });
    series.push({ name: 'threshold', x: [0, span], y: [pt.threshold, pt.threshold], color: '#8c564b' });
    figures.push({
      svg: lineChartSvg(series, { title: `Figure 9: output potentials, latency ${l}`, xLabel: 'time', yLabel: 'membrane potential', width: 520, height: 340 }),
      caption: `MNIST test image 0, SNN H=${h}, latency ${l}: membrane potential of output neurons 300/400/500 over time (alpha kernel, decay ${net.decayRate.toFixed(3)}), with the hidden spikes (gray ticks) and pulses (black ticks) they receive and the threshold ${net.threshold.toFixed(3)}; output spike times ${pt.traces.map((t) => t.spikeTime.toFixed(2)).join(', ')}.`,
    });
  }
  for (const { l, net } of nets.filter((_, i, a) => i === 0 || i === a.length - 1)) {
    const g = weightGroups(net);
    const all = [g.encoderRegular, g.encoderPulse, g.decoderRegular, g.decoderPulse];
    let lo = Infinity;
    let hi = -Infinity;
    for (const a of all) for (const v of a) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const names = ['encoder regular', 'encoder pulse', 'decoder regular', 'decoder pulse'];
    const series = all.map((a, k) => {
      const hh = histogram(a, lo, hi, 50);
      return { name: names[k], x: hh.centers, y: hh.density };
    });
    const means = all.map((a) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length));
    figures.push({
      svg: lineChartSvg(series, { title: `Figure 10: weights, latency ${l}`, xLabel: 'weight', yLabel: 'fraction', width: 520, height: 340 }),
      caption: `MNIST SNN H=${h}, latency ${l}: weight distributions of regular inputs vs pulses, encoder and decoder; means ${names.map((n, k) => `${n} ${means[k].toFixed(3)}`).join(', ')}.`,
    });
  }
  return {
    section: {
      id: 'figures-8-10',
      title: 'Figures 8–10 — spike dynamics and weight distributions',
      figures,
      tables: [{ caption: 'Hidden spike times and pulses per latency', columns: ['latency', 'mean hidden spike time', 'silent fraction', 'encoder pulses', 'decoder pulses'], rows, csvName: 'figure8.csv' }],
    },
    dynamics,
    weights,
  };
};

export const figure11 = (f: FigureInputs): ReportSection => {
  const s = f.settings;
  const rows: (string | number)[][] = [];
  const figures = [];
  for (const d of s.datasets) {
    const series: ChartSeries[] = [{ name: 'snn (inverted)', x: [...s.hiddens], y: s.hiddens.map((h) => snn(f, d, h, 1, 0)?.testMse ?? Number.NaN) }];
    const variantLoss = s.annVariants.map(([e, dd]) => ({ e, dd, y: s.hiddens.map((h) => ann(f, d, h, 0, 'inverted', e, dd)?.testMse ?? Number.NaN) }));
    for (const v of variantLoss) v.y.forEach((y, i) => rows.push([d, s.hiddens[i], `${v.e}/${v.dd}`, y]));
    const ranked = [...variantLoss].filter((v) => v.y.some(Number.isFinite)).sort((a, b) => Math.min(...a.y.filter(Number.isFinite)) - Math.min(...b.y.filter(Number.isFinite)));
    for (const v of ranked.slice(0, 3)) series.push({ name: `ann ${v.e}/${v.dd} (inv.)`, x: [...s.hiddens], y: v.y });
    series.push({ name: 'ann relu/sigmoid (plain)', x: [...s.hiddens], y: s.hiddens.map((h) => ann(f, d, h, 0, 'plain')?.testMse ?? Number.NaN) });
    s.hiddens.forEach((h, i) => rows.push([d, h, 'snn', series[0].y[i]]));
    figures.push({
      svg: lineChartSvg(series, { title: `Figure 11: ${d}, inverted images`, xLabel: 'embedding size', yLabel: 'test MSE', width: 520, height: 360 }),
      caption: `${d}, noise 0: test MSE on inverted images of the SNN and the three best of ${s.annVariants.length} ANN encoder/decoder activation pairs, with the conventional ANN on plain images for reference. ${settingsText(s)}.`,
    });
  }
  return {
    id: 'figure-11',
    title: 'Figure 11 — SNN vs ANNs on inverted images',
    figures,
    tables: [{ caption: 'Test MSE on inverted images per activation pair', columns: ['dataset', 'H', 'model', 'test MSE'], rows, csvName: 'figure11.csv' }],
  };
};
