/**
 * Compose a spiking pipeline from operators: MNIST test images → latency code → the encoder layer
 * → 32-number embeddings, and → the whole network → decoded images, written as a PNG.
 *
 *     npx tsx examples/compose-pipeline.ts [OUT_DIR]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { from, lastValueFrom, toArray } from 'rxjs';
import { encodePng, imageGrid, writeFileAtomic } from 'spikeline';
import { eachSample, embedding, latencyDecode, latencyEncode, layerOf, spikingLayer, spikingNetwork } from 'spikeline/streams';
import { demoNetwork, mnist } from './quickAutoencoder.ts';

export const main = async (outDir = 'examples-out', log: (s: string) => void = console.log) => {
  const data = mnist();
  const net = demoNetwork(log);
  const images = Array.from({ length: 10 }, (_, i) => data.test.images.subarray(i * 784, (i + 1) * 784));

  // images → spikes → encoder layer → embedding vectors (hidden spike times)
  const embeddings = await lastValueFrom(
    from(images).pipe(latencyEncode(), eachSample((s) => s.pipe(spikingLayer(layerOf(net, 0)), embedding({ size: 32 }))), toArray()),
  );
  // images → spikes → whole network → decoded images at the target latency
  const decoded = await lastValueFrom(
    from(images).pipe(latencyEncode(), eachSample((s) => s.pipe(spikingNetwork(net), latencyDecode({ size: 784, latency: 1 }))), toArray()),
  );
  embeddings.slice(0, 3).forEach((e, i) =>
    log(`test image ${i}: embedding (first 8 hidden spike times) ${Array.from(e.slice(0, 8), (t) => (t === Infinity ? '∞' : t.toFixed(3))).join(' ')}`),
  );
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'compose-pipeline.png');
  writeFileAtomic(file, encodePng(imageGrid([images, decoded])));
  log(`wrote ${file}: test images (top) and what the streamed network rebuilt (bottom)`);
  return { images, embeddings, decoded, file };
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv[2]);
