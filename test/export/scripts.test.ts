/**
 * The numpy and PyTorch exports, run: each exported script under Debian's python3 (numpy,
 * python3-torch) must compute what the engine computes, one forward pass to 1e-10 and ten training steps to 1e-9 for gd, momentum
 * and Adam from the same initial weights. The engine's side is `dnn predict` and `dnn train`, so
 * the numbers compared come from numpy on one side and the engine on the other; neither is typed in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';
import { capture } from '../cli/helpers';

const PYTHON = '/usr/bin/python3';
const missing = (module: string) => spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' }).status !== 0;
const numpyMissing = missing('numpy');
const SKIP = {
  numpy: numpyMissing ? `${PYTHON} with numpy is not installed (apt-get install python3-numpy)` : false,
  pytorch: numpyMissing || missing('torch') ? `${PYTHON} with torch is not installed (apt-get install python3-torch)` : false,
} as const;
const skip = SKIP.numpy;

/** A folder with a CSV of m examples of 3 features and labels of k classes (a fixed formula, no randomness). */
function folder(k: number, m = 30): string {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-export-'));
  const rows = ['a,b,c,y'];
  for (let i = 0; i < m; i++) {
    const a = Math.sin(i * 1.3) * 2;
    const b = Math.cos(i * 0.7) + 0.5;
    const c = ((i * 37) % 11) / 3 - 1;
    rows.push(`${a},${b},${c},${Math.abs(Math.floor(a + b * c)) % k}`);
  }
  writeFileSync(join(dir, 'train.csv'), rows.join('\n') + '\n');
  return dir;
}

/** Initial weights of the given sizes from a fixed formula, as a parameters file. */
function initialWeights(dir: string, dims: number[]): string {
  const p: Record<string, number[][]> = {};
  for (let l = 1; l < dims.length; l++) {
    p[`W${l}`] = Array.from({ length: dims[l] }, (_, i) => Array.from({ length: dims[l - 1] }, (_, j) => Math.sin(l * 10 + i * 3 + j * 7) * 0.6));
    p[`b${l}`] = Array.from({ length: dims[l] }, (_, i) => [Math.cos(l + i) * 0.1]);
  }
  const path = join(dir, 'init.params.json');
  writeFileSync(path, JSON.stringify(p));
  return path;
}

async function dnn(args: string[]): Promise<string> {
  const io = capture();
  const code = await main(args, io);
  assert.equal(code, 0, io.errText);
  return io.outText;
}

