/**
 * WorkerSession: the extension host's side of the worker protocol (start, pause, resume, stop,
 * terminate), with stand-in workers from test/fixtures/training/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { WorkerToExtension } from '../../../src/protocol';
import { WorkerSession } from '../../../src/extension/training/session';

const FIX = path.resolve(__dirname, '../../fixtures/training');
const request = { type: 'train' as const, file: '/x.dnn.json', text: '{}', overrides: {} };

function collect() {
  const seen: WorkerToExtension[] = [];
  const progress = () => seen.filter((m) => m.type === 'progress').length;
  return { seen, progress, onMessage: (m: WorkerToExtension) => seen.push(m) };
}

async function until(pred: () => boolean, ms = 3000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('stop ends a cooperative worker with its own final report, without terminating it', async () => {
  const c = collect();
  const s = new WorkerSession(path.join(FIX, 'polite-worker.js'), request, { onMessage: c.onMessage });
  await until(() => c.progress() >= 3);
  const t0 = Date.now();
  const end = await s.stop();
  assert.ok(Date.now() - t0 < 1000, `stopped in ${Date.now() - t0} ms`);
  assert.equal(end.terminated, false);
  assert.equal(end.final?.type, 'trainDone');
  assert.equal(s.alive, false);
});

test('pause stops the progress stream until resume', async () => {
  const c = collect();
  const s = new WorkerSession(path.join(FIX, 'polite-worker.js'), request, { onMessage: c.onMessage });
  await until(() => c.progress() >= 2);
  s.pause();
  assert.equal(s.paused, true);
  await new Promise((r) => setTimeout(r, 60));
  const before = c.progress();
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(c.progress(), before, 'no progress while paused');
  s.resume();
  await until(() => c.progress() >= before + 2);
  // Stopping a paused worker wakes it up to stop.
  s.pause();
  const end = await s.stop();
  assert.equal(end.final?.type, 'trainDone');
  assert.equal(end.terminated, false);
});

test('a worker that never yields is terminated after the grace period', async () => {
  const c = collect();
  const s = new WorkerSession(path.join(FIX, 'stubborn-worker.js'), request, { onMessage: c.onMessage, graceMs: 200 });
  await until(() => c.progress() >= 1);
  const t0 = Date.now();
  const end = await s.stop();
  const ms = Date.now() - t0;
  assert.ok(ms >= 190 && ms < 1000, `ended after ${ms} ms`);
  assert.equal(end.terminated, true);
  assert.equal(end.final, undefined);
  assert.match(end.error ?? '', /did not stop in time/);
  assert.equal(s.alive, false);
});

test('a worker that crashes ends the session with the reason', async () => {
  const s = new WorkerSession(path.join(FIX, 'crashing-worker.js'), request);
  const end = await s.done;
  assert.equal(end.terminated, false);
  assert.match(end.error ?? '', /out of cheese/);
});

test('messages out of protocol (an accuracy in percent) are dropped, and the session says so', async () => {
  const c = collect();
  const malformed: unknown[] = [];
  const s = new WorkerSession(path.join(FIX, 'percent-worker.js'), request, { onMessage: c.onMessage, onMalformed: (m) => malformed.push(m) });
  const end = await s.done;
  const accuracies = c.seen.flatMap((m) => (m.type === 'progress' ? m.points.map((p) => p.trainAccuracy) : []));
  assert.deepEqual(accuracies, [0.5, 0.75]);
  assert.equal(malformed.length, 2);
  assert.equal(end.final, undefined);
  assert.match(end.error ?? '', /malformed message/);
});

const BUILT = path.resolve(__dirname, '../../../dist/worker.js');
const builtSkip = existsSync(BUILT) ? false : 'dist/worker.js is not built (npm run build)';

test('the built worker trains examples/planar.dnn.json as the course notebook does', { skip: builtSkip }, async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnn-session-'));
  const text = fs.readFileSync(path.resolve(__dirname, '../../../examples/planar.dnn.json'), 'utf8');
  const paramsPath = path.join(dir, 'planar.params.json');
  const c = collect();
  const s = new WorkerSession(BUILT, { type: 'train', file: path.join(dir, 'planar.dnn.json'), text, overrides: {}, paramsPath }, { onMessage: c.onMessage });
  const end = await s.done;
  assert.equal(end.error, undefined);
  const done = end.final as Extract<WorkerToExtension, { type: 'trainDone' }>;
  assert.equal(done.type, 'trainDone');
  assert.equal(done.summary.status, 'done');
  assert.equal(done.costs.length, 10000);
  // The notebook prints "Cost after iteration 0: 0.693048" and "... 1000: 0.288083", and
  // "Accuracy: 90%" for this network.
  assert.equal(done.costs[0].toFixed(6), '0.693048');
  assert.equal(done.costs[1000].toFixed(6), '0.288083');
  assert.ok(done.summary.trainAccuracy! >= 0.9, `accuracy ${done.summary.trainAccuracy}`);
  const saved = JSON.parse(fs.readFileSync(paramsPath, 'utf8'));
  assert.equal(saved.W1.length, 4);
  assert.equal(saved.W1[0].length, 2);
  assert.equal(saved.W2[0].length, 4);
  // The page gets the samples, the points and at least the final boundary.
  const started = c.seen.find((m) => m.type === 'trainStarted') as Extract<WorkerToExtension, { type: 'trainStarted' }>;
  assert.equal(started.points?.x.length, 400);
  // The boundary forms as it trains: from iteration 0, then at a steady rate in time (the
  // iterations between frames depend on the machine's speed), and the final one at the end.
  const boundaries = c.seen.filter((m) => m.type === 'boundary').map((m) => (m as { iteration: number }).iteration);
  assert.equal(boundaries[0], 0);
  assert.ok(boundaries.length >= 3, `${boundaries.length} boundaries: ${boundaries.join(', ')}`);
  assert.ok(boundaries.every((b, i) => i === 0 || b > boundaries[i - 1]), 'in order');
  assert.equal(boundaries.at(-1), 9999);
  const samples = c.seen.flatMap((m) => (m.type === 'progress' ? m.points : []));
  assert.ok(samples.length >= 1000 && samples.length <= 5001, `${samples.length} samples`);
  assert.equal(samples.at(-1)!.iteration, 9999);
  fs.rmSync(dir, { recursive: true });
});

test('stopping the built worker mid-run ends it within a second, unsaved', { skip: builtSkip }, async () => {
  const fs = await import('node:fs');
  const text = fs.readFileSync(path.resolve(__dirname, '../../../examples/planar.dnn.json'), 'utf8');
  const c = collect();
  const s = new WorkerSession(BUILT, { type: 'train', file: '/nonexistent/planar.dnn.json', text, overrides: { iterations: 10_000_000 }, paramsPath: '/nonexistent/p.json' }, { onMessage: c.onMessage });
  await until(() => c.progress() >= 2, 10000);
  const t0 = Date.now();
  const end = await s.stop();
  assert.ok(Date.now() - t0 < 1000, `${Date.now() - t0} ms`);
  assert.equal(end.terminated, false, 'it stopped by itself, no terminate needed');
  const done = end.final as Extract<WorkerToExtension, { type: 'trainDone' }>;
  assert.equal(done.summary.status, 'aborted');
  assert.equal(done.summary.paramsPath, undefined);
  assert.equal(s.alive, false);
});

test('pausing the built worker holds its progress until resume', { skip: builtSkip }, async () => {
  const fs = await import('node:fs');
  const text = fs.readFileSync(path.resolve(__dirname, '../../../examples/planar.dnn.json'), 'utf8');
  const c = collect();
  const s = new WorkerSession(BUILT, { type: 'train', file: '/nonexistent/planar.dnn.json', text, overrides: { iterations: 2_000_000 } }, { onMessage: c.onMessage });
  await until(() => c.progress() >= 1, 10000);
  s.pause();
  // One batch may be in flight; after that, nothing while paused.
  await new Promise((r) => setTimeout(r, 300));
  const held = c.progress();
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(c.progress(), held, 'no progress while paused');
  s.resume();
  await until(() => c.progress() > held, 10000);
  const end = await s.stop();
  assert.equal((end.final as { type: string }).type, 'trainDone');
});

test('the built worker trains on CSV files beside the .dnn.json, with a dev split, and positions a missing file', { skip: builtSkip }, async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnn-csv-'));
  // 40 examples, alternating labels; 10 go to the dev set (devFraction 0.25).
  const rows = Array.from({ length: 40 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${i % 2}`);
  fs.writeFileSync(path.join(dir, 'train.csv'), 'x1,x2,y\n' + rows.join('\n') + '\n');
  const text = `{ "input": 2, "layers": [{ "units": 3, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" }],
    "loss": "binary-cross-entropy", "data": { "train": "train.csv", "label": "y", "devFraction": 0.25 },
    "training": { "iterations": 50, "learningRate": 0.5, "seed": 1 } }`;
  const run = async (t: string) => {
    const c = collect();
    const s = new WorkerSession(BUILT, { type: 'train', file: path.join(dir, 'net.dnn.json'), text: t, overrides: {} }, { onMessage: c.onMessage });
    return { end: await s.done, c };
  };
  const ok = await run(text);
  const started = ok.c.seen.find((m) => m.type === 'trainStarted') as Extract<WorkerToExtension, { type: 'trainStarted' }>;
  assert.equal(started.m, 30);
  assert.equal(started.hasDev, true);
  const done = ok.end.final as Extract<WorkerToExtension, { type: 'trainDone' }>;
  assert.equal(done.summary.status, 'done');
  assert.equal(typeof done.summary.devCost, 'number');

  const missing = text.replace('"train.csv"', '"nope.csv"');
  const bad = (await run(missing)).end.final as Extract<WorkerToExtension, { type: 'failed' }>;
  assert.equal(bad.type, 'failed');
  assert.match(bad.errors[0].message, /nope\.csv: cannot read: no such file/);
  assert.equal(missing.slice(bad.errors[0].offset, bad.errors[0].offset! + bad.errors[0].length!), '"nope.csv"');
  fs.rmSync(dir, { recursive: true });
});
