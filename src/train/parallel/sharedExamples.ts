/**
 * Example sets that can cross a worker boundary: plain descriptors over SharedArrayBuffers, turned
 * back into {@link ExampleSet}s inside each worker without copying.
 */
import type { ExampleSet } from '../exampleSet.ts';

/** Already-encoded inputs and targets, row-major `count × size` doubles. */
export interface EncodedExamplesDescriptor {
  readonly kind: 'encoded';
  readonly count: number;
  readonly inputSize: number;
  readonly targetSize: number;
  readonly inputs: SharedArrayBuffer;
  readonly targets: SharedArrayBuffer;
}


/** Copies an example set into shared memory (once, at set-up). */
export const shareEncodedExamples = (set: ExampleSet): EncodedExamplesDescriptor => {
  const inputs = new SharedArrayBuffer(set.count * set.inputSize * 8);
  const targets = new SharedArrayBuffer(set.count * set.targetSize * 8);
  const inView = new Float64Array(inputs);
  const tView = new Float64Array(targets);
  const inRow = new Float64Array(set.inputSize);
  const tRow = new Float64Array(set.targetSize);
  for (let i = 0; i < set.count; i++) {
    inView.set(set.inputInto(inRow, i), i * set.inputSize);
    tView.set(set.targetInto(tRow, i), i * set.targetSize);
  }
  return {
    kind: 'encoded',
    count: set.count,
    inputSize: set.inputSize,
    targetSize: set.targetSize,
    inputs,
    targets,
  };
};

export const encodedExampleSet = (d: EncodedExamplesDescriptor): ExampleSet => {
  const inputs = new Float64Array(d.inputs);
  const targets = new Float64Array(d.targets);
  return {
    count: d.count,
    inputSize: d.inputSize,
    targetSize: d.targetSize,
    inputInto: (out, i) => {
      out.set(inputs.subarray(i * d.inputSize, (i + 1) * d.inputSize));
      return out;
    },
    targetInto: (out, i) => {
      out.set(targets.subarray(i * d.targetSize, (i + 1) * d.targetSize));
      return out;
    },
  };
};
