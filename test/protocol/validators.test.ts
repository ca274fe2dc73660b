import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isExtensionToWebview,
  isFraction,
  isPageDebugMessage,
  isProgressPoint,
  isRunOverrides,
  isRunSummary,
  isWebviewToExtension,
  isWorkerToExtension,
  isExportRequest,
  isExportWorkerToExtension,
} from '../../src/protocol';

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
    // The debug channel's reports are not production messages.
    { type: 'debug', rendered: { runId: 1, received: 5000, points: 2000, boundaries: 3 } },
    { type: 'rendered', runId: 1, received: 5000, points: 2000, boundaries: 3 },
  ]) {
    assert.equal(isWebviewToExtension(m), false, JSON.stringify(m));
  }
});

test('optimiser settings mid-run: a β in [0, 1) and an ε above 0 cross; `tuned` must name something that changed', () => {
  for (const m of [{ type: 'tune', beta: 0.5 }, { type: 'tune', beta1: 0, beta2: 0.99, epsilon: 1e-3 }, { type: 'tune', learningRate: 0.3, pace: 20 }]) {
    assert.equal(isWebviewToExtension(m), true, JSON.stringify(m));
  }
  for (const m of [{ type: 'tune', beta: 1 }, { type: 'tune', beta1: -0.1 }, { type: 'tune', epsilon: 0 }, { type: 'tune', beta2: '0.9' }, { type: 'tune', beta: NaN }]) {
    assert.equal(isWebviewToExtension(m), false, JSON.stringify(m));
  }
  assert.equal(isWorkerToExtension({ type: 'tuned', iteration: 12, beta1: 0.6, beta2: 0.99 }), true);
  assert.equal(isWorkerToExtension({ type: 'tuned', iteration: 12 }), false, 'a change of nothing');
  assert.equal(isWorkerToExtension({ type: 'tuned', iteration: 12, beta: 1.5 }), false);
  assert.equal(isExtensionToWebview({ type: 'tuned', runId: 2, iteration: 12, epsilon: 1e-3 }), true);
  assert.equal(isExtensionToWebview({ type: 'tuned', runId: 2, iteration: 12, epsilon: -1 }), false);
});

test('a click on the boundary: a numbered point goes out, its answer (a value or why not) comes back', () => {
  assert.equal(isWebviewToExtension({ type: 'predictPoint', requestId: 3, x: 0.5, y: -1.25 }), true);
  for (const m of [{ type: 'predictPoint', requestId: 3, x: NaN, y: 0 }, { type: 'predictPoint', requestId: -1, x: 0, y: 0 }, { type: 'predictPoint', x: 0, y: 0 }, { type: 'predictPoint', requestId: 1, x: '0', y: 0 }]) {
    assert.equal(isWebviewToExtension(m), false, JSON.stringify(m));
  }
  assert.equal(isExtensionToWebview({ type: 'pointPrediction', requestId: 3, x: 0.5, y: -1.25, kind: 'probability', value: 0.18 }), true);
  assert.equal(isExtensionToWebview({ type: 'pointPrediction', requestId: 3, x: 0.5, y: -1.25, error: 'no parameters yet' }), true);
  assert.equal(isExtensionToWebview({ type: 'pointPrediction', requestId: 3, x: 0.5, y: -1.25 }), false, 'neither a value nor an error');
  assert.equal(isExtensionToWebview({ type: 'pointPrediction', requestId: 3, x: 0.5, y: -1.25, kind: 'odds', value: 1 }), false);
  assert.equal(isExtensionToWebview({ type: 'pointPrediction', requestId: 3, x: 0.5, y: -1.25, kind: 'class', value: 1, error: 'x' }), false);
  // The worker's boundary may carry the parameters it was drawn with, as a parameters file's text.
  const grid = { xMin: 0, xMax: 1, yMin: 0, yMax: 1, nx: 1, ny: 1, kind: 'probability', values: [0.5] };
  assert.equal(isWorkerToExtension({ type: 'boundary', iteration: 0, grid, parameters: '{"W1": [[1, 2]], "b1": [[0.5]]}' }), true);
  assert.equal(isWorkerToExtension({ type: 'boundary', iteration: 0, grid, parameters: { W1: [[1, 2]] } }), false);
});

