// Builds the package (dist/) from the TypeScript sources: ESM JavaScript for every public entry
// point and the command line (esbuild, with code splitting so that entry points share chunks and
// therefore module identity), and .d.ts declarations (tsc --emitDeclarationOnly, tsconfig.build.json).
// Run by `npm run build`, and by npm itself as `prepare` (after npm install) and `prepack`.
//
//     node scripts/build.mjs          JavaScript and declarations
//     node scripts/build.mjs --js     JavaScript only (a second or so; what npm start/bench use)
//
// Plain JavaScript, so that it runs before anything is compiled. Files are written atomically and
// an unchanged build writes identical files, so a process running from dist/ while another
// rebuilds it is not disturbed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** dist/<name>.js ← source. Every file of dist/ sits in one folder, so `new URL('./x.js', import.meta.url)` finds a sibling entry from any chunk. */
export const entries = {
  index: 'src/index.ts',
  streams: 'streams/index.ts',
  laws: 'laws/index.ts',
  kernels: 'src/kernels/index.ts',
  cli: 'src/cli/main.ts',
  trainWorker: 'src/cli/trainWorker.ts',
};

const buildJs = async () => {
  const result = await esbuild.build({
    absWorkingDir: root,
    write: false,
    entryPoints: Object.fromEntries(Object.entries(entries).map(([n, f]) => [n, join(root, f)])),
    outdir: dist,
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  mkdirSync(dist, { recursive: true });
  const written = new Set();
  for (const f of result.outputFiles) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
    written.add(f.path);
  }
  // chunks of an earlier build that this one no longer has
  for (const e of readdirSync(dist, { withFileTypes: true })) {
    const p = join(dist, e.name);
    if (e.isFile() && /\.js(\.map)?$/.test(e.name) && !written.has(p)) rmSync(p, { force: true });
  }
  return [...written].filter((p) => p.endsWith('.js')).map((p) => relative(root, p));
};

const buildTypes = () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const jsOnly = process.argv.includes('--js');
  const files = await buildJs();
  if (!jsOnly) {
    if (existsSync(join(dist, 'types'))) rmSync(join(dist, 'types'), { recursive: true, force: true });
    buildTypes();
  }
  console.error(`spikeline: built ${files.length} files in dist/${jsOnly ? '' : ' and declarations in dist/types/'}`);
}
