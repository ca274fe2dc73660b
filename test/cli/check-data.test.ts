// `dnn check` loads each file's data as the editor does, so CI catches a missing or malformed data
// file and data that does not fit the network; --no-data skips it. Messages are printed whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';
import { capture } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'dnn-check-data-'));
writeFileSync(join(dir, 'bad.csv'), 'a,b,y\n1,2,0\n3,x,1\n');
writeFileSync(join(dir, 'three.csv'), 'a,b,c,y\n1,2,3,0\n3,4,5,1\n');

/** A one-layer network on `data`, written to NAME.dnn.json in the test folder. */
function network(name: string, data: string): string {
  const f = join(dir, `${name}.dnn.json`);
  writeFileSync(f, `{\n  "input": 2,\n  "layers": [ { "units": 1, "activation": "sigmoid" } ],\n  "data": ${data}\n}\n`);
  return f;
}

async function check(...args: string[]) {
  const io = capture();
  const code = await main(['check', ...args], io);
  return { code, out: io.outText, err: io.errText };
}

test('a missing data file is an error at the data key, exit 1; --no-data does not read it', async () => {
  const f = network('missing', '{ "train": "missing.csv" }');
  const r = await check(f);
  assert.equal(r.code, 1);
  assert.match(r.out, /missing\.dnn\.json:4:22: error: missing\.csv: cannot read: no such file \[data-error\]/);
  const skipped = await check('--no-data', f);
  assert.equal(skipped.code, 0, skipped.out);
  assert.doesNotMatch(skipped.out, /data-error/);
});

test('a CSV cell that is not a number is printed once, at its line and column in the CSV', async () => {
  const r = await check(network('bad', '{ "train": "bad.csv" }'));
  assert.equal(r.code, 1);
  const errors = r.out.split('\n').filter((l) => l.includes(': error: '));
  assert.deepEqual(errors, [`${join(dir, 'bad.csv')}:3:3: error: "x" in column "b" is not a number [data-error]`]);
});

test('data with more features than n[0] is a data-mismatch at input; --json lists it with its position', async () => {
  const f = network('three', '{ "train": "three.csv" }');
  const r = await check(f);
  assert.equal(r.code, 1);
  assert.match(r.out, /three\.dnn\.json:2:12: error: the data has 3 features \(a, b, c\) but input is 2 \(n\[0\]\)/);
  const j = await check('--json', f);
  const problems = (JSON.parse(j.out) as { files: { problems: { code: string; line: number; column: number }[] }[] }).files[0].problems;
  assert.deepEqual(problems.map((p) => [p.code, p.line, p.column]), [['data-mismatch', 2, 12]]);
});

test('built-in data is checked too: a network whose input does not fit planar fails', async () => {
  writeFileSync(join(dir, 'wide.dnn.json'), '{ "input": 3, "layers": [ { "units": 1, "activation": "sigmoid" } ], "data": { "builtin": "planar" } }');
  const r = await check(join(dir, 'wide.dnn.json'));
  assert.equal(r.code, 1);
  assert.match(r.out, /\[data-mismatch\]/);
});

test('long messages are printed whole, not cut at 200 characters', async () => {
  // Too large for the engine with m = 100,000: one of the longest messages the checker writes (244 characters with its place).
  const f = join(dir, 'long.dnn.json');
  writeFileSync(f, '{ "input": 2, "layers": [ { "units": 20000, "activation": "relu" }, { "units": 1, "activation": "sigmoid" } ], "data": { "builtin": "planar", "examples": 100000 } }');
  const r = await check('--no-data', f);
  const line = r.out.split('\n').find((l) => l.includes('[too-large]'))!;
  assert.match(line, /: warning: training would need 59\.6 GiB \(.*\); the engine's limit is 2\.0 GiB: use fewer examples or a smaller batchSize \[too-large\]$/);
  assert.doesNotMatch(line, /…/);
});

test('the parameter total leaves out the layers it marks ?: 12 + 6 without layer 2 (5 · 4 + 5 = 25)', async () => {
  const f = join(dir, 'unknown.dnn.json');
  writeFileSync(f, '{ "input": 2, "layers": [ { "units": 4, "activation": "tanh" }, { "units": 5, "activation": "rleu" }, { "units": 1, "activation": "sigmoid" } ] }');
  const r = await check(f);
  assert.match(r.out, /\n {2}2 {2}\? .*see the problems below\n/);
  assert.match(r.out, /total parameters: 18 \(layers marked \? not counted\)/);
});
