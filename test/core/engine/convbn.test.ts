// Batch norm per channel and dropout in conv networks against the numpy reimplementation in
// test/fixtures/conv/gen_conv.py (batchnorm.json: one training pass and one prediction pass each;
// the seeded training runs are in training.json, which convnet.test.ts runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import { createGraphRun, graphRunForward, valuesPerExample } from '../../../src/core/engine/convnet';
import { gradientCheck } from '../../../src/core/engine/gradcheck';
import { costOf, createWorkspace, gradientsByKey, lModelBackward, lModelForward } from '../../../src/core/engine/model';
import { networkOf, parameterDims, parameterKeys, parameterShape, stateKeys } from '../../../src/core/engine/network';
import { parseParameters, serializeParameters } from '../../../src/core/engine/params';
import { createRandom } from '../../../src/core/engine/random';
import { untrainable } from '../../../src/core/engine/trainable';
import type { Parameters } from '../../../src/core/engine/types';
import type { Spec } from '../../../src/core/format/types';
import { zeros, type Matrix } from '../../../src/core/matrix';
import { plainKernels } from '../../../src/core/kernels/plain';
import { chooseKernels } from '../../../src/node/kernels';
import { assertTensor, convFixture, type Tensor } from './conv-helpers';

const cases = convFixture('batchnorm.json');

function specOf(doc: object): Spec {
  const r = checkText(JSON.stringify(doc));
  assert.deepEqual(r.problems.filter((p) => p.severity === 'error').map((p) => p.message), []);
  return r.spec!;
}

function matrixOf(t: Tensor, rows: number, cols: number): Matrix {
  assert.equal(rows * cols, t.data.length);
  return { rows, cols, data: Float64Array.from(t.data) };
}

function parametersOf(spec: Spec, given: Record<string, Tensor>): Parameters {
  const net = networkOf(spec);
  return new Map(Object.entries(given).map(([key, t]) => {
    const [rows, cols] = parameterShape(net, key)!;
    return [key, matrixOf(t, rows, cols)];
  }));
}

for (const c of cases) {
  test(`batch norm and dropout as numpy's: ${c.name}`, () => {
    const spec = specOf({ input: { shape: c.input }, layers: c.layers, loss: c.loss });
    const net = networkOf(spec);
    const X = matrixOf(c.X, c.X.shape[0], c.X.shape[1]);
    const Y = matrixOf(c.Y, c.Y.shape[0], c.Y.shape[1]);
    assert.deepEqual([...parameterKeys(net), ...stateKeys(net)].sort(), Object.keys(c.params).sort());
    for (const kernels of [plainKernels, chooseKernels().kernels]) {
      const parameters = parametersOf(spec, c.params);
      const rng = createRandom(c.maskSeed);
      const ws = createWorkspace(net, parameters, X.cols, c.keepProb < 1);
      const pass = { keepProb: c.keepProb, l2: 0, uniform: (o: Float64Array) => rng.rand(o), statistics: 'batch' as const, updateRunning: true };
      const [AL] = lModelForward(X, net, ws, kernels, pass);
      assertTensor(AL.data, c.AL, `${kernels.name}: AL`);
      assert.ok(Math.abs(costOf(AL, Y, net, ws, kernels) - c.cost) <= 1e-12 * Math.abs(c.cost), `${kernels.name}: cost`);
      lModelBackward(AL, Y, net, ws, kernels, pass);
      const grads = gradientsByKey(ws);
      assert.deepEqual([...grads.keys()].map((k) => `d${k}`).sort(), Object.keys(c.grads).sort());
      for (const [key, G] of grads) assertTensor(G.data, c.grads[`d${key}`], `${kernels.name}: d${key}`);
      for (const key of Object.keys(c.running)) assertTensor(parameters.get(key)!.data, c.running[key], `${kernels.name}: ${key} after the pass`);

      // Prediction normalises with the running averages it was given, and drops nothing out.
      const given = parametersOf(spec, c.params);
      const [ALpredict] = lModelForward(X, net, createWorkspace(net, given, X.cols, false), kernels);
      assertTensor(ALpredict.data, c.ALpredict, `${kernels.name}: AL in prediction`);
    }
  });
}

