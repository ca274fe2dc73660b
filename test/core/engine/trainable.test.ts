import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import { untrainableLayer } from '../../../src/core/engine/trainable';

test('a dense network is trainable, from its spec and from its inferred layers', () => {
  const r = checkText('{ "input": 2, "layers": [{ "units": 4, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" }] }');
  assert.ok(r.spec && r.shapes);
  assert.equal(untrainableLayer(r.spec.layers), undefined);
  assert.equal(untrainableLayer(r.shapes.layers), undefined);
});

test('the first layer the engine cannot train is named by its path, also in a file with errors', () => {
  const text = `{
    "input": { "shape": [8, 8, 1] },
    "layers": [
      { "type": "conv", "filters": 2, "size": 3, "activation": "relu" },
      { "type": "flatten" },
      { "units": 1, "activation": "sigmoidd" }
    ]
  }`;
  const r = checkText(text);
  // A misspelt activation: no spec for the engine, but the editor still knows the layers before it.
  assert.equal(r.spec, undefined);
  assert.ok(r.shapes);
  const layer = untrainableLayer(r.shapes.layers);
  assert.deepEqual(layer && { type: layer.type, path: layer.path }, { type: 'conv', path: ['layers', 0] });
  const fixed = checkText(text.replace('sigmoidd', 'sigmoid'));
  assert.ok(fixed.spec, JSON.stringify(fixed.problems));
  assert.equal(untrainableLayer(fixed.spec.layers)?.type, 'conv');
});
