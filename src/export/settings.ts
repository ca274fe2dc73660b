/**
 * The network as the exported scripts read it: one JSON object with every default filled in, so a
 * script never guesses what the parser decided. A network with conv, pool, flatten or residual
 * layers also carries its graph as the engine builds it (network.ts): each conv and pool layer's
 * geometry with its padding per side already worked out, so "same" pads as the engine pads.
 */
import { networkOf, nodeDims, nodeKeys, parameterDims, parameterKeys, stateKeys, type GraphNode, type Network } from '../core/engine/network';
import type { ConvLayerSpec, DenseLayerSpec, LayerSpec, ResidualLayerSpec, Spec } from '../core/format/types';
import type { ExportInput } from './types';

/** One layer of the graph as the scripts walk it. */
export type GraphLayer =
  | { kind: 'dense'; key: string; units: number; nPrev: number; activation: string; alpha: number; batchNorm: boolean }
  | { kind: 'conv'; key: string; activation: string; alpha: number; batchNorm: boolean; g: Record<string, number> }
  | { kind: 'pool'; mode: string; g: Record<string, number> }
  | { kind: 'flatten'; units: number }
  | { kind: 'residual'; layers: GraphLayer[]; shortcut: GraphLayer | null };

export interface NetworkSettings {
  name: string;
  source: string;
  specDir: string;
  inputUnits: number;
  inputShape: number[];
  /** [n[0], n[1], ..., n[L]] for a dense network; [n[0], n[L]] for a graph (as the engine's layerDims). */
  layerDims: number[];
  /** The dense network's layers; a graph's output layer only. */
  layers: { units: number; activation: string; alpha: number; batchNorm: boolean }[];
  /** Conv, pool, flatten and residual layers in document order, or null for a dense network. */
  graph: { volumeInput: boolean; nodes: GraphLayer[] } | null;
  /** The trained keys in the course's order (the optimiser's), then the saved-only ones. */
  trainedKeys: string[];
  stateKeys: string[];
  /** Each key's shape as the parameters file holds it: (f_H, f_W, n_C[l-1], n_C[l]) for a conv W. */
  paramDims: Record<string, number[]>;
  loss: string;
  data: Record<string, unknown> | null;
  training: {
    iterations: number;
    learningRate: number;
    seed: number | null;
    init: { scheme: string; scale?: number; file?: string };
    optimizer: { name: string; beta: number; beta1: number; beta2: number; epsilon: number };
    batchSize: number | null;
    shuffleSeed: number | null;
    decayRate: number;
    decay: string;
    timeInterval: number;
    l2: number;
    keepProb: number;
    printEvery: number;
  };
}

function graphLayer(node: GraphNode, layer: LayerSpec): GraphLayer {
  const batchNorm = (layer.type === 'dense' || layer.type === 'conv') && layer.batchNorm;
  switch (node.kind) {
    case 'dense':
      return { kind: 'dense', key: node.key, units: node.units, nPrev: node.nPrev, activation: node.activation, alpha: node.alpha, batchNorm };
    case 'conv':
      return { kind: 'conv', key: node.key, activation: node.activation, alpha: node.alpha, batchNorm, g: { ...node.g } };
    case 'pool':
      return { kind: 'pool', mode: node.mode, g: { ...node.g } };
    case 'flatten':
      return { kind: 'flatten', units: node.units };
    case 'residual': {
      const block = layer as ResidualLayerSpec;
      return { kind: 'residual', layers: node.layers.map((n, k) => graphLayer(n, block.layers[k])), shortcut: node.shortcut ? graphLayer(node.shortcut, block.shortcut!) : null };
    }
  }
}

/** A copy of the layers with batch norm off everywhere (residual blocks' layers and shortcuts too). */
function withoutBatchNorm(layers: LayerSpec[]): LayerSpec[] {
  return layers.map((l) => {
    if (l.type === 'dense' || l.type === 'conv') return { ...l, batchNorm: false };
    if (l.type === 'residual') return { ...l, layers: withoutBatchNorm(l.layers) as ResidualLayerSpec['layers'], ...(l.shortcut ? { shortcut: { ...l.shortcut, batchNorm: false } } : {}) };
    return l;
  });
}

