/**
 * Where the installed package's own files are: its root (the folder of spikeline's package.json)
 * and the built training-worker script, which worker threads run. Read-only: the program never
 * builds or writes into its package (`npm run build` and npm's `prepare`/`prepack` do that).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../io/inputError.ts';

/** The nearest folder above `from` whose package.json is spikeline's (works from src/ and dist/). */
export const findPackageRoot = (from: string): string => {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name":\s*"spikeline"/.test(readFileSync(pkg, 'utf8'))) return dir;
    if (dirname(dir) === dir) throw new Error(`spikeline: no package root above ${from}`);
  }
};

export const packageRoot: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** Path of the built worker script (dist/trainWorker.js); a clear error when it was never built. */
export const trainWorkerScript = (): string => {
  const script = join(packageRoot, 'dist', 'trainWorker.js');
  if (!existsSync(script)) {
    throw new InputError(`${script}: the built training worker is missing; run \`npm run build\` in ${packageRoot}`);
  }
  return script;
};
