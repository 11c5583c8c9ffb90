/**
 * A WebAssembly kernel module in its own growable memory, one instance per thread (made on first
 * use), with whole-memory typed views that are renewed when the memory grows. The kernels
 * (`layerGradientSimd.ts`, `alphaScanSimd.ts`) copy their operands in and out of this memory.
 */

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmKernel<E> {
  readonly exports: E;
  /** Views of the whole memory; renewed (and `generation` bumped) when it grows. */
  f64: Float64Array;
  i32: Int32Array;
  generation: number;
  /** Grows the memory to at least `bytes`. */
  ensureBytes(bytes: number): void;
}

const PAGE = 65536;

const base64Bytes = (b64: string): Uint8Array => {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
};

/** A lazily made kernel: `get()` instantiates the module (base64 bytes) on first call. */
export const lazyWasmKernel = <E>(base64: string, name: string): { get(): WasmKernel<E> } => {
  let kernel: WasmKernel<E> | undefined;
  const make = (): WasmKernel<E> => {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const memory = new wasm.Memory({ initial: 16 });
    const module = new wasm.Module(base64Bytes(base64));
    const exports = new wasm.Instance(module, { env: { memory } }).exports as E;
    const k: WasmKernel<E> = {
      exports,
      f64: new Float64Array(memory.buffer),
      i32: new Int32Array(memory.buffer),
      generation: 0,
      ensureBytes: (bytes) => {
        const have = memory.buffer.byteLength;
        if (bytes <= have) return;
        if (bytes > 2 ** 31) throw new RangeError(`${name}: ${bytes} bytes exceed the kernel's 2 GiB address range`);
        memory.grow(Math.ceil((bytes - have) / PAGE));
        k.f64 = new Float64Array(memory.buffer);
        k.i32 = new Int32Array(memory.buffer);
        k.generation++;
      },
    };
    return k;
  };
  return { get: () => (kernel ??= make()) };
};

/** Rounds a byte count up to a multiple of 16 (v128 alignment). */
export const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;
