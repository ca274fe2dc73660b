/**
 * Predict (src/extension/training/predict.ts) against numpy's forward pass on the fixture of
 * test/fixtures/training/gen_predict.py, and its refusals of malformed input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkText } from '../../../src/core/check';
import { parseInputCsv, parseTyped, predictInputs, PredictError } from '../../../src/extension/training/predict';

const dir = path.resolve(__dirname, '../../fixtures/training/predict');
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
const spec = checkText(read('net.dnn.json')).spec!;
const params = read('net.params.json');

function rows(csv: string) {
  return csv.trim().split('\n').map((l) => l.split(','));
}

test('predictions and probabilities agree with numpy, with accuracy and the confusion matrix', () => {
  const out = predictInputs(spec, params, parseInputCsv(spec, read('input.csv'), 'input.csv'), { params: 'net.params.json', input: 'input.csv' });
  const got = rows(out.csv);
  const want = rows(read('expected.csv'));
  assert.deepEqual(got[0], want[0]);
  assert.equal(got.length, want.length);
  for (let r = 1; r < want.length; r++) {
    // Example, inputs, prediction, label: equal as numbers ("1" and numpy's "1.0" alike).
    for (const c of [0, 1, 2, 3, 5]) assert.equal(Number(got[r][c]), Number(want[r][c]), `row ${r} column ${want[0][c]}`);
    assert.ok(Math.abs(Number(got[r][4]) - Number(want[r][4])) < 1e-14, `p row ${r}: ${got[r][4]} vs ${want[r][4]}`);
  }
  // numpy predicts [1, 1, 0, 0, 1, 1] for labels [1, 0, 1, 0, 0, 1]: 3 right.
  assert.equal(out.accuracy, 0.5);
  assert.deepEqual(out.confusion, [
    [1, 2],
    [1, 2],
  ]);
  assert.match(out.report, /Accuracy: 50\.00% \(3 of 6\)/);
});

test('typed values predict the same as the CSV rows', () => {
  const out = predictInputs(spec, params, parseTyped('0.5, 1.0; -0.3 -1.5', 2), { params: 'p', input: 'typed' });
  const got = rows(out.csv);
  assert.deepEqual(got[0], ['example', 'x1', 'x2', 'prediction', 'p(y=1)']);
  assert.equal(Number(got[1][4]), 0.8373970998136003);
  assert.equal(got[2][3], '0');
  assert.equal(out.accuracy, undefined);
});

test('malformed inputs are refused with a position, never predicted as NaN', () => {
  const csv = (t: string) => () => parseInputCsv(spec, t, 'in.csv');
  assert.throws(csv('x1,x2\n1,2\n3,\n'), (e: Error) => e instanceof PredictError && /^in\.csv:3:\d+: /.test(e.message));
  assert.throws(csv("x1,x2\n1,abc\n"), /in\.csv:2:3: "abc" in column "x2" is not a number/);
  assert.throws(csv('x1,x2\n1,2,3\n'), /in\.csv:2:\d+: /);
  assert.throws(csv(''), /in\.csv:1:1: /);
  assert.throws(() => parseTyped('1, 2, 3', 2), /example 1 has 3 values; the network's input needs n\[0\] = 2/);
  assert.throws(() => parseTyped('1, x', 2), /'x' is not a number/);
  assert.throws(
    () => predictInputs(spec, params, parseInputCsv(spec, 'a,b,c,y\n1,2,3,0\n', 'w.csv'), { params: 'p', input: 'w.csv' }),
    /w\.csv: 3 feature columns \(a, b, c\), but the network's input is n\[0\] = 2/,
  );
  assert.throws(() => predictInputs(spec, '{"W1": [[1]]}', parseTyped('1 2', 2), { params: 'bad.json', input: 't' }), /bad\.json: /);
});

test('the predictions a person reads are a table to 4 significant digits; the CSV keeps every digit', () => {
  const out = predictInputs(spec, params, parseTyped('1.23456789, -0.5', 2), { params: 'net.params.json', input: 'typed values' });
  const [head, row] = out.table.trim().split('\n').map((l) => l.trim().split(/\s+/));
  assert.deepEqual(head, ['example', 'x1', 'x2', 'prediction', 'p(y=1)']);
  assert.equal(row[1], '1.235');
  assert.match(row[4], /^0\.\d{1,4}$/);
  assert.match(out.csv.split('\n')[1], /^1,1\.23456789,-0\.5,[01],0\.\d{10,}$/);
});
