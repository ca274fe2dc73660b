// The conv and pool layers against the printed outputs of the course's assignment "Convolutional
// Neural Networks: Step by Step" (Convolutional Neural Networks, week 1), 2021 revision of the
// notebook: a second reference beside the numpy fixtures, and one this repository did not compute.
//
// The inputs are the notebook's own draws (np.random.seed(1), then np.random.randn in the cells'
// order), made again by test/fixtures/conv/gen_course_inputs.py, which computes nothing else. Every
// expected number below is typed in from the notebook: each test names the cell, and says whether
// the number is the cell's "Expected Output" or, where the revision shows none, what the cell
// prints. A number is compared at the precision it is printed with: half a unit of its last digit
// (numpy prints arrays with 8 decimals; the 2021 revision prints scalars with Python 3's 17
// digits, where the engine's other order of summation may move the last two).
//
// Older versions of the notebook (2017-2018) draw other inputs for conv_forward (10 examples of
// 4 × 4 × 3, pad 2, stride 1 or 2) and pool_forward (2 × 4 × 4 × 3, f = 4, stride 1), so their
// numbers are not typed in here. The first of them printed conv_single_step's Z = -23.1602122025:
// its solution added b to each of the window's 48 entries before summing (Σ(a·W + b) = Σ a·W + 48·b,
// which these same draws give); later versions print -6.99908945068, Σ a·W + b, as below.
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
import { plainKernels } from '../../../src/core/kernels/plain';
import type { Kernels } from '../../../src/core/kernels/types';
import { zeros, type Matrix } from '../../../src/core/matrix';
import { chooseKernels } from '../../../src/node/kernels';
import { convFixture, type Tensor } from './conv-helpers';
import { assertPrinted, printed } from './printed';

const inputs = convFixture('course-inputs.json');

const kernelSets: Kernels[] = [plainKernels, chooseKernels().kernels];

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k];
  return sum / values.length;
}

/** a[index] of a row-major tensor: the entries of the sub-array at a leading index. */
function at(t: { shape: number[]; data: ArrayLike<number> }, index: number[]): number[] {
  let offset = 0;
  let size = t.data.length;
  for (let d = 0; d < index.length; d++) {
    size /= t.shape[d];
    offset += index[d] * size;
  }
  return Array.from(t.data).slice(offset, offset + size);
}

function matrix(t: Tensor, rows: number, cols: number): Matrix {
  assert.equal(rows * cols, t.data.length);
  return { rows, cols, data: Float64Array.from(t.data) };
}

/** conv_forward as the engine runs it, on the notebook's (m, n_H, n_W, n_C) arrays and integer pad. */
function runConv(c: { Aprev: Tensor; W: Tensor; b: Tensor; pad: number; stride: number }, kernels: Kernels) {
  const [m, h, w, cPrev] = c.Aprev.shape;
  const f = c.W.shape[0];
  const g = geometryOf({ h, w, c: cPrev }, [f, f], [c.stride, c.stride], c.pad, c.W.shape[3]);
  const K = windowLength(g);
  const P = m * g.h * g.w;
  const W = matrix(c.W, K, g.c);
  const cache: ConvCache = { g, m, cols: zeros(P, K), W };
  const Z = zeros(P, g.c);
  convForward(Float64Array.from(c.Aprev.data), W, matrix(c.b, 1, g.c), cache, Z, kernels);
  return { g, m, K, P, cache, Z: { shape: [m, g.h, g.w, g.c], data: Z.data }, Zmatrix: Z };
}

test('the generator draws what the notebook drew (the printed inputs of zero_pad, conv_forward and create_mask_from_window)', () => {
  // zero_pad's cell prints x[1,1] (2021 revision; the 2018 version's Expected Output is the same).
  assertPrinted(
    at(inputs.zeroPad.x, [1, 1]),
    `[[ 0.90085595 -0.68372786]
      [-0.12289023 -0.93576943]
      [-0.26788808  0.53035547]]`,
    'x[1,1]',
  );
  // conv_forward's cell prints cache_conv[0][1][2][3], which is A_prev[1, 2, 3].
  assertPrinted(at(inputs.convForward.Aprev, [1, 2, 3]), '[-1.1191154   1.9560789  -0.3264995  -1.34267579]', 'cache_conv[0][1][2][3]');
  // create_mask_from_window's Expected Output shows x.
  assertPrinted(inputs.createMask.x.data, '[[ 1.62434536 -0.61175641 -0.52817175] [-1.07296862  0.86540763 -2.3015387 ]]', 'x');
});

