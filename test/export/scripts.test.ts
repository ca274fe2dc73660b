/**
 * The numpy and PyTorch exports, run: each exported script under Debian's python3 (numpy,
 * python3-torch) must compute what the engine computes, one forward pass to 1e-10 and ten training steps to 1e-9 for gd, momentum
 * and Adam from the same initial weights. The engine's side is `dnn predict` and `dnn train`, so
 * the numbers compared come from numpy on one side and the engine on the other; neither is typed in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { main } from '../../src/cli/index';
import { checkText } from '../../src/core/check';
import { EXPORTERS } from '../../src/export/index';
import { encode as encodePng } from 'fast-png';
import { capture } from '../cli/helpers';
import { h5File, h5Unavailable } from '../helpers/h5';

const PYTHON = '/usr/bin/python3';
const EXAMPLES = join(__dirname, '..', '..', 'examples');
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

/**
 * Trains `file`, exports it to `format` with the trained weights, and predicts the CSV `input` (in
 * `dir`) with dnn predict and with the exported script: both outputs, as read.
 */
async function predictBoth(dir: string, file: string, format: string, input: string): Promise<{ engine: ReturnType<typeof readCsv>; script: ReturnType<typeof readCsv> }> {
  const params = join(dir, 'trained.params.json');
  await dnn(['train', file, '--save', params]);
  await dnn(['export', file, '--to', format, '--params', params]);
  await dnn(['predict', file, '--params', params, '--input', join(dir, input), '--output', join(dir, 'engine.csv')]);
  python(['net.py', 'predict', '--input', input, '--output', 'script.csv'], dir);
  return { engine: readCsv(join(dir, 'engine.csv')), script: readCsv(join(dir, 'script.csv')) };
}

/** The same class for every example, and each class's probability within 1e-10. */
function sameClassesAndProbabilities(script: ReturnType<typeof readCsv>, engine: ReturnType<typeof readCsv>): void {
  script.rows.forEach((row, j) => {
    assert.equal(row[0], engine.rows[j][0], `example ${j}'s class`);
    row.slice(1).forEach((v, i) => assert.ok(Math.abs(v - engine.rows[j][i + 1]) <= 1e-10, `example ${j}, p${i}: ${v} vs ${engine.rows[j][i + 1]}`));
  });
}

