/**
 * A quick fix that changes n[l] also rewrites the declared shapes that depend on it, so fixes
 * compose; "Fix all shape declarations" writes every declared shape as the file infers it.
 * The shapes are the course's rules worked out by hand: W[l] is (n[l], n[l-1]), b[l] (n[l], 1),
 * A[l] (n[l], m).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, checkText, fixAllShapes, withDependentShapes } from '../../src/core/check';
import type { Fix } from '../../src/core/problems';

const text = `{
  "input": 3,
  "layers": [
    { "units": 4, "activation": "tanh", "shapes": { "W": [4, 3], "b": [4, 1], "A": [4, "m"] } },
    { "units": 1, "activation": "sigmoid", "shapes": { "W": [1, 4] } }
  ],
  "data": { "builtin": "planar" }
}
`;
/** A fix that writes `value` over the first occurrence of `at` (as the data check's "Set input to 2" does). */
const setting = (at: string, value: string, title: string): Fix => {
  const offset = text.indexOf(at) + at.length - 1;
  return { title, edits: [{ range: { offset, length: 1 }, newText: value }], preferred: true };
};

test('"Set input to 2" also changes the W[1] it makes wrong: (4, 3) becomes (4, 2), and the file checks clean', () => {
  assert.deepEqual(checkText(text).problems.map((p) => p.code), []);
  const fix = withDependentShapes(text, setting('"input": 3', '2', 'Set input to 2'));
  assert.equal(fix.title, 'Set input to 2 and the declared shape that depends on it');
  const fixed = applyEdits(text, fix.edits);
  assert.match(fixed, /"input": 2,/);
  assert.match(fixed, /"W": \[4, 2\], "b": \[4, 1\], "A": \[4, "m"\]/);
  assert.match(fixed, /"W": \[1, 4\]/);
  assert.deepEqual(checkText(fixed).problems, []);
});

test('a layer\'s units from 4 to 10: its W, b and A and the next layer\'s W follow (a longer number shifts the later edits)', () => {
  const fix = withDependentShapes(text, setting('"units": 4', '10', 'Set n[1] to 10'));
  assert.equal(fix.title, 'Set n[1] to 10 and the 4 declared shapes that depend on it');
  const fixed = applyEdits(text, fix.edits);
  assert.match(fixed, /"units": 10, "activation": "tanh", "shapes": \{ "W": \[10, 3\], "b": \[10, 1\], "A": \[10, "m"\] \}/);
  assert.match(fixed, /"W": \[1, 10\]/);
  assert.deepEqual(checkText(fixed).problems, []);
});

test('a shape that was already wrong keeps its own fix; one that does not depend on the change is left alone', () => {
  const wrong = text.replace('"b": [4, 1]', '"b": [3, 1]');
  const offset = wrong.indexOf('"input": 3') + '"input": '.length;
  const fix = withDependentShapes(wrong, { title: 'Set input to 2', edits: [{ range: { offset, length: 1 }, newText: '2' }] });
  const fixed = applyEdits(wrong, fix.edits);
  assert.match(fixed, /"W": \[4, 2\], "b": \[3, 1\]/);
  assert.deepEqual(checkText(fixed).problems.map((p) => p.message), ['b[1] must be (n[1], 1) = (4, 1); found (3, 1)']);
  // A fix that breaks no declared shape comes back as it was.
  const rename = { title: 'Rename', edits: [{ range: { offset: wrong.indexOf('"data"'), length: 0 }, newText: '' }] };
  assert.equal(withDependentShapes(wrong, rename), rename);
});

test('Fix all shape declarations: one edit per wrong declared shape, and the file then checks', () => {
  const wrong = text.replace('"W": [4, 3]', '"W": [3, 4]').replace('"b": [4, 1]', '"b": [3, 1]').replace('"W": [1, 4]', '"W": [4, 1]');
  const all = fixAllShapes(checkText(wrong).problems)!;
  assert.equal(all.title, 'Fix all shape declarations (3)');
  assert.deepEqual(checkText(applyEdits(wrong, all.edits)).problems, []);
  // With one wrong shape its own fix is enough: no "all".
  assert.equal(fixAllShapes(checkText(text.replace('"b": [4, 1]', '"b": [3, 1]')).problems), undefined);
});
