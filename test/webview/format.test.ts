/** The page's text under Node: numbers, durations, percents, summaries, inputs and CSV exports. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confusionCell, pictureLabel, picturesTitle, samplesCsv, runRow, fmtNumber, fmtTime, percent, runLabel, statsText, summaryText } from '../../webview/format';
import type { PictureSamples } from '../../src/protocol';
import { parseOptimizerSetting, parseOverrides } from '../../webview/overrides';

test('accuracies are fractions and read as percents with one decimal', () => {
  assert.equal(percent(0.9), '90.0%');
  assert.equal(percent(1), '100.0%');
  assert.equal(percent(0), '0.0%');
  assert.equal(percent(0.8567), '85.7%');
});

test('costs keep 6 significant digits, with exponents outside [1e-3, 1e6)', () => {
  assert.equal(fmtNumber(0.6930480201239823), '0.693048');
  assert.equal(fmtNumber(0.2), '0.2');
  assert.equal(fmtNumber(0.000123456), '1.235e-4');
  assert.equal(fmtNumber(NaN), 'NaN');
});

test('durations read as ms, s, then min and s', () => {
  assert.equal(fmtTime(999.4), '999 ms');
  assert.equal(fmtTime(1500), '1.5 s');
  assert.equal(fmtTime(125_000), '2 min 5 s');
});

test('a run is named by its number and settings, iterations with separators', () => {
  assert.equal(runLabel(3, { learningRate: 0.0075, iterations: 2500, optimizer: 'adam' }), 'run 3: α=0.0075, 2,500 it, adam');
});

test('summaries: done with accuracies and the saved file, stopped, diverged', () => {
  assert.equal(
    summaryText({ status: 'done', iterationsRun: 5000, finalCost: 0.2007702134, trainAccuracy: 0.9, devAccuracy: 0.85, elapsedMs: 61_000, paramsPath: '/ws/sub/planar.params.json' }),
    'Done: 5,000 iterations in 1 min 1 s, final cost 0.20077021, train accuracy 90.0%, dev accuracy 85.0%; parameters saved to planar.params.json.',
  );
  assert.equal(
    summaryText({ status: 'done', iterationsRun: 10, finalCost: null, elapsedMs: 5, message: 'the parameters could not be saved: EACCES' }),
    'Done: 10 iterations in 5 ms, cost not finite; the parameters could not be saved: EACCES.',
  );
  assert.equal(summaryText({ status: 'aborted', iterationsRun: 300, finalCost: 0.25, elapsedMs: 60 }), 'Stopped after 300 iterations (60 ms); final cost 0.25. Parameters not saved.');
  assert.equal(summaryText({ status: 'aborted', iterationsRun: 300, finalCost: 0.25, elapsedMs: 60, canSave: true }), 'Stopped after 300 iterations (60 ms); final cost 0.25. What it learned is not saved yet.');
  assert.equal(summaryText({ status: 'aborted', iterationsRun: 300, finalCost: 0.25, elapsedMs: 60, paramsPath: '/ws/a.params.json' }), 'Stopped after 300 iterations (60 ms); final cost 0.25; parameters saved to a.params.json.');
  assert.equal(summaryText({ status: 'diverged', iterationsRun: 16, finalCost: null, elapsedMs: 3 }), 'Diverged: the cost is no longer a finite number.');
});

test('the stats line: progress, speed, cost and accuracies', () => {
  const t = statsText({ lastIteration: 4999, total: 5000, elapsedMs: 1000, cost: 0.2007702, trainAccuracy: 0.9, devAccuracy: null });
  assert.deepEqual(t, { iteration: 'iteration 5,000 / 5,000', elapsed: '1.0 s', speed: '5,000 it/s', cost: 'cost 0.20077', accuracy: 'train 90.0%' });
  assert.equal(statsText({ lastIteration: 0, total: 10, elapsedMs: 0, cost: undefined, trainAccuracy: undefined, devAccuracy: undefined }).speed, '');
});

test('the CSV export has a header, every sample, and an empty cell for a cost that is not finite', () => {
  assert.equal(
    samplesCsv({ it: [0, 1, 2], cost: [0.6930480201239823, NaN, 0.5], devCost: [0.7, NaN, 0.6], trainAcc: [0.5, NaN, 0.875], devAcc: [NaN, NaN, 0.75] }),
    'iteration,cost,dev_cost,train_accuracy,dev_accuracy\n0,0.6930480201239823,0.7,0.5,\n1,,,,\n2,0.5,0.6,0.875,0.75\n',
  );
});

test('override inputs: empty means "as in the file", separators are allowed, bad values are refused with a reason', () => {
  assert.deepEqual(parseOverrides({ learningRate: '', iterations: '', optimizer: '' }), { overrides: {}, errors: {} });
  assert.deepEqual(parseOverrides({ learningRate: ' 0.5 ', iterations: '2,000', optimizer: 'adam' }).overrides, { learningRate: 0.5, iterations: 2000, optimizer: 'adam' });
  assert.deepEqual(parseOverrides({ learningRate: '', iterations: '10_000', optimizer: '' }).overrides, { iterations: 10_000 });
  const bad = parseOverrides({ learningRate: '-3', iterations: '2.5', optimizer: '' });
  assert.equal(bad.overrides, undefined);
  assert.equal(bad.errors.learningRate, 'The learning rate must be a positive number, e.g. 0.0075');
  assert.equal(bad.errors.iterations, 'Iterations must be a whole number from 1 to 10,000,000');
  assert.equal(parseOverrides({ learningRate: '', iterations: '10000001', optimizer: '' }).overrides, undefined);
  assert.equal(parseOverrides({ learningRate: 'abc', iterations: '', optimizer: '' }).overrides, undefined);
});

test('the runs table: settings with α\'s changes, final cost, accuracies in percent, time, how it ended', () => {
  const settings = { learningRate: 1.2, iterations: 10_000, optimizer: 'gd' } as const;
  assert.deepEqual(
    runRow({ seq: 2, settings, tunes: [{ learningRate: 0.3 }], summary: { status: 'aborted', iterationsRun: 4321, finalCost: 0.25, trainAccuracy: 0.9, elapsedMs: 1500 }, elapsedMs: 1500, iterationsDone: 4321 }),
    ['2', '1.2→0.3', '10,000', 'gd', '0.25', '90.0%', '', '1.5 s', 'stopped at 4,321'],
  );
  assert.deepEqual(runRow({ seq: 3, settings, tunes: [], lastCost: 0.5, elapsedMs: 200, iterationsDone: 10 }), ['3', '1.2', '10,000', 'gd', '0.5', '', '', '200 ms', 'running']);
});

test('optimiser settings changed mid-run are in the legend and the runs table, after the optimiser, in the order they came', () => {
  const settings = { learningRate: 0.01, iterations: 1000, optimizer: 'adam' } as const;
  const tunes = [{ beta1: 0.6, beta2: 0.99 }, { learningRate: 0.02 }, { epsilon: 0.001, beta1: 0.7 }];
  assert.equal(runLabel(4, settings, tunes), 'run 4: α=0.01→0.02, 1,000 it, adam, β1→0.6→0.7, β2→0.99, ε→0.001');
  const row = runRow({ seq: 4, settings, tunes, elapsedMs: 10, iterationsDone: 3 });
  assert.equal(row[1], '0.01→0.02');
  assert.equal(row[3], 'adam, β1→0.6→0.7, β2→0.99, ε→0.001');
});

test('the optimiser box takes a β in [0, 1) and an ε above 0, and says why not otherwise', () => {
  assert.deepEqual(parseOptimizerSetting('beta', ' 0.5 '), { value: 0.5 });
  assert.deepEqual(parseOptimizerSetting('beta1', '0'), { value: 0 });
  assert.deepEqual(parseOptimizerSetting('beta', ''), {});
  assert.equal(parseOptimizerSetting('beta2', '1').error, 'β2 must be a number from 0 up to (not including) 1, e.g. 0.9');
  assert.equal(parseOptimizerSetting('epsilon', '0').error, 'ε must be a number above 0, e.g. 1e-8');
  assert.equal(parseOptimizerSetting('epsilon', '1e-3').value, 0.001);
});

test('with mini-batches the stats count epochs, and every run says how many examples it goes through a second', () => {
  // 15 epochs of 2,400 examples in 3 s: 5 epochs/s, 12,000 examples/s.
  const t = statsText({ lastIteration: 14, total: 15, elapsedMs: 3000, cost: 0.5, trainAccuracy: undefined, devAccuracy: undefined, m: 2400, epochs: true });
  assert.equal(t.iteration, 'epoch 15 / 15');
  assert.equal(t.speed, '5 epochs/s · 12,000 examples/s');
  // Full batch: 2,500 iterations of 209 examples in 2 s = 1,250 it/s and 261,250 examples/s, shown as 261,000.
  const f = statsText({ lastIteration: 2499, total: 2500, elapsedMs: 2000, cost: 0.1, trainAccuracy: undefined, devAccuracy: undefined, m: 209 });
  assert.equal(f.iteration, 'iteration 2,500 / 2,500');
  assert.equal(f.speed, '1,250 it/s · 261,000 examples/s');
});

const samples: PictureSamples = {
  set: 'dev',
  iteration: 14,
  height: 1,
  width: 1,
  channels: 1,
  classNames: ['circle', 'square', 'triangle'],
  pixels: [0, 255],
  predicted: [1, 0],
  actual: [2, 0],
  index: [7, 0],
  confusion: [5, 0, 0, 0, 4, 1, 0, 1, 3],
  total: 14,
  mislabelled: 2,
};

test('a picture says what was predicted and what is true, and a mislabelled one is marked', () => {
  assert.deepEqual(pictureLabel(samples, 0), { predicted: '✗ pred. square', actual: 'true triangle', wrong: true });
  assert.deepEqual(pictureLabel(samples, 1), { predicted: 'pred. circle', actual: 'true circle', wrong: false });
  assert.equal(picturesTitle(samples), 'Dev pictures: 2 of 14 mislabelled (framed, shown first); 2 shown, after 15 iterations');
});

test('a confusion cell\'s shade is its share of the true class\'s examples', () => {
  // Row "square" (true 1) holds 0 + 4 + 1 = 5 examples: 4 right, 1 called a triangle.
  assert.deepEqual(confusionCell(samples, 1, 1), { count: 4, share: 0.8 });
  assert.deepEqual(confusionCell(samples, 1, 2), { count: 1, share: 0.2 });
  assert.deepEqual(confusionCell({ ...samples, confusion: new Array(9).fill(0) }, 0, 0), { count: 0, share: 0 });
});
