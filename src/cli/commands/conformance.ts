/**
 * `spikeline conformance FILE [--lambert-w exact|reference] [--streams] [--loose] [--json]`:
 * equality with the reference program on a golden file (`.json` or `.json.gz`). The kind of file
 * is detected from its content (single-neuron `cases`, or autoencoder `networks`). Prints one
 * line per quantity and PASS or FAIL; exit 0 only on PASS, 2 on a file that cannot be read or
 * decoded. With the exact W (default), values that differ only because the original program
 * uses an approximate Lambert W get their own row and do not fail.
 */
import { parseArgs } from 'node:util';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeWith } from '../../io/decode.ts';
import { readTextFile } from '../../io/readText.ts';
import {
  AlphaGoldenFile,
  alphaGoldenProblems,
  alphaNeuronConformance,
} from '../../conformance/alphaNeuronGolden.ts';
import {
  AutoencoderGoldenFile,
  autoencoderConformance,
  type LambertWMode,
  autoencoderGoldenProblems,
} from '../../conformance/autoencoderGolden.ts';
import { type ConformanceReport, formatReport } from '../../conformance/compare.ts';
import { alphaNeuronStreamConformance, streamConformance } from './streamConformance.ts';
import { UsageError } from '../usageError.ts';

export const conformanceUsage = `usage: spikeline conformance FILE [--lambert-w exact|reference] [--streams] [--loose] [--json]
  FILE         a golden file (.json or .json.gz) in the format of golden-alpha-neuron.json or
               golden-autoencoder.json (the kind is detected; see test/fixtures/README.md)
  --lambert-w  exact (default): the engine as it trains; values that differ only because the
               original program's Lambert W is approximate are listed on their own row and pass.
               reference: the engine runs with the original's approximation; all values strict
  --streams    run the file's forward passes (networks or single neurons) through the RxJS operators instead
  --loose      wider tolerances on every value (reference README §5)
  --json       print the report as JSON`;

const readJson = (file: string): unknown => {
  let text: string;
  try {
    text = readTextFile(file);
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
const autoencoderFile = (file: string, json: unknown): AutoencoderGoldenFile => {
  const decoded = decodeWith(AutoencoderGoldenFile, json);
  if (isLeft(decoded)) return fail(file, decoded.left);
  const problems = autoencoderGoldenProblems(decoded.right);
  if (problems.length > 0) return fail(file, problems);
  return decoded.right;
};

export interface ConformanceOptions {
  readonly loose?: boolean;
  readonly lambertW?: LambertWMode;
}

const lambertWMode = (v: string | undefined): LambertWMode => {
  if (v === undefined || v === 'exact' || v === 'reference') return v ?? 'exact';
  throw new UsageError(`--lambert-w: expected exact or reference, got "${v}"`);
};

/** A decoded and checked golden file of either kind. */
type GoldenFile = { readonly kind: 'neuron'; readonly file: AlphaGoldenFile } | { readonly kind: 'autoencoder'; readonly file: AutoencoderGoldenFile };

/** Reads, detects, decodes and checks a golden file (a UsageError names what is wrong and where). */
const goldenFile = (file: string): GoldenFile => {
  const json = readJson(file);
  const isObject = typeof json === 'object' && json !== null;
  if (isObject && 'cases' in json) {
    const decoded = decodeWith(AlphaGoldenFile, json);
    if (isLeft(decoded)) return fail(file, decoded.left);
    const problems = alphaGoldenProblems(decoded.right);
    if (problems.length > 0) return fail(file, problems);
    return { kind: 'neuron', file: decoded.right };
  }
  if (isObject && 'networks' in json) return { kind: 'autoencoder', file: autoencoderFile(file, json) };
  return fail(file, ['expected an object with "cases" (single neuron) or "networks" (autoencoder)']);
};

/** Reads, detects, decodes and checks a golden file, then compares the engine with it. */
export const runConformance = (file: string, opts: ConformanceOptions = {}): ConformanceReport => {
  const g = goldenFile(file);
  return g.kind === 'neuron' ? alphaNeuronConformance(g.file, file, opts) : autoencoderConformance(g.file, file, opts);
};

/** The same through the RxJS operators (`streamConformance.ts`). */
export const runStreamConformance = async (file: string): Promise<ConformanceReport> => {
  const g = goldenFile(file);
  return g.kind === 'neuron' ? alphaNeuronStreamConformance(g.file, file) : streamConformance(g.file, file);
};

export const conformanceCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      loose: { type: 'boolean' },
      json: { type: 'boolean' },
      streams: { type: 'boolean' },
      'lambert-w': { type: 'string' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(conformanceUsage);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(conformanceUsage);
  const lambertW = lambertWMode(values['lambert-w']);
  if (values.streams && lambertW === 'reference') {
    throw new UsageError(
      "--lambert-w reference runs the batch engine with the original program's Lambert W; the stream operators always use the exact W. Run --streams without it: values the original's W explains are listed on their own row.",
    );
  }
  const report = values.streams
    ? await runStreamConformance(positionals[0])
    : runConformance(positionals[0], { loose: values.loose ?? false, lambertW });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.pass ? 0 : 1;
};
