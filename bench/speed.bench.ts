/**
 * Engine speed against numpy and TensorFlow.js, on the same data and initial weights:
 *   - the course's deep network [12288, 20, 7, 5, 1] with m = 209 (ms per iteration of forward,
 *     cost, backward, update),
 *   - the course's planar network [2, 4, 1], 10,000 iterations (seconds),
 *   - GFLOP/s of the first layer's product, 20x12288 · 12288x209.
 * Prints medians of several runs, the ratios against the speed targets, and checks that every
 * implementation reaches the same final cost (float32 tolerance for TensorFlow.js).
 *
 * BENCH_QUICK=1 runs fewer repeats. numpy runs when python3 has it (OPENBLAS_NUM_THREADS=1).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkText } from '../src/core/check';
import type { Matrix } from '../src/core/matrix';
import { train } from '../src/core/engine/train';
import { packedKernels } from '../src/core/kernels/packed';
import { plainKernels } from '../src/core/kernels/plain';
import type { Kernels } from '../src/core/kernels/types';
import { createWasmKernels } from '../src/core/kernels/wasm';
import { createParallelKernels, enableRelaxedSimd } from '../src/node/parallel';

const QUICK = process.env.BENCH_QUICK === '1';
const DEEP_LAYERS = [12288, 20, 7, 5, 1];
const DEEP_M = 209;
const DEEP_LR = 0.0075;
const PLANAR_LR = 1.2;
const PLANAR_M = 400;

const config = {
  deep: { layers: DEEP_LAYERS, iterations: QUICK ? 5 : 10, repeats: QUICK ? 3 : 5, learningRate: DEEP_LR },
  planar: { iterations: 10000, repeats: QUICK ? 2 : 5, learningRate: PLANAR_LR },
  gflopsRepeats: QUICK ? 3 : 7,
};

// ---------------------------------------------------------------------------------------------
// Data and initial weights: a seeded generator of our own, written to files for numpy.

function rng(seed: number): { uniform: () => number; normal: () => number } {
  let s = seed >>> 0;
  const uniform = (): number => {
    // xorshift32: plenty for benchmark data.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

function mat(rows: number, cols: number, f: () => number = () => 0): Matrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = f();
  return { rows, cols, data };
}

interface Net {
  X: Matrix;
  Y: Matrix;
  W: Matrix[];
  b: Matrix[];
}

/** Images-like inputs in [0, 1), labels 0/1 loosely tied to the inputs, W ~ randn / sqrt(n[l-1]). */
function deepData(): Net {
  const r = rng(1);
  const X = mat(DEEP_LAYERS[0], DEEP_M, r.uniform);
  const Y = mat(1, DEEP_M);
  for (let j = 0; j < DEEP_M; j++) Y.data[j] = X.data[j] + X.data[DEEP_M + j] > 1 ? 1 : 0;
  const W: Matrix[] = [];
  const b: Matrix[] = [];
  for (let l = 1; l < DEEP_LAYERS.length; l++) {
    const scale = 1 / Math.sqrt(DEEP_LAYERS[l - 1]);
    W.push(mat(DEEP_LAYERS[l], DEEP_LAYERS[l - 1], () => r.normal() * scale));
    b.push(mat(DEEP_LAYERS[l], 1));
  }
  return { X, Y, W, b };
}

/** The course's flower: two petal classes, 200 points each; W ~ randn * 0.01. */
function planarData(): Net {
  const r = rng(2);
  const X = mat(2, PLANAR_M);
  const Y = mat(1, PLANAR_M);
  const half = PLANAR_M / 2;
  for (let j = 0; j < 2; j++) {
    for (let i = 0; i < half; i++) {
      const ix = j * half + i;
      const t = 3.12 * j + (3.12 * i) / (half - 1) + r.normal() * 0.2;
      const rad = 4 * Math.sin(4 * t) + r.normal() * 0.2;
      X.data[ix] = rad * Math.sin(t);
      X.data[PLANAR_M + ix] = rad * Math.cos(t);
      Y.data[ix] = j;
    }
  }
  const W = [mat(4, 2, () => r.normal() * 0.01), mat(1, 4, () => r.normal() * 0.01)];
  return { X, Y, W, b: [mat(4, 1), mat(1, 1)] };
}

// ---------------------------------------------------------------------------------------------
// The engine's training loop on a kernel set, and TensorFlow.js's, behind one interface.

