// The kernel sets every kernels-* test runs against. Not a test file itself (no .test.ts).
import assert from 'node:assert/strict';
import type { Matrix } from '../../../src/core/matrix';
export { fromRows } from '../../../src/core/matrix';
import type { Kernels } from '../../../src/core/kernels/types';
import { plainKernels } from '../../../src/core/kernels/plain';
import { packedKernels } from '../../../src/core/kernels/packed';
import { createWasmKernels } from '../../../src/core/kernels/wasm';

/**
 * The products [m, k, n] every set is checked on, against the naive loop: single rows and columns,
 * edge tiles (sizes not multiples of 4), block boundaries (KC = 256, MC = 64), and the course's cat
 * network (12288 inputs, 20 units, 209 examples) in all three products.
 */
export const PRODUCT_SHAPES: readonly [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 1],
  [1, 17, 3],
  [5, 3, 17],
  [17, 17, 17],
  [4, 4, 4],
  [20, 209, 7],
  [7, 300, 5],
  [65, 257, 33],
  [65, 257, 333],
  [3, 12288, 5],
  [5, 209, 12288],
  [20, 12288, 209],
];

/**
 * Products [m, k, n] too small to pack in any set (below PACKED_MIN_WORK and WASM_MIN_WORK), such
 * as the planar network's, k = 0 included: every set must give the plain loop's bits.
 */
export const SMALL_PRODUCT_SHAPES: readonly [number, number, number][] = [
  [4, 2, 400],
  [1, 4, 400],
  [4, 1, 400],
  [3, 7, 5],
  [2, 9, 11],
  [3, 0, 5],
  [4, 400, 2],
  [1, 400, 4],
  [5, 300, 3],
];

export function kernelSetsUnderTest(): Kernels[] {
  const wasm = createWasmKernels();
  return wasm ? [plainKernels, packedKernels, wasm] : [plainKernels, packedKernels];
}

export function mat(rows: number, cols: number, seed: number): Matrix {
  // A small LCG so the test needs no RNG module; values in [-1, 1).
  const data = new Float64Array(rows * cols);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  return { rows, cols, data };
}


/** C = op(A) · op(B) by definition, with the sum of |terms| kept to scale the tolerance. */
export function naive(A: Matrix, B: Matrix, tA: boolean, tB: boolean): { c: Float64Array; mag: Float64Array; m: number; n: number } {
  const m = tA ? A.cols : A.rows;
  const k = tA ? A.rows : A.cols;
  const n = tB ? B.rows : B.cols;
  const c = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let g = 0;
      for (let p = 0; p < k; p++) {
        const a = tA ? A.data[p * A.cols + i] : A.data[i * A.cols + p];
        const b = tB ? B.data[j * B.cols + p] : B.data[p * B.cols + j];
        s += a * b;
        g += Math.abs(a * b);
      }
      c[i * n + j] = s;
      mag[i * n + j] = g;
    }
  }
  return { c, mag, m, n };
}

/**
 * Rounding of a k-term sum in any order is bounded by about k·eps·Σ|terms|; 1e-13 relative to
 * Σ|terms| is far inside that for k ≤ 12288 in practice and far outside any real mistake.
 */
export function assertClose(name: string, got: Float64Array, want: Float64Array, mag: Float64Array): void {
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-13 * Math.max(mag[i], 1e-300);
    if (!(Math.abs(got[i] - want[i]) <= tol)) {
      assert.fail(`${name}: entry ${i} is ${got[i]}, expected ${want[i]} (tolerance ${tol})`);
    }
  }
}

/** All three products of (m, k) and (k, n) operands against the naive loop. */
export function checkAll(K: Kernels, m: number, k: number, n: number): void {
  const A = mat(m, k, m * 7 + k);
  const B = mat(k, n, n * 13 + k);
  const At = mat(k, m, m * 3 + 1);
  const Bt = mat(n, k, n * 5 + 2);
  const C = { rows: m, cols: n, data: new Float64Array(m * n) };

  K.matmul(A, B, C);
  let r = naive(A, B, false, false);
  assertClose('A·B', C.data, r.c, r.mag);

  K.matmulTransA(At, B, C);
  r = naive(At, B, true, false);
  assertClose('Aᵀ·B', C.data, r.c, r.mag);

  K.matmulTransB(A, Bt, C);
  r = naive(A, Bt, false, true);
  assertClose('A·Bᵀ', C.data, r.c, r.mag);
}