function python(args: string[], cwd: string): string {
  const r = spawnSync(PYTHON, args, { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function readCsv(path: string): { header: string; rows: number[][] } {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  return { header, rows: lines.map((l) => l.split(',').map(Number)) };
}

function maxDifference(a: Record<string, unknown>, b: Record<string, unknown>): { key: string; diff: number } {
  let worst = { key: '', diff: 0 };
  for (const key of Object.keys(b).filter((k) => k !== 'meta')) {
    const x = (a[key] as number[][]).flat();
    const y = (b[key] as number[][]).flat();
    assert.equal(x.length, y.length, key);
    x.forEach((v, i) => {
      const d = Math.abs(v - y[i]);
      if (!(d <= worst.diff)) worst = { key, diff: d };
    });
  }
  return worst;
}

function network(dir: string, layers: string, training: string, data = '"train": "train.csv"'): string {
  const file = join(dir, 'net.dnn.json');
  writeFileSync(file, `{ "input": 3, "layers": [${layers}], "data": { ${data} }, "training": { ${training} } }`);
  return file;
}

for (const format of ['numpy', 'pytorch'] as const) {
  test(`one forward pass of the ${format} script equals dnn predict to 1e-10`, { skip: SKIP[format] }, async () => {
  const dir = folder(3);
  const file = network(dir, '{ "units": 5, "activation": "leaky-relu", "alpha": 0.2 }, { "units": 4, "activation": "tanh" }, { "units": 3, "activation": "softmax" }', '"iterations": 5, "seed": 3, "init": "xavier"', '"train": "train.csv", "standardize": true');
  const params = join(dir, 'trained.params.json');
  await dnn(['train', file, '--save', params]);
  await dnn(['export', file, '--to', format, '--params', params]);
  await dnn(['predict', file, '--params', params, '--input', join(dir, 'train.csv'), '--output', join(dir, 'engine.csv')]);
  python(['net.py', 'predict', '--input', 'train.csv', '--output', 'numpy.csv'], dir);
  const engine = readCsv(join(dir, 'engine.csv'));
  const numpy = readCsv(join(dir, 'numpy.csv'));
  assert.equal(numpy.header, 'prediction,p0,p1,p2');
  assert.equal(numpy.header, engine.header);
  assert.equal(numpy.rows.length, 30);
  numpy.rows.forEach((row, j) => {
    assert.equal(row[0], engine.rows[j][0], `example ${j}'s class`);
    row.slice(1).forEach((v, i) => assert.ok(Math.abs(v - engine.rows[j][i + 1]) <= 1e-10, `example ${j}, p${i}: ${v} vs ${engine.rows[j][i + 1]}`));
  });
});

for (const [optimizer, extra] of [
  ['gd', '"l2": 0.3'],
  ['momentum', '"batchSize": 8, "shuffleSeed": 4'],
  ['adam', '"decayRate": 0.5'],
] as const) {
  test(`ten steps of ${optimizer} in the ${format} script equal the engine's to 1e-9`, { skip: SKIP[format] }, async () => {
    const dir = folder(2);
    const file = network(dir, '{ "units": 6, "activation": "relu" }, { "units": 3, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" }', `"iterations": 500, "learningRate": 0.05, "seed": 1, "optimizer": "${optimizer}", ${extra}`);
    const init = initialWeights(dir, [3, 6, 3, 1]);
    await dnn(['export', file, '--to', format, '--params', init, '-o', join(dir, 'model.py')]);
    await dnn(['train', file, '--init', init, '--iterations', '10', '--save', join(dir, 'engine.params.json')]);
    python(['model.py', 'train', '--iterations', '10', '--save', 'numpy.params.json'], dir);
    const numpy = JSON.parse(readFileSync(join(dir, 'numpy.params.json'), 'utf8')) as Record<string, unknown>;
    const engine = JSON.parse(readFileSync(join(dir, 'engine.params.json'), 'utf8')) as Record<string, unknown>;
    const worst = maxDifference(numpy, engine);
    assert.ok(worst.diff <= 1e-9, `${worst.key} differs by ${worst.diff}`);
    // The weights moved: ten steps that did nothing would also be equal.
    assert.ok(maxDifference(numpy, JSON.parse(readFileSync(init, 'utf8')) as Record<string, unknown>).diff > 1e-3);
    // What the script saves, dnn reads back.
    await dnn(['predict', file, '--params', join(dir, 'numpy.params.json'), '--input', join(dir, 'train.csv')]);
  });
}
}

test('without --params the script draws the initial weights as the engine does, from the seed', { skip }, async () => {
  const dir = folder(2);
  const file = network(dir, '{ "units": 4, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" }', '"iterations": 10, "learningRate": 0.5, "seed": 2, "init": { "scheme": "random", "scale": 0.5 }');
  await dnn(['export', file, '--to', 'numpy']);
  await dnn(['train', file, '--save', join(dir, 'engine.params.json')]);
  const printed = python(['net.py', 'train', '--save', 'numpy.params.json'], dir);
  assert.match(printed, /^Cost after iteration 0: \d\.\d{6}$/m);
  const worst = maxDifference(JSON.parse(readFileSync(join(dir, 'numpy.params.json'), 'utf8')), JSON.parse(readFileSync(join(dir, 'engine.params.json'), 'utf8')));
  assert.ok(worst.diff <= 1e-9, `${worst.key} differs by ${worst.diff}`);
});

test('dnn export refuses what it cannot write, at its key, and an unknown format as a usage error', async () => {
  const dir = folder(2);
  const file = join(dir, 'bn.dnn.json');
  writeFileSync(file, '{ "input": 3,\n  "layers": [\n    { "units": 2, "activation": "relu", "batchNorm": true }, { "units": 1, "activation": "sigmoid" } ] }');
  const io = capture();
  assert.equal(await main(['export', file, '--to', 'numpy'], io), 1);
  assert.match(io.errText, /bn\.dnn\.json:3:41: error: the numpy export does not write batch norm yet \(layer 1\)/);
  const dropout = join(dir, 'dropout.dnn.json');
  writeFileSync(dropout, '{ "input": 3, "layers": [ { "units": 2, "activation": "relu" }, { "units": 1, "activation": "sigmoid" } ],\n  "training": { "keepProb": 0.8 } }');
  const io2 = capture();
  assert.equal(await main(['export', dropout, '--to', 'pytorch'], io2), 1);
  assert.match(io2.errText, /dropout\.dnn\.json:2:17: error: the pytorch export does not write dropout yet/);
  const usage = capture();
  assert.equal(await main(['export', file, '--to', 'keras'], usage), 2);
  assert.match(usage.errText, /unknown format 'keras'; known: numpy, pytorch, onnx/);
  const none = capture();
  assert.equal(await main(['export', file], none), 2);
  assert.match(none.errText, /--to FORMAT is required/);
});

test('the PyTorch script trains under two processes with DistributedDataParallel (gloo) to the engine\'s weights, the same on both', { skip: SKIP.pytorch }, async () => {
  const dir = folder(2, 31);
  const file = network(dir, '{ "units": 5, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" }', '"iterations": 10, "learningRate": 0.3, "seed": 1, "optimizer": "momentum", "batchSize": 10, "l2": 0.1');
  const init = initialWeights(dir, [3, 5, 1]);
  await dnn(['export', file, '--to', 'pytorch', '--params', init]);
  await dnn(['train', file, '--init', init, '--save', join(dir, 'engine.params.json')]);
  // What torchrun sets for each process (Debian's torchrun 1.13 fails to start on Python 3.11, so
  // the test starts the two processes itself, with the same environment).
  const port = String(20000 + (process.pid % 20000));
  const ranks = [0, 1].map(
    (rank) =>
      new Promise<{ code: number | null; out: string }>((done) => {
        const child = spawn(PYTHON, ['net.py', 'train', '--save', 'ddp.params.json'], { cwd: dir, env: { ...process.env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: port, WORLD_SIZE: '2', RANK: String(rank), LOCAL_RANK: String(rank), OMP_NUM_THREADS: '1' } });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', (code) => done({ code, out }));
      }),
  );
  const [r0, r1] = await Promise.all(ranks);
  assert.equal(r0.code, 0, r0.out);
  assert.equal(r1.code, 0, r1.out);
  assert.match(r0.out, /The 2 processes end with the same weights \(largest difference 0\)/);
  const worst = maxDifference(JSON.parse(readFileSync(join(dir, 'ddp.params.json'), 'utf8')), JSON.parse(readFileSync(join(dir, 'engine.params.json'), 'utf8')));
  assert.ok(worst.diff <= 1e-9, `${worst.key} differs by ${worst.diff}`);
});
