#!/usr/bin/env node
// The `spikeline` command. Runs the bundled build (dist/), rebuilding it first when a source file
// is newer: numeric code runs about twice as fast from the bundle as through an on-the-fly
// TypeScript loader.
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build.mjs';

const bundles = await ensureBuilt();
const { main } = await import(pathToFileURL(bundles.spikeline).href);
process.exitCode = await main(process.argv.slice(2));