function maxDifference(a: Record<string, unknown>, b: Record<string, unknown>): { key: string; diff: number } {
  let worst = { key: '', diff: 0 };
  for (const key of Object.keys(b).filter((k) => k !== 'meta')) {
    // Every entry, whatever the array's rank (a conv W is 4-D); a NaN difference sticks.
    const x = (a[key] as unknown[]).flat(Infinity) as number[];
    const y = (b[key] as unknown[]).flat(Infinity) as number[];
    assert.equal(x.length, y.length, key);
    x.forEach((v, i) => {
      const d = Math.abs(v - y[i]);
      if (!Number.isNaN(worst.diff) && !(d <= worst.diff)) worst = { key, diff: d };
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
  const { engine, script } = await predictBoth(dir, file, format, 'train.csv');
  assert.equal(script.header, 'prediction,p0,p1,p2');
  assert.equal(script.header, engine.header);
  assert.equal(script.rows.length, 30);
  sameClassesAndProbabilities(script, engine);
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

test('a network too large for the engine to train still exports: VGG-16 gives a PyTorch script and its size stays a warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-export-vgg-'));
  const io = capture();
  assert.equal(await main(['export', join(EXAMPLES, 'vgg16.dnn.json'), '--to', 'pytorch', '-o', join(dir, 'vgg16.py')], io), 0, io.errText);
  assert.doesNotMatch(io.errText, /error/);
  // The script writes no weights, so it is quick and says nothing of the sort.
  assert.doesNotMatch(io.errText, /takes a while/);
  const script = readFileSync(join(dir, 'vgg16.py'), 'utf8');
  // No weights are embedded: the script draws VGG-16's 138,357,544 parameters itself.
  assert.match(script, /none embedded: train initialises them/);
  assert.ok(script.length < 200_000, `${script.length} characters`);
  // dnn train refuses the same file with the size, at the same key.
  const train = capture();
  assert.equal(await main(['train', join(EXAMPLES, 'vgg16.dnn.json')], train), 1);
  assert.match(train.errText, /error: training would need 2\.\d GiB .* \[too-large\]/);
});

test('an ONNX export of millions of weights says first that it takes a while, and on a terminal how far the drawing is; a small one says nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-export-large-'));
  const io = capture();
  io.isTTY = true;
  let statusText = '';
  io.status = (s: string) => {
    statusText += s;
  };
  assert.equal(await main(['export', join(__dirname, '..', 'fixtures', 'editor', 'export-large.dnn.json'), '--to', 'onnx', '-o', join(dir, 'large.onnx')], io), 0, io.errText);
  // (3·3·3+1)·64 + (3·3·64+1)·256 + (3·3·256+1)·512 + (8·8·512+1)·128 + (128+1)·10
  // = 1,792 + 147,712 + 1,180,160 + 4,194,432 + 1,290 = 5,525,386 (pools 32 → 16 → 8).
  assert.match(io.errText, /dnn export: writing 5,525,386 weights; this takes a while/);
  // One line rewritten in place, from a few percent to 100%, then cleared before "Wrote".
  const lines = statusText.split('\r').filter((s) => s !== '');
  const percents = lines.flatMap((s) => /^dnn export: drawing the initial weights (\d+)%$/.exec(s)?.slice(1).map(Number) ?? []);
  assert.ok(percents.length >= 20, `${percents.length} progress lines`);
  assert.deepEqual(percents, [...percents].sort((a, b) => a - b));
  assert.equal(percents[percents.length - 1], 100);
  assert.equal(lines[lines.length - 1], '\x1b[K');
  const small = capture();
  assert.equal(await main(['export', join(EXAMPLES, 'planar.dnn.json'), '--to', 'onnx', '-o', join(dir, 'planar.onnx')], small), 0, small.errText);
  assert.equal(small.errText, '');
});

test('dnn export refuses what it cannot write, at its key, and an unknown format as a usage error', async () => {
  const dir = folder(2);
  // What the engine cannot train is refused at its key (softmax on a conv layer); batch norm in a
  // conv network, which it trains, is written.
  const file = join(dir, 'bn.dnn.json');
  writeFileSync(file, '{ "input": { "shape": [4, 4, 1] },\n  "layers": [\n    { "type": "conv", "filters": 2, "size": 3, "activation": "relu", "batchNorm": true }, { "type": "flatten" }, { "units": 1, "activation": "sigmoid" } ] }');
  const io = capture();
  assert.equal(await main(['export', file, '--to', 'numpy'], io), 0, io.errText);
  assert.match(readFileSync(join(dir, 'bn.py'), 'utf8'), /gamma/);
  const softmax = join(dir, 'softmax.dnn.json');
  writeFileSync(softmax, '{ "input": { "shape": [4, 4, 1] },\n  "layers": [ { "type": "conv", "filters": 2, "size": 3, "activation": "softmax" }, { "type": "flatten" }, { "units": 1, "activation": "sigmoid" } ] }');
  const io2 = capture();
  assert.equal(await main(['export', softmax, '--to', 'pytorch'], io2), 1);
  assert.match(io2.errText, /softmax\.dnn\.json:2:58: error: softmax normalises columns: a conv layer cannot use it/);
  const usage = capture();
  assert.equal(await main(['export', softmax, '--to', 'keras'], usage), 2);
  assert.match(usage.errText, /unknown format 'keras'; known: numpy, pytorch, onnx/);
  const none = capture();
  assert.equal(await main(['export', softmax], none), 2);
  assert.match(none.errText, /--to FORMAT is required/);
});

/**
 * Trains `script` in dir under `torchrun --nproc_per_node 2` on the CPU (gloo). torchrun is
 * `python -m torch.distributed.run`; Debian's 1.13 on Python 3.11 needs `--redirects 1 --tee 1`,
 * because its default of 0 for both no longer maps to an enum member on that Python and it
 * stops before starting anything. Rank 0's output reaches the console as `[default0]:...`.
 */
