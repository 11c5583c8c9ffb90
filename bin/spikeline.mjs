#!/usr/bin/env node
// The `spikeline` command. Runs the built program (dist/cli.js); it never builds or writes into its
// own package. In a clone, `npm install` builds dist/ (npm's `prepare`), `npm run build` rebuilds it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error(`spikeline: ${fileURLToPath(cli)} is missing; run \`npm run build\` in the spikeline folder`);
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
