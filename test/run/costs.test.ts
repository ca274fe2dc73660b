/** The costs CSV that `dnn train --costs` and the training page's Export CSV write. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costsCsv } from '../../src/run/costs';

test('the costs CSV has a header and every cost at 17 significant digits', () => {
  // Python's '%.17g' % 0.6930480201239823 is 0.69304802012398226.
  assert.equal(costsCsv([0.6930480201239823, 0.25]), 'iteration,cost\n0,0.69304802012398226\n1,0.25000000000000000\n');
});
