/**
 * The worker's side of the protocol (src/extension/training/runner.ts), run in-process with a
 * data set from test/fixtures/training/runner-small.json (numbers from numpy: gen_runner.py).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fromRows } from '../../../src/core/matrix';
import type { Dataset } from '../../../src/core/data/types';
import type { Parameters } from '../../../src/core/engine/types';
import { CONTROL_STOP, TUNE_LEARNING_RATE, TUNE_OPTIMIZER, TUNE_PACE, TUNE_WORDS, type WorkerToExtension } from '../../../src/protocol';
import { runGradientCheck, runTraining, type RunnerEnv } from '../../../src/extension/training/runner';
import { nodeFiles, type RunFiles } from '../../../src/run/load';
import { chooseKernels } from '../../../src/node/kernels';

const fx = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../fixtures/training/runner-small.json'), 'utf8'));
const dataset = (): Dataset => ({ train: { X: fromRows(fx.X), Y: fromRows(fx.Y) }, source: 'eight points (test)', classes: 2 });

const spec = (training = '"iterations": 1000, "learningRate": 1.2, "seed": 3') => `{
  // a comment, as users write them
  "input": 2,
  "layers": [ { "units": 3, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ],
  "loss": "binary-cross-entropy",
  "data": { "builtin": "planar" },
  "training": { ${training}, "init": { "scheme": "random", "scale": 0.01 } }
}`;

/** The worker's environment with the eight-point data set, and a record of what was posted and saved. */
function env(overrides: Partial<RunnerEnv> = {}, files: Partial<RunFiles> = {}) {
  const seen: WorkerToExtension[] = [];
  const saved: { path: string; parameters: Parameters; meta: Record<string, unknown> }[] = [];
  const stop = new AbortController();
  const e: RunnerEnv = {
    files: {
      ...nodeFiles,
      loadData: async () => ({ dataset: dataset(), problems: [], dataErrors: [] }),
      saveParameters: async (p, parameters, meta) => void saved.push({ path: p, parameters, meta }),
      ...files,
    },
    post: (m) => seen.push(JSON.parse(JSON.stringify(m))),
    signal: stop.signal,
    kernels: chooseKernels().kernels,
    ...overrides,
  };
  return { e, seen, saved, stop };
}

const relClose = (a: number, b: number, tol = 1e-12) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('a run with the page\'s overrides reports what numpy computes, and saves the parameters', async () => {
  const { e, seen, saved } = env();
  await runTraining(
    { type: 'train', file: '/w/net.dnn.json', text: spec(), overrides: { iterations: fx.iterations, learningRate: fx.learningRate }, paramsPath: '/w/net.params.json' },
    e,
  );
  const types = seen.map((m) => m.type);
  assert.equal(types[0], 'trainStarted');
  assert.equal(types.at(-1), 'trainDone');
  const started = seen[0] as Extract<WorkerToExtension, { type: 'trainStarted' }>;
  assert.deepEqual(started.settings, { learningRate: 0.5, iterations: 6, optimizer: 'gd' });
  assert.equal(started.m, 8);
  // 2-D input: the points for the boundary plot, labels from Y.
  assert.deepEqual(started.points?.label, [1, 0, 1, 0, 1, 0, 0, 1]);
  assert.deepEqual(started.points?.x, fx.X[0]);

  const done = seen.at(-1) as Extract<WorkerToExtension, { type: 'trainDone' }>;
  assert.equal(done.summary.status, 'done');
  assert.equal(done.costs.length, 6);
  done.costs.forEach((c, i) => assert.ok(relClose(c, fx.costs[i]), `cost ${i}: ${c} vs numpy ${fx.costs[i]}`));
  assert.ok(relClose(done.summary.finalCost!, fx.costs[5]));
  assert.equal(done.summary.paramsPath, '/w/net.params.json');

  // Every sample of a short run is streamed, in order.
  const samples = seen.flatMap((m) => (m.type === 'progress' ? m.points : []));
  assert.deepEqual(samples.map((p) => p.iteration), [0, 1, 2, 3, 4, 5]);
  assert.ok(relClose(samples[0].cost!, fx.costs[0]));

  // The parameters saved are numpy's after 6 updates.
  assert.equal(saved.length, 1);
  const W1 = saved[0].parameters.get('W1')!;
  assert.ok(relClose(W1.data[0], fx.W1[0][0], 1e-10));
  assert.deepEqual(saved[0].meta.architecture, [2, 3, 1]);

  // And a final boundary over the course's plot range (min - 1 .. max + 1).
  const b = seen.filter((m) => m.type === 'boundary').at(-1) as Extract<WorkerToExtension, { type: 'boundary' }>;
  assert.equal(b.grid.kind, 'probability');
  assert.equal(b.grid.xMin, -3.2);
  assert.equal(b.grid.xMax, 3);
  assert.equal(b.grid.values.length, 60 * 60);
  assert.ok(b.grid.values.every((v) => v > 0 && v < 1));
  // It carries the parameters it was drawn with, for a click on the plot: the ones saved.
  assert.deepEqual(JSON.parse(b.parameters!).W1[0][0], W1.data[0]);
});

