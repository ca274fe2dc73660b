/**
 * Forward and backward propagation for an L-layer network, function for function as the course
 * writes them (Neural Networks and Deep Learning, week 4): linearForward, linearActivationForward,
 * lModelForward, then linearBackward, linearActivationBackward, lModelBackward, updateParameters.
 *
 * Shapes, as in the course: X = A[0] is (n[0], m); W[l] is (n[l], n[l-1]); b[l] is (n[l], 1);
 * Z[l], A[l], dZ[l], dA[l] are (n[l], m); dW[l] is like W[l], db[l] like b[l].
 *
 * Unlike the notebook, nothing here allocates: every Z, A, dZ, dA, dW and db lives in a `Workspace`
 * built once for a given m, and each function writes into it. The course's return values are kept
 * (linearForward returns [Z, cache]) so the code still reads like the notebook.
 *
 * Reading order for a student: ../kernels/activations.ts and costs.ts (each g and J with its
 * derivative), init.ts, this file, optimizers.ts, then train.ts (the loop), predict.ts and
 * gradcheck.ts.
 */
import type { Kernels } from '../kernels/types';
import { ACTIVATION_FNS } from '../kernels/activations';
import { computeCost, costBackward, l2Cost, outputDzIsResidual, residual } from './costs';
import { zeros, type Matrix } from '../matrix';
import type { EngineLayer, Network } from './network';
import { batchNormBackward, batchNormForward, type BatchNormCache } from './batchnorm';
import { dropout, dropoutBackward, type UniformFill } from './dropout';
import type { Parameters } from './types';

export { BN_EPSILON, BN_MOMENTUM, type BatchNormCache } from './batchnorm';
export type { UniformFill } from './dropout';
import { createGraphRun, graphRunBackward, graphRunForward, type GraphRun } from './convnet';

/**
 * What layer l remembers from the forward pass for its backward pass: the course's
 * `((A_prev, W, b), Z)` plus A = g(Z) (sigmoid' and tanh' are computed from it) and, with dropout,
 * the mask D and the dropped-out output that the next layer actually sees.
 */
export interface LayerCache {
  /** A[l-1], (n[l-1], m): the input of this layer. */
  Aprev: Matrix;
  W: Matrix;
  b: Matrix;
  /** Z[l] = W[l]·A[l-1] + b[l], (n[l], m). */
  Z: Matrix;
  /** A[l] = g(Z[l]), (n[l], m), before dropout. */
  A: Matrix;
  /** Dropout mask D[l] of 0/1, (n[l], m); only for hidden layers when keepProb < 1. */
  D?: Matrix;
  /** What the next layer reads: A[l], or A[l] * D[l] / keepProb with dropout. */
  out: Matrix;
  /** Batch normalisation's part of the cache, for a layer with batchNorm. */
  bn?: BatchNormCache;
  /**
   * The [Z, cache] and [A, cache] pairs that linearForward and linearActivationForward return,
   * made once with the cache so the course's tuple returns allocate nothing per iteration.
   */
  linearResult: [Matrix, LayerCache];
  activationResult: [Matrix, LayerCache];
}

/** Gradients of layer l, the course's grads["dW" + l] and grads["db" + l]. */
export interface LayerGrads {
  dW: Matrix;
  db: Matrix;
  /** With batch norm: dgamma[l], dbeta[l], (n[l], 1). */
  dgamma?: Matrix;
  dbeta?: Matrix;
}

/** Everything one forward + backward pass over m examples writes, allocated once. */
export interface Workspace {
  m: number;
  caches: LayerCache[];
  /** dA[l] for l = 1..L (index l - 1), (n[l], m); dA[L] is dAL. */
  dA: Matrix[];
  /** dZ[l] for l = 1..L (index l - 1), (n[l], m). */
  dZ: Matrix[];
  grads: LayerGrads[];
  /** W[1..L] (index l - 1), the same matrices as in the parameters. */
  W: Matrix[];
  /** What lModelForward returns, [AL, caches], made once. */
  forwardResult: [Matrix, LayerCache[]];
  /** (n[L], m) scratch for the per-entry losses of computeCost. */
  lossScratch: Matrix;
  /**
   * For a network with conv, pool, flatten or residual layers, everything the pass writes
   * (convnet.ts); `caches` then holds only the output layer's cache, `W` every W (for L2), and
   * dA, dZ and grads are empty (see `gradientsByKey`).
   */
  graph?: GraphRun;
  /** With a graph: the X of the last forward pass, which a chunked backward pass reads again. */
  lastX?: Matrix;
}

