// Gradient checking on networks with conv, pool, flatten and residual layers: backpropagation
// agrees with two-sided differences for every parameter key (W<l>, b<l>, Ws<l>, bs<l>), and a conv
// backward that is wrong but keeps every shape is caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import { gradientCheck } from '../../../src/core/engine/gradcheck';
import { networkOf, parameterKeys, parameterShape } from '../../../src/core/engine/network';
import type { Parameters } from '../../../src/core/engine/types';
import type { Spec } from '../../../src/core/format/types';
import { packedKernels } from '../../../src/core/kernels/packed';
import type { Kernels } from '../../../src/core/kernels/types';
import { zeros, type Matrix } from '../../../src/core/matrix';

/** Deterministic, irregular values in about (-scale, scale), independent of the engine's generator. */
function filled(rows: number, cols: number, salt: number, scale = 1): Matrix {
  const M = zeros(rows, cols);
  for (let k = 0; k < M.data.length; k++) M.data[k] = scale * Math.sin(12.9898 * (k + 1) + 78.233 * salt);
  return M;
}

function specOf(doc: object): Spec {
  const r = checkText(JSON.stringify(doc));
  assert.deepEqual(r.problems.filter((p) => p.severity === 'error').map((p) => p.message), []);
  return r.spec!;
}

// tanh and sigmoid keep the cost smooth: ReLU's kink at 0 and max pooling's ties are where two-sided
// differences disagree with any backward pass, whatever its quality.
const network = {
  input: { shape: [6, 5, 2] },
  layers: [
    { type: 'conv', filters: 3, size: 3, padding: 'same', activation: 'tanh' },
    { type: 'pool', mode: 'max', size: 2 },
    {
      type: 'residual',
      layers: [
        { type: 'conv', filters: 4, size: 2, stride: 1, padding: 'same', activation: 'tanh' },
        { type: 'conv', filters: 4, size: [3, 1], padding: 'same', activation: 'sigmoid' },
      ],
      shortcut: { type: 'conv', filters: 4, size: 1, stride: 1 },
    },
    { type: 'pool', mode: 'average', size: 2, stride: 1 },
    { type: 'flatten' },
    { units: 3, activation: 'softmax' },
  ],
  training: { l2: 0.3 },
};

function setup(): { spec: Spec; parameters: Parameters; X: Matrix; Y: Matrix } {
  const spec = specOf(network);
  const net = networkOf(spec);
  const parameters: Parameters = new Map();
  parameterKeys(net).forEach((key, i) => {
    const [rows, cols] = parameterShape(net, key)!;
    parameters.set(key, filled(rows, cols, i + 1, key[0] === 'W' ? 0.6 : 0.2));
  });
  const m = 4;
  const X = filled(spec.inputUnits, m, 99, 1);
  const Y = zeros(3, m);
  for (let j = 0; j < m; j++) Y.data[(j % 3) * m + j] = 1;
  return { spec, parameters, X, Y };
}

test('gradient check passes on a conv network with max and average pools, a residual block with a shortcut, and L2', () => {
  const { spec, parameters, X, Y } = setup();
  const r = gradientCheck(spec, parameters, X, Y, { kernels: packedKernels });
  assert.ok(r.passed, `difference ${r.difference}; worst ${JSON.stringify(r.worst)}`);
  assert.ok(r.difference < 1e-7, `difference ${r.difference}`);
  // Every key was checked: W1, b1, W3, b3, W4, b4, Ws4, bs4, W7, b7.
  assert.equal(r.total, [...parameters.values()].reduce((s, M) => s + M.data.length, 0));
  assert.equal(r.checked, r.total);
});

