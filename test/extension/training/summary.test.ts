// The one line a run's end gets when its panel was closed mid-run: what a user needs without the chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closedPanelNotice } from '../../../src/extension/training/summary';

test('a run that finished with its panel closed says how it ended, its cost and accuracies, and where it saved', () => {
  const text = closedPanelNotice('planar.dnn.json', { status: 'done', iterationsRun: 10000, finalCost: 0.21831813264279215, trainAccuracy: 0.905, devAccuracy: 0.9, elapsedMs: 1200, paramsPath: '/w/planar.params.json' }, 'planar.params.json');
  assert.equal(text, 'DNN: planar.dnn.json trained: 10,000 iterations, final cost 0.218318, train accuracy 90.5%, dev accuracy 90%; parameters saved to planar.params.json');
});

test('a cost that is not finite and a warning are said too; nothing saved, nothing claimed', () => {
  const text = closedPanelNotice('x.dnn.json', { status: 'done', iterationsRun: 3, finalCost: null, elapsedMs: 1, message: 'the cost was inf at iteration 0' });
  assert.equal(text, 'DNN: x.dnn.json trained: 3 iterations, final cost not finite. the cost was inf at iteration 0');
});