export interface PassOptions {
  /** Inverted dropout's keep probability for hidden layers; 1 = no dropout. */
  keepProb: number;
  /** L2 regularisation's lambda; 0 = none. */
  l2: number;
  /** Source of dropout masks (required when keepProb < 1). */
  uniform?: UniformFill;
  /**
   * Batch norm's statistics: 'batch' normalises with this batch's mean and variance (training,
   * gradient check), 'running' with the running averages (prediction). Default 'running'.
   */
  statistics?: 'batch' | 'running';
  /** Update the running averages from this batch (training only). */
  updateRunning?: boolean;
}

/** The W[l] and b[l] matrices of `parameters` in layer order, checked to be present. */
export function layerParameters(net: Network, parameters: Parameters): { W: Matrix[]; b: Matrix[] } {
  const W: Matrix[] = [];
  const b: Matrix[] = [];
  for (let l = 1; l < net.layerDims.length; l++) {
    const Wl = parameters.get(`W${l}`);
    const bl = parameters.get(`b${l}`);
    if (!Wl || !bl) throw new Error(`parameters lack W${l} or b${l}`);
    W.push(Wl);
    b.push(bl);
  }
  return { W, b };
}

/** A cache for a layer with parameters W, b whose activations A are (n[l], m); Z is made like A. */
export function makeLayerCache(W: Matrix, b: Matrix, A: Matrix, alloc: Alloc = zeros): LayerCache {
  const Z = alloc(A.rows, A.cols);
  const cache = { Aprev: zeros(0, 0), W, b, Z, A, out: A } as LayerCache;
  cache.linearResult = [Z, cache];
  cache.activationResult = [A, cache];
  return cache;
}

/** Makes a zero (rows, cols) matrix: `zeros`, or one in the kernels' memory (see train.ts). */
export type Alloc = (rows: number, cols: number) => Matrix;

/**
 * Allocates the caches and gradients for m examples (X is bound at each forward pass), each
 * matrix by `alloc`: training places them in the kernels' memory, so products read and write
 * them there without copies.
 */
export function createWorkspace(net: Network, parameters: Parameters, m: number, withDropout: boolean, alloc: Alloc = zeros): Workspace {
  if (net.graph) {
    const graph = createGraphRun(net, parameters, m, withDropout, alloc);
    // The output layer's cache, as far as the training loop reads it (AL, for its messages).
    const cache = { Aprev: zeros(0, 0), W: graph.outW, b: graph.outB, Z: graph.AL, A: graph.AL, out: graph.AL } as LayerCache;
    cache.linearResult = [graph.AL, cache];
    cache.activationResult = [graph.AL, cache];
    const caches = [cache];
    return { m, caches, dA: [], dZ: [], grads: [], W: graph.W, forwardResult: [graph.AL, caches], lossScratch: alloc(net.layerDims[1], m), graph };
  }
  const { W, b } = layerParameters(net, parameters);
  const L = net.layers.length;
  const caches: LayerCache[] = [];
  const dA: Matrix[] = [];
  const dZ: Matrix[] = [];
  const grads: LayerGrads[] = [];
  for (let l = 1; l <= L; l++) {
    const n = net.layerDims[l];
    const A = alloc(n, m);
    const cache = makeLayerCache(W[l - 1], b[l - 1], A, alloc);
    if (withDropout && l < L) {
      cache.D = alloc(n, m);
      cache.out = alloc(n, m);
    }
    const g: LayerGrads = { dW: alloc(n, net.layerDims[l - 1]), db: alloc(n, 1) };
    if (net.layers[l - 1].batchNorm) {
      const get = (key: string): Matrix => {
        const M = parameters.get(key);
        if (!M) throw new Error(`parameters lack ${key}`);
        return M;
      };
      cache.bn = {
        gamma: get(`gamma${l}`),
        beta: get(`beta${l}`),
        runningMean: get(`runningMean${l}`),
        runningVar: get(`runningVar${l}`),
        Znorm: alloc(n, m),
        Ztilde: alloc(n, m),
        dZtilde: alloc(n, m),
        std: new Float64Array(n),
      };
      g.dgamma = alloc(n, 1);
      g.dbeta = alloc(n, 1);
    }
    caches.push(cache);
    dA.push(alloc(n, m));
    dZ.push(alloc(n, m));
    grads.push(g);
  }
  for (let l = 2; l <= L; l++) caches[l - 1].Aprev = caches[l - 2].out;
  const last = caches[L - 1];
  return { m, caches, dA, dZ, grads, W, lossScratch: alloc(net.layerDims[L], m), forwardResult: [last.out, caches] };
}

