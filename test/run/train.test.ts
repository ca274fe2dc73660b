/**
 * The run layer (src/run): `dnn train` and the editor's training worker go through it, so they
 * save the same parameters file, and a run's failures come back as problems positioned in the
 * .dnn.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';
import { packedKernels } from '../../src/core/kernels';
import type { WorkerToExtension } from '../../src/protocol';
import { runTraining } from '../../src/extension/training/runner';
import { checkFile, loadRun } from '../../src/run/load';
import { defaultParamsPath, runSettings } from '../../src/run/settings';
import { trainRun } from '../../src/run/train';

const NET = `{
  "input": 2,
  "layers": [ { "units": 3, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ],
  "data": { "builtin": "planar", "devFraction": 0.25, "standardize": true },
  "training": { "iterations": 5, "learningRate": 0.7, "seed": 4 }
}
`;

const quiet = { out: () => undefined, err: () => undefined, isTTY: false };

test('dnn train and the training worker write the same meta for the same file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-run-'));
  const file = join(dir, 'net.dnn.json');
  writeFileSync(file, NET);
  assert.equal(await main(['train', file, '--save', join(dir, 'cli.params.json')], quiet), 0);
  const posted: WorkerToExtension[] = [];
  await runTraining(
    { type: 'train', file, text: NET, overrides: {}, paramsPath: join(dir, 'worker.params.json') },
    { kernels: packedKernels, post: (m) => posted.push(m), signal: new AbortController().signal },
  );
  assert.equal(posted.at(-1)?.type, 'trainDone');
  const cli = JSON.parse(readFileSync(join(dir, 'cli.params.json'), 'utf8')).meta;
  const worker = JSON.parse(readFileSync(join(dir, 'worker.params.json'), 'utf8')).meta;
  assert.deepEqual(Object.keys(worker), Object.keys(cli));
  assert.deepEqual(Object.keys(cli), ['architecture', 'activations', 'loss', 'seed', 'iterations', 'learningRate', 'data', 'finalCost', 'standardization']);
  // What was trained, how and on what: the same whoever trained it (the costs differ by rounding only).
  for (const key of ['architecture', 'activations', 'loss', 'seed', 'iterations', 'learningRate', 'data']) assert.deepEqual(worker[key], cli[key], key);
  assert.deepEqual(cli.architecture, [2, 3, 1]);
  assert.equal(cli.learningRate, 0.7);
  assert.equal(cli.iterations, 5);
  rmSync(dir, { recursive: true });
});

test('run settings: the spec\'s, with the page\'s or the command line\'s overrides on top', () => {
  const f = checkFile('/w/net.dnn.json', NET);
  assert.ok(f.ok);
  assert.deepEqual(runSettings(f.spec), { iterations: 5, learningRate: 0.7, optimizer: 'gd', seed: 4 });
  assert.deepEqual(runSettings(f.spec, { learningRate: 0.1, optimizer: 'adam', seed: 9 }), { iterations: 5, learningRate: 0.1, optimizer: 'adam', seed: 9 });
});

test('the parameters file goes beside the .dnn.json, named after it', () => {
  assert.equal(defaultParamsPath('/w/nets/planar.dnn.json'), '/w/nets/planar.params.json');
  assert.equal(defaultParamsPath('/w/other.json'), '/w/other.params.json');
});

test('data the engine refuses is a problem at its key in the file, not an exception', async () => {
  // 3 features for n[0] = 2, found by the engine when training starts.
  const f = checkFile('/w/net.dnn.json', NET);
  assert.ok(f.ok);
  const loaded = await loadRun(f);
  assert.ok(loaded.ok);
  const wide = { ...loaded.run, dataset: { ...loaded.run.dataset, train: { ...loaded.run.dataset.train, X: { rows: 3, cols: 300, data: new Float64Array(900) } } } };
  const r = await trainRun(wide, { kernels: packedKernels });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.problems[0].code, 'engine-error');
  assert.deepEqual(r.problems[0].path, ['input']);
  const range = r.problems[0].range!;
  assert.equal(NET.slice(range.offset, range.offset + range.length), '"input": 2');
});

test('training refuses, before allocating, what the data\'s real m makes too large for the engine', async () => {
  // With planar's 300 training examples the network fits; with 2,000 rows (a CSV's, say) it does not:
  // P = 100,000·2 + 100,000 + 100,001 = 400,001 values, and as many gradients; per example X 2,
  // layer 1 4·100,000, layer 2 4·1, the loss's scratch 1 = 400,007, for 2,000 examples 800,014,000.
  // 800,814,002 values · 8 bytes = 6.0 GiB.
  const text = NET.replace('"units": 3', '"units": 100000');
  const f = checkFile('/w/net.dnn.json', text);
  assert.ok(f.ok, JSON.stringify(!f.ok && f.problems));
  const loaded = await loadRun(f);
  assert.ok(loaded.ok);
  const m = 2000;
  const big = {
    ...loaded.run,
    dataset: { ...loaded.run.dataset, train: { X: { rows: 2, cols: m, data: new Float64Array(2 * m) }, Y: { rows: 1, cols: m, data: new Float64Array(m) } } },
  };
  const r = await trainRun(big, { kernels: packedKernels });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.problems[0].code, 'too-large');
  assert.equal(r.problems[0].severity, 'error');
  assert.match(r.problems[0].message, /^training would need 6\.0 GiB \(.*activations and caches of m = 2,000 examples 6\.0 GiB\); the engine's limit is 2\.0 GiB/);
  const range = r.problems[0].range!;
  assert.match(text.slice(range.offset, range.offset + range.length), /^\{ "builtin": "planar"/);
});

test('an init file that does not fit the network is a problem at "init", naming the key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-run-'));
  writeFileSync(join(dir, 'start.json'), JSON.stringify({ W1: [[0, 0], [0, 0], [0, 0]], b1: [[0], [0], [0]], W2: [[0, 0]], b2: [[0]] }));
  const text = NET.replace('"seed": 4', '"seed": 4, "init": { "file": "start.json" }');
  const f = checkFile(join(dir, 'net.dnn.json'), text);
  assert.ok(f.ok);
  const loaded = await loadRun(f);
  assert.equal(loaded.ok, false);
  if (loaded.ok) return;
  assert.equal(loaded.problems[0].code, 'params-error');
  assert.match(loaded.problems[0].message, /^W2 must be \(1, 3\) = \(n\[2\], n\[1\]\); found \(1, 2\)/);
  const range = loaded.problems[0].range!;
  assert.equal(text.slice(range.offset, range.offset + range.length), '"init": { "file": "start.json" }');
  rmSync(dir, { recursive: true });
});
