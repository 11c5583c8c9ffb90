/**
 * The TCP source on loopback: an AEDAT 4 stream (file framing or network framing without the
 * magic, any compression, cut into arbitrary segments) gives exactly the encoded events; a
 * corrupt stream errors naming the byte offset; unsubscribing closes the connection.
 */
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import fc from 'fast-check';
import { lastValueFrom, mergeMap, tap, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { type EventChunk, eventChunkFrom } from '../../streams/events.ts';
import { AEDAT4_MAGIC, encodeAedat4 } from '../../streams/formats/aedat4.ts';
import { createPauseGate, pausingConcatMap } from '../../streams/sources/pauseGate.ts';
import { tcpEventSource$ } from '../../streams/sources/tcpSource.ts';
import { flatEvents } from './eventKit.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

/** A loopback server that runs `onConnection` for each client; resolves with its port. */
const serve = async (onConnection: (socket: Socket) => void): Promise<number> => {
  const server = createServer(onConnection);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
};

/** Writes `bytes` in segments of the given sizes, then ends the connection. */
const writeInPieces = async (socket: Socket, bytes: Uint8Array, cuts: readonly number[]): Promise<void> => {
  let at = 0;
  let c = 0;
  while (at < bytes.length) {
    const n = Math.max(1, cuts[c++ % cuts.length]);
    await new Promise<void>((r) => socket.write(bytes.subarray(at, at + n), () => r()));
    at += n;
  }
  socket.end();
};

const sampleEvents = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ x: (i * 7) % 346, y: (i * 13) % 260, polarity: i % 3 === 0 ? 1 : 0, timeUs: 1_000_000 + i * 17 }));

describe('tcpEventSource$', () => {
  it('decodes AEDAT 4 streams exactly: file or network framing, any compression, any segmentation', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom('none' as const, 'lz4' as const, 'zstd' as const),
        fc.boolean(),
        fc.constantFrom('auto' as const, 'explicit' as const),
        fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 4 }),
        async (n, compression, withMagic, mode, cuts) => {
          const events = sampleEvents(n);
          const file = encodeAedat4(eventChunkFrom(events), { compression, eventsPerPacket: 64, sensor: { width: 346, height: 260 }, withOtherStream: true });
          const bytes = withMagic ? file : file.subarray(AEDAT4_MAGIC.length);
          const port = await serve((s) => void writeInPieces(s, bytes, cuts));
          const framing = mode === 'auto' ? 'auto' : withMagic ? 'file' : 'network';
          const chunks = await lastValueFrom(tcpEventSource$({ port, framing }).pipe(toArray()));
          expect(flatEvents(chunks)).toEqual(events);
          return true;
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a corrupt or cut stream errors, naming the byte offset; a refused connection names the address', async () => {
    const file = encodeAedat4(eventChunkFrom(sampleEvents(100)), { compression: 'none', eventsPerPacket: 50 });
    const cut = await serve((s) => void writeInPieces(s, file.subarray(0, file.length - 10), [4096]));
    await expect(lastValueFrom(tcpEventSource$({ port: cut }))).rejects.toThrow(/aedat4: .* at byte \d+/);
    const garbage = file.slice();
    garbage.fill(0xff, AEDAT4_MAGIC.length, AEDAT4_MAGIC.length + 4); // absurd IOHeader size
    const bad = await serve((s) => void writeInPieces(s, garbage, [4096]));
    await expect(lastValueFrom(tcpEventSource$({ port: bad }))).rejects.toThrow(/aedat4: .*at byte \d+/);
    const closed = await serve(() => {});
    await new Promise<void>((r) => servers.pop()?.close(() => r()));
    await expect(lastValueFrom(tcpEventSource$({ port: closed }))).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${closed}`));
  });

  it('unsubscribing closes the connection (the server sees it close)', async () => {
    const file = encodeAedat4(eventChunkFrom(sampleEvents(10)), { compression: 'none' });
    let serverSide: Socket | null = null;
    const closedByClient = new Promise<void>((resolveClosed) => {
      void serve((s) => {
        serverSide = s;
        s.on('close', () => resolveClosed());
        s.write(file); // header and events, but the stream stays open
      }).then((port) => {
        const got: number[] = [];
        const sub = tcpEventSource$({ port }).subscribe((c) => {
          got.push(c.count);
          sub.unsubscribe();
        });
      });
    });
    await closedByClient;
    expect(serverSide).not.toBeNull();
    expect((serverSide as unknown as Socket).destroyed || (serverSide as unknown as Socket).readableEnded).toBe(true);
  });
});

describe('tcpEventSource$ with a slow asynchronous consumer', () => {
  /** Chunks the source emitted that the consumer has not finished yet, at most, over a fast 1.6 MB stream. */
  const maxBacklog = async (gated: boolean): Promise<{ backlog: number; events: number; sent: number }> => {
    const events = sampleEvents(100_000);
    const file = encodeAedat4(eventChunkFrom(events), { compression: 'none', eventsPerPacket: 64 });
    const port = await serve((s) => void writeInPieces(s, file, [1 << 16]));
    const gate = createPauseGate();
    let emitted = 0;
    let consumed = 0;
    let backlog = 0;
    let got = 0;
    const slow = async (c: EventChunk): Promise<number> => {
      await new Promise((r) => setTimeout(r, 1));
      consumed++;
      return c.count;
    };
    const source$ = tcpEventSource$({ port, maxChunkEvents: 64, ...(gated ? { gate } : {}) }).pipe(
      tap(() => {
        emitted++;
        backlog = Math.max(backlog, emitted - consumed);
      }),
    );
    const counts = await lastValueFrom(source$.pipe(gated ? pausingConcatMap(gate, slow) : mergeMap(slow, 1), toArray()));
    got = counts.reduce((a, b) => a + b, 0);
    return { backlog, events: got, sent: events.length };
  };

  it('a gate pauses the socket while the consumer works: every event arrives, the RxJS backlog stays at one read', async () => {
    const g = await maxBacklog(true);
    expect(g.events).toBe(g.sent); // TCP is lossless: the sender waited instead
    // one socket read (≤ 64 KiB) holds at most 64 packets of 64 events (16 bytes each), one chunk each
    expect(g.backlog).toBeLessThanOrEqual(66);
    const u = await maxBacklog(false);
    expect(u.events).toBe(u.sent);
    expect(u.backlog).toBeGreaterThan(4 * g.backlog); // without the gate RxJS queues the stream
  });
});
