/**
 * examples/mistakes.dnn.json is the demo a student meets first: every mistake must show at once
 * (none hides behind another), each preferred quick fix must survive the others in any order, and
 * the fixed network must then learn its data, so the lesson ends with a network that works.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../src/core/check';
import { packedKernels } from '../../src/core/kernels';
import { checkFile, loadRun } from '../../src/run/load';
import { trainRun } from '../../src/run/train';

const file = join(__dirname, '..', '..', 'examples', 'mistakes.dnn.json');
const original = readFileSync(file, 'utf8');

/** Applies the preferred fix of the first problem with `code`, as Ctrl+. would. */
function fix(text: string, code: string): string {
  const p = checkText(text).problems.find((q) => q.code === code);
  assert.ok(p, `${code} is still reported`);
  const f = p.fix?.find((x) => x.preferred) ?? p.fix?.[0];
  assert.ok(f, `${code} has a quick fix`);
  // Edits from the end, so earlier offsets stay valid.
  let out = text;
  for (const e of [...f.edits].sort((a, b) => b.range.offset - a.range.offset)) {
    out = out.slice(0, e.range.offset) + e.newText + out.slice(e.range.offset + e.range.length);
  }
  return out;
}

const CODES = ['shape-transposed', 'shape-mismatch', 'loss-activation-mismatch', 'unknown-key'];

test('mistakes.dnn.json: all four mistakes at once, and the fixes compose in either order', () => {
  assert.deepEqual(checkText(original).problems.map((p) => p.code), CODES);
  for (const order of [CODES, [...CODES].reverse()]) {
    let text = original;
    order.forEach((code, k) => {
      text = fix(text, code);
      // Each fix removes its own problem and adds none.
      assert.deepEqual(checkText(text).problems.map((p) => p.code), CODES.filter((c) => !order.slice(0, k + 1).includes(c)), `after fixing ${code}`);
    });
  }
});

test('mistakes.dnn.json fixed: it loads its data and learns the spiral (over 95% train accuracy)', async () => {
  const text = CODES.reduce(fix, original);
  const f = checkFile(file, text);
  assert.ok(f.ok);
  const loaded = await loadRun(f);
  assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.problems));
  const trained = await trainRun(loaded.run, { kernels: packedKernels });
  assert.ok(trained.ok);
  assert.equal(trained.result.status, 'done');
  assert.ok((trained.result.trainAccuracy ?? 0) > 0.95, `train accuracy ${trained.result.trainAccuracy}`);
});
