/**
 * Activation functions of the ANN baseline (Comsa et al. 2021, sections 2.8 and 3.4): ReLU,
 * sigmoid, ELU (α = 1), tanh and a Gaussian bump, each with its derivative written in terms of
 * the pre-activation z and the activation a = f(z) (so the reverse pass needs no extra exp):
 *
 *     relu      f = max(0, z)              f' = [z > 0]
 *     sigmoid   f = 1 / (1 + e^(−z))       f' = a (1 − a)
 *     elu       f = z (z > 0), e^z − 1     f' = 1 (z > 0), a + 1
 *     tanh      f = tanh z                 f' = 1 − a²
 *     gaussian  f = e^(−z²)                f' = −2 z a
 *
 * ## Example
 * ```ts
 * activate('sigmoid', 0);        // 0.5
 * activationSlope('sigmoid', 0, 0.5); // 0.25
 * ```
 */

export type Activation = 'relu' | 'sigmoid' | 'elu' | 'tanh' | 'gaussian';
export const ACTIVATIONS: readonly Activation[] = ['relu', 'sigmoid', 'elu', 'tanh', 'gaussian'];

/** f(z). */
export const activate = (f: Activation, z: number): number => {
  switch (f) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'elu':
      return z > 0 ? z : Math.expm1(z);
    case 'tanh':
      return Math.tanh(z);
    case 'gaussian':
      return Math.exp(-z * z);
  }
};

/** f'(z), given a = f(z). */
export const activationSlope = (f: Activation, z: number, a: number): number => {
  switch (f) {
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'sigmoid':
      return a * (1 - a);
    case 'elu':
      return z > 0 ? 1 : a + 1;
    case 'tanh':
      return 1 - a * a;
    case 'gaussian':
      return -2 * z * a;
  }
};

/** Applies f to z[0..n) into a (and keeps z), allocation-free. */
export const activateInto = (f: Activation, a: Float64Array, z: Float64Array): void => {
  for (let i = 0; i < z.length; i++) a[i] = activate(f, z[i]);
};

/**
 * a[q] = f(z[q]) for q < count: {@link activate} over a range with the choice of f made once,
 * outside the loop (a monomorphic loop per function; the same numbers).
 */
export const activateRange = (f: Activation, a: Float64Array, z: Float64Array, count: number): void => {
  switch (f) {
    case 'relu':
      for (let q = 0; q < count; q++) a[q] = z[q] > 0 ? z[q] : 0;
      return;
    case 'sigmoid':
      for (let q = 0; q < count; q++) a[q] = 1 / (1 + Math.exp(-z[q]));
      return;
    case 'elu':
      for (let q = 0; q < count; q++) a[q] = z[q] > 0 ? z[q] : Math.expm1(z[q]);
      return;
    case 'tanh':
      for (let q = 0; q < count; q++) a[q] = Math.tanh(z[q]);
      return;
    case 'gaussian':
      for (let q = 0; q < count; q++) a[q] = Math.exp(-z[q] * z[q]);
      return;
  }
};

/** d[q] = d[q] · f'(z[q]) for q < count, given a = f(z): {@link activationSlope} over a range. */
export const scaleBySlopeRange = (f: Activation, d: Float64Array, z: Float64Array, a: Float64Array, count: number): void => {
  switch (f) {
    case 'relu':
      for (let q = 0; q < count; q++) d[q] = d[q] * (z[q] > 0 ? 1 : 0);
      return;
    case 'sigmoid':
      for (let q = 0; q < count; q++) d[q] = d[q] * (a[q] * (1 - a[q]));
      return;
    case 'elu':
      for (let q = 0; q < count; q++) d[q] = d[q] * (z[q] > 0 ? 1 : a[q] + 1);
      return;
    case 'tanh':
      for (let q = 0; q < count; q++) d[q] = d[q] * (1 - a[q] * a[q]);
      return;
    case 'gaussian':
      for (let q = 0; q < count; q++) d[q] = d[q] * (-2 * z[q] * a[q]);
      return;
  }
};
