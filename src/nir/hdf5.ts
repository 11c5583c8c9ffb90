/**
 * NIR graphs to and from HDF5 bytes, through h5wasm (the HDF5 C library compiled to WebAssembly;
 * files live in its in-memory file system only while one call runs).
 *
 * The layout is NIR's: a string dataset `version` and a group `node` holding the graph: datasets
 * `type` ("NIRGraph") and `edges` (strings, shape [n, 2]), a group `nodes/<name>` per node with a
 * `type` string and one dataset per parameter, and an optional `metadata` group on any node.
 */
import h5wasm from 'h5wasm';
import type { NirArray, NirGraph, NirNode, NirValue } from './graph.ts';

/** The NIR format version written (that of neuromorphs/NIR at commit 7232ada6d30e). */
export const NIR_VERSION = '1.0.0';

type H5Group = InstanceType<typeof h5wasm.Group>;

let fileCounter = 0;

/** Runs `use` on a file of the in-memory file system, removing it afterwards. */
const withMemoryFile = async <T>(use: (FS: Awaited<typeof h5wasm.ready>['FS'], path: string) => T): Promise<T> => {
  const { FS } = await h5wasm.ready;
  const path = `/spikeline-nir-${process.pid}-${++fileCounter}.h5`;
  try {
    return use(FS, path);
  } finally {
    if (FS.analyzePath(path).exists) FS.unlink(path);
  }
};

const numericValue = (value: unknown, where: string): Float64Array => {
  if (typeof value === 'number') return Float64Array.of(value);
  if (typeof value === 'bigint') return Float64Array.of(Number(value));
  if (value instanceof BigInt64Array || value instanceof BigUint64Array) return Float64Array.from(value, Number);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Float64Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'boolean') return Float64Array.of(value ? 1 : 0);
  throw new Error(`${where}: unsupported HDF5 value (${Object.prototype.toString.call(value)})`);
};

const readValue = (dataset: InstanceType<typeof h5wasm.Dataset>, where: string): NirValue => {
  const value = dataset.value;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  const dtype = typeof dataset.dtype === 'string' ? dataset.dtype : 'compound';
  return { shape: dataset.shape ?? [], data: numericValue(value, where), dtype };
};

const readRecord = (group: H5Group, where: string, skip: readonly string[]): Record<string, NirValue> => {
  const out: Record<string, NirValue> = {};
  for (const key of group.keys()) {
    if (skip.includes(key)) continue;
    const e = group.get(key);
    if (e instanceof h5wasm.Dataset) out[key] = readValue(e, `${where}/${key}`);
  }
  return out;
};

const readStrings = (dataset: InstanceType<typeof h5wasm.Dataset>): string[] => {
  const v = dataset.value;
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' ? [v] : [];
};

const readGraph = (group: H5Group, where: string): NirGraph => {
  const nodesGroup = group.get('nodes');
  if (!(nodesGroup instanceof h5wasm.Group)) throw new Error(`${where}: no "nodes" group (not a NIR graph)`);
  const nodes: Record<string, NirNode> = {};
  for (const name of nodesGroup.keys()) {
    const g = nodesGroup.get(name);
    if (g instanceof h5wasm.Group) nodes[name] = readNode(g, `${where}/nodes/${name}`);
  }
  const edgesSet = group.get('edges');
  const flat = edgesSet instanceof h5wasm.Dataset ? readStrings(edgesSet) : [];
  const edges: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) edges.push([flat[i], flat[i + 1]]);
  return { nodes, edges, metadata: readMetadata(group, where) };
};

const readMetadata = (group: H5Group, where: string): Record<string, NirValue> => {
  const m = group.get('metadata');
  return m instanceof h5wasm.Group ? readRecord(m, `${where}/metadata`, []) : {};
};

