/** `spikeline presets [--json]`: the shipped hyperparameter presets. */
import { parseArgs } from 'node:util';
import { PRESETS } from '../../config/presets.ts';

export const presetsCommand = async (argv: string[]): Promise<number> => {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log('usage: spikeline presets [--json]   (use one with spikeline train --preset NAME)');
    return 0;
  }
  if (values.json) {
    console.log(JSON.stringify(PRESETS, null, 2));
    return 0;
  }
  console.log(`${'name'.padEnd(18)} ${'H'.padStart(3)} ${'lat'.padStart(4)} ${'noise'.padStart(6)} ${'batch'.padStart(6)} ${'pulses'.padStart(7)}  description`);
  for (const p of PRESETS) {
    const h = p.hyper;
    console.log(
      `${p.name.padEnd(18)} ${String(h.nHidden).padStart(3)} ${String(h.latency).padStart(4)} ${String(h.noiseFactor).padStart(6)} ${String(h.batchSize).padStart(6)} ${String(h.nPulses).padStart(7)}  ${p.description}`,
    );
  }
  console.log(`${PRESETS.length} presets`);
  return 0;
};