test('the boundary forms during the run, from the live parameters, and the costs stay numpy\'s', async () => {
  const { e, seen } = env();
  await runTraining(
    { type: 'train', file: '/w/net.dnn.json', text: spec(), overrides: { iterations: fx.iterations, learningRate: fx.learningRate }, boundaryEvery: 2 },
    e,
  );
  const done = seen.at(-1) as Extract<WorkerToExtension, { type: 'trainDone' }>;
  assert.equal(done.costs.length, 6);
  done.costs.forEach((c, i) => assert.ok(relClose(c, fx.costs[i]), `cost ${i}: ${c} vs numpy ${fx.costs[i]}`));
  // Boundaries every 2 iterations from the engine's live parameters (1, 3), and the final one.
  assert.deepEqual(seen.filter((m) => m.type === 'boundary').map((m) => (m as { iteration: number }).iteration), [1, 3, 5]);
  const samples = seen.flatMap((m) => (m.type === 'progress' ? m.points : []));
  assert.deepEqual(samples.map((p) => p.iteration), [0, 1, 2, 3, 4, 5]);
  assert.ok(samples.every((p, i) => i === 0 || p.elapsedMs >= samples[i - 1].elapsedMs), 'elapsed time grows across pieces');
});

test('a run in pieces that diverges names the run\'s iteration', async () => {
  const { e, seen } = env();
  // relu passes huge weights on until a gradient overflows (an infinite cost alone goes on).
  const text = spec('"iterations": 400, "learningRate": 1e300, "seed": 3').replace('"tanh"', '"relu"');
  await runTraining({ type: 'train', file: '/w/net.dnn.json', text, overrides: {}, boundaryEvery: 2 }, e);
  const done = seen.at(-1) as Extract<WorkerToExtension, { type: 'trainDone' }>;
  assert.equal(done.summary.status, 'diverged');
  // The update of iteration 1 would overflow: iteration 0 ran, the message names iteration 1.
  assert.equal(done.summary.iterationsRun, 1);
  assert.match(done.summary.message ?? '', new RegExp(`iteration ${done.summary.iterationsRun}\\b`));
});

test('a parameters file that cannot be written keeps the run and says why', async () => {
  const { e, seen } = env({}, { saveParameters: async () => Promise.reject(new Error('/ro/net.params.json: cannot write: permission denied')) });
  await runTraining({ type: 'train', file: '/ro/net.dnn.json', text: spec(), overrides: { iterations: 6, learningRate: 0.5 }, paramsPath: '/ro/net.params.json' }, e);
  const done = seen.at(-1) as Extract<WorkerToExtension, { type: 'trainDone' }>;
  assert.equal(done.summary.status, 'done');
  assert.equal(done.costs.length, 6);
  assert.equal(done.summary.paramsPath, undefined);
  assert.equal(done.summary.message, 'the parameters could not be saved: /ro/net.params.json: cannot write: permission denied');
});

test('errors in the file come back with their position, and nothing is trained', async () => {
  const { e, seen } = env();
  const text = spec('"iterations": 1000, "learningRate": "fast"');
  await runTraining({ type: 'train', file: '/w/x.dnn.json', text, overrides: {} }, e);
  assert.equal(seen.length, 1);
  const f = seen[0] as Extract<WorkerToExtension, { type: 'failed' }>;
  assert.equal(f.type, 'failed');
  assert.equal(text.slice(f.errors[0].offset, f.errors[0].offset! + f.errors[0].length!), '"fast"');
});

test('data that does not fit the network is refused with a position in the file', async () => {
  const { e, seen } = env({}, {
    loadData: async () => ({ dataset: { train: { X: fromRows([[1, 2], [3, 4], [5, 6]]), Y: fromRows([[0, 1]]) }, source: 'three features' }, problems: [], dataErrors: [] }),
  });
  const text = spec();
  await runTraining({ type: 'train', file: '/w/x.dnn.json', text, overrides: {} }, e);
  const f = seen.at(-1) as Extract<WorkerToExtension, { type: 'failed' }>;
  assert.equal(f.type, 'failed');
  assert.match(f.errors[0].message, /3 features .* n\[0\] = 2/);
  assert.match(text.slice(f.errors[0].offset, f.errors[0].offset! + f.errors[0].length!), /^"input": 2/);
});

