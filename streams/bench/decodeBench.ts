/**
 * Decoding throughput of the event-file decoders on the shared sample recordings, in memory
 * (no file I/O): each decoder runs over its sample repeatedly until at least `minSeconds` have
 * passed, pushing 64 KiB pieces as a file source would.
 *
 * events/s = events decoded / wall-clock seconds (performance.now()).
 *
 * ## Example
 * ```ts
 * const r = benchDecode(); // { decodeEvt3EventsPerSec: 6.1e7, ... }
 * ```
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createAedat4Decoder } from '../formats/aedat4.ts';
import { createDatDecoder } from '../formats/dat.ts';
import { type EventDecoder } from '../formats/eventDecoder.ts';
import { createEvt2Decoder } from '../formats/evt2.ts';
import { createEvt3Decoder } from '../formats/evt3.ts';
import { createNmnistDecoder } from '../formats/nmnist.ts';

export interface DecodeBenchResult {
  readonly decodeEvt3EventsPerSec: number;
  readonly decodeEvt2EventsPerSec: number;
  readonly decodeAedat4EventsPerSec: number;
  readonly decodeDatEventsPerSec: number;
  readonly decodeNmnistEventsPerSec: number;
}

export interface DecodeBenchOptions {
  /** Folder of the sample recordings (default: the project's test/fixtures/events). */
  readonly eventsDir?: string;
  /** Minimum measuring time per format, in seconds (default 0.5). */
  readonly minSeconds?: number;
}

const defaultEventsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/events');
const PIECE_BYTES = 64 * 1024;

function decodeOnce(make: () => EventDecoder, bytes: Uint8Array): number {
  const d = make();
  let n = 0;
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
    for (const c of d.push(bytes.subarray(at, at + PIECE_BYTES))) n += c.count;
  }
  for (const c of d.end()) n += c.count;
  return n;
}

function eventsPerSec(make: () => EventDecoder, bytes: Uint8Array, minSeconds: number): number {
  decodeOnce(make, bytes); // warm-up
  decodeOnce(make, bytes);
  let events = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    events += decodeOnce(make, bytes);
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < minSeconds);
  return events / elapsed;
}

export function benchDecode(options: DecodeBenchOptions = {}): DecodeBenchResult {
  const dir = options.eventsDir ?? defaultEventsDir;
  const minSeconds = options.minSeconds ?? 0.5;
  const load = (name: string) => new Uint8Array(readFileSync(resolve(dir, name)));
  return {
    decodeEvt3EventsPerSec: eventsPerSec(() => createEvt3Decoder(), load('evt3-sample.raw'), minSeconds),
    decodeEvt2EventsPerSec: eventsPerSec(() => createEvt2Decoder(), load('evt2-sample.raw'), minSeconds),
    decodeAedat4EventsPerSec: eventsPerSec(() => createAedat4Decoder(), load('sample.aedat4'), minSeconds),
    decodeDatEventsPerSec: eventsPerSec(() => createDatDecoder(), load('ncars-sample.dat'), minSeconds),
    decodeNmnistEventsPerSec: eventsPerSec(() => createNmnistDecoder(), load('nmnist-sample.bin'), minSeconds),
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const r = benchDecode();
  for (const [k, v] of Object.entries(r)) console.log(`${k}: ${(v / 1e6).toFixed(1)} M`);
}