test('the debug channel accepts what the page drew, and nothing else', () => {
  assert.equal(isPageDebugMessage({ type: 'debug', rendered: { runId: 1, received: 5000, points: 2000, boundaries: 3 } }), true);
  for (const m of [
    { type: 'debug', rendered: { runId: 1, received: 1, points: 'many', boundaries: 0 } },
    { type: 'debug' },
    { type: 'rendered', runId: 1, received: 5000, points: 2000, boundaries: 3 },
    { type: 'ready' },
  ]) {
    assert.equal(isPageDebugMessage(m), false, JSON.stringify(m));
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

const settings = { learningRate: 1.2, iterations: 10000, optimizer: 'gd' };
const summary = { status: 'done', iterationsRun: 10000, finalCost: 0.22, trainAccuracy: 0.9, elapsedMs: 900 };
const point = { iteration: 0, cost: 0.693, trainAccuracy: 0.5, elapsedMs: 0 };
const grid = { xMin: -4, xMax: 4, yMin: -4, yMax: 4, nx: 2, ny: 2, values: [0.1, 0.9, null, 0.5], kind: 'probability' };
const scatter = { x: [0.5, -1], y: [1, 2], label: [0, 1], classes: 2 };

test('messages the page receives: well-formed ones pass, accuracies in percent do not', () => {
  for (const m of [
    { type: 'init', file: 'file:///ws/planar.dnn.json', title: 'planar', settings, twoD: true, running: false },
    { type: 'init', file: 'file:///ws/x.dnn.json', title: 'x', settings: { learningRate: 0, iterations: 0, optimizer: 'gd' }, twoD: false, running: true },
    { type: 'runStarted', runId: 1_700_000_000_000, settings, hasDev: true, twoD: false },
    { type: 'dataset', runId: 1, points: scatter },
    { type: 'progress', runId: 1, iterations: 10000, points: [point, { iteration: 1, cost: null, elapsedMs: 1 }] },
    { type: 'boundary', runId: 1, iteration: 99, grid },
    { type: 'runState', runId: 1, paused: true },
    { type: 'runEnded', runId: 1, summary },
    { type: 'settings', settings, twoD: false },
  ]) {
    assert.equal(isExtensionToWebview(m), true, JSON.stringify(m));
  }
  for (const m of [
    null,
    { type: 'launchMissiles' },
    { type: 'progress', runId: 1, iterations: 10000, points: [{ ...point, trainAccuracy: 90 }] },
    { type: 'progress', runId: 1, iterations: 10000, points: null },
    { type: 'runEnded', runId: 1, summary: { ...summary, trainAccuracy: 90 } },
    { type: 'runStarted', runId: 1, settings: { ...settings, optimizer: 'sgd' }, hasDev: false, twoD: false },
    { type: 'boundary', runId: 1, iteration: 99, grid: { ...grid, nx: 3 } },
    { type: 'dataset', runId: 1, points: { ...scatter, label: [0] } },
    { type: 'runState', runId: '1', paused: true },
    { type: 'init', file: 'file:///ws/planar.dnn.json', title: 'planar', settings, twoD: true },
  ]) {
    assert.equal(isExtensionToWebview(m), false, JSON.stringify(m));
  }
});

test('messages the extension receives from the worker: well-formed ones pass, accuracies in percent do not', () => {
  for (const m of [
    { type: 'trainStarted', settings, hasDev: false, m: 400, source: 'planar (built-in, m = 400)', points: scatter },
    { type: 'trainStarted', settings, hasDev: true, m: 1, source: 'fake' },
    { type: 'progress', iterations: 10000, points: [point] },
    { type: 'boundary', iteration: 0, grid },
    { type: 'trainDone', summary, costs: [0.693, NaN] },
    { type: 'gradientCheckDone', epsilon: 1e-7, difference: 1e-9, threshold: 2e-7, groups: [{ name: 'W1', difference: 1e-9, count: 8, ok: true, worst: { index: 3, analytic: 0.1, numeric: 0.1 } }] },
    { type: 'failed', errors: [{ message: 'no data', offset: 10, length: 4 }, { message: 'crashed' }] },
  ]) {
    assert.equal(isWorkerToExtension(m), true, JSON.stringify(m));
  }
  for (const m of [
    { type: 'progress', iterations: 10000, points: [{ ...point, devAccuracy: 85 }] },
    { type: 'trainDone', summary: { ...summary, trainAccuracy: 90 }, costs: [] },
    { type: 'trainDone', summary },
    { type: 'failed', errors: [{ offset: 1 }] },
    { type: 'gradientCheckDone', epsilon: 1e-7, difference: 1e-9, threshold: 2e-7, groups: [{ name: 'W1' }] },
    { type: 'trainStarted', settings, hasDev: false, m: -1, source: 'x' },
    { type: 'dataset', points: scatter },
  ]) {
    assert.equal(isWorkerToExtension(m), false, JSON.stringify(m));
  }
});

test('the export worker\'s request and messages: well-formed ones pass, a stage it does not have or a missing field does not', () => {
  assert.equal(isExportRequest({ type: 'export', file: '/w/a.dnn.json', text: '{}', format: 'onnx' }), true);
  assert.equal(isExportRequest({ type: 'export', file: '/w/a.dnn.json', text: '{}', format: 'onnx', paramsPath: '/w/a.params.json' }), true);
  assert.equal(isExportRequest({ type: 'export', file: '/w/a.dnn.json', format: 'onnx' }), false, 'no text');
  assert.equal(isExportRequest({ type: 'export', file: '/w/a.dnn.json', text: '{}', format: 'onnx', paramsPath: 3 }), false);
  for (const m of [
    { type: 'exportStage', stage: 'checking' },
    { type: 'exportStage', stage: 'building', drawing: true },
    { type: 'exportStage', stage: 'building', drawing: true, drawn: 0.42 },
    { type: 'exportStage', stage: 'writing', files: ['/w/a.onnx'] },
    { type: 'exportDone', out: '/w/a.py', companions: [], text: true, warnings: ['a.params.json does not fit'] },
    { type: 'exportDone', out: '/w/a.onnx', companions: [], text: false, paramsName: 'a.params.json', warnings: [] },
    { type: 'exportFailed', reason: 'error', message: 'cannot write /w/a.onnx: the disk is full' },
  ]) {
    assert.equal(isExportWorkerToExtension(m), true, JSON.stringify(m));
  }
  for (const m of [
    { type: 'exportStage', stage: 'compressing' },
    { type: 'exportStage', stage: 'writing', files: '/w/a.onnx' },
    { type: 'exportStage', stage: 'building', drawing: true, drawn: 1.5 },
    { type: 'exportStage', stage: 'building', drawing: true, drawn: '42%' },
    { type: 'exportDone', out: '/w/a.py', companions: [], text: 'yes', warnings: [] },
    { type: 'exportDone', out: '/w/a.py', text: true, warnings: [] },
    { type: 'exportFailed', reason: 'crash', message: 'x' },
    { type: 'trainDone', summary: {}, costs: [] },
  ]) {
    assert.equal(isExportWorkerToExtension(m), false, JSON.stringify(m));
  }
});

/** Two 1 × 2 grey pictures of three classes, the second one mislabelled (true 2, predicted 1). */
const pictures = {
  set: 'dev',
  iteration: 14,
  height: 1,
  width: 2,
  channels: 1,
  classNames: ['circle', 'square', 'triangle'],
  pixels: [0, 255, 128, 64],
  predicted: [1, 0],
  actual: [2, 0],
  index: [7, 0],
  confusion: [5, 0, 0, 0, 4, 1, 0, 1, 3],
  total: 14,
  mislabelled: 2,
};

test('pictures: well-formed ones reach the page; a wrong length, a class out of range or a big picture do not', () => {
  assert.equal(isWorkerToExtension({ type: 'pictures', samples: pictures }), true);
  assert.equal(isExtensionToWebview({ type: 'pictures', runId: 3, samples: pictures }), true);
  assert.equal(isExtensionToWebview({ type: 'runStarted', runId: 3, settings, hasDev: true, twoD: false, m: 2400, epochs: true }), true);
  for (const samples of [
    { ...pictures, pixels: [0, 255, 128] },
    { ...pictures, pixels: [0, 256, 128, 64] },
    { ...pictures, pixels: [0, 1.5, 128, 64] },
    { ...pictures, predicted: [3, 0] },
    { ...pictures, actual: [2] },
    { ...pictures, confusion: [5, 0, 0, 0] },
    { ...pictures, channels: 2, pixels: [0, 0, 0, 0, 0, 0, 0, 0] },
    { ...pictures, height: 33, pixels: new Array(2 * 33 * 2).fill(0) },
    { ...pictures, set: 'test' },
    { ...pictures, mislabelled: 15 },
    { ...pictures, classNames: [] },
    { ...pictures, predicted: new Array(25).fill(0), actual: new Array(25).fill(0), index: new Array(25).fill(0), pixels: new Array(50).fill(0) },
  ]) {
    assert.equal(isWorkerToExtension({ type: 'pictures', samples }), false, JSON.stringify(samples).slice(0, 200));
    assert.equal(isExtensionToWebview({ type: 'pictures', runId: 3, samples }), false);
  }
  assert.equal(isExtensionToWebview({ type: 'runStarted', runId: 3, settings, hasDev: true, twoD: false, m: -1 }), false);
});
