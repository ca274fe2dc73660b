/**
 * Fast matrix products in plain TypeScript, after the Goto/BLIS scheme: copy ("pack") a KC-deep
 * slice of op(B) into 4-column panels and of op(A) into 4-row panels, so the innermost loop reads
 * both operands contiguously whatever their layout, then let a fully unrolled 4x4 micro-kernel
 * keep 16 sums in registers over the KC products. Transposes happen while packing, so the
 * transposed products of backprop (Wᵀ·dZ, dZ·A_prevᵀ) cost the same as the plain one.
 *
 * No allocation per call: the packing buffers are module-level and only grow.
 *
 * Summation order: each C[i][j] is the sum of KC-long partial sums, each added in order of p, so
 * results differ from the plain i-k-j loop by rounding only (see types.ts).
 */
import type { Matrix } from '../matrix';
import { plainKernels, withDefaults } from './plain';
import { checkProduct, type Kernels } from './types';

/** Depth of a packed slice: a 4-wide panel is KC * 4 * 8 bytes = 8 KiB, two fit in L1. */
const KC = 256;
/** Rows of op(A) packed at once: MC * KC * 8 bytes = 128 KiB, kept in L2. */
const MC = 64;
/** Columns of op(B) packed at once: NC * KC * 8 bytes = 1 MiB. */
const NC = 512;

let packA = new Float64Array(MC * KC);
let packB = new Float64Array(NC * KC);

/** Below this many multiply-adds, packing costs more than it saves: use the plain loops. */
export const PACKED_MIN_WORK = 16 * 1024;

/**
 * C (m, n) = op(A) · op(B), overwriting C, where op(A) is A (m, k) or, when `transA`, the
 * transpose of A (k, m); likewise op(B) is B (k, n) or the transpose of B (n, k).
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
): void {
  c.fill(0, 0, m * n);
  if (k === 0 || m === 0 || n === 0) return;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packBPanels(transB, b, k, n, pc, kc, jc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packAPanels(transA, a, m, k, ic, mc, pc, kc);
        for (let jr = 0; jr < nc; jr += 4) {
          const nr = Math.min(4, nc - jr);
          const bOff = (jr >> 2) * kc * 4;
          for (let ir = 0; ir < mc; ir += 4) {
            const mr = Math.min(4, mc - ir);
            microKernel(kc, packA, (ir >> 2) * kc * 4, packB, bOff, c, (ic + ir) * n + jc + jr, n, mr, nr);
          }
        }
      }
    }
  }
}

/** Packs rows ic..ic+mc of op(A), depth pc..pc+kc, into 4-row panels: [panel][p][row], zero-padded. */
function packAPanels(transA: boolean, a: Float64Array, m: number, k: number, ic: number, mc: number, pc: number, kc: number): void {
  const need = Math.ceil(mc / 4) * 4 * kc;
  if (packA.length < need) packA = new Float64Array(need);
  const pa = packA;
  for (let ir = 0; ir < mc; ir += 4) {
    const base = (ir >> 2) * kc * 4;
    const mr = Math.min(4, mc - ir);
    if (!transA) {
      // A is (m, k): each row of the panel is contiguous in A.
      for (let r = 0; r < 4; r++) {
        if (r < mr) {
          const src = (ic + ir + r) * k + pc;
          for (let p = 0; p < kc; p++) pa[base + p * 4 + r] = a[src + p];
        } else {
          for (let p = 0; p < kc; p++) pa[base + p * 4 + r] = 0;
        }
      }
    } else {
      // A is stored (k, m): the 4 entries of one p are contiguous in A.
      for (let p = 0; p < kc; p++) {
        const src = (pc + p) * m + ic + ir;
        const dst = base + p * 4;
        for (let r = 0; r < 4; r++) pa[dst + r] = r < mr ? a[src + r] : 0;
      }
    }
  }
}

