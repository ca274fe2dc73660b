// The fast products against a naive triple loop written here and against numpy: every kernel set,
// all three transposition cases, odd sizes that exercise the edge tiles and the block boundaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Matrix } from '../../../src/core/matrix';
import { assertClose, checkAll, fromRows, kernelSetsUnderTest, mat, naive, PRODUCT_SHAPES, SMALL_PRODUCT_SHAPES } from './sets';

const sets = kernelSetsUnderTest();

for (const K of sets) {
  for (const [m, k, n] of PRODUCT_SHAPES) {
    test(`${K.name}: C(${m}x${n}) = A·B, Aᵀ·B, A·Bᵀ with k = ${k}`, () => {
      checkAll(K, m, k, n);
    });
  }

  test(`${K.name}: agrees with numpy on all three products`, () => {
    const fx = JSON.parse(readFileSync(join(__dirname, '../../fixtures/kernels/kernels.json'), 'utf8')) as Record<string, number[][]>;
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

  test(`${K.name}: a pinned operand gives the copied operand's product`, () => {
    const A = mat(6, 400, 31);
    const B = mat(400, 9, 32);
    const Bp = K.pin(B);
    const C = { rows: 6, cols: 9, data: new Float64Array(54) };
    K.matmul(A, Bp, C);
    const { c, mag } = naive(A, B, false, false);
    assertClose('A·pinned B', C.data, c, mag);
    K.release(Bp);
  });

  test(`${K.name}: a shape mismatch names both shapes`, () => {
    assert.throws(() => K.matmul(mat(2, 3, 1), mat(4, 2, 2), mat(2, 2, 3)), /\(2, 3\).*\(4, 2\)/);
    assert.throws(() => K.matmulTransB(mat(2, 3, 1), mat(4, 2, 2), mat(2, 4, 3)), /shapes do not fit/);
  });
}

test('products too small to pack give the plain i-k-j loop\'s result bit for bit, in every set', () => {
  // The one-pass small loops sum in the plain loop's order, so the engine's results for small
  // networks do not change at all when it switches kernels.
  const plain = sets[0];
  for (const K of sets.slice(1)) {
    for (const [m, k, n] of SMALL_PRODUCT_SHAPES) {
      const A = mat(m, k, m + k);
      const At = mat(k, m, m + k + 1);
      const B = mat(k, n, n + k);
      const want = { rows: m, cols: n, data: new Float64Array(m * n) };
      const got = { rows: m, cols: n, data: new Float64Array(m * n) };
      plain.matmul(A, B, want);
      K.matmul(A, B, got);
      assert.deepEqual(got.data, want.data, `${K.name}: A·B, m=${m} k=${k} n=${n}`);
      plain.matmulTransA(At, B, want);
      K.matmulTransA(At, B, got);
      assert.deepEqual(got.data, want.data, `${K.name}: Aᵀ·B, m=${m} k=${k} n=${n}`);
    }
  }
});

test('with every operand pinned (as training keeps them), small products of all three kinds run in WebAssembly with the plain loop\'s bits', (t) => {
  const K = sets.find((s) => s.name.startsWith('wasm'));
  if (!K) return t.skip('no WebAssembly kernels with pinning here (npm run build)');
  const plain = sets[0];
  const pinned: Matrix[] = [];
  const pin = (M: Matrix): Matrix => {
    const P = K.pin(M);
    pinned.push(P);
    return P;
  };
  try {
    for (const [m, k, n] of SMALL_PRODUCT_SHAPES) {
      const A = mat(m, k, m + k);
      const At = mat(k, m, m + k + 1);
      const B = mat(k, n, n + k);
      const want = { rows: m, cols: n, data: new Float64Array(m * n) };
      const got = pin({ rows: m, cols: n, data: new Float64Array(m * n).fill(NaN) });
      plain.matmul(A, B, want);
      K.matmul(pin(A), pin(B), got);
      assert.deepEqual(got.data, want.data, `pinned A·B, m=${m} k=${k} n=${n}`);
      got.data.fill(NaN);
      plain.matmulTransA(At, B, want);
      K.matmulTransA(pin(At), pin(B), got);
      assert.deepEqual(got.data, want.data, `pinned Aᵀ·B, m=${m} k=${k} n=${n}`);
      // A·Bᵀ with B (n, k): dW = dZ·A_prevᵀ.
      const Bt = mat(n, k, n + k + 2);
      got.data.fill(NaN);
      plain.matmulTransB(A, Bt, want);
      K.matmulTransB(pin(A), pin(Bt), got);
      assert.deepEqual(got.data, want.data, `pinned A·Bᵀ, m=${m} k=${k} n=${n}`);
    }
  } finally {
    for (const P of pinned.reverse()) K.release(P);
  }
});

test('a big product writes straight into a pinned C, with the same result as into a plain one', (t) => {
  const K = sets.find((s) => s.name.startsWith('wasm'));
  if (!K) return t.skip('no WebAssembly kernels with pinning here (npm run build)');
  const A = mat(20, 300, 5);
  const B = mat(300, 70, 6);
  const D = mat(70, 300, 7);
  const plainC = { rows: 20, cols: 70, data: new Float64Array(1400) };
  const pinnedC = K.pin({ rows: 20, cols: 70, data: new Float64Array(1400).fill(NaN) });
  const plainT = { rows: 20, cols: 70, data: new Float64Array(1400) };
  const pinnedT = K.pin({ rows: 20, cols: 70, data: new Float64Array(1400).fill(NaN) });
  try {
    K.matmul(A, B, plainC);
    K.matmul(A, B, pinnedC);
    assert.deepEqual(pinnedC.data, plainC.data);
    K.matmulTransB(A, D, plainT);
    K.matmulTransB(A, D, pinnedT);
    assert.deepEqual(pinnedT.data, plainT.data);
    const want = naive(A, B, false, false);
    assertClose('pinned C against the definition', pinnedC.data, want.c, want.mag);
  } finally {
    K.release(pinnedT);
    K.release(pinnedC);
  }
});
