/**
 * Built-in datasets: two features, examples as columns (X is (2, m)), made with numpy's legacy
 * generator (src/core/rng) so each one equals what numpy makes from the same seed.
 *
 * - planar: the course's `load_planar_dataset` (Neural Networks and Deep Learning, week 3), a
 *   two-class "flower". Defaults are the course's: m = 400, noise 0.2, seed 1.
 * - moons / circles: scikit-learn's `make_moons` / `make_circles` (shuffle on, noise drawn after
 *   the shuffle), as the course's Improving Deep Neural Networks uses them after
 *   `np.random.seed(s)`. Defaults are the course's: moons m = 300, noise 0.2, seed 3 (week 2,
 *   optimisation); circles m = 300, noise 0.05, seed 1 (week 1, initialisation; its test set is
 *   m = 100, seed 2), factor 0.8.
 * - spiral: cs231n's spiral, `classes` arms (default 3) of r = linspace(0, 1, N),
 *   t = linspace(4j, 4(j+1), N) + randn(N)·noise; m = 300, noise 0.2, seed 0.
 * - blobs: scikit-learn's `make_blobs` with 2 features: `classes` centres (default 3) uniform in
 *   [-10, 10]², each cluster Gaussian with standard deviation `noise` (default 1.0); m = 300,
 *   seed 0.
 * - xor: points uniform in [-1, 1]² (drawn row by row, x then y), label 1 where x and y have
 *   different signs, then Gaussian jitter of standard deviation `noise` (labels come from the
 *   clean points, so some points cross the axes); m = 400, noise 0.1, seed 0.
 *
 * When m is not a multiple of the number of classes, the first classes get one example more
 * (moons and circles give the extra one to the second class, as scikit-learn does). sin, cos
 * and log are computed correctly rounded (src/core/rng/trig.ts, log.ts), as glibc's are but for
 * rare inputs, so the data equals numpy's bit for bit (planar and the course's moons and
 * circles exactly; test/core/data/builtin.test.ts checks every dataset).
 */
import { BUILTIN_DEFAULTS, type BuiltinDataset } from '../format/types';
import { RandomState } from '../rng';
import { cosCorrectlyRounded as cos, sinCorrectlyRounded as sin } from '../rng/trig';
import type { Matrix } from '../matrix';
import type { Dataset } from './types';
import { encodeLabels } from './labels';
import { digitsDataset } from './digits';
import { shapesDataset } from './shapes';

export interface BuiltinOptions {
  /** Number of examples m. */
  examples?: number;
  /** Standard deviation of the Gaussian noise (blobs: of each cluster). */
  noise?: number;
  /** np.random.seed(seed) before generating. */
  seed?: number;
  /** Number of classes, for spiral and blobs (the others have 2). */
  classes?: number;
}

// The defaults are facts of the format (the checker needs m before any data is made), so they
// live with the format's types; they are re-exported here, next to the generators that use them.
export { BUILTIN_DEFAULTS, type BuiltinDefaults } from '../format/types';

/**
 * np.linspace(start, stop, num, endpoint) with numpy's arithmetic: step = (stop - start) / div,
 * value i = i * step + start, and the last value set to stop when endpoint is true.
 */
export function linspace(start: number, stop: number, num: number, endpoint = true): Float64Array {
  const out = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  if (div > 0) {
    const step = delta / div;
    // numpy divides first when the step underflows to 0, so tiny ranges are not lost.
    if (step === 0) for (let i = 0; i < num; i++) out[i] = (i / div) * delta + start;
    else for (let i = 0; i < num; i++) out[i] = i * step + start;
  } else {
    for (let i = 0; i < num; i++) out[i] = i * delta + start;
  }
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}

/** Points as numpy builds them, (m, 2) row-major: xs[i], ys[i] is point i; labels[i] its class. */
interface Points {
  xs: Float64Array;
  ys: Float64Array;
  labels: Int32Array;
}

function points(m: number): Points {
  return { xs: new Float64Array(m), ys: new Float64Array(m), labels: new Int32Array(m) };
}

/** Examples per class: m // k each, the first m % k classes one more. */
function perClass(m: number, k: number): number[] {
  return Array.from({ length: k }, (_, j) => Math.floor(m / k) + (j < m % k ? 1 : 0));
}

