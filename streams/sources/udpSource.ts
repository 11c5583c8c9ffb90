/**
 * `udpEventSource(options)`: live camera events from UDP datagrams, as an Observable of
 * {@link EventChunk}s plus live statistics. Subscribing binds the socket (default host
 * 127.0.0.1); unsubscribing closes it.
 *
 * ## Datagram layout (spikeline UDP events v1)
 *
 * A datagram is a sequence of 32-bit **little-endian** words:
 *
 *     timestamps: 'header' (default)          timestamps: 'arrival' (AEStream/SPIF-like raw words)
 *     word 0   time stamp, low 32 bits (µs)    word 0.. events
 *     word 1   time stamp, high 32 bits
 *     word 2.. events
 *
 * Event word: bit 31 = polarity (1 ON, 0 OFF), bits 30..16 = x (15 bits), bits 15..0 = y (16 bits):
 * `word = (p << 31) | (x << 16) | y`. With 'header' every event of the datagram carries the
 * header's 64-bit time stamp (µs; it must be below 2^53); with 'arrival' the events carry the
 * receive time from `clockUs()` (default: µs since the source was subscribed, monotonic).
 *
 * A datagram is **malformed** if its length is not a multiple of 4, if with 'header' it is shorter
 * than 8 bytes or its time stamp is ≥ 2^53, or if any event lies outside the `sensor` grid. A
 * malformed datagram is dropped whole and counted (`stats.malformedDatagrams`); the stream goes on.
 *
 * ## Bounded buffer, backpressure and drop policy
 *
 * Decoded events go into a ring buffer of `bufferEvents` events (typed arrays allocated once per
 * subscription, so memory stays flat). The consumer receives them asynchronously: one chunk of at
 * most `maxBatchEvents` events per event-loop turn (`setImmediate`), so socket reads keep running
 * between deliveries. When the consumer is slower than the sender the ring fills, and
 * - `'drop-newest'` (default): arriving events that do not fit are dropped;
 * - `'drop-oldest'`: the oldest buffered events are overwritten;
 * either way counted in `stats.droppedEvents` (cause: ring overflow).
 *
 * A synchronous consumer slows the deliveries by itself. An **asynchronous** consumer must tell
 * the source when it is busy, or RxJS queues every chunk behind it without bound (that is what
 * `mergeMap(async …, 1)` and `concatMap` do: they accept every value and buffer it). Put the
 * asynchronous step in `udp.concatAsync(fn)`, anywhere downstream of `events$`: it works like
 * `concatMap(fn)` for a promise-returning `fn`, and while `fn` runs the source delivers nothing,
 * so the backlog stays in the ring, which drops and counts. Between the source and that step only
 * the values one chunk produces synchronously can wait (e.g. the windows `eventWindow` closes on
 * one chunk), so memory is bounded by the ring plus one chunk's worth of values.
 *
 * ## What is counted, and the accounting law
 *
 * Events sent = events of datagrams the kernel dropped + events of malformed datagrams +
 * `receivedEvents`, and `receivedEvents = deliveredEvents + droppedEvents + bufferedEvents`.
 * The kernel drops datagrams when its socket receive buffer (SO_RCVBUF, `recvBufferSize`; see
 * `stats.recvBufferBytes` for what the kernel granted, capped on Linux by net.core.rmem_max) is
 * full because the process did not read in time (a blocked event loop). Node cannot ask for
 * SO_RXQ_OVFL; on Linux `stats.kernelDroppedDatagrams` is read from /proc/net/udp (refreshed every
 * 100 ms while subscribed and once more when the subscription ends). Where the platform does not
 * report it (macOS, Windows) it is `null`: such drops are invisible there.
 *
 * ## Example
 * ```ts
 * const udp = udpEventSource({ port: 3333, sensor: { width: 128, height: 128 } });
 * udp.events$
 *   .pipe(eventWindow({ durationUs: 50_000 }), udp.concatAsync(async (window) => classify(window)))
 *   .subscribe(console.log);
 * console.log(udp.stats.droppedEvents, udp.stats.kernelDroppedDatagrams);
 * ```
 */
