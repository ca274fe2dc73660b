/**
 * WorkerSession: the extension host's side of the worker protocol (start, pause, resume, stop,
 * terminate), with stand-in workers from test/fixtures/training/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { WorkerToExtension } from '../../src/protocol';
import { WorkerSession } from '../../src/extension/training/session';

const FIX = path.resolve(__dirname, '../fixtures/training');
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
