// Gradient checking (course 2 week 1): backpropagation agrees with two-sided differences for every
// activation and cost, and a broken backward pass that still has the right shapes is caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVATION_FNS, relu, sigmoid } from '../../../src/core/kernels/activations';
import { gradientCheck } from '../../../src/core/engine/gradcheck';
import { packedKernels } from '../../../src/core/kernels/packed';
import type { Matrix } from '../../../src/core/matrix';
import type { Parameters } from '../../../src/core/engine/types';
import type { Activation, Loss } from '../../../src/core/format/types';
import { makeSpec, zeros } from './helpers';

/** Deterministic, irregular values in about (-1, 1), independent of the engine's generator. */
function filled(rows: number, cols: number, salt: number, scale = 1): Matrix {
  const M = zeros(rows, cols);
  for (let k = 0; k < M.data.length; k++) M.data[k] = scale * Math.sin(12.9898 * (k + 1) + 78.233 * salt);
  return M;
}

function setup(layerDims: number[], activations: Activation[], loss: Loss, l2 = 0, batchNorm?: boolean[]) {
  const spec = makeSpec({ layerDims, activations, loss, alphas: activations.map(() => 0.05), training: { l2 }, ...(batchNorm ? { batchNorm } : {}) });
  const parameters: Parameters = new Map();
  for (let l = 1; l < layerDims.length; l++) {
    parameters.set(`W${l}`, filled(layerDims[l], layerDims[l - 1], l, 0.8));
    parameters.set(`b${l}`, filled(layerDims[l], 1, 10 + l, 0.3));
    if (batchNorm?.[l - 1]) {
      const gamma = filled(layerDims[l], 1, 20 + l, 0.5);
      gamma.data.forEach((v, i) => (gamma.data[i] = 1 + v));
      parameters.set(`gamma${l}`, gamma);
      parameters.set(`beta${l}`, filled(layerDims[l], 1, 30 + l, 0.5));
      parameters.set(`runningMean${l}`, zeros(layerDims[l], 1));
      const runningVar = zeros(layerDims[l], 1);
      runningVar.data.fill(1);
      parameters.set(`runningVar${l}`, runningVar);
    }
  }
  const m = 7;
  const X = filled(layerDims[0], m, 99, 2);
  const nL = layerDims[layerDims.length - 1];
  const Y = zeros(nL, m);
  for (let j = 0; j < m; j++) {
    if (loss === 'mse') for (let i = 0; i < nL; i++) Y.data[i * m + j] = Math.cos(i + 3 * j);
    else if (loss === 'categorical-cross-entropy') Y.data[(j % nL) * m + j] = 1;
    else for (let i = 0; i < nL; i++) Y.data[i * m + j] = (i + j) % 2;
  }
  return { spec, parameters, X, Y };
}

const cases: [string, number[], Activation[], Loss, number][] = [
  ['sigmoid hidden, bce', [3, 4, 3, 1], ['sigmoid', 'sigmoid', 'sigmoid'], 'binary-cross-entropy', 0],
  ['tanh hidden, bce', [3, 4, 3, 1], ['tanh', 'tanh', 'sigmoid'], 'binary-cross-entropy', 0],
  ['relu hidden, bce', [3, 4, 3, 1], ['relu', 'relu', 'sigmoid'], 'binary-cross-entropy', 0],
  ['leaky-relu hidden, bce', [3, 4, 3, 1], ['leaky-relu', 'leaky-relu', 'sigmoid'], 'binary-cross-entropy', 0],
  ['linear hidden, bce', [3, 4, 1], ['linear', 'sigmoid'], 'binary-cross-entropy', 0],
  ['softmax output, cce', [3, 5, 4], ['tanh', 'softmax'], 'categorical-cross-entropy', 0],
  ['linear output, mse', [3, 5, 2], ['tanh', 'linear'], 'mse', 0],
  ['sigmoid output, mse (the dAL route)', [3, 4, 2], ['relu', 'sigmoid'], 'mse', 0],
  ['softmax output, mse (the softmax Jacobian)', [3, 4, 3], ['tanh', 'softmax'], 'mse', 0],
  ['tanh output, mse', [3, 4, 1], ['sigmoid', 'tanh'], 'mse', 0],
  ['relu hidden, bce, L2 0.7', [3, 4, 3, 1], ['relu', 'relu', 'sigmoid'], 'binary-cross-entropy', 0.7],
];

