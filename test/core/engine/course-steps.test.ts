// The dense engine's course functions against the printed outputs of the course's assignment
// "Building your Deep Neural Network: Step by Step" (Neural Networks and Deep Learning, week 4),
// 2021 revision of the notebook: a reference this repository did not compute, beside the numpy
// fixtures of math.test.ts.
//
// The inputs are the notebook's test cases' own draws (np.random.seed(s), then np.random.randn in
// order), made again by test/fixtures/engine/gen_step_by_step_inputs.py, which computes nothing
// else; the two initialisation cells draw inside the course's functions, which the engine's seeded
// initialiser does too. Every expected number is the cell's "Expected output", typed in and
// compared at its printed precision (8 decimals).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVATION_FNS } from '../../../src/core/kernels/activations';
import { costBackward } from '../../../src/core/engine/costs';
import { initializeParametersDeep } from '../../../src/core/engine/init';
import {
  createWorkspace,
  lModelForward,
  linearActivationBackward,
  linearActivationForward,
  linearBackward,
  linearForward,
  makeLayerCache,
  updateParameters,
  type LayerCache,
} from '../../../src/core/engine/model';
import { networkOf, type EngineLayer } from '../../../src/core/engine/network';
import { RandomState } from '../../../src/core/rng';
import { plainKernels } from '../../../src/core/kernels/plain';
import type { Activation } from '../../../src/core/format/types';
import type { Matrix } from '../../../src/core/matrix';
import { fixture, fromRows, makeSpec, zeros } from './helpers';
import { assertPrinted } from './printed';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const inputs = fixture<Record<string, any>>('step-by-step-inputs.json');
const kernels = plainKernels;

const layer = (activation: Activation): EngineLayer => ({ units: 1, activation, alpha: 0.01, batchNorm: false });

function seeded(seed: number) {
  const rng = new RandomState(seed);
  return (out: Float64Array) => out.set(rng.randnArray(out.length));
}

test('initialize_parameters (two-layer, (3, 2, 1), seed 1, randn × 0.01): the Expected output of W1, b1, W2, b2', () => {
  const p = initializeParametersDeep([3, 2, 1], 'random', 0.01, seeded(1));
  assertPrinted(p.get('W1')!.data, '[[ 0.01624345 -0.00611756 -0.00528172] [-0.01072969  0.00865408 -0.02301539]]', 'W1');
  assertPrinted(p.get('b1')!.data, '[[0.] [0.]]', 'b1');
  assertPrinted(p.get('W2')!.data, '[[ 0.01744812 -0.00761207]]', 'W2');
  assertPrinted(p.get('b2')!.data, '[[0.]]', 'b2');
});

test('initialize_parameters_deep([5, 4, 3]) (seed 3, randn × 0.01): the Expected output of W1, b1, W2, b2', () => {
  const p = initializeParametersDeep([5, 4, 3], 'random', 0.01, seeded(3));
  assertPrinted(
    p.get('W1')!.data,
    `[[ 0.01788628  0.0043651   0.00096497 -0.01863493 -0.00277388]
      [-0.00354759 -0.00082741 -0.00627001 -0.00043818 -0.00477218]
      [-0.01313865  0.00884622  0.00881318  0.01709573  0.00050034]
      [-0.00404677 -0.0054536  -0.01546477  0.00982367 -0.01101068]]`,
    'W1',
  );
  assertPrinted(p.get('b1')!.data, '[[0.] [0.] [0.] [0.]]', 'b1');
  assertPrinted(
    p.get('W2')!.data,
    `[[-0.01185047 -0.0020565   0.01486148  0.00236716]
      [-0.01023785 -0.00712993  0.00625245 -0.00160513]
      [-0.00768836 -0.00230031  0.00745056  0.01976111]]`,
    'W2',
  );
  assertPrinted(p.get('b2')!.data, '[[0.] [0.] [0.]]', 'b2');
});

test('linear_forward: the Expected output Z = [[ 3.26295337 -1.23429987]]', () => {
  const { A, W, b } = inputs.linearForward;
  const cache = makeLayerCache(fromRows(W), fromRows(b), zeros(1, 2));
  const [Z] = linearForward(fromRows(A), cache.W, cache.b, cache, kernels);
  assertPrinted(Z.data, '[[ 3.26295337 -1.23429987]]', 'Z');
});

