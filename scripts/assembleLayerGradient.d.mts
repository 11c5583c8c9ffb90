/** Types of assembleLayerGradient.mjs (plain JavaScript, run before anything is compiled). */
/** The TypeScript source of layerGradientWasm.ts for the given WAT text. */
export declare const generate: (wat: string) => Promise<string>;
