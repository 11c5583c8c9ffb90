/**
 * A human-readable listing of any NIR graph: its nodes with their parameters (shape, stored type
 * and values, or min/mean/max for long arrays), metadata, nested graphs, and its edges.
 *
 * ## Example
 * ```
 * node "0" Affine
 *   bias    [1] <f  0
 *   weight  [1, 1] <f  1
 * edges (3): input → 0, 0 → 1, 1 → output
 * ```
 */
import { type NirGraph, type NirValue, isNirArray } from './graph.ts';

const SHOWN_VALUES = 6;

const num = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(6));

/** One value's summary: a string, or shape, type and values (statistics when long). */
export const describeNirValue = (v: NirValue): string => {
  if (!isNirArray(v)) return JSON.stringify(v);
  const d = v.data;
  const head = `[${v.shape.join(', ')}] ${v.dtype}`;
  if (d.length <= SHOWN_VALUES) return `${head}  ${Array.from(d, num).join(' ')}`;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const x of d) {
    min = Math.min(min, x);
    max = Math.max(max, x);
    sum += x;
  }
  return min === max ? `${head}  all ${num(min)}` : `${head}  min ${num(min)} mean ${num(sum / d.length)} max ${num(max)}`;
};

const describeRecord = (r: Readonly<Record<string, NirValue>>, indent: string): string[] => {
  const width = Math.max(0, ...Object.keys(r).map((k) => k.length));
  return Object.entries(r).map(([k, v]) => `${indent}${k.padEnd(width)}  ${describeNirValue(v)}`);
};

/** The listing, one line per entry. */
export const describeNirGraph = (g: NirGraph, indent = ''): string[] => {
  const lines: string[] = [];
  for (const [name, n] of Object.entries(g.nodes)) {
    lines.push(`${indent}node "${name}" ${n.type}`);
    lines.push(...describeRecord(n.params, `${indent}  `));
    if (Object.keys(n.metadata).length > 0) {
      lines.push(`${indent}  metadata:`, ...describeRecord(n.metadata, `${indent}    `));
    }
    if (n.subgraph) lines.push(...describeNirGraph(n.subgraph, `${indent}  `));
  }
  lines.push(`${indent}edges (${g.edges.length}): ${g.edges.map(([a, b]) => `${a} → ${b}`).join(', ')}`);
  if (Object.keys(g.metadata).length > 0) lines.push(`${indent}graph metadata:`, ...describeRecord(g.metadata, `${indent}  `));
  return lines;
};
