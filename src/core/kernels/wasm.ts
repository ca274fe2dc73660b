/**
 * Matrix products in WebAssembly SIMD (assembly/kernels.ts, f64x2, packed 4x4 micro-kernel):
 * about three times the packed TypeScript kernels on the first layer of the course's deep network.
 *
 * The module's bytes come from a module that the build generates (esbuild.js compiles the
 * AssemblyScript source and writes build/wasm/kernels-wasm.js, gitignored). When
 * it is missing (a fresh checkout before `npm run build`), `createWasmKernels` returns undefined
 * and the entry point's choice (src/node/kernels.ts) takes the packed TypeScript kernels instead,
 * with a reason it may show.
 *
 * Operands live in JavaScript Float64Arrays, so each product copies A and B into linear memory
 * and C back out, except operands pinned there once with `pin` (the training set X: 20 MB for the
 * course's cat pictures, read by two products every iteration). Small products skip the copies
 * and go to the one-pass TypeScript loops (packed.ts `smallMatmul`). The fused bias + activation
 * computes tanh and sigmoid two at a time in WebAssembly as well, and `crossEntropyTerms` the
 * binary cross-entropy's terms with a vectorised log (pinned operands are used in place there too).
 */
import type { Matrix } from '../matrix';
import { pairwiseSum } from './sum';
import { activationBackward, biasActivation, checkBias, descend, scale } from './elementwise';
import { productKernels, type ProductRun } from './packed';
import type { ActivationName } from './activations';
import { checkSame, type Kernels, type WindowGeometry } from './types';

/** Below this many multiply-adds, the copies cost more than SIMD saves. */
export const WASM_MIN_WORK = 8 * 1024;

export type WasmVariant = 'simd' | 'simdShared' | 'fma' | 'fmaShared';

type GeneratedWasm = Partial<Record<WasmVariant, string>>;

let generated: GeneratedWasm | null | undefined;

/** The generated module's base64 strings, or null when the build has not produced them. */
function loadGenerated(): GeneratedWasm | null {
  if (generated === undefined) {
    try {
      // A require, not an import, so that a checkout without the generated file still loads.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      generated = require('../../../build/wasm/kernels-wasm') as GeneratedWasm;
    } catch {
      generated = null;
    }
  }
  return generated;
}

/**
 * The fastest module this runtime accepts, for a plain or a shared memory: the one with relaxed
 * SIMD's fused multiply-add where the runtime validates it (VS Code's Electron, Node 22; Node 20
 * only with --experimental-wasm-relaxed-simd), else plain SIMD. `fma` says which.
 */
export function bestWasm(shared: boolean): { bytes: Uint8Array; fma: boolean } | undefined {
  const fma = wasmBytes(shared ? 'fmaShared' : 'fma');
  try {
    if (fma && WA.validate(fma)) return { bytes: fma, fma: true };
  } catch {
    // No WebAssembly at all: the plain variant fails the same way below.
  }
  const bytes = wasmBytes(shared ? 'simdShared' : 'simd');
  return bytes ? { bytes, fma: false } : undefined;
}

