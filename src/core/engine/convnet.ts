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
 * Nothing is allocated per pass: every buffer lives in a GraphWorkspace made once for a batch size.
 */
import { ACTIVATION_FNS } from '../kernels/activations';
import type { Kernels } from '../kernels/types';
import { zeros, type Matrix } from '../matrix';
import { costBackward, outputDzIsResidual, residual } from './costs';
import { col2im, convBackward, convForward, poolBackward, poolForward, windowLength, type ConvCache } from './conv';
import type { InitScheme } from '../format/types';
import { EngineError, nodeDims, nodeKeys, type ConvGraph, type ConvNode, type DenseNode, type GraphNode, type Network } from './network';
import type { Parameters } from './types';

type Alloc = (rows: number, cols: number) => Matrix;

interface LayerWs<N> {
  node: N;
  /** What this layer read in the last forward pass. */
  input: Matrix;
  A: Matrix;
  /** ∂J/∂input per example, written by the backward pass (absent for the network's first layer). */
  dIn?: Matrix;
}

interface ParamWs<N> extends LayerWs<N> {
  W: Matrix;
  b: Matrix;
  Z: Matrix;
  dZ: Matrix;
  dW: Matrix;
  db: Matrix;
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
}

function param(parameters: Parameters, key: string): Matrix {
  const M = parameters.get(key);
  if (!M) throw new Error(`parameters lack ${key}`);
  return M;
}

/** Allocates the buffers of every layer for m examples (X is bound at each forward pass). */
export function createGraphWorkspace(net: Network, parameters: Parameters, m: number, withDropout: boolean, alloc: Alloc = zeros): GraphWorkspace {
  const graph = net.graph!;
  if (withDropout) {
    throw new EngineError('dropout (keepProb < 1) in a network with conv, pool, flatten or residual layers cannot be trained yet', ['training', 'keepProb']);
  }
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
    const common = {
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
      maxCols = Math.max(maxCols, rows * windowLength(node.g));
      ws = { kind: 'conv', node, ...common, cache: { g: node.g, m, cols: alloc(rows, windowLength(node.g)), W: Wl, columns: first && graph.volumeInput } };
    }
    byKey.set(wKey, ws);
    return ws;
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
          inner.push(w);
          at = w.A;
        }
        const block: ResidualWs = { kind: 'residual', inner, input, A: at, dIn: alloc(input.rows, input.cols) };
        if (node.shortcut) block.shortcut = paramWs(node.shortcut, input, false) as ConvWs;
        ws = block;
        break;
      }
    }
    nodes.push(ws);
    input = ws.A;
  });
  for (const node of graph.parametric) {
    const [wKey, bKey] = nodeKeys(node);
    const ws = byKey.get(wKey)!;
    params.push(ws.W, ws.b);
    grads.push(ws.dW, ws.db);
    W.push(ws.W);
    keys.push(wKey, bKey);
  }
  const output = nodes[nodes.length - 1] as DenseWs;
  return { m, graph, nodes, X0, output, dcols: new Float64Array(maxCols), params, grads, W, keys };
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

/** One conv or dense layer; `add` is the residual term added to Z before the activation. */
function paramForward(ws: DenseWs | ConvWs, input: Matrix, kernels: Kernels, add?: Matrix): void {
  ws.input = input;
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

/** (rows, cols) -> (cols, rows): X's columns into the batch of volumes, flatten and its backward. */
function transpose(src: Matrix, dst: Matrix): void {
  const { rows, cols } = src;
  const s = src.data;
  const d = dst.data;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) d[j * rows + i] = s[i * cols + j];
}

/** L_model_forward for a graph: returns AL, the output layer's (n[L], m) activations. */
export function graphForward(X: Matrix, ws: GraphWorkspace, kernels: Kernels): Matrix {
  let A = X;
  if (ws.X0) {
    transpose(X, ws.X0);
    A = ws.X0;
  }
  for (const node of ws.nodes) {
    switch (node.kind) {
      case 'dense':
      case 'conv':
        paramForward(node, A, kernels);
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
          paramForward(node.shortcut, A, kernels);
          S = node.shortcut.A;
        }
        let at = A;
        node.inner.forEach((inner, k) => {
          paramForward(inner, at, kernels, k === node.inner.length - 1 ? S : undefined);
          at = inner.A;
        });
        break;
      }
    }
    A = node.A;
  }
  return A;
}

/**
 * linear_activation_backward for one conv or dense layer from dA (or, for the output layer, from
 * its dZ already in ws.dZ): dZ = dA * g'(Z), then dW, db (with 1/m and L2) and dA_prev into dIn.
 */