import { type Socket, createSocket } from 'node:dgram';
import { Observable, type OperatorFunction } from 'rxjs';
import { type EventChunk } from '../events.ts';
import { type GridSize, checkGrid } from '../grid.ts';
import { createPauseGate, pausingConcatMap } from './pauseGate.ts';
import { udpKernelDrops } from './udpKernelDrops.ts';

export type DropPolicy = 'drop-newest' | 'drop-oldest';

export interface UdpEventSourceOptions {
  /** UDP port (0 = any free port; see `stats.port`). */
  readonly port: number;
  /** Address to bind (default '127.0.0.1'). */
  readonly host?: string;
  /** The camera grid: events outside it make a datagram malformed. */
  readonly sensor: GridSize;
  /** Where time stamps come from (default 'header'). */
  readonly timestamps?: 'header' | 'arrival';
  /** Ring buffer capacity in events (default 262 144). */
  readonly bufferEvents?: number;
  /** What to drop when the ring is full (default 'drop-newest'). */
  readonly dropPolicy?: DropPolicy;
  /** Largest chunk handed to the consumer per event-loop turn (default 16 384). */
  readonly maxBatchEvents?: number;
  /** Receive time in µs for 'arrival' stamps (default: monotonic µs since subscription). */
  readonly clockUs?: () => number;
  /**
   * Kernel receive buffer size in bytes (SO_RCVBUF), if set (else the system default, ~208 KiB on
   * Linux). It holds datagrams while the event loop is busy (e.g. a synchronous consumer); size it
   * for the longest busy spell × the datagram rate. Linux caps it at net.core.rmem_max; see
   * `stats.recvBufferBytes` for what was granted and `stats.kernelDroppedDatagrams` for overflows.
   */
  readonly recvBufferSize?: number;
  /** Called with the bound port once the socket listens. */
  readonly onListening?: (port: number) => void;
}

/** Live counters of a {@link udpEventSource}; reset when a subscription starts. */
export interface UdpSourceStats {
  /** Bound port of the current subscription (0 before binding). */
  port: number;
  datagrams: number;
  malformedDatagrams: number;
  /** Events of well-formed datagrams. */
  receivedEvents: number;
  deliveredEvents: number;
  /** Events dropped at the ring because it was full (cause: consumer slower than sender). */
  droppedEvents: number;
  /**
   * Datagrams the kernel dropped because the socket receive buffer was full (Linux: from
   * /proc/net/udp); null where the platform does not report it.
   */
  kernelDroppedDatagrams: number | null;
  /** Receive buffer the kernel granted, in bytes (Linux reports twice the requested size). */
  recvBufferBytes: number;
  /** Events in the ring now, and the most ever. */
  bufferedEvents: number;
  maxBufferedEvents: number;
  readonly capacity: number;
}

export interface UdpEventSource {
  readonly events$: Observable<EventChunk>;
  readonly stats: UdpSourceStats;
  /**
   * `concatMap(fn)` for an asynchronous step that pauses this source while `fn` runs: values are
   * processed one at a time in order, and no chunk is delivered until `fn`'s promise settles, so
   * a slow consumer makes the ring drop (and count) instead of RxJS queueing without bound.
   */
  concatAsync<T, R>(fn: (value: T) => Promise<R> | R): OperatorFunction<T, R>;
}

const TWO_32 = 4294967296;
const MAX_X = 0x7fff;
const MAX_Y = 0xffff;

/** One event word of the layout above. */
export const udpEventWord = (x: number, y: number, polarity: number): number =>
  ((polarity !== 0 ? 0x80000000 : 0) | ((x & MAX_X) << 16) | (y & MAX_Y)) >>> 0;

