/**
 * The network as the engine sees it: layer sizes n[0..L], each layer's activation, the loss. Built
 * from a checked Spec; anything the engine cannot train yet is refused here with the layer's JSON
 * path, so the CLI and the editor can point at it.
 *
 * A network of dense layers only is the course's L-layer model (model.ts). One with conv, pool,
 * flatten or residual layers also has a `graph` (convnet.ts runs it): its layers in document
 * order, numbered by the shapes table's l, each conv and dense layer with W<l> and b<l>, a
 * residual block's shortcut with Ws<l> and bs<l> (l = the block's last layer); batch norm adds
 * gamma<l>, beta<l>, runningMean<l>, runningVar<l> (gammas<l>, ... on a shortcut), shaped like b.
 */
import type { JsonPath } from '../problems';
import type { Activation, ConvLayerSpec, DenseLayerSpec, LayerSpec, Loss, PoolMode, Spec } from '../format/types';
import { geometryOf, windowLength, type Geometry } from './conv';

export interface EngineLayer {
  units: number;
  activation: Activation;
  /** leaky-relu's slope for z <= 0. */
  alpha: number;
  /** Batch normalisation of Z before the activation (course 2, week 3): adds gamma[l], beta[l]. */
  batchNorm: boolean;
}

export interface Network {
  /**
   * [n[0], n[1], ..., n[L]], the course's `layer_dims`. With a `graph`: [n[0], n[L]], the input's
   * and the output layer's sizes (what data checks and prediction need).
   */
  layerDims: number[];
  /** layers[l - 1] is layer l. With a `graph`: the output layer only. */
  layers: EngineLayer[];
  loss: Loss;
  /** Every layer, for a network with conv, pool, flatten or residual layers. */
  graph?: ConvGraph;
}

/** A dense layer of a graph: Z = W·A_prev + b over columns, W (n[l], n[l-1]). */
export interface DenseNode extends EngineLayer {
  kind: 'dense';
  l: number;
  /** "1", "2", ...: W<key>, b<key>. */
  key: string;
  nPrev: number;
  path: JsonPath;
}

/** A conv layer: W is (f_H, f_W, n_C[l-1], n_C[l]), kept as the matrix (f_H·f_W·n_C[l-1], n_C[l]). */
export interface ConvNode extends EngineLayer {
  kind: 'conv';
  l: number;
  /** "3" for W3, b3; "s5" for a shortcut's Ws5, bs5. */
  key: string;
  g: Geometry;
  path: JsonPath;
}

export interface PoolNode {
  kind: 'pool';
  l: number;
  mode: PoolMode;
  g: Geometry;
}

/** (m, n_H, n_W, n_C) -> (n_H·n_W·n_C, m). */
export interface FlattenNode {
  kind: 'flatten';
  l: number;
  units: number;
}

/** The input (or the shortcut's output) is added to the last inner layer's Z before its activation. */
export interface ResidualNode {
  kind: 'residual';
  l: number;
  layers: (DenseNode | ConvNode)[];
  shortcut?: ConvNode;
}

export type GraphNode = DenseNode | ConvNode | PoolNode | FlattenNode | ResidualNode;

export interface ConvGraph {
  /** Whether X's columns are images (n_H, n_W, n_C) that the first layer reads as a volume. */
  volumeInput: boolean;
  nodes: GraphNode[];
  /** The conv and dense layers (shortcuts included) in the order of their keys: init draws in it. */
  parametric: (DenseNode | ConvNode)[];
}

/** A layer's flow: a column of n values, or an h × w × c volume. */
type Flow = { n: number; volume?: { h: number; w: number; c: number } };

