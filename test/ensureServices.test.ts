/**
 * The step before the tests (`node test/ensureServices.mjs`, first in `npm test`): it passes
 * silently when redis-server and chromium are there, installs what is missing with apt-get when
 * root, and otherwise stops at once naming the one command to run.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { plan } from './ensureServices.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), 'ensureServices.mjs');
const bin = mkdtempSync(join(tmpdir(), 'spikeline-services-'));
const fake = (name: string): string => {
  const f = join(bin, name);
  writeFileSync(f, '#!/bin/sh\nexit 0\n');
  chmodSync(f, 0o755);
  return f;
};

const runScript = (env: Record<string, string>) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [script], { env, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, seconds: (performance.now() - t0) / 1000 };
};

describe('ensureServices', () => {
  it('passes silently when redis-server is on PATH and chromium is there', () => {
    fake('redis-server');
    const r = runScript({ PATH: bin, CHROMIUM: fake('chromium') });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('stops within seconds, naming the command, when both are missing and apt-get is not there', () => {
    const empty = mkdtempSync(join(tmpdir(), 'spikeline-empty-path-'));
    const r = runScript({ PATH: empty, CHROMIUM: join(empty, 'chromium') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/needs redis-server and chromium/);
    expect(r.stderr).toMatch(/apt-get install -y redis-server chromium/);
    expect(r.seconds).toBeLessThan(10);
  });

  it('plans: nothing missing → ok; root with apt-get → install; otherwise the sudo command', () => {
    expect(plan({ missing: [], isRoot: false, hasAptGet: false })).toEqual({ action: 'ok' });
    expect(plan({ missing: ['chromium'], isRoot: true, hasAptGet: true })).toEqual({ action: 'install', packages: ['chromium'] });
    const stop = plan({ missing: ['redis-server'], isRoot: false, hasAptGet: true });
    expect(stop.action === 'stop' && stop.message).toMatch(/\n  sudo apt-get install -y redis-server\n/);
  });
});