/** linear_forward: Z = np.dot(W, A_prev) + b, with b broadcast over the m columns. */
export function linearForward(Aprev: Matrix, W: Matrix, b: Matrix, cache: LayerCache, kernels: Kernels): [Matrix, LayerCache] {
  const Z = cache.Z;
  kernels.matmul(W, Aprev, Z);
  const z = Z.data;
  const m = Z.cols;
  for (let i = 0; i < Z.rows; i++) {
    const bi = b.data[i];
    for (let k = i * m, end = k + m; k < end; k++) z[k] += bi;
  }
  cache.linearResult[0] = Z;
  return cache.linearResult;
}

/**
 * linear_activation_forward: Z = W·A_prev + b, then A = g(Z). The bias and g go in one kernel
 * pass over Z (for small networks these passes are the time). A layer with batch norm is another
 * course function, linearBatchNormActivationForward.
 */
export function linearActivationForward(
  Aprev: Matrix,
  W: Matrix,
  b: Matrix,
  layer: EngineLayer,
  cache: LayerCache,
  kernels: Kernels,
  options?: PassOptions,
): [Matrix, LayerCache] {
  if (cache.bn) return linearBatchNormActivationForward(Aprev, W, b, layer, cache, cache.bn, kernels, options);
  cache.Aprev = Aprev;
  kernels.matmul(W, Aprev, cache.Z);
  kernels.biasActivation(cache.Z, b, cache.A, layer.activation, layer.alpha);
  cache.linearResult[0] = cache.Z;
  cache.activationResult[0] = cache.A;
  return cache.activationResult;
}

/**
 * A layer with batch normalisation (course 2, week 3): Z = W·A_prev + b, Ztilde = batch norm of
 * Z, then A = g(Ztilde) with the course's g (activations.ts).
 */
export function linearBatchNormActivationForward(
  Aprev: Matrix,
  W: Matrix,
  b: Matrix,
  layer: EngineLayer,
  cache: LayerCache,
  bn: BatchNormCache,
  kernels: Kernels,
  options?: PassOptions,
): [Matrix, LayerCache] {
  cache.Aprev = Aprev;
  const [Z] = linearForward(Aprev, W, b, cache, kernels);
  const Ztilde = batchNormForward(Z, bn, options?.statistics ?? 'running', options?.updateRunning ?? false);
  ACTIVATION_FNS[layer.activation].forward(Ztilde, cache.A, layer.alpha);
  cache.activationResult[0] = cache.A;
  return cache.activationResult;
}

/**
 * L_model_forward: [LINEAR -> g] for l = 1..L. With keepProb < 1, each hidden layer's output is
 * dropped out as course 2 does it: D = np.random.rand(*A.shape) < keep_prob; A = A * D;
 * A = A / keep_prob (masks drawn layer by layer, row-major). Returns AL and the caches.
 */
export function lModelForward(
  X: Matrix,
  net: Network,
  ws: Workspace,
  kernels: Kernels,
  options?: PassOptions,
): [Matrix, LayerCache[]] {
  if (ws.graph) {
    ws.lastX = X;
    ws.forwardResult[0] = graphRunForward(X, ws.graph, kernels, options);
    return ws.forwardResult;
  }
  const L = net.layers.length;
  const keepProb = options?.keepProb ?? 1;
  let A = X;
  for (let l = 1; l <= L; l++) {
    const cache = ws.caches[l - 1];
    [A] = linearActivationForward(A, cache.W, cache.b, net.layers[l - 1], cache, kernels, options);
    if (l < L && keepProb < 1) {
      const D = cache.D;
      if (!D || !options?.uniform) throw new Error('dropout needs a workspace built with dropout and a random source');
      A = dropout(cache.A, D, cache.out, keepProb, options.uniform);
    }
  }
  ws.forwardResult[0] = A;
  return ws.forwardResult;
}

