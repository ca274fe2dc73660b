// The WebAssembly kernels that training uses on its pinned workspace (every matrix in WebAssembly
// memory, src/core/engine/train.ts): numpy's pairwise sums to the last bit, and the activations'
// backward with exactly the bits of the engine's own TypeScript derivatives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Matrix } from '../../../src/core/matrix';
import { activationBackward } from '../../../src/core/kernels/elementwise';
import type { Kernels } from '../../../src/core/kernels/types';
import { createWasmKernels } from '../../../src/core/kernels/wasm';
import { mat } from './sets';

const K = createWasmKernels();

/** Runs `body` with a pin function whose matrices are all released afterwards. */
function withPins(K: Kernels, body: (pin: (M: Matrix) => Matrix) => void): void {
  const pinned: Matrix[] = [];
  try {
    body((M) => {
      const P = K.pin(M);
      pinned.push(P);
      return P;
    });
  } finally {
    for (const P of pinned.reverse()) K.release(P);
  }
}

test("pairwise sums of pinned arrays equal numpy's np.sum to the last bit (n from 1 to 4097)", (t) => {
  if (!K) return t.skip('no WebAssembly kernels with pinning here (npm run build)');
  const sums = JSON.parse(readFileSync(join(__dirname, '../../fixtures/engine/sums.json'), 'utf8')) as { x: number[]; sum: number }[];
  withPins(K, (pin) => {
    for (const c of sums) {
      const x = pin({ rows: 1, cols: c.x.length, data: Float64Array.from(c.x) });
      assert.equal(K.pairwiseSum!(x.data, 0, c.x.length), c.sum, `np.sum of ${c.x.length}`);
    }
    // A row inside a bigger matrix (db = Σ dZ[i, :]), not aligned to 16 bytes.
    const c = sums.find((s) => s.x.length > 300)!;
    const padded = pin({ rows: 1, cols: c.x.length + 3, data: Float64Array.from([1e300, -1e300, 7, ...c.x]) });
    assert.equal(K.pairwiseSum!(padded.data, 3, c.x.length), c.sum, 'from an offset');
  });
});

test('pairwise sums of arrays outside WebAssembly memory fall back to the same bits', (t) => {
  if (!K?.pairwiseSum) return t.skip('no WebAssembly kernels here (npm run build)');
  const sums = JSON.parse(readFileSync(join(__dirname, '../../fixtures/engine/sums.json'), 'utf8')) as { x: number[]; sum: number }[];
  for (const c of sums.slice(0, 20)) assert.equal(K.pairwiseSum(Float64Array.from(c.x), 0, c.x.length), c.sum);
});

test('activation backward on pinned operands gives the TypeScript derivatives\' bits, edge values included', (t) => {
  if (!K) return t.skip('no WebAssembly kernels with pinning here (npm run build)');
  const edges = [0, -0, 1e-300, -1e-12, 0.5, -0.5, 1, -1, 2, 1e308, -1e308, Infinity, -Infinity, NaN];
  for (const activation of ['tanh', 'sigmoid', 'relu', 'linear'] as const) {
    for (const [rows, cols] of [[4, 400], [3, 7], [1, 1], [2, 5]] as [number, number][]) {
      const dA = mat(rows, cols, 11);
      const Z = mat(rows, cols, 12);
      const A = mat(rows, cols, 13);
      for (let i = 0; i < edges.length && i < Z.data.length; i++) {
        Z.data[i] = edges[i];
        A.data[(i * 3) % A.data.length] = edges[i];
        dA.data[(i * 5) % dA.data.length] = edges[edges.length - 1 - i];
      }
      const want = { rows, cols, data: new Float64Array(rows * cols) };
      activationBackward(dA, Z, A, want, activation, 0.01);
      withPins(K, (pin) => {
        const got = pin({ rows, cols, data: new Float64Array(rows * cols).fill(12345) });
        K.activationBackward(pin(dA), pin(Z), pin(A), got, activation, 0.01);
        assert.deepStrictEqual(got.data, want.data, `${activation} (${rows}, ${cols})`);
        // In place, dZ = dA, as the engine may call it.
        const inPlace = pin(dA);
        K.activationBackward(inPlace, pin(Z), pin(A), inPlace, activation, 0.01);
        assert.deepStrictEqual(inPlace.data, want.data, `${activation} in place`);
      });
    }
  }
});

test("dW's 1/m scaling and gradient descent's update on pinned operands give the plain loops' bits", (t) => {
  if (!K) return t.skip('no WebAssembly kernels with pinning here (npm run build)');
  for (const n of [1, 2, 7, 245760 + 3]) {
    const W = mat(1, n, 21);
    const dW = mat(1, n, 22);
    W.data[0] = -0;
    dW.data[n - 1] = NaN;
    // W − α·dW and (1/m)·dW written out here, a multiply then a subtract, as the course does.
    const alpha = 0.0075;
    const wantW = W.data.map((w, i) => w - alpha * dW.data[i]);
    const wantScaled = dW.data.map((g) => (1 / 209) * g);
    withPins(K, (pin) => {
      const Wp = pin(W);
      const dWp = pin(dW);
      K.descend!(Wp, dWp, alpha);
      assert.deepStrictEqual(Wp.data, wantW, `descend, n = ${n}`);
      K.scale!(dWp, 1 / 209);
      assert.deepStrictEqual(dWp.data, wantScaled, `scale, n = ${n}`);
    });
    // Outside WebAssembly memory: the same bits through the TypeScript loops.
    const W2 = { ...W, data: W.data.slice() };
    K.descend(W2, dW, alpha);
    assert.deepStrictEqual(W2.data, wantW, `descend unpinned, n = ${n}`);
  }
});