/**
 * Encodes events [from, to) of `chunk` as one datagram. With `timeUs` given: 'header' layout with
 * that time stamp; without: 'arrival' layout (event words only).
 */
export const encodeUdpDatagram = (chunk: EventChunk, from = 0, to = chunk.count, timeUs?: number): Uint8Array => {
  const head = timeUs === undefined ? 0 : 2;
  const out = new Uint8Array(4 * (head + to - from));
  const view = new DataView(out.buffer);
  if (timeUs !== undefined) {
    view.setUint32(0, timeUs % TWO_32, true);
    view.setUint32(4, Math.floor(timeUs / TWO_32), true);
  }
  for (let i = from; i < to; i++) {
    if (chunk.x[i] > MAX_X) throw new RangeError(`encodeUdpDatagram: x = ${chunk.x[i]} of event ${i} exceeds ${MAX_X}`);
    view.setUint32(4 * (head + i - from), udpEventWord(chunk.x[i], chunk.y[i], chunk.polarity[i]), true);
  }
  return out;
};

const freshCounters = (): Omit<UdpSourceStats, 'capacity'> => ({
  port: 0,
  datagrams: 0,
  malformedDatagrams: 0,
  receivedEvents: 0,
  deliveredEvents: 0,
  droppedEvents: 0,
  bufferedEvents: 0,
  maxBufferedEvents: 0,
  kernelDroppedDatagrams: null,
  recvBufferBytes: 0,
});

