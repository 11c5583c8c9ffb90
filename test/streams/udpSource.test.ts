/**
 * The UDP source on loopback: the documented datagram layout decodes exactly; malformed datagrams
 * are counted and dropped while the stream goes on; a fast sender against a slow consumer fills
 * the bounded ring, drops are counted and events conserved; the socket closes on unsubscribe.
 * Every loop is bounded; waits poll the source's counters, nothing asserts on time.
 */
import { createSocket } from 'node:dgram';
import { type Subscription, mergeMap, tap } from 'rxjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type CameraEvent, eventChunkFrom } from '../../streams/events.ts';
import {
  type UdpEventSourceOptions,
  type UdpSourceStats,
  encodeUdpDatagram,
  udpEventSource,
  udpEventWord,
} from '../../streams/sources/udpSource.ts';
import { flatEvents } from './eventKit.ts';

const HOST = '127.0.0.1';
const sender = createSocket('udp4');
const subs: Subscription[] = [];
afterEach(() => {
  for (const s of subs.splice(0)) s.unsubscribe();
});
afterAll(() => new Promise<void>((r) => sender.close(() => r())));

const send = (port: number, bytes: Uint8Array): Promise<void> =>
  new Promise((res, rej) => sender.send(bytes, port, HOST, (err) => (err ? rej(err) : res())));

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits (bounded) until `done()` holds; false if it never did. */
const until = async (done: () => boolean, polls = 400): Promise<boolean> => {
  for (let i = 0; i < polls; i++) {
    if (done()) return true;
    await pause(5);
  }
  return done();
};

/** Starts a source; resolves with it once listening. */
const start = async (opts: Omit<UdpEventSourceOptions, 'port' | 'onListening'>, onChunk: (c: ReturnType<typeof flatEvents>) => void = () => {}) => {
  let port = 0;
  const src = udpEventSource({ ...opts, port: 0, onListening: (p) => (port = p) });
  subs.push(src.events$.subscribe((c) => onChunk(flatEvents([c]))));
  expect(await until(() => port !== 0)).toBe(true);
  return { port, stats: src.stats };
};

describe('udpEventSource: layout', () => {
  it('decodes header-stamped datagrams exactly (bit 31 polarity, x in 30..16, y in 15..0)', async () => {
    const got: CameraEvent[] = [];
    const { port, stats } = await start({ sensor: { width: 640, height: 480 } }, (es) => got.push(...es));
    const a: CameraEvent[] = [
      { x: 0, y: 0, polarity: 0, timeUs: 2 ** 40 + 5 },
      { x: 639, y: 479, polarity: 1, timeUs: 2 ** 40 + 5 },
    ];
    const b: CameraEvent[] = [{ x: 17, y: 300, polarity: 1, timeUs: 123 }];
    await send(port, encodeUdpDatagram(eventChunkFrom(a), 0, 2, 2 ** 40 + 5));
    await send(port, encodeUdpDatagram(eventChunkFrom(b), 0, 1, 123));
    expect(await until(() => got.length === 3)).toBe(true);
    expect(got).toEqual([...a, ...b]);
    expect(udpEventWord(639, 479, 1)).toBe((0x80000000 | (639 << 16) | 479) >>> 0);
    expect(stats).toMatchObject({ datagrams: 2, malformedDatagrams: 0, receivedEvents: 3, deliveredEvents: 3, droppedEvents: 0 });
  });

  it('arrival stamps: raw event words stamped with the receive clock', async () => {
    const got: CameraEvent[] = [];
    let clock = 1000;
    const { port } = await start({ sensor: { width: 8, height: 8 }, timestamps: 'arrival', clockUs: () => (clock += 10) }, (es) => got.push(...es));
    await send(port, encodeUdpDatagram(eventChunkFrom([{ x: 1, y: 2, polarity: 1, timeUs: 0 }, { x: 3, y: 4, polarity: 0, timeUs: 0 }])));
    expect(await until(() => got.length === 2)).toBe(true);
    expect(got).toEqual([
      { x: 1, y: 2, polarity: 1, timeUs: 1010 },
      { x: 3, y: 4, polarity: 0, timeUs: 1010 },
    ]);
  });

  it('malformed datagrams (length, header, time stamp, coordinates) are counted and dropped; the stream goes on', async () => {
    const got: CameraEvent[] = [];
    const { port, stats } = await start({ sensor: { width: 34, height: 34 } }, (es) => got.push(...es));
    const good = (t: number) => encodeUdpDatagram(eventChunkFrom([{ x: 3, y: 4, polarity: 1, timeUs: 0 }]), 0, 1, t);
    const outOfRange = encodeUdpDatagram(eventChunkFrom([{ x: 3, y: 4, polarity: 1, timeUs: 0 }, { x: 34, y: 0, polarity: 1, timeUs: 0 }]), 0, 2, 7);
    const badY = encodeUdpDatagram(eventChunkFrom([{ x: 0, y: 40, polarity: 0, timeUs: 0 }]), 0, 1, 7);
    const hugeTime = good(0);
    new DataView(hugeTime.buffer).setUint32(4, 0x200000, true); // 2^53 µs
    const bad = [new Uint8Array(6), new Uint8Array(4), good(9).subarray(0, 11), outOfRange, badY, hugeTime];
    await send(port, good(1));
    for (const b of bad) await send(port, b);
    await send(port, good(2));
    expect(await until(() => got.length === 2 && stats.datagrams === 2 + bad.length)).toBe(true);
    expect(got.map((e) => e.timeUs)).toEqual([1, 2]);
    expect(stats.malformedDatagrams).toBe(bad.length);
    expect(stats.receivedEvents).toBe(2);
  });
});

