// Fused bias + activation and activation backward, every kernel set, against the course's
// formulas written here with Math.tanh / Math.exp. The WebAssembly tanh and sigmoid compute
// exp themselves, so they may differ from Math's by a few ulp; nothing else may differ at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Matrix } from '../../../src/core/matrix';
import type { ActivationName } from '../../../src/core/kernels/activations';
import { kernelSetsUnderTest, mat } from './sets';

const EPS = 2.220446049250313e-16;
/** leaky-relu's slope for z <= 0, the format's default. */
const ALPHA = 0.01;

type Elementwise = Exclude<ActivationName, 'softmax'>;

function reference(z: number, activation: Elementwise): number {
  switch (activation) {
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'tanh':
      return Math.tanh(z);
    case 'relu':
      return Math.max(0, z);
    case 'leaky-relu':
      return z > 0 ? z : ALPHA * z;
    case 'linear':
      return z;
  }
}

/** Entries that reach every branch: both signs of zero, tiny, huge, infinities, NaN. */
function edgeValues(): number[] {
  return [0, -0, 1e-300, -1e-12, 3e-9, 0.5, -0.5, 1, -2, 19, -21, 25, 700, -709.5, 710, -745, 800, -800, Infinity, -Infinity, NaN];
}

for (const K of kernelSetsUnderTest()) {
  const exact = K.name === 'plain' || K.name === 'packed-ts';
  for (const activation of ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'linear'] as Elementwise[]) {
    test(`${K.name}: Z += b then A = ${activation}(Z), over random and edge entries`, () => {
      const n = 5;
      const m = 131;
      const Z = mat(n, m, 7);
      for (let i = 0; i < Z.data.length; i++) Z.data[i] *= 8;
      const edges = edgeValues();
      edges.forEach((v, i) => (Z.data[i] = v));
      const b = mat(n, 1, 8);
      b.data[0] = 0; // row 0 keeps the edge values as they are
      const z0 = Z.data.slice();
      const A: Matrix = { rows: n, cols: m, data: new Float64Array(n * m) };
      K.biasActivation(Z, b, A, activation, ALPHA);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          const k = i * m + j;
          const zWant = z0[k] + b.data[i];
          assert.ok(Object.is(Z.data[k], zWant), `Z[${i}][${j}] = ${Z.data[k]}, expected ${zWant}`);
          const want = reference(zWant, activation);
          const got = A.data[k];
          if (Number.isNaN(want) || want === 0 || !Number.isFinite(want) || exact) {
            assert.ok(Object.is(got, want) || (got === want && exact === false), `${activation}(${zWant}) = ${got}, expected ${want}`);
          } else {
            // 4 ulp: the WebAssembly exp/expm1 are within 3 of Math's.
            assert.ok(Math.abs(got - want) <= 4 * EPS * Math.abs(want), `${activation}(${zWant}) = ${got}, expected ${want}`);
          }
        }
      }
    });

    test(`${K.name}: dZ = dA * ${activation}'(Z) as the course's *_backward`, () => {
      const Z = mat(3, 40, 9);
      const A: Matrix = { rows: 3, cols: 40, data: Z.data.map((z) => reference(z, activation)) };
      Z.data[0] = 0; // relu: z = 0 is the flat side
      const dA = mat(3, 40, 10);
      const dZ: Matrix = { rows: 3, cols: 40, data: new Float64Array(120) };
      K.activationBackward(dA, Z, A, dZ, activation, ALPHA);
      for (let k = 0; k < 120; k++) {
        const a = A.data[k];
        const want =
          activation === 'sigmoid' ? dA.data[k] * a * (1 - a)
          : activation === 'tanh' ? dA.data[k] * (1 - a * a)
          : activation === 'relu' ? (Z.data[k] <= 0 ? 0 : dA.data[k])
          : activation === 'leaky-relu' ? (Z.data[k] <= 0 ? ALPHA * dA.data[k] : dA.data[k])
          : dA.data[k];
        assert.ok(Object.is(dZ.data[k], want), `dZ[${k}] = ${dZ.data[k]}, expected ${want}`);
      }
    });
  }

  test(`${K.name}: Z += b then A = softmax(Z), each column summing to 1, and its backward`, () => {
    const Z = mat(4, 30, 21);
    const b = mat(4, 1, 22);
    const z0 = Z.data.slice();
    const A: Matrix = { rows: 4, cols: 30, data: new Float64Array(120) };
    K.biasActivation(Z, b, A, 'softmax', ALPHA);
    const dA = mat(4, 30, 23);
    const dZ: Matrix = { rows: 4, cols: 30, data: new Float64Array(120) };
    K.activationBackward(dA, Z, A, dZ, 'softmax', ALPHA);
    for (let j = 0; j < 30; j++) {
      // The course's softmax, t = exp(z - max(z)), a = t / sum(t), and dz = a * (da - sum(da * a)).
      const z = [0, 1, 2, 3].map((i) => z0[i * 30 + j] + b.data[i]);
      const t = z.map((v) => Math.exp(v - Math.max(...z)));
      const sum = t.reduce((x, y) => x + y);
      const a = t.map((v) => v / sum);
      const dot = a.reduce((x, v, i) => x + dA.data[i * 30 + j] * v, 0);
      for (let i = 0; i < 4; i++) {
        assert.ok(Object.is(Z.data[i * 30 + j], z[i]), `Z[${i}][${j}]`);
        assert.ok(Math.abs(A.data[i * 30 + j] - a[i]) <= 2 * EPS, `A[${i}][${j}] = ${A.data[i * 30 + j]}, expected ${a[i]}`);
        assert.ok(Math.abs(dZ.data[i * 30 + j] - a[i] * (dA.data[i * 30 + j] - dot)) <= 4 * EPS, `dZ[${i}][${j}]`);
      }
    }
  });

  test(`${K.name}: a bias of the wrong shape is named`, () => {
    const Z = mat(4, 100, 1);
    assert.throws(() => K.biasActivation(Z, mat(1, 4, 2), Z, 'tanh', ALPHA), /b must be \(4, 1\); found \(1, 4\)/);
  });
}

