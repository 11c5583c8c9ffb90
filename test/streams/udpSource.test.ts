/**
 * The UDP source on loopback: the documented datagram layout decodes exactly; malformed datagrams
 * are counted and dropped while the stream goes on; a fast sender against a slow consumer fills
 * the bounded ring, drops are counted and events conserved; the socket closes on unsubscribe.
 * Every loop is bounded; waits poll the source's counters, nothing asserts on time.
 */
import { createSocket } from 'node:dgram';
import { type Subscription } from 'rxjs';
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
      expect(s.malformedDatagrams).toBe(0);
      expect(r.biggest).toBeLessThanOrEqual(64);
      // delivered in arrival order (time stamp = datagram sequence number)
      for (let i = 1; i < r.delivered.length; i++) expect(r.delivered[i]).toBeGreaterThanOrEqual(r.delivered[i - 1]);
      // 600 datagrams of 64 events went by; the heap did not keep them (ring + a few chunks)
      expect(r.heapGrowth).toBeLessThan(32 << 20);
    });
  }
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
