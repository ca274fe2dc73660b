/** The charts' curves under Node: which lines the user sees, in which colours, with which points. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProgressPoint, RunSettings } from '../../src/protocol';
import { curves, type CurvePalette } from '../../webview/curves';
import { initialState, reduce, type Action, type PageModel } from '../../webview/state';

const palette: CurvePalette = { cost: 'blue', devCost: 'orange', trainAcc: 'green', devAcc: 'purple', history: ['h0', 'h1', 'h2', 'h3'] };
const settings: RunSettings = { learningRate: 1.2, iterations: 5000, optimizer: 'gd' };

function model(actions: Action[]): PageModel {
  return actions.reduce(reduce, initialState());
}

function samples(n: number, f: (i: number) => Partial<ProgressPoint>): ProgressPoint[] {
  return Array.from({ length: n }, (_, i) => ({ iteration: i, cost: 1 / (i + 1), elapsedMs: i, ...f(i) }));
}

test('accuracies arrive as fractions and are drawn as percents on a 0..100 axis', () => {
  const s = model([
    { type: 'runStarted', runId: 1, settings, hasDev: true, twoD: false },
    { type: 'progress', runId: 1, iterations: 5000, points: samples(3, (i) => ({ trainAccuracy: [0.5, 0.75, 1][i], devAccuracy: [0.25, 0.5, 0.875][i], devCost: 2 })) },
  ]);
  const c = curves(s, palette);
  assert.deepEqual(c.accuracy.map((a) => [a.label, a.color]), [['train accuracy', 'green'], ['dev accuracy', 'purple']]);
  assert.deepEqual(c.accuracy[0].data.map((p) => p.y), [50, 75, 100]);
  assert.deepEqual(c.accuracy[1].data.map((p) => p.y), [25, 50, 87.5]);
  assert.deepEqual(c.cost.map((l) => l.label), ['cost (run 1: α=1.2, 5,000 it, gd)', 'dev cost']);
  // The axis ends at the iteration count, a round number.
  assert.equal(c.xMax, 5000);
});

test('a network without accuracy (mse) gets no accuracy curves, and no dev curve without dev data', () => {
  const s = model([
    { type: 'runStarted', runId: 1, settings, hasDev: false, twoD: false },
    { type: 'progress', runId: 1, iterations: 5000, points: samples(10, () => ({})) },
  ]);
  const c = curves(s, palette);
  assert.deepEqual(c.accuracy, []);
  assert.deepEqual(c.cost.map((l) => l.label), ['cost (run 1: α=1.2, 5,000 it, gd)']);
});

test('earlier runs are drawn first, dashed and in history colours, the newest of them in the first', () => {
  const s = model([
    { type: 'runStarted', runId: 1, settings, hasDev: false, twoD: false },
    { type: 'runStarted', runId: 2, settings: { ...settings, learningRate: 0.5 }, hasDev: false, twoD: false },
    { type: 'runStarted', runId: 3, settings: { ...settings, optimizer: 'adam' }, hasDev: false, twoD: false },
  ]);
  const c = curves(s, palette);
  assert.deepEqual(
    c.cost.map((l) => [l.label, l.color, l.dash, l.width]),
    [
      ['run 1: α=1.2, 5,000 it, gd', 'h1', [2, 3], 1.25],
      ['run 2: α=0.5, 5,000 it, gd', 'h0', [2, 3], 1.25],
      ['cost (run 3: α=1.2, 5,000 it, adam)', 'blue', [], 2],
    ],
  );
});

test('a cost that is not finite, or not positive on a log axis, is a gap', () => {
  const costs = [1, NaN, 0, 0.5];
  const actions: Action[] = [
    { type: 'runStarted', runId: 1, settings, hasDev: false, twoD: false },
    { type: 'progress', runId: 1, iterations: 4, points: samples(4, (i) => ({ cost: costs[i] })) },
  ];
  assert.deepEqual(curves(model(actions), palette).cost[0].data.map((p) => p.y), [1, null, 0, 0.5]);
  const log = model([...actions, { type: 'setLog', log: true }]);
  assert.deepEqual(curves(log, palette).cost[0].data.map((p) => p.y), [1, null, null, 0.5]);
});

test('100,000 samples are drawn as at most 2,000 points, ending at the last iteration', () => {
  const big = { ...settings, iterations: 100_000 };
  const s = model([
    { type: 'runStarted', runId: 7, settings: big, hasDev: false, twoD: false },
    { type: 'progress', runId: 7, iterations: 100_000, points: samples(100_000, (i) => ({ cost: i === 61_234 ? 5 : 1 / (i + 1) })) },
  ]);
  const c = curves(s, palette);
  assert.ok(c.drawnPoints <= 2000 && c.drawnPoints > 1500, `${c.drawnPoints} points`);
  assert.ok(c.cost[0].data.some((p) => p.x === 61_234 && p.y === 5), 'the spike is drawn');
  assert.equal(c.xMax, 100_000);
});

test('the x axis follows the current run: a 10,000-iteration run after a 2,000,000 one fills the width; history can be hidden', () => {
  const s = model([
    { type: 'runStarted', runId: 1, settings: { ...settings, iterations: 2_000_000 }, hasDev: false, twoD: false },
    { type: 'progress', runId: 1, iterations: 2_000_000, points: samples(50, () => ({})) },
    { type: 'runStarted', runId: 2, settings: { ...settings, iterations: 10_000 }, hasDev: false, twoD: false },
  ]);
  assert.equal(curves(s, palette).xMax, 10_000);
  assert.deepEqual(curves(s, palette).cost.map((l) => l.label), ['run 1: α=1.2, 2,000,000 it, gd', 'cost (run 2: α=1.2, 10,000 it, gd)']);
  const hidden = reduce(s, { type: 'setHistory', history: false });
  assert.deepEqual(curves(hidden, palette).cost.map((l) => l.label), ['cost (run 2: α=1.2, 10,000 it, gd)']);
});

test('α changed mid-run: a marker on the cost curve where it took effect, and the legend names both rates', () => {
  const s = model([
    { type: 'runStarted', runId: 1, settings, hasDev: false, twoD: false },
    { type: 'progress', runId: 1, iterations: 5000, points: samples(100, () => ({})) },
    { type: 'tuned', runId: 1, iteration: 40, learningRate: 0.3 },
    { type: 'progress', runId: 1, iterations: 5000, points: samples(200, () => ({})).slice(100) },
  ]);
  const c = curves(s, palette);
  assert.equal(c.cost[0].label, 'cost (run 1: α=1.2→0.3, 5,000 it, gd)');
  const marker = c.cost.find((l) => l.marker);
  assert.equal(marker?.label, 'α=0.3 from iteration 40');
  // On the curve: the cost of iteration 40 is 1 / 41 in these samples.
  assert.deepEqual(marker?.data, [{ x: 40, y: 1 / 41 }]);
});
