/**
 * The package as a user gets it: `npm pack`, the tarball installed into an empty project (its
 * dependencies from the npm cache), and there
 *  - a plain `node` ESM script imports every subpath, with one module identity across them;
 *  - a strict TypeScript consumer, the README snippets and the examples type-check (`tsc --noEmit`);
 *  - every README snippet and every example runs, importing only the public entry points;
 *  - the installed CLI runs from its built files in a read-only package directory and writes
 *    nothing into it.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const tsxLoader = pathToFileURL(require.resolve('tsx/esm')).href;
const eventsDir = join(root, 'test/fixtures/events');
const PUBLIC = new Set(['spikeline', 'spikeline/streams', 'spikeline/laws', 'spikeline/kernels']);

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

/** Module specifiers a file imports (static, dynamic, re-exports). */
const importsOf = (text: string): string[] =>
  [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);

/** Imports of an example, following its relative imports, that reach into the package's files instead of its entry points. */
const deepImports = (file: string, seen = new Set<string>()): string[] => {
  if (seen.has(file)) return [];
  seen.add(file);
  return importsOf(readFileSync(file, 'utf8')).flatMap((s) => {
    if (!s.startsWith('.')) return s.startsWith('spikeline') && !PUBLIC.has(s) ? [`${file.slice(root.length + 1)} imports ${s}`] : [];
    const target = resolve(dirname(file), s);
    return dirname(target) === dirname(file) ? deepImports(target, seen) : [`${file.slice(root.length + 1)} imports ${s}`];
  });
};

const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).sort();
/** Examples that are programs (the rest are modules they share, e.g. quickAutoencoder.ts). */
const programs = examples.filter((f) => /^if \(process\.argv\[1\]/m.test(readFileSync(join(root, 'examples', f), 'utf8')));
const deep = Object.fromEntries(examples.map((f) => [f, deepImports(join(root, 'examples', f))]));
const publicExamples = programs.filter((f) => deep[f].length === 0);

const newestMtime = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newestMtime(p) : /\.(ts|json)$/.test(e.name) ? statSync(p).mtimeMs : 0);
  }, 0);

/** dist/ built from the current sources: `npm test` builds first; a lone run of this file builds when stale. */
const ensureFreshDist = () => {
  const built = [join(root, 'dist/index.js'), join(root, 'dist/cli.js'), join(root, 'dist/types/src/index.d.ts')];
  const sources = Math.max(...['src', 'streams', 'laws'].map((d) => newestMtime(join(root, d))));
  if (built.some((f) => !existsSync(f) || statSync(f).mtimeMs < sources)) {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'pipe' });
  }
};

const run = (cmd: string, args: string[], cwd: string, timeout = 60_000) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
};

interface Done {
  readonly status: number | null;
  readonly out: string;
}
/** A child process as a promise of its exit status and output (killed after `timeout` ms). */
const runAsync = (cmd: string, args: string[], cwd: string, timeout = 150_000): Promise<Done> =>
  new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NODE_OPTIONS: '' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => (out += String(e)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, out });
    });
  });
const runTs = (file: string, args: string[]) => runAsync(process.execPath, ['--import', tsxLoader, file, ...args], project);

/** The slow checks start together once the package is installed (the machine's cores overlap them); each test awaits its own. */
const jobs = new Map<string, Promise<Done>>();
const job = (key: string, start: () => Promise<Done>): Promise<Done> => {
  if (!jobs.has(key)) jobs.set(key, start());
  return jobs.get(key) as Promise<Done>;
};

const tmp = mkdtempSync(join(tmpdir(), 'spikeline-pack-'));
const project = join(tmp, 'consumer');
const installed = join(project, 'node_modules', 'spikeline');
let tarballFiles: string[] = [];

