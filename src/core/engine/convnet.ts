/**
 * Forward and backward propagation through a network with conv, pool, flatten and residual
 * layers (a Network with a `graph`, see network.ts): course 4's layers (conv.ts) chained with
 * course 1's dense layers, and week 2's residual blocks.
 *
 * Layouts: X arrives as the course's (n[0], m) columns, each image flattened row-major over
 * (n_H, n_W, n_C) (numpy's X.reshape(m, -1).T); a first conv or pool layer reads it as the batch
 * (m, n_H, n_W, n_C), transposed once per pass. Volumes are row-major (m, n_H, n_W, n_C), which a
 * conv layer's Z (m·n_H·n_W, n_C) already is. `flatten` turns a volume back into columns, and its
 * backward turns columns into a volume.
 *
 * Scaling: the cost is a mean over the m examples, and as in the dense model (model.ts) every dZ
 * is per example; dW and db take the 1/m (conv_backward's sums times 1/m), and L2 adds (λ/m)·W.
 *
 * A residual block adds its input, or its shortcut's output g_s(W_s ∗ A + b_s), to the last inner
 * layer's Z before that layer's activation. Backward, that Z's gradient dZ reaches the block's
 * input twice: through the inner layers, and straight (or through the shortcut's backward).
 *
 * Batch norm (batchnorm.ts) sits between a layer's Z and its activation: per unit for a dense
 * layer, per channel for a conv layer. In a residual block's last layer it comes before the skip
 * is added: A = g(BN(Z) + skip). Dropout (dropout.ts) masks the A of every conv and dense layer
 * but the output layer (a block's inner layers too; not a pool, a flatten or a shortcut's
 * output), drawing each mask in layer order, and backward multiplies by the same mask.
 * Both need the whole batch in one pass: a batch too large for one pass is refused with them.
 *
 * Nothing is allocated per pass: every buffer lives in a GraphWorkspace made once for a batch size.
 */
import { ACTIVATION_FNS } from '../kernels/activations';
import type { Kernels } from '../kernels/types';
import { zeros, type Matrix } from '../matrix';
import { costBackward, outputDzIsResidual, residual } from './costs';
import { col2im, convBackward, convForward, poolArgmax, poolBackward, poolForward, windowLength, type ConvCache } from './conv';
import type { Activation, InitScheme } from '../format/types';
import { CHUNK_VALUES } from '../shapes/check';
import { batchNormBackward, batchNormForward, channelBatchNormBackward, channelBatchNormForward, type BatchNormCache, type BatchStatistics } from './batchnorm';
import { dropout, dropoutBackward, type UniformFill } from './dropout';
import { EngineError, nodeBatchNormKeys, nodeDims, nodeKeys, type ConvGraph, type ConvNode, type DenseNode, type GraphNode, type Network } from './network';
import type { Parameters } from './types';

type Alloc = (rows: number, cols: number) => Matrix;

interface LayerWs<N> {
  node: N;
  /** What this layer read in the last forward pass. */
  input: Matrix;
  A: Matrix;
  /** ∂J/∂input per example, written by the backward pass (absent for the network's first layer). */
  dIn?: Matrix;
  /** With dropout (every layer but the output): the mask, like A, and what the next layer reads, A * D / keepProb. */
  D?: Matrix;
  out?: Matrix;
}

/** A layer's batch norm: its cache, its gradients and scratch of 2·n values (n units or channels). */
interface BatchNormWs extends BatchNormCache {
  dgamma: Matrix;
  dbeta: Matrix;
  scratch: Float64Array;
}

/** What a layer's successor reads: A, or its dropped-out copy. */
function outOf(ws: { A: Matrix; out?: Matrix }): Matrix {
  return ws.out ?? ws.A;
}

interface ParamWs<N> extends LayerWs<N> {
  W: Matrix;
  b: Matrix;
  Z: Matrix;
  dZ: Matrix;
  dW: Matrix;
  db: Matrix;
  bn?: BatchNormWs;
}

type DenseWs = ParamWs<DenseNode> & { kind: 'dense' };
type ConvWs = ParamWs<ConvNode> & { kind: 'conv'; cache: ConvCache };
type PoolWs = LayerWs<Extract<GraphNode, { kind: 'pool' }>> & { kind: 'pool' };
type FlattenWs = LayerWs<Extract<GraphNode, { kind: 'flatten' }>> & { kind: 'flatten' };
interface ResidualWs {
  kind: 'residual';
  inner: (DenseWs | ConvWs)[];
  shortcut?: ConvWs;
  input: Matrix;
  /** The last inner layer's output as the next layer reads it (dropped out, with dropout). */
  A: Matrix;
  dIn?: Matrix;
}
type NodeWs = DenseWs | ConvWs | PoolWs | FlattenWs | ResidualWs;