test('zero_pad (notebook cell: x_pad = zero_pad(x, 3)) gives x_pad.shape = (4, 9, 9, 2) and x_pad[1,1] all zeros', () => {
  const { x, pad } = inputs.zeroPad;
  const padded = zeroPad(Float64Array.from(x.data), x.shape, [pad, pad, pad, pad]);
  const shape = [x.shape[0], x.shape[1] + 2 * pad, x.shape[2] + 2 * pad, x.shape[3]];
  assert.deepEqual(shape, printed('(4, 9, 9, 2)').map((n) => n.value));
  assert.equal(padded.length, 4 * 9 * 9 * 2);
  assertPrinted(at({ shape, data: padded }, [1, 1]), '[[0. 0.] [0. 0.] [0. 0.] [0. 0.] [0. 0.] [0. 0.] [0. 0.] [0. 0.] [0. 0.]]', 'x_pad[1,1]');
  // The picture's middle is x itself: x_pad[1, 3 + 1, 3 + 1] = x[1, 1, 1].
  assert.deepEqual(at({ shape, data: padded }, [1, 4, 4]), at(x, [1, 1, 1]));
});

test('conv_single_step (its cell asserts Z = -6.999089450680221)', () => {
  const { aSlicePrev, W, b } = inputs.convSingleStep;
  const Z = convSingleStep(Float64Array.from(aSlicePrev.data), Float64Array.from(W.data), b.data[0]);
  assertPrinted([Z], '-6.999089450680221', 'Z');
});

for (const kernels of kernelSets) {
  test(`conv_forward (pad 1, stride 2) prints Z's mean and Z[0,2,1] as the notebook does, with the ${kernels.name} kernels`, () => {
    const { Z } = runConv(inputs.convForward, kernels);
    assert.deepEqual(Z.shape, [2, 3, 4, 8]);
    // The cell's printed output (the 2021 revision shows it in place of an Expected Output table).
    assertPrinted([mean(Z.data)], '0.5511276474566768', "Z's mean");
    assertPrinted(at(Z, [0, 2, 1]), '[-2.17796037  8.07171329 -0.5772704   3.36286738  4.48113645 -2.89198428 10.99288867  3.03171932]', 'Z[0,2,1]');
  });

  test(`conv_backward (dZ = Z of conv_forward with pad 2, stride 2) gives the Expected Output's means, with the ${kernels.name} kernels`, () => {
    const { g, m, K, P, cache, Zmatrix } = runConv(inputs.convBackward, kernels);
    const dW = zeros(K, g.c);
    const db = zeros(1, g.c);
    const dAprev = new Float64Array(inputs.convBackward.Aprev.data.length);
    // The course's conv_backward sums over the examples: scale 1.
    convBackward(Zmatrix, cache, dW, db, zeros(P, K), dAprev, kernels, 1);
    assert.equal(m, 10);
    // Expected Output: dA_mean 1.45243777754, dW_mean 1.72699145831, db_mean 7.83923256462.
    assertPrinted([mean(dAprev)], '1.45243777754', 'dA_mean');
    assertPrinted([mean(dW.data)], '1.72699145831', 'dW_mean');
    assertPrinted([mean(db.data)], '7.83923256462', 'db_mean');
  });
}

function runPool(Aprev: Tensor, f: number, stride: number, mode: 'max' | 'average') {
  const [m, h, w, c] = Aprev.shape;
  const g = geometryOf({ h, w, c }, [f, f], [stride, stride], 'valid');
  const A = new Float64Array(m * g.h * g.w * g.c);
  poolForward(Float64Array.from(Aprev.data), g, m, mode, A);
  return { g, m, A: { shape: [m, g.h, g.w, g.c], data: A } };
}

