/** Test entry for subprocesses: `node --import tsx test/cli/mainEntry.ts ARGS…` runs `spikeline ARGS…` from source. */
import { main } from '../../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
