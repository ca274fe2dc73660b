/**
 * Convolutional training speed: one training step (forward, cost, backward, update) of the SIGNS
 * network (examples/hand-gestures.dnn.json) on a batch of 64 images 64×64×3, float64, against
 *   - numpy with im2col and np.tensordot (bench/numpy_conv.py) at the same thread count, 1 and 2,
 *     with OpenBLAS choosing its own kernel for this CPU (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
 *     unset for that command alone); goal: at most 1.0× numpy's time;
 *   - the engine itself on one thread: two threads must take at most 1.0× its time;
 *   - TensorFlow.js's wasm backend (conv2d, maxPool and their gradients, float32); goal: within 2×.
 * The machine may be shared, so the four float64 configurations run in rounds, one run of each per
 * round in a rotating order, and each ratio is the median over the rounds of that round's ratio
 * (both sides measured within seconds of each other), next to the ratio of the overall medians.
 * Every implementation starts from the same data and weights, and the float64 ones must reach
 * the same costs. BENCH_QUICK=1 runs fewer rounds and steps.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkText } from '../src/core/check';
import { initializeGraph } from '../src/core/engine/convnet';
import { networkOf } from '../src/core/engine/network';
import { createRandom } from '../src/core/engine/random';
import { train } from '../src/core/engine/train';
import type { Parameters } from '../src/core/engine/types';
import type { Kernels } from '../src/core/kernels/types';
import { createWasmKernels } from '../src/core/kernels/wasm';
import type { Matrix } from '../src/core/matrix';
import { createParallelKernels, enableRelaxedSimd } from '../src/node/parallel';

const QUICK = process.env.BENCH_QUICK === '1';
const M = 64;
const LR = 0.01;
/** `repeats` is per call: the rounds repeat the calls. */
const config = { steps: QUICK ? 3 : 4, repeats: 1, learningRate: LR };
const ROUNDS = QUICK ? 2 : 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** xorshift32 in [0, 1): benchmark pictures, independent of the engine's generator. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
}

interface Setup {
  spec: ReturnType<typeof checkText>['spec'] & object;
  /** (12288, 64) columns: each picture flattened row-major over (64, 64, 3). */
  X: Matrix;
  Y: Matrix;
  /** The same pictures as numpy's (64, 64, 64, 3). */
  images: Float64Array;
  init: Parameters;
}

function setup(): Setup {
  const text = readFileSync(join(__dirname, '..', 'examples', 'hand-gestures.dnn.json'), 'utf8')
    .replace(/"layers"/, `"training": { "learningRate": ${LR}, "printEvery": 1000000 }, "layers"`);
  const { spec, problems } = checkText(text);
  if (!spec) throw new Error(`SIGNS rejected: ${problems.map((p) => p.message).join('; ')}`);
  const n = spec.inputUnits;
  const u = uniform(7);
  const images = new Float64Array(M * n);
  for (let k = 0; k < images.length; k++) images[k] = u();
  const X: Matrix = { rows: n, cols: M, data: new Float64Array(n * M) };
  for (let i = 0; i < M; i++) for (let f = 0; f < n; f++) X.data[f * M + i] = images[i * n + f];
  const Y: Matrix = { rows: 6, cols: M, data: new Float64Array(6 * M) };
  for (let j = 0; j < M; j++) Y.data[(j % 6) * M + j] = 1;
  const rng = createRandom(1);
  const init = initializeGraph(networkOf(spec).graph!, 'he', 0, (o) => rng.randn(o));
  return { spec, X, Y, images, init };
}

/** Seconds per step of the engine's train() with kernels K (the first step untimed), and the costs. */
async function engineSteps(s: Setup, K: Kernels): Promise<{ seconds: number[]; costs: number[] }> {
  const seconds: number[] = [];
  let costs: number[] = [];
  for (let r = 0; r < config.repeats; r++) {
    let last = NaN;
    const steps: number[] = [];
    const result = await train(s.spec, { train: { X: s.X, Y: s.Y }, source: 'bench' }, {
      kernels: K,
      initialParameters: s.init,
      overrides: { iterations: config.steps + 1 },
      progressEvery: 1,
      onProgress: () => {
        const now = performance.now();
        if (!Number.isNaN(last)) steps.push((now - last) / 1000);
        last = now;
      },
    });
    if (result.status !== 'done') throw new Error(`engine: ${result.status} ${result.message ?? ''}`);
    // Progress comes after each whole step (forward, cost, backward, update): the gaps are steps.
    seconds.push(...steps);
    costs = Array.from(result.costs);
  }
  return { seconds, costs };
}