/** Sends `datagrams` datagrams of `per` events (time stamp = sequence number) in bursts. */
const flood = async (port: number, datagrams: number, per: number, burst: number): Promise<void> => {
  const chunk = eventChunkFrom(Array.from({ length: per }, (_, i) => ({ x: i % 32, y: (i >> 5) % 32, polarity: i & 1, timeUs: 0 })));
  for (let d = 0; d < datagrams; d += burst) {
    const sends: Promise<void>[] = [];
    for (let k = d; k < Math.min(datagrams, d + burst); k++) sends.push(send(port, encodeUdpDatagram(chunk, 0, per, k)));
    await Promise.all(sends);
    await turn();
  }
};

/** A consumer that works a fixed, bounded amount per chunk (slow on purpose). */
const slowWork = (n: number): number => {
  let acc = 0;
  for (let i = 0; i < n; i++) acc = (acc * 1664525 + i) % 1000003;
  return acc;
};

const floodCase = async (policy: 'drop-newest' | 'drop-oldest') => {
  const delivered: number[] = [];
  let biggest = 0;
  let sink = 0;
  const opts = { sensor: { width: 32, height: 32 }, bufferEvents: 1024, maxBatchEvents: 64, dropPolicy: policy } as const;
  let stats!: UdpSourceStats;
  const started = await start(opts, (es) => {
    biggest = Math.max(biggest, es.length);
    for (const e of es) delivered.push(e.timeUs);
    sink += slowWork(300_000);
  });
  stats = started.stats;
  const heapBefore = process.memoryUsage().heapUsed;
  await flood(started.port, 600, 64, 40);
  // quiescence: ring empty and no datagram arrived over a few polls
  let last = -1;
  for (let i = 0; i < 400 && !(stats.bufferedEvents === 0 && stats.datagrams === last); i++) {
    last = stats.datagrams;
    await pause(10);
  }
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  return { delivered, biggest, stats, sink, heapGrowth };
};

describe('udpEventSource: bounded buffer', () => {
  for (const policy of ['drop-newest', 'drop-oldest'] as const) {
    it(`fast sender, slow consumer (${policy}): the ring fills, drops are counted, events conserved, memory bounded`, async () => {
      const r = await floodCase(policy);
      const s = r.stats;
      if (process.env.UDP_STATS) console.log(policy, JSON.stringify(s), 'heap growth', r.heapGrowth);
      expect(s.bufferedEvents).toBe(0);
      expect(s.droppedEvents).toBeGreaterThan(0);
      expect(s.maxBufferedEvents).toBe(1024); // reached the bound, never beyond
      expect(s.deliveredEvents + s.droppedEvents).toBe(s.receivedEvents);
      expect(s.deliveredEvents).toBe(r.delivered.length);
      expect(s.receivedEvents).toBeLessThanOrEqual(600 * 64);
      // what never reached the process was dropped by the kernel, and counted where visible
      if (process.platform === 'linux') expect(s.datagrams + (s.kernelDroppedDatagrams ?? -1)).toBe(600);
      expect(s.malformedDatagrams).toBe(0);
      expect(r.biggest).toBeLessThanOrEqual(64);
      // delivered in arrival order (time stamp = datagram sequence number)
      for (let i = 1; i < r.delivered.length; i++) expect(r.delivered[i]).toBeGreaterThanOrEqual(r.delivered[i - 1]);
      // 600 datagrams of 64 events went by; the heap did not keep them (ring + a few chunks)
      expect(r.heapGrowth).toBeLessThan(32 << 20);
    });
  }
});

