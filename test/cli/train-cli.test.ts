// `dnn train` and `dnn gradcheck` through the real command dispatcher with captured output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';
import { wasmBytes } from '../../src/core/kernels/wasm';
import { capture } from './helpers';

const root = join(__dirname, '../..');
const planarFile = join(root, 'examples/planar.dnn.json');
const planarText = readFileSync(planarFile, 'utf8');
const numpy = JSON.parse(readFileSync(join(root, 'test/fixtures/engine/planar-week3.json'), 'utf8')) as { costs: Record<string, number> };


function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dnn-train-'));
}

/** A copy of the planar example with `edit` applied to its text, in a fresh directory. */
function planarCopy(edit: (t: string) => string = (t) => t): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'planar.dnn.json');
  writeFileSync(file, edit(planarText));
  return { dir, file };
}

test("dnn train on the planar example prints the course's cost lines, the accuracy, and saves beside the file", async () => {
  const { dir, file } = planarCopy();
  const io = capture();
  const costs = join(dir, 'costs.csv');
  assert.equal(await main(['train', file, '--costs', costs], io), 0, io.errText);
  const lines = io.outText.split('\n');
  assert.deepEqual(lines.slice(0, 8), [
    'Cost after iteration 0: 0.693048',
    'Cost after iteration 1000: 0.288083',
    'Cost after iteration 2000: 0.254385',
    'Cost after iteration 3000: 0.233864',
    'Cost after iteration 4000: 0.226792',
    'Cost after iteration 5000: 0.222644',
    'Cost after iteration 6000: 0.219731',
    'Cost after iteration 7000: 0.217504',
  ]);
  assert.match(io.outText, /^Train accuracy: 90(\.\d+)?%$/m);
  assert.match(io.outText, /Saved parameters to .*planar\.params\.json/);
  assert.deepEqual(readdirSync(dir).sort(), ['costs.csv', 'planar.dnn.json', 'planar.params.json']);

  const params = JSON.parse(readFileSync(join(dir, 'planar.params.json'), 'utf8'));
  assert.deepEqual(Object.keys(params), ['W1', 'b1', 'W2', 'b2', 'meta']);
  assert.equal(params.W1.length, 4);
  assert.equal(params.W1[0].length, 2);
  assert.deepEqual(params.meta.architecture, [2, 4, 1]);
  assert.equal(params.meta.seed, 2);

  const csv = readFileSync(costs, 'utf8').trimEnd().split('\n');
  assert.equal(csv[0], 'iteration,cost');
  assert.equal(csv.length, 10001);
  const [i0, c0] = csv[1].split(',');
  assert.equal(i0, '0');
  assert.equal(c0.replace(/^0\./, '').length, 17, '17 significant digits');
  assert.ok(Math.abs(Number(c0) - numpy.costs['0']) < 1e-15);
  const row5000 = csv[5001].split(',');
  assert.ok(Math.abs(Number(row5000[1]) - numpy.costs['5000']) / numpy.costs['5000'] < 1e-9);
});

test('dnn train --json with overrides prints one JSON document', async () => {
  const { dir, file } = planarCopy();
  const io = capture();
  const save = join(dir, 'out.params.json');
  assert.equal(await main(['train', file, '--iterations', '3', '--learning-rate', '0.5', '--seed', '7', '--save', save, '--json'], io), 0, io.errText);
  const r = JSON.parse(io.outText);
  assert.equal(r.status, 'done');
  assert.equal(r.iterations, 3);
  assert.equal(r.seed, 7);
  assert.equal(r.saved, save);
  assert.ok(existsSync(save));
  assert.equal(JSON.parse(readFileSync(save, 'utf8')).meta.learningRate, 0.5);
  // Which kernels trained: both threads and fused multiply-add when the build has them.
  if (wasmBytes('fmaShared')) assert.equal(r.kernels, 'wasm-fma-2threads');
  else assert.equal(typeof r.kernels, 'string');
});