const bnCases: [string, number[], Activation[], Loss, boolean[]][] = [
  ['batch norm on relu and tanh layers, bce', [3, 5, 4, 1], ['relu', 'tanh', 'sigmoid'], 'binary-cross-entropy', [true, true, false]],
  ['batch norm on every layer, softmax + cce', [3, 5, 3], ['leaky-relu', 'softmax'], 'categorical-cross-entropy', [true, true]],
  ['batch norm on the sigmoid output, bce', [3, 4, 1], ['tanh', 'sigmoid'], 'binary-cross-entropy', [false, true]],
];

for (const [name, dims, acts, loss, bn] of bnCases) {
  test(`gradient check passes: ${name} (gamma and beta included in θ)`, () => {
    const { spec, parameters, X, Y } = setup(dims, acts, loss, 0, bn);
    const r = gradientCheck(spec, parameters, X, Y, { kernels: packedKernels });
    assert.ok(r.passed, `difference ${r.difference}; worst ${JSON.stringify(r.worst[0])}`);
    const expected = dims.slice(1).reduce((s, n, i) => s + n * dims[i] + n + (bn[i] ? 2 * n : 0), 0);
    assert.equal(r.total, expected);
    assert.deepEqual(Array.from(parameters.get('runningMean' + (bn.indexOf(true) + 1))!.data).every((v) => v === 0), true, 'running averages untouched');
  });
}

for (const [name, dims, acts, loss, l2] of cases) {
  test(`gradient check passes: ${name}`, () => {
    const { spec, parameters, X, Y } = setup(dims, acts, loss, l2);
    const r = gradientCheck(spec, parameters, X, Y, { kernels: packedKernels });
    assert.ok(r.passed, `difference ${r.difference}; worst ${JSON.stringify(r.worst[0])}`);
    assert.ok(r.difference < 2e-7);
    assert.equal(r.checked, r.total);
  });
}

test('gradient check FAILS when relu backward uses the sigmoid derivative, and names the worst entry', () => {
  const { spec, parameters, X, Y } = setup([3, 4, 3, 1], ['relu', 'relu', 'sigmoid'], 'binary-cross-entropy');
  const good = relu.backward;
  // The public student copy's bug: dZ = dA * s * (1 - s) inside the ReLU branch. Shapes all check.
  relu.backward = (dA, Z, _A, dZ, alpha) => {
    const s = zeros(Z.rows, Z.cols);
    sigmoid.forward(Z, s, alpha);
    sigmoid.backward(dA, Z, s, dZ, alpha);
  };
  try {
    const r = gradientCheck(spec, parameters, X, Y, { kernels: packedKernels });
    assert.equal(r.passed, false);
    assert.ok(r.difference > 1e-3, `difference ${r.difference}`);
    const w = r.worst[0];
    assert.match(w.name, /^[Wb][12]$/, 'the broken layers are 1 and 2');
    assert.ok(Math.abs(w.analytic - w.numeric) > 1e-4);
    assert.ok(w.row >= 0 && w.col >= 0);
  } finally {
    relu.backward = good;
  }
});

test('gradient check leaves the parameters exactly as it found them', () => {
  const { spec, parameters, X, Y } = setup([3, 4, 1], ['tanh', 'sigmoid'], 'binary-cross-entropy');
  const before = [...parameters].map(([k, M]) => [k, Array.from(M.data)]);
  gradientCheck(spec, parameters, X, Y, { kernels: packedKernels });
  assert.deepEqual([...parameters].map(([k, M]) => [k, Array.from(M.data)]), before);
});

test('maxEntries gives each W an equal share, spread over rows and columns, and keeps every bias', () => {
  const { spec, parameters, X, Y } = setup([40, 8, 3, 1], ['tanh', 'tanh', 'sigmoid'], 'binary-cross-entropy');
  const r = gradientCheck(spec, parameters, X, Y, { kernels: packedKernels, maxEntries: 42, report: 1000 });
  assert.equal(r.total, 40 * 8 + 8 + 8 * 3 + 3 + 3 + 1);
  const count = (name: string) => r.worst.filter((e) => e.name === name).length;
  // 42 - 12 biases = 30 for weights, 10 per W: W1 (320 entries) sampled, W2 (24) sampled, W3 (3) whole.
  assert.equal(count('W1'), 10);
  assert.equal(count('W3'), 3);
  assert.ok(count('W2') >= 8 && count('W2') <= 12);
  assert.equal(count('b1') + count('b2') + count('b3'), 12);
  assert.ok(new Set(r.worst.filter((e) => e.name === 'W1').map((e) => e.col)).size > 1, 'W1 samples span several columns');
  assert.ok(r.passed);
});