let runs = 0;
async function underTorchrun(dir: string, script: string): Promise<string> {
  const port = String(20000 + ((process.pid * 7 + runs++) % 20000));
  const args = ['-m', 'torch.distributed.run', '--nproc_per_node', '2', '--master_addr', '127.0.0.1', '--master_port', port, '--redirects', '1', '--tee', '1', '--log_dir', join(dir, 'torchrun-logs'), script, 'train', '--save', 'ddp.params.json'];
  const { code, out } = await new Promise<{ code: number | null; out: string }>((done) => {
    const child = spawn(PYTHON, args, { cwd: dir, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('close', (c) => done({ code: c, out: text }));
  });
  assert.equal(code, 0, out);
  // Rank 0 prints; the callers check its line that compares the two processes' weights.
  return out;
}

test('the PyTorch script trains under torchrun --nproc_per_node 2 with DistributedDataParallel (gloo) to the engine\'s weights, the same on both', { skip: SKIP.pytorch }, async () => {
  const dir = folder(2, 31);
  const file = network(dir, '{ "units": 5, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" }', '"iterations": 10, "learningRate": 0.3, "seed": 1, "optimizer": "momentum", "batchSize": 10, "l2": 0.1');
  const init = initialWeights(dir, [3, 5, 1]);
  await dnn(['export', file, '--to', 'pytorch', '--params', init]);
  await dnn(['train', file, '--init', init, '--save', join(dir, 'engine.params.json')]);
  const out = await underTorchrun(dir, 'net.py');
  assert.match(out, /The 2 processes end with the same weights \(largest difference 0\)/);
  const worst = maxDifference(JSON.parse(readFileSync(join(dir, 'ddp.params.json'), 'utf8')), JSON.parse(readFileSync(join(dir, 'engine.params.json'), 'utf8')));
  assert.ok(worst.diff <= 1e-9, `${worst.key} differs by ${worst.diff}`);
});

// ---- Conv networks: conv (valid, same, int padding, strides), max and average pools, flatten,
// residual blocks with and without a shortcut, on the built-in shapes and on an HDF5 file.

/**
 * LeNet-like and small: every conv and pool variant once, 8×8 grey shapes, three classes. The first
 * conv's "same" pads its width 0 before and 1 after (TensorFlow's split), the average pool's too.
 */
const SHAPES_NET = `{ "input": { "shape": [8, 8, 1] },
  "layers": [
    { "type": "conv", "filters": 3, "size": [3, 2], "padding": "same", "activation": "relu" },
    { "type": "pool", "mode": "max", "size": 2 },
    { "type": "residual", "layers": [
        { "type": "conv", "filters": 3, "size": 3, "padding": 1, "activation": "relu" },
        { "type": "conv", "filters": 3, "size": 3, "padding": 1, "activation": "leaky-relu", "alpha": 0.1 } ] },
    { "type": "residual", "layers": [ { "type": "conv", "filters": 4, "size": 2, "stride": 2, "activation": "tanh" } ],
      "shortcut": { "type": "conv", "filters": 4, "size": 1, "stride": 2, "activation": "linear" } },
    { "type": "pool", "mode": "average", "size": 3, "stride": 2, "padding": "same" },
    { "type": "flatten" },
    { "units": 3, "activation": "softmax" } ],
  "loss": "categorical-cross-entropy",
  "data": { "builtin": "shapes", "examples": 24, "devFraction": 0.25 },
  "training": { @TRAINING@ } }`;

/** Six classes of 8×8 RGB pictures from the HDF5 generator: a strided valid conv, a stride-1 average pool. */
const H5_NET = `{ "input": { "shape": [8, 8, 3] },
  "layers": [
    { "type": "conv", "filters": 2, "size": [3, 2], "stride": [2, 1], "activation": "sigmoid" },
    { "type": "pool", "mode": "average", "size": 2, "stride": 1 },
    { "type": "flatten" },
    { "units": 4, "activation": "relu" },
    { "units": 6, "activation": "softmax" } ],
  "loss": "categorical-cross-entropy",
  "data": { "train": "six_classes.h5", "divideBy": 255 },
  "training": { @TRAINING@ } }`;

function convNetwork(dir: string, text: string, training: string): string {
  const file = join(dir, 'net.dnn.json');
  writeFileSync(file, text.replace('@TRAINING@', training));
  return file;
}

const h5Skip = h5Unavailable() ?? false;

for (const format of ['numpy', 'pytorch'] as const) {
  test(`one forward pass of the ${format} script through conv, pool, residual and flatten layers equals dnn predict to 1e-10`, { skip: SKIP[format] }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnn-export-conv-'));
    const file = convNetwork(dir, SHAPES_NET, '"iterations": 3, "learningRate": 0.1, "seed": 5, "init": "he", "optimizer": "adam"');
    // Pictures the network has not seen, by a formula, one row of 64 pixels each.
    const rows = [Array.from({ length: 64 }, (_, f) => `x${f}`).join(',')];
    for (let i = 0; i < 7; i++) rows.push(Array.from({ length: 64 }, (_, f) => (Math.sin(i * 3.1 + f * 0.37) + 1) / 2).join(','));
    writeFileSync(join(dir, 'input.csv'), rows.join('\n') + '\n');
    const { engine, script } = await predictBoth(dir, file, format, 'input.csv');
    assert.equal(script.header, engine.header);
    assert.equal(script.rows.length, 7);
    sameClassesAndProbabilities(script, engine);
  });

  for (const [optimizer, net, extra] of [
    ['adam', 'shapes', '"batchSize": 8, "decayRate": 0.3'],
    ['gd', 'hdf5', '"l2": 0.2'],
    ['momentum', 'hdf5', '"batchSize": 5, "shuffleSeed": 2'],
  ] as const) {
    test(`ten steps of ${optimizer} on the ${net} conv network in the ${format} script equal the engine's to 1e-9`, { skip: SKIP[format] || (net === 'hdf5' && h5Skip) }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dnn-export-conv-'));
      if (net === 'hdf5') copyFileSync(h5File('six_classes.h5'), join(dir, 'six_classes.h5'));
      const file = convNetwork(dir, net === 'shapes' ? SHAPES_NET : H5_NET, `"iterations": 500, "learningRate": 0.05, "seed": 3, "init": "he", "optimizer": "${optimizer}", ${extra}`);
      const init = join(dir, 'init.params.json');
      await dnn(['train', file, '--iterations', '0', '--save', init]);
      await dnn(['export', file, '--to', format, '-o', join(dir, 'model.py')]);
      await dnn(['train', file, '--init', init, '--iterations', '10', '--save', join(dir, 'engine.params.json')]);
      python(['model.py', 'train', '--params', 'init.params.json', '--iterations', '10', '--save', 'script.params.json'], dir);
      const script = JSON.parse(readFileSync(join(dir, 'script.params.json'), 'utf8')) as Record<string, unknown>;
      const engine = JSON.parse(readFileSync(join(dir, 'engine.params.json'), 'utf8')) as Record<string, unknown>;
      assert.deepEqual(Object.keys(script), Object.keys(engine));
      const worst = maxDifference(script, engine);
      assert.ok(worst.diff <= 1e-9, `${worst.key} differs by ${worst.diff}`);
      assert.ok(maxDifference(script, JSON.parse(readFileSync(init, 'utf8')) as Record<string, unknown>).diff > 1e-3, 'the weights moved');
    });
  }
}