export const udpEventSource = (options: UdpEventSourceOptions): UdpEventSource => {
  const { sensor } = options;
  checkGrid('udpEventSource sensor', sensor);
  const host = options.host ?? '127.0.0.1';
  const headerMode = (options.timestamps ?? 'header') === 'header';
  const capacity = options.bufferEvents ?? 1 << 18;
  const maxBatch = options.maxBatchEvents ?? 1 << 14;
  const policy = options.dropPolicy ?? 'drop-newest';
  if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`udpEventSource: bufferEvents must be a positive integer, got ${capacity}`);
  if (!(Number.isInteger(maxBatch) && maxBatch > 0)) throw new RangeError(`udpEventSource: maxBatchEvents must be a positive integer, got ${maxBatch}`);
  if (policy !== 'drop-newest' && policy !== 'drop-oldest') throw new RangeError(`udpEventSource: unknown dropPolicy ${String(policy)}`);
  if (!(Number.isInteger(options.port) && options.port >= 0 && options.port < 65536)) {
    throw new RangeError(`udpEventSource: port must be an integer in 0..65535, got ${options.port}`);
  }
  const stats: UdpSourceStats = { ...freshCounters(), capacity };
  // holds taken by concatAsync steps; reset by each new subscription
  const gate = createPauseGate();

  const events$ = new Observable<EventChunk>((subscriber) => {
    Object.assign(stats, freshCounters());
    gate.reset();
    // the ring: events [head, head + size) modulo capacity
    const rx = new Uint16Array(capacity);
    const ry = new Uint16Array(capacity);
    const rp = new Uint8Array(capacity);
    const rt = new Float64Array(capacity);
    let head = 0;
    let size = 0;
    let drainScheduled: ReturnType<typeof setImmediate> | null = null;
    let closed = false;
    const start = process.hrtime.bigint();
    const clock = options.clockUs ?? (() => Number(process.hrtime.bigint() - start) / 1000);
    const width = sensor.width;
    const height = sensor.height;

    const drain = (): void => {
      drainScheduled = null;
      if (closed || size === 0 || gate.held()) return;
      const n = size < maxBatch ? size : maxBatch;
      const out: EventChunk = { count: n, x: new Uint16Array(n), y: new Uint16Array(n), polarity: new Uint8Array(n), timeUs: new Float64Array(n) };
      for (let i = 0, j = head; i < n; i++) {
        out.x[i] = rx[j];
        out.y[i] = ry[j];
        out.polarity[i] = rp[j];
        out.timeUs[i] = rt[j];
        j = j + 1 === capacity ? 0 : j + 1;
      }
      head = (head + n) % capacity;
      size -= n;
      stats.bufferedEvents = size;
      stats.deliveredEvents += n;
      if (size > 0) drainScheduled = setImmediate(drain);
      subscriber.next(out);
    };
    gate.onResume(() => {
      if (!closed && size > 0 && drainScheduled === null) drainScheduled = setImmediate(drain);
    });

    const onMessage = (msg: Buffer): void => {
      stats.datagrams++;
      const bytes = msg.byteLength;
      const first = headerMode ? 8 : 0;
      if (bytes % 4 !== 0 || bytes < first) {
        stats.malformedDatagrams++;
        return;
      }
      const view = new DataView(msg.buffer, msg.byteOffset, bytes);
      let timeUs: number;
      if (headerMode) {
        const hi = view.getUint32(4, true);
        if (hi >= 0x200000) {
          stats.malformedDatagrams++;
          return;
        }
        timeUs = hi * TWO_32 + view.getUint32(0, true);
      } else {
        timeUs = clock();
      }
      // validate every event first: a malformed datagram is dropped whole
      for (let o = first; o < bytes; o += 4) {
        const w = view.getUint32(o, true);
        if (((w >>> 16) & MAX_X) >= width || (w & MAX_Y) >= height) {
          stats.malformedDatagrams++;
          return;
        }
      }
      const count = (bytes - first) >>> 2;
      stats.receivedEvents += count;
      for (let o = first; o < bytes; o += 4) {
        if (size === capacity) {
          if (policy === 'drop-newest') {
            stats.droppedEvents += (bytes - o) >>> 2;
            break;
          }
          head = head + 1 === capacity ? 0 : head + 1; // overwrite the oldest
          size--;
          stats.droppedEvents++;
        }
        const w = view.getUint32(o, true);
        let j = head + size;
        if (j >= capacity) j -= capacity;
        rx[j] = (w >>> 16) & MAX_X;
        ry[j] = w & MAX_Y;
        rp[j] = w >>> 31;
        rt[j] = timeUs;
        size++;
      }
      stats.bufferedEvents = size;
      if (size > stats.maxBufferedEvents) stats.maxBufferedEvents = size;
      if (size > 0 && drainScheduled === null) drainScheduled = setImmediate(drain);
    };

    let socket: Socket | null = createSocket({ type: 'udp4', ...(options.recvBufferSize ? { recvBufferSize: options.recvBufferSize } : {}) });
    socket.on('message', onMessage);
    socket.on('error', (err) => {
      if (!closed) subscriber.error(new Error(`udpEventSource ${host}:${options.port}: ${err.message}`, { cause: err }));
    });
    let refreshTimer: ReturnType<typeof setInterval> | null = null;
    const refreshKernelDrops = (): void => {
      if (stats.port !== 0) stats.kernelDroppedDatagrams = udpKernelDrops(host, stats.port);
    };
    socket.bind(options.port, host, () => {
      if (socket === null) return;
      stats.port = socket.address().port;
      stats.recvBufferBytes = socket.getRecvBufferSize();
      refreshKernelDrops();
      refreshTimer = setInterval(refreshKernelDrops, 100);
      refreshTimer.unref();
      options.onListening?.(stats.port);
    });
    return () => {
      closed = true;
      if (refreshTimer !== null) clearInterval(refreshTimer);
      refreshKernelDrops();
      if (drainScheduled !== null) clearImmediate(drainScheduled);
      drainScheduled = null;
      const s = socket;
      socket = null;
      if (s !== null) {
        s.removeListener('message', onMessage);
        try {
          s.close();
        } catch {
          // already closed (bind failed)
        }
      }
    };
  });
  const concatAsync = <T, R>(fn: (value: T) => Promise<R> | R): OperatorFunction<T, R> => pausingConcatMap(gate, fn);
  return { events$, stats, concatAsync };
};