/** compute_cost, plus the L2 term (1/m)·(λ/2)·Σ‖W[l]‖² when l2 > 0. */
export function costOf(AL: Matrix, Y: Matrix, net: Network, ws: Workspace, kernels: Kernels, l2 = 0): number {
  const cost = computeCost(AL, Y, net.loss, ws.lossScratch, kernels);
  return l2 === 0 ? cost : cost + l2Cost(ws.W, l2, AL.cols);
}

/**
 * linear_backward: dW = 1/m · dZ·A_prevᵀ, db = 1/m · Σ_columns dZ, dA_prev = Wᵀ·dZ. With L2, dW gets
 * + (λ/m)·W as course 2 writes it. dAprev may be omitted for layer 1 (dA[0] is never used).
 */
export function linearBackward(
  dZ: Matrix,
  cache: LayerCache,
  grads: LayerGrads,
  dAprev: Matrix | undefined,
  kernels: Kernels,
  l2 = 0,
): void {
  const m = cache.Aprev.cols;
  const { dW, db } = grads;
  kernels.matmulTransB(dZ, cache.Aprev, dW);
  const w = cache.W.data;
  const dw = dW.data;
  if (l2 === 0) kernels.scale(dW, 1 / m);
  else for (let i = 0; i < dw.length; i++) dw[i] = (1 / m) * dw[i] + (l2 / m) * w[i];
  for (let i = 0; i < dZ.rows; i++) db.data[i] = (1 / m) * kernels.pairwiseSum(dZ.data, i * dZ.cols, dZ.cols);
  if (dAprev) kernels.matmulTransA(cache.W, dZ, dAprev);
}

/**
 * linear_activation_backward: dZ = dA * g'(Z), then linear_backward. With batch norm the
 * activation's backward gives dZtilde, and batch norm's backward turns it into dZ.
 */
export function linearActivationBackward(
  dA: Matrix,
  cache: LayerCache,
  layer: EngineLayer,
  dZ: Matrix,
  grads: LayerGrads,
  dAprev: Matrix | undefined,
  kernels: Kernels,
  l2 = 0,
): void {
  const bn = cache.bn;
  // With batch norm, g' applies to Ztilde and gives dZtilde, which batch norm's backward turns into dZ.
  kernels.activationBackward(dA, bn ? bn.Ztilde : cache.Z, cache.A, bn ? bn.dZtilde : dZ, layer.activation, layer.alpha);
  if (bn) batchNormBackward(bn, grads.dgamma!, grads.dbeta!, dZ);
  linearBackward(dZ, cache, grads, dAprev, kernels, l2);
}

/**
 * L_model_backward: from the output back to layer 1. The output layer starts from dZ[L] = AL − Y
 * when the activation suits the loss (see costs.ts), otherwise from the course's dAL. With
 * dropout, each hidden dA[l] is multiplied by the same mask and divided by keepProb.
 */
