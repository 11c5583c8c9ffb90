/**
 * A live pipeline: a sender replays a recording to a loopback UDP port (spikeline UDP events v1,
 * one datagram per millisecond of events, time-stamped, paced at `speed` × real time), and the
 * pipeline processes it as it arrives — event-time windows → latency code → the spiking
 * autoencoder — reporting each window's result and every drop by cause.
 *
 * Nothing is lost silently: the socket's receive buffer is sized (`recvBufferSize`) so that a
 * burst arriving while a window is computed waits in the kernel; the network step runs in
 * `udp.concatAsync`, which pauses the source while it computes (a slower consumer would make the
 * source's ring drop and count, never queue in RxJS); and what the kernel dropped is read from
 * the platform where it reports it (Linux), else printed as "not visible".
 *
 *     npx tsx examples/live-udp.ts [RECORDING.bin]
 *
 * RECORDING.bin defaults to the N-MNIST sample in the repository's test/fixtures/events.
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Subject, firstValueFrom, lastValueFrom, of, takeUntil, tap, toArray } from 'rxjs';
import {
  type EventChunk,
  createNmnistDecoder,
  decodeAll,
  encodeUdpDatagram,
  eventWindow,
  latencyDecode,
  spikingNetwork,
  toLatencyCode,
  udpEventSource,
} from 'spikeline/streams';
import { demoNetwork } from './quickAutoencoder.ts';

const defaultRecording = resolve(fileURLToPath(import.meta.url), '../../test/fixtures/events/nmnist-sample.bin');

/** Kernel receive buffer asked for: 4 MiB (Linux grants at most net.core.rmem_max, reported in stats). */
const RECV_BUFFER_BYTES = 4 << 20;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Sends `events` to 127.0.0.1:port, one datagram per `sliceUs` of event time, each at its event
 * time divided by `speed` after the first (speed 1 = real time; Infinity = as fast as possible).
 */
export const sendRecording = async (events: EventChunk, port: number, sliceUs = 1000, speed = 1): Promise<number> => {
  const socket = createSocket('udp4');
  let datagrams = 0;
  try {
    let from = 0;
    const start = performance.now();
    const first = events.count > 0 ? events.timeUs[0] : 0;
    while (from < events.count) {
      const t0 = events.timeUs[from];
      const due = start + (t0 - first) / 1000 / speed;
      const wait = due - performance.now();
      if (wait >= 1) await sleep(wait);
      let to = from;
      while (to < events.count && events.timeUs[to] < t0 + sliceUs && to - from < 256) to++;
      const bytes = encodeUdpDatagram(events, from, to, t0);
      await new Promise<void>((res, rej) => socket.send(bytes, port, '127.0.0.1', (e) => (e ? rej(e) : res())));
      datagrams++;
      from = to;
    }
  } finally {
    socket.close();
  }
  return datagrams;
};

export const main = async (
  recording = defaultRecording,
  log: (s: string) => void = console.log,
) => {
  const net = demoNetwork(log);
  const events = decodeAll(createNmnistDecoder(), readFileSync(recording));
  const listening = new Subject<number>();
  const stop = new Subject<void>();
  const udp = udpEventSource({
    port: 0,
    sensor: { width: 34, height: 34 },
    recvBufferSize: RECV_BUFFER_BYTES,
    onListening: (p) => listening.next(p),
  });
  const windows = lastValueFrom(
    udp.events$.pipe(
      takeUntil(stop),
      eventWindow({ durationUs: 100_000 }),
      toLatencyCode({ sensor: { width: 34, height: 34 }, crop: { x: 3, y: 3, width: 28, height: 28 }, polarity: 'on' }),
      udp.concatAsync(async (code) => {
        const image = await lastValueFrom(of(code).pipe(spikingNetwork(net), latencyDecode({ size: 784, latency: 1 })));
        return { inputSpikes: code.count, brightPixels: image.filter((b) => b > 128).length };
      }),
      tap((r) => log(`window: ${r.inputSpikes} input spikes → reconstruction with ${r.brightPixels} bright pixels`)),
      toArray(),
    ),
  );
  const port = await firstValueFrom(listening);
  const datagrams = await sendRecording(events, port);
  // let the last datagrams arrive: until each was read or dropped by the kernel (at most 2 s)
  for (let i = 0; i < 200 && udp.stats.datagrams + (udp.stats.kernelDroppedDatagrams ?? 0) < datagrams; i++) await sleep(10);
  stop.next();
  const results = await windows;
  const s = udp.stats;
  const kernel = s.kernelDroppedDatagrams === null ? 'not visible on this platform' : String(s.kernelDroppedDatagrams);
  log(
    `sent ${events.count} events in ${datagrams} datagrams; received ${s.receivedEvents} events in ${s.datagrams} datagrams, ` +
      `delivered ${s.deliveredEvents}; dropped: ${s.droppedEvents} events (source ring full), ` +
      `${kernel} datagrams (kernel receive buffer of ${s.recvBufferBytes} bytes full), ${s.malformedDatagrams} malformed datagrams; ` +
      `${results.length} windows`,
  );
  return { results, stats: { ...s }, sent: events.count, datagrams };
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv[2]);