test('linear_activation_forward: the Expected output with sigmoid and with ReLU', () => {
  const { Aprev, W, b } = inputs.linearActivationForward;
  for (const [activation, expected] of [
    ['sigmoid', '[[0.96890023 0.11013289]]'],
    ['relu', '[[3.43896131 0.        ]]'],
  ] as const) {
    const cache = makeLayerCache(fromRows(W), fromRows(b), zeros(1, 2));
    const [A] = linearActivationForward(fromRows(Aprev), cache.W, cache.b, layer(activation), cache, kernels);
    assertPrinted(A.data, expected, `With ${activation}: A`);
  }
});

test('L_model_forward (two hidden ReLU layers, a sigmoid output): the Expected output AL', () => {
  const c = inputs.lModelForward;
  const net = networkOf(makeSpec({ layerDims: [5, 4, 3, 1], activations: ['relu', 'relu', 'sigmoid'], loss: 'binary-cross-entropy' }));
  const parameters = new Map(['W1', 'b1', 'W2', 'b2', 'W3', 'b3'].map((k) => [k, fromRows(c[k])]));
  const ws = createWorkspace(net, parameters, 4, false);
  const [AL, caches] = lModelForward(fromRows(c.X), net, ws, kernels);
  assertPrinted(AL.data, '[[0.03921668 0.70498921 0.19734387 0.04728177]]', 'AL');
  assert.equal(caches.length, 3);
});

test('linear_backward: the Expected output dA_prev, dW and db', () => {
  const { dZ, A, W, b } = inputs.linearBackward;
  const cache = makeLayerCache(fromRows(W), fromRows(b), zeros(3, 4));
  cache.Aprev = fromRows(A);
  const grads = { dW: zeros(3, 5), db: zeros(3, 1) };
  const dAprev = zeros(5, 4);
  linearBackward(fromRows(dZ), cache, grads, dAprev, kernels);
  assertPrinted(
    dAprev.data,
    `[[-1.15171336  0.06718465 -0.3204696   2.09812712]
      [ 0.60345879 -3.72508701  5.81700741 -3.84326836]
      [-0.4319552  -1.30987417  1.72354705  0.05070578]
      [-0.38981415  0.60811244 -1.25938424  1.47191593]
      [-2.52214926  2.67882552 -0.67947465  1.48119548]]`,
    'dA_prev',
  );
  assertPrinted(
    grads.dW.data,
    `[[ 0.07313866 -0.0976715  -0.87585828  0.73763362  0.00785716]
      [ 0.85508818  0.37530413 -0.59912655  0.71278189 -0.58931808]
      [ 0.97913304 -0.24376494 -0.08839671  0.55151192 -0.10290907]]`,
    'dW',
  );
  assertPrinted(grads.db.data, '[[-0.14713786] [-0.11313155] [-0.13209101]]', 'db');
});

/**
 * The course's cache ((A_prev, W, b), Z) as the engine's: A = g(Z) is kept too, since the engine's
 * sigmoid' is computed from it.
 */
function courseCache(Aprev: number[][], W: number[][], b: number[][], Z: number[][], activation: Activation): LayerCache {
  const z = fromRows(Z);
  const cache = makeLayerCache(fromRows(W), fromRows(b), zeros(z.rows, z.cols));
  cache.Aprev = fromRows(Aprev);
  cache.Z = z;
  ACTIVATION_FNS[activation].forward(z, cache.A, 0.01);
  return cache;
}

function backward(dA: Matrix, cache: LayerCache, activation: Activation, withDAprev = true) {
  const grads = { dW: zeros(cache.W.rows, cache.W.cols), db: zeros(cache.b.rows, 1) };
  const dAprev = withDAprev ? zeros(cache.Aprev.rows, cache.Aprev.cols) : undefined;
  linearActivationBackward(dA, cache, layer(activation), zeros(dA.rows, dA.cols), grads, dAprev, kernels);
  return { ...grads, dAprev: dAprev! };
}

