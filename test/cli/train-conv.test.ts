// `dnn train` on a small convolutional network, end to end through src/run: the CSV's columns are
// images flattened row-major over (n_H, n_W, n_C), the costs are numpy's (test/fixtures/conv), the
// saved parameters file holds conv weights 4-D as numpy does, and `dnn predict` reads it back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';
import { assertTensor, convFixture } from '../core/engine/conv-helpers';

async function dnn(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY: false });
  return { code, out, err };
}

const run = convFixture('training.json')[0];

/** A CSV with one row per example: the n_x features x0, x1, ... and the label y. */
function csvOf(run = convFixture('training.json')[0]): string {
  const [n, m] = run.X.shape;
  const header = [...Array.from({ length: n }, (_, f) => `x${f}`), 'y'].join(',');
  const rows: string[] = [];
  for (let i = 0; i < m; i++) {
    const cells = Array.from({ length: n }, (_, f) => String(run.X.data[f * m + i]));
    rows.push([...cells, String(run.Y.data[i])].join(','));
  }
  return [header, ...rows].join('\n') + '\n';
}

test('dnn train trains a conv network as numpy does, saves W 4-D, and dnn predict reads the file back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-conv-train-'));
  writeFileSync(join(dir, 'train.csv'), csvOf());
  const f = join(dir, 'tiny.dnn.json');
  writeFileSync(f, JSON.stringify({
    input: { shape: run.input },
    layers: run.layers,
    loss: run.loss,
    data: { train: 'train.csv' },
    training: { ...run.training, batchSize: null, printEvery: 1 },
  }, null, 2));
  const costs = join(dir, 'costs.csv');
  const params = join(dir, 'tiny.params.json');
  const r = await dnn('train', f, '--costs', costs, '--save', params);
  assert.equal(r.code, 0, r.out + r.err);
  const rows = readFileSync(costs, 'utf8').trim().split('\n').slice(1).map((line) => Number(line.split(',')[1]));
  assertTensor(rows, { shape: [run.costs.length], data: run.costs }, 'costs', 1e-11);

  // The file loads into numpy as {k: np.array(v)}: W1 is (f, f, n_C[0], n_C[1]), b1 (1, 1, 1, n_C[1]).
  const saved = JSON.parse(readFileSync(params, 'utf8'));
  const shapeOf = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);
  assert.deepEqual(shapeOf(saved.W1), run.final.W1.shape);
  assert.deepEqual(shapeOf(saved.b1), [1, 1, 1, 3]);
  assert.deepEqual(shapeOf(saved.W4), run.final.W4.shape);
  assertTensor(saved.W1.flat(3), run.final.W1, 'saved W1', 1e-10);

  const p = await dnn('predict', f, '--params', params, '--input', join(dir, 'train.csv'));
  assert.equal(p.code, 0, p.out + p.err);

  // A W of the wrong shape is named with both shapes, in the course's order of dimensions.
  saved.W1 = saved.W1.map((a: number[][][]) => a.map((b) => b.map((c) => c.slice(0, 2))));
  writeFileSync(params, JSON.stringify(saved));
  const bad = await dnn('predict', f, '--params', params, '--input', join(dir, 'train.csv'));
  assert.equal(bad.code, 1);
  assert.match(bad.out + bad.err, /W1 must be \(3, 3, 2, 3\)[^;]*; found \(3, 3, 2, 2\)/);
});

test('dnn train trains batch norm on conv layers as numpy does, saves gamma and the running averages (1, 1, 1, n_C), and dnn predict uses them', async () => {
  const bn = convFixture('training.json').find((r: { name: string }) => r.name.startsWith('conv with batch norm'));
  const dir = mkdtempSync(join(tmpdir(), 'dnn-conv-bn-'));
  writeFileSync(join(dir, 'train.csv'), csvOf(bn));
  const f = join(dir, 'bn.dnn.json');
  writeFileSync(f, JSON.stringify({ input: { shape: bn.input }, layers: bn.layers, loss: bn.loss, data: { train: 'train.csv' }, training: { ...bn.training, printEvery: 1 } }, null, 2));
  const costs = join(dir, 'costs.csv');
  const params = join(dir, 'bn.params.json');
  const r = await dnn('train', f, '--costs', costs, '--save', params);
  assert.equal(r.code, 0, r.out + r.err);
  const rows = readFileSync(costs, 'utf8').trim().split('\n').slice(1).map((line) => Number(line.split(',')[1]));
  assertTensor(rows, { shape: [bn.costs.length], data: bn.costs }, 'costs', 1e-11);
  const saved = JSON.parse(readFileSync(params, 'utf8'));
  const shapeOf = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);
  for (const key of ['gamma1', 'beta1', 'runningMean1', 'runningVar1']) assert.deepEqual(shapeOf(saved[key]), [1, 1, 1, 3], key);
  assert.deepEqual(shapeOf(saved.gamma4), [4, 1]);
  assertTensor(saved.gamma1.flat(3), bn.final.gamma1, 'saved gamma1', 1e-10);
  assertTensor(saved.runningVar1.flat(3), bn.final.runningVar1, 'saved runningVar1', 1e-10);
  const p = await dnn('predict', f, '--params', params, '--input', join(dir, 'train.csv'));
  assert.equal(p.code, 0, p.out + p.err);
});
