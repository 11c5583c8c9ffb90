/** Types of the untyped libraries the experiments use (only what we call). */
declare module 'libsvm-js' {
  export interface SvmOptions {
    kernel?: number;
    type?: number;
    gamma?: number;
    cost?: number;
    quiet?: boolean;
  }
  export interface Svm {
    train(samples: number[][], labels: number[]): void;
    predict(samples: number[][]): number[];
    free(): void;
  }
  export interface SvmClass {
    new (options?: SvmOptions): Svm;
    KERNEL_TYPES: { RBF: number; LINEAR: number };
    SVM_TYPES: { C_SVC: number };
  }
  const loaded: Promise<SvmClass>;
  export default loaded;
}

declare module 'tsne-js' {
  export interface TsneOptions {
    dim?: number;
    perplexity?: number;
    earlyExaggeration?: number;
    learningRate?: number;
    nIter?: number;
    metric?: string;
  }
  export interface NdArray {
    set(i: number, j: number, v: number): void;
    get(i: number, j: number): number;
    shape: number[];
  }
  export default class TSNE {
    constructor(options?: TsneOptions);
    init(opts: { data: number[][]; type: 'dense' }): void;
    run(): [number, number];
    getOutput(): number[][];
    outputEmbedding: NdArray;
  }
}
