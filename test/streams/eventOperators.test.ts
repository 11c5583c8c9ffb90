/**
 * crop, downsample and denoise: invariants, a naive reference for the denoiser, and chunked ≡
 * unchunked (the same events out whatever mix of single events and chunks goes in).
 */
import fc from 'fast-check';
import { from, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { type CameraEvent, eventChunkFrom } from '../../streams/events.ts';
import { crop } from '../../streams/operators/crop.ts';
import { denoise } from '../../streams/operators/denoise.ts';
import { downsample } from '../../streams/operators/downsample.ts';
import { chopEvents, collect, cutsArb, eventsArb, flatEvents } from './eventKit.ts';

const rectArb = fc.record({ x: fc.nat(12), y: fc.nat(12), width: fc.nat(12), height: fc.nat(12) });

describe('crop', () => {
  it('keeps exactly the events inside the rectangle, shifted, in order; chunked ≡ unchunked', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb(16, 16), rectArb, cutsArb, async (events, r, cuts) => {
        const want = events
          .filter((e) => e.x >= r.x && e.x < r.x + r.width && e.y >= r.y && e.y < r.y + r.height)
          .map((e) => ({ ...e, x: e.x - r.x, y: e.y - r.y }));
        const single = flatEvents(await collect(from(events).pipe(crop(r))));
        const chunked = flatEvents(await collect(from(chopEvents(events, cuts)).pipe(crop(r))));
        expect(single).toEqual(want);
        expect(chunked).toEqual(want);
        return single.every((e) => e.x < r.width && e.y < r.height);
      }),
    );
  });

  it('crop ∘ crop = crop of the nested rectangle', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb(16, 16), rectArb, rectArb, async (events, a, b) => {
        const twice = flatEvents(await collect(from(events).pipe(crop(a), crop(b))));
        const x = a.x + b.x;
        const y = a.y + b.y;
        const nested = {
          x,
          y,
          width: Math.max(0, Math.min(a.x + a.width, x + b.width) - x),
          height: Math.max(0, Math.min(a.y + a.height, y + b.height) - y),
        };
        const once = flatEvents(await collect(from(events).pipe(crop(nested))));
        expect(twice).toEqual(once);
        return true;
      }),
    );
  });

  it('rejects a bad rectangle', () => {
    expect(() => crop({ x: -1, y: 0, width: 2, height: 2 })).toThrow(/rect\.x/);
  });
});

describe('downsample', () => {
  it('keeps every event, maps into the target grid, monotone in x and y; chunked ≡ unchunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        eventsArb(20, 18),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 18 }),
        cutsArb,
        async (events, tw, th, cuts) => {
          const op = downsample({ from: { width: 20, height: 18 }, to: { width: tw, height: th } });
          const single = flatEvents(await collect(from(events).pipe(op)));
          const chunked = flatEvents(await collect(from(chopEvents(events, cuts)).pipe(op)));
          expect(chunked).toEqual(single);
          expect(single.length).toBe(events.length);
          return single.every(
            (e, i) =>
              e.x < tw &&
              e.y < th &&
              e.timeUs === events[i].timeUs &&
              e.polarity === events[i].polarity &&
              // a pixel further right/down never maps further left/up, and bins hold ⌈20/tw⌉ columns at most
              e.x * 20 <= events[i].x * tw &&
              events[i].x * tw < (e.x + 1) * 20,
          );
        },
      ),
    );
  });

  it('factor 1 is the identity; factor 2 then 3 equals factor 6', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb(24, 24), async (events) => {
        const id = flatEvents(await collect(from(events).pipe(downsample({ from: { width: 24, height: 24 }, to: { width: 24, height: 24 } }))));
        expect(id).toEqual(events);
        const two = downsample({ from: { width: 24, height: 24 }, to: { width: 12, height: 12 } });
        const three = downsample({ from: { width: 12, height: 12 }, to: { width: 4, height: 4 } });
        const six = downsample({ from: { width: 24, height: 24 }, to: { width: 4, height: 4 } });
        expect(flatEvents(await collect(from(events).pipe(two, three)))).toEqual(flatEvents(await collect(from(events).pipe(six))));
        return true;
      }),
    );
  });

  it('an event outside the source grid errors, naming it', async () => {
    const op = downsample({ from: { width: 4, height: 4 }, to: { width: 2, height: 2 } });
    await expect(collect(of(eventChunkFrom([{ x: 1, y: 1, polarity: 1, timeUs: 0 }, { x: 4, y: 0, polarity: 0, timeUs: 5 }])).pipe(op))).rejects.toThrow(
      /event 1 at \(4, 0\)/,
    );
  });
});

/** The naive definition: some earlier event at a neighbouring pixel within the window. */
const naiveDenoise = (events: readonly CameraEvent[], windowUs: number, mode: 'same' | 'any'): CameraEvent[] =>
  events.filter((e, i) =>
    events
      .slice(0, i)
      .some(
        (o) =>
          Math.abs(o.x - e.x) <= 1 &&
          Math.abs(o.y - e.y) <= 1 &&
          !(o.x === e.x && o.y === e.y) &&
          e.timeUs - o.timeUs <= windowUs &&
          (mode === 'any' || o.polarity === e.polarity),
      ),
  );

describe('denoise', () => {
  it('equals the naive neighbour-support definition, for both polarity modes; chunked ≡ unchunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        eventsArb(6, 5, { maxLength: 80, maxGap: 20 }),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom('same' as const, 'any' as const),
        cutsArb,
        async (events, windowUs, mode, cuts) => {
          const op = denoise({ width: 6, height: 5, windowUs, polarity: mode });
          const want = naiveDenoise(events, windowUs, mode);
          expect(flatEvents(await collect(from(events).pipe(op)))).toEqual(want);
          expect(flatEvents(await collect(from(chopEvents(events, cuts)).pipe(op)))).toEqual(want);
          return true;
        },
      ),
    );
  });

  it('chunked ≡ unchunked, and output ⊆ input in order', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb(8, 8, { maxLength: 80, maxGap: 10 }), cutsArb, async (events, cuts) => {
        const op = denoise({ width: 8, height: 8, windowUs: 40, polarity: 'any' });
        const single = flatEvents(await collect(from(events).pipe(op)));
        const chunked = flatEvents(await collect(from(chopEvents(events, cuts)).pipe(op)));
        expect(chunked).toEqual(single);
        let j = 0;
        for (const e of events) if (j < single.length && JSON.stringify(e) === JSON.stringify(single[j])) j++;
        return j === single.length;
      }),
    );
  });

  it('drops an isolated event, keeps a supported one; each subscription has its own state', async () => {
    const events: CameraEvent[] = [
      { x: 5, y: 5, polarity: 1, timeUs: 0 }, // nothing before it: dropped
      { x: 6, y: 5, polarity: 1, timeUs: 10 }, // neighbour (5,5) 10 µs ago: kept
      { x: 0, y: 0, polarity: 1, timeUs: 20 }, // isolated: dropped
      { x: 7, y: 6, polarity: 0, timeUs: 30 }, // neighbour (6,5) has the other polarity: dropped ('same')
      { x: 5, y: 6, polarity: 1, timeUs: 500 }, // neighbours too old: dropped
    ];
    const op = denoise({ width: 10, height: 10, windowUs: 100 });
    const src = from(events).pipe(op);
    expect(flatEvents(await collect(src))).toEqual([events[1]]);
    expect(flatEvents(await collect(src))).toEqual([events[1]]);
    await expect(collect(of({ x: 10, y: 0, polarity: 1, timeUs: 0 }).pipe(op))).rejects.toThrow(/outside the 10×10 grid/);
  });
});
