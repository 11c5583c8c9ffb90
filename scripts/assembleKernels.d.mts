/** Types of assembleKernels.mjs (plain JavaScript, run before anything is compiled). */
/** The TypeScript source of `<name>Wasm.ts` for the WAT text of `<name>.wat`. */
export declare const generate: (name: 'layerGradient' | 'alphaScan' | 'adam', wat: string) => Promise<string>;
