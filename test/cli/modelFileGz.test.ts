/** Every CLI command that takes a MODEL (eval, reconstruct, nir) reads gzipped model files too. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelFile } from '../../src/cli/modelFile.ts';
import { loadModel } from '../../src/run/modelFile.ts';

const PRETRAINED = 'examples/models/mnist-h32.model.json.gz';

describe('readModelFile', () => {
  it('reads a .gz model to the same network and config as loadModel', () => {
    const cli = readModelFile(PRETRAINED);
    const lib = loadModel(PRETRAINED);
    if (lib._tag === 'Left') throw new Error(lib.left);
    expect(cli.network.layerSizes).toEqual([784, 32, 784]);
    expect(Array.from(cli.network.params)).toEqual(Array.from(lib.right.network.params));
    expect(cli.config?.nHidden).toBe(32);
  });

  it('names the file when a .gz model is not gzip data', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'spikeline-gz-')), 'plain.model.json.gz');
    writeFileSync(file, '{"format": "spikeline-model"}');
    expect(() => readModelFile(file)).toThrow(/plain\.model\.json\.gz: cannot read a model/);
  });
});