/** Everything one forward and backward pass over m examples writes. */
export interface GraphWorkspace {
  m: number;
  graph: ConvGraph;
  nodes: NodeWs[];
  /** X as the batch (m, n_H, n_W, n_C), when the first layer reads a volume. */
  X0?: Matrix;
  /** The output layer (dense): its A is AL. */
  output: DenseWs;
  /** Scratch for dcols = dZ·Wᵀ, as large as the largest conv layer's windows. */
  dcols: Float64Array;
  /** Parameters and their gradients in the order of parameterKeys (the optimisers' order). */
  params: Matrix[];
  grads: Matrix[];
  /** Every W (the L2 term's), shortcuts included. */
  W: Matrix[];
  keys: string[];
  /** Whether a layer has batch norm, or dropout masks its outputs: then the batch must go through in one pass. */
  batchNorm: boolean;
  dropout: boolean;
}

function param(parameters: Parameters, key: string): Matrix {
  const M = parameters.get(key);
  if (!M) throw new Error(`parameters lack ${key}`);
  return M;
}

/** Allocates the buffers of every layer for m examples (X is bound at each forward pass). */
export function createGraphWorkspace(net: Network, parameters: Parameters, m: number, withDropout: boolean, alloc: Alloc = zeros): GraphWorkspace {
  const graph = net.graph!;
  let maxCols = 0;
  const params: Matrix[] = [];
  const grads: Matrix[] = [];
  const W: Matrix[] = [];
  const keys: string[] = [];
  const byKey = new Map<string, ParamWs<DenseNode | ConvNode>>();

  const paramWs = (node: DenseNode | ConvNode, input: Matrix, first: boolean): DenseWs | ConvWs => {
    const [wKey, bKey] = nodeKeys(node);
    const Wl = param(parameters, wKey);
    const bl = param(parameters, bKey);
    const d = nodeDims(node);
    const [outRows, outCols] = node.kind === 'dense' ? [node.units, m] : [m * node.g.h * node.g.w, node.g.c];
    const bnKeys = nodeBatchNormKeys(node);
    let bn: BatchNormWs | undefined;
    if (bnKeys) {
      const n = node.kind === 'dense' ? node.units : node.g.c;
      const [gamma, beta] = bnKeys.trained;
      const [runningMean, runningVar] = bnKeys.state;
      bn = {
        gamma: param(parameters, gamma),
        beta: param(parameters, beta),
        runningMean: param(parameters, runningMean),
        runningVar: param(parameters, runningVar),
        Znorm: alloc(outRows, outCols),
        Ztilde: alloc(outRows, outCols),
        dZtilde: alloc(outRows, outCols),
        std: new Float64Array(n),
        dgamma: alloc(...d.bmatrix),
        dbeta: alloc(...d.bmatrix),
        scratch: new Float64Array(2 * n),
      };
    }
    const common = {
      bn,
      input,
      W: Wl,
      b: bl,
      Z: alloc(outRows, outCols),
      A: alloc(outRows, outCols),
      dZ: alloc(outRows, outCols),
      dW: alloc(...d.Wmatrix),
      db: alloc(...d.bmatrix),
      dIn: first ? undefined : alloc(input.rows, input.cols),
    };
    let ws: DenseWs | ConvWs;
    if (node.kind === 'dense') ws = { kind: 'dense', node, ...common };
    else {
      const rows = m * node.g.h * node.g.w;
      // dcols is needed only where dA_prev is: not for the network's first layer.
      if (!first) maxCols = Math.max(maxCols, rows * windowLength(node.g));
      ws = { kind: 'conv', node, ...common, cache: { g: node.g, m, cols: alloc(rows, windowLength(node.g)), W: Wl, columns: first && graph.volumeInput } };
    }
    byKey.set(wKey, ws);
    return ws;
  };

  const withMask = (ws: LayerWs<unknown>): void => {
    ws.D = alloc(ws.A.rows, ws.A.cols);
    ws.out = alloc(ws.A.rows, ws.A.cols);
  };

  // A first conv layer reads X's columns in place; any other first layer reads the batch as volumes.
  const firstReadsColumns = graph.nodes[0].kind === 'conv';
  const X0 = graph.volumeInput && !firstReadsColumns ? alloc(m, net.layerDims[0]) : undefined;
  // The first layer's input: a stand-in with X's shape and no storage until forward binds the batch.
  let input = X0 ?? { rows: net.layerDims[0], cols: m, data: new Float64Array(0) };
  const nodes: NodeWs[] = [];
  graph.nodes.forEach((node, i) => {
    const first = i === 0;
    let ws: NodeWs;
    switch (node.kind) {
      case 'dense':
      case 'conv':
        ws = paramWs(node, input, first);
        break;
      case 'pool': {
        const rows = m * node.g.h * node.g.w;
        ws = { kind: 'pool', node, input, A: alloc(rows, node.g.c), dIn: first ? undefined : alloc(input.rows, input.cols) };
        break;
      }
      case 'flatten':
        ws = { kind: 'flatten', node, input, A: alloc(node.units, m), dIn: first ? undefined : alloc(input.rows, input.cols) };
        break;
      case 'residual': {
        const inner: (DenseWs | ConvWs)[] = [];
        let at = input;
        for (const sub of node.layers) {
          const w = paramWs(sub, at, false);
          if (withDropout) withMask(w);
          inner.push(w);
          at = outOf(w);
        }
        const block: ResidualWs = { kind: 'residual', inner, input, A: at, dIn: alloc(input.rows, input.cols) };
        if (node.shortcut) block.shortcut = paramWs(node.shortcut, input, false) as ConvWs;
        ws = block;
        break;
      }
    }
    // Every conv and dense layer's output but the output layer's is dropped out (a block's inner
    // layers already are). A pool or a flatten only moves what its input layer already dropped.
    if (withDropout && (ws.kind === 'dense' || ws.kind === 'conv') && i < graph.nodes.length - 1) withMask(ws);
    nodes.push(ws);
    input = outOf(ws);
  });
  for (const node of graph.parametric) {
    const [wKey, bKey] = nodeKeys(node);
    const ws = byKey.get(wKey)!;
    params.push(ws.W, ws.b);
    grads.push(ws.dW, ws.db);
    W.push(ws.W);
    keys.push(wKey, bKey);
    const bnKeys = nodeBatchNormKeys(node);
    if (bnKeys && ws.bn) {
      params.push(ws.bn.gamma, ws.bn.beta);
      grads.push(ws.bn.dgamma, ws.bn.dbeta);
      keys.push(...bnKeys.trained);
    }
  }
  const output = nodes[nodes.length - 1] as DenseWs;
  const batchNorm = graph.parametric.some((n) => n.batchNorm);
  return { m, graph, nodes, X0, output, dcols: new Float64Array(maxCols), params, grads, W, keys, batchNorm, dropout: withDropout };
}

