// The two-thread WebAssembly kernels (src/node/parallel.ts): the split products and pinned
// operands give the naive loop's numbers, small products stay correct on one thread.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { WorkerSession } from '../../src/extension/training/session';
import { chooseTrainingKernels } from '../../src/node/kernels';
import { createParallelKernels, type ParallelKernels } from '../../src/node/parallel';
import { createWasmKernels } from '../../src/core/kernels/wasm';
import type { Kernels } from '../../src/core/kernels/types';
import type { Matrix } from '../../src/core/matrix';
import { geometryOf, im2col, windowLength } from '../../src/core/engine/conv';
import { assertClose, checkAll, mat, naive, PRODUCT_SHAPES } from '../core/kernels/sets';

let K: ParallelKernels | undefined;

before(async () => {
  K = await createParallelKernels();
  if (!K) console.log('# note: WebAssembly kernels not built (run `npm run build`): parallel tests skipped');
});

after(async () => {
  await K?.close();
});

for (const [m, k, n] of PRODUCT_SHAPES) {
  test(`2 threads: C(${m}x${n}) = A·B, Aᵀ·B, A·Bᵀ with k = ${k}`, (t) => {
    if (!K) return t.skip('not built');
    checkAll(K, m, k, n);
  });
}

// A convolution's products are tall and thin (im2col): the threads cut C by rows there. Cutting
// must not change a bit: training on two threads gives the single-thread kernels' numbers exactly.
// Shapes: the SIGNS network's layers (rows m·n_H·n_W, windows f·f·n_C[l-1], filters n_C[l]) at
// batches of 8 and 64, and odd sizes whose last chunk is partial; every one is big enough to split.
const CONV_SHAPES: readonly [number, number, number][] = [
  [8 * 64 * 64, 48, 8],
  [64 * 8 * 8, 32, 16],
  [4099, 27, 12],
];

for (const [rows, window, filters] of CONV_SHAPES) {
  test(`2 threads, conv-shaped: Z = cols·W (${rows}x${window} · ${window}x${filters}), dW = colsᵀ·dZ and dcols = dZ·Wᵀ have the single-thread bits`, (t) => {
    if (!K) return t.skip('not built');
    const one = createWasmKernels();
    if (!one) return t.skip('not built');
    const cols = mat(rows, window, 31);
    const W = mat(window, filters, 32);
    const dZ = mat(rows, filters, 33);
    for (const [name, run, shape] of [
      ['Z', (k: Kernels, C: Matrix) => k.matmul(cols, W, C), [rows, filters]],
      ['dW', (k: Kernels, C: Matrix) => k.matmulTransA(cols, dZ, C), [window, filters]],
      ['dcols', (k: Kernels, C: Matrix) => k.matmulTransB(dZ, W, C), [rows, window]],
    ] as const) {
      const two = { rows: shape[0], cols: shape[1], data: new Float64Array(shape[0] * shape[1]) };
      const single = { rows: shape[0], cols: shape[1], data: new Float64Array(shape[0] * shape[1]) };
      run(K, two);
      run(one, single);
      const at = two.data.findIndex((v, i) => !Object.is(v, single.data[i]));
      assert.equal(at, -1, `${name}: entry ${at} is ${two.data[at]} on 2 threads, ${single.data[at]} on one`);
      const r = name === 'Z' ? naive(cols, W, false, false) : name === 'dW' ? naive(cols, dZ, true, false) : naive(dZ, W, false, true);
      assertClose(name, two.data, r.c, r.mag);
    }
  });
}

// im2col in WebAssembly (both threads share a batch's examples) gathers exactly conv.ts's windows:
// "same" padding that is uneven, strides, both layouts of the input, and an unpinned batch left to
// the TypeScript loop.
test('im2col on 1 and 2 threads gives conv.ts im2col\'s windows, zeros at the padding included', (t) => {
  if (!K) return t.skip('not built');
  const one = createWasmKernels();
  if (!one?.im2col) return t.skip('not built');
  const sets: Kernels[] = [K, one];
  for (const [size, stride, padding] of [[[4, 4], [1, 1], 'same'], [[3, 2], [2, 3], 'same'], [[2, 2], [2, 2], 'valid'], [[5, 5], [1, 1], 2]] as const) {
    const g = geometryOf({ h: 13, w: 11, c: 3 }, [size[0], size[1]], [stride[0], stride[1]], padding, 4);
    const m = 40;
    const length = m * g.h * g.w * windowLength(g);
    for (const columns of [false, true]) {
      const A = mat(13 * 11 * 3, m, 41);
      const want = new Float64Array(length).fill(NaN);
      im2col(A.data, g, m, want, columns);
      for (const k of sets) {
        const Ap = k.pin(A);
        const cols = k.pin({ rows: length, cols: 1, data: new Float64Array(length).fill(NaN) });
        assert.equal(k.im2col!(Ap.data, g, m, cols.data, columns), true);
        const at = cols.data.findIndex((v, i) => !Object.is(v, want[i]));
        assert.equal(at, -1, `${k.name}, f ${size}, s ${stride}, ${padding}, columns ${columns}: entry ${at} is ${cols.data[at]}, not ${want[at]}`);
        // Not pinned: the kernels decline and conv.ts's own loop runs.
        assert.equal(k.im2col!(A.data, g, m, cols.data, columns), false);
        k.release(cols);
        k.release(Ap);
      }
    }
  }
});

