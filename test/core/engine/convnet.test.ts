// Networks with conv, pool, flatten and residual layers against numpy (test/fixtures/conv/gen_conv.py):
// week 2's identity and convolutional blocks on their own, then whole training runs with the
// same seed, init order and procedure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import { backwardFrom, createGraphRun, graphForward, graphRunBackward, graphRunForward, initializeGraph, valuesPerExample } from '../../../src/core/engine/convnet';
import { createWorkspace } from '../../../src/core/engine/model';
import { networkOf, parameterKeys, parameterShape } from '../../../src/core/engine/network';
import { createRandom } from '../../../src/core/engine/random';
import { train } from '../../../src/core/engine/train';
import type { Parameters } from '../../../src/core/engine/types';
import type { Spec } from '../../../src/core/format/types';
import { zeros, type Matrix } from '../../../src/core/matrix';
import { plainKernels } from '../../../src/core/kernels/plain';
import { chooseKernels } from '../../../src/node/kernels';
import { assertTensor, convFixture, type Tensor } from './conv-helpers';

const blocks = convFixture('blocks.json');
const runs = convFixture('training.json');

/** A .dnn.json's spec, through the checker, failing on any error. */
function specOf(doc: object): Spec {
  const r = checkText(JSON.stringify(doc));
  const errors = r.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors.map((p) => p.message), []);
  return r.spec!;
}

/** numpy's (m, n_H, n_W, n_C) images as the course's columns X.reshape(m, -1).T. */
function columns(t: Tensor): Matrix {
  const m = t.shape[0];
  const n = t.data.length / m;
  const X: Matrix = { rows: n, cols: m, data: new Float64Array(n * m) };
  for (let i = 0; i < m; i++) for (let f = 0; f < n; f++) X.data[f * m + i] = t.data[i * n + f];
  return X;
}

function matrixOf(t: Tensor, rows: number, cols: number): Matrix {
  assert.equal(rows * cols, t.data.length);
  return { rows, cols, data: Float64Array.from(t.data) };
}

for (const c of blocks) {
  test(`week 2's ${c.name}: forward and backward as numpy's`, () => {
    // The block alone, then a flatten and an output layer the test does not look at.
    const spec = specOf({ input: { shape: c.input }, layers: [c.block, { type: 'flatten' }, { units: 1, activation: 'sigmoid' }] });
    const net = networkOf(spec);
    const m = c.X.shape[0];
    const parameters: Parameters = new Map();
    for (const key of parameterKeys(net)) {
      const [rows, cols] = parameterShape(net, key)!;
      // The output layer after the block is not numpy's: any values do.
      parameters.set(key, c.params[key] ? matrixOf(c.params[key], rows, cols) : { rows, cols, data: new Float64Array(rows * cols) });
    }
    for (const kernels of [plainKernels, chooseKernels().kernels]) {
      const ws = createWorkspace(net, parameters, m, false).graph!.whole!;
      graphForward(columns(c.X), ws, kernels);
      const block = ws.nodes[0] as unknown as { A: Matrix; dIn: Matrix };
      assertTensor(block.A.data, c.A, `${kernels.name}: the block's A`);
      backwardFrom(ws, 0, { rows: block.A.rows, cols: block.A.cols, data: Float64Array.from(c.dA.data) }, kernels, 0);
      assertTensor(block.dIn.data, c.dX, `${kernels.name}: dX`);
      ws.keys.forEach((key, k) => {
        if (c.grads[`d${key}`]) assertTensor(ws.grads[k].data, c.grads[`d${key}`], `${kernels.name}: d${key}`);
      });
    }
  });
}