/**
 * Values one example takes in a GraphWorkspace (windows, Z, A, dZ and dA_prev of each layer), to
 * size the chunks a large batch is split into.
 */
export function valuesPerExample(graph: ConvGraph): number {
  let total = 0;
  const one = (node: GraphNode): void => {
    // Batch norm keeps Znorm, Ztilde and dZtilde, each like Z.
    if (node.kind === 'conv') total += node.g.h * node.g.w * (2 * windowLength(node.g) + (node.batchNorm ? 7 : 4) * node.g.c) + node.g.hPrev * node.g.wPrev * node.g.cPrev;
    else if (node.kind === 'dense') total += (node.batchNorm ? 7 : 4) * node.units + node.nPrev;
    else if (node.kind === 'pool') total += node.g.h * node.g.w * node.g.c + node.g.hPrev * node.g.wPrev * node.g.cPrev;
    else if (node.kind === 'flatten') total += 2 * node.units;
    else {
      node.layers.forEach(one);
      if (node.shortcut) one(node.shortcut);
    }
  };
  graph.nodes.forEach(one);
  return total;
}

/**
 * At most CHUNK_VALUES values (512 MiB) in one pass's buffers: a larger batch (the whole training
 * set when accuracy is measured, or a full-batch run) goes through in chunks of examples, so
 * im2col's windows never need gigabytes. The checker's memory budget counts with the same figure.
 */
export { CHUNK_VALUES };

/**
 * A forward and backward pass over m examples: one GraphWorkspace when they fit CHUNK_VALUES, else
 * chunks of them, each forward into its columns of AL and each backward added into `grads` (the
 * cost averages over all m; L2 is added once). The chunks give the same numbers up to the order of
 * the sums.
 */
