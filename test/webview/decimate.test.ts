import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minMaxDecimate, minMaxIndices, Column } from '../../webview/decimate';

test('short curves are drawn whole', () => {
  assert.deepEqual(minMaxIndices([3, 2, 1], 10), [0, 1, 2]);
});

test('long curves keep the first, the last, and each bucket\'s min and max in order', () => {
  // 10 samples, 6 points: 2 buckets of the 8 inner samples (1..4 and 5..8).
  const ys = [9, 5, 1, 7, 3, 2, 8, 4, 6, 0];
  assert.deepEqual(minMaxIndices(ys, 6), [0, 2, 3, 5, 6, 9]);
});

test('a single spike in 100,000 samples survives decimation to 2,000 points', () => {
  const n = 100_000;
  const xs = Array.from({ length: n }, (_, i) => i);
  const ys = xs.map((i) => (i === 61_234 ? 5 : 1 / (1 + i)));
  const out = minMaxDecimate(xs, ys, 2000);
  assert.ok(out.length <= 2000);
  assert.ok(out.some((p) => p.x === 61_234 && p.y === 5));
  assert.deepEqual(out[0], { x: 0, y: 1 });
  assert.deepEqual(out.at(-1), { x: n - 1, y: 1 / n });
  for (let i = 1; i < out.length; i++) assert.ok(out[i].x > out[i - 1].x, 'x increases');
});

test('NaN and infinite costs become gaps, never a bucket\'s extreme', () => {
  // Buckets 1..4 (one finite sample, 0.5) and 5..8 (nothing finite: one gap).
  const ys = [1, NaN, Infinity, 0.5, NaN, NaN, NaN, NaN, NaN, 0.2];
  const out = minMaxDecimate(ys.map((_, i) => i), ys, 6);
  assert.deepEqual(out, [
    { x: 0, y: 1 },
    { x: 3, y: 0.5 },
    { x: 5, y: null },
    { x: 9, y: 0.2 },
  ]);
});

test('a column grows past its capacity and keeps its values', () => {
  const c = new Column(2);
  for (let i = 0; i < 5; i++) c.push(i * 0.5);
  assert.deepEqual(Array.from(c.view()), [0, 0.5, 1, 1.5, 2]);
  assert.equal(c.last(), 2);
});
