/**
 * The reference kernels: the textbook loops the engine started with, kept as the yardstick that
 * the fast kernels are tested and benchmarked against, and the default for every method a faster
 * set does not speed up (`withDefaults`). Slow on big products, exact in the sense that each
 * C[i][j] is summed over p = 0, 1, ..., k-1 in order.
 */
import type { Matrix } from '../matrix';
import { activationBackward, biasActivation, crossEntropyTerms, descend, scale } from './elementwise';
import { pairwiseSum } from './sum';
import { checkProduct, type Kernels } from './types';

export const plainKernels: Kernels = {
  name: 'plain',
  matmul(A, B, C) {
    checkProduct('matmul', A, B, C, A.rows, B.cols, A.cols, B.rows);
    plainMatmul(A, B, C);
  },
  matmulTransA(A, B, C) {
    checkProduct('matmulTransA', A, B, C, A.cols, B.cols, A.rows, B.rows);
    const m = A.cols;
    const n = B.cols;
    const k = A.rows;
    const a = A.data;
    const b = B.data;
    const c = C.data;
    c.fill(0);
    // p outermost so that both A and B are read along rows: C[i][j] += A[p][i] * B[p][j].
    for (let p = 0; p < k; p++) {
      for (let i = 0; i < m; i++) {
        const api = a[p * m + i];
        const ci = i * n;
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j] += api * b[bp + j];
      }
    }
  },
  matmulTransB(A, B, C) {
    checkProduct('matmulTransB', A, B, C, A.rows, B.rows, A.cols, B.cols);
    const m = A.rows;
    const n = B.rows;
    const k = A.cols;
    const a = A.data;
    const b = B.data;
    const c = C.data;
    // Rows of A against rows of B: a dot product each, summed over p in order. Four of them go
    // through the p loop together (entries t..t+3 of C in row-major order, whichever rows and
    // columns those are): each sum is a chain of dependent adds, and four chains at a time keep
    // the adder busy, so dW = dZ·A_prevᵀ of a small network runs ~3x faster, every sum in the
    // same order as before.
    const total = m * n;
    let t = 0;
    for (; t + 4 <= total; t += 4) {
      const a0 = Math.floor(t / n) * k;
      const a1 = Math.floor((t + 1) / n) * k;
      const a2 = Math.floor((t + 2) / n) * k;
      const a3 = Math.floor((t + 3) / n) * k;
      const b0 = (t % n) * k;
      const b1 = ((t + 1) % n) * k;
      const b2 = ((t + 2) % n) * k;
      const b3 = ((t + 3) % n) * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        s0 += a[a0 + p] * b[b0 + p];
        s1 += a[a1 + p] * b[b1 + p];
        s2 += a[a2 + p] * b[b2 + p];
        s3 += a[a3 + p] * b[b3 + p];
      }
      c[t] = s0;
      c[t + 1] = s1;
      c[t + 2] = s2;
      c[t + 3] = s3;
    }
    for (; t < total; t++) {
      const ai = Math.floor(t / n) * k;
      const bj = (t % n) * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
      c[t] = s;
    }
  },
  biasActivation,
  activationBackward,
  crossEntropyTerms,
  pairwiseSum,
  scale,
  descend,
  // Plain matrices are already where these loops read them: nothing to copy, nothing to free.
  pin: (M) => M,
  release: () => undefined,
};

/**
 * A complete kernel set from the methods a faster set implements: the plain set's for the rest.
 * The one place a set is completed, so no caller ever checks whether a method exists.
 */
export function withDefaults(partial: Partial<Kernels> & { readonly name: string }): Kernels {
  return { ...plainKernels, ...partial };
}

function plainMatmul(A: Matrix, B: Matrix, C: Matrix): void {
  const m = A.rows;
  const n = B.cols;
  const k = A.cols;
  const a = A.data;
  const b = B.data;
  const c = C.data;
  c.fill(0);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
    }
  }
}
