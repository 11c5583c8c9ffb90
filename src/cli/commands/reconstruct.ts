/**
 * `spikeline reconstruct MODEL [--out FILE.png] [--count N] [--first I] [--dataset D] [--noise-factor F]`:
 * a picture of test images, their (noisy) inputs and the model's reconstructions.
 */
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../../io/atomicWrite.ts';
import { forward } from '../../model/forward.ts';
import { autoencoderGrid } from '../../report/imageGrid.ts';
import { encodePng } from '../../report/png.ts';
import { checkOutputFile } from '../outputPath.ts';
import { dataForModel, readModelFile } from '../modelFile.ts';
import { UsageError } from '../usageError.ts';
import { configForModel } from './evalModel.ts';

export const reconstructUsage = `usage: spikeline reconstruct MODEL [--out FILE.png] [--count N] [--first I]
                            [--dataset mnist|fashion-mnist] [--data-dir DIR] [--noise-factor F]`;

export const reconstructCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', default: 'reconstructions.png' },
      count: { type: 'string', default: '10' },
      first: { type: 'string', default: '0' },
      dataset: { type: 'string' },
      'data-dir': { type: 'string' },
      'noise-factor': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(reconstructUsage);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(reconstructUsage);
  const count = Number(values.count);
  const first = Number(values.first);
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new UsageError(`--count: expected an integer in 1..100, got ${values.count}`);
  if (!Number.isInteger(first) || first < 0) throw new UsageError(`--first: expected a non-negative integer, got ${values.first}`);
  checkOutputFile('--out', values.out);
  const model = readModelFile(positionals[0]);
  const cfg = configForModel(model.config, { dataset: values.dataset, dataDir: values['data-dir'], noiseFactor: values['noise-factor'] });
  const data = dataForModel(positionals[0], model, cfg, 'test');
  const px = data.pixels;
  if (first + count > data.test.count) throw new UsageError(`--first/--count: the test set has ${data.test.count} images`);
  const originals: Uint8Array[] = [];
  const inputs: Float64Array[] = [];
  const outputs: Float64Array[] = [];
  for (let i = first; i < first + count; i++) {
    const k = data.test.imageIndex(i);
    originals.push(data.dataset.test.images.subarray(k * px, (k + 1) * px));
    const input = data.test.inputInto(new Float64Array(px), i);
    inputs.push(input);
    outputs.push(forward(model.network, input).output);
  }
  const grid = autoencoderGrid({
    originals,
    noisyInputs: cfg.noiseFactor > 0 ? inputs : undefined,
    outputTimes: outputs,
    encoding: cfg.encoding,
    latency: cfg.latency,
  });
  writeFileAtomic(values.out, encodePng(grid));
  console.log(`wrote ${values.out}: ${count} test images${cfg.noiseFactor > 0 ? ', noisy inputs' : ''} and reconstructions`);
  return 0;
};