const pilSkip = numpyMissing || missing('PIL') ? `${PYTHON} with PIL is not installed (apt-get install python3-pil)` : false;

test('the numpy script reads a picture folder as the engine does (area resize, grey) and trains to its weights', { skip: pilSkip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-export-pictures-'));
  // Two classes of RGB pictures by a formula: 10×12 and 13×9 shrink to 8×8 by fractions of pixels, 8×8 stays.
  const sizes: [number, number][] = [[10, 12], [13, 9], [8, 8]];
  for (const [c, name] of ['bright', 'dark'].entries()) {
    mkdirSync(join(dir, 'pictures', name), { recursive: true });
    sizes.forEach(([width, height], k) => {
      const data = new Uint8Array(width * height * 3);
      for (let i = 0; i < data.length; i++) data[i] = (i * 37 + k * 11 + c * 90) % 256;
      writeFileSync(join(dir, 'pictures', name, `p${k}.png`), encodePng({ width, height, data, channels: 3, depth: 8 }));
    });
  }
  const file = join(dir, 'net.dnn.json');
  writeFileSync(
    file,
    `{ "input": { "shape": [8, 8, 1] },
      "layers": [ { "type": "conv", "filters": 2, "size": 3, "stride": 2, "activation": "tanh" }, { "type": "flatten" }, { "units": 1, "activation": "sigmoid" } ],
      "data": { "images": "pictures", "standardize": true },
      "training": { "iterations": 10, "learningRate": 0.1, "seed": 4, "init": "xavier" } }`,
  );
  await dnn(['export', file, '--to', 'numpy']);
  await dnn(['train', file, '--save', join(dir, 'engine.params.json')]);
  python(['net.py', 'train', '--save', 'script.params.json'], dir);
  const script = JSON.parse(readFileSync(join(dir, 'script.params.json'), 'utf8')) as Record<string, unknown> & { meta: { standardization: { mean: number[] } } };
  const engine = JSON.parse(readFileSync(join(dir, 'engine.params.json'), 'utf8')) as Record<string, unknown> & { meta: { standardization: { mean: number[] } } };
  const worst = maxDifference(script, engine);
  assert.ok(worst.diff <= 1e-9, `${worst.key} differs by ${worst.diff}`);
  // The pixels themselves: the standardisation's means are the pictures' mean values, pixel by pixel.
  script.meta.standardization.mean.forEach((v, f) => assert.ok(Math.abs(v - engine.meta.standardization.mean[f]) <= 1e-12, `pixel ${f}: ${v} vs ${engine.meta.standardization.mean[f]}`));
});

