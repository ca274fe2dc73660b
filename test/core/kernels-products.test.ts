// The fast products against a naive triple loop written here and against numpy: every kernel set,
// all three transposition cases, odd sizes that exercise the edge tiles and the block boundaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Matrix } from '../../src/core/engine/matrix';
import type { Kernels } from '../../src/core/kernels/types';
import { kernelSetsUnderTest } from './kernels-sets';

function mat(rows: number, cols: number, seed: number): Matrix {
  // A small LCG so the test needs no RNG module; values in [-1, 1).
  const data = new Float64Array(rows * cols);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  return { rows, cols, data };
}

function fromRows(r: number[][]): Matrix {
  const m = { rows: r.length, cols: r[0].length, data: new Float64Array(r.length * r[0].length) };
  r.forEach((row, i) => row.forEach((v, j) => (m.data[i * m.cols + j] = v)));
  return m;
}

/** C = op(A) · op(B) by definition, with the sum of |terms| kept to scale the tolerance. */
function naive(A: Matrix, B: Matrix, tA: boolean, tB: boolean): { c: Float64Array; mag: Float64Array; m: number; n: number } {
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
function assertClose(name: string, got: Float64Array, want: Float64Array, mag: Float64Array): void {
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-13 * Math.max(mag[i], 1e-300);
    if (!(Math.abs(got[i] - want[i]) <= tol)) {
      assert.fail(`${name}: entry ${i} is ${got[i]}, expected ${want[i]} (tolerance ${tol})`);
    }
  }
}

const shapes: [number, number, number][] = [
  // [m, k, n]
  [1, 1, 1],
  [3, 5, 1],
  [1, 17, 3],
  [5, 3, 17],
  [17, 17, 17],
  [4, 4, 4],
  [20, 209, 7],
  [7, 300, 5],
  [65, 257, 33],
  [3, 12288, 5],
  [5, 209, 12288],
  [20, 12288, 209],
];

const sets = kernelSetsUnderTest();

for (const K of sets) {
  for (const [m, k, n] of shapes) {
    test(`${K.name}: C(${m}x${n}) = A·B, Aᵀ·B, A·Bᵀ with k = ${k}`, () => {
      checkAll(K, m, k, n);
    });
  }

  test(`${K.name}: agrees with numpy on all three products`, () => {
    const fx = JSON.parse(readFileSync(join(__dirname, '../fixtures/kernels/kernels.json'), 'utf8')) as Record<string, number[][]>;
    const A = fromRows(fx.A);
    const B = fromRows(fx.B);
    const W = fromRows(fx.W);
    const D = fromRows(fx.D);
    const cases: [string, Matrix, (C: Matrix) => void][] = [
      ['A·B', fromRows(fx.AB), (C) => K.matmul(A, B, C)],
      ['Wᵀ·B', fromRows(fx.WtB), (C) => K.matmulTransA(W, B, C)],
      ['A·Dᵀ', fromRows(fx.ADt), (C) => K.matmulTransB(A, D, C)],
    ];
    for (const [name, want, run] of cases) {
      const C = { rows: want.rows, cols: want.cols, data: new Float64Array(want.data.length).fill(NaN) };
      run(C);
      for (let i = 0; i < want.data.length; i++) {
        assert.ok(Math.abs(C.data[i] - want.data[i]) <= 1e-12 * Math.max(1, Math.abs(want.data[i])), `${name}[${i}]: ${C.data[i]} vs numpy ${want.data[i]}`);
      }
    }
  });

  test(`${K.name}: overwrites C and leaves the operands unchanged`, () => {
    const A = mat(9, 70, 1);
    const B = mat(70, 6, 2);
    const a0 = A.data.slice();
    const b0 = B.data.slice();
    const C = { rows: 9, cols: 6, data: new Float64Array(54).fill(1e300) };
    K.matmul(A, B, C);
    const { c, mag } = naive(A, B, false, false);
    assertClose('A·B over garbage', C.data, c, mag);
    assert.deepEqual(A.data, a0);
    assert.deepEqual(B.data, b0);
  });

  test(`${K.name}: a shape mismatch names both shapes`, () => {
    assert.throws(() => K.matmul(mat(2, 3, 1), mat(4, 2, 2), mat(2, 2, 3)), /\(2, 3\).*\(4, 2\)/);
    assert.throws(() => K.matmulTransB(mat(2, 3, 1), mat(4, 2, 2), mat(2, 4, 3)), /shapes do not fit/);
  });
}

function checkAll(K: Kernels, m: number, k: number, n: number): void {
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
