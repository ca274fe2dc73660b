// Fused bias + activation and activation backward, every kernel set, against the course's
// formulas written here with Math.tanh / Math.exp. The WebAssembly tanh and sigmoid compute
// exp themselves, so they may differ from Math's by a few ulp; nothing else may differ at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Matrix } from '../../src/core/engine/matrix';
import type { FusedActivation } from '../../src/core/kernels/types';
import { kernelSetsUnderTest, mat } from './kernels-sets';

const EPS = 2.220446049250313e-16;

function reference(z: number, activation: FusedActivation): number {
  switch (activation) {
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'tanh':
      return Math.tanh(z);
    case 'relu':
      return Math.max(0, z);
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
  for (const activation of ['sigmoid', 'tanh', 'relu', 'linear'] as FusedActivation[]) {
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
      K.biasActivation(Z, b, A, activation);
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
      K.activationBackward(dA, Z, A, dZ, activation);
      for (let k = 0; k < 120; k++) {
        const a = A.data[k];
        const want =
          activation === 'sigmoid' ? dA.data[k] * a * (1 - a)
          : activation === 'tanh' ? dA.data[k] * (1 - a * a)
          : activation === 'relu' ? (Z.data[k] <= 0 ? 0 : dA.data[k])
          : dA.data[k];
        assert.ok(Object.is(dZ.data[k], want), `dZ[${k}] = ${dZ.data[k]}, expected ${want}`);
      }
    });
  }

  test(`${K.name}: a bias of the wrong shape is named`, () => {
    const Z = mat(4, 100, 1);
    assert.throws(() => K.biasActivation(Z, mat(1, 4, 2), Z, 'tanh'), /b must be \(4, 1\); found \(1, 4\)/);
  });
}
