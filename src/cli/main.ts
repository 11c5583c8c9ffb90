/**
 * The `spikeline` command line: dispatches to one module per subcommand, inside the one error
 * boundary of the program (`failureReport`). Expected failures (arguments, files, configs, an
 * output that cannot be written, a full disk, a service that is not there) print a message naming
 * what and where and exit with status 2; anything else is a bug: it says so, where to report it,
 * and exits 1, with the stack only under `--debug` (accepted by every command).
 */
import { benchCommand } from './commands/bench.ts';
import { conformanceCommand } from './commands/conformance.ts';
import { evalCommand } from './commands/evalModel.ts';
import { experimentCommand } from './commands/experiment.ts';
import { nirCommand } from './commands/nir.ts';
import { presetsCommand } from './commands/presets.ts';
import { reconstructCommand } from './commands/reconstruct.ts';
import { startCommand } from './commands/start.ts';
import { searchCommand } from './commands/search.ts';
import { trainCommand } from './commands/train.ts';
import { workerCommand } from './commands/worker.ts';
import { describeFsError, isExpectedFsError } from '../io/fsError.ts';
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
  nir: { run: nirCommand, summary: 'NIR interchange: export, import, inspect, verify (.nir files)' },
};

export const usage = (): string =>
  [
    'usage: spikeline <command> [options]   (spikeline <command> --help for details)',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`),
  ].join('\n');

/** Where a bug is reported. */
export const REPORT_BUGS = 'the spikeline issue tracker (issues of the spikeline repository)';

/** A network service that did not answer (Redis): expected, the user starts it. */
const SERVICE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET']);

/**
 * What the user sees when command `name` fails with `e`, and the exit status: one line naming
 * what and where for an expected failure (status 2); for a bug, that it is one, where to report
 * it, and the stack only when `debug` (status 1).
 */
export const failureReport = (name: string, e: unknown, debug: boolean): { message: string; status: number } => {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { code?: unknown }).code;
  const stack = debug && err.stack !== undefined ? `\n${err.stack}` : '';
  if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
    return { message: `spikeline ${name}: ${err.message}${stack}`, status: 2 };
  }
  if (isExpectedFsError(err)) return { message: `spikeline ${name}: ${describeFsError(err)}${stack}`, status: 2 };
  if (typeof code === 'string' && SERVICE_CODES.has(code)) {
    const where = (err as { address?: string; port?: number }).address;
    const port = (err as { port?: number }).port;
    const at = where === undefined ? '' : ` ${where}${port === undefined ? '' : `:${port}`}`;
    return { message: `spikeline ${name}: cannot reach the service${at} (${code}); is it running?${stack}`, status: 2 };
  }
  const first = err.message.split('\n')[0];
  return {
    message:
      `spikeline ${name}: unexpected error (a bug in spikeline): ${err.name}: ${first}\n` +
      `  please report it to ${REPORT_BUGS} with the command line` +
      (debug ? `${stack}` : ' and the output of the same command with --debug (which shows the stack)'),
    status: 1,
  };
};

export const main = async (argvWithFlags: string[]): Promise<number> => {
  const debug = argvWithFlags.includes('--debug');
  const argv = argvWithFlags.filter((a) => a !== '--debug');
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
    const { message, status } = failureReport(name, e, debug);
    console.error(message);
    return status;
  }
};
