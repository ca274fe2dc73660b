/**
 * Dev split and standardisation. The split's order is numpy's:
 * np.random.RandomState(0).permutation(10) = [2 8 4 9 1 6 7 3 0 5] (printed by numpy 2.4);
 * standardisation values are worked out by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { devCount, fitStandardization, splitDev, standardize } from '../../../src/core/data/split';
import { fromRows } from '../../../src/core/matrix';

/** Ten examples whose single feature is their own index, so columns show the permutation. */
function indexed(m: number) {
  const X = fromRows([Array.from({ length: m }, (_, i) => i)]);
  const Y = fromRows([Array.from({ length: m }, (_, i) => i % 2)]);
  return { X, Y, labels: Int32Array.from({ length: m }, (_, i) => i % 2) };
}

test('splitDev takes numpy\'s permutation: train = p[:m - m_dev], dev = p[m - m_dev:]', () => {
  const { train, dev } = splitDev(indexed(10), 0.3, 0);
  assert.deepEqual(Array.from(train.X.data), [2, 8, 4, 9, 1, 6, 7]);
  assert.deepEqual(Array.from(dev.X.data), [3, 0, 5]);
  // Labels and Y travel with their examples.
  assert.deepEqual(Array.from(dev.Y.data), [1, 0, 1]);
  assert.deepEqual(Array.from(dev.labels!), [1, 0, 1]);
});

test('the same seed gives the same split, another seed another one', () => {
  const a = splitDev(indexed(50), 0.2, 7);
  const b = splitDev(indexed(50), 0.2, 7);
  const c = splitDev(indexed(50), 0.2, 8);
  assert.deepEqual(a.dev.X.data, b.dev.X.data);
  assert.notDeepEqual(a.dev.X.data, c.dev.X.data);
  assert.equal(a.train.X.cols + a.dev.X.cols, 50);
});

test('devCount rounds, keeps at least one example on each side', () => {
  assert.equal(devCount(10, 0.25), 3); // 2.5 rounds up
  assert.equal(devCount(10, 0.01), 1); // a fraction > 0 always holds out one
  assert.equal(devCount(10, 0.99), 9); // and always leaves one to train on
  assert.equal(devCount(10, 0), 0);
  assert.equal(devCount(1, 0.5), 0);
});

test('standardisation: mean and population std of each feature, a constant feature gets std 1', () => {
  const X = fromRows([[1, 2, 3, 4], [5, 5, 5, 5]]);
  const s = fitStandardization(X);
  // Row 0: mean 2.5; deviations ±1.5, ±0.5; variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
  assert.deepEqual(s.mean, [2.5, 5]);
  assert.equal(s.std[0], Math.sqrt(1.25));
  assert.equal(s.std[1], 1);
  const Z = standardize(X, s);
  // (1 - 2.5) / sqrt(5/4) = -3/sqrt(5) = -1.3416407864998738; (2 - 2.5) / sqrt(5/4) = -1/sqrt(5).
  const expected = [-3 / Math.sqrt(5), -1 / Math.sqrt(5), 1 / Math.sqrt(5), 3 / Math.sqrt(5), 0, 0, 0, 0];
  Z.data.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-15, `Z[${i}] = ${v}, expected ${expected[i]}`));
});

test('dev data is standardised with the training set\'s numbers, not its own', () => {
  const s = fitStandardization(fromRows([[0, 2]])); // mean 1, std 1
  assert.deepEqual(Array.from(standardize(fromRows([[10, 11]]), s).data), [9, 10]);
  assert.throws(() => standardize(fromRows([[1], [2]]), s), /standardisation is for 1 features; the data has 2/);
});
