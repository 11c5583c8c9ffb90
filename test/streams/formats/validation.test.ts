/**
 * Decoders refuse impossible content: every event is checked against the sensor the file states
 * (else the `sensor` option, else the format's bound), the error naming the file (through
 * eventFile$), the byte offset, the value and the bound, wherever the input is cut into pieces;
 * and an input that ends inside its text header is truncated, not an empty recording.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { type CameraEvent, eventChunkFrom } from '../../../streams/events.ts';
import { createAedat4Decoder, encodeAedat4 } from '../../../streams/formats/aedat4.ts';
import { createDatDecoder, encodeDat } from '../../../streams/formats/dat.ts';
import { type EventDecoder, decodeAll } from '../../../streams/formats/eventDecoder.ts';
import { EventFormatError } from '../../../streams/formats/eventFormatError.ts';
import { createEvt2Decoder, encodeEvt2 } from '../../../streams/formats/evt2.ts';
import { createEvt3Decoder, encodeEvt3 } from '../../../streams/formats/evt3.ts';
import { createNmnistDecoder, encodeNmnist } from '../../../streams/formats/nmnist.ts';
import { eventFile$ } from '../../../streams/sources/eventFile.ts';
import { sample } from './formatTestKit.ts';

/** The EventFormatError `decode` throws (fails the test if it throws nothing or something else). */
const formatError = (decode: () => unknown): EventFormatError => {
  try {
    decode();
  } catch (e) {
    if (e instanceof EventFormatError) return e;
    throw e;
  }
  throw new Error('decoded without an error');
};

const ev = (x: number, y: number, timeUs = 10): CameraEvent => ({ x, y, polarity: 1, timeUs });

/** The first bytes of a real PNG file (signature and IHDR chunk of a 28×28 grey image), 35 bytes. */
const pngHead = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 28, 0, 0, 0, 28, 8, 0, 0, 0, 0,
  0x57, 0x66, 0x80, 0x48, 0, 0,
]);

describe('N-MNIST: events must lie on the 34×34 sensor (the format has no header to check)', () => {
  it('a PNG renamed .bin is refused at byte 0, naming the file, the value and the bound', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikeline-validation-'));
    const file = join(dir, 'digit.bin');
    writeFileSync(file, pngHead);
    expect(pngHead.length % 5).toBe(0);
    await expect(lastValueFrom(eventFile$(file).pipe(toArray()))).rejects.toThrow(
      `${file}: nmnist: event x = 137 outside the 34×34 sensor (0 ≤ x < 34) at byte 0`,
    );
  });

  it('the offending record is named wherever the input is cut; y is checked too; `sensor` widens the bound', () => {
    const bytes = encodeNmnist(eventChunkFrom([ev(0, 0), ev(33, 33), ev(5, 34), ev(1, 1)]));
    for (const piece of [bytes.length, 1, 3, 7]) {
      const e = formatError(() => decodeAll(createNmnistDecoder(), bytes, piece));
      expect(e.message).toBe('nmnist: event y = 34 outside the 34×34 sensor (0 ≤ y < 34) at byte 10');
      expect(e.byteOffset).toBe(10);
    }
    expect(decodeAll(createNmnistDecoder({ sensor: { width: 240, height: 180 } }), bytes).count).toBe(4);
    expect(() => createNmnistDecoder({ sensor: { width: 0, height: 34 } })).toThrow(RangeError);
  });

  it('the real sample is accepted and reports its sensor', () => {
    const d = createNmnistDecoder();
    expect(decodeAll(d, sample('nmnist-sample.bin')).count).toBe(4325);
    expect(d.sensorSize()).toEqual({ width: 34, height: 34 });
  });
});

