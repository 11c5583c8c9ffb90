/**
 * The dependency direction of STYLE.md: src/kernels imports nothing of ours and nothing from
 * rxjs, fp-ts or io-ts; nothing under src/ imports streams/ or laws/; and every layer of the whole
 * tree only points down its ranking (issue 11 item 5):
 *
 *     io, kernels < model, data < train, config < run, baseline < report < streams: core <
 *     formats < operators < sources < (index, bench) < laws < conformance < search, experiments,
 *     bench < src/index.ts < cli < examples
 *
 * (report sits below experiments, whose figures it draws; conformance below bench, which times
 * the golden networks; src/run is the run lifecycle that the CLI, search and experiments call.)
 *
 * A layer may import itself and the layers of lower tiers, never a peer of its own tier nor a
 * higher tier. The ranking is shown to catch violations on a fixture tree that breaks it
 * (test/fixtures/architecture/).
 *
 * One deliberate exception: src/cli/commands is the composition root of the `spikeline` program.
 * The issues ask its `conformance --streams` and `bench` commands to run the stream layer, so those
 * command modules may import streams/ (never laws/); nothing they import from streams/ is imported
 * back by the rest of src/.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const sourceFiles = (dir: string, base = root): string[] =>
  readdirSync(join(base, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name), base)
      : /\.(ts|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.mts')
        ? [join(dir, e.name)]
        : [],
  );

/** Every module specifier a file imports (static, dynamic and re-exports). */
const importsOf = (file: string, base = root): string[] => {
  const text = readFileSync(join(base, file), 'utf8');
  const specs: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) specs.push(m[1] ?? m[2] ?? m[3]);
  return specs;
};

/** Project-relative path of a relative import, or null for a package import. */
const target = (file: string, spec: string): string | null =>
  spec.startsWith('.') ? relative(root, resolve(root, dirname(file), spec)) : null;

const layerOf = (path: string): string => {
  const parts = path.split('/');
  if (parts[0] === 'src') return parts.length === 2 ? 'src/index' : `src/${parts[1]}`;
  if (parts[0] === 'streams') return parts.length === 2 ? (parts[1] === 'index.ts' ? 'streams/index' : 'streams/core') : `streams/${parts[1]}`;
  return parts[0];
};

/** The ranking, lowest tier first; layers of one tier are peers and may not import each other. */
const TIERS: readonly (readonly string[])[] = [
  ['src/io', 'src/kernels'],
  ['src/model', 'src/data'],
  ['src/train', 'src/config', 'src/nir'],
  ['src/run', 'src/baseline'],
  ['src/report'],
  ['streams/core'],
  ['streams/formats'],
  ['streams/operators'],
  ['streams/sources'],
  ['streams/index', 'streams/bench'],
  ['laws'],
  ['src/conformance'],
  ['src/search', 'src/experiments', 'src/bench'],
  ['src/index'],
  ['src/cli'],
  ['examples'],
];
const tierOf = new Map(TIERS.flatMap((tier, i) => tier.map((layer) => [layer, i] as const)));

/** Every import of `files` (paths relative to `base`) that points up the ranking or across a tier, or reaches an unranked layer. */
const rankViolations = (files: readonly string[], base = root): string[] =>
  files.flatMap((f) =>
    importsOf(f, base)
      .filter((s) => s.startsWith('.'))
      .map((s) => relative(base, resolve(base, dirname(f), s)))
      .filter((t) => {
        const from = layerOf(f);
        const to = layerOf(t);
        if (from === to) return false;
        const a = tierOf.get(from);
        const b = tierOf.get(to);
        return a === undefined || b === undefined || b >= a;
      })
      .map((t) => `${f} → ${t} (${layerOf(f)} → ${layerOf(t)})`),
  );

