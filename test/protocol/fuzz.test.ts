/**
 * The extension's trust boundary under random input: every validator, fed seeded mutations of
 * well-formed messages (fields removed, replaced by values of other types, by objects that are
 * not plain, by huge or hostile values), never throws, and never accepts an object that is not a
 * plain one where a message or its overrides must be. DNN_FUZZ=long runs a hundred times more.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isExportRequest,
  isExportWorkerToExtension,
  isExtensionToWebview,
  isPageDebugMessage,
  isProgressPoint,
  isRunOverrides,
  isRunSummary,
  isWebviewToExtension,
  isWorkerToExtension,
} from '../../src/protocol';

const SCALE = process.env.DNN_FUZZ === 'long' ? 100 : 1;

const SEEDS: unknown[] = [
  { type: 'ready' },
  { type: 'stop' },
  { type: 'start', overrides: { learningRate: 0.0075, iterations: 2500, optimizer: 'adam' } },
  { type: 'applyToFile', overrides: { iterations: 10 } },
  { type: 'exportPng', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
  { type: 'exportCsv', runId: 3, csv: 'iteration,cost\n0,0.69\n' },
  { type: 'tune', beta1: 0.6, beta2: 0.99, epsilon: 1e-3 },
  { type: 'predictPoint', requestId: 3, x: 0.5, y: -1.25 },
  { type: 'pointPrediction', requestId: 3, x: 0.5, y: -1.25, kind: 'probability', value: 0.18 },
  { type: 'tuned', runId: 2, iteration: 12, beta: 0.5 },
  { type: 'export', file: '/w/planar.dnn.json', text: '{}', format: 'onnx', paramsPath: '/w/planar.params.json' },
  { type: 'exportStage', stage: 'writing', files: ['/w/planar.onnx'] },
  { type: 'exportDone', out: '/w/planar.py', companions: ['/w/planar.data.npy'], text: true, paramsName: 'planar.params.json', warnings: [] },
  { type: 'exportFailed', reason: 'problems', message: 'planar.dnn.json has problems' },
  { type: 'debug', rendered: { runId: 1, received: 5000, points: 2000, boundaries: 3 } },
  { iteration: 3, cost: 0.5, trainAccuracy: 0.9, devAccuracy: null, elapsedMs: 12 },
  { status: 'done', iterationsRun: 10, finalCost: 0.1, elapsedMs: 5, trainAccuracy: 1 },
];

/** Values that are objects but not plain ones, or otherwise hostile. */
function strange(): unknown[] {
  return [
    new Map([['learningRate', 0.1]]),
    new Date(0),
    /x/,
    new ArrayBuffer(8),
    new Float64Array(2),
    Object(1),
    Object('ready'),
    [],
    [{ type: 'ready' }],
    Object.create({ type: 'ready' }),
    NaN,
    Infinity,
    -0,
    1e308,
    '',
    'x'.repeat(100_000),
    null,
    undefined,
    true,
    Symbol('s'),
    () => 1,
    BigInt(1),
  ];
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(value: unknown, next: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  if (depth > 3 || next() < 0.15) return pick(strange());
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return next() < 0.5 ? value : pick(strange());
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(out);
  const k = keys.length ? pick(keys) : 'type';
  switch (Math.floor(next() * 4)) {
    case 0:
      delete out[k];
      break;
    case 1:
      out[k] = mutate(out[k], next, depth + 1);
      break;
    case 2:
      out[pick(['extra', '__proto__', 'constructor', 'type', 'overrides'])] = pick(strange());
      break;
    default:
      return mutate(mutate(out, next, depth + 1), next, depth + 1);
  }
  return out;
}

const VALIDATORS = { isWebviewToExtension, isExtensionToWebview, isWorkerToExtension, isPageDebugMessage, isProgressPoint, isRunSummary, isRunOverrides, isExportRequest, isExportWorkerToExtension };

test('seeded mutations of messages: validators never throw and answer true or false', () => {
  const next = rng(2026);
  let accepted = 0;
  for (let i = 0; i < 5000 * SCALE; i++) {
    const m = mutate(SEEDS[i % SEEDS.length], next);
    for (const [name, check] of Object.entries(VALIDATORS)) {
      let answer: unknown;
      assert.doesNotThrow(() => (answer = (check as (x: unknown) => boolean)(m)), `${name} threw on case ${i}`);
      assert.equal(typeof answer, 'boolean', `${name} on case ${i}`);
      if (answer === true) accepted++;
    }
  }
  // Many mutants stay well-formed (an optional field removed), so both answers are exercised.
  assert.ok(accepted > 100, `${accepted} mutants accepted`);
});

test('objects that are not plain are never a message nor overrides', () => {
  for (const x of strange()) {
    assert.equal(isRunOverrides(x), false, `overrides ${Object.prototype.toString.call(x)}`);
    assert.equal(isWebviewToExtension(x), false, `message ${Object.prototype.toString.call(x)}`);
    assert.equal(isWebviewToExtension({ type: 'start', overrides: x }), false, `start with overrides ${Object.prototype.toString.call(x)}`);
  }
  // A Map with the right entries is still not overrides: its entries are not its properties.
  assert.equal(isWebviewToExtension({ type: 'start', overrides: new Map([['iterations', 10]]) }), false);
  // Plain objects, with or without a prototype, are.
  assert.equal(isRunOverrides(Object.assign(Object.create(null), { iterations: 10 })), true);
});