test('a built-in set is written beside the script, and devFraction holds out the examples the engine holds out', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-export-builtin-'));
  const file = join(dir, 'moons.dnn.json');
  writeFileSync(
    file,
    `{ "input": 2, "layers": [ { "units": 5, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ],
      "data": { "builtin": "moons", "examples": 50, "devFraction": 0.3, "standardize": true },
      "training": { "iterations": 10, "learningRate": 0.5, "seed": 7, "init": "xavier", "optimizer": "momentum", "batchSize": 16 } }`,
  );
  mkdirSync(join(dir, 'out'));
  const printed = await dnn(['export', file, '--to', 'numpy', '-o', join(dir, 'out', 'moons.py')]);
  assert.match(printed, /Wrote .*out[\\/]moons\.data\.npy/);
  await dnn(['train', file, '--save', join(dir, 'engine.params.json')]);
  python(['out/moons.py', 'train', '--save', 'script.params.json'], dir);
  const worst = maxDifference(JSON.parse(readFileSync(join(dir, 'script.params.json'), 'utf8')), JSON.parse(readFileSync(join(dir, 'engine.params.json'), 'utf8')));
  assert.ok(worst.diff <= 1e-9, `${worst.key} differs by ${worst.diff}`);
});

test('the PyTorch script of a conv network with residual blocks trains under DistributedDataParallel to the engine\'s weights, the same on both', { skip: SKIP.pytorch }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-export-conv-'));
  const file = convNetwork(dir, SHAPES_NET, '"iterations": 3, "learningRate": 0.05, "seed": 2, "init": "he", "optimizer": "momentum", "batchSize": 9, "l2": 0.1');
  await dnn(['export', file, '--to', 'pytorch']);
  await dnn(['train', file, '--save', join(dir, 'engine.params.json')]);
  const out = await underTorchrun(dir, 'net.py');
  assert.match(out, /The 2 processes end with the same weights \(largest difference 0\)/);
  const worst = maxDifference(JSON.parse(readFileSync(join(dir, 'ddp.params.json'), 'utf8')), JSON.parse(readFileSync(join(dir, 'engine.params.json'), 'utf8')));
  assert.ok(worst.diff <= 1e-9, `${worst.key} differs by ${worst.diff}`);
});

