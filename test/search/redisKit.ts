/**
 * A real Redis for tests: `startRedis()` runs `redis-server` on a free loopback port (no
 * persistence) and answers when it replies to PING; it rejects, saying how to install it, when
 * redis-server is missing (tests fail then, never skip).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

export const freePort = () =>
  new Promise<number>((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a !== null ? ok(a.port) : fail(new Error('no port'))));
    });
  });

export const ping = (port: number) =>
  new Promise<boolean>((ok) => {
    const c = createConnection({ host: '127.0.0.1', port }, () => c.write('PING\r\n'));
    c.once('data', (d) => {
      c.destroy();
      ok(d.toString().startsWith('+PONG'));
    });
    c.once('error', () => ok(false));
  });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RunningRedis {
  readonly url: string;
  readonly proc: ChildProcess;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

export const startRedis = async (): Promise<RunningRedis> => {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const spawnError = new Promise<never>((_, fail) =>
    proc.once('error', (e) =>
      fail(new Error(`cannot start redis-server (${e.message}): install the Debian package redis-server (apt-get install redis-server)`)),
    ),
  );
  const ready = (async () => {
    for (let i = 0; i < 100; i++) {
      if (await ping(port)) return;
      await sleep(50);
    }
    throw new Error(`redis-server on port ${port} did not answer PING within 5 s`);
  })();
  await Promise.race([ready, spawnError]);
  return {
    url: `redis://127.0.0.1:${port}`,
    proc,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
};
