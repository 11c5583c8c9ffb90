// Assembles src/kernels/layerGradient.wat (WebAssembly text, SIMD) into
// src/kernels/layerGradientWasm.ts: the module's bytes as base64 (see scripts/assembleWat.mjs).
// test/kernels/layerGradientWasm.test.ts reassembles and compares.
//   node scripts/assembleLayerGradient.mjs          writes the .ts file
//   node scripts/assembleLayerGradient.mjs --check  exits 1 when the .ts file is stale
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleMain, assembleWat } from './assembleWat.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const options = {
  script: 'scripts/assembleLayerGradient.mjs',
  watName: 'layerGradient.wat',
  constName: 'LAYER_GRADIENT_WASM_BASE64',
  doc: "The alpha layer reverse pass's WebAssembly SIMD kernel (layerGradient.wat), base64.",
};

/** The generated TypeScript source for the WAT text. */
export const generate = (wat) => assembleWat(wat, options);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await assembleMain(join(root, 'src', 'kernels', 'layerGradient.wat'), join(root, 'src', 'kernels', 'layerGradientWasm.ts'), options);
}
