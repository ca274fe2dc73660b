import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRunOverrides, isWebviewToExtension } from '../../src/protocol';

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
