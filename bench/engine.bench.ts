/**
 * Training speed of the engine, in ms per iteration (forward + cost + backward + update), median
 * of several runs, against the course's numpy code timed in the same run (bench/numpy_reference.py):
 *   - planar: the week 3 network [2, 4, 1] on m = 400, 10,000 iterations
 *   - deep:   the week 4 application [12288, 20, 7, 5, 1] on m = 209 (random data), a few iterations
 * Each kernel set is timed: the default packed TypeScript kernels and the fastest available.
 * numpy runs with one BLAS thread (OPENBLAS_NUM_THREADS=1) so the comparison is core for core.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../src/core/data/types';
import { fromRows, zeros } from '../src/core/matrix';
import { train } from '../src/core/engine/train';
import { packedKernels, plainKernels } from '../src/core/kernels';
import { chooseKernels } from '../src/node/kernels';
import type { Kernels } from '../src/core/kernels/types';
import { TRAINING_DEFAULTS, type Activation, type Spec } from '../src/core/format/types';

const PLANAR_ITERATIONS = 10000;
const DEEP_ITERATIONS = 5;
const REPEATS = 3;

function spec(dims: number[], activations: Activation[], iterations: number, learningRate: number): Spec {
  return {
    inputShape: [dims[0]],
    inputUnits: dims[0],
    layers: activations.map((activation, i) => ({ type: 'dense', units: dims[i + 1], activation, alpha: 0.01, batchNorm: false, shapes: {}, path: ['layers', i] })),
    loss: 'binary-cross-entropy',
    training: { ...TRAINING_DEFAULTS, iterations, learningRate, seed: 1, init: { scheme: 'xavier', scale: 0 }, printEvery: iterations },
  };
}

function planarData(): Dataset {
  const fx = JSON.parse(readFileSync(join(__dirname, '../test/fixtures/engine/planar-week3.json'), 'utf8')) as { X: number[][]; Y: number[][] };
  return { train: { X: fromRows(fx.X), Y: fromRows(fx.Y) }, source: 'planar' };
}

function deepData(): Dataset {
  // Deterministic values in [0, 1) like the course's scaled pixels; labels alternate.
  const X = zeros(12288, 209);
  let s = 12345;
  for (let k = 0; k < X.data.length; k++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    X.data[k] = s / 2 ** 32;
  }
  const Y = zeros(1, 209);
  for (let j = 0; j < 209; j++) Y.data[j] = j % 3 === 0 ? 1 : 0;
  return { train: { X, Y }, source: 'random 12288 x 209' };
}

async function msPerIteration(s: Spec, data: Dataset, kernels: Kernels): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const res = await train(s, data, { kernels, progressEvery: s.training.iterations });
    times.push(res.elapsedMs / res.costs.length);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function numpyReference(): { planar: number; deep: number; numpy: string } | string {
  const r = spawnSync('python3', [join(__dirname, 'numpy_reference.py'), String(PLANAR_ITERATIONS), String(DEEP_ITERATIONS), String(REPEATS)], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (r.error) return `python3 not found (${r.error.message}): apt-get install python3-numpy`;
  if (r.status !== 0) return (r.stderr || `numpy_reference.py exited with ${r.status}`).trim();
  return JSON.parse(r.stdout) as { planar: number; deep: number; numpy: string };
}

export async function run(): Promise<void> {
  const cases = [
    { name: `planar [2, 4, 1], m = 400, ${PLANAR_ITERATIONS} iterations`, key: 'planar' as const, spec: spec([2, 4, 1], ['tanh', 'sigmoid'], PLANAR_ITERATIONS, 1.2), data: planarData() },
    { name: `deep [12288, 20, 7, 5, 1], m = 209, ${DEEP_ITERATIONS} iterations`, key: 'deep' as const, spec: spec([12288, 20, 7, 5, 1], ['relu', 'relu', 'relu', 'sigmoid'], DEEP_ITERATIONS, 0.0075), data: deepData() },
  ];
  const ref = numpyReference();
  if (typeof ref === 'string') console.log(`numpy reference unavailable: ${ref}`);
  else console.log(`numpy ${ref.numpy}, one BLAS thread: planar ${ref.planar.toFixed(4)} ms/iteration, deep ${ref.deep.toFixed(2)} ms/iteration`);
  const sets = [plainKernels, packedKernels, chooseKernels().kernels].filter((k, i, all) => all.indexOf(k) === i);
  for (const c of cases) {
    console.log(c.name);
    for (const k of sets) {
      const ms = await msPerIteration(c.spec, c.data, k);
      const vs = typeof ref === 'string' ? '' : `  (${(ms / ref[c.key]).toFixed(2)}x numpy's time)`;
      console.log(`  ${k.name.padEnd(12)} ${ms.toFixed(c.key === 'planar' ? 4 : 2)} ms/iteration${vs}`);
    }
  }
}
