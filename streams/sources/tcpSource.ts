/**
 * `tcpEventSource$(options)`: live camera events from a TCP server speaking AEDAT 4 (iniVation DV
 * and dv-processing network outputs), as an Observable of {@link EventChunk}s. Subscribing
 * connects; unsubscribing destroys the socket.
 *
 * Framing: the byte stream is an AEDAT 4 stream, decoded by the file decoder of
 * `streams/formats/aedat4.ts` (IOHeader FlatBuffer with the compression and the stream list, then
 * `{i32 stream id, i32 size, compressed FlatBuffer}` packets; polarity events of `EVTS` streams
 * are emitted, other streams skipped). Servers differ in whether they send the file magic
 * `#!AER-DAT4.0\r\n` first: `framing: 'file'` expects it, `'network'` expects the size-prefixed
 * IOHeader at once, and `'auto'` (default) looks at the first bytes.
 *
 * Flow control is TCP's own: events are decoded and emitted inside the socket's data handler, so a
 * slow *synchronous* consumer slows reading, the kernel window fills and the sender waits — memory
 * stays flat. An *asynchronous* consumer (a promise per window) returns at once, and RxJS would
 * queue what keeps arriving; pass a `gate` (`createPauseGate()`) and consume with
 * `pausingConcatMap(gate, fn)`: while a step runs the socket is paused, so the backlog stays in the
 * kernel's window and the sender waits (nothing is dropped: TCP is lossless), and at most what one
 * socket read decodes waits in RxJS.
 * A framing error (the stream cannot be resynchronised) errors the Observable with the decoder's
 * `EventFormatError` naming the byte offset; the server closing the connection completes it (an
 * error if it closes inside a packet).
 *
 * ## Example
 * ```ts
 * tcpEventSource$({ host: '127.0.0.1', port: 7777 }).pipe(eventWindow({ durationUs: 33_000 }))
 * // an async consumer, bounded end to end:
 * const gate = createPauseGate();
 * tcpEventSource$({ port: 7777, gate }).pipe(eventWindow({ durationUs: 33_000 }), pausingConcatMap(gate, async (w) => classify(w)))
 * ```
 */
import { type Socket, connect } from 'node:net';
import { Observable } from 'rxjs';
import { type EventChunk } from '../events.ts';
import { AEDAT4_MAGIC, createAedat4Decoder } from '../formats/aedat4.ts';
import type { PauseGate } from './pauseGate.ts';

export interface TcpEventSourceOptions {
  readonly port: number;
  /** Server address (default '127.0.0.1'). */
  readonly host?: string;
  /** Whether the stream starts with the AEDAT 4 file magic (default 'auto': detect). */
  readonly framing?: 'auto' | 'file' | 'network';
  /** Upper bound on events per emitted chunk (default 65 536). */
  readonly maxChunkEvents?: number;
  /** Backpressure from an asynchronous consumer (`pausingConcatMap(gate, …)`): reading pauses while it is held. */
  readonly gate?: PauseGate;
}

const MAGIC = new TextEncoder().encode(AEDAT4_MAGIC);

export const tcpEventSource$ = (options: TcpEventSourceOptions): Observable<EventChunk> => {
  const host = options.host ?? '127.0.0.1';
  const framing = options.framing ?? 'auto';
  if (framing !== 'auto' && framing !== 'file' && framing !== 'network') {
    throw new RangeError(`tcpEventSource$: framing must be 'auto', 'file' or 'network', got ${String(framing)}`);
  }
  return new Observable<EventChunk>((subscriber) => {
    const decoder = createAedat4Decoder({ maxChunkEvents: options.maxChunkEvents });
    let head: Uint8Array | null = framing === 'auto' ? new Uint8Array(0) : null; // bytes held for detection
    let finished = false;
    const where = `${host}:${options.port}`;

    const emit = (chunks: EventChunk[]): void => {
      for (const c of chunks) {
        if (subscriber.closed) return;
        subscriber.next(c);
      }
    };
    const fail = (e: unknown): void => {
      if (finished) return;
      finished = true;
      subscriber.error(e);
      socket.destroy();
    };
    const feed = (bytes: Uint8Array): void => {
      if (head !== null) {
        const joined = new Uint8Array(head.length + bytes.length);
        joined.set(head);
        joined.set(bytes, head.length);
        const n = Math.min(joined.length, MAGIC.length);
        let isFile = true;
        for (let i = 0; i < n; i++) if (joined[i] !== MAGIC[i]) isFile = false;
        if (isFile && joined.length < MAGIC.length) {
          head = joined; // not enough bytes to tell yet
          return;
        }
        head = null;
        if (!isFile) emit(decoder.push(MAGIC));
        emit(decoder.push(joined));
        return;
      }
      emit(decoder.push(bytes));
    };

    if (framing === 'network') decoder.push(MAGIC);
    const socket: Socket = connect({ host, port: options.port });
    const gate = options.gate;
    gate?.reset();
    // A consumer releases the gate between two queued steps and takes it again at once: look again
    // after the current turn, and read on only when it is still free (the operator's queue is empty).
    gate?.onResume(() =>
      setImmediate(() => {
        if (!finished && !gate.held()) socket.resume();
      }),
    );
    socket.on('data', (data: Buffer) => {
      try {
        feed(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } catch (e) {
        fail(e);
        return;
      }
      if (gate?.held()) socket.pause();
    });
    socket.on('error', (err) => fail(new Error(`tcpEventSource$ ${where}: ${err.message}`, { cause: err })));
    socket.on('end', () => {
      if (finished) return;
      try {
        if (head !== null && head.length > 0) emit(decoder.push(head)); // a cut-off magic: end() reports it
        head = null;
        emit(decoder.end());
      } catch (e) {
        fail(e);
        return;
      }
      finished = true;
      subscriber.complete();
      socket.destroy();
    });
    return () => {
      finished = true;
      socket.destroy();
    };
  });
};