/** load_planar_dataset: the course's flower, class 0 first, then class 1. */
function planar(m: number, noise: number, rs: RandomState): Points {
  const p = points(m);
  const a = 4; // maximum ray of the flower
  // The course has N = m / 2 per class; an odd m gives the extra example to class 1.
  const counts = [Math.floor(m / 2), m - Math.floor(m / 2)];
  let start = 0;
  for (let j = 0; j < 2; j++) {
    const N = counts[j];
    const t = linspace(j * 3.12, (j + 1) * 3.12, N); // theta
    for (let i = 0; i < N; i++) t[i] += rs.standardNormal() * noise;
    const r = new Float64Array(N); // radius
    for (let i = 0; i < N; i++) r[i] = a * sin(4 * t[i]);
    for (let i = 0; i < N; i++) r[i] += rs.standardNormal() * noise;
    for (let i = 0; i < N; i++) {
      p.xs[start + i] = r[i] * sin(t[i]);
      p.ys[start + i] = r[i] * cos(t[i]);
      p.labels[start + i] = j;
    }
    start += N;
  }
  return p;
}

/** sklearn.utils.shuffle(X, y): rows reordered by a permutation (RandomState.shuffle of arange). */
function shuffleRows(p: Points, rs: RandomState): Points {
  const order = rs.permutation(p.labels.length);
  const q = points(order.length);
  for (let k = 0; k < order.length; k++) {
    q.xs[k] = p.xs[order[k]];
    q.ys[k] = p.ys[order[k]];
    q.labels[k] = p.labels[order[k]];
  }
  return q;
}

/** X += rs.normal(scale=noise, size=X.shape): row-major, x then y of each point. */
function addNoise(p: Points, noise: number, rs: RandomState): void {
  for (let k = 0; k < p.labels.length; k++) {
    p.xs[k] += rs.normal(0, noise);
    p.ys[k] += rs.normal(0, noise);
  }
}

/** make_moons: the upper half circle (class 0) and a lower one shifted right (class 1). */
function moons(m: number, noise: number, rs: RandomState): Points {
  const nOut = Math.floor(m / 2);
  const nIn = m - nOut;
  const p = points(m);
  const outer = linspace(0, Math.PI, nOut);
  const inner = linspace(0, Math.PI, nIn);
  for (let i = 0; i < nOut; i++) {
    p.xs[i] = cos(outer[i]);
    p.ys[i] = sin(outer[i]);
  }
  for (let i = 0; i < nIn; i++) {
    p.xs[nOut + i] = 1 - cos(inner[i]);
    p.ys[nOut + i] = 1 - sin(inner[i]) - 0.5;
    p.labels[nOut + i] = 1;
  }
  const q = shuffleRows(p, rs);
  addNoise(q, noise, rs);
  return q;
}

/** make_circles: a unit circle (class 0) around a circle of radius `factor` (class 1). */
function circles(m: number, noise: number, rs: RandomState, factor = 0.8): Points {
  const nOut = Math.floor(m / 2);
  const nIn = m - nOut;
  const p = points(m);
  // endpoint=False so the first point is not also the last.
  const outer = linspace(0, 2 * Math.PI, nOut, false);
  const inner = linspace(0, 2 * Math.PI, nIn, false);
  for (let i = 0; i < nOut; i++) {
    p.xs[i] = cos(outer[i]);
    p.ys[i] = sin(outer[i]);
  }
  for (let i = 0; i < nIn; i++) {
    p.xs[nOut + i] = cos(inner[i]) * factor;
    p.ys[nOut + i] = sin(inner[i]) * factor;
    p.labels[nOut + i] = 1;
  }
  const q = shuffleRows(p, rs);
  addNoise(q, noise, rs);
  return q;
}

/** cs231n's spiral: arm j turns from angle 4j to 4(j+1) while the radius grows from 0 to 1. */
function spiral(m: number, k: number, noise: number, rs: RandomState): Points {
  const p = points(m);
  let start = 0;
  for (const [j, N] of perClass(m, k).entries()) {
    const r = linspace(0.0, 1, N);
    const t = linspace(j * 4, (j + 1) * 4, N);
    for (let i = 0; i < N; i++) t[i] += rs.standardNormal() * noise;
    for (let i = 0; i < N; i++) {
      p.xs[start + i] = r[i] * sin(t[i]);
      p.ys[start + i] = r[i] * cos(t[i]);
      p.labels[start + i] = j;
    }
    start += N;
  }
  return p;
}