const args: Record<string, (out: string) => string[]> = {
  'compose-pipeline.ts': (out) => [out],
  'event-camera-replay.ts': (out) => [out, eventsDir],
  'live-udp.ts': () => [join(eventsDir, 'nmnist-sample.bin')],
  'custom-neuron-laws.ts': () => [],
};
/** Examples timed by the wall clock (a live UDP pipeline) run alone, after the others. */
const ALONE = new Set(['live-udp.ts']);
const runExample = (f: string): Promise<Done> => runTs(`examples/${f}`, (args[f] ?? (() => []))(join(project, 'examples-out', f)));

/** Every file below a folder, relative to it, with its size (to see that nothing was written). */
const listing = (dir: string, base = dir): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? listing(p, base) : [`${p.slice(base.length + 1)} ${statSync(p).size}`];
  });

/** Writes a strict consumer and a tsconfig over it, the snippets and the public examples, and runs tsc. */
const typeCheck = (): Promise<Done> => {
  writeFileSync(
    join(project, 'consumer.ts'),
    `import { type NeuronModel, type Network, alphaNeuron, dualExponentialModel, gaussianSampler, initNetwork } from 'spikeline';
import { spikingNetwork } from 'spikeline/streams';
import { checkLaws, neuronModelLaws } from 'spikeline/laws';
import { type LayerTape, allocLayerTape } from 'spikeline/kernels';

const model: NeuronModel = dualExponentialModel;
const t: number = alphaNeuron.fire({ decayRate: 1, threshold: 0.5 }, [0.1], [1]).spikeTime;
// @ts-expect-error a spike time is a number: the types are real, not any
const wrong: string = t;
const net: Network = initNetwork({ layerSizes: [2, 2], nPulses: 0, decayRate: 1, threshold: 0.5 }, { nonpulseWeightMeanMultiplier: 1, pulseWeightMeanMultiplier: 1 }, gaussianSampler(1));
const tape: LayerTape = allocLayerTape(2, 2);
export const used = [model, wrong, net, tape, spikingNetwork, checkLaws, neuronModelLaws];
`,
  );
  const files = ['consumer.ts', ...snippets.map((_, i) => `snippet-${i + 1}.ts`), ...publicExamples.map((f) => `examples/${f}`)];
  const compilerOptions = {
    strict: true,
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(root, 'node_modules/@types')],
  };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
  return runAsync(process.execPath, [tsc, '--noEmit', '-p', '.'], project);
};

beforeAll(() => {
  ensureFreshDist();
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  ) as { filename: string; files: { path: string }[] }[];
  tarballFiles = packed[0].files.map((f) => f.path);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(tmp, packed[0].filename)], {
    cwd: project,
    stdio: 'pipe',
  });
  cpSync(join(root, 'examples'), join(project, 'examples'), { recursive: true });
  snippets.forEach((code, i) => writeFileSync(join(project, `snippet-${i + 1}.ts`), code));
  void job('tsc', typeCheck);
  snippets.forEach((_, i) => void job(`snippet-${i + 1}`, () => runTs(`snippet-${i + 1}.ts`, [])));
  for (const f of publicExamples.filter((f) => !ALONE.has(f))) void job(f, () => runExample(f));
}, 180_000);

/** Sets or clears the owner's write permission on a folder and everything in it. */
const writable = (dir: string, on: boolean) => {
  const chmodW = (p: string) => chmodSync(p, on ? statSync(p).mode | 0o200 : statSync(p).mode & ~0o222);
  if (on) chmodW(dir);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) writable(p, on);
    else chmodW(p);
  }
  if (!on) chmodW(dir);
};

