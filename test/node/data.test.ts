/** src/node/data.ts: real files on disk, paths relative to the .dnn.json, ENOENT as a problem. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkText } from '../../src/core/check';
import { loadDataForSpec, readCsvFile } from '../../src/node/data';
import { span } from '../core/check-helpers';

const dir = mkdtempSync(join(tmpdir(), 'dnn-data-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function spec(text: string) {
  const r = checkText(text);
  assert.ok(r.spec);
  return r.spec;
}

/** The checked file's parse tree, which positions data problems in its text. */
function tree(text: string) {
  return checkText(text).tree;
}

test('a CSV path resolves against the .dnn.json\'s folder, not the working directory', async () => {
  mkdirSync(join(dir, 'nets', 'data'), { recursive: true });
  writeFileSync(join(dir, 'nets', 'data', 'train.csv'), 'x1,x2,y\n1,2,0\n3,4,1\n');
  const text = '{ "input": 2, "layers": [ { "units": 1, "activation": "sigmoid" } ], "data": { "train": "data/train.csv" } }';
  const r = await loadDataForSpec(spec(text), join(dir, 'nets', 'n.dnn.json'), tree(text));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(Array.from(r.dataset!.train.X.data), [1, 3, 2, 4]);
});

test('a missing file is a data-error positioned at data.train, never an exception', async () => {
  const text = '{ "input": 2, "layers": [ { "units": 1, "activation": "sigmoid" } ], "data": { "train": "nope.csv" } }';
  const r = await loadDataForSpec(spec(text), join(dir, 'n.dnn.json'), tree(text));
  assert.equal(r.dataset, undefined);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].code, 'data-error');
  assert.equal(r.problems[0].message, 'nope.csv: cannot read: no such file');
  assert.equal(span(text, r.problems[0].range), '1:89-1:99');
});

test('readCsvFile names the file as displayed, and an unreadable one is an error at 1:1', async () => {
  writeFileSync(join(dir, 'in.csv'), 'x1,x2\n1,zz\n');
  const bad = await readCsvFile(join(dir, 'in.csv'), { labelRequired: false }, 'in.csv');
  assert.deepEqual(bad, { ok: false, errors: [{ file: 'in.csv', line: 2, column: 3, message: '"zz" in column "x2" is not a number' }] });
  const missing = await readCsvFile(join(dir, 'gone.csv'), {}, 'gone.csv');
  assert.deepEqual(missing, { ok: false, errors: [{ file: 'gone.csv', line: 1, column: 1, message: 'cannot read: no such file' }] });
});
