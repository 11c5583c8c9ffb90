/**
 * A live pipeline: a sender replays a recording to a loopback UDP port (spikeline UDP events v1,
 * one datagram per millisecond of events, time-stamped), and the pipeline processes it as it
 * arrives — event-time windows → latency code → the spiking autoencoder — reporting each window's
 * result and the source's drop counters.
 *
 *     npx tsx examples/live-udp.ts [RECORDING.bin]
 *
 * RECORDING.bin defaults to the N-MNIST sample in the repository's test/fixtures/events.
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Subject, firstValueFrom, lastValueFrom, mergeMap, of, takeUntil, tap, toArray } from 'rxjs';
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
} from '../streams/index.ts';
import { demoNetwork, mnist } from './quickAutoencoder.ts';

const defaultRecording = resolve(fileURLToPath(import.meta.url), '../../test/fixtures/events/nmnist-sample.bin');

/** Sends `events` to 127.0.0.1:port, one datagram per `sliceUs` of event time. */
export const sendRecording = async (events: EventChunk, port: number, sliceUs = 1000): Promise<number> => {
  const socket = createSocket('udp4');
  let datagrams = 0;
  try {
    let from = 0;
    while (from < events.count) {
      const t0 = events.timeUs[from];
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
  preferTrained = true,
) => {
  const net = await demoNetwork(mnist(), log, preferTrained);
  const events = decodeAll(createNmnistDecoder(), readFileSync(recording));
  const listening = new Subject<number>();
  const stop = new Subject<void>();
  const udp = udpEventSource({ port: 0, sensor: { width: 34, height: 34 }, onListening: (p) => listening.next(p) });
  const windows = lastValueFrom(
    udp.events$.pipe(
      takeUntil(stop),
      eventWindow({ durationUs: 100_000 }),
      toLatencyCode({ sensor: { width: 34, height: 34 }, crop: { x: 3, y: 3, width: 28, height: 28 }, polarity: 'on' }),
      mergeMap(async (code) => {
        const image = await lastValueFrom(of(code).pipe(spikingNetwork(net), latencyDecode({ size: 784, latency: 1 })));
        return { inputSpikes: code.count, brightPixels: image.filter((b) => b > 128).length };
      }, 1),
      tap((r) => log(`window: ${r.inputSpikes} input spikes → reconstruction with ${r.brightPixels} bright pixels`)),
      toArray(),
    ),
  );
  const port = await firstValueFrom(listening);
  const datagrams = await sendRecording(events, port);
  await new Promise((r) => setTimeout(r, 200)); // let the last datagrams arrive
  stop.next();
  const results = await windows;
  const s = udp.stats;
  log(
    `sent ${events.count} events in ${datagrams} datagrams; received ${s.receivedEvents}, delivered ${s.deliveredEvents}, ` +
      `dropped ${s.droppedEvents} (buffer full), malformed datagrams ${s.malformedDatagrams}; ${results.length} windows`,
  );
  return { results, stats: { ...s }, sent: events.count, datagrams };
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv[2]);