test('2 threads: a pinned operand gives the same product as a copied one, and sees later writes', (t) => {
  if (!K) return t.skip('not built');
  const W = mat(20, 3000, 11);
  const X = mat(3000, 209, 12);
  const Xp = K.pin(X);
  assert.notEqual(Xp.data, X.data);
  assert.deepEqual(Array.from(Xp.data.subarray(0, 5)), Array.from(X.data.subarray(0, 5)));
  const C = { rows: 20, cols: 209, data: new Float64Array(20 * 209) };
  K.matmul(W, Xp, C);
  let r = naive(W, X, false, false);
  assertClose('W·pinned X', C.data, r.c, r.mag);
  // The engine may update a pinned matrix in place: the next product must use the new entries.
  Xp.data[0] = 5;
  X.data[0] = 5;
  const dZ = mat(20, 209, 13);
  const dW = { rows: 20, cols: 3000, data: new Float64Array(20 * 3000) };
  K.matmulTransB(dZ, Xp, dW);
  r = naive(dZ, X, false, true);
  assertClose('dZ·pinned Xᵀ', dW.data, r.c, r.mag);
});

test('2 threads: released pins free their memory for the next training run', (t) => {
  if (!K) return t.skip('not built');
  const W = mat(7, 500, 21);
  const X1 = mat(500, 300, 22);
  const X2 = mat(500, 300, 23);
  const p1 = K.pin(X1);
  K.release(p1);
  const p2 = K.pin(X2);
  // Same region reused: the first pin's storage now holds X2.
  assert.equal(p2.data.byteOffset, p1.data.byteOffset);
  const C = { rows: 7, cols: 300, data: new Float64Array(7 * 300) };
  K.matmul(W, p2, C);
  const r = naive(W, X2, false, false);
  assertClose('W·X2 after release', C.data, r.c, r.mag);
  K.release(p2);
});

test('the training kernels are chosen once per process and compute like the rest', async () => {
  const first = (await chooseTrainingKernels()).kernels;
  assert.equal((await chooseTrainingKernels()).kernels, first);
  checkAll(first, 20, 3000, 209);
});

// Threads: the kernels' worker must end with the thread that made it. The editor's training worker
// makes one (chooseTrainingKernels) and is stopped or terminated by the extension; nothing may be left
// running afterwards. Counted in /proc/self/task (Linux), once every thread is gone.

const TASKS = '/proc/self/task';
const threads = () => readdirSync(TASKS).length;

/** Waits (up to a generous bound, polling) for the thread count to come back to `n`; returns the last count. */
async function settle(n: number): Promise<number> {
  const end = Date.now() + 20_000;
  while (threads() !== n && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return threads();
}

/** The thread count with libuv's pool already started (the first async file read starts it). */
async function baseline(): Promise<number> {
  await readFile(__filename);
  return threads();
}

const root = join(__dirname, '../..');
// Worker threads run TypeScript through tsx's require hook.
const tsx = ['--require', require.resolve('tsx/cjs')];

test('terminating a thread that made two-thread kernels ends their worker thread too', async (t) => {
  if (!K) return t.skip('not built');
  if (!existsSync(TASKS)) return t.skip('no /proc/self/task here');
  const before = await baseline();
  const code = `
    const { parentPort } = require('node:worker_threads');
    require(${JSON.stringify(join(root, 'src/node/kernels.ts'))}).chooseTrainingKernels().then((c) => parentPort.postMessage(c.kernels.name));
    setInterval(() => {}, 1 << 30);
  `;
  const w = new Worker(code, { eval: true, execArgv: tsx });
  const name = await new Promise((resolve, reject) => w.once('message', resolve).once('error', reject));
  assert.match(String(name), /-2threads$/);
  assert.ok(threads() >= before + 2, `the thread and its kernels' worker: ${threads()} threads, ${before} before`);
  await w.terminate();
  assert.equal(await settle(before), before, 'threads left after terminate()');
});

for (const how of ['stop', 'kill'] as const) {
  test(`the editor's training worker on two-thread kernels leaves no thread behind after ${how === 'stop' ? 'Stop' : 'being terminated'}`, async (t) => {
    if (!K) return t.skip('not built');
    if (!existsSync(TASKS)) return t.skip('no /proc/self/task here');
    const before = await baseline();
    const file = join(root, 'examples/planar.dnn.json');
    const seen: string[] = [];
    const s = new WorkerSession(
      join(root, 'src/extension/worker.ts'),
      { type: 'train', file, text: readFileSync(file, 'utf8'), overrides: { iterations: 100_000_000 } },
      { execArgv: tsx, onMessage: (m) => seen.push(m.type) },
    );
    // Training is under way (its kernels are made before it starts) once progress arrives.
    const end = Date.now() + 60_000;
    while (!seen.includes('progress') && s.alive && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assert.ok(seen.includes('progress'), `no progress from the worker: ${seen.join(', ')}`);
    assert.ok(threads() >= before + 2, `the training worker and its kernels' worker: ${threads()} threads, ${before} before`);
    const ended = how === 'stop' ? await s.stop() : await s.kill();
    if (how === 'stop') assert.equal(ended.final?.type, 'trainDone', ended.error);
    else assert.equal(ended.terminated, true);
    assert.equal(s.alive, false);
    assert.equal(await settle(before), before, 'threads left after the training worker ended');
  });
}
