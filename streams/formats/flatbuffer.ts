/**
 * Bounds-checked reading of FlatBuffers binary data (little-endian), enough for the AEDAT 4
 * schemas, written from the FlatBuffers "internals" description:
 * - a buffer starts with a u32 offset to its root table (optionally preceded by a u32 size,
 *   "size-prefixed"), then optionally a 4-byte file identifier;
 * - a table starts with an i32 soffset: its vtable is at `table − soffset`;
 * - a vtable is u16 vtable size, u16 table size, then one u16 per field: the field's offset
 *   from the table start (0 = absent, use the default);
 * - references (strings, vectors, sub-tables) are u32 offsets from where they are stored;
 * - a vector or string is a u32 element count followed by the elements (strings: bytes + NUL).
 *
 * Every read checks its bounds and throws {@link FlatBufferError} with the position.
 */
export class FlatBufferError extends Error {
  override readonly name = 'FlatBufferError';
  constructor(
    readonly position: number,
    problem: string,
  ) {
    super(problem);
  }
}

export function fbCheck(buf: Uint8Array, pos: number, size: number, what: string): void {
  if (!(pos >= 0 && pos + size <= buf.length)) {
    throw new FlatBufferError(pos, `${what} (${size} bytes at ${pos}) outside the ${buf.length}-byte buffer`);
  }
}

export function fbU16(buf: Uint8Array, pos: number): number {
  fbCheck(buf, pos, 2, 'u16');
  return buf[pos] | (buf[pos + 1] << 8);
}

export function fbI32(buf: Uint8Array, pos: number): number {
  fbCheck(buf, pos, 4, 'i32');
  return buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16) | (buf[pos + 3] << 24);
}

export function fbU32(buf: Uint8Array, pos: number): number {
  return fbI32(buf, pos) >>> 0;
}

/** An i64 as a double (exact for |value| < 2^53). */
export function fbI64(buf: Uint8Array, pos: number): number {
  fbCheck(buf, pos, 8, 'i64');
  return fbU32(buf, pos) + fbI32(buf, pos + 4) * 4294967296;
}

/** Position of the root table of a buffer starting at `start`. */
export function fbRoot(buf: Uint8Array, start: number): number {
  return fbDeref(buf, start);
}

/** Follows the u32 reference stored at `pos`. */
export function fbDeref(buf: Uint8Array, pos: number): number {
  const target = pos + fbU32(buf, pos);
  fbCheck(buf, target, 4, 'referenced object');
  return target;
}

/** Position of field `index` of the table at `table`, or -1 when the field is absent. */
export function fbField(buf: Uint8Array, table: number, index: number): number {
  const vtable = table - fbI32(buf, table);
  const vtableSize = fbU16(buf, vtable);
  const tableSize = fbU16(buf, vtable + 2);
  fbCheck(buf, table, tableSize, 'table');
  const entry = 4 + 2 * index;
  if (entry + 2 > vtableSize) return -1;
  const off = fbU16(buf, vtable + entry);
  if (off === 0) return -1;
  if (off >= tableSize) throw new FlatBufferError(vtable + entry, `field offset ${off} beyond table size ${tableSize}`);
  return table + off;
}

/** The string referenced from `pos`, decoded as latin-1/ASCII. */
export function fbString(buf: Uint8Array, pos: number): string {
  const s = fbDeref(buf, pos);
  const n = fbU32(buf, s);
  fbCheck(buf, s + 4, n, 'string');
  let out = '';
  for (let i = 0; i < n; i++) out += String.fromCharCode(buf[s + 4 + i]);
  return out;
}
