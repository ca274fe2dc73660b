/** The costs CSV that `dnn train --costs` and the training page's Export CSV write. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costLine, costsCsv } from '../../src/run/costs';

test('the costs CSV has a header and every cost at 17 significant digits', () => {
  // Python's '%.17g' % 0.6930480201239823 is 0.69304802012398226.
  assert.equal(costsCsv([0.6930480201239823, 0.25]), 'iteration,cost\n0,0.69304802012398226\n1,0.25000000000000000\n');
});

test('the editor prints the course\'s cost lines as `dnn train` does', () => {
  // The course's planar notebook (week 3) prints, for iteration 1000: "Cost after iteration 1000: 0.288083".
  assert.equal(costLine(1000, 0.28808329356901), 'Cost after iteration 1000: 0.288083');
  assert.equal(costLine(0, NaN), 'Cost after iteration 0: NaN');
});
