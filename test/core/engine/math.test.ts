// Activations, costs, the week 4 single steps and the optimisers against numpy running the course's
// code (test/fixtures/gen_engine.py), plus hand-derived values where the course publishes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVATION_FNS } from '../../../src/core/kernels/activations';
import { computeCost, costBackward } from '../../../src/core/engine/costs';
import { createWorkspace, lModelBackward, lModelForward, linearForward, updateParameters, makeLayerCache } from '../../../src/core/engine/model';
import { adam, gradientDescent, momentum, rmsprop } from '../../../src/core/engine/optimizers';
import { networkOf } from '../../../src/core/engine/network';
import { plainKernels } from '../../../src/core/kernels/plain';
import { pairwiseSum, pairwiseSumOfSquares } from '../../../src/core/kernels/sum';
import { packedKernels } from '../../../src/core/kernels/packed';
import type { Activation, Loss } from '../../../src/core/format/types';
import { assertClose, assertNear, fixture, fromRows, makeSpec, zeros } from './helpers';

const act = fixture('activations.json');

for (const c of act.cases as { activation: Activation; alpha: number; A: number[][]; dZ: number[][] }[]) {
  test(`${c.activation} (alpha ${c.alpha}): g(Z) and dA * g'(Z) match numpy`, () => {
    const Z = fromRows(act.Z);
    const dA = fromRows(act.dA);
    const A = zeros(Z.rows, Z.cols);
    const fns = ACTIVATION_FNS[c.activation];
    fns.forward(Z, A, c.alpha);
    assertClose(A, c.A, 1e-15, `${c.activation} A`);
    const dZ = zeros(Z.rows, Z.cols);
    fns.backward(dA, Z, A, dZ, c.alpha);
    assertClose(dZ, c.dZ, 1e-14, `${c.activation} dZ`);
  });
}

test('relu and leaky-relu take the flat side at z = 0, as the course does', () => {
  const Z = fromRows([[0, -0, 1e-300]]);
  const dA = fromRows([[5, 5, 5]]);
  const dZ = zeros(1, 3);
  ACTIVATION_FNS.relu.backward(dA, Z, Z, dZ, 0.01);
  assert.deepEqual(Array.from(dZ.data), [0, 0, 5]);
  ACTIVATION_FNS['leaky-relu'].backward(dA, Z, Z, dZ, 0.1);
  assert.deepEqual(Array.from(dZ.data), [0.5, 0.5, 5]);
});

test('softmax of huge scores does not overflow (the column max is subtracted)', () => {
  const Z = fromRows(act.softmaxBig.Z);
  const A = zeros(Z.rows, Z.cols);
  ACTIVATION_FNS.softmax.forward(Z, A, 0);
  assertClose(A, act.softmaxBig.A, 1e-15, 'softmax');
});

const costs = fixture('costs.json');
for (const loss of ['binary-cross-entropy', 'categorical-cross-entropy', 'mse'] as Loss[]) {
  test(`${loss}: cost and dAL match numpy`, () => {
    const c = costs[loss];
    const AL = fromRows(c.AL);
    const Y = fromRows(c.Y);
    assertNear(computeCost(AL, Y, loss, zeros(AL.rows, AL.cols), plainKernels), c.cost, 1e-15, `${loss} cost`);
    const dAL = zeros(AL.rows, AL.cols);
    costBackward(AL, Y, loss, dAL);
    assertClose(dAL, c.dAL, 1e-15, `${loss} dAL`);
  });
}

test("compute_cost on the course's test case gives its published 0.2797765635793422", () => {
  const AL = fromRows([[0.8, 0.9, 0.4]]);
  const Y = fromRows([[1, 1, 0]]);
  assertNear(computeCost(AL, Y, 'binary-cross-entropy', zeros(1, 3), plainKernels), 0.2797765635793422, 1e-15, 'cost');
});

const steps = fixture('steps.json');

test('linearForward: Z = W·A + b as numpy', () => {
  const s = steps.linearForward;
  const A = fromRows(s.A);
  const W = fromRows(s.W);
  const b = fromRows(s.b);
  const cache = makeLayerCache(W, b, zeros(1, 2));
  const [Z] = linearForward(A, W, b, cache, plainKernels);
  assertClose(Z, s.Z, 1e-14, 'Z');
});