export function lModelBackward(
  AL: Matrix,
  Y: Matrix,
  net: Network,
  ws: Workspace,
  kernels: Kernels,
  options?: PassOptions,
): LayerGrads[] {
  if (ws.graph) {
    graphRunBackward(ws.lastX!, Y, net, ws.graph, kernels, options?.l2 ?? 0, options?.keepProb ?? 1);
    return ws.grads;
  }
  const L = net.layers.length;
  const keepProb = options?.keepProb ?? 1;
  const l2 = options?.l2 ?? 0;
  const out = net.layers[L - 1];
  const outCache = ws.caches[L - 1];
  if (outputDzIsResidual(out.activation, net.loss) && outCache.bn) {
    // dZtilde = AL - Y, then batch norm's backward.
    residual(AL, Y, outCache.bn.dZtilde);
    batchNormBackward(outCache.bn, ws.grads[L - 1].dgamma!, ws.grads[L - 1].dbeta!, ws.dZ[L - 1]);
    linearBackward(ws.dZ[L - 1], outCache, ws.grads[L - 1], dAprevOf(ws, L), kernels, l2);
  } else if (outputDzIsResidual(out.activation, net.loss)) {
    residual(AL, Y, ws.dZ[L - 1]);
    linearBackward(ws.dZ[L - 1], outCache, ws.grads[L - 1], dAprevOf(ws, L), kernels, l2);
  } else {
    costBackward(AL, Y, net.loss, ws.dA[L - 1]);
    linearActivationBackward(ws.dA[L - 1], ws.caches[L - 1], out, ws.dZ[L - 1], ws.grads[L - 1], dAprevOf(ws, L), kernels, l2);
  }
  for (let l = L - 1; l >= 1; l--) {
    const dA = ws.dA[l - 1];
    const D = ws.caches[l - 1].D;
    if (keepProb < 1 && D) dropoutBackward(dA, D, keepProb);
    linearActivationBackward(dA, ws.caches[l - 1], net.layers[l - 1], ws.dZ[l - 1], ws.grads[l - 1], dAprevOf(ws, l), kernels, l2);
  }
  return ws.grads;
}

/** Where linear_backward writes dA[l-1] for layer l; none for layer 1 (dA[0] is never used). */
function dAprevOf(ws: Workspace, l: number): Matrix | undefined {
  return l > 1 ? ws.dA[l - 2] : undefined;
}

/** update_parameters (plain gradient descent): W = W − α·dW, b = b − α·db. */
export function updateParameters(ws: Workspace, learningRate: number): void {
  if (ws.graph) {
    const { params, grads } = ws.graph;
    params.forEach((P, k) => {
      for (let i = 0; i < P.data.length; i++) P.data[i] = P.data[i] - learningRate * grads[k].data[i];
    });
    return;
  }
  for (let l = 0; l < ws.caches.length; l++) {
    const { W, b } = ws.caches[l];
    const { dW, db } = ws.grads[l];
    for (let i = 0; i < W.data.length; i++) W.data[i] = W.data[i] - learningRate * dW.data[i];
    for (let i = 0; i < b.data.length; i++) b.data[i] = b.data[i] - learningRate * db.data[i];
    const bn = ws.caches[l].bn;
    const { dgamma, dbeta } = ws.grads[l];
    if (bn && dgamma && dbeta) {
      for (let i = 0; i < bn.gamma.data.length; i++) bn.gamma.data[i] = bn.gamma.data[i] - learningRate * dgamma.data[i];
      for (let i = 0; i < bn.beta.data.length; i++) bn.beta.data[i] = bn.beta.data[i] - learningRate * dbeta.data[i];
    }
  }
}

/**
 * The trainable parameters and their gradients as two flat lists in the course's order (W1, b1,
 * [gamma1, beta1,] W2, ...), for the optimisers.
 */
export function flatParametersAndGrads(ws: Workspace): { params: Matrix[]; grads: Matrix[] } {
  if (ws.graph) return { params: ws.graph.params, grads: ws.graph.grads };
  const params: Matrix[] = [];
  const grads: Matrix[] = [];
  ws.caches.forEach((c, l) => {
    const g = ws.grads[l];
    params.push(c.W, c.b);
    grads.push(g.dW, g.db);
    if (c.bn && g.dgamma && g.dbeta) {
      params.push(c.bn.gamma, c.bn.beta);
      grads.push(g.dgamma, g.dbeta);
    }
  });
  return { params, grads };
}

/** The last backward pass's gradients by parameter key: "W1" -> dW1, "b1" -> db1, "Ws5" -> dWs5, ... */
export function gradientsByKey(ws: Workspace): Map<string, Matrix> {
  const out = new Map<string, Matrix>();
  if (ws.graph) {
    ws.graph.keys.forEach((key, k) => out.set(key, ws.graph!.grads[k]));
    return out;
  }
  ws.grads.forEach((g, i) => {
    out.set(`W${i + 1}`, g.dW);
    out.set(`b${i + 1}`, g.db);
    if (g.dgamma) out.set(`gamma${i + 1}`, g.dgamma);
    if (g.dbeta) out.set(`beta${i + 1}`, g.dbeta);
  });
  return out;
}