// ---- Batch norm and dropout in dense networks.

const BN_NET = `{ "input": 2,
  "layers": [ { "units": 6, "activation": "relu", "batchNorm": true }, { "units": 4, "activation": "tanh" }, { "units": 1, "activation": "sigmoid", "batchNorm": true } ],
  "data": { "builtin": "planar", "examples": 60 },
  "training": { @TRAINING@ } }`;

for (const format of ['numpy', 'pytorch'] as const) {
  test(`one forward pass of the ${format} script with batch norm (the running averages) equals dnn predict to 1e-10`, { skip: SKIP[format] }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnn-export-bn-'));
    const file = convNetwork(dir, BN_NET, '"iterations": 20, "learningRate": 0.1, "seed": 3, "init": "he", "batchSize": 16');
    const rows = ['x1,x2'];
    for (let i = 0; i < 9; i++) rows.push(`${Math.sin(i) * 3},${Math.cos(i * 1.7) * 2}`);
    writeFileSync(join(dir, 'input.csv'), rows.join('\n') + '\n');
    const { engine, script } = await predictBoth(dir, file, format, 'input.csv');
    assert.equal(script.header, engine.header);
    script.rows.forEach((row, j) => row.forEach((v, i) => assert.ok(Math.abs(v - engine.rows[j][i]) <= 1e-10, `example ${j}, column ${i}: ${v} vs ${engine.rows[j][i]}`)));
  });

  // Adam is left out with batch norm: there b's gradient is rounding noise (batch norm takes Z's
  // mean away), which Adam scales up to whole steps, so b would differ by the noise of each sum.
  for (const [optimizer, batchNorm] of [
    ['momentum', true],
    ['adam', false],
  ] as const) {
    test(`ten steps of ${optimizer} with dropout${batchNorm ? ' and batch norm' : ''} in the ${format} script equal the engine's to 1e-9`, { skip: SKIP[format] }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dnn-export-bn-'));
      const text = batchNorm ? BN_NET : BN_NET.replaceAll(', "batchNorm": true', '');
      const file = convNetwork(dir, text, `"iterations": 500, "learningRate": 0.1, "seed": 3, "init": "he", "optimizer": "${optimizer}", "batchSize": 16, "keepProb": 0.7`);
      const init = join(dir, 'init.params.json');
      await dnn(['train', file, '--iterations', '0', '--save', init]);
      await dnn(['export', file, '--to', format, '--params', init]);
      await dnn(['train', file, '--init', init, '--iterations', '10', '--save', join(dir, 'engine.params.json')]);
      python(['net.py', 'train', '--iterations', '10', '--save', 'script.params.json'], dir);
      const script = JSON.parse(readFileSync(join(dir, 'script.params.json'), 'utf8')) as Record<string, unknown>;
      const engine = JSON.parse(readFileSync(join(dir, 'engine.params.json'), 'utf8')) as Record<string, unknown>;
      assert.deepEqual(Object.keys(script).sort(), Object.keys(engine).sort());
      const worst = maxDifference(script, engine);
      assert.ok(worst.diff <= 1e-9, `${worst.key} differs by ${worst.diff}`);
      assert.ok(maxDifference(script, JSON.parse(readFileSync(init, 'utf8')) as Record<string, unknown>).diff > 1e-3, 'the weights moved');
    });
  }
}

// ---- Batch norm (per channel) and dropout in conv networks. The engine does not train these yet,
// so the scripts are checked against each other (torch's autograd against the numpy script's
// written-out backward) and against numbers worked out by hand; the comparison with the engine
// runs once it trains them.

