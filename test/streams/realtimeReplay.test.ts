/**
 * realtimeReplay in virtual time: events come out at their time stamps' pace (scaled by speed),
 * chunks are split at the instants their events fall due, late events go out at once, and
 * unsubscribing cancels the pending timer.
 */
import fc from 'fast-check';
import { type SchedulerAction, type SchedulerLike, type Subscription, from, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { type CameraEvent, eventChunkFrom } from '../../streams/events.ts';
import { type EventItems, isEventChunk } from '../../streams/sample.ts';
import { realtimeReplay } from '../../streams/sources/realtimeReplay.ts';
import { chopEvents, cutsArb, eventsArb, flatEvents } from './eventKit.ts';

const ev = (timeUs: number): CameraEvent => ({ x: 0, y: 0, polarity: 1, timeUs });
const times = (x: EventItems): number[] => (isEventChunk(x) ? Array.from(x.timeUs.subarray(0, x.count)) : [x.timeUs]);
const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('realtimeReplay (marbles, virtual time)', () => {
  it('a source that runs ahead is paced by the time stamps (1 ms of virtual time per 1000 µs)', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const src = cold('(abc|)', { a: ev(10_000), b: ev(15_000), c: ev(30_000) });
      expectObservable(src.pipe(realtimeReplay({ scheduler: ts }), map(times))).toBe('a----b--------------(c|)', {
        a: [10_000],
        b: [15_000],
        c: [30_000],
      });
    });
  });

  it('speed 2 replays twice as fast; the default scheduler is virtual inside run()', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('(abc|)', { a: ev(0), b: ev(4000), c: ev(10_000) });
      expectObservable(src.pipe(realtimeReplay({ speed: 2 }), map(times))).toBe('a-b--(c|)', { a: [0], b: [4000], c: [10_000] });
    });
  });

  it('a chunk is emitted as sub-chunks, one per instant at which its events fall due', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const chunk = eventChunkFrom([ev(0), ev(0), ev(3000), ev(3000), ev(7000)]);
      const src = cold('(a|)', { a: chunk });
      expectObservable(src.pipe(realtimeReplay({ scheduler: ts }), map(times))).toBe('x--y---(z|)', {
        x: [0, 0],
        y: [3000, 3000],
        z: [7000],
      });
    });
  });

  it('prompt: an event arriving after its due time goes out on arrival; completion waits for the queue', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const src = cold('a 9ms b-|', { a: ev(0), b: ev(2000) });
      expectObservable(src.pipe(realtimeReplay({ scheduler: ts }), map(times))).toBe('a 9ms b-|', { a: [0], b: [2000] });
      const slowEnd = cold('(ab|)', { a: ev(0), b: ev(5000) });
      expectObservable(slowEnd.pipe(realtimeReplay({ scheduler: ts }), map(times))).toBe('a----(b|)', { a: [0], b: [5000] });
    });
  });

  it('unsubscribing stops the replay (the pending timer is cancelled)', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('(abc|)', { a: ev(0), b: ev(2000), c: ev(9000) });
      expectObservable(src.pipe(realtimeReplay({ scheduler: ts }), map(times)), '^----!').toBe('a-b--', { a: [0], b: [2000] });
      expectSubscriptions(src.subscriptions).toBe('(^!)');
    });
  });

  it('unsubscribing closes the scheduled timer', () => {
    const ts = scheduler();
    const timers: Subscription[] = [];
    const spy: SchedulerLike = {
      now: () => ts.now(),
      schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
        const s = ts.schedule(work, delay, state);
        timers.push(s);
        return s;
      },
    };
    const got: number[] = [];
    const sub = from([ev(0), ev(2000), ev(9000)])
      .pipe(realtimeReplay({ scheduler: spy }))
      .subscribe((x) => got.push(...times(x)));
    expect(got).toEqual([0]);
    expect(timers.length).toBe(1);
    expect(timers[0].closed).toBe(false);
    sub.unsubscribe();
    expect(timers[0].closed).toBe(true);
    ts.flush();
    expect(got).toEqual([0]);
  });
});

describe('realtimeReplay (properties)', () => {
  it('every event once, in order, at now₀ + (t − t₀)/1000/speed; chunked ≡ unchunked', () => {
    fc.assert(
      fc.property(eventsArb(4, 4, { maxLength: 40, maxGap: 5000 }), cutsArb, fc.constantFrom(1, 2, 0.5), (events, cuts, speed) => {
        const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
        const seen: { frame: number; e: CameraEvent }[] = [];
        let completedAt = -1;
        from(chopEvents(events, cuts))
          .pipe(realtimeReplay({ scheduler: ts, speed }))
          .subscribe({
            next: (x) => {
              for (const e of flatEvents([x])) seen.push({ frame: ts.now(), e });
            },
            complete: () => {
              completedAt = ts.now();
            },
          });
        ts.flush();
        expect(seen.map((s) => s.e)).toEqual(events);
        if (events.length > 0) {
          const t0 = events[0].timeUs;
          for (const s of seen) expect(s.frame).toBeCloseTo((s.e.timeUs - t0) / 1000 / speed, 9);
          expect(completedAt).toBe(seen[seen.length - 1].frame);
        }
        return completedAt >= 0;
      }),
    );
  });
});
