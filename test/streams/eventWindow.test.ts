/**
 * eventWindow: marble tests in virtual time (windows close with the event that passes their end,
 * or at completion — never on a clock) and properties (no event lost or moved, windows by
 * duration have the right spans, by count the right sizes, chunked ≡ unchunked).
 */
import fc from 'fast-check';
import { from, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { type CameraEvent } from '../../streams/events.ts';
import { eventWindow } from '../../streams/operators/eventWindow.ts';
import { type EventWindow } from '../../streams/sample.ts';
import { chopEvents, chunkEvents, collect, cutsArb, eventsArb } from './eventKit.ts';

const ev = (timeUs: number, x = 1): CameraEvent => ({ x, y: 2, polarity: 1, timeUs });
const summary = (w: EventWindow) => ({ index: w.index, startUs: w.startUs, endUs: w.endUs, times: Array.from(w.events.timeUs) });
const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('eventWindow (marbles, virtual time)', () => {
  it('by duration: a window is emitted in the frame of the event that passes its end; the last at completion', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('a-b-c-d---|', { a: ev(0), b: ev(40), c: ev(120), d: ev(130) });
      expectObservable(src.pipe(eventWindow({ durationUs: 100 }), map(summary))).toBe('----x-----(y|)', {
        x: { index: 0, startUs: 0, endUs: 100, times: [0, 40] },
        y: { index: 1, startUs: 100, endUs: 200, times: [120, 130] },
      });
    });
  });

  it('by duration: however long the wall-clock silence, a window stays open until event time passes it', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('a 5s b 5s c 1s |', { a: ev(1000), b: ev(1050), c: ev(1100) });
      expectObservable(src.pipe(eventWindow({ durationUs: 100, originUs: 1000 }), map(summary))).toBe('10002ms x 1000ms (y|)', {
        x: { index: 0, startUs: 1000, endUs: 1100, times: [1000, 1050] },
        y: { index: 1, startUs: 1100, endUs: 1200, times: [1100] },
      });
    });
  });

  it('by duration: empty windows are skipped (their index too); origin defaults to the first event', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('ab|', { a: ev(7), b: ev(357) });
      expectObservable(src.pipe(eventWindow({ durationUs: 100 }), map(summary))).toBe('-x(y|)', {
        x: { index: 0, startUs: 7, endUs: 107, times: [7] },
        y: { index: 3, startUs: 307, endUs: 407, times: [357] },
      });
    });
  });

  it('by count: a window is emitted with its N-th event; a shorter last one at completion', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('a-b-c-d-e-|', { a: ev(0), b: ev(5), c: ev(9), d: ev(9), e: ev(20) });
      expectObservable(src.pipe(eventWindow({ count: 2 }), map(summary))).toBe('--x---y---(z|)', {
        x: { index: 0, startUs: 0, endUs: 6, times: [0, 5] },
        y: { index: 1, startUs: 9, endUs: 10, times: [9, 9] },
        z: { index: 2, startUs: 20, endUs: 21, times: [20] },
      });
    });
  });

  it('errors pass through at once and a late event errors (or is dropped with late: drop)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('a-b-c|', { a: ev(0), b: ev(150), c: ev(20) });
      expectObservable(src.pipe(eventWindow({ durationUs: 100, late: 'drop' }), map(summary))).toBe('--x--(y|)', {
        x: { index: 0, startUs: 0, endUs: 100, times: [0] },
        y: { index: 1, startUs: 100, endUs: 200, times: [150] },
      });
      const err = cold('a-#', { a: ev(0) }, new Error('boom'));
      expectObservable(err.pipe(eventWindow({ count: 5 }))).toBe('--#', undefined, new Error('boom'));
    });
  });
});

describe('eventWindow (properties)', () => {
  it('by duration: every event in exactly one window, in order, inside its span; chunked ≡ unchunked', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb(8, 8, { maxGap: 80 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: -300, max: 300 }), cutsArb, async (events, d, o, cuts) => {
        const op = eventWindow({ durationUs: d, originUs: o });
        const ws = await collect(from(events).pipe(op));
        const wc = await collect(from(chopEvents(events, cuts)).pipe(op));
        expect(wc.map(summary)).toEqual(ws.map(summary));
        expect(ws.flatMap((w) => chunkEvents(w.events))).toEqual(events);
        for (let i = 0; i < ws.length; i++) {
          const w = ws[i];
          expect(w.startUs).toBe(o + w.index * d);
          expect(w.endUs).toBe(o + (w.index + 1) * d);
          expect(w.events.count).toBeGreaterThan(0);
          if (i > 0) expect(w.index).toBeGreaterThan(ws[i - 1].index);
          for (const t of w.events.timeUs) if (!(t >= w.startUs && t < w.endUs)) return false;
        }
        return true;
      }),
    );
  });

  it('by count: windows of N events (the last maybe fewer) covering the input in order; chunked ≡ unchunked', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb(8, 8), fc.integer({ min: 1, max: 10 }), cutsArb, async (events, n, cuts) => {
        const ws = await collect(from(events).pipe(eventWindow({ count: n })));
        const wc = await collect(from(chopEvents(events, cuts)).pipe(eventWindow({ count: n })));
        expect(wc.map(summary)).toEqual(ws.map(summary));
        expect(ws.flatMap((w) => chunkEvents(w.events))).toEqual(events);
        expect(ws.length).toBe(Math.ceil(events.length / n));
        return ws.every(
          (w, i) =>
            w.index === i &&
            (w.events.count === n || (i === ws.length - 1 && w.events.count < n)) &&
            Array.from(w.events.timeUs).every((t) => t >= w.startUs && t < w.endUs),
        );
      }),
    );
  });

  it('a late event errors with its index and time', async () => {
    await expect(collect(from([ev(0), ev(150), ev(20)]).pipe(eventWindow({ durationUs: 100 })))).rejects.toThrow(/event 2 .* time 20 µs/);
    expect(() => eventWindow({ durationUs: 0 })).toThrow(/durationUs/);
    expect(() => eventWindow({ count: 1.5 })).toThrow(/count/);
  });
});
