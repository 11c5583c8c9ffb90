/**
 * Real event-camera recordings through a spiking pipeline: read a file incrementally, cut it into
 * event-time windows, turn each window into a first-spike latency code on the network's 28×28
 * input grid, run the autoencoder on the stream, and write what went in and what came out as PNG.
 *
 *     npx tsx examples/event-camera-replay.ts [OUT_DIR] [EVENTS_DIR]
 *
 * EVENTS_DIR holds the sample recordings (default: the repository's
 * test/fixtures/events): an N-MNIST digit
 * (34×34 sensor, three saccades) and a Prophesee EVT 3.0 recording (1280×720).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Observable, lastValueFrom, mergeMap, of, toArray } from 'rxjs';
import { type Network, encodePng, imageGrid, writeFileAtomic } from 'spikeline';
import {
  type SpikeChunk,
  type ToLatencyCodeOptions,
  embedding,
  eventFile$,
  firstSpikeTimesOf,
  eventWindow,
  latencyDecode,
  layerOf,
  spikingLayer,
  spikingNetwork,
  toLatencyCode,
} from 'spikeline/streams';
import { demoNetwork } from './quickAutoencoder.ts';

const defaultEventsDir = resolve(fileURLToPath(import.meta.url), '../../test/fixtures/events');

/** An input code (spike times in [0, 1)) as a picture: early = bright, as in training. */
const codeImage = (code: SpikeChunk): Uint8Array => {
  const times = firstSpikeTimesOf(code, 784);
  return Uint8Array.from(times, (t) => (t === Infinity ? 0 : Math.max(0, Math.min(255, Math.round(256 * (1 - t))))));
};

interface Recording {
  readonly name: string;
  readonly file: string;
  readonly windowUs: number;
  readonly code: ToLatencyCodeOptions;
}

export const recordings = (eventsDir: string): Recording[] => [
  {
    name: 'nmnist',
    file: join(eventsDir, 'nmnist-sample.bin'),
    windowUs: 100_000, // one saccade
    code: { sensor: { width: 34, height: 34 }, crop: { x: 3, y: 3, width: 28, height: 28 }, polarity: 'on' },
  },
  {
    name: 'evt3',
    file: join(eventsDir, 'evt3-sample.raw'),
    windowUs: 1_000, // the recording spans about 9 ms
    // the central 720×720 square, binned onto 28×28
    code: { sensor: { width: 1280, height: 720 }, crop: { x: 280, y: 0, width: 720, height: 720 }, grid: { width: 28, height: 28 }, polarity: 'on' },
  },
];

const replay = async (net: Network, r: Recording) => {
  const codes$: Observable<SpikeChunk> = eventFile$(r.file).pipe(eventWindow({ durationUs: r.windowUs }), toLatencyCode(r.code));
  const results = await lastValueFrom(
    codes$.pipe(
      mergeMap(async (code) => {
        const decoded = await lastValueFrom(of(code).pipe(spikingNetwork(net), latencyDecode({ size: 784, latency: 1 })));
        const embedded = await lastValueFrom(of(code).pipe(spikingLayer(layerOf(net, 0)), embedding({ size: net.layerSizes[1] })));
        return { input: codeImage(code), decoded, embedded, spikes: code.count };
      }, 1),
      toArray(),
    ),
  );
  return results;
};

export const main = async (
  outDir = 'examples-out',
  eventsDir = defaultEventsDir,
  log: (s: string) => void = console.log,
) => {
  const net = demoNetwork(log);
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const summary: Record<string, { windows: number; spikes: number[]; silentHidden: number[] }> = {};
  for (const r of recordings(eventsDir)) {
    const results = (await replay(net, r)).slice(0, 12);
    const file = join(outDir, `event-camera-${r.name}.png`);
    writeFileAtomic(file, encodePng(imageGrid([results.map((x) => x.input), results.map((x) => x.decoded)])));
    files.push(file);
    summary[r.name] = {
      windows: results.length,
      spikes: results.map((x) => x.spikes),
      silentHidden: results.map((x) => x.embedded.filter((t) => t === Infinity).length),
    };
    log(`${r.name}: ${results.length} windows of ${r.windowUs / 1000} ms, input spikes per window ${summary[r.name].spikes.join(' ')} → ${file}`);
  }
  return { files, summary };
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv[2], process.argv[3]);
