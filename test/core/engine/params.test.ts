// The parameters file: the course's dict as JSON, exact round trip, numpy's own output loads, and
// every wrong key or shape is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { networkOf } from '../../../src/core/engine/network';
import { parseParameters, serializeParameters } from '../../../src/core/engine/params';
import { loadParameters, saveParameters } from '../../../src/node/params';
import { fixture, fromRows, makeSpec } from './helpers';

const net = networkOf(makeSpec({ layerDims: [2, 4, 1], activations: ['tanh', 'sigmoid'], loss: 'binary-cross-entropy' }));
const planar = fixture('planar-week3.json');
const final = planar.final as Record<string, number[][]>;

test('a file written the way numpy would (json.dump of .tolist()) loads with the same numbers', () => {
  const r = parseParameters(JSON.stringify(final), net);
  assert.ok(r.ok);
  for (const [k, v] of Object.entries(final)) assert.deepEqual(Array.from(r.file.parameters.get(k)!.data), v.flat());
});

test('serialise then parse is exact to the last bit, keys in the course order, meta kept', () => {
  const parameters = new Map(Object.entries(final).map(([k, v]) => [k, fromRows(v)]));
  const text = serializeParameters(parameters, { architecture: [2, 4, 1], seed: 2, finalCost: 0.2 });
  assert.deepEqual(Object.keys(JSON.parse(text)), ['W1', 'b1', 'W2', 'b2', 'meta']);
  const r = parseParameters(text, net);
  assert.ok(r.ok);
  assert.deepEqual(r.file.meta, { architecture: [2, 4, 1], seed: 2, finalCost: 0.2 });
  for (const [k, M] of parameters) assert.deepEqual(r.file.parameters.get(k)!.data, M.data);
});

test('a wrong shape names the key, the rule and both shapes', () => {
  const bad = { ...final, b2: [[0, 0, 0, 0]] };
  const r = parseParameters(JSON.stringify(bad), net);
  assert.ok(!r.ok);
  assert.deepEqual(r.problems, ['b2 must be (1, 1) = (n[2], 1); found (1, 4)']);
});

test('a transposed W is called so; missing and stray keys are named', () => {
  const W1t = final.W1[0].map((_, j) => final.W1.map((row) => row[j]));
  const r = parseParameters(JSON.stringify({ W1: W1t, b1: final.b1, W2: final.W2, W3: [[1]] }), net);
  assert.ok(!r.ok);
  assert.deepEqual(r.problems, [
    'b2 is missing; it must be (1, 1)',
    'W3 is not a parameter of this network (it has W1, b1, W2, b2)',
    'W1 must be (4, 2) = (n[1], n[0]); found (2, 4): transposed?',
  ]);
});

test('NaN, strings, ragged rows and non-objects are refused with the place', () => {
  const r1 = parseParameters('{"W1": [[1, 2], [3, NaN]]}', net);
  assert.ok(!r1.ok && /not valid JSON/.test(r1.problems[0]));
  const r2 = parseParameters(JSON.stringify({ ...final, W2: [[1, 2, '3', 4]] }), net);
  assert.ok(!r2.ok);
  assert.deepEqual(r2.problems, ['W2[0][2] must be a finite number; found "3"']);
  const r3 = parseParameters(JSON.stringify({ ...final, W1: [[1, 2], [3]] }), net);
  assert.ok(!r3.ok && r3.problems[0] === 'W1 row 1 has 1 entries but row 0 has 2');
  const r4 = parseParameters('[1, 2]', net);
  assert.ok(!r4.ok);
});

test('saveParameters writes atomically (no temporary left behind) and loadParameters reads it back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-params-'));
  const path = join(dir, 'planar.params.json');
  writeFileSync(path, 'old contents');
  const parameters = new Map(Object.entries(final).map(([k, v]) => [k, fromRows(v)]));
  await saveParameters(path, parameters, { seed: 2 });
  assert.deepEqual(readdirSync(dir), ['planar.params.json']);
  assert.ok(readFileSync(path, 'utf8').startsWith('{\n  "W1": [\n'));
  const r = await loadParameters(path, net);
  assert.ok(r.ok);
  assert.deepEqual(r.file.parameters.get('W2')!.data, parameters.get('W2')!.data);
  const missing = await loadParameters(join(dir, 'nope.json'), net);
  assert.ok(!missing.ok && /no such file/.test(missing.problems[0]));
});

test('saving into a folder that does not exist says so, naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-params-'));
  const parameters = new Map(Object.entries(final).map(([k, v]) => [k, fromRows(v)]));
  await assert.rejects(saveParameters(join(dir, 'missing', 'p.json'), parameters), /^Error: cannot write .*missing\/p\.json: the folder does not exist$/);
});