for (const kernels of [plainKernels, packedKernels]) {
  test(`lModelForward, computeCost, lModelBackward, updateParameters (${kernels.name}): the week 4 steps match numpy`, () => {
    const s = steps.lModel;
    const spec = makeSpec({ layerDims: [5, 4, 3, 1], activations: s.activations, loss: 'binary-cross-entropy' });
    const net = networkOf(spec);
    const parameters = new Map(Object.entries(s.parameters as Record<string, number[][]>).map(([k, v]) => [k, fromRows(v)]));
    const X = fromRows(s.X);
    const Y = fromRows(s.Y);
    const ws = createWorkspace(net, parameters, 4, false);
    const [AL, caches] = lModelForward(X, net, ws, kernels);
    assertClose(AL, s.AL, 1e-13, 'AL');
    caches.forEach((c, l) => assertClose(c.Z, s.Z[l], 1e-13, `Z${l + 1}`));
    assertNear(computeCost(AL, Y, 'binary-cross-entropy', zeros(1, 4), kernels), s.cost, 1e-13, 'cost');
    const grads = lModelBackward(AL, Y, net, ws, kernels);
    grads.forEach((g, l) => {
      assertClose(g.dW, s.grads[`dW${l + 1}`], 1e-12, `dW${l + 1}`);
      assertClose(g.db, s.grads[`db${l + 1}`], 1e-12, `db${l + 1}`);
    });
    // dZ[L] = AL - Y equals the course's dAL pushed through sigmoid_backward.
    assertClose(ws.dZ[2], s.dZ3ViaDAL, 1e-12, 'dZ3');
    updateParameters(ws, s.learningRate);
    for (const [k, v] of Object.entries(s.updated as Record<string, number[][]>)) assertClose(parameters.get(k)!, v, 1e-13, k);
  });
}

const opt = fixture('optimizers.json');
for (const name of ['gd', 'momentum', 'rmsprop', 'adam'] as const) {
  test(`${name}: three steps match numpy's update_parameters_with_${name}`, () => {
    const W = fromRows(opt.W);
    const o =
      name === 'gd' ? gradientDescent(plainKernels) : name === 'momentum' ? momentum([W], 0.9) : name === 'rmsprop' ? rmsprop([W], 0.999, 1e-8) : adam([W], 0.9, 0.999, 1e-8);
    (opt.grads as number[][][]).forEach((g, t) => {
      o.step([W], [fromRows(g)], opt.learningRate);
      assertClose(W, opt.steps[name][t], 1e-14, `${name} W after step ${t + 1}`);
    });
  });
}

test("adam's first step is alpha * g / (|g| + eps), by hand: bias correction makes v̂ = g and ŝ = g²", () => {
  // Without bias correction (convnetjs's bug) the first step would be 0.1 * g / (sqrt(0.001) |g|): ~3x too big.
  const W = fromRows([[1, -2, 0.5]]);
  const g = [0.3, -4, 1e-3];
  const o = adam([W], 0.9, 0.999, 1e-8);
  o.step([W], [fromRows([g])], 0.01);
  const expected = [1, -2, 0.5].map((w, i) => w - (0.01 * g[i]) / (Math.abs(g[i]) + 1e-8));
  assertClose(W, [expected], 1e-12, 'W');
  assert.equal(o.t, 1);
});

const sums = fixture('sums.json') as { x: number[]; sum: number; sumOfSquares: number }[];
test("sums follow numpy's pairwise order to the last bit (n from 1 to 4097, magnitudes over twelve decades)", () => {
  for (const c of sums) {
    const x = Float64Array.from(c.x);
    assert.equal(pairwiseSum(x, 0, x.length), c.sum, `np.sum of ${x.length}`);
    assert.equal(pairwiseSumOfSquares(x, 0, x.length), c.sumOfSquares, `np.sum(np.square) of ${x.length}`);
  }
});

test("binary cross-entropy sums with nansum as course 2 does: AL = 1 with y = 1 adds 0, AL = 1 with y = 0 makes the cost inf", () => {
  const AL = zeros(1, 3);
  const Y = zeros(1, 3);
  AL.data.set([1, 0.5, 0]);
  Y.data.set([1, 1, 0]);
  // -(1/3)·(log 1 + log 0.5 + log 1), the two saturated terms adding 0, not NaN.
  assert.equal(computeCost(AL, Y, 'binary-cross-entropy', zeros(1, 3), plainKernels), (-1 / 3) * Math.log(0.5));
  Y.data.set([0, 1, 0]);
  assert.equal(computeCost(AL, Y, 'binary-cross-entropy', zeros(1, 3), plainKernels), Infinity);
});