export interface GraphRun {
  m: number;
  /** The workspace of a batch that fits. */
  whole?: GraphWorkspace;
  /** Chunk workspaces by size (the chunk size, and the last, smaller one), with their X and Y. */
  chunks?: { size: number; ws: Map<number, GraphWorkspace>; X: Map<number, Matrix>; Y: Map<number, Matrix> };
  /** AL, (n[L], m). */
  AL: Matrix;
  /** The output layer's W and b. */
  outW: Matrix;
  outB: Matrix;
  params: Matrix[];
  grads: Matrix[];
  W: Matrix[];
  keys: string[];
}

export function createGraphRun(net: Network, parameters: Parameters, m: number, withDropout: boolean, alloc: Alloc = zeros, budget = CHUNK_VALUES): GraphRun {
  const graph = net.graph!;
  const size = Math.max(1, Math.floor(budget / valuesPerExample(graph)));
  if (m <= size) {
    const ws = createGraphWorkspace(net, parameters, m, withDropout, alloc);
    const { output } = ws;
    return { m, whole: ws, AL: output.A, outW: output.W, outB: output.b, params: ws.params, grads: ws.grads, W: ws.W, keys: ws.keys };
  }
  const wsBySize = new Map<number, GraphWorkspace>();
  const X = new Map<number, Matrix>();
  const Y = new Map<number, Matrix>();
  if (withDropout) {
    throw new EngineError(
      `dropout needs the whole batch in one pass, and a batch of ${m} examples is too large for one (at most ${size} with this network): set training.batchSize to ${size} or less`,
      ['training', 'batchSize'],
    );
  }
  for (const s of [size, m % size].filter((s) => s > 0)) {
    wsBySize.set(s, createGraphWorkspace(net, parameters, s, withDropout, alloc));
    X.set(s, alloc(net.layerDims[0], s));
    Y.set(s, alloc(net.layerDims[1], s));
  }
  const first = wsBySize.get(size)!;
  return {
    m,
    chunks: { size, ws: wsBySize, X, Y },
    AL: alloc(net.layerDims[1], m),
    outW: first.output.W,
    outB: first.output.b,
    params: first.params,
    grads: first.grads.map((G) => alloc(G.rows, G.cols)),
    W: first.W,
    keys: first.keys,
  };
}

/** dst = src[:, start : start + dst.cols]. */
function columnsOf(src: Matrix, start: number, dst: Matrix): void {
  const s = dst.cols;
  for (let r = 0; r < src.rows; r++) dst.data.set(src.data.subarray(r * src.cols + start, r * src.cols + start + s), r * s);
}

/**
 * How a forward pass runs (model.ts's PassOptions fit it): batch norm's statistics, 'batch' in
 * training and the gradient check, 'running' (the default) in prediction; whether training updates
 * the running averages; dropout's keep probability and the uniform numbers its masks come from.
 */
export interface GraphPassOptions {
  statistics?: BatchStatistics;
  updateRunning?: boolean;
  keepProb?: number;
  uniform?: UniformFill;
}

/** Runs the forward pass of the chunk starting at example `start`; returns its workspace. */
function chunkForward(run: GraphRun, X: Matrix, start: number, kernels: Kernels): GraphWorkspace {
  const c = run.chunks!;
  const s = Math.min(c.size, run.m - start);
  const Xc = c.X.get(s)!;
  columnsOf(X, start, Xc);
  const ws = c.ws.get(s)!;
  graphForward(Xc, ws, kernels);
  return ws;
}

/**
 * Batch statistics and dropout masks span the whole batch: a batch that goes through in chunks
 * cannot have them. Says what batch size fits.
 */
function refuseChunks(run: GraphRun, what: string): never {
  throw new EngineError(
    `${what} needs the whole batch in one pass, and a batch of ${run.m} examples is too large for one (at most ${run.chunks!.size} with this network): set training.batchSize to ${run.chunks!.size} or less`,
    ['training', 'batchSize'],
  );
}

/** L_model_forward over the run's m examples: AL (n[L], m). */
export function graphRunForward(X: Matrix, run: GraphRun, kernels: Kernels, options?: GraphPassOptions): Matrix {
  if (run.whole) return graphForward(X, run.whole, kernels, options);
  const first = run.chunks!.ws.values().next().value!;
  if (first.batchNorm && options?.statistics === 'batch') refuseChunks(run, 'batch normalisation with batch statistics');
  if ((options?.keepProb ?? 1) < 1) refuseChunks(run, 'dropout');
  const AL = run.AL;
  for (let start = 0; start < run.m; start += run.chunks!.size) {
    const ws = chunkForward(run, X, start, kernels);
    const A = ws.output.A;
    for (let r = 0; r < A.rows; r++) AL.data.set(A.data.subarray(r * A.cols, (r + 1) * A.cols), r * run.m + start);
  }
  return AL;
}

