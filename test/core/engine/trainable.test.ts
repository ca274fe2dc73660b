import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import { untrainable } from '../../../src/core/engine/trainable';

test('dense and convolutional networks are trainable', () => {
  const dense = checkText('{ "input": 2, "layers": [{ "units": 4, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" }] }');
  assert.equal(untrainable(dense.spec), undefined);
  const conv = checkText(`{ "input": { "shape": [8, 8, 1] }, "layers": [
    { "type": "conv", "filters": 2, "size": 3, "activation": "relu" }, { "type": "pool", "size": 2 },
    { "type": "flatten" }, { "units": 1, "activation": "sigmoid" } ] }`);
  assert.ok(conv.spec, JSON.stringify(conv.problems));
  assert.equal(untrainable(conv.spec), undefined);
});

test('batch norm and dropout in a conv network are trainable', () => {
  const r = checkText(`{ "input": { "shape": [8, 8, 1] }, "layers": [
    { "type": "conv", "filters": 2, "size": 3, "activation": "relu", "batchNorm": true },
    { "type": "flatten" }, { "units": 1, "activation": "sigmoid", "batchNorm": true } ],
    "training": { "keepProb": 0.8 } }`);
  assert.ok(r.spec, JSON.stringify(r.problems));
  assert.equal(untrainable(r.spec), undefined);
});

test('what the engine cannot train is named at its key: softmax on a conv layer', () => {
  const r = checkText(`{ "input": { "shape": [8, 8, 1] }, "layers": [
    { "type": "conv", "filters": 2, "size": 3, "activation": "softmax" },
    { "type": "flatten" }, { "units": 1, "activation": "sigmoid" } ] }`);
  assert.ok(r.spec, JSON.stringify(r.problems));
  const why = untrainable(r.spec);
  assert.deepEqual(why?.path, ['layers', 0, 'activation']);
  assert.match(why!.message, /softmax normalises columns: a conv layer cannot use it/);
  // A file with errors has no spec, and is not refused here: its errors are what Train reports.
  assert.equal(untrainable(checkText('{ "input": 2, "layers": [{ "units": 1, "activation": "sigmoidd" }] }').spec), undefined);
});
