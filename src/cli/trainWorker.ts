/**
 * Entry script of a training worker thread (built to dist/trainWorker.js): opens the example
 * set descriptors this program knows, then runs the worker loop (or, started by the bench's
 * independent-run probe, a one-thread training of its own: `src/bench/independentRuns.ts`).
 */
import { type SharedImagesDescriptor, openSharedImages } from '../data/sharedImages.ts';
import type { ExampleSet } from '../train/exampleSet.ts';
import type { ExamplesDescriptor } from '../train/parallel/parallelTrainer.ts';
import { type EncodedExamplesDescriptor, encodedExampleSet } from '../train/parallel/sharedExamples.ts';
import { runTrainWorker } from '../train/parallel/worker.ts';
import { isIndependentWorker, runIndependentWorker } from '../bench/independentRuns.ts';

const openExamples = (d: ExamplesDescriptor): ExampleSet => {
  switch (d.kind) {
    case 'encoded':
      return encodedExampleSet(d as EncodedExamplesDescriptor);
    case 'images':
      return openSharedImages(d as SharedImagesDescriptor);
    default:
      throw new Error(`training worker: unknown example set kind "${d.kind}"`);
  }
};

if (isIndependentWorker()) await runIndependentWorker(openExamples);
else runTrainWorker(openExamples);
