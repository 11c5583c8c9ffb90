/**
 * NIR interchange at the byte level: export a network to a `.nir` file's bytes, import one back,
 * inspect any NIR file. HDF5 goes through h5wasm (WebAssembly), so these functions are async.
 *
 * ## Example
 * ```ts
 * import { exportNir, importNir } from 'spikeline';
 * const bytes = await exportNir(network, { trained_on: 'mnist' });
 * const back = await importNir(bytes); // Right(network), equal bit for bit
 * ```
 */
import { type Either, left, right } from 'fp-ts/lib/Either.js';
import type { Network } from '../model/network.ts';
import { describeNirGraph } from './describeNirGraph.ts';
import type { NirGraph } from './graph.ts';
import { readNirBytes, writeNirBytes } from './hdf5.ts';
import { type NirMeta, nirGraphOfNetwork } from './nirGraphOfNetwork.ts';
import { networkOfNirGraph } from './networkOfNirGraph.ts';

/** The bytes of a NIR file holding the network (mapping and semantics: nirGraphOfNetwork.ts). */
export const exportNir = (network: Network, meta: NirMeta = {}): Promise<Uint8Array> =>
  writeNirBytes(nirGraphOfNetwork(network, meta));

const readEither = async (bytes: Uint8Array): Promise<Either<string[], { graph: NirGraph; version: string }>> => {
  try {
    return right(await readNirBytes(bytes));
  } catch (e) {
    return left([(e as Error).message]);
  }
};

/** The network of NIR file bytes, or every reason it cannot run in spikeline (naming the node). */
export const importNir = async (bytes: Uint8Array): Promise<Either<string[], Network>> => {
  const read = await readEither(bytes);
  return read._tag === 'Left' ? read : networkOfNirGraph(read.right.graph);
};

export interface NirInspection {
  readonly version: string;
  readonly graph: NirGraph;
  /** The listing of nodes, parameters and edges. */
  readonly lines: readonly string[];
  /** Why spikeline cannot run the graph, or null when it can. */
  readonly refusal: readonly string[] | null;
}

/** Reads any NIR file: its graph, a listing, and whether spikeline can run it. */
export const inspectNir = async (bytes: Uint8Array): Promise<Either<string[], NirInspection>> => {
  const read = await readEither(bytes);
  if (read._tag === 'Left') return read;
  const { graph, version } = read.right;
  const net = networkOfNirGraph(graph);
  return right({ version, graph, lines: describeNirGraph(graph), refusal: net._tag === 'Left' ? net.left : null });
};