/** The compiled module's bytes for one variant, or undefined when not built. */
export function wasmBytes(variant: WasmVariant): Uint8Array | undefined {
  const g = loadGenerated();
  const b64 = g?.[variant];
  if (!b64) return undefined;
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * The part of the WebAssembly JavaScript API used here. The project's `lib` (ES2022, no DOM) does
 * not declare WebAssembly, and declaring it globally would clash once some file adds the DOM lib,
 * so the API is typed locally and read from globalThis.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  validate(bytes: Uint8Array): boolean;
}
export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** What assembly/kernels.ts exports. */
export interface KernelExports {
  packBytes(): number;
  gemm(
    transA: number, transB: number, m: number, n: number, k: number,
    a: number, b: number, c: number, j0: number, j1: number, pack: number,
  ): void;
  /** gemm over rows i0..i1 and columns j0..j1 of C only, with the bits of the whole product. */
  gemmBlock(
    transA: number, transB: number, m: number, n: number, k: number,
    a: number, b: number, c: number, i0: number, i1: number, j0: number, j1: number, pack: number,
  ): void;
  /** conv.ts im2col for the examples i0..i1 (byte addresses; strides in doubles). */
  im2colExamples(
    a: number, cols: number, hPrev: number, wPrev: number, cPrev: number, fH: number, fW: number, sH: number, sW: number,
    top: number, left: number, h: number, w: number, exampleStride: number, featureStride: number, i0: number, i1: number,
  ): void;
  tanhInto(src: number, dst: number, n: number): void;
  sigmoidInto(src: number, dst: number, n: number): void;
  /** Z += b (b: rows x 1) then A = tanh(Z) or sigmoid(Z), Z and A rows x cols; A may be Z. */
  biasTanhInto(z: number, b: number, a: number, rows: number, cols: number): void;
  biasSigmoidInto(z: number, b: number, a: number, rows: number, cols: number): void;
  /** C (m, n) = op(A) · B without packing, the bits of packed.ts smallMatmul (k >= 0). */
  smallGemm(transA: number, m: number, n: number, k: number, a: number, b: number, c: number): void;
  /** C (m, n) = A · Bᵀ without packing, the bits of plain.ts matmulTransB; bt: k·n doubles of scratch. */
  smallGemmTransB(m: number, n: number, k: number, a: number, b: number, c: number, bt: number): void;
  /** numpy's pairwise sum of n doubles from p: sum.ts pairwiseSum's bits. */
  pairwiseSum(p: number, n: number): number;
  /** dz = da * g'(.) for tanh and sigmoid (from a = g(z)) and relu (from z): elementwise.ts's bits. */
  tanhBackwardInto(da: number, a: number, dz: number, n: number): void;
  sigmoidBackwardInto(da: number, a: number, dz: number, n: number): void;
  reluBackwardInto(da: number, z: number, dz: number, n: number): void;
  /** a = s·a; w = w − alpha·g (multiply then subtract, never fused). */
  scaleInto(a: number, n: number, s: number): void;
  descendInto(w: number, g: number, n: number, alpha: number): void;
  /** dst = log(src), within 1 ulp of Math.log. */
  logInto(src: number, dst: number, n: number): void;
  /** dst = y·log(a) + (1 - y)·log(1 - a), with logInto's log. */
  crossEntropyInto(a: number, y: number, dst: number, n: number): void;
}

/** The elementwise functions of one operand. */
export type UnaryExport = 'tanhInto' | 'sigmoidInto' | 'logInto';

export const PAGE = 65536;

/** Rounds a byte count up to 64 so every operand starts on a cache line. */
export function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/** Byte offsets of one product's operands in linear memory, after `base`. */
export interface Layout {
  a: number;
  b: number;
  c: number;
  end: number;
}

export function layout(base: number, m: number, n: number, k: number): Layout {
  const a = base;
  const b = a + align(m * k * 8);
  const c = b + align(k * n * 8);
  return { a, b, c, end: c + align(m * n * 8) };
}

/**
 * One thread's WebAssembly product: owns a memory (its own, or a shared one handed in), copies
 * operands in, runs `gemm`, copies C out. Operands pinned in the memory (`pin`) are not copied.
 *
 * Memory layout: [packing scratch x `reserve` threads][pinned operands...][this product's A, B, C].
 */
export class WasmGemm {
  readonly exports: KernelExports;
  private f64: Float64Array;
  /** Bytes of packing scratch for one thread. */
  readonly packBytes: number;
  /** Where pinned operands start and end (bytes). */
  private readonly pinnedStart: number;
  private pinnedEnd: number;
  /** Pinned operands' byte offsets, and the regions in address order for release(). */
  private readonly pinned = new WeakMap<Float64Array, number>();
  private readonly regions: { start: number; end: number; data: Float64Array | null }[] = [];

  constructor(bytes: Uint8Array, readonly memory: WasmMemory, threads = 1) {
    const instance = new WA.Instance(new WA.Module(bytes), { env: { memory } });
    this.exports = instance.exports as unknown as KernelExports;
    this.packBytes = align(this.exports.packBytes());
    this.pinnedStart = this.pinnedEnd = threads * this.packBytes;
    this.f64 = new Float64Array(memory.buffer);
  }

  /** Pinning needs a shared memory: growing a plain one would detach the pinned arrays. */
  get canPin(): boolean {
    return typeof SharedArrayBuffer !== 'undefined' && this.memory.buffer instanceof SharedArrayBuffer;
  }

  /** Grows memory to at least `bytes`; returns the current Float64Array view. */
  view(bytes: number): Float64Array {
    const have = this.memory.buffer.byteLength;
    if (have < bytes) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    if (this.f64.buffer !== this.memory.buffer || this.f64.length * 8 !== this.memory.buffer.byteLength) {
      this.f64 = new Float64Array(this.memory.buffer);
    }
    return this.f64;
  }

  /** Where this product's operands go: after the pinned ones. */
  layout(m: number, n: number, k: number): Layout {
    return layout(this.pinnedEnd, m, n, k);
  }