/**
 * The backpressure law. A bounded flood (loopback, `datagrams` × `per` events, sent in bursts)
 * meets an asynchronous consumer that takes `stepMs` per chunk of ≤ `maxBatch` events, at least
 * 100× slower than the sender (checked on the measured send rate). Measured: the most events
 * handed to the pipeline and not yet consumed (the RxJS backlog), heap growth, and the counters.
 */
const backpressureFlood = async (consumer: 'concatAsync' | 'mergeMap(async, 1)') => {
  const per = 64;
  const datagrams = 6000;
  const maxBatch = 64;
  const stepMs = 100;
  let port = 0;
  const src = udpEventSource({ port: 0, sensor: { width: 32, height: 32 }, bufferEvents: 512, maxBatchEvents: maxBatch, onListening: (p) => (port = p) });
  let handedIn = 0;
  let consumed = 0;
  let maxBacklog = 0;
  let busy = false;
  const step = async (c: { count: number }): Promise<number> => {
    busy = true;
    await pause(stepMs);
    consumed += c.count;
    busy = false;
    return c.count;
  };
  const counted = src.events$.pipe(
    tap((c) => {
      handedIn += c.count;
      maxBacklog = Math.max(maxBacklog, handedIn - consumed);
    }),
  );
  const sub = (consumer === 'concatAsync' ? counted.pipe(src.concatAsync(step)) : counted.pipe(mergeMap(step, 1))).subscribe();
  subs.push(sub);
  expect(await until(() => port !== 0)).toBe(true);
  const heapBefore = process.memoryUsage().heapUsed;
  let heapMax = heapBefore;
  const sample = setInterval(() => (heapMax = Math.max(heapMax, process.memoryUsage().heapUsed)), 5);
  const t0 = performance.now();
  await flood(port, datagrams, per, 30);
  const sendMs = performance.now() - t0;
  if (consumer === 'concatAsync') {
    // quiescence: every datagram read, the ring empty, the consumer idle (bounded wait)
    await until(() => src.stats.datagrams + (src.stats.kernelDroppedDatagrams ?? 0) === datagrams && src.stats.bufferedEvents === 0 && !busy, 1000);
  }
  clearInterval(sample);
  sub.unsubscribe(); // final kernel-drop reading
  return {
    stats: { ...src.stats },
    sent: datagrams * per,
    per,
    maxBacklog,
    maxBatch,
    heapGrowth: heapMax - heapBefore,
    speedRatio: (datagrams * per) / sendMs / (maxBatch / stepMs),
  };
};

