/**
 * Which decoder fits a file: by its first bytes (AEDAT 4 magic, Prophesee `% evt 2.0` /
 * `% evt 3.0` / `% format EVT3` header lines, DAT `% Data file` header), else by extension
 * (`.aedat4`, `.dat`, `.bin` = N-MNIST).
 *
 * ## Example
 * ```ts
 * detectEventFormat(firstBytes, 'recording.raw'); // 'evt3'
 * const decoder = createEventDecoder('evt3');
 * ```
 */
import { createAedat4Decoder, AEDAT4_MAGIC } from './aedat4.ts';
import { createDatDecoder } from './dat.ts';
import { type DecoderOptions, type EventDecoder } from './eventDecoder.ts';
import { type EventFormatName } from './eventFormatError.ts';
import { createEvt2Decoder } from './evt2.ts';
import { createEvt3Decoder } from './evt3.ts';
import { createNmnistDecoder } from './nmnist.ts';

/** The format of a file from its first bytes (a few KiB suffice) and path; undefined if unknown. */
export function detectEventFormat(head: Uint8Array, path: string = ''): EventFormatName | undefined {
  let text = '';
  for (let i = 0; i < Math.min(head.length, 8192); i++) text += String.fromCharCode(head[i]);
  if (text.startsWith(AEDAT4_MAGIC.slice(0, 12))) return 'aedat4';
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (text.startsWith('%')) {
    const headerLines = text.split('\n').filter((l) => l.startsWith('%'));
    for (const l of headerLines) {
      if (/^%\s*evt\s+3\.0/i.test(l) || /^%\s*format\s+EVT3/i.test(l)) return 'evt3';
      if (/^%\s*evt\s+2\.0/i.test(l) || /^%\s*format\s+EVT2(?![.\d])/i.test(l)) return 'evt2';
    }
    if (ext === 'dat' || headerLines.some((l) => /data file/i.test(l))) return 'dat';
  }
  if (ext === 'aedat4') return 'aedat4';
  if (ext === 'dat') return 'dat';
  if (ext === 'bin') return 'nmnist';
  return undefined;
}

/** A fresh decoder for `format`. */
export function createEventDecoder(format: EventFormatName, options: DecoderOptions = {}): EventDecoder {
  switch (format) {
    case 'nmnist':
      return createNmnistDecoder(options);
    case 'aedat4':
      return createAedat4Decoder(options);
    case 'dat':
      return createDatDecoder(options);
    case 'evt2':
      return createEvt2Decoder(options);
    case 'evt3':
      return createEvt3Decoder(options);
  }
}
