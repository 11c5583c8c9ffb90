/**
 * A set of training examples, read one at a time into caller-owned buffers (so a data set can stay
 * compact, e.g. as bytes, and be encoded on the fly without allocation). Example i reads the same
 * whenever it is read (noise drawn per example from its own seeded stream, as `noise.ts` draws
 * it): parallel training reads an example on whichever thread needs it, and sorts the inputs of
 * the examples it expects next ahead of their step.
 */
export interface ExampleSet {
  readonly count: number;
  readonly inputSize: number;
  readonly targetSize: number;
  /** Writes the input spike times of example i into `out` (length inputSize). */
  inputInto(out: Float64Array, i: number): Float64Array;
  /** Writes the target of example i into `out` (length targetSize). */
  targetInto(out: Float64Array, i: number): Float64Array;
}

/** An example set over arrays of already-encoded inputs and targets. */
export const arrayExampleSet = (
  inputs: readonly ArrayLike<number>[],
  targets: readonly ArrayLike<number>[],
): ExampleSet => {
  if (inputs.length !== targets.length) {
    throw new RangeError(`arrayExampleSet: ${inputs.length} inputs but ${targets.length} targets`);
  }
  return {
    count: inputs.length,
    inputSize: inputs.length > 0 ? inputs[0].length : 0,
    targetSize: targets.length > 0 ? targets[0].length : 0,
    inputInto: (out, i) => {
      out.set(inputs[i]);
      return out;
    },
    targetInto: (out, i) => {
      out.set(targets[i]);
      return out;
    },
  };
};
