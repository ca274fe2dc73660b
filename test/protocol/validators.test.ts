import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFraction, isProgressPoint, isRunOverrides, isRunSummary, isWebviewToExtension } from '../../src/protocol';

test('well-formed page messages are accepted', () => {
  for (const m of [
    { type: 'ready' },
    { type: 'pause' },
    { type: 'resume' },
    { type: 'stop' },
    { type: 'start', overrides: {} },
    { type: 'start', overrides: { learningRate: 0.0075, iterations: 2500, optimizer: 'adam' } },
    { type: 'applyToFile', overrides: { iterations: 10 } },
    { type: 'exportPng', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
    { type: 'exportCsv', runId: 3, csv: 'iteration,cost\n0,0.69\n' },
    { type: 'rendered', runId: 1, received: 5000, points: 2000, boundaries: 3 },
  ]) {
    assert.equal(isWebviewToExtension(m), true, JSON.stringify(m));
  }
});

test('malformed or unknown page messages are rejected', () => {
  for (const m of [
    null,
    'ready',
    [],
    {},
    { type: 'launchMissiles' },
    { type: 'start' },
    { type: 'start', overrides: null },
    { type: 'start', overrides: { learningRate: -1 } },
    { type: 'start', overrides: { learningRate: 0 } },
    { type: 'start', overrides: { learningRate: '0.1' } },
    { type: 'start', overrides: { iterations: 2.5 } },
    { type: 'start', overrides: { iterations: 0 } },
    { type: 'start', overrides: { optimizer: 'sgd' } },
    { type: 'start', overrides: { seed: 1 } },
    { type: 'applyToFile', overrides: { learningRate: Infinity } },
    { type: 'exportPng', dataUrl: 'javascript:alert(1)' },
    { type: 'exportPng', dataUrl: 'data:text/html;base64,PGgxPg==' },
    { type: 'exportCsv', runId: '1', csv: '' },
    { type: 'exportCsv', runId: 1 },
    { type: 'rendered', runId: 1, received: 1, points: 'many', boundaries: 0 },
  ]) {
    assert.equal(isWebviewToExtension(m), false, JSON.stringify(m));
  }
});

test('a PNG larger than the limit is refused', () => {
  const dataUrl = 'data:image/png;base64,' + 'A'.repeat(20_000_001);
  assert.equal(isWebviewToExtension({ type: 'exportPng', dataUrl }), false);
});

test('overrides: an empty object means "use the file", undefined keys are ignored', () => {
  assert.equal(isRunOverrides({}), true);
  assert.equal(isRunOverrides({ learningRate: undefined, iterations: 100 }), true);
  assert.equal(isRunOverrides({ iterations: 10_000_001 }), false);
});

test('accuracies are fractions in [0, 1]: a percent is refused', () => {
  for (const ok of [0, 0.5, 1]) assert.equal(isFraction(ok), true, String(ok));
  for (const bad of [90, 1.0000001, -0.1, NaN, Infinity, '0.9', null]) assert.equal(isFraction(bad), false, String(bad));
});

test('progress samples: accuracies as fractions, NaN sent as null, optional curves absent', () => {
  for (const p of [
    { iteration: 0, cost: 0.693, elapsedMs: 0 },
    { iteration: 10, cost: null, trainAccuracy: null, devAccuracy: undefined, elapsedMs: 5 },
    { iteration: 999, cost: 0.2, devCost: 0.25, trainAccuracy: 0.9, devAccuracy: 1, elapsedMs: 120.5 },
  ]) {
    assert.equal(isProgressPoint(p), true, JSON.stringify(p));
  }
  for (const p of [
    { iteration: 999, cost: 0.2, trainAccuracy: 90, elapsedMs: 1 },
    { iteration: 999, cost: 0.2, devAccuracy: -0.5, elapsedMs: 1 },
    { iteration: -1, cost: 0.2, elapsedMs: 1 },
    { iteration: 1.5, cost: 0.2, elapsedMs: 1 },
    { iteration: 1, elapsedMs: 1 },
    { iteration: 1, cost: 0.2 },
  ]) {
    assert.equal(isProgressPoint(p), false, JSON.stringify(p));
  }
});

test('run summaries: accuracies as fractions, a known status', () => {
  const done = { status: 'done', iterationsRun: 5000, finalCost: 0.2, trainAccuracy: 0.9, devAccuracy: 0.85, devCost: 0.3, elapsedMs: 1000, paramsPath: '/ws/planar.params.json' };
  assert.equal(isRunSummary(done), true);
  assert.equal(isRunSummary({ status: 'failed', message: 'Training failed: no data', iterationsRun: 0, finalCost: null, elapsedMs: 0 }), true);
  assert.equal(isRunSummary({ ...done, trainAccuracy: 90 }), false);
  assert.equal(isRunSummary({ ...done, devAccuracy: 85 }), false);
  assert.equal(isRunSummary({ ...done, status: 'finished' }), false);
  assert.equal(isRunSummary({ ...done, iterationsRun: -1 }), false);
});
