/**
 * `dnn check` through the CLI's `main`, as a user runs it: the table, positioned problems,
 * exit codes, and the hostile inputs of the Foundation issue (never a stack trace).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';

const examples = join(__dirname, '..', '..', 'examples');
const dir = mkdtempSync(join(tmpdir(), 'dnn-check-'));

async function dnn(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY: false });
  return { code, out, err };
}

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Output must never show a stack trace or an internal error, whatever the input. */
function assertNoCrash(r: { code: number; out: string; err: string }): void {
  assert.doesNotMatch(r.out + r.err, /internal error|\n\s+at .+:\d+:\d+\)?\n/);
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}`);
}

test('planar: the shape table in course notation, exit 0', async () => {
  const f = join(examples, 'planar.dnn.json');
  const r = await dnn('check', f);
  assert.equal(r.code, 0);
  assert.equal(r.err, '');
  assert.equal(
    r.out,
    `${f}: planar
  l  type   activation  n[l]  W[l]    b[l]    Z[l], A[l]  parameters  multiply-adds
  0  input              2                     (2, m)      A[0] = X
  1  dense  tanh        4     (4, 2)  (4, 1)  (4, m)      12          8
  2  dense  sigmoid     1     (1, 4)  (1, 1)  (1, m)      5           4
  total parameters: 17; loss: binary-cross-entropy; activations: 12 values per example (m = 400: 37.5 KiB)
  multiply-adds per example: 12; training holds 72.1 KiB (parameters 136 bytes, gradients 136 bytes, activations and caches of 400 examples 71.9 KiB)

