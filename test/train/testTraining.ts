/** Shared by the training tests: a deterministic normal sampler and small-network train settings. */

/** A small deterministic normal sampler for tests (Box–Muller over a linear congruence). */
export const normalSampler = (seed: number) => {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
};

/** Adam and reverse-pass settings that move a small network visibly within a few steps. */
export const hyper = {
  learningRate: 0.01,
  learningRatePulses: 0.005,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  clipDerivative: 100,
  clipGradient: 0,
  penaltyNoSpike: 0.5,
};
