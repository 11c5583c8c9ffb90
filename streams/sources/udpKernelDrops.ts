/**
 * `udpKernelDrops(address, port)`: how many datagrams the kernel dropped for one bound UDP/IPv4
 * socket before the process could read them (receive buffer full), where the platform reports
 * it; `null` where it does not.
 *
 * Node has no SO_RXQ_OVFL, so the count comes from the operating system's socket table: on Linux
 * the last column (`drops`, the socket's `sk_drops`) of `/proc/net/udp`, matched by local
 * address and port. Elsewhere (macOS, Windows, or a Linux without procfs) kernel drops are
 * invisible to the process, and the answer is `null`, never a made-up 0.
 *
 * ## Example
 * ```ts
 * udpKernelDrops('127.0.0.1', 3333); // 11 on Linux after a burst overflowed SO_RCVBUF; null on macOS
 * ```
 */
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';

/** The `local_address` field of /proc/net/udp for an IPv4 address and port (kernel prints the address in host order). */
export const procNetUdpLocal = (address: string, port: number, littleEndian: boolean = endianness() === 'LE'): string | undefined => {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (m === null) return undefined;
  const octets = m.slice(1, 5).map((s) => Number(s).toString(16).toUpperCase().padStart(2, '0'));
  if (littleEndian) octets.reverse();
  return `${octets.join('')}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
};

/**
 * The `drops` column of the /proc/net/udp row whose local address is `local` (as built by
 * {@link procNetUdpLocal}); undefined when no row matches or the table has no such column.
 */
export const parseProcNetUdpDrops = (table: string, local: string): number | undefined => {
  const lines = table.split('\n');
  const columns = (lines[0] ?? '').trim().split(/\s+/);
  if (columns[columns.length - 1] !== 'drops') return undefined;
  for (let i = 1; i < lines.length; i++) {
    const fields = lines[i].trim().split(/\s+/);
    if (fields[1] === local) {
      const drops = Number(fields[fields.length - 1]);
      return Number.isSafeInteger(drops) && drops >= 0 ? drops : undefined;
    }
  }
  return undefined;
};

/** Kernel receive-buffer drops of the IPv4 socket bound to address:port; null when not visible. */
export const udpKernelDrops = (address: string, port: number, procFile: string = '/proc/net/udp'): number | null => {
  const local = procNetUdpLocal(address, port);
  if (local === undefined) return null;
  let table: string;
  try {
    table = readFileSync(procFile, 'latin1');
  } catch {
    return null;
  }
  return parseProcNetUdpDrops(table, local) ?? null;
};
