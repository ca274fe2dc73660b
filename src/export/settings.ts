/**
 * The network as the exported scripts read it: one JSON object with every default filled in, so a
 * script never guesses what the parser decided. A network with conv, pool, flatten or residual
 * layers also carries its graph as the engine builds it (network.ts): each conv and pool layer's
 * geometry with its padding per side already worked out, so "same" pads as the engine pads.
 */
import { networkOf, parameterDims, parameterKeys, stateKeys, type GraphNode } from '../core/engine/network';
import type { Spec } from '../core/format/types';
import type { ExportInput } from './types';

/** One layer of the graph as the scripts walk it. */
export type GraphLayer =
  | { kind: 'dense'; key: string; units: number; nPrev: number; activation: string; alpha: number }
  | { kind: 'conv'; key: string; activation: string; alpha: number; g: Record<string, number> }
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

function graphLayer(node: GraphNode): GraphLayer {
  switch (node.kind) {
    case 'dense':
      return { kind: 'dense', key: node.key, units: node.units, nPrev: node.nPrev, activation: node.activation, alpha: node.alpha };
    case 'conv':
      return { kind: 'conv', key: node.key, activation: node.activation, alpha: node.alpha, g: { ...node.g } };
    case 'pool':
      return { kind: 'pool', mode: node.mode, g: { ...node.g } };
    case 'flatten':
      return { kind: 'flatten', units: node.units };
    case 'residual':
      return { kind: 'residual', layers: node.layers.map(graphLayer), shortcut: node.shortcut ? graphLayer(node.shortcut) : null };
  }
}

/**
 * The spec's settings as plain JSON, for the scripts (paths stay relative to the .dnn.json).
 * `dataFile` names the file written beside the script that holds built-in data (see data.ts).
 */
export function networkSettings(input: ExportInput, dataFile?: string): NetworkSettings {
  const spec: Spec = input.spec;
  const t = spec.training;
  const net = networkOf(spec);
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
    graph: net.graph ? { volumeInput: net.graph.volumeInput, nodes: net.graph.nodes.map(graphLayer) } : null,
    trainedKeys: parameterKeys(net),
    stateKeys: stateKeys(net),
    paramDims: Object.fromEntries([...parameterKeys(net), ...stateKeys(net)].map((k) => [k, parameterDims(net, k)!])),
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
