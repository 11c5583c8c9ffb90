/**
 * spikeline/laws: exported fast-check law suites. Run them on your own neuron model:
 *
 * ```ts
 * import { checkLaws, neuronModelLaws } from 'spikeline/laws';
 * const reports = checkLaws(neuronModelLaws(myModel), { numRuns: 100, seed: 1 });
 * ```
 *
 * or one `it` per law: `for (const law of neuronModelLaws(myModel)) it(law.name, () => assertLaw(law))`.
 */
export { type Law, type LawReport, LawViolation, assertLaw, checkLaws, expectLaw, makeLaw } from './law.ts';
export {
  NEURON_LAW_IDS,
  type NeuronLawId,
  type NeuronLawOptions,
  defaultNeuronLawOptions,
  neuronModelLaws,
} from './neuronModelLaws.ts';
export { type LambertWLawOptions, defaultLambertWLawOptions, lambertWLaws } from './lambertWLaws.ts';
export {
  type NeuronCase,
  type NeuronCaseOptions,
  defaultNeuronCaseOptions,
  lambertWArgumentArbitrary,
  logUniform,
  neuronCaseArbitrary,
  uniformDouble,
} from './arbitraries.ts';
export { type BrokenLambertW, type BrokenModel, brokenLambertWs, brokenModels } from './brokenModels.ts';
export {
  type ScanOptions,
  defaultScanOptions,
  firstReaching,
  kernelPeak,
  maxBefore,
  peakBefore,
  potentialMagnitude,
  potentialSlope,
  firstCrossingByBisection,
  scanGrid,
  scanPotential,
} from './scan.ts';
export * from './networkLaws.ts';
export {
  type StreamCase,
  type StreamLawOptions,
  chopSpikes,
  sampleItems,
  spikeTimesByNeuron,
  streamLaws,
} from './streamLaws.ts';
