/**
 * Classification from features with a Gaussian-kernel SVM (figure 7): libsvm 3.22 compiled to
 * WebAssembly (npm `libsvm-js`), C-SVC, RBF kernel exp(−γ‖x − x'‖²) with γ = 1/d on features
 * standardised with the training set's mean and deviation (scikit-learn's `gamma='scale'`),
 * cost C = 1. Returns the test accuracy.
 */
import { createRequire } from 'node:module';
import type { Svm, SvmClass } from 'libsvm-js';
import { type Embeddings, featureScale, standardRows } from './embeddings.ts';

let loading: Promise<SvmClass> | undefined;

/** Loads the WebAssembly build once (its loader's chatter about streaming compile is muted). */
export const loadSvm = (): Promise<SvmClass> => {
  if (loading === undefined) {
    loading = (async () => {
      const { warn, error, log } = console;
      console.warn = () => {};
      console.error = () => {};
      console.log = () => {};
      try {
        // require, not import: the CommonJS module's export is the loading promise itself
        return await (createRequire(import.meta.url)('libsvm-js') as Promise<SvmClass>);
      } finally {
        Object.assign(console, { warn, error, log });
      }
    })();
  }
  return loading;
};

export interface SvmResult {
  readonly accuracy: number;
  readonly trainCount: number;
  readonly testCount: number;
  readonly dim: number;
  readonly gamma: number;
}

export const svmAccuracy = async (
  train: Embeddings,
  trainLabels: ArrayLike<number>,
  test: Embeddings,
  testLabels: ArrayLike<number>,
  cost = 1,
): Promise<SvmResult> => {
  if (train.dim !== test.dim) throw new RangeError(`svm: train has ${train.dim} features, test ${test.dim}`);
  const SVM = await loadSvm();
  const scale = featureScale(train);
  const gamma = 1 / train.dim;
  const svm: Svm = new SVM({ kernel: SVM.KERNEL_TYPES.RBF, type: SVM.SVM_TYPES.C_SVC, gamma, cost, quiet: true });
  try {
    svm.train(standardRows(train, scale), Array.from({ length: train.count }, (_, i) => trainLabels[i]));
    const predicted = svm.predict(standardRows(test, scale));
    let right = 0;
    for (let i = 0; i < test.count; i++) if (predicted[i] === testLabels[i]) right++;
    return { accuracy: right / Math.max(1, test.count), trainCount: train.count, testCount: test.count, dim: train.dim, gamma };
  } finally {
    svm.free();
  }
};
