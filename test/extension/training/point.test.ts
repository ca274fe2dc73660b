/**
 * The boundary click's forward pass (point.ts), worked out by hand on a network of one sigmoid
 * unit: W = (1, 2), b = 0.5, at (x₁, x₂) = (0.5, −1.25): z = 0.5 − 2.5 + 0.5 = −1.5 and
 * σ(−1.5) = 1 / (1 + e^1.5) = 0.18242552380635635 (numpy prints the same).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import { predictPoint } from '../../../src/extension/training/point';

const spec = (input: number, output = '{ "units": 1, "activation": "sigmoid" }') =>
  checkText(`{ "input": ${input}, "layers": [ ${output} ], "data": { "builtin": "planar" } }`).spec!;

test('one sigmoid unit: P(class 1) at the clicked point is σ(W·x + b)', () => {
  const answer = predictPoint(spec(2), '{ "W1": [[1, 2]], "b1": [[0.5]] }', 0.5, -1.25);
  assert.deepEqual(answer, { kind: 'probability', value: 0.18242552380635635 });
});

test('softmax: the predicted class, the row of the largest output', () => {
  // z = (W·x + b) = (0.5, −0.5 + 0.1, 0) for x = (0.5, 0): class 0.
  const s = spec(2, '{ "units": 3, "activation": "softmax" }');
  assert.deepEqual(predictPoint(s, '{ "W1": [[1, 0], [-1, 0], [0, 1]], "b1": [[0], [0.1], [0]] }', 0.5, 0), { kind: 'class', value: 0 });
  assert.deepEqual(predictPoint(s, '{ "W1": [[1, 0], [-1, 0], [0, 1]], "b1": [[0], [0.1], [0]] }', 0, 2), { kind: 'class', value: 2 });
});

test('parameters that do not fit, or a network that is not on the plane, are said, not thrown', () => {
  const wrong = predictPoint(spec(2), '{ "W1": [[1, 2, 3]], "b1": [[0.5]] }', 0, 0);
  assert.ok('error' in wrong && /do not fit the network: W1/.test(wrong.error), JSON.stringify(wrong));
  const three = predictPoint(spec(3), '{ "W1": [[1, 2, 3]], "b1": [[0.5]] }', 0, 0);
  assert.deepEqual(three, { error: "the network's input is n[0] = 3, not a point of the plane" });
});
