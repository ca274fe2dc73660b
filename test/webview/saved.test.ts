/** What the page saves with vscode.setState, and what a reloaded page shows from it, under Node. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProgressPoint, RunSettings } from '../../src/protocol';
import { EMPTY_INPUTS } from '../../webview/overrides';
import { fromPageState, toPageState } from '../../webview/saved';
import { currentRun, currentStats, initialState, reduce, type Action } from '../../webview/state';

const settings: RunSettings = { learningRate: 1.2, iterations: 100, optimizer: 'gd' };

function points(from: number, to: number): ProgressPoint[] {
  const out: ProgressPoint[] = [];
  for (let i = from; i < to; i++) out.push({ iteration: i, cost: 1 / (i + 1), trainAccuracy: 0.75, elapsedMs: i * 10 });
  return out;
}

function run(actions: Action[]) {
  return actions.reduce(reduce, initialState());
}

test('the saved state comes back as the same runs, inputs and settings after a reload', () => {
  const s = run([
    { type: 'init', file: 'file:///ws/planar.dnn.json', title: 'planar', settings, twoD: true, running: false },
    { type: 'runStarted', runId: 1, settings, hasDev: false, twoD: true },
    { type: 'progress', runId: 1, iterations: 100, points: points(0, 100) },
    { type: 'runEnded', runId: 1, summary: { status: 'done', iterationsRun: 100, finalCost: 0.01, trainAccuracy: 0.75, elapsedMs: 990 } },
    { type: 'setLog', log: true },
  ]);
  const inputs = { learningRate: '0.5', iterations: '2,000', optimizer: 'adam' };
  // vscode.setState keeps JSON.
  const saved = JSON.parse(JSON.stringify(toPageState(s, inputs)));
  const back = fromPageState(saved)!;
  assert.deepEqual(back.inputs, inputs);
  assert.equal(back.state.title, 'planar');
  assert.equal(back.state.log, true);
  assert.equal(back.state.liveRunId, undefined);
  assert.equal(back.state.message, s.message);
  const r = currentRun(back.state)!;
  assert.equal(r.seq, 1);
  assert.equal(r.total, 100);
  assert.deepEqual(Array.from(r.samples.cost.view()), Array.from(currentRun(s)!.samples.cost.view()));
  assert.deepEqual(currentStats(back.state), currentStats(s));
  // The boundary is painted again from what was saved.
  assert.ok(back.state.boundaryVersion > initialState().boundaryVersion);
});

test('a missing or foreign saved state starts empty', () => {
  assert.equal(fromPageState(undefined), undefined);
  assert.equal(fromPageState({ version: 2 }), undefined);
  const bare = fromPageState({ version: 1 })!;
  assert.deepEqual(bare.inputs, EMPTY_INPUTS);
  assert.deepEqual(bare.state.runs, []);
});

test('a long run is saved at display resolution, and the reloaded page still draws its spike', () => {
  const spiky: ProgressPoint[] = Array.from({ length: 50_000 }, (_, i) => ({ iteration: i, cost: i === 31_337 ? 5 : 1 / (i + 1), elapsedMs: i }));
  const s = run([
    { type: 'runStarted', runId: 1, settings: { ...settings, iterations: 50_000 }, hasDev: false, twoD: true },
    { type: 'progress', runId: 1, iterations: 50_000, points: spiky },
  ]);
  const saved = toPageState(s, EMPTY_INPUTS);
  assert.ok(saved.runs[0].it.length <= 2000, `${saved.runs[0].it.length} samples saved`);
  const back = fromPageState(JSON.parse(JSON.stringify(saved)))!;
  const r = currentRun(back.state)!;
  const i = Array.from(r.samples.it.view()).indexOf(31_337);
  assert.ok(i >= 0 && r.samples.cost.view()[i] === 5, 'the spike survives the reload');
  assert.equal(r.samples.it.last(), 49_999);
});