  /** Byte offset of `data` in memory: pinned arrays where they are, others copied to `at`. */
  place(data: Float64Array, at: number, mem: Float64Array): number {
    const off = this.pinned.get(data);
    if (off !== undefined) return off;
    mem.set(data, at / 8);
    return at;
  }

  pin(M: Matrix): Matrix {
    const start = this.pinnedEnd;
    const end = start + align(M.data.length * 8);
    this.view(end);
    const data = new Float64Array(this.memory.buffer, start, M.data.length);
    data.set(M.data);
    this.pinnedEnd = end;
    this.pinned.set(data, start);
    this.regions.push({ start, end, data });
    return { rows: M.rows, cols: M.cols, data };
  }

  /** Frees a pinned operand's region (reused once every region above it is freed too). */
  release(M: Matrix): void {
    const r = this.regions.find((x) => x.data === M.data);
    if (!r) return;
    this.pinned.delete(M.data);
    r.data = null;
    while (this.regions.length > 0 && this.regions[this.regions.length - 1].data === null) this.regions.pop();
    this.pinnedEnd = this.regions.length > 0 ? this.regions[this.regions.length - 1].end : this.pinnedStart;
  }

  /**
   * dst = fn(src) elementwise (src and dst of one length; they may be one array). Pinned arrays are
   * read and written where they are (training keeps every Z and A pinned); the others are copied
   * through the space after the pinned operands.
   */
  unary(fn: UnaryExport, src: Float64Array, dst: Float64Array): void {
    const n = src.length;
    const at = this.pinnedEnd;
    const mem = this.view(at + n * 8);
    const ps = this.place(src, at, mem);
    const pd = this.pinned.get(dst) ?? at;
    this.exports[fn](ps, pd, n);
    if (pd === at) dst.set(mem.subarray(at / 8, at / 8 + n));
  }

  /**
   * Z += b (b broadcast along Z's rows) then A = fn(Z) in one pass, as `unary` (Z is written back
   * when it was copied in). Shapes are the caller's to check.
   */
  biasActivation(fn: 'biasTanhInto' | 'biasSigmoidInto', Z: Matrix, b: Matrix, A: Matrix): void {
    const n = Z.data.length;
    const bytes = align(n * 8);
    const at = this.pinnedEnd;
    const mem = this.view(at + 2 * bytes + align(b.data.length * 8));
    const pz = this.place(Z.data, at, mem);
    const pb = this.place(b.data, at + 2 * bytes, mem);
    const pa = this.pinned.get(A.data) ?? (A.data === Z.data ? pz : at + bytes);
    this.exports[fn](pz, pb, pa, Z.rows, Z.cols);
    if (pz === at) Z.data.set(mem.subarray(at / 8, at / 8 + n));
    if (pa === at + bytes) A.data.set(mem.subarray(pa / 8, pa / 8 + n));
  }

  /** out = y·log(a) + (1 - y)·log(1 - a) elementwise (one length; out may be a or y), as `unary`. */
  crossEntropy(a: Float64Array, y: Float64Array, out: Float64Array): void {
    const n = a.length;
    const bytes = align(n * 8);
    const at = this.pinnedEnd;
    const mem = this.view(at + 3 * bytes);
    const pa = this.place(a, at, mem);
    const py = this.place(y, at + bytes, mem);
    const po = this.pinned.get(out) ?? at + 2 * bytes;
    this.exports.crossEntropyInto(pa, py, po, n);
    if (po === at + 2 * bytes) out.set(mem.subarray(po / 8, po / 8 + n));
  }

  /**
   * im2colExamples' arguments for conv.ts im2col of the examples i0..i1, or undefined when Aprev
   * or cols is not pinned here (or too short for the geometry: the TypeScript loop then says so).
   */
  im2colArgs(Aprev: Float64Array, g: WindowGeometry, m: number, cols: Float64Array, columns: boolean): number[] | undefined {
    const pa = this.pinned.get(Aprev);
    const pc = this.pinned.get(cols);
    const n = g.hPrev * g.wPrev * g.cPrev;
    if (pa === undefined || pc === undefined || Aprev.length < n * m || cols.length < m * g.h * g.w * g.fH * g.fW * g.cPrev) return undefined;
    return [pa, pc, g.hPrev, g.wPrev, g.cPrev, g.fH, g.fW, g.sH, g.sW, g.top, g.left, g.h, g.w, columns ? 1 : n, columns ? m : 1];
  }

  /** Byte offset of a pinned array, or undefined when `data` is not pinned here. */
  offsetOf(data: Float64Array): number | undefined {
    return this.pinned.get(data);
  }