type Tf = typeof import('@tensorflow/tfjs-core');

/**
 * The same step with TensorFlow.js's kernels (float32): conv2d "same", maxPool, dense softmax,
 * and the backward written out as the course does, since tfjs-core alone registers no gradients.
 * The wasm backend has no Conv2DBackpropFilter: dW comes from its 3-D one with a depth of 1.
 */
async function tfSteps(tf: Tf, s: Setup): Promise<{ seconds: number[]; costs: number[] }> {
  type T = import('@tensorflow/tfjs-core').Tensor;
  const t = (key: string, shape: number[]): T => tf.tensor(Float32Array.from(s.init.get(key)!.data), shape);
  const X = tf.tensor4d(Float32Array.from(s.images), [M, 64, 64, 3]);
  const Y = tf.tensor2d(Float32Array.from(s.Y.data), [6, M]);
  const kernel = (name: string, inputs: Record<string, T>, attrs: Record<string, unknown>): T =>
    tf.engine().runKernel(name, inputs as never, attrs as never) as T;
  const filterGrad = (x: T, dy: T, f: number, cPrev: number, c: number): T => {
    const [m, h, w] = x.shape;
    const [, oh, ow] = dy.shape;
    const g = kernel('Conv3DBackpropFilterV2', { x: tf.reshape(x, [m, 1, h, w, cPrev]), dy: tf.reshape(dy, [m, 1, oh, ow, c]) }, { strides: [1, 1, 1, 1, 1], pad: 'same', filterShape: [1, f, f, cPrev, c] });
    return tf.mul(1 / M, tf.reshape(g, [f, f, cPrev, c]));
  };
  const seconds: number[] = [];
  let costs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let p: Record<string, T> = { W1: t('W1', [4, 4, 3, 8]), b1: t('b1', [8]), W3: t('W3', [2, 2, 8, 16]), b3: t('b3', [16]), W6: t('W6', [6, 64]), b6: t('b6', [6, 1]) };
    costs = [];
    for (let k = 0; k <= config.steps; k++) {
      const t0 = performance.now();
      const out = tf.tidy(() => {
        const Z1 = tf.add(tf.conv2d(X, p.W1 as never, 1, 'same'), p.b1);
        const A1 = tf.relu(Z1);
        const P1 = tf.maxPool(A1 as never, 8, 8, 'same');
        const Z3 = tf.add(tf.conv2d(P1, p.W3 as never, 1, 'same'), p.b3);
        const A3 = tf.relu(Z3);
        const P3 = tf.maxPool(A3 as never, 4, 4, 'same');
        const F = tf.transpose(tf.reshape(P3, [M, -1]));
        const Z6 = tf.add(tf.matMul(p.W6 as never, F), p.b6);
        const AL = tf.transpose(tf.softmax(tf.transpose(Z6)));
        const cost = tf.mul(-1 / M, tf.sum(tf.mul(Y, tf.log(AL))));
        const dZ6 = tf.sub(AL, Y);
        const dW6 = tf.mul(1 / M, tf.matMul(dZ6, F, false, true));
        const db6 = tf.mul(1 / M, tf.sum(dZ6, 1, true));
        const dP3 = tf.reshape(tf.transpose(tf.matMul(p.W6 as never, dZ6, true, false)), [M, 2, 2, 16]);
        const dA3 = kernel('MaxPoolGrad', { dy: dP3, input: A3, output: P3 }, { filterSize: 4, strides: 4, pad: 'same' });
        const dZ3 = tf.mul(dA3, tf.step(Z3, 0));
        const dW3 = filterGrad(P1, dZ3, 2, 8, 16);
        const db3 = tf.mul(1 / M, tf.sum(dZ3, [0, 1, 2]));
        const dP1 = tf.conv2dTranspose(dZ3 as never, p.W3 as never, [M, 8, 8, 8], 1, 'same');
        const dA1 = kernel('MaxPoolGrad', { dy: dP1, input: A1, output: P1 }, { filterSize: 8, strides: 8, pad: 'same' });
        const dZ1 = tf.mul(dA1, tf.step(Z1, 0));
        const dW1 = filterGrad(X, dZ1, 4, 3, 8);
        const db1 = tf.mul(1 / M, tf.sum(dZ1, [0, 1, 2]));
        const g: Record<string, T> = { W1: dW1, b1: db1, W3: dW3, b3: db3, W6: dW6, b6: db6 };
        const next: Record<string, T> = {};
        for (const key of Object.keys(p)) next[key] = tf.sub(p[key], tf.mul(LR, g[key]));
        return { cost, next };
      });
      costs.push(out.cost.dataSync()[0]);
      out.cost.dispose();
      tf.dispose(Object.values(p));
      p = out.next;
      if (k > 0) seconds.push((performance.now() - t0) / 1000);
    }
    tf.dispose(Object.values(p));
  }
  tf.dispose([X, Y]);
  return { seconds, costs };
}

