/**
 * Data against the network and loadData end to end (with files given as strings): the
 * problems a user sees in the .dnn.json, with messages and line:column ranges counted by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../src/core/check';
import { checkDataAgainstSpec } from '../../../src/core/data/check';
import { builtinDataset } from '../../../src/core/data/builtin';
import { joinPath, loadData, type ReadText } from '../../../src/core/data/load';
import type { Problem } from '../../../src/core/problems';
import type { Dataset } from '../../../src/core/data/types';
import type { Spec } from '../../../src/core/format/types';
import { applyEdits, span } from '../check-helpers';

function specOf(text: string): Spec {
  const r = checkText(text);
  assert.ok(r.spec, `not a valid spec: ${JSON.stringify(r.problems.map((p) => p.message))}`);
  return r.spec;
}

/** The data's problems against the network in `text`, placed by the checker's own parse tree. */
function dataProblems(text: string, dataset: Dataset): Problem[] {
  const r = checkText(text);
  assert.ok(r.spec, `not a valid spec: ${JSON.stringify(r.problems.map((p) => p.message))}`);
  return checkDataAgainstSpec(r.spec, dataset, r.tree);
}

function network(input: string, out: string, data: string, loss = ''): string {
  return `{\n  "input": ${input},\n  "layers": [\n    { "units": 4, "activation": "tanh" },\n    ${out}\n  ],${loss}\n  "data": ${data}\n}\n`;
}

const SIGMOID = '{ "units": 1, "activation": "sigmoid" }';

function files(map: Record<string, string>): ReadText {
  return async (path) => (path in map ? { ok: true, text: map[path] } : { ok: false, message: 'cannot read: no such file' });
}

function summary(text: string, problems: Problem[]): string[] {
  return problems.map((p) => `${p.code} ${span(text, p.range)} ${p.message}`);
}

test('features vs n[0]: reported at input, with a fix that sets it to the data\'s feature count', () => {
  const text = network('3', SIGMOID, '{ "builtin": "planar" }');
  const problems = dataProblems(text, builtinDataset('planar'));
  assert.deepEqual(summary(text, problems), [
    'data-mismatch 2:12-2:13 the data has 2 features (x1, x2) but input is 3 (n[0]): the input layer needs one unit per feature',
  ]);
  assert.equal(problems[0].code, 'data-mismatch');
  assert.equal(problems[0].severity, 'error');
  assert.deepEqual(problems[0].path, ['input']);
  assert.equal(span(text, problems[0].related![0].range), '7:11-7:34');
  const fixed = applyEdits(text, problems[0].fix![0].edits);
  assert.match(fixed, /"input": 2,/);
  assert.deepEqual(dataProblems(fixed, builtinDataset('planar')), []);
});

test('classes vs binary-cross-entropy: 3 classes reported at the loss', () => {
  const text = network('2', SIGMOID, '{ "builtin": "spiral" }', '\n  "loss": "binary-cross-entropy",');
  const problems = dataProblems(text, builtinDataset('spiral'));
  assert.deepEqual(summary(text, problems), [
    'data-mismatch 7:11-7:33 the data has 3 classes but binary-cross-entropy is for 2 (labels 0/1): use "categorical-cross-entropy" with a softmax output of 3 units',
  ]);
});

test('classes vs a softmax output: reported at the last layer\'s units, fixed to the class count', () => {
  const text = network('2', '{ "units": 4, "activation": "softmax" }', '{ "builtin": "spiral" }');
  const problems = dataProblems(text, builtinDataset('spiral'));
  assert.deepEqual(summary(text, problems), [
    'data-mismatch 5:16-5:17 the data has 3 classes, so the softmax output needs n[2] = 3 units; found 4',
  ]);
  assert.equal(problems[0].fix![0].title, 'Set n[2] to 3');
  assert.match(applyEdits(text, problems[0].fix![0].edits), /\{ "units": 3, "activation": "softmax" \}/);
});

