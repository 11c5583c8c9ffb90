/**
 * Laws as data: a name, a domain (a fast-check arbitrary), a predicate, and the tolerance and
 * exclusion rule in words. Each law also carries its ready-made fast-check property, so a test
 * runs every law in its own `it`:
 *
 * ```ts
 * for (const law of neuronModelLaws(myModel)) it(law.name, () => assertLaw(law, { seed: 1 }));
 * ```
 *
 * A predicate returns `true` or throws a {@link LawViolation} that says what was expected and
 * what was found; it calls `fc.pre(false)` for a value its exclusion rule leaves out (fast-check
 * counts those as skips and gives up if there are too many).
 */
import fc from 'fast-check';

export interface Law<T = unknown> {
  /** Stable identifier, e.g. `'finiteDifferences'`. */
  readonly id: string;
  /** Human-readable statement of the law (the `it` title). */
  readonly name: string;
  /** Domain, exclusion rule and tolerance, in words. */
  readonly description: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** True when the law holds for `value`; throws {@link LawViolation} when it does not. */
  predicate(value: T): boolean;
  /** `fc.property(arbitrary, predicate)`, for `fc.assert` / `fc.check`. */
  readonly property: fc.IPropertyWithHooks<[T]>;
}

/** A law failed for one value; the message names the quantity, the expectation and the finding. */
export class LawViolation extends Error {
  override readonly name = 'LawViolation';
}

/** Throws a {@link LawViolation} with `message()` unless `condition` holds. */
export const expectLaw = (condition: boolean, message: () => string): void => {
  if (!condition) throw new LawViolation(message());
};

export const makeLaw = <T>(
  id: string,
  name: string,
  description: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => boolean,
): Law<T> => ({
  id,
  name,
  description,
  arbitrary,
  predicate,
  property: fc.property(arbitrary, (value) => predicate(value)),
});

/** Outcome of running one law. */
export interface LawReport {
  readonly id: string;
  readonly name: string;
  readonly passed: boolean;
  /** Values for which the predicate ran (skips excluded). */
  readonly numRuns: number;
  /** Values left out by the exclusion rule. */
  readonly numSkips: number;
  /** The predicate's error for the (shrunk) counterexample, e.g. a LawViolation, else null. */
  readonly error: string | null;
  /** fast-check's report (counterexample, seed) followed by the error, when the law failed; else null. */
  readonly message: string | null;
}

const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/**
 * Runs every law with `fc.check` (never throws) and reports each (any suite's laws: neuron,
 * network or stream laws). `params` are fast-check's
 * (`numRuns`, `seed`, …); without a `seed`, fast-check seeds from the clock, so pass one for a
 * reproducible run.
 */
export const checkLaws = (laws: readonly Pick<Law, 'id' | 'name' | 'property'>[], params: fc.Parameters<[unknown]> = {}): LawReport[] =>
  laws.map((law) => {
    const details = fc.check(law.property, params);
    const error = details.failed && details.errorInstance !== null && details.errorInstance !== undefined ? describeError(details.errorInstance) : null;
    const report = details.failed ? (fc.defaultReportMessage(details) ?? 'failed') : null;
    return {
      id: law.id,
      name: law.name,
      passed: !details.failed,
      numRuns: details.numRuns,
      numSkips: details.numSkips,
      error,
      message: report === null ? null : error === null ? report : `${report}\n${error}`,
    };
  });

/** Runs one law with `fc.assert`: throws fast-check's report (with the counterexample) on failure. */
export const assertLaw = (law: Law, params: fc.Parameters<[unknown]> = {}): void => {
  fc.assert(law.property, params);
};