/** Builds the graph of a spec with a non-dense layer, refusing what the engine cannot train. */
function graphOf(spec: Spec): ConvGraph {
  const parametric: (DenseNode | ConvNode)[] = [];
  let l = 0;
  const shape = spec.inputShape;
  const volumeInput = shape.length === 3 && spec.layers[0]?.type !== 'dense';
  const start: Flow = volumeInput ? { n: spec.inputUnits, volume: { h: shape[0], w: shape[1], c: shape[2] } } : { n: spec.inputUnits };

  const conv = (layer: ConvLayerSpec, prev: Flow, key: string, at: number): [ConvNode, Flow] => {
    if (!prev.volume) throw new EngineError(`layer ${at} is a conv layer but its input is not a volume`, layer.path);
    if (layer.activation === 'softmax') throw new EngineError('softmax normalises columns: a conv layer cannot use it', [...layer.path, 'activation']);
    const g = geometryOf(prev.volume, layer.size, layer.stride, layer.padding, layer.filters);
    const node: ConvNode = { kind: 'conv', l: at, key, g, activation: layer.activation, alpha: layer.alpha, batchNorm: layer.batchNorm, units: g.h * g.w * g.c, path: layer.path };
    parametric.push(node);
    return [node, { n: g.h * g.w * g.c, volume: { h: g.h, w: g.w, c: g.c } }];
  };
  const dense = (layer: DenseLayerSpec, prev: Flow): [DenseNode, Flow] => {
    if (prev.volume) throw new EngineError(`layer ${l} is dense but its input is a volume: insert { "type": "flatten" } before it`, layer.path);
    const node: DenseNode = { kind: 'dense', l, key: String(l), nPrev: prev.n, units: layer.units, activation: layer.activation, alpha: layer.alpha, batchNorm: layer.batchNorm, path: layer.path };
    parametric.push(node);
    return [node, { n: layer.units }];
  };
  const one = (layer: LayerSpec, prev: Flow): [GraphNode, Flow] => {
    switch (layer.type) {
      case 'dense':
        l++;
        return dense(layer, prev);
      case 'conv':
        l++;
        return conv(layer, prev, String(l), l);
      case 'pool': {
        l++;
        if (!prev.volume) throw new EngineError(`layer ${l} is a pool layer but its input is not a volume`, layer.path);
        const g = geometryOf(prev.volume, layer.size, layer.stride, layer.padding);
        return [{ kind: 'pool', l, mode: layer.mode, g }, { n: g.h * g.w * g.c, volume: { h: g.h, w: g.w, c: g.c } }];
      }
      case 'flatten':
        l++;
        return [{ kind: 'flatten', l, units: prev.n }, { n: prev.n }];
      case 'residual': {
        const inner: (DenseNode | ConvNode)[] = [];
        let flow = prev;
        for (const sub of layer.layers) {
          l++;
          const [node, out] = sub.type === 'conv' ? conv(sub, flow, String(l), l) : dense(sub, flow);
          inner.push(node);
          flow = out;
        }
        const block: ResidualNode = { kind: 'residual', l, layers: inner };
        let added = prev;
        if (layer.shortcut) [block.shortcut, added] = conv(layer.shortcut, prev, `s${l}`, l);
        if (added.n !== flow.n || JSON.stringify(added.volume) !== JSON.stringify(flow.volume)) {
          throw new EngineError(`the residual block's sum needs equal shapes (${added.n} and ${flow.n} values per example)`, layer.path);
        }
        return [block, flow];
      }
    }
  };

  const nodes: GraphNode[] = [];
  let flow = start;
  for (const layer of spec.layers) {
    const [node, out] = one(layer, flow);
    nodes.push(node);
    flow = out;
  }
  return { volumeInput, nodes, parametric };
}

/** The keys of a conv or dense layer's weights and bias: ["W3", "b3"], or ["Ws5", "bs5"] for a shortcut. */
export function nodeKeys(node: DenseNode | ConvNode): [string, string] {
  return node.key[0] === 's' ? [`Ws${node.key.slice(1)}`, `bs${node.key.slice(1)}`] : [`W${node.key}`, `b${node.key}`];
}

/**
 * The keys of a batch-normalised conv or dense layer's batch norm: the trained gamma and beta, then
 * the running averages (["gamma3", "beta3", "runningMean3", "runningVar3"], or "gammas5", ... for
 * a shortcut); none without batch norm.
 */
export function nodeBatchNormKeys(node: DenseNode | ConvNode): { trained: [string, string]; state: [string, string] } | undefined {
  if (!node.batchNorm) return undefined;
  const k = node.key;
  return { trained: [`gamma${k}`, `beta${k}`], state: [`runningMean${k}`, `runningVar${k}`] };
}

/** Every key of a conv or dense layer: W, b, and with batch norm gamma, beta and the running averages. */
function nodeAllKeys(node: DenseNode | ConvNode): string[] {
  const bn = nodeBatchNormKeys(node);
  return bn ? [...nodeKeys(node), ...bn.trained, ...bn.state] : nodeKeys(node);
}

/** Whether any layer of the network, dense or conv, has batch norm. */
export function hasBatchNorm(net: Network): boolean {
  return net.graph ? net.graph.parametric.some((n) => n.batchNorm) : net.layers.some((l) => l.batchNorm);
}

/**
 * The logical shape of a graph's parameter, as the parameters file writes it: W (n[l], n[l-1]) and
 * b (n[l], 1) for a dense layer, W (f_H, f_W, n_C[l-1], n_C[l]) and b (1, 1, 1, n_C[l]) for a conv
 * layer (batch norm's keys are shaped like b). The engine keeps a conv W as the matrix
 * (f_H·f_W·n_C[l-1], n_C[l]) and b as (1, n_C[l]).
 */
export function nodeDims(node: DenseNode | ConvNode): { W: number[]; b: number[]; Wmatrix: [number, number]; bmatrix: [number, number] } {
  if (node.kind === 'dense') return { W: [node.units, node.nPrev], b: [node.units, 1], Wmatrix: [node.units, node.nPrev], bmatrix: [node.units, 1] };
  const g = node.g;
  return { W: [g.fH, g.fW, g.cPrev, g.c], b: [1, 1, 1, g.c], Wmatrix: [windowLength(g), g.c], bmatrix: [1, g.c] };
}