function paramBackward(ws: DenseWs | ConvWs, dA: Matrix | undefined, m: number, dcols: Float64Array, kernels: Kernels, l2: number): void {
  const { node } = ws;
  if (dA) kernels.activationBackward(dA, ws.Z, ws.A, ws.dZ, node.activation, node.alpha);
  if (ws.kind === 'dense') {
    // model.ts's linearBackward, step for step.
    kernels.matmulTransB(ws.dZ, ws.input, ws.dW);
    if (l2 === 0) kernels.scale(ws.dW, 1 / m);
    else addL2(ws.dW, ws.W, m, l2, true);
    const dz = ws.dZ.data;
    for (let i = 0; i < ws.dZ.rows; i++) ws.db.data[i] = (1 / m) * kernels.pairwiseSum(dz, i * ws.dZ.cols, ws.dZ.cols);
    if (ws.dIn) kernels.matmulTransA(ws.W, ws.dZ, ws.dIn);
    return;
  }
  const cols = ws.cache.cols;
  const scratch: Matrix = { rows: cols.rows, cols: cols.cols, data: dcols.subarray(0, cols.rows * cols.cols) };
  convBackward(ws.dZ, ws.cache, ws.dW, ws.db, scratch, undefined, kernels, 1 / m);
  if (l2 !== 0) addL2(ws.dW, ws.W, m, l2, false);
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

/** L_model_backward for a graph: every dW and db (in ws.grads), from AL and the labels Y. */
export function graphBackward(AL: Matrix, Y: Matrix, net: Network, ws: GraphWorkspace, kernels: Kernels, l2: number): void {
  const { m, output } = ws;
  const nodes = ws.nodes;
  // The output layer starts from dZ = AL − Y where activation and cost allow it (costs.ts).
  if (outputDzIsResidual(output.node.activation, net.loss)) {
    residual(AL, Y, output.dZ);
    paramBackward(output, undefined, m, ws.dcols, kernels, l2);
  } else {
    // dAL first, turned into dZ in place by the activation's backward.
    costBackward(AL, Y, net.loss, output.dZ);
    paramBackward(output, output.dZ, m, ws.dcols, kernels, l2);
  }
  if (output.dIn) backwardFrom(ws, nodes.length - 2, output.dIn, kernels, l2);
}

/**
 * The backward pass from layer k (an index into ws.nodes) down to the first, given ∂J/∂A of
 * layer k's output per example; each layer leaves its dA_prev in its `dIn`.
 */
export function backwardFrom(ws: GraphWorkspace, from: number, dAout: Matrix, kernels: Kernels, l2: number): void {
  const { m, nodes } = ws;
  let dA: Matrix | undefined = dAout;
  for (let k = from; k >= 0 && dA; k--) {
    const node = nodes[k];
    switch (node.kind) {
      case 'dense':
      case 'conv':
        paramBackward(node, dA, m, ws.dcols, kernels, l2);
        break;
      case 'pool':
        if (node.dIn) poolBackward(dA.data, node.input.data, node.node.g, m, node.node.mode, node.dIn.data, node.A.data);
        break;
      case 'flatten':
        if (node.dIn) transpose(dA, { rows: m, cols: node.node.units, data: node.dIn.data });
        break;
      case 'residual':
        residualBackward(node, dA, m, ws.dcols, kernels, l2);
        break;
    }
    dA = node.dIn;
  }
}

/**
 * A block's backward: the inner layers from the last to the first, then the sum's second path, the
 * last inner layer's dZ reaching the input straight or through the shortcut.
 */
function residualBackward(block: ResidualWs, dA: Matrix, m: number, dcols: Float64Array, kernels: Kernels, l2: number): void {
  let d = dA;
  for (let k = block.inner.length - 1; k >= 0; k--) {
    paramBackward(block.inner[k], d, m, dcols, kernels, l2);
    d = block.inner[k].dIn!;
  }
  const dZlast = block.inner[block.inner.length - 1].dZ;
  const dIn = block.dIn!;
  dIn.data.set(block.inner[0].dIn!.data);
  if (block.shortcut) {
    paramBackward(block.shortcut, dZlast, m, dcols, kernels, l2);
    addInto(dIn, block.shortcut.dIn!);
  } else addInto(dIn, dZlast);
}

/**
 * Initial parameters of a graph, drawn in document order (parametric: W1, then W2, ..., a block's
 * shortcut after its inner layers) as numpy would: randn(n[l], n[l-1]) for a dense layer,
 * randn(f_H, f_W, n_C[l-1], n_C[l]) row-major for a conv layer, every b zeros. He and Xavier use
 * the fan-in n[l-1], or f_H·f_W·n_C[l-1] for a conv layer.
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
  }
  return parameters;
}