interface Trainer {
  /**
   * Runs `iterations` of forward, cost, backward, update from the initial weights; returns the
   * cost computed in the last iteration (before its update), as the course prints it.
   */
  train(iterations: number): number | Promise<number>;
  /** Frees what the trainer pinned. */
  close?(): void;
  /** Set by trainers that time their own iterations (without setup): seconds for `iterations`. */
  seconds?: number;
  /** Milliseconds outside the timed iterations: setup, the untimed first iteration, the final pass. */
  setupMs?: number;
}

/**
 * The engine's own train() (src/core/engine/train.ts) on a spec written for the network, from the
 * same initial weights, with kernels K.
 */
function engineTrainer(K: Kernels, net: Net, lr: number, hidden: 'relu' | 'tanh'): Trainer {
  const dims = [net.X.rows, ...net.W.map((w) => w.rows)];
  const text = JSON.stringify({
    input: dims[0],
    layers: dims.slice(1).map((units, i) => ({ units, activation: i === dims.length - 2 ? 'sigmoid' : hidden })),
    loss: 'binary-cross-entropy',
    training: { iterations: 1, learningRate: lr, printEvery: 1000000 },
  });
  const { spec, problems } = checkText(text);
  if (!spec) throw new Error(`bench spec rejected: ${problems.map((p) => p.message).join('; ')}`);
  const init = new Map<string, Matrix>();
  net.W.forEach((w, i) => {
    init.set(`W${i + 1}`, w);
    init.set(`b${i + 1}`, net.b[i]);
  });
  const trainer: Trainer = {
    async train(iterations) {
      // One more iteration than timed: the clock runs from the end of iteration 0 (progress is
      // reported there) to the end of the last, as numpy's loop is timed without its setup.
      // Setup (checking the data, copying X into WebAssembly memory, allocating) and the final
      // accuracy pass are reported apart, by `setupMs`.
      let t0 = NaN;
      let t1 = NaN;
      const start = performance.now();
      const r = await train(spec, { train: { X: net.X, Y: net.Y }, source: 'bench' }, {
        initialParameters: init,
        kernels: K,
        overrides: { iterations: iterations + 1 },
        progressEvery: iterations,
        onProgress: (p) => {
          if (p.iteration === 0) t0 = performance.now();
          else t1 = performance.now();
        },
      });
      if (r.status !== 'done') throw new Error(`engine: ${r.status} ${r.message ?? ''}`);
      trainer.seconds = (t1 - t0) / 1000;
      trainer.setupMs = performance.now() - start - (t1 - t0);
      // The cost of iteration `iterations - 1`, as numpy's last loop prints it.
      return r.costs[iterations - 1];
    },
  };
  return trainer;
}

// ---------------------------------------------------------------------------------------------
// TensorFlow.js: the same course-style math with tf ops, float32.

type Tf = typeof import('@tensorflow/tfjs-core');

