/**
 * The one error a decoder throws on bad input: it names the format and the byte offset (from the
 * start of the file or stream) where the input stopped making sense, and, once a caller that
 * knows it adds it ({@link EventFormatError.withFile}, as `eventFile$` does), the file.
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
  /** What is wrong, without format, file and offset. */
  readonly problem: string;
  /** The file (or stream) the input came from, when known. */
  readonly file: string | undefined;

  constructor(format: EventFormatName, byteOffset: number, problem: string, file?: string) {
    super(`${file === undefined ? '' : `${file}: `}${format}: ${problem} at byte ${byteOffset}`);
    this.format = format;
    this.byteOffset = byteOffset;
    this.problem = problem;
    this.file = file;
  }

  /** The same error, naming `file`. */
  withFile(file: string): EventFormatError {
    return new EventFormatError(this.format, this.byteOffset, this.problem, file);
  }
}

/** `x = 137 outside the 34×34 sensor (0 ≤ x < 34)`: the coordinate off the sensor, its value and bound. */
export function outsideSensorProblem(x: number, y: number, width: number, height: number): string {
  const [axis, value, bound] = x < 0 || x >= width ? ['x', x, width] : ['y', y, height];
  return `${axis} = ${value} outside the ${width}×${height} sensor (0 ≤ ${axis} < ${bound})`;
}

/**
 * The error for an event outside the sensor, e.g. `event x = 137 outside the 34×34 sensor
 * (0 ≤ x < 34)`. Decoders call it from their hot loops only after a cheap bound test failed.
 */
export function outsideSensorError(
  format: EventFormatName,
  byteOffset: number,
  x: number,
  y: number,
  width: number,
  height: number,
): EventFormatError {
  return new EventFormatError(format, byteOffset, `event ${outsideSensorProblem(x, y, width, height)}`);
}
