/**
 * The reference kernels: the textbook i-k-j loops the engine started with, kept as the yardstick
 * that the fast kernels are tested and benchmarked against. Slow on big products, exact in the
 * sense that each C[i][j] is summed over p = 0, 1, ..., k-1 in order.
 */
import type { Matrix } from '../engine/matrix';
import { activationBackward, biasActivation } from './elementwise';
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
    // Rows of A against rows of B: a dot product each.
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
        c[i * n + j] = s;
      }
    }
  },
  biasActivation,
  activationBackward,
};

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
