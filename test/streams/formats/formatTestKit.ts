/** Shared helpers of the event-format tests (not a test file itself). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { type CameraEvent, type EventChunk, eventChunkFrom } from '../../../streams/events.ts';
import { eventsDir } from '../../fixtures/fixtures.ts';

export { eventsDir };
export const sample = (name: string): Uint8Array => new Uint8Array(readFileSync(resolve(eventsDir, name)));

export interface EventLimits {
  readonly maxX: number;
  readonly maxY: number;
  readonly maxGapUs: number;
  readonly maxStartUs: number;
}

/**
 * Time-sorted events in bursts: each burst shares a time, row and polarity and has increasing x
 * (so vectorising encoders get runs), bursts are separated by random gaps (0 allowed).
 */
export function eventsArb(limits: EventLimits, maxBursts = 40): fc.Arbitrary<EventChunk> {
  const burst = fc.record({
    gap: fc.oneof(fc.constant(0), fc.nat({ max: limits.maxGapUs })),
    y: fc.nat({ max: limits.maxY }),
    p: fc.integer({ min: 0, max: 1 }),
    x0: fc.nat({ max: limits.maxX }),
    offsets: fc.uniqueArray(fc.nat({ max: 15 }), { minLength: 1, maxLength: 8 }),
  });
  return fc
    .tuple(fc.nat({ max: limits.maxStartUs }), fc.array(burst, { maxLength: maxBursts }))
    .map(([start, bursts]) => {
      const events: CameraEvent[] = [];
      let t = start;
      for (const b of bursts) {
        t += b.gap;
        const xs = [...new Set(b.offsets.map((o) => Math.min(limits.maxX, b.x0 + o)))].sort((a, c) => a - c);
        for (const x of xs) events.push({ x, y: b.y, polarity: b.p, timeUs: t });
      }
      return eventChunkFrom(events);
    });
}

/** True when both chunks hold the same events in the same order. */
export function sameEvents(a: EventChunk, b: EventChunk): boolean {
  if (a.count !== b.count) return false;
  for (let i = 0; i < a.count; i++) {
    if (a.x[i] !== b.x[i] || a.y[i] !== b.y[i] || a.polarity[i] !== b.polarity[i]) return false;
    if (a.timeUs[i] !== b.timeUs[i]) return false;
  }
  return true;
}