/** Packs columns jc..jc+nc of op(B), depth pc..pc+kc, into 4-column panels: [panel][p][col]. */
function packBPanels(transB: boolean, b: Float64Array, k: number, n: number, pc: number, kc: number, jc: number, nc: number): void {
  const need = Math.ceil(nc / 4) * 4 * kc;
  if (packB.length < need) packB = new Float64Array(need);
  const pb = packB;
  for (let jr = 0; jr < nc; jr += 4) {
    const base = (jr >> 2) * kc * 4;
    const nr = Math.min(4, nc - jr);
    if (!transB) {
      // B is (k, n): the 4 entries of one p are contiguous in B.
      if (nr === 4) {
        for (let p = 0; p < kc; p++) {
          const src = (pc + p) * n + jc + jr;
          const dst = base + p * 4;
          pb[dst] = b[src];
          pb[dst + 1] = b[src + 1];
          pb[dst + 2] = b[src + 2];
          pb[dst + 3] = b[src + 3];
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = (pc + p) * n + jc + jr;
          const dst = base + p * 4;
          for (let q = 0; q < 4; q++) pb[dst + q] = q < nr ? b[src + q] : 0;
        }
      }
    } else {
      // B is stored (n, k): each column of the panel is a contiguous row of B.
      for (let q = 0; q < 4; q++) {
        if (q < nr) {
          const src = (jc + jr + q) * k + pc;
          for (let p = 0; p < kc; p++) pb[base + p * 4 + q] = b[src + p];
        } else {
          for (let p = 0; p < kc; p++) pb[base + p * 4 + q] = 0;
        }
      }
    }
  }
}

/**
 * C[0..mr)[0..nr) += Apanel · Bpanel over kc products, C at `cOff` with row stride `ldc`.
 * The 16 sums live in locals, which V8 keeps in registers.
 */
function microKernel(
  kc: number,
  pa: Float64Array,
  aOff: number,
  pb: Float64Array,
  bOff: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aOff;
  let bi = bOff;
  for (let p = 0; p < kc; p++, ai += 4, bi += 4) {
    const a0 = pa[ai], a1 = pa[ai + 1], a2 = pa[ai + 2], a3 = pa[ai + 3];
    const b0 = pb[bi], b1 = pb[bi + 1], b2 = pb[bi + 2], b3 = pb[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (mr === 4 && nr === 4) {
    let o = cOff;
    c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03;
    o += ldc;
    c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13;
    o += ldc;
    c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23;
    o += ldc;
    c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
    return;
  }
  // Edge tile: only the first mr rows and nr columns exist in C.
  const t = edge;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
  t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
  t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
  for (let r = 0; r < mr; r++) {
    const o = cOff + r * ldc;
    for (let q = 0; q < nr; q++) c[o + q] += t[r * 4 + q];
  }
}

/** Scratch for the sums of an edge tile, so edges allocate nothing either. */
const edge = new Float64Array(16);

/**
 * Small C = op(A) · B (op(A) = A, or Aᵀ when `transA`) for products too small to pack, such as the
 * planar network's (4, 2)·(2, 400). The plain i-k-j loop makes k passes over each row of C; this
 * makes one pass per 4 values of p, keeping the running sum in a register. Each C[i][j] is still
 * summed over p = 0, 1, ..., k-1 in order from the first product, so the result is the plain
 * loop's bit for bit.
 */
export function smallMatmul(transA: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
  if (k === 0) {
    c.fill(0, 0, m * n);
    return;
  }
  // op(A)[i][p] is a[i*k + p], or a[p*m + i] when transposed.
  const si = transA ? 1 : k;
  const sp = transA ? m : 1;
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p += 4) {
      const rest = k - p;
      const a0 = a[i * si + p * sp];
      const b0 = p * n;
      if (rest >= 4) {
        const a1 = a[i * si + (p + 1) * sp];
        const a2 = a[i * si + (p + 2) * sp];
        const a3 = a[i * si + (p + 3) * sp];
        const b1 = b0 + n;
        const b2 = b1 + n;
        const b3 = b2 + n;
        if (p === 0) {
          for (let j = 0; j < n; j++) {
            let s = a0 * b[b0 + j];
            s += a1 * b[b1 + j];
            s += a2 * b[b2 + j];
            c[ci + j] = s + a3 * b[b3 + j];
          }
        } else {
          for (let j = 0; j < n; j++) {
            let s = c[ci + j] + a0 * b[b0 + j];
            s += a1 * b[b1 + j];
            s += a2 * b[b2 + j];
            c[ci + j] = s + a3 * b[b3 + j];
          }
        }
      } else if (rest === 3) {
        const a1 = a[i * si + (p + 1) * sp];
        const a2 = a[i * si + (p + 2) * sp];
        const b1 = b0 + n;
        const b2 = b1 + n;
        for (let j = 0; j < n; j++) {
          let s = p === 0 ? a0 * b[b0 + j] : c[ci + j] + a0 * b[b0 + j];
          s += a1 * b[b1 + j];
          c[ci + j] = s + a2 * b[b2 + j];
        }
      } else if (rest === 2) {
        const a1 = a[i * si + (p + 1) * sp];
        const b1 = b0 + n;
        for (let j = 0; j < n; j++) {
          const s = p === 0 ? a0 * b[b0 + j] : c[ci + j] + a0 * b[b0 + j];
          c[ci + j] = s + a1 * b[b1 + j];
        }
      } else {
        for (let j = 0; j < n; j++) c[ci + j] = p === 0 ? a0 * b[b0 + j] : c[ci + j] + a0 * b[b0 + j];
      }
    }
  }
}

