/**
 * Image example sets that can cross a worker-thread boundary without copying: the image bytes
 * and the index list live in SharedArrayBuffers; a plain descriptor carries them, and each thread
 * opens its own {@link encodedExamples} over them (each with its own noise generator).
 */
import type { ImageSet } from './datasets.ts';
import { type EncodedExamples, type ExampleOptions, encodedExamples } from './noise.ts';

export interface SharedImagesDescriptor {
  readonly kind: 'images';
  readonly images: SharedArrayBuffer;
  readonly count: number;
  readonly pixelsPerImage: number;
  readonly options: Omit<ExampleOptions, 'indices'>;
  /** Uint32 image indices (example i reads image indices[i]); all images in order when absent. */
  readonly indices?: SharedArrayBuffer;
  /** The labels (one byte per image), for classification targets (`options.classes`). */
  readonly labels?: SharedArrayBuffer;
}

/** Copies the bytes of an image set into shared memory (once per run). */
export const shareImageBytes = (set: ImageSet): SharedArrayBuffer => {
  const sab = new SharedArrayBuffer(set.images.length);
  new Uint8Array(sab).set(set.images);
  return sab;
};

export const sharedImagesDescriptor = (
  images: SharedArrayBuffer,
  count: number,
  pixelsPerImage: number,
  options: Omit<ExampleOptions, 'indices'>,
  indices?: Uint32Array,
  labels?: Uint8Array,
): SharedImagesDescriptor => {
  let shared: SharedArrayBuffer | undefined;
  if (indices !== undefined) {
    shared = new SharedArrayBuffer(indices.length * 4);
    new Uint32Array(shared).set(indices);
  }
  let sharedLabels: SharedArrayBuffer | undefined;
  if (labels !== undefined) {
    sharedLabels = new SharedArrayBuffer(labels.length);
    new Uint8Array(sharedLabels).set(labels);
  }
  return { kind: 'images', images, count, pixelsPerImage, options, indices: shared, labels: sharedLabels };
};

/** Opens a descriptor in this thread. */
export const openSharedImages = (d: SharedImagesDescriptor): EncodedExamples =>
  encodedExamples(
    { images: new Uint8Array(d.images), labels: d.labels ? new Uint8Array(d.labels) : new Uint8Array(0), count: d.count },
    d.pixelsPerImage,
    { ...d.options, indices: d.indices ? new Uint32Array(d.indices) : undefined },
  );