/**
 * L_model_backward over the run's m examples (after graphRunForward on the same X): chunk by
 * chunk, the forward pass again, then its backward with the cost's 1/m, summed into `grads`.
 */
export function graphRunBackward(X: Matrix, Y: Matrix, net: Network, run: GraphRun, kernels: Kernels, l2: number, keepProb = 1): void {
  if (run.whole) {
    graphBackward(run.AL, Y, net, run.whole, kernels, l2, run.m, keepProb);
    return;
  }
  const c = run.chunks!;
  for (const G of run.grads) G.data.fill(0);
  for (let start = 0; start < run.m; start += c.size) {
    const ws = chunkForward(run, X, start, kernels);
    const Yc = c.Y.get(ws.m)!;
    columnsOf(Y, start, Yc);
    graphBackward(ws.output.A, Yc, net, ws, kernels, 0, run.m);
    ws.grads.forEach((G, k) => {
      const into = run.grads[k].data;
      for (let i = 0; i < into.length; i++) into[i] += G.data[i];
    });
  }
  if (l2 !== 0) {
    run.keys.forEach((key, k) => {
      if (key[0] !== 'W') return;
      const dw = run.grads[k].data;
      const w = run.params[k].data;
      for (let i = 0; i < dw.length; i++) dw[i] = dw[i] + (l2 / run.m) * w[i];
    });
  }
}

/** A = g(Z) entrywise (no softmax here: it normalises columns, and only dense layers may use it). */
function activate(ws: ParamWs<DenseNode | ConvNode>): void {
  ACTIVATION_FNS[ws.node.activation].forward(ws.Z, ws.A, ws.node.alpha);
}

/** Z += S entrywise: the residual sum (S has Z's layout: columns, or a volume). */
function addInto(Z: Matrix, S: Matrix): void {
  const z = Z.data;
  const s = S.data;
  for (let k = 0; k < z.length; k++) z[k] += s[k];
}

/**
 * One conv or dense layer; `add` is the residual term added before the activation: to Z, or with
 * batch norm to Ztilde.
 */
function paramForward(ws: DenseWs | ConvWs, input: Matrix, kernels: Kernels, options: GraphPassOptions | undefined, add?: Matrix): void {
  ws.input = input;
  const bn = ws.bn;
  if (bn) {
    const statistics = options?.statistics ?? 'running';
    const update = options?.updateRunning ?? false;
    if (ws.kind === 'dense') {
      // model.ts's linearForward, then batch norm per unit.
      kernels.matmul(ws.W, input, ws.Z);
      const z = ws.Z.data;
      const m = ws.Z.cols;
      for (let i = 0; i < ws.Z.rows; i++) {
        const bi = ws.b.data[i];
        for (let k = i * m, end = k + m; k < end; k++) z[k] += bi;
      }
      batchNormForward(ws.Z, bn, statistics, update);
    } else {
      convForward(input.data, ws.W, ws.b, ws.cache, ws.Z, kernels);
      channelBatchNormForward(ws.Z, bn, bn.scratch, statistics, update);
    }
    if (add) addInto(bn.Ztilde, add);
    ACTIVATION_FNS[ws.node.activation].forward(bn.Ztilde, ws.A, ws.node.alpha);
    return;
  }
  if (ws.kind === 'dense') {
    kernels.matmul(ws.W, input, ws.Z);
    if (add) addInto(ws.Z, add);
    kernels.biasActivation(ws.Z, ws.b, ws.A, ws.node.activation, ws.node.alpha);
    return;
  }
  convForward(input.data, ws.W, ws.b, ws.cache, ws.Z, kernels);
  if (add) addInto(ws.Z, add);
  activate(ws);
}

/** Drops out a layer's A into its `out` when it has a mask and this pass has dropout. */
function maybeDropout(ws: LayerWs<unknown>, options: GraphPassOptions | undefined): void {
  const keepProb = options?.keepProb ?? 1;
  if (keepProb >= 1 || !ws.D || !ws.out) {
    if (ws.out) ws.out.data.set(ws.A.data);
    return;
  }
  if (!options?.uniform) throw new Error('dropout needs a random source');
  dropout(ws.A, ws.D, ws.out, keepProb, options.uniform);
}

