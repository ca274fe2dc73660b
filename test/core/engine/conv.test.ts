// The conv and pool layers against the course's step-by-step functions run in numpy
// (test/fixtures/conv/gen_conv.py), to 1e-12, with every kernel set the engine can use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  convBackward,
  convForward,
  convSingleStep,
  createMaskFromWindow,
  distributeValue,
  geometryOf,
  poolBackward,
  poolForward,
  windowLength,
  zeroPad,
  type ConvCache,
} from '../../../src/core/engine/conv';
import { packedKernels } from '../../../src/core/kernels/packed';
import { plainKernels } from '../../../src/core/kernels/plain';
import type { Kernels } from '../../../src/core/kernels/types';
import { zeros, type Matrix } from '../../../src/core/matrix';
import { chooseKernels } from '../../../src/node/kernels';
import { assertTensor, convFixture, type Tensor } from './conv-helpers';

const layers = convFixture('layers.json');

function matrix(t: Tensor, rows: number, cols: number): Matrix {
  assert.equal(rows * cols, t.data.length);
  return { rows, cols, data: Float64Array.from(t.data) };
}

const kernelSets: Kernels[] = [plainKernels, packedKernels, chooseKernels().kernels];

test('zero_pad pads each image by (top, bottom, left, right) and leaves the batch and channels alone', () => {
  const c = layers.zeroPad;
  const padded = zeroPad(Float64Array.from(c.x.data), c.x.shape, c.pad);
  assertTensor(padded, c.padded, 'padded', 0);
});

test('conv_single_step is the window times W, summed, plus b', () => {
  const c = layers.convSingleStep;
  const Z = convSingleStep(Float64Array.from(c.aSlice.data), Float64Array.from(c.W.data), c.b.data[0]);
  assert.ok(Math.abs(Z - c.Z) <= 1e-12 * Math.abs(c.Z), `Z = ${Z}, numpy ${c.Z}`);
});

for (const kernels of kernelSets) {
  for (const c of layers.conv) {
    test(`conv_forward and conv_backward (${c.name}) with the ${kernels.name} kernels`, () => {
      const [m, hPrev, wPrev, cPrev] = c.Aprev.shape;
      const g = geometryOf({ h: hPrev, w: wPrev, c: cPrev }, c.size, c.stride, c.padding, c.W.shape[3]);
      assert.deepEqual([g.top, g.bottom, g.left, g.right], c.pads, 'padding per side');
      assert.deepEqual([m, g.h, g.w, g.c], c.Z.shape, 'Z shape');
      const K = windowLength(g);
      const P = m * g.h * g.w;
      const W = matrix(c.W, K, g.c);
      const b = matrix(c.b, 1, g.c);
      const cache: ConvCache = { g, m, cols: zeros(P, K), W };
      const Z = zeros(P, g.c);
      convForward(Float64Array.from(c.Aprev.data), W, b, cache, Z, kernels);
      assertTensor(Z.data, c.Z, 'Z');

      const dW = zeros(K, g.c);
      const db = zeros(1, g.c);
      const dAprev = new Float64Array(c.Aprev.data.length);
      convBackward(matrix(c.dZ, P, g.c), cache, dW, db, zeros(P, K), dAprev, kernels);
      assertTensor(dW.data, c.dW, 'dW');
      assertTensor(db.data, c.db, 'db');
      assertTensor(dAprev, c.dAprev, 'dA_prev');
    });
  }
}

test('conv_backward with scale 1/m gives the mean-cost gradients and may skip dA_prev', () => {
  const c = layers.conv[1];
  const [m, hPrev, wPrev, cPrev] = c.Aprev.shape;
  const g = geometryOf({ h: hPrev, w: wPrev, c: cPrev }, c.size, c.stride, c.padding, c.W.shape[3]);
  const K = windowLength(g);
  const P = m * g.h * g.w;
  const cache: ConvCache = { g, m, cols: zeros(P, K), W: matrix(c.W, K, g.c) };
  convForward(Float64Array.from(c.Aprev.data), cache.W, matrix(c.b, 1, g.c), cache, zeros(P, g.c), plainKernels);
  const dW = zeros(K, g.c);
  const db = zeros(1, g.c);
  convBackward(matrix(c.dZ, P, g.c), cache, dW, db, zeros(P, K), undefined, plainKernels, 1 / m);
  assertTensor(dW.data, { shape: c.dW.shape, data: c.dW.data.map((v: number) => (1 / m) * v) }, 'dW / m');
  assertTensor(db.data, { shape: c.db.shape, data: c.db.data.map((v: number) => (1 / m) * v) }, 'db / m');
});

for (const c of layers.pool) {
  test(`pool_forward and pool_backward (${c.name})`, () => {
    const [m, hPrev, wPrev, cPrev] = c.Aprev.shape;
    const g = geometryOf({ h: hPrev, w: wPrev, c: cPrev }, c.size, c.stride, c.padding);
    assert.deepEqual([g.top, g.bottom, g.left, g.right], c.pads, 'padding per side');
    assert.deepEqual([m, g.h, g.w, g.c], c.A.shape, 'A shape');
    const Aprev = Float64Array.from(c.Aprev.data);
    const A = new Float64Array(c.A.data.length);
    poolForward(Aprev, g, m, c.mode, A);
    assertTensor(A, c.A, 'A');
    const dAprev = new Float64Array(Aprev.length).fill(7);
    poolBackward(Float64Array.from(c.dA.data), Aprev, g, m, c.mode, dAprev);
    assertTensor(dAprev, c.dAprev, 'dA_prev');
  });
}

test("create_mask_from_window marks the maximum; distribute_value spreads dz evenly", () => {
  assertTensor(createMaskFromWindow(Float64Array.from(layers.mask.x.data)), layers.mask.mask, 'mask', 0);
  const d = layers.distribute;
  assertTensor(distributeValue(d.dz, d.shape), d.a, 'a', 0);
});

test('max pooling passes the gradient to every tied maximum, as the course\'s mask does', () => {
  const g = geometryOf({ h: 2, w: 2, c: 1 }, [2, 2], [2, 2], 'valid');
  const Aprev = Float64Array.from([3, 1, 3, 0]);
  const dAprev = new Float64Array(4);
  poolBackward(Float64Array.from([5]), Aprev, g, 1, 'max', dAprev);
  assert.deepEqual(Array.from(dAprev), [5, 0, 5, 0]);
});

test("a first conv layer reads the course's X columns in place and gets the same Z", () => {
  for (const c of layers.conv) {
    const [m, hPrev, wPrev, cPrev] = c.Aprev.shape;
    const g = geometryOf({ h: hPrev, w: wPrev, c: cPrev }, c.size, c.stride, c.padding, c.W.shape[3]);
    const K = windowLength(g);
    const P = m * g.h * g.w;
    const n = hPrev * wPrev * cPrev;
    // X = A_prev.reshape(m, -1).T
    const X = new Float64Array(n * m);
    for (let i = 0; i < m; i++) for (let f = 0; f < n; f++) X[f * m + i] = c.Aprev.data[i * n + f];
    const cache: ConvCache = { g, m, cols: zeros(P, K), W: matrix(c.W, K, g.c), columns: true };
    const Z = zeros(P, g.c);
    convForward(X, cache.W, matrix(c.b, 1, g.c), cache, Z, plainKernels);
    assertTensor(Z.data, c.Z, `${c.name}: Z`);
  }
});