const CONV_BN_NET = `{ "input": { "shape": [8, 8, 1] },
  "layers": [
    { "type": "conv", "filters": 3, "size": 3, "padding": "same", "activation": "relu", "batchNorm": true },
    { "type": "pool", "mode": "max", "size": 2 },
    { "type": "residual", "layers": [
        { "type": "conv", "filters": 3, "size": 3, "padding": 1, "activation": "relu", "batchNorm": true },
        { "type": "conv", "filters": 3, "size": 3, "padding": 1, "activation": "tanh", "batchNorm": true } ] },
    { "type": "residual", "layers": [ { "type": "conv", "filters": 4, "size": 2, "stride": 2, "activation": "tanh" } ],
      "shortcut": { "type": "conv", "filters": 4, "size": 1, "stride": 2, "activation": "linear", "batchNorm": true } },
    { "type": "flatten" },
    { "units": 5, "activation": "relu", "batchNorm": true },
    { "units": 3, "activation": "softmax" } ],
  "loss": "categorical-cross-entropy",
  "data": { "builtin": "shapes", "examples": 24 },
  "training": { @TRAINING@ } }`;

/** Writes the export of `file` to `out` through the exporter itself (the run layer refuses what the engine cannot train). */
function exportDirect(file: string, format: 'numpy' | 'pytorch', out: string): void {
  const spec = checkText(readFileSync(file, 'utf8')).spec!;
  const result = EXPORTERS[format].exporter({ spec, source: basename(file), specDir: '.' });
  writeFileSync(out, result.content);
  for (const c of result.companions ?? []) writeFileSync(join(dirname(out), c.name), c.content);
}

test('with batch norm per channel and dropout in a conv network, ten steps of the numpy and the PyTorch script agree to 1e-12', { skip: SKIP.pytorch }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-export-convbn-'));
  const file = convNetwork(dir, CONV_BN_NET, '"iterations": 10, "learningRate": 0.05, "seed": 3, "init": "he", "optimizer": "momentum", "batchSize": 8, "keepProb": 0.8');
  exportDirect(file, 'numpy', join(dir, 'numpy_net.py'));
  exportDirect(file, 'pytorch', join(dir, 'torch_net.py'));
  python(['numpy_net.py', 'train', '--save', 'np.params.json'], dir);
  python(['torch_net.py', 'train', '--save', 'torch.params.json'], dir);
  const numpy = JSON.parse(readFileSync(join(dir, 'np.params.json'), 'utf8')) as Record<string, unknown>;
  const torch = JSON.parse(readFileSync(join(dir, 'torch.params.json'), 'utf8')) as Record<string, unknown>;
  // The keys of the contract: gamma, beta and the running averages per batch-normalised layer, a shortcut's with an s.
  for (const key of ['gamma1', 'beta1', 'runningMean1', 'runningVar1', 'gammas5', 'betas5', 'runningMeans5', 'runningVars5', 'gamma7', 'runningVar7']) assert.ok(key in numpy, key);
  assert.deepEqual((numpy.gamma1 as number[][][][]).flat(3).length, 3);
  assert.equal((numpy.gamma1 as unknown[]).length, 1, 'gamma1 is (1, 1, 1, n_C)');
  assert.deepEqual(Object.keys(numpy).sort(), Object.keys(torch).sort());
  const worst = maxDifference(numpy, torch);
  assert.ok(worst.diff <= 1e-12, `${worst.key} differs by ${worst.diff}`);
  assert.ok(maxDifference(numpy, { ...numpy, gamma3: [[[[1, 1, 1]]]] }).diff > 1e-4, 'gamma3 moved');
});

