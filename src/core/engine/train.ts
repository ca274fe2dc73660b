/**
 * The training loop shared by `dnn train` and the editor's worker: the course's L_layer_model
 * (full batch) and course 2's `model` (mini-batches, optimisers), with the cost of every iteration
 * kept, an AbortSignal checked every iteration and a progress callback.
 *
 * Randomness, as a numpy script built from the course's functions would draw it from the one
 * global generator: np.random.seed(seed), then the initial weights (init.ts), then per iteration
 * the dropout masks of layers 1..L-1. With mini-batches, each epoch e starts with
 * random_mini_batches(X, Y, batchSize, seed + 1 + e), which re-seeds the generator (the course's
 * optimisation notebook: `seed = seed + 1` before each epoch; it starts from 10, we from `seed`).
 *
 * With mini-batches an "iteration" is an epoch: costs[e] is the example-weighted mean of its
 * mini-batch costs (the notebook's cost_total / m), and the learning rate of epoch e is
 * α0 / (1 + decayRate · e).
 *
 * Batch norm (a layer's batchNorm) normalises Z with each batch's statistics in training and
 * keeps running averages for prediction (model.ts); its gamma and beta train like W and b.
 *
 * Nothing is allocated per iteration: caches and gradients are made once per batch size.
 */
import type { Kernels } from '../kernels/types';
import type { Dataset } from '../data/types';
import type { Spec } from '../format/types';
import { accuracy, hasAccuracy } from './evaluate';
import { initializeBatchNorm, initializeParametersDeep } from './init';
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
import { EngineError, networkOf, type Network } from './network';
import { createOptimizer, decayedLearningRate } from './optimizers';
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
  let Y = dataset.train.Y;
  let X = dataset.train.X;
  checkData(net, X, Y, 'training');
  if (dataset.dev) checkData(net, dataset.dev.X, dataset.dev.Y, 'dev');

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
  const kernels: Kernels = options.kernels;
  const seed = t.seed ?? Math.floor(Math.random() * 2 ** 32);
  const rng = createRandom(seed);

  const parameters = startingParameters(spec, net, rng, options.initialParameters);
  // X is read by two big products every iteration, W[l] by one and Y by the cost: kept in the
  // kernels' memory (WebAssembly's, when they have one), they are not copied in each time.
  // Training works on `live`, the pinned copies; the caller's matrices get the final values.
  const pinned: Matrix[] = [];
  const pin = (M: Matrix): Matrix => {
    let P: Matrix;
    try {
      P = kernels.pin(M);
    } catch {
      // No room left in the kernels' memory (it is capped at 2 GiB): this one stays where it is
      // and products copy it, slower but the same numbers.
      return M;
    }
    pinned.push(P);
    return P;
  };
  try {
    X = pin(X);
    Y = pin(Y);
    const live: Parameters = new Map([...parameters].map(([key, M]) => [key, pin(M)]));
    // Every Z, A, dZ, dA, dW, db there too.
    const alloc = (rows: number, cols: number): Matrix => pin(zeros(rows, cols));
    const m = X.cols;
    const batchSize = t.batchSize === null || t.batchSize >= m ? m : t.batchSize;
    const miniBatches = batchSize < m;
    const withDropout = t.keepProb < 1;
    const batchNorm = net.layers.some((l) => l.batchNorm);
    const pass: PassOptions = { keepProb: t.keepProb, l2: t.l2, uniform: (out) => rng.rand(out), statistics: 'batch', updateRunning: true };

    // One workspace per batch size: the full batch, or the mini-batch size and the last, smaller one.
    const workspaces = new Map<number, Workspace>();
    const batchX = new Map<number, Matrix>();
    const batchY = new Map<number, Matrix>();
    const sizes = miniBatches ? [batchSize, m % batchSize].filter((s) => s > 0) : [m];
    for (const s of sizes) {
      workspaces.set(s, createWorkspace(net, live, s, withDropout, alloc));
      if (miniBatches) {
        batchX.set(s, alloc(X.rows, s));
        batchY.set(s, alloc(Y.rows, s));
      }
    }
    const fullWs = workspaces.get(sizes[0])!;
    // The same parameter matrices in every workspace; each workspace has its own gradients.
    const { params: flatParams, grads: flatGrads } = flatParametersAndGrads(fullWs);
    const gradsBySize = new Map<number, Matrix[]>();
    for (const [s, ws] of workspaces) gradsBySize.set(s, flatParametersAndGrads(ws).grads);
    const optimizer = createOptimizer(t.optimizer, flatParams, kernels);

    // Evaluation passes (no dropout) for progress reports, made only when needed.
    let trainEval: Workspace | undefined;
    let devEval: Workspace | undefined;
    const evalTrain = (): number | undefined => {
      if (!hasAccuracy(net.loss)) return undefined;
      trainEval ??= miniBatches || withDropout || batchNorm ? createWorkspace(net, live, m, false, alloc) : fullWs;
      const [AL] = lModelForward(X, net, trainEval, kernels);
      return accuracy(AL, Y, net.loss);
    };
    const evalDev = (): { devCost: number; devAccuracy?: number } | undefined => {
      const dev = dataset.dev;
      if (!dev || dev.X.cols === 0) return undefined;
      devEval ??= createWorkspace(net, live, dev.X.cols, false, alloc);
      const [AL] = lModelForward(dev.X, net, devEval, kernels);
      const devCost = costOf(AL, dev.Y, net, devEval, kernels, t.l2);
      const devAccuracy = accuracy(AL, dev.Y, net.loss);
      return devAccuracy === undefined ? { devCost } : { devCost, devAccuracy };
    };

    const iterations = t.iterations;
    // Every iteration's cost; grown by doubling so a huge iteration count does not reserve it all.
    let costs = new Float64Array(Math.min(iterations, 1 << 20));
    const progressEvery = Math.max(1, Math.floor(options.progressEvery ?? t.printEvery ?? 100));
    let lastYield = now();
    let status: TrainResult['status'] = 'done';
    let message: string | undefined;
    let done = 0;

    const permutation = new Int32Array(m);
    // The workspace of the last forward pass, whose AL the divergence message inspects.
    let lastWs = fullWs;
    for (let i = 0; i < iterations; i++) {
      if (options.signal?.aborted) {
        status = 'aborted';
        break;
      }
      let cost: number;
      let trainAccuracy: number | undefined;
      if (!miniBatches) {
        const [AL] = lModelForward(X, net, fullWs, kernels, pass);
        cost = costOf(AL, Y, net, fullWs, kernels, t.l2);
        if (Number.isFinite(cost)) {
          // The accuracy of this iteration's parameters, for free when no dropout changed AL.
          if (!withDropout && !batchNorm && i % progressEvery === 0) trainAccuracy = accuracy(AL, Y, net.loss);
          lModelBackward(AL, Y, net, fullWs, kernels, pass);
          optimizer.step(flatParams, flatGrads, decayedLearningRate(t.learningRate, t.decayRate, i));
        }
      } else {
        // random_mini_batches(X, Y, batchSize, seed + 1 + i): shuffle the columns, then cut.
        rng.seed(seed + 1 + i);
        rng.permutation(permutation);
        const alpha = decayedLearningRate(t.learningRate, t.decayRate, i);
        let total = 0;
        let interrupted = false;
        for (let start = 0; start < m; start += batchSize) {
          // An epoch over big data takes long: see Stop and the event loop between mini-batches too.
          if (now() - lastYield >= YIELD_EVERY_MS) {
            await yieldToEventLoop();
            lastYield = now();
          }
          if (options.signal?.aborted) {
            interrupted = true;
            break;
          }
          const s = Math.min(batchSize, m - start);
          const bx = batchX.get(s)!;
          const by = batchY.get(s)!;
          gatherColumns(X, permutation, start, bx);
          gatherColumns(Y, permutation, start, by);
          const ws = workspaces.get(s)!;
          lastWs = ws;
          const [AL] = lModelForward(bx, net, ws, kernels, pass);
          const batchCost = costOf(AL, by, net, ws, kernels, t.l2);
          total += batchCost * s;
          if (!Number.isFinite(batchCost)) break;
          lModelBackward(AL, by, net, ws, kernels, pass);
          optimizer.step(flatParams, gradsBySize.get(s)!, alpha);
        }
        if (interrupted) {
          // The epoch is incomplete: it has no cost, and the parameters are where the last batch left them.
          status = 'aborted';
          break;
        }
        cost = total / m;
      }
      if (!Number.isFinite(cost)) {
        status = 'diverged';
        message = divergenceMessage(i, cost, net, lastWs, live, t.learningRate);
        break;
      }
      if (i === costs.length) {
        const grown = new Float64Array(Math.min(iterations, costs.length * 2));
        grown.set(costs);
        costs = grown;
      }
      costs[i] = cost;
      done = i + 1;

      const last = i === iterations - 1;
      if (options.onProgress && (i % progressEvery === 0 || last)) {
        const p: TrainProgress = { iteration: i, iterations, cost, elapsedMs: now() - started };
        const acc = trainAccuracy ?? evalTrain();
        if (acc !== undefined) p.trainAccuracy = acc;
        Object.assign(p, evalDev());
        options.onProgress(p);
        // The live parameters, so the editor can redraw the decision boundary as it forms.
        options.onParameters?.(i, live);
      }
      if (now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = now();
      }
    }

    // The trained values back into the caller's matrices, out of the kernels' memory.
    for (const [key, M] of parameters) M.data.set(live.get(key)!.data);
    const result: TrainResult = {
      parameters,
      costs: done === costs.length ? costs : costs.slice(0, done),
      status,
      seed,
      elapsedMs: 0,
    };
    if (message) result.message = message;
    if (status !== 'diverged') {
      const acc = evalTrain();
      if (acc !== undefined) result.trainAccuracy = acc;
      const dev = evalDev();
      if (dev) {
        result.devCost = dev.devCost;
        if (dev.devAccuracy !== undefined) result.devAccuracy = dev.devAccuracy;
      }
    }
    result.elapsedMs = now() - started;
    return result;
  } finally {
    // Last pinned, first released: the kernels' memory is handed back as a stack.
    for (const P of pinned.reverse()) kernels.release(P);
  }
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
      `the ${which} labels have ${Y.rows} row${Y.rows === 1 ? '' : 's'} per example but the output layer has n[${L}] = ${nL} units`,
      ['layers', L - 1, 'units'],
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

