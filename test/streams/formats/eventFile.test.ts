import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { firstValueFrom, lastValueFrom, reduce, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { concatEventChunks } from '../../../streams/events.ts';
import { detectEventFormat } from '../../../streams/formats/detectEventFormat.ts';
import { decodeAll } from '../../../streams/formats/eventDecoder.ts';
import { EventFormatError } from '../../../streams/formats/eventFormatError.ts';
import { createEvt3Decoder } from '../../../streams/formats/evt3.ts';
import { type EventFileHandle, eventFile$ } from '../../../streams/sources/eventFile.ts';
import { eventsDir, sample, sameEvents } from './formatTestKit.ts';

const path = (name: string) => resolve(eventsDir, name);

describe('eventFile$', () => {
  it.each([
    ['nmnist-sample.bin', 'nmnist'],
    ['ncars-sample.dat', 'dat'],
    ['evt2-sample.raw', 'evt2'],
    ['evt3-sample.raw', 'evt3'],
    ['sample.aedat4', 'aedat4'],
  ])('detects %s as %s from its first bytes and name', (name, format) => {
    expect(detectEventFormat(sample(name).subarray(0, 4096), name)).toBe(format);
  });

  it('detects Prophesee headers without a helpful extension', () => {
    expect(detectEventFormat(sample('evt2-sample.raw').subarray(0, 4096), 'x.unknown')).toBe('evt2');
    expect(detectEventFormat(sample('evt3-sample.raw').subarray(0, 4096), 'x.unknown')).toBe('evt3');
    expect(detectEventFormat(sample('sample.aedat4').subarray(0, 64), 'x')).toBe('aedat4');
    expect(detectEventFormat(new Uint8Array([1, 2, 3]), 'x.unknown')).toBeUndefined();
  });

  it('streams the same events as decoding the bytes in memory, in small reads', async () => {
    const chunks = await lastValueFrom(eventFile$(path('evt3-sample.raw'), { chunkBytes: 3001 }).pipe(toArray()));
    expect(chunks.length).toBeGreaterThan(1);
    const streamed = concatEventChunks(chunks);
    expect(sameEvents(streamed, decodeAll(createEvt3Decoder(), sample('evt3-sample.raw')))).toBe(true);
  });

  it('counts the events of every sample', async () => {
    const count = (name: string) =>
      lastValueFrom(eventFile$(path(name)).pipe(reduce((n, c) => n + c.count, 0)));
    expect(await count('nmnist-sample.bin')).toBe(4325);
    expect(await count('evt2-sample.raw')).toBe(539_481);
    expect(await count('sample.aedat4')).toBe(111_954);
  });

  it('stops reading and closes the file on unsubscribe', async () => {
    let reads = 0;
    let closes = 0;
    let resolveClosed: () => void = () => {};
    const closed = new Promise<void>((r) => (resolveClosed = r));
    const openSpy = async (p: string): Promise<EventFileHandle> => {
      const h = await open(p, 'r');
      return {
        read: (buffer, offset, length, position) => {
          reads++;
          return h.read(buffer, offset, length, position);
        },
        close: async () => {
          closes++;
          await h.close();
          resolveClosed();
        },
      };
    };
    const first = await firstValueFrom(
      eventFile$(path('evt2-sample.raw'), { chunkBytes: 4096, open: openSpy }).pipe(take(1)),
    );
    expect(first.count).toBeGreaterThan(0);
    await closed;
    const readsAtClose = reads;
    expect(closes).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(reads).toBe(readsAtClose);
    expect(readsAtClose).toBeLessThan(2_170_592 / 4096);
  });

  it('errors with EventFormatError for a corrupt file and closes it', async () => {
    let closes = 0;
    const corrupt = sample('sample.aedat4').slice(0, 30);
    corrupt[2] = 0;
    const fake = async (): Promise<EventFileHandle> => {
      let at = 0;
      return {
        read: async (buffer, offset, length) => {
          const n = Math.min(length, corrupt.length - at);
          buffer.set(corrupt.subarray(at, at + n), offset);
          at += n;
          return { bytesRead: n };
        },
        close: async () => {
          closes++;
        },
      };
    };
    await expect(lastValueFrom(eventFile$('corrupt.aedat4', { open: fake }))).rejects.toThrow(EventFormatError);
    expect(closes).toBe(1);
  });

  it('refuses a file whose format it cannot tell', async () => {
    await expect(lastValueFrom(eventFile$(path('README.md')))).rejects.toThrow(/cannot tell the event format/);
  });
});
