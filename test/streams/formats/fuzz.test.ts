import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventChunkFrom } from '../../../streams/events.ts';
import { createAedat4Decoder, encodeAedat4 } from '../../../streams/formats/aedat4.ts';
import { createDatDecoder, encodeDat } from '../../../streams/formats/dat.ts';
import { type EventDecoder, decodeAll } from '../../../streams/formats/eventDecoder.ts';
import { EventFormatError } from '../../../streams/formats/eventFormatError.ts';
import { createEvt2Decoder } from '../../../streams/formats/evt2.ts';
import { createEvt3Decoder } from '../../../streams/formats/evt3.ts';
import { createNmnistDecoder } from '../../../streams/formats/nmnist.ts';
import { eventsArb, sample } from './formatTestKit.ts';

/** Runs the decoder; true if it decodes or fails with a well-formed EventFormatError. */
function decodesOrFailsClearly(make: () => EventDecoder, bytes: Uint8Array, pieces: number): boolean {
  const decoder = make();
  try {
    decodeAll(decoder, bytes, pieces);
    return true;
  } catch (e) {
    if (!(e instanceof EventFormatError)) throw e;
    return (
      e.format === decoder.format &&
      Number.isInteger(e.byteOffset) &&
      e.byteOffset >= 0 &&
      e.byteOffset <= bytes.length &&
      e.message.includes(`at byte ${e.byteOffset}`)
    );
  }
}

const mutation = fc.record({
  edits: fc.array(fc.record({ at: fc.nat(), value: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 8 }),
  keep: fc.double({ min: 0, max: 1, noNaN: true }),
  pieces: fc.integer({ min: 1, max: 4096 }),
});

function mutate(base: Uint8Array, m: { edits: { at: number; value: number }[]; keep: number }): Uint8Array {
  const out = base.slice(0, Math.max(0, Math.round(base.length * m.keep)));
  for (const e of m.edits) if (out.length > 0) out[e.at % out.length] = e.value;
  return out;
}

const aedatBase = encodeAedat4(
  eventChunkFrom(Array.from({ length: 300 }, (_, i) => ({ x: i % 320, y: (7 * i) % 240, polarity: i & 1, timeUs: 1e12 + 13 * i }))),
  { compression: 'lz4', eventsPerPacket: 64, withOtherStream: true },
);

const targets: [string, () => EventDecoder, Uint8Array][] = [
  ['nmnist', createNmnistDecoder, sample('nmnist-sample.bin').subarray(0, 2000)],
  ['dat', createDatDecoder, sample('ncars-sample.dat').subarray(0, 3000)],
  ['evt2', createEvt2Decoder, sample('evt2-sample.raw').subarray(0, 8000)],
  ['evt3', createEvt3Decoder, sample('evt3-sample.raw').subarray(0, 8000)],
  ['aedat4 (written, lz4)', createAedat4Decoder, aedatBase],
  ['aedat4 (written, zstd)', createAedat4Decoder, encodeAedat4(eventChunkFrom([{ x: 1, y: 2, polarity: 1, timeUs: 5 }]), { compression: 'zstd' })],
  ['aedat4 (real, first packets)', createAedat4Decoder, sample('sample.aedat4').subarray(0, 40_000)],
];

describe('random byte mutations and truncations: decode, or throw a clear EventFormatError', () => {
  it.each(targets)('%s', (_name, make, base) => {
    fc.assert(
      fc.property(mutation, (m) => decodesOrFailsClearly(make, mutate(base, m), m.pieces)),
      { numRuns: 150 },
    );
  });

  it('random garbage after a valid AEDAT 4 header is rejected clearly', () => {
    const header = aedatBase.subarray(0, 18 + new DataView(aedatBase.buffer).getInt32(14, true));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2000 }), (junk) => {
        const bytes = new Uint8Array(header.length + junk.length);
        bytes.set(header);
        bytes.set(junk, header.length);
        return decodesOrFailsClearly(createAedat4Decoder, bytes, 97);
      }),
      { numRuns: 150 },
    );
  });
});

describe('errors name the format and the byte offset', () => {
  it('EVT 3.0 ending inside a 16-bit word', () => {
    const bytes = sample('evt3-sample.raw');
    const cut = bytes.subarray(0, bytes.length - 1);
    expect(() => decodeAll(createEvt3Decoder(), cut)).toThrow(EventFormatError);
    try {
      decodeAll(createEvt3Decoder(), cut, 1000);
    } catch (e) {
      expect(e).toBeInstanceOf(EventFormatError);
      expect((e as EventFormatError).byteOffset).toBe(cut.length - 1);
      expect((e as EventFormatError).format).toBe('evt3');
    }
  });

  it('EVT 2.0 ending inside a 32-bit word', () => {
    const bytes = sample('evt2-sample.raw');
    const cut = bytes.subarray(0, bytes.length - 3);
    expect(() => decodeAll(createEvt2Decoder(), cut)).toThrow(`evt2: input ends inside a 32-bit word at byte ${cut.length - 1}`);
  });

  it('N-MNIST ending inside a record', () => {
    expect(() => decodeAll(createNmnistDecoder(), new Uint8Array(12))).toThrow('nmnist: input ends inside a 5-byte event at byte 10');
  });

  it('DAT with an event size other than 8', () => {
    const bytes = encodeDat(eventChunkFrom([{ x: 1, y: 1, polarity: 0, timeUs: 1 }]));
    const sizeAt = bytes.length - 9;
    expect(bytes[sizeAt]).toBe(8);
    bytes[sizeAt] = 12;
    expect(() => decodeAll(createDatDecoder(), bytes)).toThrow(`dat: event size 12 (expected 8) at byte ${sizeAt}`);
  });

  it('AEDAT 4 with a bad magic, and truncated inside a packet', () => {
    const bad = aedatBase.slice();
    bad[3] = 0x41;
    expect(() => decodeAll(createAedat4Decoder(), bad)).toThrow('aedat4: not an AEDAT 4.0 file (bad magic) at byte 3');
    const cut = aedatBase.subarray(0, aedatBase.length - 10);
    expect(() => decodeAll(createAedat4Decoder(), cut, 333)).toThrow(/aedat4: input ends inside the payload .* at byte \d+/);
  });

  it('an encoder refuses what its format cannot hold', () => {
    fc.assert(
      fc.property(eventsArb({ maxX: 2047, maxY: 2047, maxGapUs: 10, maxStartUs: 10 }), (c) => {
        if (c.count === 0) return true;
        const bad = { ...c, timeUs: c.timeUs.map((t) => t + 0.5) };
        expect(() => encodeDat(bad)).toThrow(RangeError);
        return true;
      }),
      { numRuns: 20 },
    );
  });
});
