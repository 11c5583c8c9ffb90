/**
 * `spikeline/streams`: the RxJS layer — spikes and samples, sources and operators.
 *
 * ## Example
 * ```ts
 * import { datasetSamples$, eachSample, latencyDecode } from 'spikeline/streams';
 * ```
 */

// ---------------------------------------------------------------------------------------------
// Spikes and samples

export type { Spike, SpikeChunk, Spikes } from './spike.ts';
export {
  allocSpikeChunk,
  concatSpikes,
  firstSpikeTimesInto,
  isSpikeChunk,
  spikeAt,
  spikeChunkFrom,
  spikeChunkFromTimes,
  spikesOf,
} from './spike.ts';
export type { EventItems, EventStep, EventWindow, MutableEvent, Sample, SameForm } from './sample.ts';
export {
  collectSample,
  eachSample,
  firstSpikeTimes,
  firstSpikeTimesOf,
  isChunkSample,
  isEventChunk,
  mapEvents,
  reduceSample,
  sampleOf,
  sampleSpikes$,
} from './sample.ts';

// ---------------------------------------------------------------------------------------------
// Operators: images ↔ spikes

export type { Encoding, ImagePixels, LatencyEncodeOptions } from './operators/latencyEncode.ts';
export { intensityTimes, latencyEncode, latencyEncodeImage } from './operators/latencyEncode.ts';
export type { LatencyDecodeOptions } from './operators/latencyDecode.ts';
export { latencyDecode, latencyDecodeInto, timeToByte } from './operators/latencyDecode.ts';
export type { EmbeddingOptions } from './operators/embedding.ts';
export { embedding, embeddingInto } from './operators/embedding.ts';

// ---------------------------------------------------------------------------------------------
// Operators: camera events

export type { EventWindowOptions } from './operators/eventWindow.ts';
export { eventWindow } from './operators/eventWindow.ts';
export type { DenoiseOptions } from './operators/denoise.ts';
export { denoise } from './operators/denoise.ts';
export type { Rect } from './operators/crop.ts';
export { crop, cropIndex } from './operators/crop.ts';
export type { DownsampleOptions, GridSize } from './operators/downsample.ts';
export { binCoordinate, downsample } from './operators/downsample.ts';
export type { PolarityChoice, ToLatencyCodeOptions } from './operators/toLatencyCode.ts';
export { latencyCodeSize, latencyCoder, toLatencyCode } from './operators/toLatencyCode.ts';

// ---------------------------------------------------------------------------------------------
// Sources

export type { DatasetSamplesOptions, ImageSpikesOptions, LabelledImages, LabelledSample } from './sources/imageSpikes.ts';
export { datasetSamples$, imageSpikes$ } from './sources/imageSpikes.ts';
export type { Saccade, SyntheticCameraOptions } from './sources/syntheticCamera.ts';
export { NMNIST_SACCADES, syntheticCamera$, syntheticSaccades } from './sources/syntheticCamera.ts';
export type { RealtimeReplayOptions } from './sources/realtimeReplay.ts';
export { realtimeReplay } from './sources/realtimeReplay.ts';
export type { DropPolicy, UdpEventSource, UdpEventSourceOptions, UdpSourceStats } from './sources/udpSource.ts';
export { encodeUdpDatagram, udpEventSource, udpEventWord } from './sources/udpSource.ts';
export { udpKernelDrops } from './sources/udpKernelDrops.ts';
export type { PauseGate } from './sources/pauseGate.ts';
export { createPauseGate, pausingConcatMap } from './sources/pauseGate.ts';
export type { TcpEventSourceOptions } from './sources/tcpSource.ts';
export { tcpEventSource$ } from './sources/tcpSource.ts';

// ---------------------------------------------------------------------------------------------
// Camera events and event-file decoders

export type { CameraEvent, EventChunk } from './events.ts';
export { allocEventChunk, concatEventChunks, eventAt, eventChunkFrom, eventsOf } from './events.ts';
export type { DecoderOptions, EventDecoder, SensorSize } from './formats/eventDecoder.ts';
export { decodeAll } from './formats/eventDecoder.ts';
export type { EventFormatName } from './formats/eventFormatError.ts';
export { EventFormatError } from './formats/eventFormatError.ts';
export { createEventDecoder, detectEventFormat } from './formats/detectEventFormat.ts';
export { createNmnistDecoder, encodeNmnist } from './formats/nmnist.ts';
export { createDatDecoder, encodeDat } from './formats/dat.ts';
export { createEvt2Decoder, encodeEvt2 } from './formats/evt2.ts';
export { createEvt3Decoder, encodeEvt3 } from './formats/evt3.ts';
export { createAedat4Decoder, encodeAedat4 } from './formats/aedat4.ts';
export type { EventFileHandle, EventFileOptions } from './sources/eventFile.ts';
export { eventFile$ } from './sources/eventFile.ts';

// ---------------------------------------------------------------------------------------------
// The network on streams: the same layer kernel as training, spike by spike

export type { NeuronSpike, NeuronSpikeChunk, StreamLayer } from './operators/spikingLayer.ts';
export { layerOf, spikingLayer, spikingNetwork } from './operators/spikingLayer.ts';