test('conv batch norm, worked by hand: statistics per channel over (m, n_H, n_W), the running averages, and prediction with them', { skip: SKIP.pytorch }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-export-convbn-'));
  // Two channels, 2×2 pixels: X row-major over (n_H, n_W, n_C), so feature f is channel f % 2.
  const m = 5;
  const X = Array.from({ length: m }, (_, i) => Array.from({ length: 8 }, (_, f) => ((i * 7 + f * 3) % 10) / 4 - (f % 2)));
  writeFileSync(join(dir, 'train.csv'), ['x0,x1,x2,x3,x4,x5,x6,x7,y', ...X.map((r, i) => [...r, i % 2].join(','))].join('\n') + '\n');
  writeFileSync(
    join(dir, 'net.dnn.json'),
    `{ "input": { "shape": [2, 2, 2] },
      "layers": [ { "type": "conv", "filters": 2, "size": 1, "activation": "linear", "batchNorm": true }, { "type": "flatten" }, { "units": 1, "activation": "linear" } ],
      "loss": "mse", "data": { "train": "train.csv" }, "training": { "iterations": 1, "learningRate": 0.01 } }`,
  );
  // W1 is the identity on the channels, so Z1 = X; gamma, beta and the running averages by channel;
  // layer 3 (after the flatten) sums its inputs.
  const gamma = [2, 3];
  const beta = [0.5, -0.5];
  const runningMean = [1, 0];
  const runningVar = [4, 1];
  const init = { W1: [[[[1, 0], [0, 1]]]], b1: [[[[0, 0]]]], gamma1: [[[gamma]]], beta1: [[[beta]]], runningMean1: [[[runningMean]]], runningVar1: [[[runningVar]]], W3: [[1, 1, 1, 1, 1, 1, 1, 1]], b3: [[0]] };
  writeFileSync(join(dir, 'init.params.json'), JSON.stringify(init));
  writeFileSync(join(dir, 'input.csv'), ['x0,x1,x2,x3,x4,x5,x6,x7', ...X.map((r) => r.join(','))].join('\n') + '\n');
  for (const format of ['numpy', 'pytorch'] as const) {
    exportDirect(join(dir, 'net.dnn.json'), format, join(dir, `${format}_net.py`));
    // Prediction normalises with the running averages: AL = Σ over pixels and channels of γ_c (x − μ_c)/√(σ²_c + 1e-8) + β_c.
    python([`${format}_net.py`, 'predict', '--params', 'init.params.json', '--input', 'input.csv', '--output', `${format}.csv`], dir);
    const predicted = readCsv(join(dir, `${format}.csv`)).rows.map((r) => r[0]);
    X.forEach((x, i) => {
      const hand = x.reduce((s, v, f) => s + (gamma[f % 2] * (v - runningMean[f % 2])) / Math.sqrt(runningVar[f % 2] + 1e-8) + beta[f % 2], 0);
      assert.ok(Math.abs(predicted[i] - hand) <= 1e-12, `${format}, example ${i}: ${predicted[i]} vs ${hand}`);
    });
    // One training step: the batch's mean and biased variance of each channel over its m·n_H·n_W values.
    python([`${format}_net.py`, 'train', '--params', 'init.params.json', '--save', `${format}.params.json`], dir);
    const saved = JSON.parse(readFileSync(join(dir, `${format}.params.json`), 'utf8')) as Record<string, number[][][][]>;
    for (const c of [0, 1]) {
      const values = X.flatMap((r) => r.filter((_, f) => f % 2 === c));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
      assert.ok(Math.abs(saved.runningMean1[0][0][0][c] - (0.9 * runningMean[c] + 0.1 * mean)) <= 1e-12, `${format}: runningMean1[${c}]`);
      assert.ok(Math.abs(saved.runningVar1[0][0][0][c] - (0.9 * runningVar[c] + 0.1 * variance)) <= 1e-12, `${format}: runningVar1[${c}]`);
    }
  }
});

test('with batch norm and dropout in a conv network, ten steps of each script equal the engine\'s to 1e-9', { skip: SKIP.pytorch }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-export-convbn-'));
  const file = convNetwork(dir, CONV_BN_NET, '"iterations": 10, "learningRate": 0.05, "seed": 3, "init": "he", "optimizer": "momentum", "batchSize": 8, "keepProb": 0.8');
  const io = capture();
  assert.equal(await main(['train', file, '--save', join(dir, 'engine.params.json')], io), 0, io.errText);
  const engine = JSON.parse(readFileSync(join(dir, 'engine.params.json'), 'utf8')) as Record<string, unknown>;
  for (const format of ['numpy', 'pytorch'] as const) {
    await dnn(['export', file, '--to', format, '-o', join(dir, `${format}_net.py`)]);
    python([`${format}_net.py`, 'train', '--save', `${format}.params.json`], dir);
    const worst = maxDifference(JSON.parse(readFileSync(join(dir, `${format}.params.json`), 'utf8')) as Record<string, unknown>, engine);
    assert.ok(worst.diff <= 1e-9, `${format}: ${worst.key} differs by ${worst.diff}`);
  }
});
