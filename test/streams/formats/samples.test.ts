import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { type EventChunk, eventAt } from '../../../streams/events.ts';
import { createAedat4Decoder } from '../../../streams/formats/aedat4.ts';
import { createDatDecoder } from '../../../streams/formats/dat.ts';
import { decodeAll } from '../../../streams/formats/eventDecoder.ts';
import { createEvt2Decoder } from '../../../streams/formats/evt2.ts';
import { createEvt3Decoder } from '../../../streams/formats/evt3.ts';
import { createNmnistDecoder } from '../../../streams/formats/nmnist.ts';
import { eventsDir } from '../../fixtures/fixtures.ts';
import { fbDeref, fbField, fbI64, fbRoot, fbU32 } from '../../../streams/formats/flatbuffer.ts';


const sample = (name: string): Uint8Array => new Uint8Array(readFileSync(resolve(eventsDir, name)));

function timesNonDecreasing(c: EventChunk): boolean {
  for (let i = 1; i < c.count; i++) if (c.timeUs[i] < c.timeUs[i - 1]) return false;
  return true;
}
function insideSensor(c: EventChunk, width: number, height: number): boolean {
  for (let i = 0; i < c.count; i++) if (c.x[i] >= width || c.y[i] >= height || c.polarity[i] > 1) return false;
  return true;
}

/** The NumPy .npy reader of the test: header dict, then little-endian structured records. */
function readNpyEvents(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(String.fromCharCode(...bytes.subarray(1, 6))).toBe('NUMPY');
  const major = bytes[6];
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = (major === 1 ? 10 : 12) + headerLen;
  const header = String.fromCharCode(...bytes.subarray(major === 1 ? 10 : 12, dataStart));
  expect(header).toMatch(/'fortran_order': False/);
  const count = Number(/'shape': \((\d+),\)/.exec(header)![1]);
  const fields = [...header.matchAll(/\('(\w*)', '([<|>][a-zA-Z]\d+)'\)/g)].map((m) => ({ name: m[1], type: m[2] }));
  const offsets: Record<string, { at: number; type: string }> = {};
  let at = 0;
  for (const f of fields) {
    offsets[f.name] = { at, type: f.type };
    at += Number(f.type.slice(2));
  }
  const recordBytes = at;
  expect(offsets.t.type).toBe('<i8');
  expect(offsets.x.type).toBe('<i2');
  expect(offsets.y.type).toBe('<i2');
  expect(offsets.p.type).toBe('|u1');
  return {
    count,
    t: (i: number) => Number(view.getBigInt64(dataStart + i * recordBytes + offsets.t.at, true)),
    x: (i: number) => view.getInt16(dataStart + i * recordBytes + offsets.x.at, true),
    y: (i: number) => view.getInt16(dataStart + i * recordBytes + offsets.y.at, true),
    p: (i: number) => view.getUint8(dataStart + i * recordBytes + offsets.p.at),
  };
}