function tfTrainer(tf: Tf, net: Net, lr: number, hidden: 'relu' | 'tanh'): Trainer {
  const t2 = (M: Matrix) => tf.tensor2d(Float32Array.from(M.data), [M.rows, M.cols]);
  const X = t2(net.X);
  const Y = t2(net.Y);
  const m = net.X.cols;
  const L = net.W.length;
  let W = net.W.map(t2);
  let b = net.b.map(t2);
  const act = (z: import('@tensorflow/tfjs-core').Tensor2D) => (hidden === 'relu' ? tf.relu(z) : tf.tanh(z));
  const costOf = (AL: import('@tensorflow/tfjs-core').Tensor2D) =>
    tf.mul(-1 / m, tf.sum(tf.add(tf.mul(Y, tf.log(AL)), tf.mul(tf.sub(1, Y), tf.log(tf.sub(1, AL))))));
  const forward = () => {
    const As = [X];
    const Zs = [];
    for (let l = 0; l < L; l++) {
      const Zl = tf.add(tf.matMul(W[l], As[l]), b[l]) as import('@tensorflow/tfjs-core').Tensor2D;
      Zs.push(Zl);
      As.push(l === L - 1 ? tf.sigmoid(Zl) : act(Zl));
    }
    return { As, Zs };
  };
  return {
    train(iterations) {
      let cost = NaN;
      for (let it = 0; it < iterations; it++) {
        const next = tf.tidy(() => {
          const { As, Zs } = forward();
          const AL = As[L];
          const c = costOf(AL);
          let dZ: import('@tensorflow/tfjs-core').Tensor2D = tf.sub(AL, Y);
          const nW = [...W];
          const nb = [...b];
          for (let l = L - 1; l >= 0; l--) {
            const dW = tf.mul(1 / m, tf.matMul(dZ, As[l], false, true));
            const db = tf.mul(1 / m, tf.sum(dZ, 1, true));
            if (l > 0) {
              const dAprev = tf.matMul(W[l], dZ, true, false);
              dZ = hidden === 'relu'
                ? tf.mul(dAprev, tf.step(Zs[l - 1], 0))
                : tf.mul(dAprev, tf.sub(1, tf.square(As[l])));
            }
            nW[l] = tf.sub(W[l], tf.mul(lr, dW));
            nb[l] = tf.sub(b[l], tf.mul(lr, db));
          }
          return { nW, nb, c };
        });
        cost = next.c.dataSync()[0];
        next.c.dispose();
        for (const t of [...W, ...b]) t.dispose();
        W = next.nW as import('@tensorflow/tfjs-core').Tensor2D[];
        b = next.nb as import('@tensorflow/tfjs-core').Tensor2D[];
      }
      return cost;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Timing.

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

interface Row {
  name: string;
  deepMs?: number;
  deepCost?: number;
  planarS?: number;
  planarCost?: number;
  gflops?: number;
  float32?: boolean;
  /** Deep network: ms outside the timed iterations (checks, copying X in, allocation, final pass). */
  setupMs?: number;
}

/** Median ms per iteration over `repeats` fresh runs of `iterations`, and the last iteration's cost. */
/**
 * `repeats` fresh runs of `iterations`: the median seconds of one run (the trainer's own clock when
 * it keeps one, else the whole call), the last iteration's cost, and the median setup when known.
 */
async function timeRuns(make: () => Trainer, iterations: number, repeats: number): Promise<{ s: number; cost: number; setupMs?: number }> {
  const times: number[] = [];
  const setups: number[] = [];
  let cost = NaN;
  for (let r = 0; r < repeats; r++) {
    const t = make();
    const t0 = performance.now();
    cost = await t.train(iterations);
    times.push(t.seconds ?? (performance.now() - t0) / 1000);
    if (t.setupMs !== undefined) setups.push(t.setupMs);
    t.close?.();
  }
  return { s: median(times), cost, setupMs: setups.length > 0 ? median(setups) : undefined };
}

/** timeRuns in milliseconds per iteration, for the deep network. */
async function timeDeep(make: () => Trainer, iterations: number, repeats: number): Promise<{ ms: number; cost: number; setupMs?: number }> {
  const r = await timeRuns(make, iterations, repeats);
  return { ms: (1000 * r.s) / iterations, cost: r.cost, setupMs: r.setupMs };
}

function gflops(run: () => void, repeats: number): number {
  const flops = 2 * 20 * 12288 * 209;
  run();
  const out: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    run();
    out.push(flops / ((performance.now() - t0) / 1000) / 1e9);
  }
  return median(out);
}

/** What bench/numpy_speed.py prints. */
interface NumpyResult {
  numpy: string;
  gflops: number[];
  deepCourse: { msPerIteration: number[]; lastLoopCost: number };
  deepNoDA0: { msPerIteration: number[]; lastLoopCost: number };
  planar: { seconds: number[]; lastLoopCost: number };
}

function fmt(x: number | undefined, digits: number): string {
  return x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits);
}

export async function run(): Promise<void> {
  const deep = deepData();
  const planar = planarData();
  const rows: Row[] = [];
  const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`machine: ${cpus()[0]?.model ?? '?'} x ${cpus().length}; load average ${load()}`);

  // numpy before and after our runs (the machine's load drifts), on files of the same data and
  // weights; its rows are medians over both.
  const dir = mkdtempSync(join(tmpdir(), 'dnn-bench-'));
  const numpyRuns: NumpyResult[] = [];
  const runNumpy = (): void => {
    const py = spawnSync('python3', [join(__dirname, 'numpy_speed.py'), join(dir, 'manifest.json')], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    if (py.status === 0) numpyRuns.push(JSON.parse(py.stdout) as NumpyResult);
    else console.log(`numpy: not run (${(py.stderr || String(py.error)).trim().split('\n').pop()}); to compare, install it: apt-get install python3-numpy`);
  };
  const manifest: Record<string, unknown> = { config };
  const put = (key: string, M: Matrix) => {
    const path = join(dir, `${key}.bin`);
    writeFileSync(path, new Uint8Array(M.data.buffer, M.data.byteOffset, M.data.byteLength));
    manifest[key] = [M.rows, M.cols, path];
  };
  put('deepX', deep.X);
  put('deepY', deep.Y);
  deep.W.forEach((w, i) => put(`deepW${i + 1}`, w));
  deep.b.forEach((v, i) => put(`deepb${i + 1}`, v));
  put('planarX', planar.X);
  put('planarY', planar.Y);
  planar.W.forEach((w, i) => put(`planarW${i + 1}`, w));
  planar.b.forEach((v, i) => put(`planarb${i + 1}`, v));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  runNumpy();

  // Our kernels, slowest to fastest.
  const parallel = await createParallelKernels();
  const wasm = createWasmKernels();
  // The fastest first, so its loop's call sites are compiled for it before the others run.
  const sets: Kernels[] = [];
  if (parallel) sets.push(parallel);
  if (wasm) sets.push(wasm);
  sets.push(packedKernels, plainKernels);
  if (!wasm) console.log('note: WebAssembly kernels not built (npm run build): measuring TypeScript kernels only');
  for (const K of sets) {
    const slow = K === plainKernels;
    const d = await timeDeep(() => engineTrainer(K, deep, DEEP_LR, 'relu'), config.deep.iterations, slow ? 1 : config.deep.repeats);
    const p = await timeRuns(() => engineTrainer(K, planar, PLANAR_LR, 'tanh'), config.planar.iterations, slow ? 1 : config.planar.repeats);
    const X = K.pin(deep.X);
    const C = mat(20, 209);
    const g = gflops(() => K.matmul(deep.W[0], X, C), slow ? 1 : config.gflopsRepeats);
    K.release(X);
    rows.push({ name: `engine, ${K.name} kernels`, deepMs: d.ms, setupMs: d.setupMs, deepCost: d.cost, planarS: p.s, planarCost: p.cost, gflops: g });
  }
  // Relaxed SIMD (fused multiply-add): what `dnn train` and the editor's training worker run.
  // VS Code's Electron and Node 21+ have it; on Node 20 enableRelaxedSimd() sets the V8 flag, as
  // the CLI and the worker do at start (from here on: it changes nothing already compiled).
  if (parallel && !parallel.name.includes('fma')) {
    enableRelaxedSimd();
    const fma = await createParallelKernels();
    if (fma?.name.includes('fma')) {
      const d = await timeDeep(() => engineTrainer(fma, deep, DEEP_LR, 'relu'), config.deep.iterations, config.deep.repeats);
      const p = await timeRuns(() => engineTrainer(fma, planar, PLANAR_LR, 'tanh'), config.planar.iterations, config.planar.repeats);
      const X = fma.pin(deep.X);
      const C = mat(20, 209);
      const g = gflops(() => fma.matmul(deep.W[0], X, C), config.gflopsRepeats);
      fma.release(X);
      rows.push({ name: `engine, ${fma.name} (dnn train, editor)`, deepMs: d.ms, setupMs: d.setupMs, deepCost: d.cost, planarS: p.s, planarCost: p.cost, gflops: g });
    }
    await fma?.close();
  }

  await parallel?.close();

  if (numpyRuns.length > 0) runNumpy();
  rmSync(dir, { recursive: true, force: true });
  const numpy = numpyRuns[0];
  if (numpy) {
    const all = <K extends 'deepNoDA0' | 'deepCourse'>(key: K) => numpyRuns.flatMap((r) => r[key].msPerIteration);
    rows.unshift(
      {
        name: `numpy ${numpy.numpy}, 1 thread`,
        deepMs: median(all('deepNoDA0')),
        deepCost: numpy.deepNoDA0.lastLoopCost,
        planarS: median(numpyRuns.flatMap((r) => r.planar.seconds)),
        planarCost: numpy.planar.lastLoopCost,
        gflops: median(numpyRuns.flatMap((r) => r.gflops)),
      },
      { name: 'numpy, course code (computes dA0)', deepMs: median(all('deepCourse')), deepCost: numpy.deepCourse.lastLoopCost },
    );
  }

  // TensorFlow.js, float32.
  try {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    const wasmBackend = await import('@tensorflow/tfjs-backend-wasm');
    wasmBackend.setWasmPaths(join(require.resolve('@tensorflow/tfjs-backend-wasm'), '..') + '/');
    for (const backend of ['wasm', 'cpu']) {
      if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not start`);
      await tf.ready();
      const slow = backend === 'cpu';
      const d = await timeDeep(() => tfTrainer(tf, deep, DEEP_LR, 'relu'), config.deep.iterations, slow ? 1 : 3);
      const p = await timeRuns(() => tfTrainer(tf, planar, PLANAR_LR, 'tanh'), config.planar.iterations, slow ? 1 : 2);
      const W = tf.tensor2d(Float32Array.from(deep.W[0].data), [20, 12288]);
      const X = tf.tensor2d(Float32Array.from(deep.X.data), [12288, 209]);
      const g = gflops(() => tf.matMul(W, X).dataSync(), slow ? 2 : config.gflopsRepeats);
      tf.dispose([W, X]);
      rows.push({ name: `TensorFlow.js ${tf.version_core} ${backend} (float32)`, deepMs: d.ms, deepCost: d.cost, planarS: p.s, planarCost: p.cost, gflops: g, float32: true });
    }
  } catch (e) {
    console.log(`TensorFlow.js: not run (${(e as Error).message})`);
  }

  report(rows, numpyRuns.length > 0);
  console.log(`load average after: ${load()}`);
}

function report(rows: Row[], haveNumpy: boolean): void {
  console.log(`\n[12288, 20, 7, 5, 1], m = 209, ms/iteration (median of ${config.deep.repeats} runs of ${config.deep.iterations}); planar 10,000 iterations, s; 20x12288·12288x209 GFLOP/s`);
  console.log('(the engine rows time iterations only, as numpy\'s loop is timed; "setup ms" is the rest of one deep train() call)');
  console.log(`${'implementation'.padEnd(44)} ${'deep ms/it'.padStart(10)} ${'setup ms'.padStart(8)} ${'planar s'.padStart(9)} ${'GFLOP/s'.padStart(8)}   last cost deep / planar`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(44)} ${fmt(r.deepMs, 2).padStart(10)} ${fmt(r.setupMs, 0).padStart(8)} ${fmt(r.planarS, 3).padStart(9)} ${fmt(r.gflops, 2).padStart(8)}   ${fmt(r.deepCost, 12)} / ${fmt(r.planarCost, 12)}`,
    );
  }
  const np = rows.find((r) => r.name.startsWith('numpy ') && r.name.includes('1 thread'));
  const npCourse = rows.find((r) => r.name.includes('course code'));
  const tfw = rows.find((r) => r.name.includes('wasm (float32)'));
  const x = (a: number | undefined, b: number | undefined): string => (a && b ? (a / b).toFixed(2) : '—');
  console.log('\nratios (targets: deep <= 1x numpy and >= 4x faster than TensorFlow.js wasm; planar <= 0.5x numpy):');
  if (!haveNumpy) console.log('  numpy not available (apt-get install python3-numpy): numpy ratios left out');
  const verdict = (ratio: string, ok: (v: number) => boolean): string => (ratio === '—' ? '' : ok(Number(ratio)) ? ' met' : ' MISSED');
  for (const r of rows.filter((row) => row.name.startsWith('engine') && row.name.includes('wasm'))) {
    const deep = x(r.deepMs, np?.deepMs);
    const tf = x(tfw?.deepMs, r.deepMs);
    const pl = x(r.planarS, np?.planarS);
    console.log(
      `  ${r.name}: deep / numpy ${deep}${verdict(deep, (v) => v <= 1)} (course code with dA0: ${x(r.deepMs, npCourse?.deepMs)}), ` +
        `TensorFlow.js wasm / deep ${tf}${verdict(tf, (v) => v >= 4)}, planar / numpy ${pl}${verdict(pl, (v) => v <= 0.5)}`,
    );
  }

  // Same cost after the timed iterations: float64 rows against the first float64 row, float32 ones loosely.
  const ref = np ?? rows.find((r) => r.name.startsWith('engine'));
  if (!ref) return;
  let ok = true;
  for (const r of rows) {
    for (const [what, got, want] of [
      ['deep', r.deepCost, ref.deepCost],
      ['planar', r.planarCost, ref.planarCost],
    ] as const) {
      if (got === undefined || want === undefined || r.name.includes('course code')) continue;
      const tol = r.float32 ? 2e-3 : 1e-9;
      const rel = Math.abs(got - want) / Math.abs(want);
      if (!(rel <= tol)) {
        ok = false;
        console.log(`  MISMATCH ${what}: ${r.name} ends at ${got}, ${ref.name} at ${want} (relative ${rel.toExponential(2)} > ${tol})`);
      }
    }
  }
  console.log(ok ? `  final costs agree with ${ref.name} (1e-9 relative in float64, 2e-3 in float32)` : '  final costs DISAGREE: see above');
}

if (require.main === module) void run();