test('pool_forward, case 1 (f = 3, stride 1): the Expected Output of A.shape and A[1, 1] in both modes', () => {
  const { Aprev, f, strides } = inputs.poolForward;
  const max = runPool(Aprev, f, strides[0], 'max').A;
  assert.deepEqual(max.shape, [2, 3, 3, 3]);
  assertPrinted(
    at(max, [1, 1]),
    `[[1.96710175 0.84616065 1.27375593]
      [1.96710175 0.84616065 1.23616403]
      [1.62765075 1.12141771 1.2245077 ]]`,
    'max: A[1, 1]',
  );
  const average = runPool(Aprev, f, strides[0], 'average').A;
  assert.deepEqual(average.shape, [2, 3, 3, 3]);
  assertPrinted(
    at(average, [1, 1]),
    `[[ 0.44497696 -0.00261695 -0.31040307]
      [ 0.50811474 -0.23493734 -0.23961183]
      [ 0.11872677  0.17255229 -0.22112197]]`,
    'average: A[1, 1]',
  );
});

test('pool_forward, case 2 (f = 3, stride 2): the Expected Output of A.shape, A[0] (max) and A[1] (average)', () => {
  const { Aprev, f, strides } = inputs.poolForward;
  const max = runPool(Aprev, f, strides[1], 'max').A;
  assert.deepEqual(max.shape, [2, 2, 2, 3]);
  assertPrinted(
    at(max, [0]),
    `[[[1.74481176 0.90159072 1.65980218]
       [1.74481176 1.6924546  1.65980218]]
      [[1.13162939 1.51981682 2.18557541]
       [1.13162939 1.6924546  2.18557541]]]`,
    'max: A[0]',
  );
  const average = runPool(Aprev, f, strides[1], 'average').A;
  assertPrinted(
    at(average, [1]),
    `[[[-0.17313416  0.32377198 -0.34317572]
       [ 0.02030094  0.14141479 -0.01231585]]
      [[ 0.42944926  0.08446996 -0.27290905]
       [ 0.15077452  0.28911175  0.00123239]]]`,
    'average: A[1]',
  );
});

test('create_mask_from_window and distribute_value: their Expected Outputs', () => {
  const mask = createMaskFromWindow(Float64Array.from(inputs.createMask.x.data));
  // [[ True False False] [False False False]]
  assert.deepEqual(Array.from(mask), [1, 0, 0, 0, 0, 0]);
  // distribute_value(2, (2, 2)): [[ 0.5  0.5] [ 0.5  0.5]]
  assertPrinted(distributeValue(2, [2, 2]), '[[ 0.5  0.5] [ 0.5  0.5]]', 'distributed value');
});

test('pool_backward (f = 2, stride 1): the Expected Output of mean of dA and dA_prev[1,1] in both modes', () => {
  const { Aprev, dA, f, stride } = inputs.poolBackward;
  assertPrinted([mean(dA.data)], '0.145713902729', 'mean of dA');
  const cases: ['max' | 'average', string][] = [
    ['max', '[[ 0.          0.        ] [ 5.05844394 -1.68282702] [ 0.          0.        ]]'],
    ['average', '[[ 0.08485462  0.2787552 ] [ 1.26461098 -0.25749373] [ 1.17975636 -0.53624893]]'],
  ];
  for (const [mode, expected] of cases) {
    // The notebook's cache holds A_prev from a max pool_forward; only the backward mode changes.
    const { g, m } = runPool(Aprev, f, stride, 'max');
    assert.deepEqual(dA.shape, [m, g.h, g.w, g.c]);
    const dAprev = new Float64Array(Aprev.data.length);
    poolBackward(Float64Array.from(dA.data), Float64Array.from(Aprev.data), g, m, mode, dAprev);
    assertPrinted(at({ shape: Aprev.shape, data: dAprev }, [1, 1]), expected, `${mode}: dA_prev[1,1]`);
  }
});