/** (rows, cols) -> (cols, rows): X's columns into the batch of volumes, flatten and its backward. */
function transpose(src: Matrix, dst: Matrix): void {
  const { rows, cols } = src;
  const s = src.data;
  const d = dst.data;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) d[j * rows + i] = s[i * cols + j];
}

/** L_model_forward for a graph: returns AL, the output layer's (n[L], m) activations. */
export function graphForward(X: Matrix, ws: GraphWorkspace, kernels: Kernels, options?: GraphPassOptions): Matrix {
  let A = X;
  if (ws.X0) {
    transpose(X, ws.X0);
    A = ws.X0;
  }
  for (const node of ws.nodes) {
    switch (node.kind) {
      case 'dense':
      case 'conv':
        paramForward(node, A, kernels, options);
        break;
      case 'pool':
        node.input = A;
        poolForward(A.data, node.node.g, ws.m, node.node.mode, node.A.data);
        break;
      case 'flatten':
        node.input = A;
        transpose({ rows: ws.m, cols: node.node.units, data: A.data }, node.A);
        break;
      case 'residual': {
        node.input = A;
        let S = A;
        if (node.shortcut) {
          paramForward(node.shortcut, A, kernels, options);
          S = node.shortcut.A;
        }
        let at = A;
        node.inner.forEach((inner, k) => {
          paramForward(inner, at, kernels, options, k === node.inner.length - 1 ? S : undefined);
          maybeDropout(inner, options);
          at = outOf(inner);
        });
        break;
      }
    }
    if (node.kind !== 'residual') maybeDropout(node, options);
    A = outOf(node);
  }
  return ws.output.A;
}

/**
 * linear_activation_backward for one conv or dense layer from dA (or, for the output layer, from
 * its dZ already in ws.dZ): dZ = dA * g'(Z), then dW, db (with 1/m and L2) and dA_prev into dIn.
 */
function paramBackward(ws: DenseWs | ConvWs, dA: Matrix | undefined, pass: BackwardPass): void {
  const { m, total, dcols, kernels, l2 } = pass;
  const { node, bn } = ws;
  if (bn) {
    // g' at Ztilde gives dZtilde (or the output layer's dZtilde is already there), then batch norm's backward gives dZ.
    if (dA) kernels.activationBackward(dA, bn.Ztilde, ws.A, bn.dZtilde, node.activation, node.alpha);
    if (ws.kind === 'dense') batchNormBackward(bn, bn.dgamma, bn.dbeta, ws.dZ);
    else channelBatchNormBackward(bn, bn.dgamma, bn.dbeta, ws.dZ, total, bn.scratch);
  } else if (dA) kernels.activationBackward(dA, ws.Z, ws.A, ws.dZ, node.activation, node.alpha);
  if (ws.kind === 'dense') {
    // model.ts's linearBackward, step for step.
    kernels.matmulTransB(ws.dZ, ws.input, ws.dW);
    if (l2 === 0) kernels.scale(ws.dW, 1 / total);
    else addL2(ws.dW, ws.W, total, l2, true);
    const dz = ws.dZ.data;
    for (let i = 0; i < ws.dZ.rows; i++) ws.db.data[i] = (1 / total) * kernels.pairwiseSum(dz, i * ws.dZ.cols, ws.dZ.cols);
    if (ws.dIn) kernels.matmulTransA(ws.W, ws.dZ, ws.dIn);
    return;
  }
  const cols = ws.cache.cols;
  const scratch: Matrix = { rows: cols.rows, cols: cols.cols, data: dcols.subarray(0, cols.rows * cols.cols) };
  convBackward(ws.dZ, ws.cache, ws.dW, ws.db, scratch, undefined, kernels, 1 / total);
  if (l2 !== 0) addL2(ws.dW, ws.W, total, l2, false);
  if (ws.dIn) {
    kernels.matmulTransB(ws.dZ, ws.W, scratch);
    col2im(scratch.data, ws.node.g, m, ws.dIn.data);
  }
}

/** dW = (1/m)·dW + (λ/m)·W (or dW + (λ/m)·W when the 1/m is already in). */
function addL2(dW: Matrix, W: Matrix, m: number, l2: number, scale: boolean): void {
  const dw = dW.data;
  const w = W.data;
  if (scale) for (let i = 0; i < dw.length; i++) dw[i] = (1 / m) * dw[i] + (l2 / m) * w[i];
  else for (let i = 0; i < dw.length; i++) dw[i] = dw[i] + (l2 / m) * w[i];
}