test('a missing data file is reported against "data"', async () => {
  // Node's own loader: the file is looked for beside the .dnn.json, and is not there.
  const { e, seen } = env({}, { loadData: nodeFiles.loadData });
  const text = spec().replace('"data": { "builtin": "planar" }', '"data": { "train": "data/train.csv" }');
  await runTraining({ type: 'train', file: path.join(os.tmpdir(), 'no-such-folder', 'x.dnn.json'), text, overrides: {} }, e);
  const f = seen.at(-1) as Extract<WorkerToExtension, { type: 'failed' }>;
  assert.match(f.errors[0].message, /no such file/);
  assert.match(text.slice(f.errors[0].offset, f.errors[0].offset! + f.errors[0].length!), /^"data\/train\.csv"/);
});

test('the control word stops a long run early: aborted, nothing saved', async () => {
  const control = new SharedArrayBuffer(4);
  const word = new Int32Array(control);
  const { e, seen, saved } = env({
    post: (m) => {
      seen.push(m);
      if (m.type === 'progress') Atomics.store(word, 0, CONTROL_STOP);
    },
  });
  await runTraining({ type: 'train', file: '/w/x.dnn.json', text: spec('"iterations": 1000000, "learningRate": 0.1, "seed": 1'), overrides: {}, control, paramsPath: '/w/x.params.json' }, e);
  const done = seen.at(-1) as Extract<WorkerToExtension, { type: 'trainDone' }>;
  assert.equal(done.summary.status, 'aborted');
  assert.ok(done.summary.iterationsRun < 1000000);
  assert.equal(saved.length, 0);
  assert.equal(done.summary.paramsPath, undefined);
  // What it learned travels back for the extension to offer saving: the file a completed run
  // would write, its meta saying how far it got.
  assert.equal(done.summary.canSave, true);
  const file = JSON.parse(done.unsavedParams!);
  assert.deepEqual([file.W1.length, file.W1[0].length, file.W2.length, file.W2[0].length], [3, 2, 1, 3]);
  assert.equal(file.meta.iterations, done.summary.iterationsRun);
  assert.equal(file.meta.finalCost, done.costs.at(-1));
});

test('α changed mid-run through the tuning words: `tuned` names the iteration, the costs before it are untouched', async () => {
  const text = spec('"iterations": 60, "learningRate": 1.2, "seed": 3');
  const plain = env();
  await runTraining({ type: 'train', file: '/w/net.dnn.json', text, overrides: {} }, plain.e);
  const tuning = new SharedArrayBuffer(16);
  const words = new Float64Array(tuning);
  const changed = env({
    post: (m) => {
      changed.seen.push(JSON.parse(JSON.stringify(m)));
      // The user types α = 0.05 as soon as the chart shows the first sample.
      if (m.type === 'progress') words[TUNE_LEARNING_RATE] = 0.05;
    },
  });
  await runTraining({ type: 'train', file: '/w/net.dnn.json', text, overrides: {}, control: new SharedArrayBuffer(4), tuning }, changed.e);
  const tuned = changed.seen.filter((m) => m.type === 'tuned') as Extract<WorkerToExtension, { type: 'tuned' }>[];
  assert.equal(tuned.length, 1);
  assert.equal(tuned[0].learningRate, 0.05);
  const k = tuned[0].iteration;
  assert.ok(k >= 1 && k < 59, `took effect at ${k}`);
  const before = (plain.seen.at(-1) as Extract<WorkerToExtension, { type: 'trainDone' }>).costs;
  const after = (changed.seen.at(-1) as Extract<WorkerToExtension, { type: 'trainDone' }>).costs;
  // Iteration k's cost is computed before its update: the first one α = 0.05 changes is k + 1.
  assert.deepEqual(after.slice(0, k + 1), before.slice(0, k + 1));
  assert.notEqual(after[k + 1], before[k + 1]);
  // Every sample before the change reached the page before the marker.
  const at = changed.seen.indexOf(tuned[0]);
  const sampledBefore = changed.seen.slice(0, at).flatMap((m) => (m.type === 'progress' ? m.points : []));
  assert.equal(sampledBefore.at(-1)?.iteration, k - 1);
});

