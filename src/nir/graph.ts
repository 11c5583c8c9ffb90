/**
 * A NIR graph as plain values (the Neuromorphic Intermediate Representation, neuromorphs/NIR):
 * named nodes, each a primitive `type` with array or string parameters and optional metadata,
 * and directed edges `[source, target]` between node names. Numbers are held as `Float64Array`
 * whatever their stored type (`dtype` keeps the HDF5 type for display); a nested `NIRGraph`
 * node keeps its own graph in `subgraph`.
 *
 * This module knows nothing of HDF5 ({@link ./hdf5.ts}) nor of spikeline networks.
 */

/** A numeric array parameter: row-major data and its shape ([] for a scalar). */
export interface NirArray {
  readonly shape: readonly number[];
  readonly data: Float64Array;
  /** HDF5 element type as read (`<f`, `<d`, `<q`, …); written arrays use float64 unless `int`. */
  readonly dtype: string;
}

export type NirValue = NirArray | string;

export interface NirNode {
  readonly type: string;
  /** Every dataset of the node's group but `type` (weight, tau_syn, shape, …). */
  readonly params: Readonly<Record<string, NirValue>>;
  readonly metadata: Readonly<Record<string, NirValue>>;
  /** For `type === 'NIRGraph'`: the nested graph. */
  readonly subgraph?: NirGraph;
}

export type NirEdge = readonly [source: string, target: string];

export interface NirGraph {
  readonly nodes: Readonly<Record<string, NirNode>>;
  readonly edges: readonly NirEdge[];
  readonly metadata: Readonly<Record<string, NirValue>>;
}

/** A float64 array parameter. */
export const nirArray = (data: ArrayLike<number>, shape: readonly number[] = [data.length]): NirArray => ({
  shape: [...shape],
  data: Float64Array.from(data),
  dtype: '<d',
});

/** An int64 array parameter (shapes of Input/Output nodes). */
export const nirIntArray = (data: ArrayLike<number>): NirArray => ({
  shape: [data.length],
  data: Float64Array.from(data),
  dtype: '<q',
});

export const isNirArray = (v: NirValue | undefined): v is NirArray => typeof v === 'object';