/** make_blobs with 2 features: centres uniform in [-10, 10]², clusters in order, then shuffled. */
function blobs(m: number, k: number, std: number, rs: RandomState): Points {
  const centres: number[][] = [];
  for (let c = 0; c < k; c++) centres.push([rs.uniform(-10, 10), rs.uniform(-10, 10)]);
  const p = points(m);
  let start = 0;
  for (const [c, N] of perClass(m, k).entries()) {
    for (let i = start; i < start + N; i++) {
      p.xs[i] = rs.normal(centres[c][0], std);
      p.ys[i] = rs.normal(centres[c][1], std);
      p.labels[i] = c;
    }
    start += N;
  }
  return shuffleRows(p, rs);
}

/** XOR of the signs: uniform points, label from the clean point, then jitter. */
function xor(m: number, noise: number, rs: RandomState): Points {
  const p = points(m);
  for (let i = 0; i < m; i++) {
    p.xs[i] = rs.uniform(-1, 1);
    p.ys[i] = rs.uniform(-1, 1);
    p.labels[i] = p.xs[i] > 0 !== p.ys[i] > 0 ? 1 : 0;
  }
  addNoise(p, noise, rs);
  return p;
}

/** The options a dataset will actually use: the given ones over its defaults. */
export function resolveBuiltinOptions(name: BuiltinDataset, options: BuiltinOptions = {}): Required<BuiltinOptions> {
  const d = BUILTIN_DEFAULTS[name];
  return {
    examples: options.examples ?? d.examples,
    noise: options.noise ?? d.noise,
    seed: options.seed ?? d.seed,
    classes: d.classesOption ? (options.classes ?? d.classes) : d.classes,
  };
}

/**
 * A built-in dataset. X is (2, m); Y is (1, m) of 0/1 for two classes, one-hot (k, m) for more;
 * `labels` holds each example's class. Throws RangeError on options the spec checker already
 * refuses (m < 1, noise < 0, classes < 2, a seed outside [0, 2^32 - 1]).
 */
export function builtinDataset(name: BuiltinDataset, options: BuiltinOptions = {}, imageShape: [number, number, number] = [16, 16, 1]): Dataset {
  const o = resolveBuiltinOptions(name, options);
  // Pictures, at the size of the network's input.shape (16×16 grey when none is given).
  if (name === 'shapes') {
    if (!(o.noise >= 0) || !Number.isFinite(o.noise)) throw new RangeError(`noise must be a number >= 0; got ${o.noise}`);
    return shapesDataset(o.examples, o.noise, o.seed, imageShape);
  }
  // UCI's handwritten digits: fixed 8×8 grey pictures, whatever input.shape says (the data check
  // then reports a network whose n[0] is not 64).
  if (name === 'digits') return digitsDataset(o.examples);
  if (!Number.isInteger(o.examples) || o.examples < 1) throw new RangeError(`examples must be a positive integer; got ${o.examples}`);
  if (!(o.noise >= 0) || !Number.isFinite(o.noise)) throw new RangeError(`noise must be a number >= 0; got ${o.noise}`);
  if (!Number.isInteger(o.classes) || o.classes < 2) throw new RangeError(`classes must be an integer >= 2; got ${o.classes}`);
  if (o.classes > o.examples) throw new RangeError(`${o.classes} classes need at least ${o.classes} examples; got ${o.examples}`);
  const rs = new RandomState(o.seed);
  const m = o.examples;
  let p: Points;
  switch (name) {
    case 'planar':
      p = planar(m, o.noise, rs);
      break;
    case 'moons':
      p = moons(m, o.noise, rs);
      break;
    case 'circles':
      p = circles(m, o.noise, rs);
      break;
    case 'spiral':
      p = spiral(m, o.classes, o.noise, rs);
      break;
    case 'blobs':
      p = blobs(m, o.classes, o.noise, rs);
      break;
    case 'xor':
      p = xor(m, o.noise, rs);
      break;
    default:
      throw new RangeError(`${name} is not a dataset of points`);
  }
  const X: Matrix = { rows: 2, cols: m, data: new Float64Array(2 * m) };
  X.data.set(p.xs, 0);
  X.data.set(p.ys, m);
  const classText = BUILTIN_DEFAULTS[name].classesOption ? `, ${o.classes} classes` : '';
  return {
    train: { X, Y: encodeLabels(p.labels, o.classes), labels: p.labels },
    classes: o.classes,
    featureNames: ['x1', 'x2'],
    source: `${name} (built-in, m = ${m}${classText}, noise ${o.noise}, seed ${o.seed})`,
  };
}