describe('real recordings decode to their documented contents', () => {
  it('N-MNIST .bin: 4325 events, first and last as documented', () => {
    const c = decodeAll(createNmnistDecoder(), sample('nmnist-sample.bin'));
    expect(c.count).toBe(4325);
    expect(eventAt(c, 0)).toEqual({ x: 7, y: 15, polarity: 1, timeUs: 654 });
    expect(eventAt(c, c.count - 1)).toEqual({ x: 21, y: 14, polarity: 1, timeUs: 311175 });
    expect(insideSensor(c, 34, 34)).toBe(true);
  });

  it('Prophesee .dat (N-CARS): every record decoded, inside the ATIS sensor, times sorted, 100 ms long', () => {
    const bytes = sample('ncars-sample.dat');
    const decoder = createDatDecoder();
    const c = decodeAll(decoder, bytes);
    // records = bytes after the text header and the 2 type/size bytes, 8 bytes each
    let headerEnd = 0;
    while (bytes[headerEnd] === 0x25) headerEnd = bytes.indexOf(0x0a, headerEnd) + 1;
    expect(bytes[headerEnd + 1]).toBe(8);
    expect(c.count).toBe((bytes.length - headerEnd - 2) / 8);
    expect(insideSensor(c, 304, 240)).toBe(true); // N-CARS was recorded with a 304×240 ATIS
    expect(timesNonDecreasing(c)).toBe(true);
    expect(c.timeUs[c.count - 1] - c.timeUs[0]).toBeLessThan(100_000); // N-CARS samples last 100 ms
    expect(new Set(c.polarity.subarray(0, c.count)).size).toBe(2);
  });

  it('EVT 2.0 .raw: 539 481 events inside 640×480, times non-decreasing', () => {
    const c = decodeAll(createEvt2Decoder(), sample('evt2-sample.raw'));
    expect(c.count).toBe(539_481);
    expect(insideSensor(c, 640, 480)).toBe(true);
    expect(timesNonDecreasing(c)).toBe(true);
  });

  it('EVT 3.0 .raw with the reference reader\'s time rule: all 219 596 events equal the .npy exactly', () => {
    const ref = readNpyEvents(sample('evt3-sample.decoded.npy'));
    const c = decodeAll(createEvt3Decoder({ timeLowDecreaseIsOverflow: true }), sample('evt3-sample.raw'));
    expect(ref.count).toBe(219_596);
    expect(c.count).toBe(ref.count);
    let mismatches = 0;
    for (let i = 0; i < c.count; i++) {
      if (c.timeUs[i] !== ref.t(i) || c.x[i] !== ref.x(i) || c.y[i] !== ref.y(i) || c.polarity[i] !== ref.p(i)) {
        mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    expect(eventAt(c, 0)).toEqual({ x: 874, y: 200, polarity: 0, timeUs: 11718656 });
    expect(eventAt(c, c.count - 1)).toEqual({ x: 1218, y: 572, polarity: 1, timeUs: 11772513 });
  });

  it('EVT 3.0 .raw with the Prophesee time rule: same events; times differ from the .npy only by whole 4096 µs low-overflows', () => {
    const ref = readNpyEvents(sample('evt3-sample.decoded.npy'));
    const c = decodeAll(createEvt3Decoder(), sample('evt3-sample.raw'));
    expect(c.count).toBe(ref.count);
    let coordMismatches = 0;
    let badShift = 0;
    let firstShift = -1;
    for (let i = 0; i < c.count; i++) {
      if (c.x[i] !== ref.x(i) || c.y[i] !== ref.y(i) || c.polarity[i] !== ref.p(i)) coordMismatches++;
      const shift = ref.t(i) - c.timeUs[i];
      if (!(shift >= 0 && shift % 4096 === 0)) badShift++;
      if (shift !== 0 && firstShift < 0) firstShift = i;
    }
    expect(coordMismatches).toBe(0);
    expect(badShift).toBe(0);
    expect(firstShift).toBeGreaterThan(0); // the first events agree exactly
    expect(insideSensor(c, 1280, 720)).toBe(true);
    // Prophesee times only step back by the few µs of a re-sent TIME_LOW, never by a 4096 µs block
    let worstStepBack = 0;
    for (let i = 1; i < c.count; i++) worstStepBack = Math.max(worstStepBack, c.timeUs[i - 1] - c.timeUs[i]);
    expect(worstStepBack).toBeLessThan(64);
  });

  it('AEDAT 4.0: every polarity event the file\'s own packet index lists, inside the sensor, times sorted', () => {
    const bytes = sample('sample.aedat4');
    const decoder = createAedat4Decoder();
    const c = decodeAll(decoder, bytes, 64 * 1024);
    // Independent count: the FileDataTable at the end of the file (decompressed with lz4js's own
    // frame decoder) lists NumElements for every packet of the event stream (id 0).
    const lz4 = createRequire(import.meta.url)('lz4js') as { decompress(b: Uint8Array): Uint8Array };
    const headerSize = new DataView(bytes.buffer).getInt32(14, true);
    const ioHeader = bytes.subarray(18, 18 + headerSize);
    const dataTablePosition = fbI64(ioHeader, fbField(ioHeader, fbRoot(ioHeader, 0), 1));
    const table = Uint8Array.from(lz4.decompress(bytes.subarray(dataTablePosition))).subarray(4);
    const entries = fbDeref(table, fbField(table, fbRoot(table, 0), 0));
    let listed = 0;
    for (let k = 0; k < fbU32(table, entries); k++) {
      const entry = fbDeref(table, entries + 4 + 4 * k);
      const streamId = fbU32(table, fbField(table, entry, 1));
      if (streamId === 0) listed += fbI64(table, fbField(table, entry, 2));
    }
    expect(listed).toBe(111_954);
    expect(c.count).toBe(listed);
    expect(decoder.sensorSize()).toEqual({ width: 320, height: 240 });
    expect(insideSensor(c, 320, 240)).toBe(true);
    expect(timesNonDecreasing(c)).toBe(true);
  });
});
