/**
 * The network as the engine sees it: layer sizes n[0..L], each layer's activation, the loss. Built
 * from a checked Spec; anything the engine cannot train yet is refused here with the layer's JSON
 * path, so the CLI and the editor can point at it.
 */
import type { JsonPath } from '../problems';
import type { Activation, Loss, Spec } from '../format/types';

export interface EngineLayer {
  units: number;
  activation: Activation;
  /** leaky-relu's slope for z <= 0. */
  alpha: number;
  /** Batch normalisation of Z before the activation (course 2, week 3): adds gamma[l], beta[l]. */
  batchNorm: boolean;
}

export interface Network {
  /** [n[0], n[1], ..., n[L]], the course's `layer_dims`. */
  layerDims: number[];
  /** layers[l - 1] is layer l. */
  layers: EngineLayer[];
  loss: Loss;
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
  const match = /^(W|b|gamma|beta|runningMean|runningVar)([1-9][0-9]*)$/.exec(key);
  if (!match) return undefined;
  const l = Number(match[2]);
  if (l >= net.layerDims.length) return undefined;
  if (match[1] === 'W') return [net.layerDims[l], net.layerDims[l - 1]];
  if (match[1] !== 'b' && !net.layers[l - 1].batchNorm) return undefined;
  return [net.layerDims[l], 1];
}

/** The rule behind a key's shape, in course notation: "(n[2], n[1])" for W2, "(n[2], 1)" otherwise. */
export function shapeRule(key: string): string {
  const l = Number(/[0-9]+$/.exec(key)?.[0]);
  return key[0] === 'W' ? `(n[${l}], n[${l - 1}])` : `(n[${l}], 1)`;
}
