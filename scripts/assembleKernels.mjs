// Assembles the spiking kernels' WebAssembly text (SIMD) into TypeScript modules holding the
// bytes as base64 (see scripts/assembleWat.mjs): src/kernels/layerGradient.wat →
// layerGradientWasm.ts (the reverse pass), src/kernels/alphaScan.wat → alphaScanWasm.ts (the
// scan, with the fdlibm exp of src/baseline/annKernels.wat spliced in), src/kernels/adam.wat →
// adamWasm.ts (Adam). The kernels' tests reassemble and compare.
//   node scripts/assembleKernels.mjs          writes the .ts files
//   node scripts/assembleKernels.mjs --check  exits 1 when one is stale
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleMain, assembleWat, spliceWat } from './assembleWat.mjs';

const kernels = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'kernels');
const annKernels = join(kernels, '..', 'baseline', 'annKernels.wat');
const script = 'scripts/assembleKernels.mjs';
const TARGETS = {
  layerGradient: {
    script,
    watName: 'layerGradient.wat',
    constName: 'LAYER_GRADIENT_WASM_BASE64',
    doc: "The alpha layer reverse pass's WebAssembly SIMD kernel (layerGradient.wat), base64.",
  },
  alphaScan: {
    script,
    watName: 'alphaScan.wat',
    constName: 'ALPHA_SCAN_WASM_BASE64',
    doc: "The alpha scan's WebAssembly SIMD kernel (alphaScan.wat), base64.",
    transform: (wat) => spliceWat(wat, 'exp', annKernels),
  },
  adam: {
    script,
    watName: 'adam.wat',
    constName: 'ADAM_WASM_BASE64',
    doc: "Adam's WebAssembly SIMD kernel (adam.wat), base64.",
  },
};

/** The generated TypeScript source of `<name>Wasm.ts` for the WAT text of `<name>.wat`. */
export const generate = (name, wat) => assembleWat(TARGETS[name].transform?.(wat) ?? wat, TARGETS[name]);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, options] of Object.entries(TARGETS)) {
    await assembleMain(join(kernels, `${name}.wat`), join(kernels, `${name}Wasm.ts`), options);
  }
}