describe('architecture', () => {
  const src = sourceFiles('src');

  it('finds the sources it checks', () => {
    expect(src.length).toBeGreaterThan(10);
    expect(src.some((f) => f.startsWith('src/kernels/'))).toBe(true);
  });

  it('src/kernels imports nothing of ours outside kernels and no rxjs/fp-ts/io-ts', () => {
    const bad = src
      .filter((f) => f.startsWith('src/kernels/'))
      .flatMap((f) =>
        importsOf(f)
          .filter((s) => {
            const t = target(f, s);
            return t === null ? /^(rxjs|fp-ts|io-ts)(\/|$)/.test(s) : !t.startsWith('src/kernels/');
          })
          .map((s) => `${f} imports ${s}`),
      );
    expect(bad).toEqual([]);
  });

  it('nothing under src/ imports streams/ or laws/ (the CLI command modules may use streams/)', () => {
    const bad = src.flatMap((f) =>
      importsOf(f)
        .filter((s) => {
          const t = target(f, s);
          if (t === null) return false;
          if (t.startsWith('laws/')) return true;
          return t.startsWith('streams/') && !f.startsWith('src/cli/commands/');
        })
        .map((s) => `${f} imports ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('the whole tree points down its ranking', () => {
    const tree = ['src', 'streams', 'laws', 'examples'].flatMap((d) => sourceFiles(d));
    expect(tree.filter((f) => tierOf.get(layerOf(f)) === undefined)).toEqual([]);
    expect(rankViolations(tree)).toEqual([]);
  });

  it('the ranking fails on a fixture tree that breaks it, naming each wrong import', () => {
    const fixture = join(root, 'test/fixtures/architecture');
    const files = ['src', 'streams'].flatMap((d) => sourceFiles(d, fixture));
    expect(rankViolations(files, fixture).sort()).toEqual([
      'src/kernels/lambertW.ts → src/model/network.ts (src/kernels → src/model)',
      'src/report/runPictures.ts → src/experiments/autoencoderRun.ts (src/report → src/experiments)',
      'src/search/runTrial.ts → src/experiments/autoencoderRun.ts (src/search → src/experiments)',
      'streams/core.ts → src/conformance/compare.ts (streams/core → src/conformance)',
      'streams/formats/nmnist.ts → streams/operators/crop.ts (streams/formats → streams/operators)',
    ]);
  });

  it('the checker itself catches a violation', () => {
    expect(target('src/kernels/x.ts', '../model/network.ts')).toBe('src/model/network.ts');
    expect(layerOf('src/model/network.ts')).toBe('src/model');
    expect(importsOf('test/architecture.test.ts')).toContain('vitest');
  });
});

/**
 * Paths outside the repository that a file's code names: a relative string literal that climbs
 * above the repository root (resolved from the file's folder, or from the file itself when it
 * follows `fileURLToPath(import.meta.url),`), or `join/resolve(root, '..', …)`.
 */
const outsidePaths = (file: string, text: string): string[] => {
  const abs = join(root, file);
  const found: string[] = [];
  for (const m of text.matchAll(/(fileURLToPath\(import\.meta\.url\)\s*,\s*)?(['"`])((?:\.\.\/)+[^'"`$\n]*)\2/g)) {
    const resolved = resolve(m[1] === undefined ? dirname(abs) : abs, m[3]);
    if (relative(root, resolved).startsWith('..')) found.push(`${file}: ${m[3]}`);
  }
  for (const m of text.matchAll(/(?:join|resolve)\(\s*(?:root|projectRoot)\s*,\s*['"]\.\.['"]/g)) found.push(`${file}: ${m[0]}`);
  return found;
};

describe('the repository stands alone', () => {
  // (this file is left out: its checker examples below climb out on purpose)
  const files = [...['src', 'streams', 'laws', 'examples', 'test'].flatMap((d) => sourceFiles(d)), 'vitest.config.ts'].filter(
    (f) => f !== 'test/architecture.test.ts',
  );

  it('no file reads a path outside the repository (fixtures live in test/fixtures)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => outsidePaths(f, readFileSync(join(root, f), 'utf8')))).toEqual([]);
    const pkg = readFileSync(join(root, 'package.json'), 'utf8');
    expect(pkg).not.toMatch(/\.\.\//);
  });

  it('the checker catches paths that climb out of the repository', () => {
    const climb = `const d = resolve(here, '../../../${'sha'}red/x.json');`;
    expect(outsidePaths('test/config/a.test.ts', climb)).toHaveLength(1);
    expect(outsidePaths('test/config/a.test.ts', "resolve(here, '../../test/fixtures')")).toEqual([]);
    expect(outsidePaths('examples/a.ts', "resolve(fileURLToPath(import.meta.url), '../../test/fixtures')")).toEqual([]);
    expect(outsidePaths('examples/a.ts', "resolve(fileURLToPath(import.meta.url), '../../../elsewhere')")).toHaveLength(1);
    expect(outsidePaths('src/cli/commands/bench.ts', "join(root, '..', 'elsewhere')")).toHaveLength(1);
  });
});