`,
  );
});

test('mistakes: every problem as FILE:LINE:COL: severity: message [code], exit 1', async () => {
  const f = join(examples, 'mistakes.dnn.json');
  const r = await dnn('check', f);
  assert.equal(r.code, 1);
  const lines = r.out.split('\n').filter((l) => l.startsWith(`${f}:`) && l !== `${f}: mistakes`);
  assert.deepEqual(lines, [
    `${f}:10:59: error: W[1] must be (n[1], n[0]) = (16, 2); found (2, 16): transposed? [shape-transposed]`,
    `${f}:12:72: error: b[2] must be (n[2], 1) = (8, 1); found (16, 1) [shape-mismatch]`,
    `${f}:17:11: error: binary-cross-entropy needs a sigmoid output layer, A[3] in (0, 1); layer 3 uses softmax [loss-activation-mismatch]`,
    `${f}:21:5: warning: unknown key 'learningrate' in training; did you mean 'learningRate'? [unknown-key]`,
    `${f}: 3 errors, 1 warning`,
  ]);
});

test('--json: problems with 1-based line/column and the shapes', async () => {
  const planar = join(examples, 'planar.dnn.json');
  const mistakes = join(examples, 'mistakes.dnn.json');
  const r = await dnn('check', '--json', planar, mistakes);
  assert.equal(r.code, 1);
  const doc = JSON.parse(r.out);
  assert.equal(doc.files.length, 2);
  assert.equal(doc.files[0].file, planar);
  assert.equal(doc.files[0].ok, true);
  assert.equal(doc.files[0].shapes.totalParams, 17);
  assert.deepEqual(doc.files[0].shapes.layers[1].W, [1, 4]);
  const p = doc.files[1].problems[0];
  assert.equal(doc.files[1].ok, false);
  assert.equal(p.code, 'shape-transposed');
  assert.deepEqual([p.line, p.column, p.endLine, p.endColumn], [10, 59, 10, 66]);
  assert.equal(p.fix[0].edits[0].newText, '[16, 2]');
});

test('a missing file is reported and the other files are still checked', async () => {
  const planar = join(examples, 'planar.dnn.json');
  const r = await dnn('check', join(dir, 'nope.dnn.json'), planar);
  assert.equal(r.code, 1);
  assert.match(r.out, new RegExp(`^${join(dir, 'nope.dnn.json').replace(/[.\\/]/g, '\\$&')}: error: cannot read: no such file\n`));
  assert.match(r.out, /total parameters: 17/);
  const d = join(dir, 'adir.dnn.json');
  mkdirSync(d, { recursive: true });
  const r2 = await dnn('check', d);
  assert.equal(r2.code, 1);
  assert.equal(r2.out, `${d}: error: cannot read: it is a directory\n`);
});

test('--help prints the usage on stdout and exits 0', async () => {
  const r = await dnn('check', '--help');
  assert.equal(r.code, 0);
  assert.match(r.out, /^usage: dnn check \[--json\] \[--no-data\] FILE\.\.\./);
});

test('usage errors exit 2: no files, an unknown option', async () => {
  const none = await dnn('check');
  assert.equal(none.code, 2);
  assert.match(none.err, /no files given/);
  const bad = await dnn('check', '--jsn', join(examples, 'planar.dnn.json'));
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown option '--jsn'/);
  assert.equal(bad.out, '');
});

test('a file with a BOM and CRLF line ends: positions as an editor shows them', async () => {
  const f = file('bom.dnn.json', '\uFEFF{\r\n  "input": 2,\r\n  "layers": [{ "units": 0, "activation": "sigmoid" }]\r\n}\r\n');
  const r = await dnn('check', f);
  assert.equal(r.code, 1);
  assert.match(r.out, new RegExp(`${f.replace(/[.\\/]/g, '\\$&')}:3:25: error: layer 1: units must be a positive integer ≤ 1,000,000; found 0 \\[out-of-range\\]`));
});

// The Foundation issue's hostile inputs: each gets positioned messages and exit 1 (0 if valid).
const planarText = readFileSync(join(examples, 'planar.dnn.json'), 'utf8');
const layer = '{ "units": 1, "activation": "sigmoid" }';
const hostile: [string, string | Buffer, number, RegExp][] = [
  ['empty', '', 1, /:1:1: error: the file is empty/],
  ['truncated', planarText.slice(0, Math.floor(planarText.length / 2)), 1, /:\d+:\d+: error: .*\[syntax-error\]/],
  ['top-level array', '[{"input": 2}]', 1, /:1:1: error: the file must be an object .*\[not-an-object\]/],
  ['NaN', `{"input": NaN, "layers": [${layer}]}`, 1, /:1:11: error: unexpected text.*\[syntax-error\]/],
  ['1e400', `{"input": 1e400, "layers": [${layer}]}`, 1, /:1:11: error: input must be a positive integer ≤ 1,000,000; found 1e400 \(too large for a double\) \[out-of-range\]/],
  ['10^15 units', `{"input": 2, "layers": [{"units": 1000000000000000, "activation": "relu"}, ${layer}]}`, 1, /:1:35: error: layer 1: units must be .*found 1000000000000000 \[out-of-range\]/],
  ['5,000 nested brackets', '['.repeat(5000) + ']'.repeat(5000), 1, /:1:257: error: nesting deeper than 256 levels \[syntax-error\]/],
  ['a 2 MB name', `{"name": "${'x'.repeat(2 * 1024 * 1024)}", "input": 2, "layers": [${layer}]}`, 0, /total parameters: 3/],
  // 2,000 layers: (8*2 + 8) + 1,998 * (8*8 + 8) + (1*8 + 1) = 24 + 143,856 + 9 = 143,889 parameters.
  ['2,000 layers', `{"input": 2, "layers": [${Array(1999).fill('{"units": 8, "activation": "relu"}').join(',')}, ${layer}]}`, 0, /total parameters: 143,889/],
  ['binary garbage', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) % 251)), 1, /:\d+:\d+: error: .*\[syntax-error\]/],
];

for (const [name, content, exit, expected] of hostile) {
  test(`hostile input: ${name}`, async () => {
    const f = file(`${name.replace(/\W+/g, '-')}.dnn.json`, content);
    const r = await dnn('check', f);
    assertNoCrash(r);
    assert.equal(r.code, exit, r.out.slice(0, 500));
    assert.match(r.out, expected);
    // Output stays readable: no line longer than a shortened message or table row.
    for (const line of r.out.split('\n')) assert.ok(line.length < f.length + 400, `long line: ${line.slice(0, 100)}…`);
  });
}

test('control characters from the file are printed as escapes, never sent to the terminal', async () => {
  // "\u001b[31m" in a JSON string is a real ESC in the value: printed raw, it turns the terminal red.
  const bad = file('ansi.dnn.json', '{ "input": 2, "layers": [{ "units": 1, "activation": "sig\\u001b[31mmoid" }] }');
  const named = file('ansi-name.dnn.json', '{ "name": "red\\u001b[31m", "input": 2, "layers": [{ "units": 1, "activation": "sigmoid" }] }');
  const r = await dnn('check', bad, named);
  assert.equal(r.code, 1);
  const raw = [...r.out + r.err].filter((ch) => ch !== '\n' && ch !== '\t' && (ch < ' ' || ch === '\u007f'));
  assert.deepEqual(raw, [], JSON.stringify(r.out + r.err));
  assert.match(r.out, /unknown activation 'sig\\u001b\[31mmoid'/);
  assert.match(r.out, /ansi-name\.dnn\.json: red\\u001b\[31m\n/);
});