test('binary labels with two sigmoid units: one output unit is what binary-cross-entropy needs', () => {
  const text = network('2', '{ "units": 2, "activation": "sigmoid" }', '{ "builtin": "moons" }');
  const problems = dataProblems(text, builtinDataset('moons'));
  assert.deepEqual(summary(text, problems), [
    'data-mismatch 5:16-5:17 binary labels (0/1) need one output unit, n[2] = 1, with binary-cross-entropy; found 2',
  ]);
});

test('loadData: planar for the course\'s network, no problems, Y a (1, 400) row', async () => {
  const text = network('2', SIGMOID, '{ "builtin": "planar" }');
  const r = await loadData(specOf(text), '/proj', files({}), { tree: checkText(text).tree });
  assert.deepEqual(r.problems, []);
  assert.deepEqual([r.dataset!.train.X.rows, r.dataset!.train.X.cols, r.dataset!.train.Y.rows], [2, 400, 1]);
});

test('loadData: two classes with a two-unit softmax get one-hot Y (2, m)', async () => {
  const text = network('2', '{ "units": 2, "activation": "softmax" }', '{ "builtin": "planar" }');
  const r = await loadData(specOf(text), '/proj', files({}), { tree: checkText(text).tree });
  assert.deepEqual(r.problems, []);
  const Y = r.dataset!.train.Y;
  assert.deepEqual([Y.rows, Y.cols], [2, 400]);
  assert.deepEqual([Y.data[0], Y.data[400], Y.data[399], Y.data[799]], [1, 0, 0, 1]); // example 0 is class 0, 399 class 1
});

test('loadData: a CSV beside the .dnn.json, a dev fraction and standardisation', async () => {
  const csv = 'a,b,y\n' + Array.from({ length: 20 }, (_, i) => `${i},${2 * i},${i % 2}`).join('\n') + '\n';
  const text = network('2', SIGMOID, '{ "train": "data/train.csv", "devFraction": 0.25, "standardize": true }');
  const r = await loadData(specOf(text), '/proj', files({ '/proj/data/train.csv': csv }), { tree: checkText(text).tree });
  assert.deepEqual(r.problems, []);
  const d = r.dataset!;
  assert.deepEqual([d.train.X.cols, d.dev!.X.cols], [15, 5]);
  assert.equal(d.source, 'data/train.csv');
  // Fitted on the 15 training examples: their standardised features have mean 0.
  const s = d.standardization!;
  let sum = 0;
  for (let i = 0; i < 15; i++) sum += d.train.X.data[i];
  assert.ok(Math.abs(sum) < 1e-12);
  assert.notEqual(s.mean[0], 9.5); // the mean of all 20 would be 9.5: dev was not used
});

test('loadData: a missing CSV is a data-error at data.train', async () => {
  const text = network('2', SIGMOID, '{ "train": "missing.csv" }');
  const r = await loadData(specOf(text), '/proj', files({}), { tree: checkText(text).tree });
  assert.equal(r.dataset, undefined);
  assert.equal(r.problems[0].code, 'data-error');
  assert.deepEqual(summary(text, r.problems), ['data-error 7:22-7:35 missing.csv: cannot read: no such file']);
});

test('loadData: CSV errors come back positioned in the CSV and summarised at data.train', async () => {
  const text = network('2', SIGMOID, '{ "train": "t.csv" }');
  const r = await loadData(specOf(text), '/proj', files({ '/proj/t.csv': 'x1,x2,y\n1,oops,0\n' }), { tree: checkText(text).tree });
  assert.deepEqual(r.dataErrors, [{ file: 't.csv', line: 2, column: 3, message: '"oops" in column "x2" is not a number' }]);
  assert.deepEqual(summary(text, r.problems), ['data-error 7:22-7:29 t.csv:2:3: "oops" in column "x2" is not a number']);
});

