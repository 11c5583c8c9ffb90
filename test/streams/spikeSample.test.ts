/**
 * Spikes and samples: the two spike forms carry the same data, a time vector becomes a sample in
 * forward's order and back, and whole-sample operators see the same spikes however a sample is
 * chunked.
 */
import fc from 'fast-check';
import { from, lastValueFrom, map, of, toArray } from 'rxjs';
import { chopSpikes } from './eventKit.ts';
import { describe, expect, it } from 'vitest';
import { collectSample, eachSample, firstSpikeTimes, firstSpikeTimesOf, sampleSpikes$ } from '../../streams/sample.ts';
import {
  concatSpikes,
  spikeAt,
  spikeChunkFrom,
  spikeChunkFromTimes,
  spikesOf,
} from '../../streams/spike.ts';

const timesArb = fc.array(fc.oneof(fc.constant(Infinity), fc.constantFrom(0, 0.25, 0.5), fc.double({ min: 0, max: 3, noNaN: true })), { maxLength: 40 });

const chop = chopSpikes;

describe('spikes', () => {
  it('a time vector → one spike per firing neuron, by time then neuron → the same vector back', () => {
    fc.assert(
      fc.property(timesArb, (times) => {
        const s = spikeChunkFromTimes(times);
        const list = spikesOf(s);
        const want = times
          .map((time, neuron) => ({ neuron, time }))
          .filter((x) => x.time !== Infinity)
          .sort((a, b) => a.time - b.time || a.neuron - b.neuron);
        expect(list).toEqual(want);
        expect(Array.from(firstSpikeTimesOf(s, times.length))).toEqual(times);
        return true;
      }),
    );
    expect(() => spikeChunkFromTimes([0.1, NaN])).toThrow(/neuron 1/);
  });

  it('chunk ↔ objects round trip, concatenation of mixed forms keeps order', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ neuron: fc.nat(100), time: fc.double({ noNaN: true }) }), { maxLength: 30 }), fc.array(fc.nat(5), { minLength: 1, maxLength: 4 }), (spikes, cuts) => {
        expect(spikesOf(spikeChunkFrom(spikes))).toEqual(spikes);
        const mixed = chop(spikes, cuts);
        expect(spikesOf(mixed)).toEqual(spikes);
        expect(spikesOf(concatSpikes(mixed))).toEqual(spikes);
        return true;
      }),
    );
    expect(spikeAt(spikeChunkFrom([{ neuron: 3, time: 0.5 }]), 0)).toEqual({ neuron: 3, time: 0.5 });
    expect(() => spikeAt(spikeChunkFrom([]), 0)).toThrow(/outside/);
  });
});

describe('samples', () => {
  it('firstSpikeTimes and collectSample: chunked ≡ unchunked, first spike of a neuron wins', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ neuron: fc.nat(7), time: fc.double({ min: 0, max: 2, noNaN: true }) }), { maxLength: 30 }),
        fc.array(fc.nat(5), { minLength: 1, maxLength: 4 }),
        async (spikes, cuts) => {
          const want = new Array<number>(8).fill(Infinity);
          for (let i = spikes.length - 1; i >= 0; i--) want[spikes[i].neuron] = spikes[i].time;
          const a = await lastValueFrom(from(chop(spikes, cuts)).pipe(firstSpikeTimes(8)));
          expect(Array.from(a)).toEqual(want);
          const c = await lastValueFrom(from(chop(spikes, cuts)).pipe(collectSample()));
          expect(spikesOf(c)).toEqual(spikes);
          return true;
        },
      ),
    );
    await expect(lastValueFrom(of({ neuron: 8, time: 0 }).pipe(firstSpikeTimes(8)))).rejects.toThrow(/neuron 8 outside 0\.\.7/);
  });

  it('eachSample runs a per-sample operator on chunk samples and Observable samples alike, in order', async () => {
    const s1 = spikeChunkFromTimes([0.5, Infinity, 0.1]);
    const s2 = from([{ neuron: 1, time: 0.2 }, spikeChunkFrom([{ neuron: 0, time: 0.3 }])]);
    const out = await lastValueFrom(
      from([s1, s2]).pipe(
        eachSample(firstSpikeTimes(3)),
        map((t) => Array.from(t)),
        toArray(),
      ),
    );
    expect(out).toEqual([
      [0.5, Infinity, 0.1],
      [0.3, 0.2, Infinity],
    ]);
    expect(spikesOf(await lastValueFrom(sampleSpikes$(s1).pipe(toArray())))).toEqual(spikesOf(s1));
  });
});
