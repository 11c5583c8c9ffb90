/**
 * `eventFile$(path)`: the events of an event-camera recording as an Observable of
 * {@link EventChunk}s, read chunk by chunk (never whole) and decoded incrementally.
 *
 * The format comes from `options.format` or is detected from the first bytes and the extension
 * ({@link detectEventFormat}). Unsubscribing stops reading and closes the file (after an
 * in-flight read returns). Bad input errors the Observable with an `EventFormatError` naming
 * the file and the byte offset.
 *
 * ## Example
 * ```ts
 * eventFile$('recording.raw').pipe(reduce((n, c) => n + c.count, 0)).subscribe(console.log);
 * ```
 */
import { open as fsOpen } from 'node:fs/promises';
import { Observable } from 'rxjs';
import { type EventChunk } from '../events.ts';
import { createEventDecoder, detectEventFormat } from '../formats/detectEventFormat.ts';
import { type EventDecoder, type SensorSize } from '../formats/eventDecoder.ts';
import { EventFormatError, type EventFormatName } from '../formats/eventFormatError.ts';

/** The part of a Node FileHandle the source uses (injectable for tests). */
export interface EventFileHandle {
  read(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

export interface EventFileOptions {
  /** Skip detection and decode as this format. */
  readonly format?: EventFormatName;
  /** Bytes per read (default 64 KiB). */
  readonly chunkBytes?: number;
  /** Upper bound on events per emitted chunk (default 65 536). */
  readonly maxChunkEvents?: number;
  /** Sensor to check events against when the file does not state its size (see `DecoderOptions`). */
  readonly sensor?: SensorSize;
  /** Opens the file (default `fs.promises.open(path, 'r')`). */
  readonly open?: (path: string) => Promise<EventFileHandle>;
}

const DETECT_BYTES = 4096;

export function eventFile$(path: string, options: EventFileOptions = {}): Observable<EventChunk> {
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  if (!(Number.isInteger(chunkBytes) && chunkBytes > 0)) {
    throw new RangeError(`eventFile$: chunkBytes must be a positive integer, got ${chunkBytes}`);
  }
  const open = options.open ?? ((p: string) => fsOpen(p, 'r'));
  return new Observable<EventChunk>((subscriber) => {
    let stopped = false;
    const run = async (): Promise<void> => {
      const handle = await open(path);
      try {
        let decoder: EventDecoder | undefined;
        const makeDecoder = (head: Uint8Array): EventDecoder => {
          const format = options.format ?? detectEventFormat(head, path);
          if (format === undefined) throw new Error(`eventFile$: cannot tell the event format of ${path}`);
          return createEventDecoder(format, { maxChunkEvents: options.maxChunkEvents, sensor: options.sensor });
        };
        let first = true;
        for (;;) {
          const want = first ? Math.max(chunkBytes, DETECT_BYTES) : chunkBytes;
          const buffer = new Uint8Array(want);
          let filled = 0;
          // the first read fills the detection window (short reads are possible)
          do {
            const { bytesRead } = await handle.read(buffer, filled, want - filled, null);
            if (stopped) return;
            if (bytesRead === 0) break;
            filled += bytesRead;
          } while (first && filled < want);
          first = false;
          if (filled === 0) break;
          const bytes = buffer.subarray(0, filled);
          decoder ??= makeDecoder(bytes);
          for (const chunk of decoder.push(bytes)) {
            subscriber.next(chunk);
            if (stopped) return;
          }
        }
        decoder ??= makeDecoder(new Uint8Array(0));
        for (const chunk of decoder.end()) {
          subscriber.next(chunk);
          if (stopped) return;
        }
        subscriber.complete();
      } finally {
        await handle.close();
      }
    };
    run().catch((err: unknown) => {
      if (!stopped) subscriber.error(err instanceof EventFormatError && err.file === undefined ? err.withFile(path) : err);
    });
    return () => {
      stopped = true;
    };
  });
}
