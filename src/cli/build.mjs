// Builds the command-line bundle (dist/) from the TypeScript sources when they are newer.
// Plain JavaScript so that it runs before anything is compiled. Uses esbuild's JS API (the
// platform binary comes inside the @esbuild/* npm package; nothing is downloaded).
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest folder above this file whose package.json is spikeline's. */
const findRoot = (from) => {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name":\s*"spikeline"/.test(readFileSync(pkg, 'utf8'))) return dir;
    if (dirname(dir) === dir) throw new Error(`spikeline: no package root above ${from}`);
  }
};
export const root = findRoot(dirname(fileURLToPath(import.meta.url)));
export const dist = join(root, 'dist');
export const entries = {
  spikeline: join(root, 'src', 'cli', 'main.ts'),
  trainWorker: join(root, 'src', 'cli', 'trainWorker.ts'),
};

const newestSource = (dir) => {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|mts|json)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
};

const builtAt = () => {
  let oldest = Infinity;
  for (const name of Object.keys(entries)) {
    const f = join(dist, `${name}.mjs`);
    if (!existsSync(f)) return 0;
    oldest = Math.min(oldest, statSync(f).mtimeMs);
  }
  return oldest;
};

/** Rebuilds dist/ when a source is newer than the bundle; returns the bundle paths. */
export const ensureBuilt = async ({ force = false, quiet = true } = {}) => {
  const sources = Math.max(...['src', 'streams', 'laws'].map((d) => newestSource(join(root, d))));
  if (force || sources > builtAt()) {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      write: false,
      entryPoints: entries,
      outdir: dist,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      logLevel: quiet ? 'warning' : 'info',
    });
    // Atomic writes: another process may be loading the bundle while this one rebuilds it.
    mkdirSync(dist, { recursive: true });
    for (const f of result.outputFiles) {
      const tmp = `${f.path}.${process.pid}.tmp`;
      writeFileSync(tmp, f.contents);
      renameSync(tmp, f.path);
    }
    if (!quiet) console.log(`built ${result.outputFiles.map((f) => f.path).join(', ')}`);
  }
  return Object.fromEntries(Object.keys(entries).map((n) => [n, join(dist, `${n}.mjs`)]));
};

if (process.argv[1] === fileURLToPath(import.meta.url) && import.meta.url.endsWith('/build.mjs')) {
  await ensureBuilt({ force: true, quiet: false });
}