/**
 * What the backward functions share: the examples of this pass (m), the number the cost averages
 * over (total: m, or the whole batch when it is processed in chunks), scratch, kernels and L2.
 */
interface BackwardPass {
  m: number;
  total: number;
  dcols: Float64Array;
  kernels: Kernels;
  l2: number;
  /** Dropout's keep probability: each masked layer's dA is multiplied by its mask / keepProb. */
  keepProb: number;
}

/**
 * L_model_backward for a graph: every dW and db (in ws.grads), from AL and the labels Y. `total`
 * is the number of examples the cost averages over (ws.m unless this is one chunk of a batch).
 */
export function graphBackward(AL: Matrix, Y: Matrix, net: Network, ws: GraphWorkspace, kernels: Kernels, l2: number, total = ws.m, keepProb = 1): void {
  const { m, output } = ws;
  const nodes = ws.nodes;
  const pass: BackwardPass = { m, total, dcols: ws.dcols, kernels, l2, keepProb };
  // The output layer starts from dZ = AL − Y (dZtilde with batch norm) where activation and cost allow it (costs.ts).
  if (outputDzIsResidual(output.node.activation, net.loss)) {
    residual(AL, Y, output.bn ? output.bn.dZtilde : output.dZ);
    paramBackward(output, undefined, pass);
  } else {
    // dAL first, turned into dZ in place by the activation's backward.
    costBackward(AL, Y, net.loss, output.dZ);
    paramBackward(output, output.dZ, pass);
  }
  if (output.dIn) backwardFrom(ws, nodes.length - 2, output.dIn, kernels, l2, total, keepProb);
}

/**
 * The backward pass from layer k (an index into ws.nodes) down to the first, given ∂J/∂A of
 * layer k's output per example; each layer leaves its dA_prev in its `dIn`.
 */
export function backwardFrom(ws: GraphWorkspace, from: number, dAout: Matrix, kernels: Kernels, l2: number, total = ws.m, keepProb = 1): void {
  const { m, nodes } = ws;
  const pass: BackwardPass = { m, total, dcols: ws.dcols, kernels, l2, keepProb };
  let dA: Matrix | undefined = dAout;
  for (let k = from; k >= 0 && dA; k--) {
    const node = nodes[k];
    if (node.kind !== 'residual' && node.D && keepProb < 1) dropoutBackward(dA, node.D, keepProb);
    switch (node.kind) {
      case 'dense':
      case 'conv':
        paramBackward(node, dA, pass);
        break;
      case 'pool':
        if (node.dIn) poolBackward(dA.data, node.input.data, node.node.g, m, node.node.mode, node.dIn.data, node.A.data);
        break;
      case 'flatten':
        if (node.dIn) transpose(dA, { rows: m, cols: node.node.units, data: node.dIn.data });
        break;
      case 'residual':
        residualBackward(node, dA, pass);
        break;
    }
    dA = node.dIn;
  }
}

/**
 * A block's backward: the inner layers from the last to the first, then the sum's second path, the
 * last inner layer's dZ reaching the input straight or through the shortcut.
 */
function residualBackward(block: ResidualWs, dA: Matrix, pass: BackwardPass): void {
  let d = dA;
  for (let k = block.inner.length - 1; k >= 0; k--) {
    const inner = block.inner[k];
    if (inner.D && pass.keepProb < 1) dropoutBackward(d, inner.D, pass.keepProb);
    paramBackward(inner, d, pass);
    d = inner.dIn!;
  }
  // The gradient at the sum: dZ of the last layer, or its dZtilde when batch norm comes before the sum.
  const last = block.inner[block.inner.length - 1];
  const dZlast = last.bn ? last.bn.dZtilde : last.dZ;
  const dIn = block.dIn!;
  dIn.data.set(block.inner[0].dIn!.data);
  if (block.shortcut) {
    paramBackward(block.shortcut, dZlast, pass);
    addInto(dIn, block.shortcut.dIn!);
  } else addInto(dIn, dZlast);
}

/**
 * Initial parameters of a graph, drawn in document order (parametric: W1, then W2, ..., a block's
 * shortcut after its inner layers) as numpy would: randn(n[l], n[l-1]) for a dense layer,
 * randn(f_H, f_W, n_C[l-1], n_C[l]) row-major for a conv layer, every b zeros. He and Xavier use
 * the fan-in n[l-1], or f_H·f_W·n_C[l-1] for a conv layer. A batch-normalised layer's gamma, beta
 * and running averages follow its b, shaped like it.
 */