test('loadData: a dev file whose columns differ from the training file\'s', async () => {
  const text = network('2', SIGMOID, '{ "train": "t.csv", "dev": "d.csv" }');
  const r = await loadData(specOf(text), '/p', files({ '/p/t.csv': 'a,b,y\n1,2,0\n', '/p/d.csv': 'a,c,y\n1,2,1\n' }), { tree: checkText(text).tree });
  assert.deepEqual(summary(text, r.problems), [
    "data-error 7:38-7:45 d.csv:1:1: the dev file's feature columns (a, c) differ from the training file's (a, b)",
  ]);
});

test('loadData: class indices up to 2 with a 4-unit softmax: the file lacks class 3, which is fine', async () => {
  const text = network('1', '{ "units": 4, "activation": "softmax" }', '{ "train": "t.csv" }');
  const r = await loadData(specOf(text), '/p', files({ '/p/t.csv': 'x,y\n1,0\n2,2\n' }), { tree: checkText(text).tree });
  assert.deepEqual(r.problems, []);
  assert.deepEqual([r.dataset!.train.Y.rows, r.dataset!.classes], [4, 4]);
});

test('loadData: mse reads the label as numbers to predict', async () => {
  const text = network('1', '{ "units": 1, "activation": "linear" }', '{ "train": "t.csv", "label": "price" }', '\n  "loss": "mse",');
  const r = await loadData(specOf(text), '/p', files({ '/p/t.csv': 'x,price\n1,2.5\n2,-0.5\n' }), { tree: checkText(text).tree });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(Array.from(r.dataset!.train.Y.data), [2.5, -0.5]);
  assert.equal(r.dataset!.classes, undefined);
});

test('loadData: a file with no data key says how to add one', async () => {
  const text = '{ "input": 2, "layers": [ { "units": 1, "activation": "sigmoid" } ] }';
  const r = await loadData(specOf(text), '/p', files({}), { tree: checkText(text).tree });
  assert.deepEqual(summary(text, r.problems), [
    'data-error 1:1-1:70 there is no "data" to train on: add "data": { "builtin": "planar" } or "data": { "train": "train.csv" }',
  ]);
});

test('joinPath: relative paths join the folder, absolute ones stay', () => {
  assert.equal(joinPath('/proj', 'data/t.csv'), '/proj/data/t.csv');
  assert.equal(joinPath('/proj/', 't.csv'), '/proj/t.csv');
  assert.equal(joinPath('/proj', '/abs/t.csv'), '/abs/t.csv');
  assert.equal(joinPath('C:\\proj', 't.csv'), 'C:\\proj\\t.csv');
  assert.equal(joinPath('C:\\proj', 'D:\\x.csv'), 'D:\\x.csv');
  assert.equal(joinPath('.', 't.csv'), 't.csv');
});

test('loadData: "classes" on a two-class built-in is a warning, and the data is still made', async () => {
  const text = network('2', SIGMOID, '{ "builtin": "moons", "classes": 3 }');
  const r = await loadData(specOf(text), '/p', files({}), { tree: checkText(text).tree });
  assert.deepEqual(summary(text, r.problems), [
    'data-error 7:44-7:45 moons always has 2 classes; "classes" applies to spiral and blobs and is ignored here',
  ]);
  assert.equal(r.problems[0].severity, 'warning');
  assert.equal(r.dataset!.classes, 2);
});

test('a duplicate "input": the mismatch and its fix land on the last one, which the checker read', async () => {
  const text = '{\n  "input": 2,\n  "input": 3,\n  "layers": [ { "units": 1, "activation": "sigmoid" } ],\n  "data": { "builtin": "planar" }\n}\n';
  const checked = checkText(text);
  assert.deepEqual(checked.problems.map((p) => `${p.code} ${span(text, p.range)}`), ['duplicate-key 3:3-3:10']);
  const r = await loadData(checked.spec!, '/p', files({}), { tree: checked.tree! });
  assert.deepEqual(summary(text, r.problems), [
    'data-mismatch 3:12-3:13 the data has 2 features (x1, x2) but input is 3 (n[0]): the input layer needs one unit per feature',
  ]);
  assert.match(applyEdits(text, r.problems[0].fix![0].edits), /"input": 2,\n {2}"input": 2,/);
});
