/** The run's CSV export: exact costs for every iteration, the page's dev cost and accuracies where sampled. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCsv } from '../../../src/extension/training/exports';

const page = 'iteration,cost,dev_cost,train_accuracy,dev_accuracy\n0,0.69,0.7,0.5,0.25\n2,0.5,0.6,0.875,0.75\n';

test('exact costs of every iteration, with dev cost and accuracies at the sampled iterations', () => {
  assert.equal(
    runCsv([0.6930480201239823, 0.6, 0.5], page),
    'iteration,cost,dev_cost,train_accuracy,dev_accuracy\n' +
      '0,0.69304802012398226,0.7,0.5,0.25\n' +
      '1,0.59999999999999998,,,\n' +
      '2,0.50000000000000000,0.6,0.875,0.75\n',
  );
});

test('a run whose settings changed mid-run gets a last column saying what changed, at the first iteration that used it', () => {
  assert.equal(
    runCsv([0.7, 0.6, 0.5], page, [{ iteration: 1, beta: 0.5 }, { iteration: 2, learningRate: 0.3, epsilon: 0.001 }]),
    'iteration,cost,dev_cost,train_accuracy,dev_accuracy,changed\n' +
      '0,0.69999999999999996,0.7,0.5,0.25,\n' +
      '1,0.59999999999999998,,,,β=0.5\n' +
      '2,0.50000000000000000,0.6,0.875,0.75,α=0.3 ε=0.001\n',
  );
});

test('without the exact costs (after a reload) the page\'s samples are written as they are', () => {
  assert.equal(runCsv(undefined, page), page);
});
