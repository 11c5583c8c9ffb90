/**
 * spikeline: spiking neural networks that compute with spike *times*.
 *
 * The package root exports the numeric core (neuron kernels, network engine, training) and the
 * data, config and model-file helpers. The RxJS stream layer is `spikeline/streams`; the law
 * suites for property-testing neuron models are `spikeline/laws`; the typed-array kernels under
 * the network engine (layer kernel, reverse pass, alpha solver) are `spikeline/kernels`.
 */

// neuron kernels
export { NO_SPIKE, allocFiring, fire, friendlyNeuron, timeOrder } from './kernels/neuronModel.ts';
export type { FiringResult, NeuronFiring, NeuronModel, NeuronParams } from './kernels/neuronModel.ts';
export {
  LAMBERT_W_BRANCH_POINT,
  lambertW0,
  lambertW0Derivative,
  lambertW0InDomain,
} from './kernels/lambertW.ts';
export { alphaModel, alphaNeuron, alphaPotential } from './kernels/alpha.ts';
export { dualExponentialModel, dualExponentialNeuron, dualExponentialPotential } from './kernels/dualExponential.ts';
export { BUILT_IN_NEURON_MODELS, neuronModelByName } from './kernels/neuronModels.ts';
// the layer kernel, its reverse pass and the alpha solver: `spikeline/kernels` (a tape's layers are LayerTapes)
export type { LayerTape } from './kernels/layer.ts';
export type { ModelLayerRecord } from './kernels/layerModel.ts';

// network engine
export {
  cloneNetwork,
  emptyNetwork,
  evenPulses,
  networkFromParams,
  shapeParameterCount,
} from './model/network.ts';
export type { Network, NetworkShape, NetworkSpec } from './model/network.ts';
export { glorotSigma, initNetwork } from './model/init.ts';
export { allocTape, outputTimes } from './model/tape.ts';
export type { Tape } from './model/tape.ts';
export { forward, forwardInto } from './model/forward.ts';
export { backwardInto, gradientViews } from './model/backward.ts';
export { decodeSavedModel, savedModelOf } from './model/codecs.ts';

// NIR interchange (Neuromorphic Intermediate Representation)
export { exportNir, importNir, inspectNir } from './nir/nir.ts';
export type { NirInspection } from './nir/nir.ts';
export type { NirArray, NirEdge, NirGraph, NirNode, NirValue } from './nir/graph.ts';
export { nirGraphOfNetwork } from './nir/nirGraphOfNetwork.ts';
export type { NirMeta } from './nir/nirGraphOfNetwork.ts';
export { networkOfNirGraph } from './nir/networkOfNirGraph.ts';
export { simulateNirGraph } from './nir/simulateNirGraph.ts';
export type { SimulationOptions } from './nir/simulateNirGraph.ts';

// training
export { DEFAULT_ADAM, adamStep, allocAdamState } from './train/adam.ts';
export type { AdamHyper, AdamRangeUpdate, AdamState } from './train/adam.ts';
export {
  autoencoderErrorInto,
  autoencoderLoss,
  firstSpikeClass,
  firstSpikeCrossEntropy,
  firstSpikeCrossEntropyErrorInto,
} from './train/loss.ts';
export { autoencoderObjective, classificationObjective } from './train/objective.ts';
export type { Objective } from './train/objective.ts';
export { arrayExampleSet } from './train/exampleSet.ts';
export type { ExampleSet } from './train/exampleSet.ts';
export { accumulateExample, createTrainContext, evaluate as evaluateExamples, trainStep } from './train/trainStep.ts';
export type { ExampleContext, MutableTrainHyper, StepTotals, TrainContext, TrainHyper } from './train/trainStep.ts';
export { createSequentialTrainer } from './train/trainer.ts';
export type { Trainer } from './train/trainer.ts';
export { allFinite, fit } from './train/fit.ts';
export { averageDecayAt, averageInto, withWeightAverage } from './train/weightAverage.ts';
export type { BatchProgress, Divergence, EpochRecord, FitHooks, FitPlan, FitResult } from './train/fit.ts';

// data, configuration
export { loadDataset } from './data/datasets.ts';
export { encodeTargets, encodeTimes, encodeTargetsInto, encodeTimesInto } from './data/encode.ts';
export { createRng, gaussianSampler } from './data/rng.ts';
export { PRESETS, findPreset, presetNames } from './config/presets.ts';
export { resolveTrainingConfig } from './config/config.ts';

// the public training API: train, evaluate, model files, run data (src/run)
export { train } from './run/train.ts';
export type { EpochContext, RunStart, RunSummary, TrainOptions, TrainResult } from './run/train.ts';
export { evaluate } from './run/evaluate.ts';
export type { EvaluateOptions, Evaluation, Split } from './run/evaluate.ts';
export { decodeModelFile, loadModel, saveModel } from './run/modelFile.ts';
export type { ModelFile, SaveModelOptions } from './run/modelFile.ts';
export { loadCheckpoint } from './run/checkpoint.ts';
export type { Checkpoint, RunProgress } from './run/checkpoint.ts';
export { datasetOf, loadRunData } from './run/runData.ts';
export type { RunData } from './run/runData.ts';
export { runFiles } from './run/runFiles.ts';
export type { RunFiles } from './run/runFiles.ts';
export { CLASS_COUNT, TASKS, TASK_NAMES, autoencodeTask, classifyTask } from './run/task.ts';
export type { EpochMetrics, TaskName, TrainTask } from './run/task.ts';
export { accuracyOf, confusionMatrix } from './train/confusion.ts';
export type { ConfusionMatrix } from './train/confusion.ts';
export type { ExamplesDescriptor } from './train/parallel/parallelTrainer.ts';
export type { ObjectiveSpec } from './train/parallel/sharedState.ts';
export { configFromPreset, decodeTrainingConfig, encodeTrainingConfig } from './config/config.ts';
export type { ConfigPatch, ConfigSources, TrainingConfig } from './config/config.ts';
export type { Hyperparameters, Preset } from './config/presets.ts';
export type { Dataset, DatasetName, ImageSet, LoadDatasetOptions } from './data/datasets.ts';
export type { DataError } from './data/idx.ts';
export type { Encoding } from './data/encode.ts';
export type { EncodedExamples, ExampleOptions, ImagePart } from './data/noise.ts';
export type { Rng } from './data/rng.ts';
export type { LoadedModel, SavedModel } from './model/codecs.ts';
export type { BackwardParams, GradientViews } from './model/backward.ts';
export type { ForwardResult } from './model/forward.ts';
export type { InitOptions } from './model/init.ts';

// pictures and files, as the examples write them
export { grayFromTimes, imageGrid } from './report/imageGrid.ts';
export type { ImageGridOptions } from './report/imageGrid.ts';
export { encodePng, rasterImage } from './report/png.ts';
export type { Channels, RasterImage } from './report/png.ts';
export { writeFileAtomic } from './io/atomicWrite.ts';
