/**
 * The `data` object's picture forms: HDF5 by the extension of `train`, image folders by
 * `images`, with their keys, defaults and limits as a user writing them sees them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import { span } from '../check-helpers';

function file(data: string): string {
  return `{\n  "input": { "shape": [8, 8, 3] },\n  "layers": [{ "units": 1, "activation": "sigmoid" }],\n  "data": ${data}\n}\n`;
}

function problems(text: string): string[] {
  return checkText(text).problems.map((p) => `${p.code} ${p.severity} ${span(text, p.range)} ${p.message}`);
}

test('HDF5: a .h5 or .hdf5 train file (any case), x, y and divideBy; divideBy 1 by default', () => {
  const r = checkText(file('{ "train": "d/train.H5", "dev": "d/test.hdf5", "x": "pics", "y": "labels", "divideBy": 255 }'));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.spec?.data, { kind: 'hdf5', train: 'd/train.H5', dev: 'd/test.hdf5', x: 'pics', y: 'labels', divideBy: 255, devFraction: 0, standardize: false, path: ['data'] });
  assert.deepEqual(checkText(file('{ "train": "a.hdf5" }')).spec?.data, { kind: 'hdf5', train: 'a.hdf5', divideBy: 1, devFraction: 0, standardize: false, path: ['data'] });
});

test('image folders: images and dev, divideBy 255 by default', () => {
  const r = checkText(file('{ "images": "pictures/train", "dev": "pictures/dev" }'));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.spec?.data, { kind: 'images', images: 'pictures/train', dev: 'pictures/dev', divideBy: 255, devFraction: 0, standardize: false, path: ['data'] });
});

test('keys of another kind of data are unknown; divideBy must be above 0', () => {
  assert.deepEqual(problems(file('{ "train": "a.csv", "divideBy": 255 }')), [
    "unknown-key warning 4:31-4:41 unknown key 'divideBy' in data",
  ]);
  assert.deepEqual(problems(file('{ "images": "p", "divideBy": 0 }')), [
    'out-of-range error 4:40-4:41 data.divideBy must be a number > 0; found 0',
  ]);
  assert.deepEqual(problems(file('{ "train": "a.h5", "label": "y" }')).map((p) => p.split(' ').slice(0, 2).join(' ')), ['unknown-key warning']);
});

test('the built-in shapes: m = 300 by default for the memory estimate', () => {
  const r = checkText(file('{ "builtin": "shapes" }'));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.spec?.data, { kind: 'builtin', builtin: 'shapes', devFraction: 0, standardize: false, path: ['data'] });
});
