/**
 * Test entry for subprocesses: `node --import tsx test/search/cliEntry.ts search|worker ARGS…`
 * runs `searchCommand` / `workerCommand` as `spikeline search|worker` would.
 */
import { searchCommand } from '../../src/cli/commands/search.ts';
import { workerCommand } from '../../src/cli/commands/worker.ts';
import { UsageError } from '../../src/cli/usageError.ts';

const [name, ...rest] = process.argv.slice(2);
const command = name === 'search' ? searchCommand : name === 'worker' ? workerCommand : undefined;
if (command === undefined) {
  console.error(`cliEntry: expected search or worker, got ${name}`);
  process.exit(2);
}
try {
  process.exitCode = await command(rest);
} catch (e) {
  if (e instanceof UsageError) {
    console.error(`spikeline ${name}: ${e.message}`);
    process.exitCode = 2;
  } else throw e;
}
