/**
 * The page's state under Node: what each message from the extension and each user action does to
 * what the page shows, with no browser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExtensionToWebview, ProgressPoint, RunSettings } from '../../src/protocol';
import { currentRun, currentStats, initialState, reduce, type Action, type PageModel } from '../../webview/state';

const settings: RunSettings = { learningRate: 1.2, iterations: 100, optimizer: 'gd' };
const init: ExtensionToWebview = { type: 'init', file: 'file:///ws/planar.dnn.json', title: 'planar', settings, twoD: true, running: false };

function points(from: number, to: number, acc = 0.75): ProgressPoint[] {
  const out: ProgressPoint[] = [];
  for (let i = from; i < to; i++) out.push({ iteration: i, cost: 1 / (i + 1), trainAccuracy: acc, elapsedMs: i * 10 });
  return out;
}

function run(actions: Action[], from: PageModel = initialState()): PageModel {
  return actions.reduce(reduce, from);
}

test('a run streamed to its end: samples kept, live state cleared, the summary said in percent', () => {
  const s = run([
    init,
    { type: 'runStarted', runId: 1, settings, hasDev: false, twoD: true },
    { type: 'progress', runId: 1, iterations: 100, points: points(0, 50) },
    { type: 'progress', runId: 1, iterations: 100, points: points(50, 100) },
  ]);
  assert.equal(s.liveRunId, 1);
  assert.equal(currentRun(s)!.samples.it.length, 100);
  const ended = reduce(s, { type: 'runEnded', runId: 1, summary: { status: 'done', iterationsRun: 100, finalCost: 0.01, trainAccuracy: 0.9, devAccuracy: 0.855, elapsedMs: 1500 } });
  assert.equal(ended.liveRunId, undefined);
  assert.equal(ended.message, 'Done: 100 iterations in 1.5 s, final cost 0.01, train accuracy 90.0%, dev accuracy 85.5%.');
  assert.equal(ended.messageKind, 'info');
  // After the end the header shows the summary's accuracies, not the last sample's.
  assert.equal(currentStats(ended).accuracy, 'train 90.0% · dev 85.5%');
  assert.equal(currentStats(ended).iteration, 'iteration 100 / 100');
});

test('a diverged or failed run is said as an error', () => {
  const s = run([init, { type: 'runStarted', runId: 3, settings, hasDev: false, twoD: true }]);
  const diverged = reduce(s, { type: 'runEnded', runId: 3, summary: { status: 'diverged', message: 'the cost became NaN at iteration 15', iterationsRun: 16, finalCost: null, elapsedMs: 3 } });
  assert.equal(diverged.message, 'Diverged: the cost became NaN at iteration 15.');
  assert.equal(diverged.messageKind, 'error');
  const failed = reduce(s, { type: 'runEnded', runId: 3, summary: { status: 'failed', iterationsRun: 0, finalCost: null, elapsedMs: 0 } });
  assert.equal(failed.message, 'Training failed.');
  assert.equal(failed.messageKind, 'error');
});

test('messages that change nothing give back the same state, so the page does not redraw', () => {
  const s = run([init, { type: 'runStarted', runId: 1, settings, hasDev: false, twoD: true }]);
  assert.equal(reduce(s, { type: 'progress', runId: 99, iterations: 10, points: points(0, 10) }), s, 'unknown run');
  assert.equal(reduce(s, { type: 'runState', runId: 99, paused: true }), s, 'not the live run');
  const grid = { xMin: 0, xMax: 1, yMin: 0, yMax: 1, nx: 1, ny: 1, values: [0.5], kind: 'probability' as const };
  assert.equal(reduce(s, { type: 'boundary', runId: 99, iteration: 5, grid }), s, 'a boundary of another run');
  assert.equal(reduce(s, { type: 'setLog', log: false }), s);
});

test('pause and resume follow the live run; a restart clears the paused state', () => {
  const s = run([init, { type: 'runStarted', runId: 2, settings, hasDev: false, twoD: true }, { type: 'runState', runId: 2, paused: true }]);
  assert.equal(s.paused, true);
  assert.equal(reduce(s, { type: 'runState', runId: 2, paused: false }).paused, false);
  assert.equal(reduce(s, { type: 'runStarted', runId: 3, settings, hasDev: false, twoD: true }).paused, false);
});

test('a run announced again (the page reloaded mid-run) keeps its samples', () => {
  const s = run([init, { type: 'runStarted', runId: 4, settings, hasDev: false, twoD: true }, { type: 'progress', runId: 4, iterations: 100, points: points(0, 30) }]);
  const again = run([{ type: 'runStarted', runId: 4, settings, hasDev: false, twoD: true }, { type: 'progress', runId: 4, iterations: 100, points: points(0, 60) }], s);
  assert.equal(again.runs.length, 1);
  // The resent 0..29 are ignored, 30..59 are new.
  assert.deepEqual(Array.from(currentRun(again)!.samples.it.view()), Array.from({ length: 60 }, (_, i) => i));
});

test('the history keeps the last five runs, numbered 1, 2, 3... on this page', () => {
  let s = run([init]);
  for (let k = 0; k < 7; k++) s = reduce(s, { type: 'runStarted', runId: 1000 + k, settings, hasDev: false, twoD: true });
  assert.deepEqual(s.runs.map((r) => r.seq), [3, 4, 5, 6, 7]);
});

test('the boundary is repainted when its points, its grid or the 2-D switch change, and only then', () => {
  const s = run([init, { type: 'runStarted', runId: 1, settings, hasDev: false, twoD: true }]);
  const v = s.boundaryVersion;
  const withPoints = reduce(s, { type: 'dataset', runId: 1, points: { x: [0], y: [0], label: [1], classes: 2 } });
  assert.ok(withPoints.boundaryVersion > v);
  const grid = { xMin: 0, xMax: 1, yMin: 0, yMax: 1, nx: 1, ny: 1, values: [0.5], kind: 'probability' as const };
  const withGrid = reduce(withPoints, { type: 'boundary', runId: 1, iteration: 10, grid });
  assert.ok(withGrid.boundaryVersion > withPoints.boundaryVersion);
  assert.equal(withGrid.boundaries, 1);
  assert.equal(reduce(withGrid, { type: 'progress', runId: 1, iterations: 100, points: points(0, 5) }).boundaryVersion, withGrid.boundaryVersion);
  assert.equal(reduce(withGrid, { type: 'settings', settings, twoD: true }).boundaryVersion, withGrid.boundaryVersion);
  assert.ok(reduce(withGrid, { type: 'settings', settings, twoD: false }).boundaryVersion > withGrid.boundaryVersion);
});

test('Reset forgets the runs and the heatmap but keeps the file', () => {
  const s = run([init, { type: 'runStarted', runId: 1, settings, hasDev: false, twoD: true }, { type: 'say', text: 'hello', kind: 'error' }]);
  const r = reduce(s, { type: 'reset' });
  assert.deepEqual(r.runs, []);
  assert.equal(r.grid, undefined);
  assert.equal(r.message, '');
  assert.equal(r.file, 'file:///ws/planar.dnn.json');
});

test('a message type the page does not know throws (main.ts logs it and carries on)', () => {
  assert.throws(() => reduce(initialState(), { type: 'launchMissiles' } as unknown as Action), /unexpected message/);
});

test('a reused panel takes each run\'s settings and 2-D flag: a failed 3-input run, then the fixed 2-input file', () => {
  const three: ExtensionToWebview = { type: 'init', file: 'file:///ws/mistakes.dnn.json', title: 'mistakes', settings: { learningRate: 0.0075, iterations: 2000, optimizer: 'gd' }, twoD: false, running: false };
  const failed = run([
    three,
    { type: 'runStarted', runId: 1, settings: three.settings, hasDev: false, twoD: false },
    { type: 'runEnded', runId: 1, summary: { status: 'failed', message: 'Training failed', iterationsRun: 0, finalCost: null, elapsedMs: 0 } },
  ]);
  assert.equal(failed.twoD, false);
  // The user sets input to 2 and α to 0.5, then trains again in the same panel.
  const fixed = { learningRate: 0.5, iterations: 2000, optimizer: 'gd' } as const;
  const again = run([{ type: 'settings', settings: fixed, twoD: true }, { type: 'runStarted', runId: 2, settings: fixed, hasDev: false, twoD: true }], failed);
  assert.equal(again.twoD, true);
  assert.equal(again.settings?.learningRate, 0.5);
  assert.equal(currentRun(again)!.settings.learningRate, 0.5);
  assert.ok(again.boundaryVersion > failed.boundaryVersion);
});