test('linear_activation_backward: the Expected output with sigmoid and with relu', () => {
  const c = inputs.linearActivationBackward;
  const sigmoid = backward(fromRows(c.dA), courseCache(c.A, c.W, c.b, c.Z, 'sigmoid'), 'sigmoid');
  assertPrinted(sigmoid.dAprev.data, '[[ 0.11017994  0.01105339] [ 0.09466817  0.00949723] [-0.05743092 -0.00576154]]', 'With sigmoid: dA_prev');
  assertPrinted(sigmoid.dW.data, '[[ 0.10266786  0.09778551 -0.01968084]]', 'With sigmoid: dW');
  assertPrinted(sigmoid.db.data, '[[-0.05729622]]', 'With sigmoid: db');
  const relu = backward(fromRows(c.dA), courseCache(c.A, c.W, c.b, c.Z, 'relu'), 'relu');
  assertPrinted(relu.dAprev.data, '[[ 0.44090989  0.        ] [ 0.37883606  0.        ] [-0.2298228   0.        ]]', 'With relu: dA_prev');
  assertPrinted(relu.dW.data, '[[ 0.44513824  0.37371418 -0.10478989]]', 'With relu: dW');
  assertPrinted(relu.db.data, '[[-0.20837892]]', 'With relu: db');
});

test("L_model_backward: the Expected output dA0, dA1, dW1, dW2, db1, db2 (through the course's dAL)", () => {
  // The test case draws AL apart from Z2, so AL ≠ sigmoid(Z2): the engine's lModelBackward, which
  // starts from dZ[L] = AL − Y (true only when AL = sigmoid(Z[L])), would not apply. This runs the
  // course's own chain instead: dAL = -(Y/AL − (1−Y)/(1−AL)), then linear_activation_backward with
  // sigmoid for layer 2 and with relu for layer 1.
  const c = inputs.lModelBackward;
  const AL = fromRows(c.AL);
  const dAL = zeros(1, 2);
  costBackward(AL, fromRows(c.Y), 'binary-cross-entropy', dAL);
  const layer2 = backward(dAL, courseCache(c.A2, c.W2, c.b2, c.Z2, 'sigmoid'), 'sigmoid');
  const layer1 = backward(layer2.dAprev, courseCache(c.A1, c.W1, c.b1, c.Z1, 'relu'), 'relu');
  assertPrinted(
    layer1.dAprev.data,
    `[[ 0.          0.52257901]
      [ 0.         -0.3269206 ]
      [ 0.         -0.32070404]
      [ 0.         -0.74079187]]`,
    'dA0',
  );
  assertPrinted(layer2.dAprev.data, '[[ 0.12913162 -0.44014127] [-0.14175655  0.48317296] [ 0.01663708 -0.05670698]]', 'dA1');
  assertPrinted(
    layer1.dW.data,
    `[[0.41010002 0.07807203 0.13798444 0.10502167]
      [0.         0.         0.         0.        ]
      [0.05283652 0.01005865 0.01777766 0.0135308 ]]`,
    'dW1',
  );
  assertPrinted(layer2.dW.data, '[[-0.39202432 -0.13325855 -0.04601089]]', 'dW2');
  assertPrinted(layer1.db.data, '[[-0.22007063] [ 0.        ] [-0.02835349]]', 'db1');
  assertPrinted(layer2.db.data, '[[0.15187861]]', 'db2');
});

test('update_parameters (α = 0.1): the Expected output W1, b1, W2, b2', () => {
  const c = inputs.updateParameters;
  const net = networkOf(makeSpec({ layerDims: [4, 3, 1], activations: ['relu', 'sigmoid'], loss: 'binary-cross-entropy' }));
  const parameters = new Map(['W1', 'b1', 'W2', 'b2'].map((k) => [k, fromRows(c[k])]));
  const ws = createWorkspace(net, parameters, 1, false);
  ws.grads.forEach((g, l) => {
    g.dW.data.set(fromRows(c[`dW${l + 1}`]).data);
    g.db.data.set(fromRows(c[`db${l + 1}`]).data);
  });
  updateParameters(ws, c.learningRate);
  assertPrinted(
    parameters.get('W1')!.data,
    `[[-0.59562069 -0.09991781 -2.14584584  1.82662008]
      [-1.76569676 -0.80627147  0.51115557 -1.18258802]
      [-1.0535704  -0.86128581  0.68284052  2.20374577]]`,
    'W1',
  );
  assertPrinted(parameters.get('b1')!.data, '[[-0.04659241] [-1.28888275] [ 0.53405496]]', 'b1');
  assertPrinted(parameters.get('W2')!.data, '[[-0.55569196  0.0354055   1.32964895]]', 'W2');
  assertPrinted(parameters.get('b2')!.data, '[[-0.84610769]]', 'b2');
});