/** A problem the engine finds in the spec or the data; `path` points into the .dnn.json. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly path: JsonPath = [],
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export function networkOf(spec: Spec): Network {
  if (spec.layers.length === 0) throw new EngineError('the network has no layers', ['layers']);
  if (spec.layers.some((layer) => layer.type !== 'dense')) {
    const graph = graphOf(spec);
    const last = graph.nodes[graph.nodes.length - 1];
    if (last.kind !== 'dense') {
      throw new EngineError('the output layer must be dense: the cost compares its columns with the labels', spec.layers[spec.layers.length - 1].path);
    }
    return { layerDims: [spec.inputUnits, last.units], layers: [last], loss: spec.loss, graph };
  }
  const layers: EngineLayer[] = [];
  for (const layer of spec.layers) {
    if (layer.type !== 'dense') {
      throw new EngineError(`layer type '${(layer as { type: string }).type}' cannot be trained yet`, layer.path);
    }
    if (!Number.isInteger(layer.units) || layer.units < 1) {
      throw new EngineError(`units must be a positive integer; found ${layer.units}`, [...layer.path, 'units']);
    }
    layers.push({ units: layer.units, activation: layer.activation, alpha: layer.alpha, batchNorm: layer.batchNorm });
  }
  return { layerDims: [spec.inputUnits, ...layers.map((l) => l.units)], layers, loss: spec.loss };
}

/**
 * The trainable keys of the course's `parameters` dict in its order: W1, b1, W2, b2, ..., WL, bL,
 * with gamma[l], beta[l] right after b[l] for a batch-normalised layer. This is the order of θ in
 * the gradient check and of the optimiser's state.
 */
export function parameterKeys(net: Network): string[] {
  if (net.graph) return net.graph.parametric.flatMap((n) => [...nodeKeys(n), ...(nodeBatchNormKeys(n)?.trained ?? [])]);
  const keys: string[] = [];
  for (let l = 1; l < net.layerDims.length; l++) {
    keys.push(`W${l}`, `b${l}`);
    if (net.layers[l - 1].batchNorm) keys.push(`gamma${l}`, `beta${l}`);
  }
  return keys;
}

/**
 * Saved but not trained: the running averages of each batch-normalised layer's mean and variance
 * of Z over the training batches, which prediction normalises with.
 */
export function stateKeys(net: Network): string[] {
  if (net.graph) return net.graph.parametric.flatMap((n) => nodeBatchNormKeys(n)?.state ?? []);
  const keys: string[] = [];
  for (let l = 1; l < net.layerDims.length; l++) {
    if (net.layers[l - 1].batchNorm) keys.push(`runningMean${l}`, `runningVar${l}`);
  }
  return keys;
}

/**
 * The shape each key must have: W[l] is (n[l], n[l-1]); b[l], gamma[l], beta[l] and the running
 * averages are (n[l], 1). Undefined for a key this network does not have.
 */
export function parameterShape(net: Network, key: string): [number, number] | undefined {
  if (net.graph) {
    const node = net.graph.parametric.find((n) => nodeAllKeys(n).includes(key));
    if (!node) return undefined;
    const d = nodeDims(node);
    return key[0] === 'W' ? d.Wmatrix : d.bmatrix;
  }
  const match = /^(W|b|gamma|beta|runningMean|runningVar)([1-9][0-9]*)$/.exec(key);
  if (!match) return undefined;
  const l = Number(match[2]);
  if (l >= net.layerDims.length) return undefined;
  if (match[1] === 'W') return [net.layerDims[l], net.layerDims[l - 1]];
  if (match[1] !== 'b' && !net.layers[l - 1].batchNorm) return undefined;
  return [net.layerDims[l], 1];
}

/**
 * The logical shape of a key as the parameters file holds it: (f_H, f_W, n_C[l-1], n_C[l]) for a
 * conv W, (1, 1, 1, n_C[l]) for its b, and parameterShape's (rows, cols) for every other key.
 */
export function parameterDims(net: Network, key: string): number[] | undefined {
  const node = net.graph?.parametric.find((n) => nodeAllKeys(n).includes(key));
  if (node) return key[0] === 'W' ? nodeDims(node).W : nodeDims(node).b;
  return parameterShape(net, key);
}

/** The rule behind a key's shape, in course notation: "(n[2], n[1])" for W2, "(n[2], 1)" otherwise. */
export function shapeRule(key: string, net?: Network): string {
  const match = /^(W|b|gamma|beta|runningMean|runningVar)(s?)([0-9]+)$/.exec(key);
  const l = Number(/[0-9]+$/.exec(key)?.[0]);
  const node = net?.graph?.parametric.find((n) => nodeAllKeys(n).includes(key));
  if (node?.kind === 'conv' && match) {
    const name = `${match[1]}${match[2] ? '_s' : ''}[${l}]`;
    return match[1] === 'W' ? `(f_H, f_W, n_C[l-1], n_C[l]) of ${name}` : `(1, 1, 1, n_C[l]) of ${name}`;
  }
  return key[0] === 'W' ? `(n[${l}], n[${l - 1}])` : `(n[${l}], 1)`;
}