test('momentum\'s β changed mid-run: `tuned` names β and its iteration, a setting momentum does not read is left alone', async () => {
  const text = spec('"iterations": 60, "learningRate": 0.5, "seed": 3, "optimizer": "momentum"');
  const plain = env();
  await runTraining({ type: 'train', file: '/w/net.dnn.json', text, overrides: {} }, plain.e);
  const tuning = new SharedArrayBuffer(TUNE_WORDS * 8);
  const words = new Float64Array(tuning).fill(NaN);
  words[TUNE_LEARNING_RATE] = 0;
  const changed = env({
    post: (m) => {
      changed.seen.push(JSON.parse(JSON.stringify(m)));
      if (m.type === 'progress') {
        words[TUNE_OPTIMIZER.beta] = 0.2;
        words[TUNE_OPTIMIZER.epsilon] = 0.5;
      }
    },
  });
  await runTraining({ type: 'train', file: '/w/net.dnn.json', text, overrides: {}, control: new SharedArrayBuffer(4), tuning }, changed.e);
  const tuned = changed.seen.filter((m) => m.type === 'tuned') as Extract<WorkerToExtension, { type: 'tuned' }>[];
  assert.equal(tuned.length, 1);
  const { type: _t, iteration: k, ...what } = tuned[0];
  assert.deepEqual(what, { beta: 0.2 });
  assert.ok(k >= 1 && k < 59, `took effect at ${k}`);
  const before = (plain.seen.at(-1) as Extract<WorkerToExtension, { type: 'trainDone' }>).costs;
  const after = (changed.seen.at(-1) as Extract<WorkerToExtension, { type: 'trainDone' }>).costs;
  assert.deepEqual(after.slice(0, k + 1), before.slice(0, k + 1));
  assert.notEqual(after[k + 1], before[k + 1]);
});

test('a paced run sends every sample as it happens and takes at least iterations / pace', async () => {
  const tuning = new SharedArrayBuffer(16);
  new Float64Array(tuning)[TUNE_PACE] = 400;
  const { e, seen } = env();
  const t0 = performance.now();
  await runTraining({ type: 'train', file: '/w/net.dnn.json', text: spec('"iterations": 80, "learningRate": 1.2, "seed": 3'), overrides: {}, control: new SharedArrayBuffer(4), tuning }, e);
  // 80 iterations at 400 per second: 0.2 s at least (a lower bound: the machine may be slower).
  assert.ok(performance.now() - t0 >= 190, `${performance.now() - t0} ms`);
  const batches = seen.filter((m) => m.type === 'progress') as Extract<WorkerToExtension, { type: 'progress' }>[];
  assert.ok(batches.length >= 79, `${batches.length} progress messages for 80 samples`);
  // The first sample leaves at once, so the chart starts with the run.
  assert.equal(batches[0].points[0].iteration, 0);
});

test('gradient check of the file\'s network passes, group by group', async () => {
  const { e, seen } = env();
  await runGradientCheck({ type: 'gradientCheck', file: '/w/x.dnn.json', text: spec() }, e);
  const r = seen.at(-1) as Extract<WorkerToExtension, { type: 'gradientCheckDone' }>;
  assert.equal(r.type, 'gradientCheckDone');
  assert.ok(r.difference < 2e-7, `difference ${r.difference}`);
  assert.deepEqual(r.groups.map((g) => [g.name, g.count]), [['W1', 6], ['b1', 3], ['W2', 3], ['b2', 1]]);
});

test('the parameters file of a real run lands atomically where asked', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnn-runner-'));
  const { e } = env({}, { saveParameters: nodeFiles.saveParameters });
  const target = path.join(dir, 'net.params.json');
  await runTraining({ type: 'train', file: path.join(dir, 'net.dnn.json'), text: spec(), overrides: { iterations: 6, learningRate: 0.5 }, paramsPath: target }, e);
  const json = JSON.parse(fs.readFileSync(target, 'utf8'));
  assert.ok(relClose(json.W2[0][1], fx.W2[0][1], 1e-10));
  assert.deepEqual(fs.readdirSync(dir), ['net.params.json']);
  fs.rmSync(dir, { recursive: true });
});

test('a run whose cost is inf at first trains on, and its summary carries the warning the editor shows', async () => {
  // Weights of scale 1000 saturate the sigmoid to exactly 1 on some points labelled 0: log(0).
  const text = `{ "input": 2, "layers": [ { "units": 3, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ],
    "loss": "binary-cross-entropy", "data": { "builtin": "planar" },
    "training": { "iterations": 20, "learningRate": 0.01, "seed": 3, "init": { "scheme": "random", "scale": 1000 } } }`;
  const { e, seen } = env();
  await runTraining({ type: 'train', file: '/w/net.dnn.json', text, overrides: {} }, e);
  const done = seen.at(-1) as Extract<WorkerToExtension, { type: 'trainDone' }>;
  assert.equal(done.type, 'trainDone');
  assert.equal(done.summary.status, 'done', JSON.stringify(done.summary));
  assert.equal(done.summary.iterationsRun, 20);
  assert.match(done.summary.message ?? '', /^the cost is inf at iteration 0: some output AL is exactly 0 or 1 against the other label/);
});
