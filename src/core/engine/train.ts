/**
 * The training loop shared by `dnn train` and the editor's worker: the course's L_layer_model
 * (full batch) and course 2's `model` (mini-batches, optimisers), with the cost of every iteration
 * kept, an AbortSignal checked every iteration and a progress callback.
 *
 * Randomness, as a numpy script built from the course's functions would draw it from the one
 * global generator: np.random.seed(seed), then the initial weights (init.ts), then per iteration
 * the dropout masks of layers 1..L-1 (in a conv network, of every layer but the output, pool and
 * flatten included: convnet.ts). With mini-batches, each epoch e starts with
 * random_mini_batches(X, Y, batchSize, s + 1 + e), which re-seeds the generator, with s the
 * training.shuffleSeed, or the seed without one (the course's optimisation notebook: `seed = seed
 * + 1` before each epoch, from 10, while its weights come from seed 3: shuffleSeed 10, seed 3).
 *
 * With mini-batches an "iteration" is an epoch: costs[e] is the example-weighted mean of its
 * mini-batch costs (the notebook's cost_total / m). The learning rate decays after each epoch as
 * the notebook's update_lr or schedule_lr_decay (learningRateOfEpoch in optimizers.ts).
 *
 * An infinite cost does not stop training (the course's cost is a nansum and its dZ[L] = AL − Y
 * stays finite); a gradient that is not finite does, before its update, so the parameters kept
 * are the last finite ones.
 *
 * Batch norm (a layer's batchNorm) normalises Z with each batch's statistics in training and
 * keeps running averages for prediction (batchnorm.ts: per unit, or per channel on a conv layer);
 * its gamma and beta train like W and b.
 *
 * Nothing is allocated per iteration: caches and gradients are made once per batch size.
 *
 * Reading order: `train` (the outline), then `PinnedArena` (where the matrices live), `prepareRun`
 * (workspaces and optimiser), `fullBatchStep` and `miniBatchEpoch` (one iteration each way),
 * `Evaluator` (accuracy and dev cost for progress reports) and `resultOf`.
 */
import type { Kernels } from '../kernels/types';
import type { Dataset } from '../data/types';
import type { Spec, TrainingSpec } from '../format/types';
import { accuracy, hasAccuracy } from './evaluate';
import { initializeBatchNorm, initializeParametersDeep } from './init';
import { initializeGraph } from './convnet';
import { zeros, type Matrix } from '../matrix';
import {
  costOf,
  createWorkspace,
  flatParametersAndGrads,
  lModelBackward,
  lModelForward,
  type PassOptions,
  type Workspace,
} from './model';
import { EngineError, hasBatchNorm, networkOf, type DenseNode, type Network } from './network';
import { createOptimizer, learningRateOfEpoch, validOptimizerSetting, type Optimizer, type OptimizerSettings } from './optimizers';
import { copyParameters, validateParameters } from './params';
import { createRandom, type EngineRandom } from './random';
import type { Parameters, TrainOptions, TrainProgress, TrainResult } from './types';

/** How often (ms) the loop hands control back to the event loop, so abort and messages get through. */
const YIELD_EVERY_MS = 20;

const now = (): number => globalThis.performance.now();

/**
 * Lets pending events run (an abort, a message from the editor) and resumes at once: setImmediate
 * in Node, a MessageChannel message in a browser. setTimeout(0) waits at least 1 ms (4 ms once
 * nested in a browser), which cost up to 5% of a fast run at one yield per 20 ms.
 */