/** dst[:, c] = src[:, perm[start + c]] for every column c of dst: shuffled_X[:, k*size:(k+1)*size]. */
function gatherColumns(src: Matrix, perm: Int32Array, start: number, dst: Matrix): void {
  const s = dst.cols;
  for (let r = 0; r < src.rows; r++) {
    const from = r * src.cols;
    const to = r * s;
    for (let c = 0; c < s; c++) dst.data[to + c] = src.data[from + perm[start + c]];
  }
}

function divergenceMessage(i: number, cost: number, net: Network, ws: Workspace, parameters: Parameters, alpha: number): string {
  const what = Number.isNaN(cost) ? 'NaN' : 'infinite';
  let cause: string;
  const badWeights = [...parameters].find(([, M]) => M.data.some((v) => !Number.isFinite(v)));
  const AL = ws.caches[ws.caches.length - 1].A;
  const saturated = net.loss !== 'mse' && AL.data.some((a) => a === 0 || a === 1);
  if (badWeights) {
    cause = `${badWeights[0]} overflowed to infinity or NaN: the learning rate ${alpha} is too high`;
  } else if (saturated) {
    cause = `the output saturated (some AL is exactly 0 or 1, so the cost takes log(0)): lower the learning rate ${alpha} or standardise the inputs`;
  } else {
    cause = `the learning rate ${alpha} is probably too high`;
  }
  return `training stopped at iteration ${i}: the cost became ${what}; ${cause}`;
}

/** Overrides with undefined fields dropped, so they do not erase the spec's values. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
