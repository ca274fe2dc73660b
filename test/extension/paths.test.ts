/**
 * Data and init paths may leave the project (users keep data elsewhere), but the editor says where
 * they point: an information problem on the path's value, naming the resolved target.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { checkText } from '../../src/core/check';
import { forChecking, MAX_CHECKED_BUILTIN_EXAMPLES, pathsOutside } from '../../src/extension/paths';
import { loadDataForSpec } from '../../src/node/data';

const workspace = resolve('/home/student/project');
const docDir = resolve(workspace, 'nets');

function problems(text: string, folders = [workspace]): ReturnType<typeof pathsOutside> {
  return pathsOutside(checkText(text).tree, docDir, folders);
}

test('paths inside the workspace, however written, say nothing', () => {
  const text = '{"input": 2, "layers": [{"units": 1, "activation": "sigmoid"}], "data": {"train": "../data/train.csv", "dev": "dev.csv"}, "training": {"init": {"file": "p.json"}}}';
  assert.deepEqual(problems(text), []);
  // A sibling folder whose name starts with two dots is still inside.
  assert.deepEqual(problems('{"data": {"train": "..data/t.csv"}}'), []);
});

test('a path that leaves the workspace gets an information problem on its value, with where it points', () => {
  const text = '{"input": 2, "layers": [], "data": {"train": "../../../../etc/passwd", "dev": "/tmp/dev.csv"}, "training": {"init": {"file": "../../elsewhere/p.json"}}}';
  const found = problems(text);
  assert.deepEqual(found.map((p) => [p.code, p.severity, p.path.join('.')]), [
    ['outside-workspace', 'info', 'data.train'],
    ['outside-workspace', 'info', 'data.dev'],
    ['outside-workspace', 'info', 'training.init.file'],
  ]);
  assert.equal(found[0].message, `data.train points outside the workspace folder, to ${resolve('/etc/passwd')}`);
  const train = text.indexOf('"../../../../etc/passwd"');
  assert.deepEqual(found[0].range, { offset: train, length: '"../../../../etc/passwd"'.length });
  assert.equal(found[2].message, `training.init.file points outside the workspace folder, to ${resolve('/home/student/elsewhere/p.json')}`);
});

test('a document that is itself outside the workspace folders has nothing to leave', () => {
  const text = '{"data": {"train": "../elsewhere/train.csv"}}';
  assert.deepEqual(pathsOutside(checkText(text).tree, resolve('/home/student/other'), [workspace]), []);
});

test('inside any one of several workspace folders counts as inside', () => {
  const text = '{"data": {"train": "/data/shared/train.csv"}}';
  assert.equal(problems(text).length, 1);
  assert.deepEqual(problems(text, [workspace, resolve('/data')]), []);
});

test('the editor checks built-in data against the network on at most 10,000 generated examples, finding the same mismatch', async () => {
  const text = '{"input": 2, "layers": [{"units": 2, "activation": "softmax"}], "data": {"builtin": "spiral", "classes": 3, "examples": 10000000}}';
  const spec = checkText(text).spec!;
  const bounded = forChecking(spec);
  assert.equal(bounded.data?.kind === 'builtin' && bounded.data.examples, MAX_CHECKED_BUILTIN_EXAMPLES);
  assert.equal(spec.data?.kind === 'builtin' && spec.data.examples, 10_000_000, 'the file\'s own spec is untouched');
  const found = (await loadDataForSpec(bounded, '/nowhere/net.dnn.json', checkText(text).tree)).problems;
  assert.deepEqual(found.map((p) => p.code), ['data-mismatch'], '3 classes against n[L] = 2 is still found');
  // A small set is checked as written.
  const small = checkText('{"input": 2, "layers": [{"units": 1, "activation": "sigmoid"}], "data": {"builtin": "planar"}}').spec!;
  assert.equal(forChecking(small), small);
});
