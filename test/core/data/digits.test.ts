/**
 * The built-in picture set "digits" (UCI's 8 × 8 handwritten digits): every picture and label as
 * scikit-learn's load_digits gives them (test/fixtures/data/digits.json, written with the data by
 * scripts/digits-data.py), divided by 16, and what a .dnn.json that uses it sees.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinDataset } from '../../../src/core/data/builtin';
import { digitsDataset } from '../../../src/core/data/digits';
import { classNamesOf, loadData } from '../../../src/core/data/load';
import { checkText } from '../../../src/core/check';

interface DigitsFixture {
  count: number;
  pictures: Record<string, { label: number; pixels: number[] }>;
  classCounts: number[];
  pixelSums: number[];
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/data/digits.json'), 'utf8')) as DigitsFixture;

test("every picture and label is scikit-learn's, pixel / 16, one picture per column", () => {
  const d = builtinDataset('digits');
  const { X, Y, labels } = d.train;
  assert.equal(fixture.count, 1797);
  assert.deepEqual([X.rows, X.cols, Y.rows, Y.cols], [64, 1797, 10, 1797]);
  assert.deepEqual(d.imageShape, [8, 8, 1]);
  assert.deepEqual(d.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  for (const [i, { label, pixels }] of Object.entries(fixture.pictures)) {
    const column = Array.from({ length: 64 }, (_, f) => X.data[f * X.cols + Number(i)]);
    assert.deepEqual(column, pixels.map((v) => v / 16), `picture ${i}`);
    assert.equal(labels![Number(i)], label, `label of picture ${i}`);
    assert.equal(Y.data[label * Y.cols + Number(i)], 1, `one-hot Y of picture ${i}`);
  }
  const counts = new Array<number>(10).fill(0);
  for (const c of labels!) counts[c]++;
  assert.deepEqual(counts, fixture.classCounts);
  // Each picture's pixel sum, as integers: every pixel of every picture in its place.
  for (let i = 0; i < X.cols; i++) {
    let sum = 0;
    for (let f = 0; f < 64; f++) sum += X.data[f * X.cols + i] * 16;
    assert.equal(Math.round(sum), fixture.pixelSums[i], `pixel sum of picture ${i}`);
  }
});

test('examples takes the first m pictures; fewer than 10 or more than 1,797 are refused with the range', () => {
  const d = digitsDataset(20);
  assert.equal(d.train.X.cols, 20);
  assert.deepEqual(Array.from(d.train.labels!.subarray(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.throws(() => digitsDataset(1798), /digits has 1797 pictures: examples must be an integer from 10 to 1797; got 1798/);
  assert.throws(() => digitsDataset(5), /got 5/);
});

const network = (input: string, data: string): string =>
  `{ "input": ${input}, "layers": [{ "type": "flatten" }, { "units": 10, "activation": "softmax" }], "data": ${data} }`;

test('loadData: digits with a dev fifth, named classes; noise and seed are warned about as doing nothing', async () => {
  const noFiles = async () => ({ ok: false as const, message: '' });
  let checked = checkText(network('{ "shape": [8, 8, 1] }', '{ "builtin": "digits", "devFraction": 0.2 }'));
  assert.deepEqual(checked.problems, []);
  let r = await loadData(checked.spec!, '', noFiles, { tree: checked.tree });
  assert.deepEqual(r.problems, []);
  assert.equal(r.dataset!.train.X.cols + r.dataset!.dev!.X.cols, 1797);
  assert.equal(r.dataset!.dev!.X.cols, Math.round(1797 * 0.2));
  assert.deepEqual(await classNamesOf(checked.spec!, ''), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

  checked = checkText(network('{ "shape": [8, 8, 1] }', '{ "builtin": "digits", "noise": 0.1, "seed": 3 }'));
  r = await loadData(checked.spec!, '', noFiles, { tree: checked.tree });
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.path.join('.'), p.message]),
    [
      ['warning', 'data.noise', 'digits is a fixed set of pictures; "noise" applies to the generated datasets and is ignored here'],
      ['warning', 'data.seed', 'digits is a fixed set of pictures; "seed" applies to the generated datasets and is ignored here'],
    ],
  );
  assert.ok(r.dataset, 'the data is still loaded');
});

test('loadData: a network whose input is not 8 × 8 × 1 gets a data-mismatch naming both sizes', async () => {
  const checked = checkText(network('{ "shape": [16, 16, 1] }', '{ "builtin": "digits" }'));
  const r = await loadData(checked.spec!, '', async () => ({ ok: false as const, message: '' }), { tree: checked.tree });
  assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
  assert.equal(r.problems[0].code, 'data-mismatch');
  assert.match(r.problems[0].message, /8/);
  assert.match(r.problems[0].message, /16/);
});

test('examples/digits-conv.dnn.json checks clean', () => {
  const text = readFileSync(join(__dirname, '../../../examples/digits-conv.dnn.json'), 'utf8');
  assert.deepEqual(checkText(text).problems, []);
});
