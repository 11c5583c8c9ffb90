/**
 * The WebAssembly kernels' memory: one shared memory per thread (made on first use), into which
 * every kernel module of the thread (`alphaScanRange.ts`, `layerGradientSimd.ts`) is instantiated,
 * with whole-memory typed views that are renewed when it grows.
 *
 * It has two parts. The bottom is the *resident region*, which a caller claims for the span of one
 * synchronous operation (a training step, an evaluation): it lays out there the arrays that the
 * kernels would otherwise copy in and out for every example — the weights, the summed gradient —
 * and the kernels, seeing an array that lives in this memory, read and write it in place. Above it
 * is the kernels' per-call scratch, from {@link KernelMemory.scratchBase}. A claim of another size
 * moves the scratch and bumps `generation`, so kernels that cache addresses recompute them.
 *
 * The memory is shared (a SharedArrayBuffer) so that growing it never detaches a view: an array a
 * caller holds stays valid, only the views of the whole memory are renewed.
 */

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}

const PAGE = 65536;
/** The memory's largest size, in pages (1 GiB; reserved address space, not memory in use). */
const MAX_PAGES = 16384;

export interface KernelMemory {
  /** Views of the whole memory; renewed (and `generation` bumped) when it grows or the scratch moves. */
  f64: Float64Array;
  i32: Int32Array;
  generation: number;
  /** The first byte of the kernels' per-call scratch (above the resident region, 16-aligned). */
  scratchBase: number;
  /** Grows the memory to at least `bytes`. */
  ensureBytes(bytes: number): void;
  /** Whether `a` is a view of this memory (so a kernel can use it in place, at a.byteOffset). */
  holds(a: ArrayBufferView): boolean;
  /**
   * The resident region resized to `length` f64 (its contents are the caller's to fill: whatever
   * the previous claim left), as one view from byte 0. Valid until the next claim.
   *
   * A caller that leaves state there between its claims which is newer than its copy elsewhere
   * passes itself as `holder`: a later claim by anybody else first calls `holder.evict()`, while
   * the region still holds what the holder left, so that it can write that state back. A claim by
   * the same holder evicts nothing.
   */
  claimResident(length: number, holder?: ResidentHolder): Float64Array;
  /**
   * How many claims of the resident region there have been on this thread: a caller that finds
   * the count where its own last claim left it knows that nobody else has claimed (and perhaps
   * overwritten) the region since, so what it left there is still there.
   */
  readonly claims: number;
}

/** A claimer of the resident region that must hear of the next claim by another (see claimResident). */
export interface ResidentHolder {
  evict(): void;
}

let shared: { readonly memory: WasmMemory; readonly kernelMemory: KernelMemory } | undefined;

const wasmApi = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** This thread's WebAssembly memory and its kernel-memory view, made on first use. */
const thread = (): { readonly memory: WasmMemory; readonly kernelMemory: KernelMemory } => (shared ??= makeKernelMemory());

/** This thread's kernel memory. */
export const kernelMemory = (): KernelMemory => thread().kernelMemory;

const makeKernelMemory = (): { memory: WasmMemory; kernelMemory: KernelMemory } => {
  const memory = new (wasmApi().Memory)({ initial: 16, maximum: MAX_PAGES, shared: true });
  // Every SharedArrayBuffer object this memory has shown. `memory.buffer` is not one object for
  // good: V8 makes a new one when the memory grows, and also when *another* shared memory of the
  // thread grows (seen on Node 20), so each read of it goes through `current()`.
  const buffers = new WeakSet<SharedArrayBuffer>();
  let seen: SharedArrayBuffer | undefined;
  let resident: Float64Array = new Float64Array(0);
  const current = (): SharedArrayBuffer => {
    const b = memory.buffer;
    if (b !== seen) {
      seen = b;
      buffers.add(b);
      m.f64 = new Float64Array(b);
      m.i32 = new Int32Array(b);
      m.generation++;
    }
    return b;
  };
  let claims = 0;
  let holder: ResidentHolder | undefined;
  const m: KernelMemory = {
    f64: new Float64Array(0),
    i32: new Int32Array(0),
    generation: 0,
    scratchBase: 0,
    get claims() {
      return claims;
    },
    ensureBytes: (bytes) => {
      const have = current().byteLength;
      if (bytes <= have) return;
      if (bytes > MAX_PAGES * PAGE) throw new RangeError(`WebAssembly kernels: ${bytes} bytes exceed their ${MAX_PAGES * PAGE / 2 ** 30} GiB memory`);
      memory.grow(Math.ceil((bytes - have) / PAGE));
      current();
    },
    holds: (a) => buffers.has(a.buffer as SharedArrayBuffer),
    claimResident: (length, by) => {
      if (holder !== undefined && holder !== by) {
        const last = holder;
        holder = undefined;
        last.evict();
      }
      holder = by;
      claims++;
      m.ensureBytes(length * 8);
      if (resident.length === length && buffers.has(resident.buffer as SharedArrayBuffer)) return resident;
      resident = new Float64Array(current(), 0, length);
      m.scratchBase = align16(length * 8);
      m.generation++;
      return resident;
    },
  };
  current();
  return { memory, kernelMemory: m };
};

/** A kernel module instantiated on this thread's {@link kernelMemory}. */
export interface WasmKernel<E> {
  readonly exports: E;
  readonly memory: KernelMemory;
}

const base64Bytes = (b64: string): Uint8Array => {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
};

/** A lazily made kernel: `get()` instantiates the module (base64 bytes) on first call. */
export const lazyWasmKernel = <E>(base64: string): { get(): WasmKernel<E> } => {
  let kernel: WasmKernel<E> | undefined;
  const make = (): WasmKernel<E> => {
    const wasm = wasmApi();
    const { memory, kernelMemory: km } = thread();
    const module = new wasm.Module(base64Bytes(base64));
    const exports = new wasm.Instance(module, { env: { memory } }).exports as E;
    return { exports, memory: km };
  };
  return { get: () => (kernel ??= make()) };
};

/** Rounds a byte count up to a multiple of 16 (v128 alignment). */
export const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;
