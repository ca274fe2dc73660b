/**
 * The built-in picture set "shapes": what a user would notice. Classes are balanced, the same seed
 * draws the same pictures, pictures of one class differ, and each shape is drawn where a shape
 * of that kind would be: with no noise, the lit pixels fill their bounding box by the shape's
 * share of it (a circle π/4, a square all of it, a triangle half).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinDataset } from '../../../src/core/data/builtin';
import { checkText } from '../../../src/core/check';
import { loadData } from '../../../src/core/data/load';
import type { Dataset } from '../../../src/core/data/types';

function picture(d: Dataset, i: number): Float64Array {
  const X = d.train.X;
  return Float64Array.from({ length: X.rows }, (_, f) => X.data[f * X.cols + i]);
}

test('balanced classes, named, at the size and channels asked for', () => {
  const d = builtinDataset('shapes', { examples: 30 }, [12, 10, 3]);
  assert.deepEqual([d.train.X.rows, d.train.X.cols], [12 * 10 * 3, 30]);
  assert.deepEqual(d.classNames, ['circle', 'square', 'triangle']);
  assert.deepEqual(d.imageShape, [12, 10, 3]);
  const counts = [0, 0, 0];
  for (const c of d.train.labels!) counts[c]++;
  assert.deepEqual(counts, [10, 10, 10]);
  assert.deepEqual([d.train.Y.rows, d.train.Y.cols], [3, 30]);
  for (const v of d.train.X.data) assert.ok(v >= 0 && v <= 1);
});

test('the same seed draws the same pictures; another seed others; pictures of a class differ', () => {
  const a = builtinDataset('shapes', { examples: 9, seed: 4 }, [8, 8, 1]);
  const b = builtinDataset('shapes', { examples: 9, seed: 4 }, [8, 8, 1]);
  const c = builtinDataset('shapes', { examples: 9, seed: 5 }, [8, 8, 1]);
  assert.deepEqual(a.train.X.data, b.train.X.data);
  assert.notDeepEqual(a.train.X.data, c.train.X.data);
  // Examples 0 and 3 are both circles.
  assert.notDeepEqual(picture(a, 0), picture(a, 3));
});

test('without noise each shape fills its bounding box as that shape does', () => {
  const size = 64;
  const d = builtinDataset('shapes', { examples: 30, noise: 0 }, [size, size, 1]);
  const fills: number[][] = [[], [], []];
  for (let i = 0; i < 30; i++) {
    const p = picture(d, i);
    // Two grey levels: the shape is the brighter (colours are drawn from [0.6, 1] and [0, 0.3]).
    const lit = (x: number, y: number): boolean => p[y * size + x] >= 0.45;
    let n = 0;
    let [x0, x1, y0, y1] = [size, -1, size, -1];
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (!lit(x, y)) continue;
        n++;
        [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
      }
    }
    assert.ok(n > 0, `picture ${i} has a shape`);
    // The shape is inside the picture and around its middle, never touching an edge.
    assert.ok(x0 > 0 && y0 > 0 && x1 < size - 1 && y1 < size - 1, `picture ${i} lies inside`);
    fills[i % 3].push(n / ((x1 - x0 + 1) * (y1 - y0 + 1)));
  }
  const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  assert.ok(Math.abs(mean(fills[0]) - Math.PI / 4) < 0.05, `circle ${mean(fills[0])}`);
  assert.ok(mean(fills[1]) > 0.97, `square ${mean(fills[1])}`);
  assert.ok(Math.abs(mean(fills[2]) - 0.5) < 0.07, `triangle ${mean(fills[2])}`);
});

test('loadData: shapes takes the size of input.shape; a network without one is told to give it', async () => {
  const text = (input: string): string =>
    `{ "input": ${input}, "layers": [{ "units": 3, "activation": "softmax" }], "data": { "builtin": "shapes", "examples": 6 } }`;
  let checked = checkText(text('{ "shape": [6, 5, 1] }'));
  let r = await loadData(checked.spec!, '', async () => ({ ok: false, message: '' }), { tree: checked.tree });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.dataset!.imageShape, [6, 5, 1]);
  checked = checkText(text('30'));
  r = await loadData(checked.spec!, '', async () => ({ ok: false, message: '' }), { tree: checked.tree });
  assert.deepEqual(r.problems.map((p) => p.message), [
    'shapes draws pictures: give the input their size, e.g. "input": { "shape": [16, 16, 1] } (n_H, n_W, n_C)',
  ]);
});
