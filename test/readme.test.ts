/**
 * The set-up commands the README shows exist. Its ```ts snippets run from the packed and installed
 * package, as a user would run them: see test/package/pack.test.ts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README', () => {
  it('shows the set-up and test commands, which package.json defines', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const s of ['start', 'test', 'conformance', 'bench']) expect(pkg.scripts[s]).toBeTypeOf('string');
  });

  it('imports only the public entry points in its snippets', () => {
    const specs = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].flatMap((m) => [...m[1].matchAll(/from '([^']+)'/g)].map((x) => x[1]));
    expect(specs.length).toBeGreaterThanOrEqual(3);
    expect(specs.filter((s) => s.startsWith('.') || (s.startsWith('spikeline') && !/^spikeline(\/(streams|laws|kernels))?$/.test(s)))).toEqual([]);
  });
});
