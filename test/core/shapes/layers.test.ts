/**
 * The layer-kind registry's rules and formulas: the text that the checker's messages, the hover,
 * the inlay hint and the shapes table print. Expectations are the course's notation written out
 * by hand: W[l] is (n[l], n[l-1]), b[l] is (n[l], 1), Z[l] and A[l] are (n[l], m), each gradient
 * has the shape of what it is the gradient of.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import { LAYER_KINDS, layerKind } from '../../../src/core/shapes/layers';
import { LAYER_TYPES } from '../../../src/core/format/parse';

const dense = layerKind('dense');

test('every layer type the parser accepts has a registry entry', () => {
  assert.deepEqual(Object.keys(LAYER_KINDS).sort(), [...LAYER_TYPES].sort());
});

test('dense rules in general form: W[l] is (n[l], n[l-1]), gradients like what they differentiate', () => {
  assert.deepEqual(dense.rules('l'), {
    W: { rule: '(n[l], n[l-1])' },
    b: { rule: '(n[l], 1)' },
    Z: { rule: '(n[l], m)' },
    A: { rule: '(n[l], m)' },
    dW: { rule: '(n[l], n[l-1])', like: 'W' },
    db: { rule: '(n[l], 1)', like: 'b' },
    dZ: { rule: '(n[l], m)', like: 'Z' },
    dA: { rule: '(n[l], m)', like: 'A' },
  });
});

test('dense rules for layer 3 name n[3] and n[2]', () => {
  assert.equal(dense.rules(3).W?.rule, '(n[3], n[2])');
  assert.equal(dense.rules(3).dA?.rule, '(n[3], m)');
});

test('dense forward formulas, in general form and for layer 1 (A[0] = X)', () => {
  assert.deepEqual(dense.forward('l'), ['Z[l] = W[l]·A[l-1] + b[l]', 'A[l] = g[l](Z[l])']);
  assert.deepEqual(dense.forward(1), ['Z[1] = W[1]·A[0] + b[1]', 'A[1] = g[1](Z[1])']);
});

test('dense parameters are W then b; sizes and count are written with numbers', () => {
  assert.deepEqual(dense.parameters, ['W', 'b']);
  assert.equal(dense.sizes(2, 4, 1), 'n[1] = 4, n[2] = 1');
  // Planar: layer 1 has n[1] = 4 after n[0] = 2: 4·2 + 4 = 12.
  const planar = checkText('{ "input": 2, "layers": [ { "units": 4, "activation": "tanh" } ] }').shapes!.layers[0];
  assert.equal(planar.params, 12);
  assert.equal(dense.paramCount(planar, 2), '4·2 + 4');
  // With batch norm, gamma[1] and beta[1] are (5, 1) each: 5·3 + 5 + 2·5 = 30.
  const bn = checkText('{ "input": 3, "layers": [ { "units": 5, "activation": "relu", "batchNorm": true } ] }').shapes!.layers[0];
  assert.equal(bn.params, 30);
  assert.equal(dense.paramCount(bn, 3), '5·3 + 5 + 2·5');
});

test("the checker's message uses the registry's rule for the declared shape", () => {
  const text = '{ "input": 2, "layers": [ { "units": 4, "activation": "tanh" }, { "units": 1, "activation": "sigmoid", "shapes": { "W": [4, 1], "dZ": [2, "m"] } } ] }';
  const messages = checkText(text).problems.map((p) => p.message);
  assert.deepEqual(messages, [
    `W[2] must be ${dense.rules(2).W!.rule} = (1, 4); found (4, 1): transposed?`,
    'dZ[2] must be (n[2], m) = (1, m), like Z[2]; found (2, m)',
  ]);
});
