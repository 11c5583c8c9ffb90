/**
 * The one error a decoder throws on bad input: it names the format and the byte offset (from the
 * start of the file or stream) where the input stopped making sense.
 *
 * ## Example
 * ```ts
 * try { decodeEvt3(bytes); } catch (e) { if (e instanceof EventFormatError) console.error(e.byteOffset); }
 * ```
 */
export type EventFormatName = 'nmnist' | 'aedat4' | 'dat' | 'evt2' | 'evt3';

export class EventFormatError extends Error {
  override readonly name = 'EventFormatError';
  readonly format: EventFormatName;
  /** Offset of the offending byte from the start of the input. */
  readonly byteOffset: number;

  constructor(format: EventFormatName, byteOffset: number, problem: string) {
    super(`${format}: ${problem} at byte ${byteOffset}`);
    this.format = format;
    this.byteOffset = byteOffset;
  }
}
