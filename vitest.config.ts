import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Inside the repository the package's own names resolve to its sources (as tsconfig.json `paths` does for tsc and tsx). */
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^spikeline$/, replacement: source('./src/index.ts') },
      { find: /^spikeline\/streams$/, replacement: source('./streams/index.ts') },
      { find: /^spikeline\/laws$/, replacement: source('./laws/index.ts') },
      { find: /^spikeline\/kernels$/, replacement: source('./src/kernels/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
