/**
 * From the grid's results to the inputs of the claims table: one `RunRecord` per finished run
 * (the `runs` of `claims.json`) and the per-epoch test-loss curves of the MNIST latency-1,
 * noise-0 spiking runs (compared with the original program's). Pure: the SVM accuracies and the
 * spike dynamics come from the figures that measure them.
 *
 * ## Example
 * ```ts
 * const claims = computeClaims({ runs: runRecords(results.values()), curves: snnCurves(results.values()), svm, dynamics, weights });
 * ```
 */
import type { CurveRecord, RunRecord } from './claims.ts';
import type { RunResult } from './paperRuns.ts';

export const runRecord = (r: RunResult): RunRecord =>
  r.kind === 'snn'
    ? {
        kind: 'snn',
        dataset: r.dataset,
        h: r.nHidden,
        noise: r.noiseFactor,
        latency: r.latency,
        encoding: r.encoding,
        testMse: r.testMse,
        meanImageMse: r.meanImageMse,
        epochs: r.epochs,
        seconds: r.seconds,
      }
    : {
        kind: 'ann',
        dataset: r.dataset,
        h: r.nHidden,
        noise: r.noiseFactor,
        latency: 1,
        encoding: r.encoding,
        activations: `${r.encoder}/${r.decoder}`,
        testMse: r.testMse,
        meanImageMse: r.meanImageMse,
        epochs: r.epochs,
        seconds: r.seconds,
      };

export const runRecords = (results: Iterable<RunResult>): RunRecord[] => [...results].map(runRecord);

/** Test loss per epoch of the latency-1, noise-0 spiking runs (the runs the original program's curves describe). */
export const snnCurves = (results: Iterable<RunResult>): CurveRecord[] => {
  const out: CurveRecord[] = [];
  for (const r of results) {
    if (r.kind === 'snn' && r.latency === 1 && r.noiseFactor === 0) out.push({ dataset: r.dataset, h: r.nHidden, testLoss: r.testLossHistory });
  }
  return out;
};
