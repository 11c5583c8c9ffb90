// Assembles src/baseline/annKernels.wat (WebAssembly text, SIMD) into
// src/baseline/annKernelsWasm.ts: the module's bytes as base64 (see scripts/assembleWat.mjs).
// test/baseline/denseKernels.test.ts reassembles and compares.
//   node scripts/assembleAnnKernels.mjs          writes the .ts file
//   node scripts/assembleAnnKernels.mjs --check  exits 1 when the .ts file is stale
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleMain, assembleWat } from './assembleWat.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const options = {
  script: 'scripts/assembleAnnKernels.mjs',
  watName: 'annKernels.wat',
  constName: 'ANN_KERNELS_WASM_BASE64',
  doc: "The ANN baseline's WebAssembly SIMD kernels (annKernels.wat), base64.",
};

/** The generated TypeScript source for the WAT text. */
export const generate = (wat) => assembleWat(wat, options);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await assembleMain(join(root, 'src', 'baseline', 'annKernels.wat'), join(root, 'src', 'baseline', 'annKernelsWasm.ts'), options);
}
