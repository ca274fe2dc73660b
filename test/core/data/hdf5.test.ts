/**
 * HDF5 data on small files shaped like the course's (test/fixtures/data/gen_h5.py writes them
 * with h5py, and h5.json holds numpy's reading: X as `X.reshape(m, -1).T` and `/ 255`), and every
 * error path a user's own file can take, as the problems the .dnn.json shows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../../src/core/check';
import { readHdf5, type Hdf5Data } from '../../../src/core/data/hdf5';
import { loadData, type ReadBytes } from '../../../src/core/data/load';
import type { Matrix } from '../../../src/core/matrix';
import { span } from '../check-helpers';
import { H5_DIR, h5File, h5Unavailable } from '../../helpers/h5';

const skip = h5Unavailable();
const DIR = H5_DIR;
interface Expected { shape: number[]; X: number[][]; X255?: number[][]; labels: number[]; classes?: string[] }
const EXPECTED = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'data', 'h5.json'), 'utf8')) as Record<string, Expected>;

function bytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(h5File(name)));
}

function read(name: string, options: Parameters<typeof readHdf5>[2] = {}): Hdf5Data {
  const r = readHdf5(bytes(name), name, options);
  assert.ok(r.ok, `${name}: ${r.ok ? '' : r.message}`);
  return r.data;
}

function failure(name: string, options: Parameters<typeof readHdf5>[2] = {}): string {
  const r = readHdf5(bytes(name), name, options);
  assert.ok(!r.ok, `${name} was read`);
  return r.message;
}

function rows(X: Matrix): number[][] {
  return Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));
}

test("the course's layout: X is numpy's reshape(m, -1).T, / 255 bit for bit, labels and class names", { skip }, () => {
  const e = EXPECTED['pictures_train.h5'];
  const raw = read('pictures_train.h5');
  assert.deepEqual([raw.X.rows, raw.X.cols], [8 * 8 * 3, 6]);
  assert.deepEqual(rows(raw.X), e.X);
  const d = read('pictures_train.h5', { divideBy: 255 });
  assert.deepEqual(rows(d.X), e.X255);
  assert.deepEqual(Array.from(d.labels), e.labels);
  assert.deepEqual(d.classNames, ['non-cat', 'cat']);
  assert.deepEqual(d.imageShape, [8, 8, 3]);
  assert.deepEqual([d.xName, d.yName, d.classes], ['train_set_x', 'train_set_y', 2]);
});

test('(1, m) labels, chunked gzip-compressed X, grey pictures without a channel axis, float X', { skip }, () => {
  const test1 = read('pictures_test.h5');
  assert.deepEqual(Array.from(test1.labels), EXPECTED['pictures_test.h5'].labels);
  assert.deepEqual(rows(test1.X), EXPECTED['pictures_test.h5'].X);
  const signs = read('six_classes.h5');
  assert.deepEqual(rows(signs.X), EXPECTED['six_classes.h5'].X);
  assert.deepEqual(signs.classNames, ['0', '1', '2', '3', '4', '5']);
  assert.equal(signs.classes, 6);
  const grey = read('grey.h5', { x: 'pixels', y: 'digit' });
  assert.deepEqual(grey.imageShape, [8, 8, 1]);
  assert.deepEqual(rows(grey.X), EXPECTED['grey.h5'].X);
  assert.equal(grey.classes, 3);
  const f = read('float_x.h5');
  assert.deepEqual(rows(f.X), EXPECTED['float_x.h5'].X);
  assert.deepEqual(f.warnings, []);
  assert.match(read('float_x.h5', { divideBy: 255 }).warnings[0], /^train_set_x is already in \[0, 1\] \(largest value (1|0\.\d+)\); "divideBy": 255 makes it smaller still$/);
});

test('error paths: each message names the dataset and says what to do', { skip }, () => {
  assert.equal(failure('no_x.h5'), 'no dataset\'s name ends in _x (the file has train_set_y): name the pictures with "x"');
  assert.equal(failure('two_x.h5'), '2 datasets end in _x (a_x, b_x): choose one with "x"');
  assert.deepEqual(read('two_x.h5', { x: 'b_x' }).xName, 'b_x');
  assert.equal(failure('count_mismatch.h5'), 'train_set_y is (3,): 3 labels for the 4 examples of train_set_x');
  assert.equal(failure('bad_labels.h5'), 'train_set_y[0] is 0.5: labels must be class indices 0, 1, …');
  assert.equal(failure('text_x.h5'), 'train_set_x holds S1 values, not numbers: X must be pixels or features');
  assert.equal(failure('pictures_train.h5', { x: 'pictures' }), 'there is no dataset "pictures" (the file has list_classes, train_set_x, train_set_y)');
  assert.equal(failure('truncated.h5'), 'cannot read train_set_x: the file ends early: is it truncated (an interrupted copy or download)?');
  assert.equal(failure('not_hdf5.h5'), 'not an HDF5 file (it does not start with the HDF5 signature)');
  // Every cut of a real file is an error message, never an exception.
  const whole = bytes('six_classes.h5');
  for (let n = 0; n < whole.length; n += 97) {
    const r = readHdf5(whole.subarray(0, n), 'six_classes.h5');
    assert.equal(r.ok, false, `cut at ${n}`);
  }
});

const files: ReadBytes = async (path) => {
  try {
    return { ok: true, bytes: new Uint8Array(readFileSync(path)) };
  } catch {
    return { ok: false, message: 'cannot read: no such file' };
  }
};

function network(input: string, out: string, data: string): string {
  return `{\n  "input": ${input},\n  "layers": [\n    { "units": 4, "activation": "relu" },\n    ${out}\n  ],\n  "data": ${data}\n}\n`;
}
const SIGMOID = '{ "units": 1, "activation": "sigmoid" }';

async function load(text: string) {
  const checked = checkText(text);
  assert.ok(checked.spec, JSON.stringify(checked.problems.map((p) => p.message)));
  return loadData(checked.spec, DIR, async () => ({ ok: false, message: 'no text here' }), { tree: checked.tree, readBytes: files });
}

test('loadData: train and dev files, divideBy, Y a 0/1 row, class names and the picture size kept', { skip }, async () => {
  const text = network('{ "shape": [8, 8, 3] }', SIGMOID, '{ "train": "pictures_train.h5", "dev": "pictures_test.h5", "divideBy": 255 }');
  const r = await load(text);
  assert.deepEqual(r.problems, []);
  const d = r.dataset!;
  assert.deepEqual(rows(d.train.X), EXPECTED['pictures_train.h5'].X255);
  assert.deepEqual(Array.from(d.train.Y.data), EXPECTED['pictures_train.h5'].labels);
  assert.deepEqual([d.dev!.X.cols, d.dev!.Y.rows], [4, 1]);
  assert.deepEqual(d.classNames, ['non-cat', 'cat']);
  assert.deepEqual(d.imageShape, [8, 8, 3]);
});

test('loadData: 6 classes one-hot for a softmax output', { skip }, async () => {
  const r = await load(network('{ "shape": [8, 8, 3] }', '{ "units": 6, "activation": "softmax" }', '{ "train": "six_classes.h5" }'));
  assert.deepEqual(r.problems, []);
  const Y = r.dataset!.train.Y;
  assert.deepEqual([Y.rows, Y.cols], [6, 12]);
  // Example 2 has label 2: column 2 is one at row 2.
  assert.deepEqual(Array.from({ length: 6 }, (_, c) => Y.data[c * 12 + 2]), [0, 0, 1, 0, 0, 0]);
});

test('loadData: problems at the key they are about, naming the file and the dataset', { skip }, async () => {
  let text = network('{ "shape": [8, 8, 3] }', SIGMOID, '{ "train": "count_mismatch.h5" }');
  let r = await load(text);
  assert.deepEqual(r.problems.map((p) => [p.code, span(text, p.range), p.message]), [
    ['data-error', '7:22-7:41', 'count_mismatch.h5: train_set_y is (3,): 3 labels for the 4 examples of train_set_x'],
  ]);
  text = network('{ "shape": [8, 8, 3] }', SIGMOID, '{ "train": "pictures_train.h5", "x": "pictures" }');
  r = await load(text);
  assert.deepEqual(r.problems.map((p) => [span(text, p.range), p.message]), [
    ['7:48-7:58', 'pictures_train.h5: there is no dataset "pictures" (the file has list_classes, train_set_x, train_set_y)'],
  ]);
  text = network('{ "shape": [8, 8, 3] }', SIGMOID, '{ "train": "pictures_train.h5", "dev": "grey.h5" }');
  r = await load(text);
  assert.deepEqual(r.problems.map((p) => [span(text, p.range), p.message]), [
    ['7:50-7:59', 'grey.h5: no dataset\'s name ends in _x (the file has digit, pixels): name the pictures with "x"'],
  ]);
  text = network('{ "shape": [8, 8, 3] }', SIGMOID, '{ "train": "float_x.h5", "divideBy": 255 }');
  r = await load(text);
  assert.deepEqual(r.problems.map((p) => [p.severity, span(text, p.range)]), [['warning', '7:48-7:51']]);
  assert.ok(r.dataset);
});

test("loadData: a missing file says where to put it, and that the course's datasets come from the assignment", { skip }, async () => {
  const text = network('{ "shape": [64, 64, 3] }', SIGMOID, '{ "train": "datasets/train_catvnoncat.h5", "divideBy": 255 }');
  const r = await load(text);
  assert.equal(r.dataset, undefined);
  assert.deepEqual(r.problems.map((p) => [p.code, span(text, p.range), p.message]), [
    [
      'data-error',
      '7:22-7:52',
      `datasets/train_catvnoncat.h5: cannot read: no such file; put the file at ${DIR}/datasets/train_catvnoncat.h5. ` +
        "It is the course's train_catvnoncat.h5: copy it from the programming assignment's datasets folder.",
    ],
  ]);
});

test('loadData: pictures of another size than input.shape, at the data; a flat input of the wrong n[0], at input', { skip }, async () => {
  let text = network('{ "shape": [16, 16, 3] }', SIGMOID, '{ "train": "pictures_train.h5" }');
  let r = await load(text);
  assert.deepEqual(r.problems.map((p) => [p.code, span(text, p.range), p.message]), [
    [
      'data-mismatch',
      '7:11-7:43',
      'the data\'s pictures are 8×8×3 (n_H×n_W×n_C) but input.shape is [16, 16, 3]: set "input": { "shape": [8, 8, 3] } or use pictures of that size',
    ],
  ]);
  text = network('100', SIGMOID, '{ "train": "pictures_train.h5" }');
  r = await load(text);
  assert.deepEqual(r.problems.map((p) => [span(text, p.range), p.message]), [
    ['2:12-2:15', 'the data\'s pictures are 8×8×3, 192 values each once flattened, but input is 100 (n[0]): write "input": { "shape": [8, 8, 3] }'],
  ]);
  // n[0] = 192 as a plain number is fine: a dense network sees the flattened pictures.
  r = await load(network('192', SIGMOID, '{ "train": "pictures_train.h5" }'));
  assert.deepEqual(r.problems, []);
});