/**
 * Optionally takes over a small product C (m, n) = op(A) · B with smallMatmul's bits (the
 * WebAssembly sets do, when every operand is in their memory); returns false to leave it to
 * smallMatmul.
 */
export type SmallRun = (transA: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array) => boolean;

/** Likewise for a small C (m, n) = A · Bᵀ, with plainKernels.matmulTransB's bits. */
export type SmallTransBRun = (m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array) => boolean;

/** A product C (m, n) = op(A) · op(B) on row-major data, op = transpose when the flag is set. */
export type ProductRun = (transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array) => void;

/**
 * Kernels whose products of at least `minWork` multiply-adds go through `run`, the rest through
 * `small` when given and willing, else the one-pass loops (exactly the plain loops' bits), where
 * packing or copying does not pay. Everything but the products is the plain set's.
 * Shared by the packed TypeScript kernels and the WebAssembly ones (src/core/kernels/wasm.ts).
 */
export function productKernels(name: string, minWork: number, run: ProductRun, small?: SmallRun, smallTransB?: SmallTransBRun): Kernels {
  return withDefaults({
    name,
    matmul(A: Matrix, B: Matrix, C: Matrix) {
      checkProduct('matmul', A, B, C, A.rows, B.cols, A.cols, B.rows);
      if (A.rows * B.cols * A.cols < minWork) {
        if (!small?.(false, A.rows, B.cols, A.cols, A.data, B.data, C.data)) smallMatmul(false, A.rows, B.cols, A.cols, A.data, B.data, C.data);
        return;
      }
      run(false, false, A.rows, B.cols, A.cols, A.data, B.data, C.data);
    },
    matmulTransA(A: Matrix, B: Matrix, C: Matrix) {
      checkProduct('matmulTransA', A, B, C, A.cols, B.cols, A.rows, B.rows);
      if (A.cols * B.cols * A.rows < minWork) {
        if (!small?.(true, A.cols, B.cols, A.rows, A.data, B.data, C.data)) smallMatmul(true, A.cols, B.cols, A.rows, A.data, B.data, C.data);
        return;
      }
      run(true, false, A.cols, B.cols, A.rows, A.data, B.data, C.data);
    },
    matmulTransB(A: Matrix, B: Matrix, C: Matrix) {
      checkProduct('matmulTransB', A, B, C, A.rows, B.rows, A.cols, B.cols);
      if (A.rows * B.rows * A.cols < minWork) {
        if (!smallTransB?.(A.rows, B.rows, A.cols, A.data, B.data, C.data)) plainKernels.matmulTransB(A, B, C);
        return;
      }
      run(false, true, A.rows, B.rows, A.cols, A.data, B.data, C.data);
    },
  });
}

/** Packed TypeScript kernels; small products go to one-pass loops, where packing does not pay. */
export const packedKernels: Kernels = productKernels('packed-ts', PACKED_MIN_WORK, gemm);
