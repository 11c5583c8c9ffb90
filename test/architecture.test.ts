/**
 * The dependency direction of STYLE.md: src/kernels imports nothing of ours and nothing from
 * rxjs, fp-ts or io-ts; nothing under src/ imports streams/ or laws/; the layers of src/ only
 * point down (kernels ← model ← train ← cli/experiments/report).
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

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : /\.(ts|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.mts')
        ? [join(dir, e.name)]
        : [],
  );

/** Every module specifier a file imports (static, dynamic and re-exports). */
const importsOf = (file: string): string[] => {
  const text = readFileSync(join(root, file), 'utf8');
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
  return parts[0] === 'src' ? `src/${parts[1]}` : parts[0];
};

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

  it('arrows point down: kernels ← model ← train ← the edges', () => {
    const rank: Record<string, number> = { 'src/kernels': 0, 'src/model': 1, 'src/train': 2 };
    const bad = src.flatMap((f) =>
      importsOf(f)
        .map((s) => target(f, s))
        .filter((t): t is string => t !== null)
        .filter((t) => {
          const from = rank[layerOf(f)];
          const to = rank[layerOf(t)];
          // a ranked layer may import only ranked layers at or below it
          return from !== undefined && (to === undefined ? !t.startsWith('src/io/') : to > from);
        })
        .map((t) => `${f} → ${t}`),
    );
    expect(bad).toEqual([]);
  });

  it('the checker itself catches a violation', () => {
    expect(target('src/kernels/x.ts', '../model/network.ts')).toBe('src/model/network.ts');
    expect(layerOf('src/model/network.ts')).toBe('src/model');
    expect(importsOf('test/architecture.test.ts')).toContain('vitest');
  });
});