describe('udpEventSource: backpressure reaches the ring under an asynchronous consumer', () => {
  it('law: a flood meets a 100× slower async consumer (concatAsync): backlog ≤ one chunk, heap flat, sent = delivered + dropped by cause', async () => {
    const r = await backpressureFlood('concatAsync');
    const s = r.stats;
    if (process.env.UDP_STATS) console.log(JSON.stringify(r));
    expect(r.speedRatio).toBeGreaterThanOrEqual(100); // the premise: the consumer is ≥ 100× slower
    expect(r.maxBacklog).toBeLessThanOrEqual(r.maxBatch); // nothing queues in RxJS behind the consumer
    expect(s.maxBufferedEvents).toBeLessThanOrEqual(s.capacity);
    expect(s.droppedEvents).toBeGreaterThan(0); // the slow consumer made the ring drop
    expect(s.bufferedEvents).toBe(0);
    expect(s.malformedDatagrams).toBe(0);
    // kernel drops: visible on Linux (/proc/net/udp), null (invisible) elsewhere
    if (process.platform === 'linux') expect(s.kernelDroppedDatagrams).not.toBeNull();
    const kernelDropped = (s.kernelDroppedDatagrams ?? 0) * r.per;
    expect(s.receivedEvents).toBe(s.deliveredEvents + s.droppedEvents);
    if (s.kernelDroppedDatagrams !== null) expect(s.deliveredEvents + s.droppedEvents + kernelDropped).toBe(r.sent);
    // 384 000 events went by; the heap held the ring and a chunk or two, not the backlog
    expect(r.heapGrowth).toBeLessThan(16 << 20);
  });

  it('the law fails for the unbounded design: mergeMap(async …, 1) queues the flood in RxJS', async () => {
    const r = await backpressureFlood('mergeMap(async, 1)');
    if (process.env.UDP_STATS) console.log(JSON.stringify(r));
    expect(r.maxBacklog).toBeGreaterThan(20 * r.maxBatch);
  });

  it('concatAsync: values in order, one at a time; completion waits for the last step; errors pass through', async () => {
    const src = udpEventSource({ port: 0, sensor: { width: 4, height: 4 } });
    const { of, lastValueFrom, toArray, throwError, concat } = await import('rxjs');
    let running = 0;
    let most = 0;
    const step = async (v: number): Promise<number> => {
      running++;
      most = Math.max(most, running);
      await pause(3 - (v % 3));
      running--;
      return 10 * v;
    };
    expect(await lastValueFrom(of(1, 2, 3, 4).pipe(src.concatAsync(step), toArray()))).toEqual([10, 20, 30, 40]);
    expect(most).toBe(1);
    await expect(lastValueFrom(concat(of(1), throwError(() => new Error('upstream'))).pipe(src.concatAsync(step)))).rejects.toThrow('upstream');
    await expect(lastValueFrom(of(1).pipe(src.concatAsync(() => Promise.reject(new Error('step failed')))))).rejects.toThrow('step failed');
  });

  it('concatAsync pauses the source while a step runs and resumes it after; unsubscribing mid-step releases the pause', async () => {
    let port = 0;
    const src = udpEventSource({ port: 0, sensor: { width: 8, height: 8 }, onListening: (p) => (port = p) });
    let gate: () => void = () => {};
    const seen: number[] = [];
    const sub = src.events$
      .pipe(
        src.concatAsync(async (c) => {
          seen.push(c.count);
          await new Promise<void>((r) => (gate = r));
        }),
      )
      .subscribe();
    subs.push(sub);
    expect(await until(() => port !== 0)).toBe(true);
    const one = (t: number) => encodeUdpDatagram(eventChunkFrom([{ x: 1, y: 1, polarity: 1, timeUs: 0 }]), 0, 1, t);
    await send(port, one(1));
    expect(await until(() => seen.length === 1)).toBe(true);
    await send(port, one(2));
    await send(port, one(3));
    expect(await until(() => src.stats.receivedEvents === 3)).toBe(true);
    await pause(20);
    expect(src.stats.bufferedEvents).toBe(2); // paused: held in the ring, not handed to RxJS
    expect(seen).toEqual([1]);
    gate();
    expect(await until(() => seen.length === 2)).toBe(true);
    expect(seen).toEqual([1, 2]); // both waiting events came as one chunk once resumed
  });
});

describe('udpEventSource: sockets', () => {
  it('unsubscribing closes the socket: the port can be bound again', async () => {
    let port = 0;
    const src = udpEventSource({ port: 0, sensor: { width: 4, height: 4 }, onListening: (p) => (port = p) });
    const sub = src.events$.subscribe();
    expect(await until(() => port !== 0)).toBe(true);
    sub.unsubscribe();
    await turn();
    const again = createSocket('udp4');
    await new Promise<void>((res, rej) => {
      again.once('error', rej);
      again.bind(port, HOST, () => res());
    });
    expect(again.address().port).toBe(port);
    // while `again` holds the port, a source on it errors, naming where
    const clash = udpEventSource({ port, sensor: { width: 4, height: 4 } });
    const err = await new Promise<unknown>((res) => subs.push(clash.events$.subscribe({ error: res })));
    expect(String(err)).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}`));
    await new Promise<void>((r) => again.close(() => r()));
  });
});
