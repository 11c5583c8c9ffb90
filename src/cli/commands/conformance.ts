/**
 * `spikeline conformance FILE [--loose] [--json]`: equality with the reference program on a golden
 * file. The kind of file is detected from its content (single-neuron `cases`, or autoencoder
 * `networks`). Prints one line per quantity and PASS or FAIL; exit 0 only on PASS, 2 on a file
 * that cannot be read or decoded.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeWith } from '../../io/decode.ts';
import {
  AlphaGoldenFile,
  alphaGoldenProblems,
  alphaNeuronConformance,
} from '../../conformance/alphaNeuronGolden.ts';
import {
  AutoencoderGoldenFile,
  autoencoderConformance,
  autoencoderGoldenProblems,
} from '../../conformance/autoencoderGolden.ts';
import { type ConformanceReport, formatReport } from '../../conformance/compare.ts';
import { streamConformance } from '../../../streams/streamConformance.ts';
import { UsageError } from '../usageError.ts';

export const conformanceUsage = `usage: spikeline conformance FILE [--streams] [--loose] [--json]
  FILE       a golden file in the format of ../shared/reference/golden-alpha-neuron.json
             or golden-autoencoder.json (the kind is detected)
  --streams  run the autoencoder file's forward passes through the RxJS operators instead
  --loose    tolerances for an exact Lambert W on near-tangential files (reference README §5)
  --json     print the report as JSON`;

const readJson = (file: string): unknown => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${(e as Error).message}); is the file truncated?`);
  }
};

const fail = (file: string, problems: readonly string[]): never => {
  const shown = problems.slice(0, 10).map((p) => `  ${p}`);
  const more = problems.length > 10 ? [`  … and ${problems.length - 10} more`] : [];
  throw new UsageError([`${file}: not a valid golden file:`, ...shown, ...more].join('\n'));
};

/** Decodes and checks an autoencoder golden file. */
const autoencoderFile = (file: string, json: unknown = readJson(file)) => {
  const decoded = decodeWith(AutoencoderGoldenFile, json);
  if (isLeft(decoded)) return fail(file, decoded.left);
  const problems = autoencoderGoldenProblems(decoded.right);
  if (problems.length > 0) return fail(file, problems);
  return decoded.right;
};

/** Reads, detects, decodes and checks a golden file. */
export const runConformance = (file: string, loose = false): ConformanceReport => {
  const json = readJson(file);
  const isObject = typeof json === 'object' && json !== null;
  if (isObject && 'cases' in json) {
    const decoded = decodeWith(AlphaGoldenFile, json);
    if (isLeft(decoded)) return fail(file, decoded.left);
    const problems = alphaGoldenProblems(decoded.right);
    if (problems.length > 0) return fail(file, problems);
    return alphaNeuronConformance(decoded.right, file);
  }
  if (isObject && 'networks' in json) return autoencoderConformance(autoencoderFile(file, json), file, { loose });
  return fail(file, ['expected an object with "cases" (single neuron) or "networks" (autoencoder)']);
};

export const conformanceCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      loose: { type: 'boolean' },
      json: { type: 'boolean' },
      streams: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(conformanceUsage);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(conformanceUsage);
  const report = values.streams
    ? await streamConformance(autoencoderFile(positionals[0]), positionals[0])
    : runConformance(positionals[0], values.loose ?? false);
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.pass ? 0 : 1;
};