export async function run(): Promise<void> {
  const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`machine: ${cpus()[0]?.model ?? '?'} x ${cpus().length}; load average ${load()}`);
  const s = setup();
  const rows: { name: string; ms: number; costs: number[]; float32?: boolean; threads?: number; rounds?: number[] }[] = [];

  const dir = mkdtempSync(join(tmpdir(), 'dnn-conv-bench-'));
  const manifest: Record<string, unknown> = { config };
  const put = (key: string, data: Float64Array, shape: number[]): void => {
    const path = join(dir, `${key}.bin`);
    writeFileSync(path, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    manifest[key] = [shape, path];
  };
  put('X', s.images, [M, 64, 64, 3]);
  put('Y', s.Y.data, [6, M]);
  for (const [key, P] of s.init) put(key, P.data, P.dims ?? [P.rows, P.cols]);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  let numpyVersion = '?';
  let numpyFailed: string | undefined;
  /** numpy's steps on `threads` threads, with OpenBLAS's own kernel choice; undefined when it cannot run. */
  const numpySteps = (threads: number): { seconds: number[]; costs: number[] } | undefined => {
    if (numpyFailed) return undefined;
    const t = String(threads);
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: t, OMP_NUM_THREADS: t, MKL_NUM_THREADS: t };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const py = spawnSync('/usr/bin/python3', [join(__dirname, 'numpy_conv.py'), join(dir, 'manifest.json')], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (py.status !== 0) {
      numpyFailed = (py.stderr || String(py.error)).trim().split('\n').pop();
      console.log(`numpy: not run (${numpyFailed})`);
      return undefined;
    }
    const r = JSON.parse(py.stdout) as { numpy: string; seconds: number[]; costs: number[] };
    numpyVersion = r.numpy;
    return r;
  };

  enableRelaxedSimd();
  const parallel = await createParallelKernels();
  const wasm = createWasmKernels();
  interface Config {
    name: string;
    /** Compared with numpy on this many threads. */
    threads: number;
    go: () => Promise<{ seconds: number[]; costs: number[] } | undefined>;
  }
  const configs: Config[] = [
    { name: 'numpy 1', threads: 1, go: async () => numpySteps(1) },
    { name: 'numpy 2', threads: 2, go: async () => numpySteps(2) },
  ];
  if (parallel) configs.push({ name: `engine, ${parallel.name}`, threads: 2, go: () => engineSteps(s, parallel) });
  if (wasm) configs.push({ name: `engine, ${wasm.name}`, threads: 1, go: () => engineSteps(s, wasm) });
  const seconds = new Map<Config, number[]>();
  const perRound = new Map<Config, number[]>();
  const costsOf = new Map<Config, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (let q = 0; q < configs.length; q++) {
      const c = configs[(q + round) % configs.length];
      const r = await c.go();
      if (!r) continue;
      seconds.set(c, [...(seconds.get(c) ?? []), ...r.seconds]);
      perRound.set(c, [...(perRound.get(c) ?? []), median(r.seconds)]);
      costsOf.set(c, r.costs);
    }
    console.log(`round ${round + 1}/${ROUNDS}: load average ${load()}`);
  }
  await parallel?.close();
  rmSync(dir, { recursive: true, force: true });
  for (const c of configs) {
    const xs = seconds.get(c);
    if (!xs) continue;
    const name = c.name.startsWith('numpy') ? `numpy ${numpyVersion} im2col + tensordot, ${c.threads} thread${c.threads > 1 ? 's' : ''}` : c.name;
    rows.push({ name, ms: 1000 * median(xs), costs: costsOf.get(c)!, threads: c.threads, rounds: perRound.get(c)! });
  }

  try {
    const tf = await import('@tensorflow/tfjs-core');
    const wasmBackend = await import('@tensorflow/tfjs-backend-wasm');
    wasmBackend.setWasmPaths(join(require.resolve('@tensorflow/tfjs-backend-wasm'), '..') + '/');
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
    await tf.ready();
    const r = await tfSteps(tf, s);
    rows.push({ name: `TensorFlow.js ${tf.version_core} wasm (float32)`, ms: 1000 * median(r.seconds), costs: r.costs, float32: true });
  } catch (e) {
    console.log(`TensorFlow.js: not run (${(e as Error).message})`);
  }

  console.log(`\nSIGNS network, batch ${M}, one training step, ms (median of ${ROUNDS} rounds of ${config.steps} steps)`);
  for (const r of rows) console.log(`${r.name.padEnd(48)} ${r.ms.toFixed(1).padStart(9)}   last cost ${r.costs[r.costs.length - 1]}`);
  const np = rows.find((r) => r.name.startsWith('numpy') && r.threads === 2) ?? rows.find((r) => r.name.startsWith('numpy'));
  const tfw = rows.find((r) => r.float32);
  const verdict = (v: number, goal: number): string => `${v.toFixed(2)}${v <= goal ? ' met' : ' MISSED'}`;
  /** Median over the rounds of a/b within each round, then a/b of the overall medians. */
  const ratio = (a: (typeof rows)[number], b: (typeof rows)[number], goal: number): string => {
    const paired = a.rounds && b.rounds ? median(a.rounds.map((x, i) => x / b.rounds![i]).filter((x) => Number.isFinite(x))) : NaN;
    return Number.isNaN(paired) ? verdict(a.ms / b.ms, goal) : `${verdict(paired, goal)} (per round; ${(a.ms / b.ms).toFixed(2)} overall)`;
  };
  console.log('\nratios (goals: engine / numpy at the same thread count <= 1.0; 2 threads / 1 thread <= 1.0; engine / TensorFlow.js wasm <= 2.0):');
  const one = rows.find((r) => r.name.startsWith('engine') && r.threads === 1);
  for (const r of rows.filter((row) => row.name.startsWith('engine'))) {
    const parts = [];
    const same = rows.find((row) => row.name.startsWith('numpy') && row.threads === r.threads);
    if (same) parts.push(`engine / numpy ${r.threads} thread${r.threads === 1 ? '' : 's'} ${ratio(r, same, 1)}`);
    if (r.threads === 2 && one) parts.push(`2 threads / 1 thread ${ratio(r, one, 1)}`);
    if (tfw) parts.push(`engine / TensorFlow.js wasm ${verdict(r.ms / tfw.ms, 2)}`);
    console.log(`  ${r.name}: ${parts.join(', ') || 'no reference ran'}`);
  }
  const ref = np ?? rows[0];
  let agree = true;
  for (const r of rows) {
    const n = Math.min(r.costs.length, ref.costs.length);
    for (let k = 0; k < n; k++) {
      const rel = Math.abs(r.costs[k] - ref.costs[k]) / Math.abs(ref.costs[k]);
      if (rel > (r.float32 ? 1e-3 : 1e-9)) {
        agree = false;
        console.log(`  MISMATCH: ${r.name}'s cost at step ${k} is ${r.costs[k]}, ${ref.name}'s ${ref.costs[k]}`);
        break;
      }
    }
  }
  console.log(agree ? `  costs agree with ${ref.name} (1e-9 relative in float64, 1e-3 in float32)` : '  costs DISAGREE: see above');
  console.log(`load average after: ${load()}`);
}

if (require.main === module) void run();
