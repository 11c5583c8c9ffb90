/**
 * The `spikeline` command line: dispatches to one module per subcommand. Errors in what the user
 * gave (arguments, files, configs) print a message naming what and where and exit with status 2.
 */
import { benchCommand } from './commands/bench.ts';
import { conformanceCommand } from './commands/conformance.ts';
import { evalCommand } from './commands/evalModel.ts';
import { experimentCommand } from './commands/experiment.ts';
import { presetsCommand } from './commands/presets.ts';
import { reconstructCommand } from './commands/reconstruct.ts';
import { startCommand } from './commands/start.ts';
import { searchCommand } from './commands/search.ts';
import { trainCommand } from './commands/train.ts';
import { workerCommand } from './commands/worker.ts';
import { UsageError } from './usageError.ts';

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, { run: Command; summary: string }> = {
  conformance: { run: conformanceCommand, summary: 'equality with the original program on a golden file' },
  start: { run: startCommand, summary: 'the main job: 2 epochs of h32-l1-n0 on MNIST, with pictures' },
  train: { run: trainCommand, summary: 'train a spiking autoencoder (presets, config, flags)' },
  eval: { run: evalCommand, summary: 'reconstruction loss of a saved model' },
  reconstruct: { run: reconstructCommand, summary: 'picture of test images and their reconstructions' },
  presets: { run: presetsCommand, summary: 'list the 77 hyperparameter presets' },
  experiment: { run: experimentCommand, summary: "the paper's experiments (figures 3–11) and report.html" },
  search: { run: searchCommand, summary: 'hyperparameter search (in-process, or BullMQ jobs on Redis)' },
  worker: { run: workerCommand, summary: 'serve the trials of distributed searches from Redis' },
  bench: { run: benchCommand, summary: 'speed figures measured on this machine' },
};

export const usage = (): string =>
  [
    'usage: spikeline <command> [options]   (spikeline <command> --help for details)',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`),
  ].join('\n');

export const main = async (argv: string[]): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`spikeline: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`spikeline ${name}: ${(e as Error).message}`);
      return 2;
    }
    throw e;
  }
};