for (const run of runs) {
  test(`training as numpy does: ${run.name}`, async () => {
    const spec = specOf({ input: { shape: run.input }, layers: run.layers, loss: run.loss, training: { ...run.training, optimizer: run.training.optimizer, printEvery: 1 } });
    const net = networkOf(spec);
    const X = matrixOf(run.X, run.X.shape[0], run.X.shape[1]);
    const Y = matrixOf(run.Y, run.Y.shape[0], run.Y.shape[1]);

    // Seeded init: every W drawn in document order, randn(f_H, f_W, n_C[l-1], n_C[l]) row-major.
    const rng = createRandom(run.training.seed);
    const initial = initializeGraph(net.graph!, spec.training.init.scheme as 'he', run.training.init.scale, (o) => rng.randn(o));
    assert.deepEqual([...initial.keys()], Object.keys(run.initial));
    for (const [key, M] of initial) {
      assert.deepEqual(M.dims, run.initial[key].shape, `${key}'s dims`);
      assertTensor(M.data, run.initial[key], `initial ${key}`, 1e-14);
    }

    for (const kernels of [plainKernels, chooseKernels().kernels]) {
      const result = await train(spec, { train: { X, Y }, source: 'test' }, { kernels });
      assert.equal(result.status, 'done');
      assertTensor(result.costs, { shape: [run.costs.length], data: run.costs }, `${kernels.name}: costs`, 1e-11);
      for (const [key, M] of result.parameters) {
        // Batch norm subtracts the mean of Z, so b of a normalised layer has a zero gradient up to
        // rounding, and Adam divides that noise by its own size: b stays near zero, its digits noise.
        // The running mean averages Z, b included, so it carries the same noise.
        if (key[0] === 'b' && run.final[`gamma${key.slice(1)}`]) {
          assert.ok(M.data.every((v) => Math.abs(v) < 1e-7), `${kernels.name}: final ${key} near zero`);
          continue;
        }
        if (key.startsWith('runningMean')) {
          M.data.forEach((v, k) => assert.ok(Math.abs(v - run.final[key].data[k]) < 1e-8, `${kernels.name}: final ${key}[${k}]: got ${v}, numpy ${run.final[key].data[k]}`));
          continue;
        }
        assertTensor(M.data, run.final[key], `${kernels.name}: final ${key}`, 1e-10);
      }
    }
  });
}

test('a batch too large for one pass goes through in chunks, with the same AL and gradients', () => {
  const run = runs[1];
  const spec = specOf({ input: { shape: run.input }, layers: run.layers, loss: run.loss });
  const net = networkOf(spec);
  const X = matrixOf(run.X, run.X.shape[0], run.X.shape[1]);
  const Y = matrixOf(run.Y, run.Y.shape[0], run.Y.shape[1]);
  const parameters: Parameters = new Map(Object.entries(run.final).map(([key, t]) => {
    const [rows, cols] = parameterShape(net, key)!;
    return [key, matrixOf(t as Tensor, rows, cols)];
  }));
  const whole = createGraphRun(net, parameters, X.cols, false);
  assert.ok(whole.whole, 'six examples fit one pass');
  // A budget for 4 examples: chunks of 4 and 2.
  const chunked = createGraphRun(net, parameters, X.cols, false, zeros, 4 * valuesPerExample(net.graph!) + 1);
  assert.deepEqual([...chunked.chunks!.ws.keys()], [4, 2]);
  for (const kernels of [plainKernels, chooseKernels().kernels]) {
    const AL = Float64Array.from(graphRunForward(X, whole, kernels).data);
    graphRunBackward(X, Y, net, whole, kernels, 0.1);
    assertTensor(graphRunForward(X, chunked, kernels).data, { shape: [3, 6], data: Array.from(AL) }, 'AL', 1e-13);
    graphRunBackward(X, Y, net, chunked, kernels, 0.1);
    whole.grads.forEach((G, k) => assertTensor(chunked.grads[k].data, { shape: [G.data.length], data: Array.from(G.data) }, `d${whole.keys[k]}`, 1e-12));
  }
});

test("labels that do not fit a conv network's output layer are refused at its units, numbered as dnn check numbers it", async () => {
  const spec = specOf({ input: { shape: [4, 4, 1] }, layers: [{ type: 'conv', filters: 2, size: 3, activation: 'relu' }, { type: 'flatten' }, { units: 3, activation: 'softmax' }] });
  const X: Matrix = { rows: 16, cols: 2, data: new Float64Array(32) };
  const Y: Matrix = { rows: 2, cols: 2, data: Float64Array.from([1, 0, 0, 1]) };
  await assert.rejects(train(spec, { train: { X, Y }, source: 'test' }, { kernels: plainKernels }), (e: Error & { path?: unknown }) => {
    assert.equal(e.message, 'the training labels have 2 rows per example but the output layer has n[3] = 3 units');
    assert.deepEqual(e.path, ['layers', 2, 'units']);
    return true;
  });
});
