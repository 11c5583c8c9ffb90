import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EventChunk, concatEventChunks } from '../../../streams/events.ts';
import { createAedat4Decoder, encodeAedat4 } from '../../../streams/formats/aedat4.ts';
import { createDatDecoder, encodeDat } from '../../../streams/formats/dat.ts';
import { type EventDecoder, decodeAll } from '../../../streams/formats/eventDecoder.ts';
import { createEvt2Decoder, encodeEvt2 } from '../../../streams/formats/evt2.ts';
import { createEvt3Decoder, encodeEvt3 } from '../../../streams/formats/evt3.ts';
import { createNmnistDecoder, encodeNmnist } from '../../../streams/formats/nmnist.ts';
import { type EventLimits, eventsArb, sample, sameEvents } from './formatTestKit.ts';

interface FormatCase {
  readonly name: string;
  readonly limits: EventLimits;
  readonly encode: (c: EventChunk) => Uint8Array;
  readonly decoder: () => EventDecoder;
}

/** The whole non-negative i16 range as an AEDAT 4 sensor, so round trips cover every coordinate. */
const whole = { width: 32768, height: 32768 };

const cases: FormatCase[] = [
  {
    name: 'nmnist',
    limits: { maxX: 33, maxY: 33, maxGapUs: 5000, maxStartUs: 1000 },
    encode: encodeNmnist,
    decoder: () => createNmnistDecoder({ maxChunkEvents: 16 }),
  },
  {
    name: 'nmnist (whole 8-bit range: sensor 256×256)',
    limits: { maxX: 255, maxY: 255, maxGapUs: 5000, maxStartUs: 1000 },
    encode: encodeNmnist,
    decoder: () => createNmnistDecoder({ maxChunkEvents: 16, sensor: { width: 256, height: 256 } }),
  },
  {
    name: 'dat',
    limits: { maxX: 303, maxY: 239, maxGapUs: 2 ** 26, maxStartUs: 2 ** 30 },
    encode: (c) => encodeDat(c, { sensor: { width: 304, height: 240 } }),
    decoder: () => createDatDecoder({ maxChunkEvents: 16 }),
  },
  {
    name: 'dat (no size in the header: whole 14-bit range)',
    limits: { maxX: (1 << 14) - 1, maxY: (1 << 14) - 1, maxGapUs: 2 ** 26, maxStartUs: 2 ** 30 },
    encode: (c) => encodeDat(c),
    decoder: () => createDatDecoder({ maxChunkEvents: 16 }),
  },
  {
    name: 'evt2',
    limits: { maxX: 2047, maxY: 2047, maxGapUs: 2 ** 32, maxStartUs: 2 ** 34 },
    encode: (c) => encodeEvt2(c, { sensor: { width: 2048, height: 2048 } }),
    decoder: () => createEvt2Decoder({ maxChunkEvents: 16 }),
  },
  {
    name: 'evt3',
    limits: { maxX: 1279, maxY: 719, maxGapUs: 2 ** 25, maxStartUs: 2 ** 28 },
    encode: (c) => encodeEvt3(c, { sensor: { width: 1280, height: 720 } }),
    decoder: () => createEvt3Decoder({ maxChunkEvents: 16 }),
  },
  {
    name: 'evt3 (no size in the header: whole 11-bit range)',
    limits: { maxX: 2047, maxY: 2047, maxGapUs: 2 ** 25, maxStartUs: 2 ** 28 },
    encode: (c) => encodeEvt3(c),
    decoder: () => createEvt3Decoder({ maxChunkEvents: 16 }),
  },
  {
    name: 'aedat4 (lz4)',
    limits: { maxX: 32767, maxY: 32767, maxGapUs: 2 ** 40, maxStartUs: 2 ** 51 },
    encode: (c) => encodeAedat4(c, { compression: 'lz4', eventsPerPacket: 7, withOtherStream: true, sensor: whole }),
    decoder: () => createAedat4Decoder({ maxChunkEvents: 16 }),
  },
  {
    name: 'aedat4 (zstd)',
    limits: { maxX: 32767, maxY: 32767, maxGapUs: 2 ** 40, maxStartUs: 2 ** 51 },
    encode: (c) => encodeAedat4(c, { compression: 'zstd', eventsPerPacket: 9, sensor: whole }),
    decoder: () => createAedat4Decoder({ maxChunkEvents: 16 }),
  },
  {
    name: 'aedat4 (none)',
    limits: { maxX: 32767, maxY: 32767, maxGapUs: 2 ** 40, maxStartUs: 2 ** 51 },
    encode: (c) => encodeAedat4(c, { compression: 'none', eventsPerPacket: 5, withOtherStream: true, sensor: whole }),
    decoder: () => createAedat4Decoder({ maxChunkEvents: 16 }),
  },
];

/** Decodes `bytes` pushed in pieces whose sizes cycle through `sizes`. */
function decodeInPieces(decoder: EventDecoder, bytes: Uint8Array, sizes: readonly number[]): EventChunk {
  const chunks: EventChunk[] = [];
  let k = 0;
  for (let at = 0; at < bytes.length; ) {
    const n = sizes[k++ % sizes.length];
    chunks.push(...decoder.push(bytes.subarray(at, at + n)));
    at += n;
  }
  chunks.push(...decoder.end());
  for (const c of chunks) if (c.count > 16) return concatEventChunks([]); // chunk bound violated
  return concatEventChunks(chunks);
}

const pieceSizes = fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 20 });
const smallPieceSizes = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 });

describe.each(cases)('$name', ({ limits, encode, decoder }) => {
  it('write then read gives back the events (fast-check)', () => {
    fc.assert(
      fc.property(eventsArb(limits), (events) => sameEvents(decodeAll(decoder(), encode(events)), events)),
      { numRuns: 150 },
    );
  });

  it('decoding does not depend on where the input is cut (pieces of 1..64 bytes)', () => {
    fc.assert(
      fc.property(eventsArb(limits), smallPieceSizes, (events, sizes) =>
        sameEvents(decodeInPieces(decoder(), encode(events), sizes), events),
      ),
      { numRuns: 100 },
    );
  });
});

describe('chunk-boundary independence on the real recordings (pieces of 1..4096 bytes)', () => {
  const files: [string, () => EventDecoder][] = [
    ['nmnist-sample.bin', () => createNmnistDecoder({ maxChunkEvents: 16 })],
    ['ncars-sample.dat', () => createDatDecoder({ maxChunkEvents: 16 })],
    ['evt2-sample.raw', () => createEvt2Decoder({ maxChunkEvents: 4096 })],
    ['evt3-sample.raw', () => createEvt3Decoder({ maxChunkEvents: 4096 })],
    ['sample.aedat4', () => createAedat4Decoder({ maxChunkEvents: 4096 })],
  ];
  it.each(files)('%s', (name, make) => {
    const bytes = sample(name);
    const whole = decodeAll(make(), bytes);
    expect(whole.count).toBeGreaterThan(1000);
    fc.assert(
      fc.property(pieceSizes, (sizes) => {
        const d = make();
        const chunks: EventChunk[] = [];
        let k = 0;
        for (let at = 0; at < bytes.length; ) {
          const n = sizes[k++ % sizes.length];
          chunks.push(...d.push(bytes.subarray(at, at + n)));
          at += n;
        }
        chunks.push(...d.end());
        return sameEvents(concatEventChunks(chunks), whole);
      }),
      { numRuns: 4 },
    );
  });
});