test('usage errors exit 2 and say what is wrong', async () => {
  for (const [args, re] of [
    [['train'], /no FILE given/],
    [['train', planarFile, '--iterations', 'ten'], /--iterations must be a whole number >= 0; found 'ten'/],
    [['train', planarFile, '--learning-rate', '-1'], /--learning-rate must be a positive number/],
    [['train', planarFile, '--bogus'], /unknown option '--bogus'/],
    [['train', planarFile, '--save'], /option --save needs a value/],
    [['gradcheck', planarFile, '--epsilon', '2'], /--epsilon must be a number between 0 and 1/],
  ] as [string[], RegExp][]) {
    const io = capture();
    assert.equal(await main(args, io), 2, args.join(' '));
    assert.match(io.errText, re);
  }
});

test('errors in the file are positioned FILE:LINE:COL and exit 1; nothing is written', async () => {
  const { dir, file } = planarCopy((t) => t.replace('"activation": "tanh"', '"activation": "tanhh"'));
  const io = capture();
  assert.equal(await main(['train', file], io), 1);
  assert.match(io.errText, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error: .*tanhh`));
  assert.deepEqual(readdirSync(dir), ['planar.dnn.json']);
});

test('batch normalisation trains, saves gamma, beta and the running averages, and predict uses them', async () => {
  const { dir, file } = planarCopy((t) => t.replace('{ "units": 4, "activation": "tanh" }', '{ "units": 4, "activation": "tanh", "batchNorm": true }'));
  const io = capture();
  const save = join(dir, 'bn.params.json');
  assert.equal(await main(['train', file, '--iterations', '300', '--learning-rate', '0.1', '--save', save], io), 0, io.errText);
  const params = JSON.parse(readFileSync(save, 'utf8'));
  assert.deepEqual(Object.keys(params), ['W1', 'b1', 'W2', 'b2', 'gamma1', 'beta1', 'runningMean1', 'runningVar1', 'meta']);
  const g = capture();
  assert.equal(await main(['gradcheck', file], g), 0, g.outText + g.errText);
  assert.match(g.outText, /all 25 parameters/);
});

test('Ctrl-C (an aborted signal) stops with exit 130, saves no parameters and writes the costs so far', async () => {
  const { dir, file } = planarCopy();
  const ac = new AbortController();
  ac.abort();
  const io = capture(ac.signal);
  assert.equal(await main(['train', file, '--costs', join(dir, 'c.csv')], io), 130);
  assert.match(io.errText, /interrupted at iteration 0; parameters not saved; wrote 0 costs to .*c\.csv/);
  assert.deepEqual(readdirSync(dir).sort(), ['c.csv', 'planar.dnn.json']);
  assert.equal(readFileSync(join(dir, 'c.csv'), 'utf8'), 'iteration,cost\n');
  const plain = capture(ac.signal);
  assert.equal(await main(['train', file], plain), 130);
  assert.match(plain.errText, /interrupted at iteration 0; nothing saved/);
});

test('an output path in a missing folder is a usage error before any work, naming the option and the folder', async () => {
  const { dir, file } = planarCopy();
  for (const flag of ['--costs', '--save']) {
    const io = capture();
    // Nothing on stdout: no cost line, the run never started.
    assert.equal(await main(['train', file, '--iterations', '50', flag, join(dir, 'nope', 'out.csv')], io), 2, io.errText);
    assert.match(io.errText, new RegExp(`dnn train: ${flag}: cannot write .*out\\.csv: no such folder .*nope`));
    assert.equal(io.outText, '');
  }
  const folder = capture();
  assert.equal(await main(['train', file, '--costs', dir], folder), 2);
  assert.match(folder.errText, /--costs: cannot write .*: it is a folder/);
  assert.deepEqual(readdirSync(dir), ['planar.dnn.json']);
});

test('a diverging run writes the costs computed before it stopped when --costs asks for them', async () => {
  const { dir, file } = planarCopy((t) => t.replace('"tanh"', '"relu"'));
  const costs = join(dir, 'c.csv');
  const io = capture();
  assert.equal(await main(['train', file, '--learning-rate', '1e300', '--iterations', '300', '--costs', costs], io), 1);
  assert.match(io.errText, /training stopped at iteration 1/);
  assert.match(io.errText, /wrote the \d+ costs computed before it stopped to .*c\.csv/);
  const rows = readFileSync(costs, 'utf8').trimEnd().split('\n');
  assert.equal(rows[0], 'iteration,cost');
  // Row 0 is the cost of the initial parameters: weights of scale 0.01 make A[2] ≈ 0.5, so the
  // cross-entropy is ≈ ln 2.
  assert.ok(rows.length >= 2, rows.join('|'));
  assert.ok(Math.abs(Number(rows[1].split(',')[1]) - Math.LN2) < 1e-3, rows[1]);
  assert.deepEqual(readdirSync(dir).sort(), ['c.csv', 'planar.dnn.json']);
});

test('a diverging run stops with the iteration and the cause, exit 1, nothing saved unless --save names a file', async () => {
  // relu passes the huge weights on until a gradient overflows (tanh would saturate and train on).
  const { dir, file } = planarCopy((t) => t.replace('"tanh"', '"relu"'));
  const io = capture();
  assert.equal(await main(['train', file, '--learning-rate', '1e300', '--iterations', '300'], io), 1);
  assert.match(io.errText, /error: training stopped at iteration 1: the gradient dW1 overflowed to infinity or NaN; the parameters are kept as they were before that update, all finite\. Try: lower training\.learningRate \(now 1e\+300\)/);
  assert.match(io.errText, /parameters not saved; run again with --save P to keep the last finite parameters/);
  assert.deepEqual(readdirSync(dir), ['planar.dnn.json']);
  const kept = join(dir, 'kept.params.json');
  const again = capture();
  assert.equal(await main(['train', file, '--learning-rate', '1e300', '--iterations', '300', '--save', kept], again), 1);
  assert.match(again.errText, /saved the last finite parameters to .*kept\.params\.json/);
  const saved = JSON.parse(readFileSync(kept, 'utf8')) as Record<string, number[][]>;
  assert.ok(saved.W1.flat().every(Number.isFinite));
});

test('--init with a parameters file of the wrong shape names the key', async () => {
  const { dir, file } = planarCopy();
  const init = join(dir, 'bad.params.json');
  writeFileSync(init, JSON.stringify({ W1: [[0, 0], [0, 0], [0, 0], [0, 0]], b1: [[0], [0], [0], [0]], W2: [[0, 0, 0, 0]], b2: [[0, 0, 0, 0]] }));
  const io = capture();
  assert.equal(await main(['train', file, '--init', init], io), 1);
  assert.match(io.errText, /bad\.params\.json: error: b2 must be \(1, 1\) = \(n\[2\], 1\); found \(1, 4\)/);
});

test('--init starts from the given parameters: training from a saved file continues where it stopped', async () => {
  const { dir, file } = planarCopy();
  const first = join(dir, 'first.params.json');
  const io1 = capture();
  assert.equal(await main(['train', file, '--iterations', '1001', '--save', first, '--json'], io1), 0);
  const io2 = capture();
  const costs = join(dir, 'c.csv');
  assert.equal(await main(['train', file, '--iterations', '1', '--init', first, '--costs', costs, '--save', join(dir, 'x.json')], io2), 0);
  // Iteration 1001's cost from the start is iteration 0's cost when restarting from 1001 updates.
  const c = Number(readFileSync(costs, 'utf8').split('\n')[1].split(',')[1]);
  assert.ok(Math.abs(c - 0.288) < 0.001, `cost ${c}`);
});

test('dnn gradcheck passes on the planar example and prints the worst entries', async () => {
  const io = capture();
  assert.equal(await main(['gradcheck', planarFile], io), 0, io.errText);
  assert.match(io.outText, /difference = \d\.\d+e-\d+ {2}PASSED \(threshold 2e-7\)/);
  assert.match(io.outText, /W1 +\(\d, \d\)/);
  const j = capture();
  assert.equal(await main(['gradcheck', planarFile, '--json'], j), 0);
  const r = JSON.parse(j.outText);
  assert.equal(r.passed, true);
  assert.equal(r.total, 17);
});

test('on a terminal a progress bar is drawn on stderr and cleared; the cost lines stay on stdout', async () => {
  const { dir, file } = planarCopy();
  const io = { ...capture(), isTTY: true };
  io.out = (s: string) => void (io.outText += s);
  io.err = (s: string) => void (io.errText += s);
  assert.equal(await main(['train', file, '--iterations', '2001', '--save', join(dir, 'p.json')], io), 0);
  assert.match(io.errText, /\r\[#+\.*\] \d+\/2001 {2}cost 0\.\d{6}/);
  assert.match(io.errText, /\r\[#{30}\] 2001\/2001/);
  assert.ok(io.errText.endsWith('\r\x1b[K'), 'the bar is cleared at the end');
  assert.deepEqual(io.outText.split('\n').filter((l) => l.startsWith('Cost')), [
    'Cost after iteration 0: 0.693048',
    'Cost after iteration 1000: 0.288083',
    'Cost after iteration 2000: 0.254385',
  ]);
});

test('"init": { "file": ... } in the .dnn.json starts from that parameters file, relative to the .dnn.json', async () => {
  const { dir, file } = planarCopy((t) => t.replace('"init": { "scheme": "random", "scale": 0.01 }', '"init": { "file": "start.params.json" }'));
  const trained = JSON.parse(readFileSync(join(root, 'test/fixtures/engine/planar-week3.json'), 'utf8')).final;
  writeFileSync(join(dir, 'start.params.json'), JSON.stringify(trained));
  const io = capture();
  assert.equal(await main(['train', file, '--iterations', '1', '--json', '--save', join(dir, 'out.json')], io), 0, io.errText);
  // numpy's parameters after 10,000 iterations: the cost there is the notebook's last, about 0.218.
  assert.ok(Math.abs(JSON.parse(io.outText).finalCost - 0.218) < 0.002, io.outText);
  writeFileSync(join(dir, 'start.params.json'), JSON.stringify({ ...trained, b1: [[0, 0, 0, 0]] }));
  const bad = capture();
  assert.equal(await main(['train', file, '--iterations', '1'], bad), 1);
  assert.match(bad.errText, /planar\.dnn\.json:\d+:\d+: error: b1 must be \(4, 1\) = \(n\[1\], 1\); found \(1, 4\): transposed\?/);
});

test('a network just under 2^28 parameters is refused before any allocation, with what training would need, exit 1 and no stack trace', async () => {
  // 26,800 inputs to 10,000 units: 268,010,000 parameters, under 2^28 = 268,435,456 on their own;
  // with their gradients alone training holds twice that. This once died in WebAssembly's memory.grow.
  const dir = tempDir();
  const file = join(dir, 'huge.dnn.json');
  writeFileSync(file, '{"input": 26800, "layers": [{"units": 10000, "activation": "sigmoid"}], "loss": "mse", "data": {"builtin": "planar"}}');
  const io = capture();
  const before = process.memoryUsage().rss;
  assert.equal(await main(['train', file], io), 1);
  assert.match(io.errText, /huge\.dnn\.json:1:\d+: error: training would need [\d.]+ GiB/);
  assert.doesNotMatch(io.errText, /\n\s+at /, 'no stack trace');
  // Nothing near the 2 GiB of parameters was allocated.
  assert.ok(process.memoryUsage().rss - before < 512 * 1024 * 1024);
  assert.deepEqual(readdirSync(dir), ['huge.dnn.json'], 'no parameters file');
});
