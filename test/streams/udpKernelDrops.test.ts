/**
 * Kernel receive-buffer drops from the Linux socket table: the local-address key (address in host
 * byte order, port in hex) and the `drops` column of the matching row; no row or no column → none.
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { parseProcNetUdpDrops, procNetUdpLocal, udpKernelDrops } from '../../streams/sources/udpKernelDrops.ts';

const table = [
  '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            ',
  '  105: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 23456 2 0000000000000000 0         ',
  ' 4521: 0100007F:C350 00000000:0000 07 00000000:00033000 00:00000000 00000000  1000        0 98765 2 0000000000000000 11        ',
].join('\n');

describe('udpKernelDrops', () => {
  it('keys a socket by its address in host byte order and its port in hex', () => {
    expect(procNetUdpLocal('127.0.0.1', 50000, true)).toBe('0100007F:C350');
    expect(procNetUdpLocal('127.0.0.1', 50000, false)).toBe('7F000001:C350');
    expect(procNetUdpLocal('0.0.0.0', 68, true)).toBe('00000000:0044');
    expect(procNetUdpLocal('::1', 50000, true)).toBeUndefined();
  });

  it('reads the drops column of the matching row; none for an unknown socket or a table without the column', () => {
    expect(parseProcNetUdpDrops(table, '0100007F:C350')).toBe(11);
    expect(parseProcNetUdpDrops(table, '00000000:0044')).toBe(0);
    expect(parseProcNetUdpDrops(table, '0100007F:C351')).toBeUndefined();
    expect(parseProcNetUdpDrops(table.replace('drops', 'other'), '0100007F:C350')).toBeUndefined();
  });

  it('a missing socket table means invisible (null), not zero', () => {
    expect(udpKernelDrops('127.0.0.1', 50000, '/nonexistent/net/udp')).toBeNull();
  });

  it.runIf(process.platform === 'linux')('on Linux a live socket is found, with 0 drops before any traffic', async () => {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    expect(udpKernelDrops('127.0.0.1', s.address().port)).toBe(0);
    await new Promise<void>((r) => s.close(() => r()));
  });
});