/**
 * The engine's network of a spec, for the scripts. A network with conv, pool, flatten or residual
 * layers is built without its batch norm, which the scripts add themselves (per channel, as
 * docs/format.md says), with the keys of each batch-normalised layer: gamma<l>, beta<l> after b<l>
 * and the running averages runningMean<l>, runningVar<l>, (1, 1, 1, n_C[l]) for a conv layer
 * ((n[l], 1) for a dense one); a shortcut's are gammas<l>, betas<l>, runningMeans<l>, runningVars<l>.
 */
export function scriptNetwork(spec: Spec): { net: Network; graphKeys?: { trained: string[]; state: string[]; dims: Record<string, number[]> } } {
  if (spec.layers.every((l) => l.type === 'dense')) return { net: networkOf(spec) };
  const net = networkOf({ ...spec, layers: withoutBatchNorm(spec.layers) });
  const normalised = new Set<string>();
  const visit = (layer: LayerSpec, node: GraphNode): void => {
    if ((node.kind === 'dense' || node.kind === 'conv') && (layer as DenseLayerSpec | ConvLayerSpec).batchNorm) normalised.add(node.key);
    if (node.kind === 'residual') {
      const block = layer as ResidualLayerSpec;
      node.layers.forEach((n, k) => visit(block.layers[k], n));
      if (node.shortcut) visit(block.shortcut!, node.shortcut);
    }
  };
  net.graph!.nodes.forEach((node, i) => visit(spec.layers[i], node));
  const trained: string[] = [];
  const state: string[] = [];
  const dims: Record<string, number[]> = {};
  for (const node of net.graph!.parametric) {
    const [W, b] = nodeKeys(node);
    const d = nodeDims(node);
    trained.push(W, b);
    dims[W] = d.W;
    dims[b] = d.b;
    if (!normalised.has(node.key)) continue;
    const suffix = node.key[0] === 's' ? `s${node.key.slice(1)}` : node.key;
    trained.push(`gamma${suffix}`, `beta${suffix}`);
    state.push(`runningMean${suffix}`, `runningVar${suffix}`);
    for (const k of ['gamma', 'beta', 'runningMean', 'runningVar']) dims[k + suffix] = d.b;
  }
  return { net, graphKeys: { trained, state, dims } };
}

/**
 * The spec's settings as plain JSON, for the scripts (paths stay relative to the .dnn.json).
 * `dataFile` names the file written beside the script that holds built-in data (see data.ts).
 */
export function networkSettings(input: ExportInput, dataFile?: string): NetworkSettings {
  const spec: Spec = input.spec;
  const t = spec.training;
  const { net, graphKeys } = scriptNetwork(spec);
  let data = spec.data ? (Object.fromEntries(Object.entries(spec.data).filter(([k]) => k !== 'path')) as Record<string, unknown>) : null;
  if (data && dataFile) data = { ...data, file: dataFile };
  return {
    name: spec.name ?? input.source,
    source: input.source,
    specDir: input.specDir,
    inputUnits: spec.inputUnits,
    inputShape: spec.inputShape,
    layerDims: net.layerDims,
    layers: net.layers.map((l) => ({ units: l.units, activation: l.activation, alpha: l.alpha, batchNorm: l.batchNorm })),
    graph: net.graph ? { volumeInput: net.graph.volumeInput, nodes: net.graph.nodes.map((node, i) => graphLayer(node, spec.layers[i])) } : null,
    trainedKeys: graphKeys?.trained ?? parameterKeys(net),
    stateKeys: graphKeys?.state ?? stateKeys(net),
    paramDims: graphKeys?.dims ?? Object.fromEntries([...parameterKeys(net), ...stateKeys(net)].map((k) => [k, parameterDims(net, k)!])),
    loss: spec.loss,
    data,
    training: {
      iterations: t.iterations,
      learningRate: t.learningRate,
      seed: t.seed ?? null,
      init: t.init.scheme === 'file' ? { scheme: 'file', file: t.init.path } : { scheme: t.init.scheme, scale: t.init.scale },
      optimizer: { ...t.optimizer },
      batchSize: t.batchSize,
      shuffleSeed: t.shuffleSeed ?? null,
      decayRate: t.decayRate,
      decay: t.decay,
      timeInterval: t.timeInterval,
      l2: t.l2,
      keepProb: t.keepProb,
      printEvery: t.printEvery,
    },
  };
}
