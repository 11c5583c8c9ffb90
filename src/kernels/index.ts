/**
 * `spikeline/kernels`: the numeric kernels under the friendly API of `spikeline`, for users who
 * write their own training or streaming loops on typed arrays: the Lambert W function, the
 * `NeuronModel` contract and its models, the alpha kernel's interval solver and derivatives, the
 * event-driven layer kernel (`layerForward`, `layerFireRange`, `sortLayerInputs`, its tape) and its
 * reverse pass (`layerBackward`, `layerBackwardRange`), and the stream layer state.
 *
 * Kernels write into caller-owned outputs and allocate nothing; see each module for its units.
 *
 * ## Example
 * ```ts
 * import { allocLayerTape, layerForward } from 'spikeline/kernels';
 * ```
 */
export * from './lambertW.ts';
export * from './neuronModel.ts';
export * from './alpha.ts';
export * from './dualExponential.ts';
export * from './layer.ts';
export * from './layerGradient.ts';
export * from './layerStream.ts';
export * from './neuronModels.ts';
export * from './layerModel.ts';
export * from './layerModelGradient.ts';
export * from './layerStreamModel.ts';
