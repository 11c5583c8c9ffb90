/**
 * The CLI's one error boundary (`failureReport` in src/cli/main.ts): expected failures are one
 * line naming what and where with status 2; a bug says it is one and where to report it, with
 * the stack only under --debug (a flag every command accepts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REPORT_BUGS, failureReport, main } from '../../src/cli/main.ts';
import { InputError } from '../../src/io/inputError.ts';

const caught = (f: () => void): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('failureReport', () => {
  it('an input error: its message, one line, status 2', () => {
    expect(failureReport('eval', new InputError('m.json: params: expected 10 values, got 3'), false)).toEqual({
      message: 'spikeline eval: m.json: params: expected 10 values, got 3',
      status: 2,
    });
  });

  it('a raw file-system error (ENOTDIR) names the path and the reason, status 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikeline-boundary-'));
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    const r = failureReport('train', caught(() => readFileSync(join(file, 'y'))), false);
    expect(r).toEqual({ message: `spikeline train: ${join(file, 'y')}: cannot open (a part of the path is not a directory, ENOTDIR)`, status: 2 });
  });

  it('a service that is not there (ECONNREFUSED) names the address, status 2', async () => {
    const e = await new Promise<Error>((resolve) => connect({ host: '127.0.0.1', port: 1 }).on('error', resolve));
    const r = failureReport('search', e, false);
    expect(r.status).toBe(2);
    expect(r.message).toBe('spikeline search: cannot reach the service 127.0.0.1:1 (ECONNREFUSED); is it running?');
  });

  it('a bug: says so, where to report it, no stack unless --debug; status 1', () => {
    const bug = caught(() => (null as unknown as { x: () => void }).x());
    const plain = failureReport('eval', bug, false);
    expect(plain.status).toBe(1);
    expect(plain.message).toMatch(/^spikeline eval: unexpected error \(a bug in spikeline\): TypeError: /);
    expect(plain.message).toContain(REPORT_BUGS);
    expect(plain.message).toContain('--debug');
    expect(plain.message).not.toMatch(/\n\s+at /);
    const debug = failureReport('eval', bug, true);
    expect(debug.status).toBe(1);
    expect(debug.message).toMatch(/\n\s+at /);
  });

  it('--debug adds the stack to an expected failure too', () => {
    expect(failureReport('eval', new InputError('bad'), true).message).toMatch(/^spikeline eval: bad\nInputError: bad\n\s+at /);
  });
});

describe('main', () => {
  let stderr: string[];
  beforeEach(() => {
    stderr = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')));
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  it('every command accepts --debug', async () => {
    expect(await main(['presets', '--debug'])).toBe(0);
    expect(stderr).toEqual([]);
  });

  it('an unknown flag: one line, status 2 (with or without --debug)', async () => {
    expect(await main(['eval', '--nope', 'm.json'])).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^spikeline eval: Unknown option '--nope'/);
  });
});

describe('the installed command (bin/spikeline.mjs)', () => {
  const bin = join(import.meta.dirname, '../../bin/spikeline.mjs');
  /** Runs the built command with a preload that throws `error` from a timer once the command's handlers are set: outside any command's own code path. */
  const strayError = (error: string, ...args: string[]) =>
    spawnSync(process.execPath, ['--import', `data:text/javascript,const t = setInterval(() => { if (process.listenerCount('uncaughtException') > 0) { clearInterval(t); throw ${error}; } }, 20);`, bin, ...args], { encoding: 'utf8' });

  it('an error from a callback outside the command meets the same boundary: one line, status 2', () => {
    const r = strayError("Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', syscall: 'open', path: '/x/out.png' })", 'presets');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^spikeline presets: .*\/x\/out\.png/);
  });

  it('a stray bug says it is one (status 1), with the stack only under --debug', () => {
    const r = strayError("new TypeError('boom')", 'presets');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unexpected error \(a bug in spikeline\): TypeError: boom/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const d = strayError("new TypeError('boom')", 'presets', '--debug');
    expect(d.status).toBe(1);
    expect(d.stderr).toMatch(/\n\s+at /);
  });
});