const readNode = (group: H5Group, where: string): NirNode => {
  const typeSet = group.get('type');
  const type = typeSet instanceof h5wasm.Dataset ? String(typeSet.value) : '';
  if (type === '') throw new Error(`${where}: node has no "type" dataset`);
  if (type === 'NIRGraph') {
    return { type, params: {}, metadata: readMetadata(group, where), subgraph: readGraph(group, where) };
  }
  return { type, params: readRecord(group, where, ['type']), metadata: readMetadata(group, where) };
};

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether the bytes carry the HDF5 signature (at offset 0, 512, 1024, 2048, …: after a user block). */
export const isHdf5 = (bytes: Uint8Array): boolean => {
  for (let at = 0; at + HDF5_SIGNATURE.length <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (HDF5_SIGNATURE.every((b, i) => bytes[at + i] === b)) return true;
  }
  return false;
};

/** The graph and format version of NIR file bytes; throws with the HDF5 path on a malformed file. */
export const readNirBytes = async (bytes: Uint8Array): Promise<{ graph: NirGraph; version: string }> =>
  withMemoryFile((FS, path) => {
    if (!isHdf5(bytes)) throw new Error('not an HDF5 file (no HDF5 signature)');
    FS.writeFile(path, bytes);
    let file: InstanceType<typeof h5wasm.File>;
    try {
      file = new h5wasm.File(path, 'r');
    } catch (e) {
      throw new Error(`not an HDF5 file (${(e as Error).message})`);
    }
    try {
      const node = file.get('node');
      if (!(node instanceof h5wasm.Group)) throw new Error('/node: missing (not a NIR file)');
      const v = file.get('version');
      const version = v instanceof h5wasm.Dataset ? String(v.value) : 'unknown';
      const typeSet = node.get('type');
      const type = typeSet instanceof h5wasm.Dataset ? String(typeSet.value) : '';
      if (type !== 'NIRGraph') throw new Error(`/node/type: expected "NIRGraph", got "${type}"`);
      return { graph: readGraph(node, '/node'), version };
    } finally {
      file.close();
    }
  });

const writeValue = (group: H5Group, name: string, value: NirValue): void => {
  if (typeof value === 'string') {
    group.create_dataset({ name, data: value });
    return;
  }
  const shape = [...value.shape];
  const data: NirArray['data'] | BigInt64Array =
    value.dtype === '<q' ? BigInt64Array.from(value.data, (x) => BigInt(Math.round(x))) : value.data;
  group.create_dataset({ name, data, shape });
};

const writeRecord = (group: H5Group, record: Readonly<Record<string, NirValue>>): void => {
  for (const [k, v] of Object.entries(record)) writeValue(group, k, v);
};

const writeMetadata = (group: H5Group, metadata: Readonly<Record<string, NirValue>>): void => {
  if (Object.keys(metadata).length > 0) writeRecord(group.create_group('metadata'), metadata);
};

const writeGraph = (group: H5Group, graph: NirGraph): void => {
  group.create_dataset({ name: 'type', data: 'NIRGraph' });
  const nodes = group.create_group('nodes');
  for (const [name, node] of Object.entries(graph.nodes)) {
    const g = nodes.create_group(name);
    if (node.subgraph) writeGraph(g, node.subgraph);
    else {
      g.create_dataset({ name: 'type', data: node.type });
      writeRecord(g, node.params);
      writeMetadata(g, node.metadata);
    }
  }
  group.create_dataset({ name: 'edges', data: graph.edges.flatMap((e) => [e[0], e[1]]), shape: [graph.edges.length, 2] });
  writeMetadata(group, graph.metadata);
};

/** NIR file bytes of a graph (HDF5, uncompressed). */
export const writeNirBytes = async (graph: NirGraph): Promise<Uint8Array> =>
  withMemoryFile((FS, path) => {
    const file = new h5wasm.File(path, 'w');
    try {
      file.create_dataset({ name: 'version', data: NIR_VERSION });
      writeGraph(file.create_group('node'), graph);
    } finally {
      file.close();
    }
    return Uint8Array.from(FS.readFile(path));
  });
