#!/usr/bin/env node
// The first step of `npm test`: the suite needs two programs besides Node, both from Debian —
// redis-server (test/search/redis.test.ts starts its own server on a free loopback port) and
// chromium at /usr/bin/chromium (or $CHROMIUM; test/report/html.test.ts renders a report).
// When one is missing: as root, install it with apt-get (after apt-get update); otherwise stop
// at once, naming the one command to run. Plain JavaScript so that it runs before anything is
// built or type-checked.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Debian packages the suite needs, and how to tell each one is there. */
export const SERVICES = [
  { pkg: 'redis-server', present: (env) => onPath('redis-server', env) !== null },
  { pkg: 'chromium', present: (env) => isExecutable(env.CHROMIUM ?? '/usr/bin/chromium') },
];

const isExecutable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first executable `name` on env.PATH, or null. */
export const onPath = (name, env) => {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
};

/**
 * What to do, from what is present: `{ action: 'ok' }`, `{ action: 'install', packages }` (root
 * with apt-get), or `{ action: 'stop', message }` naming the command to run.
 */
export const plan = ({ missing, isRoot, hasAptGet }) => {
  if (missing.length === 0) return { action: 'ok' };
  const command = `${isRoot ? '' : 'sudo '}apt-get install -y ${missing.join(' ')}`;
  if (isRoot && hasAptGet) return { action: 'install', packages: missing };
  const why = hasAptGet ? '' : ' (apt-get not found: install them with your system\'s package manager)';
  return {
    action: 'stop',
    message: `npm test needs ${missing.join(' and ')}, missing on this machine${why}. Run:\n  ${command}\nthen npm test again.`,
  };
};

const run = (argv, env) => {
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) {
    throw new Error(`${argv.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
  }
};

export const main = (env = process.env) => {
  const missing = SERVICES.filter((s) => !s.present(env)).map((s) => s.pkg);
  const p = plan({ missing, isRoot: process.getuid?.() === 0, hasAptGet: onPath('apt-get', env) !== null });
  if (p.action === 'ok') return 0;
  if (p.action === 'stop') {
    console.error(p.message);
    return 1;
  }
  console.error(`npm test: installing ${p.packages.join(', ')} from Debian (running as root)`);
  try {
    run(['apt-get', 'update', '-qq'], env);
    run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...p.packages], env);
  } catch (e) {
    console.error(`npm test: ${e.message}`);
    return 1;
  }
  const still = SERVICES.filter((s) => !s.present(env)).map((s) => s.pkg);
  if (still.length > 0) {
    console.error(`npm test: ${still.join(', ')} still missing after apt-get install`);
    return 1;
  }
  return 0;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main();
