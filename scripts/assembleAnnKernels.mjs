// Assembles src/baseline/annKernels.wat (WebAssembly text, SIMD) into
// src/baseline/annKernelsWasm.ts: the module's bytes as base64 (see scripts/assembleWat.mjs). Its
// Adam update is the one of src/kernels/adam.wat (between `;; <adam>` and `;; </adam>`), spliced
// in at the line `;; splice: adam`.
// test/baseline/denseKernels.test.ts reassembles and compares.
//   node scripts/assembleAnnKernels.mjs          writes the .ts file
//   node scripts/assembleAnnKernels.mjs --check  exits 1 when the .ts file is stale
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleMain, assembleWat, spliceWat } from './assembleWat.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const options = {
  script: 'scripts/assembleAnnKernels.mjs',
  watName: 'annKernels.wat',
  constName: 'ANN_KERNELS_WASM_BASE64',
  doc: "The ANN baseline's WebAssembly SIMD kernels (annKernels.wat), base64.",
};

/** The WAT text with src/kernels/adam.wat's Adam function in place of its splice line. */
const withAdam = (wat) => spliceWat(wat, 'adam', join(root, 'src', 'kernels', 'adam.wat'));

/** The generated TypeScript source for the WAT text. */
export const generate = (wat) => assembleWat(withAdam(wat), options);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await assembleMain(join(root, 'src', 'baseline', 'annKernels.wat'), join(root, 'src', 'baseline', 'annKernelsWasm.ts'), { ...options, transform: withAdam });
}