  /**
   * Where a product writes C: in place when C is pinned (training's workspace: no copy out),
   * else at `at`, to be copied out by `finish`. C is never written in place over its own A or B.
   */
  output(c: Float64Array, a: Float64Array, b: Float64Array, at: number): number {
    if (c === a || c === b) return at;
    return this.pinned.get(c) ?? at;
  }

  /** Copies C out of memory when the product wrote it at `at` rather than in place. */
  finish(c: Float64Array, pc: number, at: number): void {
    if (pc === at) c.set(this.view(at + c.length * 8).subarray(at / 8, at / 8 + c.length));
  }

  /** C (m, n) = op(A) · op(B) computed entirely in this thread. */
  run(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
    const L = this.layout(m, n, k);
    const mem = this.view(L.end);
    const pa = this.place(a, L.a, mem);
    const pb = this.place(b, L.b, mem);
    const pc = this.output(c, a, b, L.c);
    this.exports.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, pa, pb, pc, 0, n, 0);
    this.finish(c, pc, L.c);
  }

  /**
   * A product too small to pack, done here when A, B and C are all pinned (training's workspace):
   * no copies at all, the bits of smallMatmul. Returns false, doing nothing, otherwise.
   */
  small(transA: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): boolean {
    const pa = this.pinned.get(a);
    const pb = this.pinned.get(b);
    const pc = this.pinned.get(c);
    if (pa === undefined || pb === undefined || pc === undefined || c === a || c === b) return false;
    this.exports.smallGemm(transA ? 1 : 0, m, n, k, pa, pb, pc);
    return true;
  }

  /**
   * C (m, n) = A · Bᵀ too small to pack, as `small`: here when all three are pinned, with Bᵀ built
   * in this thread's packing scratch (at byte 0; small products never run on the other thread).
   */
  smallTransB(m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): boolean {
    const pa = this.pinned.get(a);
    const pb = this.pinned.get(b);
    const pc = this.pinned.get(c);
    if (pa === undefined || pb === undefined || pc === undefined || c === a || c === b || k * n * 8 > this.packBytes) return false;
    this.exports.smallGemmTransB(m, n, k, pa, pb, pc, 0);
    return true;
  }
}

/**
 * Kernels that run products of at least WASM_MIN_WORK multiply-adds through `run`, the rest
 * through the plain loops. `run` is WasmGemm.run or the two-thread version (src/node/parallel.ts).
 */
export function kernelsOver(name: string, run: ProductRun, g?: WasmGemm): Kernels {
  const products = productKernels(
    name,
    WASM_MIN_WORK,
    run,
    g && ((tA, m, n, k, a, b, c) => g.small(tA, m, n, k, a, b, c)),
    g && ((m, n, k, a, b, c) => g.smallTransB(m, n, k, a, b, c)),
  );
  if (!g) return products;
  return {
    ...products,
    biasActivation: (Z, b, A, activation, alpha) => wasmBiasActivation(g, Z, b, A, activation, alpha),
    crossEntropyTerms: (AL, Y, out) => wasmCrossEntropyTerms(g, AL, Y, out),
    activationBackward: (dA, Z, A, dZ, activation, alpha) => wasmActivationBackward(g, dA, Z, A, dZ, activation, alpha),
    scale(M, s) {
      const at = g.offsetOf(M.data);
      if (at === undefined) scale(M, s);
      else g.exports.scaleInto(at, M.data.length, s);
    },
    descend(W, dW, alpha) {
      const pw = g.offsetOf(W.data);
      const pg = g.offsetOf(dW.data);
      if (pw === undefined || pg === undefined) return descend(W, dW, alpha);
      checkSame('descend', W, dW);
      g.exports.descendInto(pw, pg, W.data.length, alpha);
    },
    pairwiseSum(a, start, n) {
      const at = g.offsetOf(a);
      return at === undefined ? pairwiseSum(a, start, n) : g.exports.pairwiseSum(at + start * 8, n);
    },
    im2col(Aprev, geometry, m, cols, columns) {
      const args = g.im2colArgs(Aprev, geometry, m, cols, columns);
      if (!args) return false;
      imcol(g.exports, args, 0, m);
      return true;
    },
  };
}

/** im2colExamples over the examples i0..i1 with the arguments of WasmGemm.im2colArgs. */
export function imcol(e: KernelExports, args: number[], i0: number, i1: number): void {
  const [a, c, hPrev, wPrev, cPrev, fH, fW, sH, sW, top, left, h, w, es, fs] = args;
  e.im2colExamples(a, c, hPrev, wPrev, cPrev, fH, fW, sH, sW, top, left, h, w, es, fs, i0, i1);
}