// The WebAssembly tanh and sigmoid compute exp themselves: over many inputs (not only the edges
// above), every entry stays within the 4·EPS·|Math's| the test above allows (measured: 2.9·EPS).
for (const K of kernelSetsUnderTest().filter((k) => k.name.startsWith('wasm'))) {
  for (const activation of ['tanh', 'sigmoid'] as Elementwise[]) {
    test(`${K.name}: ${activation} of 100,000 entries across its whole range, within 4·EPS relative of Math's`, () => {
      const m = 20_000;
      const Z = mat(5, m, 41);
      // Rows: |z| < 1, < 4, < 20, < 800, and < 1e-3 (where tanh(z) ≈ z, 1 - tanh's relative accuracy).
      const scales = [1, 4, 20, 800, 1e-3];
      for (let i = 0; i < 5; i++) for (let j = 0; j < m; j++) Z.data[i * m + j] *= scales[i];
      const z0 = Z.data.slice();
      const A: Matrix = { rows: 5, cols: m, data: new Float64Array(5 * m) };
      K.biasActivation(Z, { rows: 5, cols: 1, data: new Float64Array(5) }, A, activation, ALPHA);
      for (let k = 0; k < z0.length; k++) {
        const want = reference(z0[k], activation);
        const got = A.data[k];
        assert.ok(Object.is(got, want) || Math.abs(got - want) <= 4 * EPS * Math.abs(want), `${activation}(${z0[k]}) = ${got}, expected ${want}`);
      }
    });
  }

  test(`${K.name}: Z and A pinned (as training allocates them), copied, mixed or one matrix: the same bits`, () => {
    for (const activation of ['tanh', 'sigmoid'] as Elementwise[]) {
      const Z = mat(4, 400, 43);
      const b = mat(4, 1, 44);
      const A: Matrix = { rows: 4, cols: 400, data: new Float64Array(1600) };
      const Zp = K.pin(Z);
      const Ap = K.pin({ rows: 4, cols: 400, data: new Float64Array(1600) });
      K.biasActivation(Z, b, A, activation, ALPHA);
      K.biasActivation(Zp, b, Ap, activation, ALPHA);
      assert.deepEqual(Zp.data, Z.data);
      assert.deepEqual(Ap.data, A.data);
      // A pinned Z with a copied A, and the reverse.
      const A2: Matrix = { rows: 4, cols: 400, data: new Float64Array(1600) };
      const Zp2 = K.pin(mat(4, 400, 43));
      K.biasActivation(Zp2, b, A2, activation, ALPHA);
      assert.deepEqual(A2.data, A.data);
      const Ap2 = K.pin({ rows: 4, cols: 400, data: new Float64Array(1600) });
      K.biasActivation(mat(4, 400, 43), b, Ap2, activation, ALPHA);
      assert.deepEqual(Ap2.data, A.data);
      // A = Z: the activation overwrites the biased Z, copied or pinned.
      const Z3 = mat(4, 400, 43);
      K.biasActivation(Z3, b, Z3, activation, ALPHA);
      assert.deepEqual(Z3.data, A.data);
      const Zp3 = K.pin(mat(4, 400, 43));
      K.biasActivation(Zp3, b, Zp3, activation, ALPHA);
      assert.deepEqual(Zp3.data, A.data);
      for (const P of [Zp3, Ap2, Zp2, Ap, Zp]) K.release(P);
    }
  });

}