test('gradient check passes on conv networks with batch norm, batch statistics (gamma and beta in θ)', () => {
  for (const c of cases.slice(0, 2)) {
    const spec = specOf({ input: { shape: c.input }, layers: c.layers, loss: c.loss });
    const X = matrixOf(c.X, c.X.shape[0], c.X.shape[1]);
    const Y = matrixOf(c.Y, c.Y.shape[0], c.Y.shape[1]);
    const parameters = parametersOf(spec, c.params);
    const before = new Map([...parameters].map(([k, M]) => [k, Float64Array.from(M.data)]));
    const r = gradientCheck(spec, parameters, X, Y, { kernels: plainKernels, report: 10000 });
    assert.ok(r.passed, `${c.name}: difference ${r.difference}, ${r.excludedReason ?? ''}`);
    assert.equal(r.checked + r.excluded, r.total);
    const names = new Set(r.worst.map((e) => e.name));
    const bnKeys = parameterKeys(networkOf(spec)).filter((k) => /^(gamma|beta)/.test(k));
    assert.ok(bnKeys.length >= 4);
    for (const key of bnKeys) assert.ok(names.has(key), `${key} checked`);
    // The running averages are the prediction's: the check leaves them as they were.
    for (const [k, M] of parameters) assert.deepEqual(M.data, before.get(k), `${k} unchanged`);
  }
});

test("a conv layer's gamma, beta and running averages are (1, 1, 1, n_C) in the parameters file, a dense layer's (n[l], 1), a shortcut's gammas<l>", () => {
  const spec = specOf({ input: { shape: cases[1].input }, layers: cases[1].layers, loss: cases[1].loss });
  const net = networkOf(spec);
  assert.deepEqual(parameterDims(net, 'gamma1'), [1, 1, 1, 3]);
  assert.deepEqual(parameterDims(net, 'runningVar3'), [1, 1, 1, 4]);
  assert.deepEqual(parameterDims(net, 'betas3'), [1, 1, 1, 4]);
  assert.deepEqual(parameterDims(net, 'gamma5'), [3, 1]);
  assert.ok(parameterKeys(net).includes('gammas3') && stateKeys(net).includes('runningMeans3'));
  const parameters = parametersOf(spec, cases[1].params);
  for (const [key, M] of parameters) M.dims = parameterDims(net, key);
  const text = serializeParameters(parameters);
  const json = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(json.gamma1, [[[cases[1].params.gamma1.data]]]);
  assert.deepEqual(json.gamma5, cases[1].params.gamma5.data.map((v: number) => [v]));
  const back = parseParameters(text, net);
  assert.ok(back.ok, back.ok ? '' : back.problems.join('; '));
  const wrong = parseParameters(text.replace('"gammas3"', '"gammaS3"'), net);
  assert.ok(!wrong.ok && wrong.problems.some((p) => /gammas3/.test(p)));
});

test('batch norm and dropout in a conv network are trainable; softmax on a conv layer still is not', () => {
  const layers = [{ type: 'conv', filters: 2, size: 3, activation: 'relu', batchNorm: true }, { type: 'flatten' }, { units: 1, activation: 'sigmoid', batchNorm: true }];
  assert.equal(untrainable(specOf({ input: { shape: [4, 4, 1] }, layers, training: { keepProb: 0.5 } })), undefined);
  const soft = untrainable(specOf({ input: { shape: [4, 4, 1] }, layers: [{ ...layers[0], activation: 'softmax' }, layers[1], layers[2]] }));
  assert.deepEqual(soft?.path, ['layers', 0, 'activation']);
});

test('a batch too large for one pass is refused with batch statistics or dropout, naming the batch size that fits', () => {
  const c = cases[0];
  const spec = specOf({ input: { shape: c.input }, layers: c.layers, loss: c.loss });
  const net = networkOf(spec);
  const X = matrixOf(c.X, c.X.shape[0], c.X.shape[1]);
  const parameters = parametersOf(spec, c.params);
  const budget = 3 * valuesPerExample(net.graph!) + 1;
  const chunked = createGraphRun(net, parameters, X.cols, false, zeros, budget);
  // Prediction (running averages) goes through in chunks, as without batch norm.
  assertTensor(graphRunForward(X, chunked, plainKernels).data, c.ALpredict, 'AL in prediction, in chunks');
  assert.throws(() => graphRunForward(X, chunked, plainKernels, { statistics: 'batch' }), (e: Error & { path?: unknown }) => {
    assert.match(e.message, /^batch normalisation with batch statistics needs the whole batch in one pass, and a batch of 4 examples is too large for one \(at most 3 with this network\): set training\.batchSize to 3 or less$/);
    assert.deepEqual(e.path, ['training', 'batchSize']);
    return true;
  });
  assert.throws(() => createGraphRun(net, parameters, X.cols, true, zeros, budget), /dropout needs the whole batch in one pass/);
});