/** Below this many entries, copying into linear memory costs more than vectorising saves. */
export const WASM_MIN_ELEMENTS = 64;

/**
 * Z += b, then A = tanh(Z) or sigmoid(Z), both in one WebAssembly pass (a few ulp from Math.tanh /
 * Math.exp, see assembly/kernels.ts); the other activations stay in TypeScript.
 */
function wasmBiasActivation(g: WasmGemm, Z: Matrix, b: Matrix, A: Matrix, activation: ActivationName, alpha: number): void {
  if ((activation !== 'tanh' && activation !== 'sigmoid') || Z.data.length < WASM_MIN_ELEMENTS) {
    return biasActivation(Z, b, A, activation, alpha);
  }
  checkSame('biasActivation', Z, A);
  checkBias(Z, b);
  g.biasActivation(activation === 'tanh' ? 'biasTanhInto' : 'biasSigmoidInto', Z, b, A);
}

/**
 * dZ = dA * g'(Z) for tanh, sigmoid and relu in WebAssembly when every operand it reads and
 * writes is pinned (training's workspace), with the TypeScript loop's bits; elementwise.ts
 * activationBackward otherwise.
 */
function wasmActivationBackward(g: WasmGemm, dA: Matrix, Z: Matrix, A: Matrix, dZ: Matrix, activation: ActivationName, alpha: number): void {
  const fn = activation === 'tanh' ? 'tanhBackwardInto' : activation === 'sigmoid' ? 'sigmoidBackwardInto' : activation === 'relu' ? 'reluBackwardInto' : undefined;
  const pda = g.offsetOf(dA.data);
  const pin = g.offsetOf((activation === 'relu' ? Z : A).data);
  const pdz = g.offsetOf(dZ.data);
  if (!fn || pda === undefined || pin === undefined || pdz === undefined) return activationBackward(dA, Z, A, dZ, activation, alpha);
  checkSame('activationBackward', dA, dZ);
  checkSame('activationBackward', dA, Z);
  checkSame('activationBackward', dA, A);
  g.exports[fn](pda, pin, pdz, dA.data.length);
}

/**
 * out = Y·log(AL) + (1 - Y)·log(1 - AL) entrywise in WebAssembly (assembly/kernels.ts
 * `crossEntropyInto`: fdlibm's log, within 1 ulp of Math.log), at every size (no TypeScript path
 * for small ones), so that the last bits of a cost do not depend on the batch size.
 */
function wasmCrossEntropyTerms(g: WasmGemm, AL: Matrix, Y: Matrix, out: Matrix): void {
  checkSame('crossEntropyTerms', AL, Y);
  checkSame('crossEntropyTerms', AL, out);
  g.crossEntropy(AL.data, Y.data, out.data);
}

/**
 * Single-thread WebAssembly SIMD kernels, or undefined when the module is not built or this
 * runtime lacks WebAssembly SIMD. Where shared memory exists (Node, cross-origin-isolated pages)
 * they use it, which lets them `pin` operands.
 */
export function createWasmKernels(): Kernels | undefined {
  const shared = typeof SharedArrayBuffer !== 'undefined' ? bestWasm(true) : undefined;
  try {
    if (shared) {
      const g = new WasmGemm(shared.bytes, new WA.Memory({ initial: 1, maximum: MAX_PAGES, shared: true }));
      const name = shared.fma ? 'wasm-fma' : 'wasm-simd';
      return withPinning(kernelsOver(name, (tA, tB, m, n, k, a, b, c) => g.run(tA, tB, m, n, k, a, b, c), g), g);
    }
  } catch {
    // No shared WebAssembly memory here (a page without cross-origin isolation): the plain variant.
  }
  const plain = bestWasm(false);
  if (!plain) return undefined;
  try {
    const g = new WasmGemm(plain.bytes, new WA.Memory({ initial: 1 }));
    return kernelsOver(plain.fma ? 'wasm-fma' : 'wasm-simd', (tA, tB, m, n, k, a, b, c) => g.run(tA, tB, m, n, k, a, b, c), g);
  } catch {
    // A runtime without WebAssembly SIMD rejects the module at compile time.
    return undefined;
  }
}

/** 32768 pages = 2 GiB: the most a shared memory may grow to (reserved address space, not RAM). */
export const MAX_PAGES = 32768;

/** Replaces the plain set's pin/release (which copy nothing) by ones backed by `g`'s memory. */
export function withPinning(k: Kernels, g: WasmGemm): Kernels {
  return { ...k, pin: (M) => g.pin(M), release: (M) => g.release(M) };
}