export function initializeGraph(graph: ConvGraph, scheme: InitScheme, scale: number, randn: (out: Float64Array) => void): Parameters {
  const parameters: Parameters = new Map();
  for (const node of graph.parametric) {
    const d = nodeDims(node);
    const [wKey, bKey] = nodeKeys(node);
    const W = zeros(...d.Wmatrix);
    const fanIn = node.kind === 'dense' ? node.nPrev : windowLength(node.g);
    if (scheme !== 'zeros') {
      const w = W.data;
      randn(w);
      if (scheme === 'random') for (let i = 0; i < w.length; i++) w[i] = w[i] * scale;
      else if (scheme === 'xavier') {
        const root = Math.sqrt(fanIn);
        for (let i = 0; i < w.length; i++) w[i] = w[i] / root;
      } else {
        const gain = Math.sqrt(2 / fanIn);
        for (let i = 0; i < w.length; i++) w[i] = w[i] * gain;
      }
    }
    W.dims = d.W;
    const b = zeros(...d.bmatrix);
    b.dims = d.b;
    parameters.set(wKey, W);
    parameters.set(bKey, b);
    // Batch norm draws nothing: gamma = 1, beta = 0, running mean 0, running variance 1, shaped like b.
    const bn = nodeBatchNormKeys(node);
    if (bn) {
      const [gamma, beta] = bn.trained;
      const [runningMean, runningVar] = bn.state;
      for (const [key, value] of [[gamma, 1], [beta, 0], [runningMean, 0], [runningVar, 1]] as const) {
        const M = zeros(...d.bmatrix);
        M.data.fill(value);
        M.dims = d.b;
        parameters.set(key, M);
      }
    }
  }
  return parameters;
}

/** Something a forward pass can move across a kink, read as a signature after each pass. */
export interface KinkProbe {
  l: number;
  kind: 'activation' | 'pool';
  /** How the gradient check names it: "Z[2] (relu)", "max pool 3". */
  what: string;
  signature(): Float64Array;
  /** Whether the passes that gave `a` and `b` lie on two sides of a kink. */
  crosses(a: Float64Array, b: Float64Array): boolean;
}

/** A layer's pre-activation Z: which side of g's kink each entry is on (-1, 0 on it, 1). */
export function activationProbe(l: number, activation: Activation, Z: Matrix, side: (z: number) => number): KinkProbe {
  return {
    l,
    kind: 'activation',
    what: `Z[${l}] (${activation})`,
    signature: () => Float64Array.from(Z.data, side),
    crosses: (a, b) => {
      for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return true;
      return false;
    },
  };
}

/**
 * What the gradient check watches for kinks in a conv network's last forward pass: each layer
 * whose activation has one (`sideOf`: which side of it each entry of Z is on) and each max-pool
 * layer (which entry is each window's maximum). A signature is read after a forward pass; two that
 * differ mean the pass crossed a kink between them. Empty when the batch ran in chunks.
 */
export function kinkProbes(run: GraphRun, sideOf: (a: Activation) => ((z: number) => number) | undefined): KinkProbe[] {
  const ws = run.whole;
  if (!ws) return [];
  const out: KinkProbe[] = [];
  const visit = (n: NodeWs): void => {
    if (n.kind === 'residual') {
      n.inner.forEach(visit);
      if (n.shortcut) visit(n.shortcut);
    } else if (n.kind === 'dense' || n.kind === 'conv') {
      const side = sideOf(n.node.activation);
      // With batch norm the activation reads Ztilde: its kink is there.
      if (side) out.push(activationProbe(n.node.l, n.node.activation, n.bn ? n.bn.Ztilde : n.Z, side));
    } else if (n.kind === 'pool' && n.node.mode === 'max') {
      const node = n.node;
      out.push({
        l: node.l,
        kind: 'pool',
        what: `max pool ${node.l}`,
        signature: () => {
          const s = new Float64Array(2 * ws.m * node.g.h * node.g.w * node.g.c);
          poolArgmax(n.input.data, node.g, ws.m, s);
          return s;
        },
        // A maximum that changed hands, or a tie (-1) whose value the parameter moves: a tie it
        // does not move (a layer after it, or dead relus' zeros) has the same gradient both ways.
        crosses: (a, b) => {
          for (let k = 0; k < a.length; k += 2) if (a[k] !== b[k] || (a[k] < 0 && a[k + 1] !== b[k + 1])) return true;
          return false;
        },
      });
    }
  };
  ws.nodes.forEach(visit);
  visit(ws.output);
  return out;
}