afterAll(() => {
  if (existsSync(installed)) writable(installed, true);
  rmSync(tmp, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('carries the built files, the CLI and the README, and no sources, tests or fixtures', () => {
    for (const f of ['package.json', 'README.md', 'bin/spikeline.mjs', 'dist/index.js', 'dist/streams.js', 'dist/laws.js', 'dist/kernels.js', 'dist/cli.js', 'dist/trainWorker.js']) {
      expect(tarballFiles).toContain(f);
    }
    for (const f of ['src/index.d.ts', 'streams/index.d.ts', 'laws/index.d.ts', 'src/kernels/index.d.ts']) expect(tarballFiles).toContain(`dist/types/${f}`);
    expect(tarballFiles.filter((f) => /^(src|test|streams|laws|examples|scripts)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepare).toContain('scripts/build.mjs');
    expect(pkg.scripts.prepack).toContain('scripts/build.mjs');
  });

  it('plain node imports every subpath; the subpaths share one module instance', () => {
    const script = `
      import assert from 'node:assert/strict';
      import * as root from 'spikeline';
      import * as streams from 'spikeline/streams';
      import * as laws from 'spikeline/laws';
      import * as kernels from 'spikeline/kernels';
      assert.equal(typeof root.alphaNeuron.fire, 'function');
      assert.equal(typeof root.initNetwork, 'function');
      assert.equal(typeof streams.spikingNetwork, 'function');
      assert.equal(typeof laws.neuronModelLaws, 'function');
      for (const k of ['alphaSpikeInto', 'layerFireRange', 'layerBackwardRange', 'sortLayerInputs']) {
        assert.equal(typeof kernels[k], 'function', k);
        assert.equal(k in root, false, k + ' is a kernel internal, not in the root export');
      }
      assert.equal(kernels.alphaModel, root.alphaModel);
      console.log('imported', Object.keys(root).length, Object.keys(streams).length, Object.keys(laws).length, Object.keys(kernels).length);
    `;
    writeFileSync(join(project, 'imports.mjs'), script);
    const r = run(process.execPath, ['imports.mjs'], project);
    expect(r.out).toMatch(/^imported \d+ \d+ \d+ \d+/);
    expect(r.status).toBe(0);
  });

  it('a strict TypeScript consumer, the README snippets and the public examples type-check against the installed types', async () => {
    const r = await job('tsc', typeCheck);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  it('has README snippets to run', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(3);
  });

  snippets.forEach((code, i) => {
    it(`README snippet ${i + 1} runs from the installed package: ${code.split('\n').find((l) => l.includes("'spikeline"))?.trim() ?? ''}`, async () => {
      const r = await job(`snippet-${i + 1}`, () => runTs(`snippet-${i + 1}.ts`, []));
      expect(r.status, r.out).toBe(0);
    });
  });

  it('every example imports only the public entry points', () => {
    expect(programs).toEqual(expect.arrayContaining(['compose-pipeline.ts', 'custom-neuron-laws.ts', 'event-camera-replay.ts', 'live-udp.ts']));
    expect(Object.values(deep).flat()).toEqual([]);
    expect(publicExamples).toEqual(programs);
  });

  programs.forEach((f) => {
    it(`example ${f} runs from the installed package`, async () => {
      const r = await job(f, () => runExample(f));
      expect(r.status, r.out).toBe(0);
      const out = join(project, 'examples-out', f);
      if (existsSync(out)) for (const png of readdirSync(out)) expect(readFileSync(join(out, png)).subarray(1, 4).toString()).toBe('PNG');
    });
  });

  it('the installed CLI runs from its built files in a read-only package and writes nothing into it', () => {
    const before = listing(installed);
    writable(installed, false);
    const presets = run(join(project, 'node_modules/.bin/spikeline'), ['presets'], project);
    expect(presets.status, presets.out).toBe(0);
    expect(presets.out).toContain('h32-l1-n0');
    const out = join(project, 'run');
    const train = run(
      join(project, 'node_modules/.bin/spikeline'),
      ['train', '--epochs', '1', '--n-hidden', '8', '--train-limit', '60', '--validation-size', '20', '--test-limit', '20', '--workers', '1', '--out', out],
      project,
    );
    expect(train.status, train.out).toBe(0);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    expect(listing(installed)).toEqual(before);
  });
});