describe('Prophesee and AEDAT 4: events must lie on the sensor the file states', () => {
  const sensor = { width: 304, height: 240 };

  it('DAT: x past the header width, named at the address word, in any pieces; polarity must be 0/1', () => {
    const bytes = encodeDat(eventChunkFrom([ev(303, 239), ev(304, 0)]), { sensor });
    for (const piece of [bytes.length, 1, 5]) {
      const e = formatError(() => decodeAll(createDatDecoder(), bytes, piece));
      expect(e.message).toBe(`dat: event x = 304 outside the 304×240 sensor (0 ≤ x < 304) at byte ${bytes.length - 4}`);
    }
    const noSize = encodeDat(eventChunkFrom([ev(400, 10)]));
    expect(decodeAll(createDatDecoder(), noSize).count).toBe(1); // no size stated: the 14-bit range
    expect(formatError(() => decodeAll(createDatDecoder({ sensor }), noSize)).problem).toBe('event x = 400 outside the 304×240 sensor (0 ≤ x < 304)');
    const badPolarity = encodeDat(eventChunkFrom([{ x: 1, y: 1, polarity: 3, timeUs: 0 }]), { sensor });
    expect(formatError(() => decodeAll(createDatDecoder(), badPolarity)).problem).toBe('event polarity = 3 (CD events have 0 or 1)');
  });

  it('EVT 2.0: y past the geometry line, named at its word, in any pieces', () => {
    const bytes = encodeEvt2(eventChunkFrom([ev(10, 10), ev(10, 480, 11)]), { sensor: { width: 640, height: 480 } });
    for (const piece of [bytes.length, 1, 3]) {
      const e = formatError(() => decodeAll(createEvt2Decoder(), bytes, piece));
      expect(e.message).toBe(`evt2: event y = 480 outside the 640×480 sensor (0 ≤ y < 480) at byte ${bytes.length - 4}`);
    }
  });

  it('EVT 3.0: a single event and a vector that runs past the width, named at the word', () => {
    const hd = { width: 1280, height: 720 };
    const single = encodeEvt3(eventChunkFrom([ev(5, 5), ev(1280, 5, 12)]), { sensor: hd });
    expect(formatError(() => decodeAll(createEvt3Decoder(), single, 1)).message).toBe(
      `evt3: event x = 1280 outside the 1280×720 sensor (0 ≤ x < 1280) at byte ${single.length - 2}`,
    );
    const vector = encodeEvt3(eventChunkFrom([ev(1277, 5), ev(1278, 5), ev(1279, 5), ev(1281, 5)]), { sensor: hd });
    expect(formatError(() => decodeAll(createEvt3Decoder(), vector)).message).toBe(
      `evt3: event x = 1281 outside the 1280×720 sensor (0 ≤ x < 1280) at byte ${vector.length - 2}`,
    );
    // without a stated size the 11-bit range still holds: a vector based at 2047 runs past it
    const past = encodeEvt3(eventChunkFrom([ev(2040, 1), ev(2047, 1)]));
    past[past.length - 4] = 0xff; // VECT_BASE_X x = 2047 …
    past[past.length - 3] = 0x37;
    past[past.length - 2] = 0x03; // … then VECT_8 with bits 0 and 1: x = 2047, 2048
    past[past.length - 1] = 0x50;
    expect(formatError(() => decodeAll(createEvt3Decoder(), past)).problem).toBe('event x = 2048 outside the 2048×2048 sensor (0 ≤ x < 2048)');
  });

  it('AEDAT 4: an event past the infoNode sizeX/sizeY is named by packet offset, index, value and bound', () => {
    const bytes = encodeAedat4(eventChunkFrom([ev(0, 0), ev(345, 260)]), { compression: 'lz4', sensor: { width: 346, height: 260 } });
    const e = formatError(() => decodeAll(createAedat4Decoder(), bytes, 13));
    expect(e.problem).toBe('packet of stream 0: event 1 of the packet: y = 260 outside the 346×260 sensor (0 ≤ y < 260)');
  });

  it('the real samples lie on their sensors (EVT from the camera plugin named in the header)', () => {
    const cases: [string, () => EventDecoder, { width: number; height: number }][] = [
      ['evt2-sample.raw', () => createEvt2Decoder(), { width: 640, height: 480 }],
      ['evt3-sample.raw', () => createEvt3Decoder(), { width: 1280, height: 720 }],
      ['ncars-sample.dat', () => createDatDecoder({ sensor: { width: 304, height: 240 } }), { width: 304, height: 240 }],
      ['sample.aedat4', () => createAedat4Decoder(), { width: 320, height: 240 }],
    ];
    for (const [file, make, size] of cases) {
      const d = make();
      expect(decodeAll(d, sample(file)).count).toBeGreaterThan(1000);
      expect(d.sensorSize()).toEqual(size);
    }
  });
});

describe('a file cut inside its text header is truncated, not an empty recording', () => {
  const headerEnd = (bytes: Uint8Array): number => {
    let at = 0;
    while (bytes[at] === 0x25) at = bytes.indexOf(0x0a, at) + 1;
    return at;
  };
  const cases: [string, () => EventDecoder][] = [
    ['ncars-sample.dat', () => createDatDecoder()],
    ['evt3-sample.raw', () => createEvt3Decoder()],
    ['evt2-sample.raw', () => createEvt2Decoder()],
  ];
  for (const [file, make] of cases) {
    const raw = file.endsWith('.raw');
    it(`${file}: every cut inside the header (and right after it) is refused, naming where`, () => {
      const bytes = sample(file);
      const end = headerEnd(bytes);
      for (let cut = 0; cut <= end; cut++) {
        const e = formatError(() => decodeAll(make(), bytes.subarray(0, cut), 7));
        expect(e.byteOffset).toBe(cut);
        expect(e.problem).toMatch(cut === 0 ? /input is empty/ : /truncated header/);
      }
      // a .raw header closed by `% end` with no events is a valid empty recording
      if (raw) expect(decodeAll(make(), new TextEncoder().encode('% evt 3.0\n% end\n')).count).toBe(0);
    });
  }
  it('DAT: a header followed by no or part of the type/size bytes is refused (an empty recording has both)', () => {
    const bytes = sample('ncars-sample.dat');
    const end = headerEnd(bytes);
    expect(formatError(() => decodeAll(createDatDecoder(), bytes.subarray(0, end + 1))).problem).toBe('input ends inside the event type/size bytes');
    const closed = new TextEncoder().encode('% Data file\n% end\n');
    expect(formatError(() => decodeAll(createDatDecoder(), closed)).problem).toBe('input ends before the event type/size bytes');
    expect(decodeAll(createDatDecoder(), encodeDat(eventChunkFrom([]))).count).toBe(0);
  });
});
