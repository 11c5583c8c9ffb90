/**
 * Every ```ts snippet of README.md runs as written (imports of the package name are mapped to
 * the sources) and its own assertions hold; the set-up commands the README shows exist.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const scratch = join(root, 'node_modules', '.cache', 'spikeline-readme');
mkdirSync(scratch, { recursive: true });

const entry: Record<string, string> = {
  spikeline: join(root, 'src', 'index.ts'),
  'spikeline/laws': join(root, 'laws', 'index.ts'),
  'spikeline/streams': join(root, 'streams', 'index.ts'),
};

const mapImports = (code: string): string =>
  code.replace(/from '(spikeline(?:\/[a-z]+)?)'/g, (_, name: string) => {
    const path = entry[name];
    if (path === undefined) throw new Error(`README imports unknown entry point ${name}`);
    return `from '${pathToFileURL(path).href}'`;
  });

describe('README', () => {
  it('shows the set-up and test commands, which package.json defines', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const s of ['start', 'test', 'conformance', 'bench']) expect(pkg.scripts[s]).toBeTypeOf('string');
    expect(pkg.exports['.']).toBe('./src/index.ts');
  });

  it('has code snippets to run', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(3);
  });

  snippets.forEach((code, i) => {
    it(`snippet ${i + 1} runs: ${code.split('\n').find((l) => l.includes('spikeline'))?.trim() ?? ''}`, async () => {
      const file = join(scratch, `snippet-${i + 1}.ts`);
      writeFileSync(file, mapImports(code));
      await import(pathToFileURL(file).href);
    });
  });
});
