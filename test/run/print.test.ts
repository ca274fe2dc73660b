// The printed cost lines, as Python prints them: repr for "full" (each expected text is what
// Python 3 prints for that float), "%f"-style decimals otherwise, inf and nan by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCost, progressLine, pythonRepr } from '../../src/run/print';

test("pythonRepr writes a float as Python's repr does: shortest digits, exponent below 1e-4 and from 1e16, a .0 on whole numbers", () => {
  const cases: [number, string][] = [
    [0.6931471805599453, '0.6931471805599453'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [2.5e-7, '2.5e-07'],
    [123.456, '123.456'],
    [1, '1.0'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [5e-324, '5e-324'],
    [-0.25, '-0.25'],
    [0, '0.0'],
  ];
  for (const [x, text] of cases) assert.equal(pythonRepr(x), text, String(x));
});

test('formatCost: decimals as "%.{p}f", full as repr, inf and nan as Python names them', () => {
  assert.equal(formatCost(0.6931471805599453, 6), '0.693147');
  assert.equal(formatCost(0.6931471805599453, 'full'), '0.6931471805599453');
  assert.equal(formatCost(Infinity, 6), 'inf');
  assert.equal(formatCost(Infinity, 'full'), 'inf');
  assert.equal(formatCost(NaN, 6), 'nan');
});

test('progressLine says "iteration" for full batches and "epoch" with mini-batches, as the notebooks do', () => {
  assert.equal(progressLine(1000, 0.28808, { miniBatches: false, precision: 6 }), 'Cost after iteration 1000: 0.288080');
  assert.equal(progressLine(0, 0.702405, { miniBatches: true, precision: 6 }), 'Cost after epoch 0: 0.702405');
});
