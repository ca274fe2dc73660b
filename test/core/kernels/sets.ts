// The kernel sets every kernels-* test runs against. Not a test file itself (no .test.ts).
import assert from 'node:assert/strict';
import type { Matrix } from '../../../src/core/matrix';
import type { Kernels } from '../../../src/core/kernels/types';
import { plainKernels } from '../../../src/core/kernels/plain';
import { packedKernels } from '../../../src/core/kernels/packed';
import { createWasmKernels } from '../../../src/core/kernels/wasm';

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

export function fromRows(r: number[][]): Matrix {
  const m = { rows: r.length, cols: r[0].length, data: new Float64Array(r.length * r[0].length) };
  r.forEach((row, i) => row.forEach((v, j) => (m.data[i * m.cols + j] = v)));
  return m;
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
