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
const { main, failureReport } = await import(cli.href);
// Errors raised outside a command's own code path (a socket's or a timer's callback) meet the same
// boundary as the rest: one line and exit 2 for an expected failure, "unexpected" and 1 otherwise.
const argv = process.argv.slice(2);
const stray = (e) => {
  const { message, status } = failureReport(argv.find((a) => a !== '--debug') ?? 'spikeline', e, argv.includes('--debug'));
  console.error(message);
  process.exit(status);
};
process.on('uncaughtException', stray);
process.on('unhandledRejection', stray);
process.exitCode = await main(argv);