function yieldToEventLoop(): Promise<void> {
  const g = globalThis as unknown as {
    setImmediate?: (f: () => void) => void;
    MessageChannel?: new () => { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(v: unknown): void; close(): void } };
  };
  if (g.setImmediate) {
    const setImmediate = g.setImmediate;
    return new Promise((resolve) => setImmediate(resolve));
  }
  if (g.MessageChannel) {
    const channel = new g.MessageChannel();
    return new Promise((resolve) => {
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(0);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export async function train(spec: Spec, dataset: Dataset, options: TrainOptions): Promise<TrainResult> {
  const started = now();
  const net = networkOf(spec);
  checkData(net, dataset.train.X, dataset.train.Y, 'training');
  if (dataset.dev) checkData(net, dataset.dev.X, dataset.dev.Y, 'dev');
  const t = trainingSettings(spec, options);
  const kernels = options.kernels;
  const seed = t.seed ?? Math.floor(Math.random() * 2 ** 32);
  const rng = createRandom(seed);
  const parameters = startingParameters(spec, net, rng, options.initialParameters);
  const arena = new PinnedArena(kernels);
  try {
    const run = prepareRun(spec, net, t, dataset, parameters, arena, rng, seed, kernels);
    const evaluator = new Evaluator(run, dataset.dev, arena);
    const outcome = await iterate(run, evaluator, options, started);
    return resultOf(parameters, run, outcome, evaluator, started);
  } finally {
    arena.releaseAll();
  }
}

/** The spec's training settings with the caller's overrides, refused when they cannot train. */
function trainingSettings(spec: Spec, options: TrainOptions): TrainingSpec {
  const t = { ...spec.training, ...definedOnly(options.overrides ?? {}) };
  if (!Number.isInteger(t.iterations) || t.iterations < 0) {
    throw new EngineError(`iterations must be a whole number >= 0; found ${t.iterations}`, ['training', 'iterations']);
  }
  if (!(t.learningRate > 0) || !Number.isFinite(t.learningRate)) {
    throw new EngineError(`learningRate must be a positive number; found ${t.learningRate}`, ['training', 'learningRate']);
  }
  if (!(t.keepProb > 0 && t.keepProb <= 1)) {
    throw new EngineError(`keepProb must be in (0, 1]; found ${t.keepProb}`, ['training', 'keepProb']);
  }
  return t;
}

/**
 * The matrices training works on, kept in the kernels' memory (WebAssembly's, when they have
 * one): X is read by two big products every iteration, W[l] by one and Y by the cost, and every
 * Z, A, dZ, dA, dW, db by a kernel, so none of them is copied in each time. Released as a stack,
 * last pinned first, when training ends.
 */
class PinnedArena {
  private readonly pinned: Matrix[] = [];

  constructor(private readonly kernels: Kernels) {}

  /** The kernels' copy of M, or M itself when their memory is full (slower, the same numbers). */
  pin(M: Matrix): Matrix {
    let P: Matrix;
    try {
      P = this.kernels.pin(M);
    } catch {
      // The kernels' memory is capped at 2 GiB: this one stays where it is and products copy it.
      return M;
    }
    this.pinned.push(P);
    return P;
  }

  /** A zero (rows, cols) matrix in the kernels' memory: `createWorkspace`'s `alloc`. */
  readonly alloc = (rows: number, cols: number): Matrix => this.pin(zeros(rows, cols));

  releaseAll(): void {
    for (const P of this.pinned.reverse()) this.kernels.release(P);
    this.pinned.length = 0;
  }
}

/** Everything one run's iterations read and write, made once before the first. */
interface Run {
  net: Network;
  t: TrainingSpec;
  kernels: Kernels;
  rng: EngineRandom;
  seed: number;
  /** random_mini_batches' base seed: training.shuffleSeed, else the seed. */
  shuffleSeed: number;
  /** The pinned training set. */
  X: Matrix;
  Y: Matrix;
  m: number;
  batchSize: number;
  miniBatches: boolean;
  withDropout: boolean;
  batchNorm: boolean;
  pass: PassOptions;
  /** The pinned parameters training updates; the caller's get their values at the end. */
  live: Parameters;
  /** One workspace per batch size: the full batch, or the mini-batch size and the last, smaller one. */
  workspaces: Map<number, Workspace>;
  fullWs: Workspace;
  batchX: Map<number, Matrix>;
  batchY: Map<number, Matrix>;
  /** The parameters in the optimiser's order, and each workspace's gradients in the same order. */
  flatParams: Matrix[];
  /** The full batch's gradients (fullWs's), in that order. */
  flatGrads: Matrix[];
  gradsBySize: Map<number, Matrix[]>;
  optimizer: Optimizer;
  /** random_mini_batches' shuffle of the m columns. */
  permutation: Int32Array;
  /** The workspace of the last forward pass, whose AL the infinite-cost warning inspects. */
  lastWs: Workspace;
  /** The names of flatParams' entries ("W1", "b1", "gamma1", ...), for messages. */
  names: string[];
  /**
   * Set by a step that found a gradient that is not finite (that step made no update) or whose
   * update made a parameter overflow (then `snapshot` is restored).
   */
  stop?: { iteration: number; what: string };
  /** The parameters at the start of iteration `iteration`: copied at each report, restored when an update overflows. */
  snapshot: { iteration: number; values: Float64Array[] };
  /** What to try when training stops, from the spec and the data (see adviceFor). */
  advice: string;
  /** The accuracy of the last full-batch step's parameters, when it came for free (no dropout, no batch norm). */
  stepAccuracy: number | undefined;
}

function prepareRun(
  spec: Spec,
  net: Network,
  t: TrainingSpec,
  dataset: Dataset,
  parameters: Parameters,
  arena: PinnedArena,
  rng: EngineRandom,
  seed: number,
  kernels: Kernels,
): Run {
  const X = arena.pin(dataset.train.X);
  const Y = arena.pin(dataset.train.Y);
  const live: Parameters = new Map([...parameters].map(([key, M]) => [key, arena.pin(M)]));
  const m = X.cols;
  const batchSize = t.batchSize === null || t.batchSize >= m ? m : t.batchSize;
  const miniBatches = batchSize < m;
  const withDropout = t.keepProb < 1;
  const workspaces = new Map<number, Workspace>();
  const batchX = new Map<number, Matrix>();
  const batchY = new Map<number, Matrix>();
  const sizes = miniBatches ? [batchSize, m % batchSize].filter((s) => s > 0) : [m];
  for (const s of sizes) {
    workspaces.set(s, createWorkspace(net, live, s, withDropout, arena.alloc));
    if (miniBatches) {
      batchX.set(s, arena.alloc(X.rows, s));
      batchY.set(s, arena.alloc(Y.rows, s));
    }
  }
  const fullWs = workspaces.get(sizes[0])!;
  // The same parameter matrices in every workspace; each workspace has its own gradients.
  const flatParams = flatParametersAndGrads(fullWs).params;
  const gradsBySize = new Map<number, Matrix[]>();
  for (const [s, ws] of workspaces) gradsBySize.set(s, flatParametersAndGrads(ws).grads);
  return {
    net,
    t,
    kernels,
    rng,
    seed,
    shuffleSeed: t.shuffleSeed ?? seed,
    X,
    Y,
    m,
    batchSize,
    miniBatches,
    withDropout,
    batchNorm: hasBatchNorm(net),
    pass: { keepProb: t.keepProb, l2: t.l2, uniform: (out) => rng.rand(out), statistics: 'batch', updateRunning: true },
    live,
    workspaces,
    fullWs,
    batchX,
    batchY,
    flatParams,
    flatGrads: gradsBySize.get(sizes[0])!,
    gradsBySize,
    optimizer: createOptimizer(t.optimizer, flatParams, kernels),
    permutation: new Int32Array(m),
    lastWs: fullWs,
    stepAccuracy: undefined,
    names: parameterNames(fullWs),
    snapshot: { iteration: 0, values: flatParams.map((M) => Float64Array.from(M.data)) },
    advice: adviceFor(spec, t, X),
  };
}

/**
 * Hands control back to the event loop every YIELD_EVERY_MS, so abort and messages get through.
 * Callers ask `due()` first and await only then: an await per iteration would cost a promise and
 * a microtask each time, which shows on small networks.
 */
class Pacer {
  private last = now();

  due(): boolean {
    return now() - this.last >= YIELD_EVERY_MS;
  }

  async yield(): Promise<void> {
    await yieldToEventLoop();
    this.last = now();
  }
}

interface Outcome {
  costs: Float64Array;
  status: TrainResult['status'];
  message?: string;
  /** With 'diverged': whether the parameters kept (those before the failed update) are all finite. */
  finite?: boolean;
  warnings: string[];
}

/** The iterations: one step (full batch) or one epoch (mini-batches) each, with progress reports. */
async function iterate(run: Run, evaluator: Evaluator, options: TrainOptions, started: number): Promise<Outcome> {
  const iterations = run.t.iterations;
  // Every iteration's cost; grown by doubling so a huge iteration count does not reserve it all.
  let costs = new Float64Array(Math.min(iterations, 1 << 20));
  const progressEvery = Math.max(1, Math.floor(options.progressEvery ?? run.t.printEvery ?? 100));
  const pacer = new Pacer();
  let done = 0;
  let warnedInfinite = false;
  const warnings: string[] = [];
  for (let i = 0; i < iterations; i++) {
    if (options.signal?.aborted) return { costs: costs.slice(0, done), status: 'aborted', warnings };
    const alpha = options.learningRate?.(i);
    if (alpha !== undefined && alpha > 0 && Number.isFinite(alpha)) run.t.learningRate = alpha;
    const tuned = options.optimizerSettings?.(i);
    if (tuned) retuneOptimizer(run.optimizer, tuned);
    const reporting = i % progressEvery === 0 || i === iterations - 1;
    let cost: number;
    if (!run.miniBatches) {
      // The last iteration reports the accuracy after its update (the evaluator's), the others before.
      cost = fullBatchStep(run, i, i % progressEvery === 0);
    } else {
      const epoch = await miniBatchEpoch(run, i, pacer, options.signal);
      // An interrupted epoch has no cost, and the parameters are where its last batch left them.
      if (epoch === undefined) return { costs: costs.slice(0, done), status: 'aborted', warnings };
      cost = epoch;
    }
    if (run.stop) {
      if (!allFinite(run.flatParams)) restoreSnapshot(run);
      return { costs: costs.slice(0, done), status: 'diverged', message: divergenceMessage(run), finite: allFinite(run.flatParams), warnings };
    }
    if (!Number.isFinite(cost) && !warnedInfinite) {
      // An infinite cost alone is no reason to stop: the course's nansum prints inf and its run
      // trains on, because dZ[L] = AL − Y stays finite. Say so once.
      warnedInfinite = true;
      const warning = infiniteCostWarning(i, run);
      warnings.push(warning);
      options.onWarning?.(warning);
    }
    if (i === costs.length) {
      const grown = new Float64Array(Math.min(iterations, costs.length * 2));
      grown.set(costs);
      costs = grown;
    }
    costs[i] = cost;
    done = i + 1;
    if (options.onProgress && reporting) {
      const p: TrainProgress = { iteration: i, iterations, cost, elapsedMs: now() - started };
      const acc = run.stepAccuracy ?? evaluator.trainAccuracy();
      if (acc !== undefined) p.trainAccuracy = acc;
      Object.assign(p, evaluator.dev());
      options.onProgress(p);
      takeSnapshot(run, i + 1);
      // The live parameters, so the editor can redraw the decision boundary as it forms.
      options.onParameters?.(i, run.live);
    }
    if (pacer.due()) await pacer.yield();
  }
  const finalCosts = done === costs.length ? costs : costs.slice(0, done);
  if (!allFinite(run.flatParams)) {
    // An update overflowed without the gradients doing so (a weight near 1e308): nothing finite is left to keep.
    const message = `training ended with parameters that are not finite (${run.names[firstNonFinite(run.flatParams)]} overflowed); ${run.advice}`;
    return { costs: finalCosts, status: 'diverged', message, finite: false, warnings };
  }
  return { costs: finalCosts, status: 'done', warnings };
}

/** Hands the optimiser the settings of `tuned` that are in range (β's in [0, 1), ε > 0). */
function retuneOptimizer(optimizer: Optimizer, tuned: OptimizerSettings): void {
  const valid: OptimizerSettings = {};
  for (const key of ['beta', 'beta1', 'beta2', 'epsilon'] as const) {
    const v = tuned[key];
    if (v !== undefined && validOptimizerSetting(key, v)) valid[key] = v;
  }
  optimizer.retune?.(valid);
}

/**
 * One iteration of L_layer_model: forward, cost, backward, update; returns the cost computed
 * before the update. With `wantAccuracy`, also the accuracy of these parameters when AL gives it
 * for free (no dropout, no batch norm), in `run.stepAccuracy`.
 */
function fullBatchStep(run: Run, i: number, wantAccuracy: boolean): number {
  const { net, fullWs: ws, kernels, pass } = run;
  run.stepAccuracy = undefined;
  const [AL] = lModelForward(run.X, net, ws, kernels, pass);
  const cost = costOf(AL, run.Y, net, ws, kernels, run.t.l2);
  if (wantAccuracy && !run.withDropout && !run.batchNorm) run.stepAccuracy = accuracy(AL, run.Y, net.loss);
  lModelBackward(AL, run.Y, net, ws, kernels, pass);
  if (!gradientsFinite(run, run.flatGrads, i)) return cost;
  run.optimizer.step(run.flatParams, run.flatGrads, learningRateOfEpoch(run.t, i));
  parametersFinite(run, i);
  return cost;
}

/**
 * One epoch of course 2's `model`: random_mini_batches(X, Y, batchSize, seed + 1 + e) (shuffle the
 * columns, then cut), and a step on each mini-batch. Returns the example-weighted mean of the
 * mini-batch costs, or undefined when `signal` aborted the epoch.
 */
async function miniBatchEpoch(run: Run, e: number, pacer: Pacer, signal: AbortSignal | undefined): Promise<number | undefined> {
  const { net, kernels, pass, m, batchSize } = run;
  run.rng.seed(run.shuffleSeed + 1 + e);
  run.rng.permutation(run.permutation);
  const alpha = learningRateOfEpoch(run.t, e);
  let total = 0;
  for (let start = 0; start < m; start += batchSize) {
    // An epoch over big data takes long: see Stop and the event loop between mini-batches too.
    if (pacer.due()) await pacer.yield();
    if (signal?.aborted) return undefined;
    const s = Math.min(batchSize, m - start);
    const bx = run.batchX.get(s)!;
    const by = run.batchY.get(s)!;
    gatherColumns(run.X, run.permutation, start, bx);
    gatherColumns(run.Y, run.permutation, start, by);
    const ws = run.workspaces.get(s)!;
    run.lastWs = ws;
    const [AL] = lModelForward(bx, net, ws, kernels, pass);
    const batchCost = costOf(AL, by, net, ws, kernels, run.t.l2);
    total += batchCost * s;
    lModelBackward(AL, by, net, ws, kernels, pass);
    const grads = run.gradsBySize.get(s)!;
    if (!gradientsFinite(run, grads, e)) break;
    run.optimizer.step(run.flatParams, grads, alpha);
    if (!parametersFinite(run, e)) break;
  }
  return total / m;
}

/**
 * Accuracy on the training set and cost and accuracy on the dev set, for progress reports and the
 * result: forward passes without dropout, in workspaces made the first time they are needed.
 */
class Evaluator {
  private trainWs: Workspace | undefined;
  private devWs: Workspace | undefined;

  constructor(
    private readonly run: Run,
    private readonly devSet: Dataset['dev'],
    private readonly arena: PinnedArena,
  ) {}

  trainAccuracy(): number | undefined {
    const { net, kernels } = this.run;
    if (!hasAccuracy(net.loss)) return undefined;
    // The training workspace itself serves when its forward pass is already the plain one.
    this.trainWs ??= this.run.miniBatches || this.run.withDropout || this.run.batchNorm
      ? createWorkspace(net, this.run.live, this.run.m, false, this.arena.alloc)
      : this.run.fullWs;
    const [AL] = lModelForward(this.run.X, net, this.trainWs, kernels);
    return accuracy(AL, this.run.Y, net.loss);
  }

  dev(): { devCost: number; devAccuracy?: number } | undefined {
    const dev = this.devSet;
    if (!dev || dev.X.cols === 0) return undefined;
    const { net, kernels } = this.run;
    this.devWs ??= createWorkspace(net, this.run.live, dev.X.cols, false, this.arena.alloc);
    const [AL] = lModelForward(dev.X, net, this.devWs, kernels);
    const devCost = costOf(AL, dev.Y, net, this.devWs, kernels, this.run.t.l2);
    const devAccuracy = accuracy(AL, dev.Y, net.loss);
    return devAccuracy === undefined ? { devCost } : { devCost, devAccuracy };
  }
}

/** The trained values copied back into the caller's matrices, with the costs and final evaluation. */
function resultOf(parameters: Parameters, run: Run, outcome: Outcome, evaluator: Evaluator, started: number): TrainResult {
  for (const [key, M] of parameters) M.data.set(run.live.get(key)!.data);
  const result: TrainResult = { parameters, costs: outcome.costs, status: outcome.status, seed: run.seed, elapsedMs: 0 };
  if (outcome.message) result.message = outcome.message;
  if (outcome.warnings.length > 0) result.warnings = outcome.warnings;
  if (outcome.finite !== undefined) result.finiteParameters = outcome.finite;
  if (outcome.status !== 'diverged') {
    const acc = evaluator.trainAccuracy();
    if (acc !== undefined) result.trainAccuracy = acc;
    const dev = evaluator.dev();
    if (dev) {
      result.devCost = dev.devCost;
      if (dev.devAccuracy !== undefined) result.devAccuracy = dev.devAccuracy;
    }
  }
  result.elapsedMs = now() - started;
  return result;
}

/** The spec's init, or a copy of the given parameters after checking every key and shape. */
function startingParameters(spec: Spec, net: Network, rng: EngineRandom, given: Parameters | undefined): Parameters {
  if (given) {
    const problems = validateParameters(net, given);
    if (problems.length > 0) throw new EngineError(`the initial parameters do not fit the network: ${problems.join('; ')}`, ['training', 'init']);
    return copyParameters(given);
  }
  const init = spec.training.init;
  if (init.scheme === 'file') {
    throw new EngineError(`init reads the parameters file '${init.path}': load it and pass it as initialParameters`, ['training', 'init']);
  }
  if (net.graph) return initializeGraph(net.graph, init.scheme, init.scale, (out) => rng.randn(out));
  const parameters = initializeParametersDeep(net.layerDims, init.scheme, init.scale, (out) => rng.randn(out));
  initializeBatchNorm(net.layerDims, net.layers.map((l) => l.batchNorm), parameters);
  return parameters;
}

/** Refuses data that does not fit the network, or holds NaN or infinities, naming what is wrong. */
export function checkData(net: Network, X: Matrix, Y: Matrix, which: string): void {
  const n0 = net.layerDims[0];
  const L = net.layers.length;
  const nL = net.layerDims[L];
  if (X.rows !== n0) {
    throw new EngineError(`the ${which} data has ${X.rows} feature${X.rows === 1 ? '' : 's'} per example but the network's input is n[0] = ${n0}`, ['input']);
  }
  if (Y.rows !== nL) {
    throw new EngineError(
      `the ${which} labels have ${Y.rows} row${Y.rows === 1 ? '' : 's'} per example but the output layer has n[${outputL(net)}] = ${nL} units`,
      net.graph ? [...(net.layers[0] as DenseNode).path, 'units'] : ['layers', L - 1, 'units'],
    );
  }
  if (X.cols !== Y.cols) throw new EngineError(`the ${which} data has ${X.cols} examples but ${Y.cols} labels`, ['data']);
  if (which === 'training' && X.cols === 0) throw new EngineError('the training data has no examples', ['data']);
  for (const [name, M] of [['X', X], ['Y', Y]] as const) {
    const d = M.data;
    for (let k = 0; k < d.length; k++) {
      if (!Number.isFinite(d[k])) {
        throw new EngineError(
          `the ${which} data's ${name} holds ${d[k]} at row ${Math.floor(k / M.cols)}, example ${k % M.cols}`,
          ['data'],
        );
      }
    }
  }
}

/** The output layer's number l: L, or in a conv network its number in the shapes table. */
function outputL(net: Network): number {
  return net.graph ? (net.layers[0] as DenseNode).l : net.layers.length;
}

/** dst[:, c] = src[:, perm[start + c]] for every column c of dst: shuffled_X[:, k*size:(k+1)*size]. */
function gatherColumns(src: Matrix, perm: Int32Array, start: number, dst: Matrix): void {
  const s = dst.cols;
  for (let r = 0; r < src.rows; r++) {
    const from = r * src.cols;
    const to = r * s;
    for (let c = 0; c < s; c++) dst.data[to + c] = src.data[from + perm[start + c]];
  }
}

/**
 * Index of the first matrix holding an infinity or NaN, or -1. x·0 is 0 for every finite x and NaN
 * otherwise, so one multiply-add per entry tells, with no branch in the loop.
 */
function firstNonFinite(mats: readonly Matrix[]): number {
  for (let p = 0; p < mats.length; p++) {
    const d = mats[p].data;
    let acc = 0;
    for (let k = 0; k < d.length; k++) acc += d[k] * 0;
    if (acc !== 0) return p;
  }
  return -1;
}

function allFinite(mats: readonly Matrix[]): boolean {
  return firstNonFinite(mats) < 0;
}

/**
 * False, with `run.stop` set, when a gradient is not finite: the update is then skipped, so the
 * parameters stay the last finite ones. Checked every step, because an infinite cost alone is
 * harmless (see iterate) and the gradients are what the update would spread.
 */
function gradientsFinite(run: Run, grads: readonly Matrix[], iteration: number): boolean {
  const bad = firstNonFinite(grads);
  if (bad < 0) return true;
  run.stop = { iteration, what: `the gradient d${run.names[bad]} overflowed to infinity or NaN` };
  return false;
}

/** False, with `run.stop` set, when the update just made made a parameter overflow (finite gradients, a huge α). */
function parametersFinite(run: Run, iteration: number): boolean {
  const bad = firstNonFinite(run.flatParams);
  if (bad < 0) return true;
  run.stop = { iteration, what: `the update made ${run.names[bad]} overflow to infinity` };
  return false;
}

/** Copies the parameters, which iteration `iteration` starts from (a few copies per run: one per report). */
function takeSnapshot(run: Run, iteration: number): void {
  run.snapshot.iteration = iteration;
  run.flatParams.forEach((M, p) => run.snapshot.values[p].set(M.data));
}

function restoreSnapshot(run: Run): void {
  run.flatParams.forEach((M, p) => M.data.set(run.snapshot.values[p]));
}

/** "W1", "b1", ["gamma1", "beta1",] "W2", ...: flatParametersAndGrads' order. */
function parameterNames(ws: Workspace): string[] {
  const names: string[] = [];
  ws.caches.forEach((c, l) => {
    names.push(`W${l + 1}`, `b${l + 1}`);
    if (c.bn) names.push(`gamma${l + 1}`, `beta${l + 1}`);
  });
  return names;
}

function divergenceMessage(run: Run): string {
  const stop = run.stop!;
  const unit = run.miniBatches ? 'epoch' : 'iteration';
  const restored = run.snapshot.iteration !== stop.iteration && /update made/.test(stop.what);
  const kept = !allFinite(run.flatParams)
    ? 'the parameters are no longer finite'
    : restored
      ? `the parameters are kept as they were at the start of ${unit} ${run.snapshot.iteration} (the last report), all finite`
      : `the parameters are kept as they were before that update, all finite`;
  return `training stopped at ${unit} ${stop.iteration}: ${stop.what}; ${kept}. ${run.advice}`;
}

/** The first time the cost is inf: why (which outputs sit at exactly 0 or 1), and that training goes on. */
function infiniteCostWarning(i: number, run: Run): string {
  const what = run.miniBatches ? 'epoch' : 'iteration';
  const AL = run.lastWs.caches[run.lastWs.caches.length - 1].A;
  const saturated = AL.data.some((a) => a === 0 || a === 1);
  const cause = saturated
    ? 'some output AL is exactly 0 or 1 against the other label, so the cost takes log(0)'
    : 'some output gives a log(0) in the cost';
  return `the cost is inf at ${what} ${i}: ${cause}. Training goes on, as the course's cost (np.nansum) does: the gradients are finite`;
}

/**
 * What to try when the gradients overflow, from what the file says: lower α always; he instead of
 * large random weights; standardised inputs only when they are not and they are large.
 */
function adviceFor(spec: Spec, t: TrainingSpec, X: Matrix): string {
  const tips = [`lower training.learningRate (now ${t.learningRate})`];
  if (t.init.scheme === 'random' && t.init.scale > 1) tips.push(`draw smaller initial weights (init random × ${t.init.scale}; "he" suits relu)`);
  let largest = 0;
  for (const v of X.data) largest = Math.max(largest, Math.abs(v));
  if (spec.data && !spec.data.standardize && largest > 10) tips.push(`standardise the inputs ("standardize": true in data; they reach |x| = ${largest.toPrecision(3)})`);
  if (t.optimizer.name === 'gd' || t.optimizer.name === 'momentum') tips.push('or try "adam", whose steps stay near α');
  return `Try: ${tips.join('; ')}.`;
}

/** Overrides with undefined fields dropped, so they do not erase the spec's values. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