/** Runs `body` with activation `act`'s backward giving 1.5 times the right dZ: a wrong derivative, same shapes. */
function withBrokenBackward(act: Activation, body: () => void): void {
  const fns = ACTIVATION_FNS[act];
  const good = fns.backward;
  fns.backward = (dA, Z, A, dZ, alpha) => {
    good(dA, Z, A, dZ, alpha);
    for (let k = 0; k < dZ.data.length; k++) dZ.data[k] *= 1.5;
  };
  try {
    body();
  } finally {
    fns.backward = good;
  }
}

const broken: [Activation, number[], Activation[], Loss][] = [
  ['sigmoid', [3, 4, 3, 1], ['sigmoid', 'sigmoid', 'sigmoid'], 'binary-cross-entropy'],
  ['tanh', [3, 4, 3, 1], ['tanh', 'tanh', 'sigmoid'], 'binary-cross-entropy'],
  ['relu', [3, 4, 3, 1], ['relu', 'relu', 'sigmoid'], 'binary-cross-entropy'],
  ['leaky-relu', [3, 4, 3, 1], ['leaky-relu', 'leaky-relu', 'sigmoid'], 'binary-cross-entropy'],
  ['linear', [3, 4, 2], ['linear', 'linear'], 'mse'],
  // With mse the softmax output's backward is used (the softmax Jacobian), not AL − Y.
  ['softmax', [3, 4, 3], ['tanh', 'softmax'], 'mse'],
];
for (const [act, dims, acts, loss] of broken) {
  test(`gradient check FAILS when ${act}'s backward is wrong`, () => {
    const { spec, parameters, X, Y } = setup(dims, acts, loss);
    withBrokenBackward(act, () => {
      const r = gradientCheck(spec, parameters, X, Y, { kernels: packedKernels });
      assert.equal(r.passed, false, `difference ${r.difference}`);
      assert.ok(r.difference > 1e-2, `difference ${r.difference}`);
    });
  });
}

test('entries whose ±ε crosses a relu kink are left out and counted: inputs and biases of exactly 0 pass', () => {
  // Example 0 at the origin and zero biases: Z[1] of that example is exactly 0, and each b1 ± ε crosses the kink.
  const { spec, parameters, X, Y } = setup([3, 4, 3, 1], ['relu', 'relu', 'sigmoid'], 'binary-cross-entropy');
  for (let i = 0; i < X.rows; i++) X.data[i * X.cols] = 0;
  for (const key of ['b1', 'b2', 'b3']) parameters.get(key)!.data.fill(0);
  const r = gradientCheck(spec, parameters, X, Y, { kernels: packedKernels });
  assert.ok(r.passed, `difference ${r.difference}`);
  assert.ok(r.excluded >= 4, `excluded ${r.excluded}`);
  assert.equal(r.checked + r.excluded, r.total);
  assert.match(r.excludedReason!, /^their ±ε moved some entry of Z\[1\] \(relu\)(, Z\[2\] \(relu\))? across the kink at 0/);
  assert.ok(r.layers[0].excluded >= 4);
  assert.equal(r.layers.reduce((s, l) => s + l.excluded, 0), r.excluded);
  // The kink still hides no mistake: with relu's backward broken the check fails.
  withBrokenBackward('relu', () => assert.equal(gradientCheck(spec, parameters, X, Y, { kernels: packedKernels }).passed, false));
});

test('smooth activations leave nothing out', () => {
  const { spec, parameters, X, Y } = setup([3, 4, 3, 1], ['tanh', 'sigmoid', 'sigmoid'], 'binary-cross-entropy');
  const r = gradientCheck(spec, parameters, X, Y, { kernels: packedKernels });
  assert.equal(r.excluded, 0);
  assert.equal(r.excludedReason, undefined);
});

test('the difference per layer points at the broken layer: above it agrees, below it the error propagates', () => {
  const { spec, parameters, X, Y } = setup([3, 4, 3, 1], ['sigmoid', 'tanh', 'sigmoid'], 'binary-cross-entropy');
  withBrokenBackward('tanh', () => {
    const r = gradientCheck(spec, parameters, X, Y, { kernels: packedKernels });
    assert.deepEqual(r.layers.map((l) => l.layer), [1, 2, 3]);
    assert.ok(r.layers[2].difference < 2e-7, `layer 3: ${r.layers[2].difference}`);
    assert.ok(r.layers[1].difference > 1e-2, `layer 2: ${r.layers[1].difference}`);
    assert.ok(r.layers[0].difference > 1e-2, `layer 1: ${r.layers[0].difference}`);
  });
});
