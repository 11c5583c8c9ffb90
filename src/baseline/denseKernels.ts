/**
 * One dense matrix product for the ANN baseline, over Float64Arrays addressed by strides (so
 * transposed operands cost nothing), register-blocked: 2 rows × 4 columns of the result per pass,
 * eight independent accumulators, six loads per eight multiply-adds. A mini-batch then runs as a
 * handful of matrix products instead of one memory-bound vector update per example.
 *
 *     C[i][j] += Σ_p A(i, p) · B(p, j),   A(i, p) = a[i·aI + p·aP],   B(p, j) = b[p·bP + j·bJ]
 *
 * C is row-major m × n. Every entry adds its k terms in order of p to its current value, exactly
 * as a loop over examples (or inputs) would: the batched baseline is bit for bit the per-example one.
 */
export const gemmAdd = (
  c: Float64Array,
  a: Float64Array,
  aI: number,
  aP: number,
  b: Float64Array,
  bP: number,
  bJ: number,
  m: number,
  n: number,
  k: number,
): Float64Array => {
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const r0 = i * n + j;
      const r1 = r0 + n;
      let c00 = c[r0], c01 = c[r0 + 1], c02 = c[r0 + 2], c03 = c[r0 + 3]; // prettier-ignore
      let c10 = c[r1], c11 = c[r1 + 1], c12 = c[r1 + 2], c13 = c[r1 + 3]; // prettier-ignore
      let pa = i * aI;
      let pb = j * bJ;
      for (let p = 0; p < k; p++) {
        const x0 = a[pa];
        const x1 = a[pa + aI];
        const w0 = b[pb];
        const w1 = b[pb + bJ];
        const w2 = b[pb + 2 * bJ];
        const w3 = b[pb + 3 * bJ];
        c00 += x0 * w0;
        c01 += x0 * w1;
        c02 += x0 * w2;
        c03 += x0 * w3;
        c10 += x1 * w0;
        c11 += x1 * w1;
        c12 += x1 * w2;
        c13 += x1 * w3;
        pa += aP;
        pb += bP;
      }
      c[r0] = c00;
      c[r0 + 1] = c01;
      c[r0 + 2] = c02;
      c[r0 + 3] = c03;
      c[r1] = c10;
      c[r1 + 1] = c11;
      c[r1 + 2] = c12;
      c[r1 + 3] = c13;
    }
    for (; j < n; j++) {
      entryAdd(c, i, j, n, a, aI, aP, b, bP, bJ, k);
      entryAdd(c, i + 1, j, n, a, aI, aP, b, bP, bJ, k);
    }
  }
  for (; i < m; i++) for (let j = 0; j < n; j++) entryAdd(c, i, j, n, a, aI, aP, b, bP, bJ, k);
  return c;
};

/** The edge case of {@link gemmAdd}: one entry C[i][j]. */
const entryAdd = (
  c: Float64Array,
  i: number,
  j: number,
  n: number,
  a: Float64Array,
  aI: number,
  aP: number,
  b: Float64Array,
  bP: number,
  bJ: number,
  k: number,
): void => {
  let acc = c[i * n + j];
  for (let p = 0; p < k; p++) acc += a[i * aI + p * aP] * b[p * bP + j * bJ];
  c[i * n + j] = acc;
};

/** Sets each of the m rows of C (m × row.length) to `row` (e.g. a bias), or to 0 when null. */
export const fillRows = (c: Float64Array, row: Float64Array | null, m: number, n: number): Float64Array => {
  if (row === null) c.fill(0, 0, m * n);
  else for (let i = 0; i < m; i++) c.set(row, i * n);
  return c;
};