test("gradient check fails when a conv layer's dA_prev is wrong though every shape is right", () => {
  const { spec, parameters, X, Y } = setup();
  // dcols = dZ·Wᵀ is the only product whose second operand is a conv W (f_H·f_W·n_C[l-1] rows, n_C
  // columns): halve it there, so the layers below the second conv get a wrong gradient.
  const convW = new Set(['W3', 'W4', 'Ws4'].map((k) => parameters.get(k)!.data));
  const broken: Kernels = {
    ...packedKernels,
    name: 'broken',
    matmulTransB(A, B, C) {
      packedKernels.matmulTransB(A, B, C);
      if (convW.has(B.data)) for (let k = 0; k < C.data.length; k++) C.data[k] *= 0.5;
    },
  };
  const r = gradientCheck(spec, parameters, X, Y, { kernels: broken });
  assert.equal(r.passed, false);
  assert.ok(r.difference > 1e-3, `difference ${r.difference}`);
  // The worst entries are below the broken products (layers 1 and 3), none in the output layer.
  for (const e of r.worst) assert.match(e.name, /^(W1|b1|W3|b3)$/);
});

test('max-pool ties are kinks: entries that move a tied maximum are left out, named, and the rest pass', () => {
  // X's 2×2 windows each hold one value four times, so a 1×1 linear conv keeps every window tied.
  // The course's mask passes a window's gradient to all four tied entries, four times max's own
  // (numeric) derivative: without the exclusion, W1 and b1 disagree by a factor near 4.
  const spec = specOf({
    input: { shape: [4, 4, 1] },
    layers: [
      { type: 'conv', filters: 1, size: 1, activation: 'linear' },
      { type: 'pool', mode: 'max', size: 2 },
      { type: 'flatten' },
      { units: 1, activation: 'sigmoid' },
    ],
  });
  const m = 3;
  const X = zeros(16, m);
  for (let j = 0; j < m; j++) {
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) X.data[(y * 4 + x) * m + j] = 0.3 * (j + 1) * (1 + Math.floor(y / 2) * 2 + Math.floor(x / 2));
  }
  const Y = zeros(1, m);
  Y.data[1] = 1;
  const parameters: Parameters = new Map([
    ['W1', Object.assign(filled(1, 1, 1, 0.8), { dims: [1, 1, 1, 1] })],
    ['b1', Object.assign(filled(1, 1, 2, 0.2), { dims: [1, 1, 1, 1] })],
    ['W4', filled(1, 4, 3, 0.6)],
    ['b4', filled(1, 1, 4, 0.2)],
  ]);
  const r = gradientCheck(spec, parameters, X, Y, { kernels: packedKernels });
  // W1 and b1 move every tied maximum; W4 and b4 come after the pool and are compared.
  assert.equal(r.excluded, 2);
  assert.equal(r.checked, 5);
  assert.ok(r.passed, `difference ${r.difference}; worst ${JSON.stringify(r.worst)}`);
  assert.match(r.excludedReason ?? '', /the maximum of some window of max pool 2 to another entry or onto a tie/);
});

test('relu in conv layers: entries whose ±ε crosses the kink are left out, the others pass', () => {
  const relu = JSON.parse(JSON.stringify(network)) as typeof network;
  relu.layers[0] = { type: 'conv', filters: 3, size: 3, padding: 'same', activation: 'relu' };
  const spec = specOf(relu);
  const { parameters, X, Y } = setup();
  // An example of all zeros and biases of 0 put that example's Z[1] exactly on the kink: each
  // b1[c] then moves a whole channel of it across 0 (W1 multiplies zeros there and moves nothing).
  for (let i = 0; i < X.rows; i++) X.data[i * X.cols] = 0;
  parameters.get('b1')!.data.fill(0);
  const r = gradientCheck(spec, parameters, X, Y, { kernels: packedKernels });
  assert.ok(r.passed, `difference ${r.difference}; worst ${JSON.stringify(r.worst)}`);
  assert.equal(r.checked + r.excluded, r.total);
  assert.equal(r.excluded, 3, 'the three entries of b1');
  assert.match(r.excludedReason ?? '', /some entry of Z\[1\] \(relu\) across the kink at 0/);
});
