/**
 * `imageSpikes$(images, options)`: images → latency-coded samples, one {@link SpikeChunk} per
 * image, with the training encoding (`latencyEncode`: inverted t = (256 − b)/256, b = 0 silent, or
 * plain t = b/256). Images are read lazily from the iterable, one per emission.
 *
 * `datasetSamples$(set, pixelsPerImage, options)`: the images of a loaded data set part
 * (`src/data/datasets.ts`), in file order, as {@link LabelledSample}s `{ index, label, spikes }`.
 *
 * ## Example
 * ```ts
 * const mnist = loadDataset('mnist');
 * if (isRight(mnist)) datasetSamples$(mnist.right.test, 784, { count: 10 }).subscribe((s) => …);
 * ```
 */
import { Observable } from 'rxjs';
import { type Encoding } from '../../src/data/encode.ts';
import { type ImagePixels, latencyEncodeImage } from '../latencyEncodeImage.ts';
import { type SpikeChunk } from '../spike.ts';

export interface ImageSpikesOptions {
  /** 'inverted' (default) or 'plain'. */
  readonly encoding?: Encoding;
}

/** Each image of `images` as one latency-coded sample. */
export const imageSpikes$ = (images: Iterable<ImagePixels>, options: ImageSpikesOptions = {}): Observable<SpikeChunk> => {
  const encoding = options.encoding ?? 'inverted';
  return new Observable<SpikeChunk>((subscriber) => {
    try {
      for (const image of images) {
        if (subscriber.closed) return;
        subscriber.next(latencyEncodeImage(image, encoding));
      }
      subscriber.complete();
    } catch (e) {
      subscriber.error(e);
    }
  });
};

/** A sample of a labelled data set. */
export interface LabelledSample {
  /** Index of the image in its file. */
  readonly index: number;
  readonly label: number;
  readonly spikes: SpikeChunk;
}

/** The part of a data set {@link datasetSamples$} reads (`ImageSet` of `src/data/datasets.ts`). */
export interface LabelledImages {
  /** count × pixelsPerImage bytes. */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface DatasetSamplesOptions extends ImageSpikesOptions {
  /** First image (default 0). */
  readonly from?: number;
  /** Number of images (default: to the end). */
  readonly count?: number;
}

export const datasetSamples$ = (
  set: LabelledImages,
  pixelsPerImage: number,
  options: DatasetSamplesOptions = {},
): Observable<LabelledSample> => {
  const first = options.from ?? 0;
  const count = options.count ?? set.count - first;
  if (!(Number.isInteger(first) && Number.isInteger(count) && first >= 0 && count >= 0 && first + count <= set.count)) {
    throw new RangeError(`datasetSamples$: images ${first}..${first + count - 1} outside 0..${set.count - 1}`);
  }
  if (set.images.length < set.count * pixelsPerImage) {
    throw new RangeError(`datasetSamples$: ${set.images.length} bytes for ${set.count} images of ${pixelsPerImage} pixels`);
  }
  const encoding = options.encoding ?? 'inverted';
  return new Observable<LabelledSample>((subscriber) => {
    for (let i = first; i < first + count && !subscriber.closed; i++) {
      const pixels = set.images.subarray(i * pixelsPerImage, (i + 1) * pixelsPerImage);
      subscriber.next({ index: i, label: set.labels[i], spikes: latencyEncodeImage(pixels, encoding) });
    }
    subscriber.complete();
  });
};
