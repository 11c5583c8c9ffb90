/**
 * Tolerance bookkeeping for conformance runs: per quantity, how many values were compared, the
 * largest absolute and relative differences, and how many fell outside
 * |actual − expected| ≤ atol + rtol·|expected|.
 */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

export interface QuantityReport {
  readonly name: string;
  readonly tolerance: Tolerance;
  count: number;
  maxAbs: number;
  maxRel: number;
  failures: number;
  /** Where the first failure happened (e.g. `case 17, input 3`), for the message. */
  firstFailure: string | null;
  /**
   * True for the row of values that differ from the golden file only because the original
   * program uses an approximate Lambert W (see {@link checkOrExplain}); it never fails.
   */
  readonly explains?: boolean;
}

export const quantity = (name: string, tolerance: Tolerance): QuantityReport => ({
  name,
  tolerance,
  count: 0,
  maxAbs: 0,
  maxRel: 0,
  failures: 0,
  firstFailure: null,
});

/** True when |actual − expected| ≤ atol + rtol·|expected| (equal infinities included). */
export const within = (tol: Tolerance, actual: number, expected: number): boolean =>
  actual === expected || Math.abs(actual - expected) <= tol.atol + tol.rtol * Math.abs(expected);

/** The name of the row of explained differences. */
export const EXPLAINED_ROW = "differs from the original's approximate W";

/** The row of values whose difference the original's approximate Lambert W fully explains. */
export const explainedQuantity = (): QuantityReport => ({
  ...quantity(EXPLAINED_ROW, { rtol: 0, atol: 0 }),
  explains: true,
});

const widen = (q: QuantityReport, actual: number, expected: number): void => {
  const diff = Math.abs(actual - expected);
  const rel = expected === 0 ? (diff === 0 ? 0 : Infinity) : diff / Math.abs(expected);
  if (Number.isNaN(diff) || diff > q.maxAbs) q.maxAbs = Number.isNaN(diff) ? Infinity : diff;
  if (Number.isNaN(rel) || rel > q.maxRel) q.maxRel = Number.isNaN(rel) ? Infinity : rel;
};

/**
 * Compares one value computed with the exact Lambert W (`actual`) with the golden file. If it is
 * outside q's tolerance but `withReferenceW`, the same quantity computed by the same engine with
 * the original program's Lambert W, is inside it, the difference is fully explained by the
 * original's approximation: the value is counted in q and recorded in `explained` (count and
 * largest difference of `actual`), not as a failure. Otherwise it is checked strictly.
 */
export const checkOrExplain = (
  q: QuantityReport,
  explained: QuantityReport | null,
  actual: number,
  withReferenceW: number | undefined,
  expected: number,
  where: string,
): void => {
  if (
    explained !== null &&
    withReferenceW !== undefined &&
    !within(q.tolerance, actual, expected) &&
    within(q.tolerance, withReferenceW, expected)
  ) {
    q.count++;
    explained.count++;
    widen(explained, actual, expected);
    return;
  }
  check(q, actual, expected, where);
};

/** Compares one value; ±Infinity ("no spike") must match exactly. */
export const check = (q: QuantityReport, actual: number, expected: number, where: string): void => {
  q.count++;
  if (actual === expected) return;
  widen(q, actual, expected);
  if (!within(q.tolerance, actual, expected)) {
    q.failures++;
    if (q.firstFailure === null) q.firstFailure = `${where}: got ${actual}, expected ${expected}`;
  }
};

/** Exact equality (counts). */
export const checkExact = (q: QuantityReport, actual: number, expected: number, where: string): void => {
  q.count++;
  if (actual !== expected) {
    const diff = Math.abs(actual - expected);
    q.maxAbs = Math.max(q.maxAbs, diff);
    q.failures++;
    if (q.firstFailure === null) q.firstFailure = `${where}: got ${actual}, expected ${expected}`;
  }
};

export interface ConformanceReport {
  readonly kind: string;
  readonly file: string;
  readonly cases: number;
  readonly quantities: readonly QuantityReport[];
  readonly pass: boolean;
}

export const finish = (
  kind: string,
  file: string,
  cases: number,
  quantities: readonly QuantityReport[],
): ConformanceReport => ({
  kind,
  file,
  cases,
  quantities,
  pass: cases > 0 && quantities.every((q) => q.explains === true || (q.failures === 0 && q.count > 0)),
});

const fmt = (x: number): string => (x === 0 ? '0' : x.toExponential(2));

/** A fixed-width table and a final PASS/FAIL line. */
export const formatReport = (r: ConformanceReport): string => {
  const lines = [`${r.kind}: ${r.file}`, `cases: ${r.cases}`];
  const w = Math.max(...r.quantities.map((q) => q.name.length), 8);
  lines.push(
    `${'quantity'.padEnd(w)}  ${'values'.padStart(8)}  ${'max abs'.padStart(9)}  ${'max rel'.padStart(9)}  tolerance (abs + rel·|x|)  result`,
  );
  for (const q of r.quantities) {
    if (q.explains === true) {
      const max = q.count === 0 ? '' : `, max abs ${fmt(q.maxAbs)}, max rel ${fmt(q.maxRel)}`;
      lines.push(`${q.name}: ${q.count} values${max} (explained, not a failure)`);
      continue;
    }
    const tol = `${fmt(q.tolerance.atol)} + ${fmt(q.tolerance.rtol)}`;
    const verdict = q.count === 0 ? 'NOTHING COMPARED' : q.failures === 0 ? 'ok' : `${q.failures} FAIL`;
    lines.push(
      `${q.name.padEnd(w)}  ${String(q.count).padStart(8)}  ${fmt(q.maxAbs).padStart(9)}  ${fmt(q.maxRel).padStart(9)}  ${tol.padEnd(25)}  ${verdict}`,
    );
    if (q.firstFailure !== null) lines.push(`  first failure: ${q.firstFailure}`);
  }
  lines.push(r.pass ? 'PASS' : 'FAIL');
  return lines.join('\n');
};
