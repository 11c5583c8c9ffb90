/**
 * Decoding at the edges: io-ts codecs give `Either`; these helpers turn their errors into
 * messages that name the path and the expected type, e.g.
 * `hyper.decayRate: expected positive number, got -1`.
 */
import { isLeft, type Either, left, right } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';

const show = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** One message per io-ts error, deepest path first: `path: expected T, got V`. */
export const formatDecodeErrors = (errors: t.Errors, root = ''): string[] => {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of errors) {
    // Members of intersections and unions appear in the context as keys "0", "1", …: they are
    // not path segments, so keep only the keys whose parent is not such a combinator.
    const keys = e.context
      .filter((c, i) => {
        const parent = (e.context[i - 1]?.type as { _tag?: string } | undefined)?._tag;
        return c.key !== '' && parent !== 'IntersectionType' && parent !== 'UnionType';
      })
      .map((c) => c.key);
    const path = keys.reduce(
      (p, k) => (/^\d+$/.test(k) ? `${p}[${k}]` : p === '' ? k : `${p}.${k}`),
      root,
    );
    const expected = e.context[e.context.length - 1]?.type.name ?? 'value';
    const msg = e.message ?? `${path || '(root)'}: expected ${expected}, got ${show(e.value)}`;
    if (!seen.has(msg)) {
      seen.add(msg);
      out.push(msg);
    }
  }
  return out;
};

/** Decodes `value` with `codec`; Left holds human-readable messages. */
export const decodeWith = <A, O>(
  codec: t.Type<A, O, unknown>,
  value: unknown,
  root = '',
): Either<string[], A> => {
  const r = codec.decode(value);
  return isLeft(r) ? left(formatDecodeErrors(r.left, root)) : right(r.right);
};

/** A finite number (JSON cannot hold NaN/Infinity, but decoded objects from JS can). */
export const FiniteNumber = new t.Type<number, number, unknown>(
  'finite number',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
  (u, c) => (typeof u === 'number' && Number.isFinite(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** A number > 0. */
export const PositiveNumber = new t.Type<number, number, unknown>(
  'positive number',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u > 0,
  (u, c) =>
    typeof u === 'number' && Number.isFinite(u) && u > 0 ? t.success(u) : t.failure(u, c),
  t.identity,
);

/** A non-negative integer. */
export const Count = new t.Type<number, number, unknown>(
  'non-negative integer',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0,
  (u, c) =>
    typeof u === 'number' && Number.isInteger(u) && u >= 0 ? t.success(u) : t.failure(u, c),
  t.identity,
);

/** A spike time: a finite number, or JSON null for "no spike" (decoded to Infinity). */
export const SpikeTime = new t.Type<number, number | null, unknown>(
  'spike time (number or null)',
  (u): u is number => typeof u === 'number' && !Number.isNaN(u),
  (u, c) =>
    u === null
      ? t.success(Infinity)
      : typeof u === 'number' && Number.isFinite(u)
        ? t.success(u)
        : t.failure(u, c),
  (a) => (a === Infinity ? null : a),
);
