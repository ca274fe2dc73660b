/** Results of static shape inference, in course notation. */
import type { LayerType } from '../format/parse';
import type { Activation, Shape } from '../format/types';
import type { JsonPath } from '../problems';

/**
 * What training holds for one layer, in float64 values: its parameters, their gradients, the
 * optimiser's state for them, and per example the activations and caches (times the batch size
 * for a batch).
 */
export interface LayerMemory {
  parameters: number;
  gradients: number;
  /** Momentum and RMSprop keep one value per parameter, Adam two, gradient descent none. */
  optimizer: number;
  /** Z, A and their gradients, batch norm's and dropout's caches, a conv layer's windows, for one example. */
  activationsPerExample: number;
  /** A conv layer's im2col windows per example, n_H·n_W·f_H·f_W·n_C[l-1]. */
  windowsPerExample?: number;
}

export interface LayerShapes {
  /**
   * Layer index l, 1-based as in the course, in document order (a residual block's layers
   * included). A residual block has the number of its last layer, whose A is its output; a
   * block's shortcut too (its weights are the course's W_s[l]).
   */
  l: number;
  /** The layer kind: its entry in LAYER_KINDS (layers.ts) has the rules and formulas. */
  type: LayerType;
  /** g[l]; absent for kinds without one (pool, flatten, a residual block). */
  activation?: Activation;
  /** True for a residual block's shortcut. */
  shortcut?: boolean;
  /** The number of the A this layer reads: l-1, except for a shortcut (the block's input). */
  input: number;
  /** n[l]: values per example in A[l] (n_H·n_W·n_C for a volume). */
  units: number;
  /** Present for kinds with parameters (dense, conv). */
  W?: Shape;
  b?: Shape;
  /** Present for kinds that compute a Z (dense, conv). */
  Z?: Shape;
  A: Shape;
  dW?: Shape;
  db?: Shape;
  dZ?: Shape;
  dA: Shape;
  /** Number of trainable parameters (W and b, plus gamma and beta with batch norm). */
  params: number;
  /** Multiply-adds per example of the forward pass: n[l]·n[l-1] dense, n_H·n_W·n_C·f·f·n_C[l-1] conv. */
  multiplyAdds: number;
  /**
   * The size formulas with the numbers in, e.g. "n_H[1] = ⌊(64 + 2·0 − 4)/1⌋ + 1 = 61". Frozen, and
   * the same array in the next check's result when the layer's sizes have not changed.
   */
  derivation: string[];
  /** Frozen, and shared by layers with the same numbers: make a new record rather than edit one. */
  memory: LayerMemory;
  path: JsonPath;
}

/** What training the network holds in total, in float64 values and bytes. */
export interface NetworkMemory {
  parameters: number;
  gradients: number;
  optimizer: number;
  /**
   * X = A[0], every layer's activations and caches (a conv layer's windows too), the loss's
   * scratch, and the backward pass's scratch for the largest windows, per example.
   */
  activationsPerExample: number;
  /** The examples of one batch: batchSize, else m; absent when neither is known. */
  batch?: number;
  /** activationsPerExample · batch, when the batch is known. */
  activations?: number;
  /** parameters + gradients + optimizer + activations (the last when known). */
  values: number;
  /** values · 8. */
  bytes: number;
}

export interface NetworkShapes {
  /** n[0]: the values per example of X. */
  inputUnits: number;
  /** A[0] = X: (n[0], m), or (m, n_H, n_W, n_C) when convolutional layers read it as a volume. */
  input: Shape;
  /** Every inferred layer in document order: a residual block after its layers and shortcut. */
  layers: LayerShapes[];
  /** Sum of `params` over the layers in `layers`. */
  totalParams: number;
  /** Sum of `multiplyAdds` over the layers in `layers`, per example. */
  totalMultiplyAdds: number;
  /** L: the number of layers in the file (a block's layers counted), including any that could not be inferred. */
  layerCount?: number;
  /** False when some layer could not be inferred (it is then missing from `layers`). */
  complete?: boolean;
  /** Values of A[0] = X, then Z[l] and A[l] for l = 1..L, per example. */
  activationsPerExample?: number;
  /** Number of examples, when known (from built-in data or the caller). */
  m?: number;
  /** activationsPerExample * m * 8 bytes (float64), when m is known. */
  activationBytes?: number;
  /** What training holds: parameters, gradients, optimiser state, one batch's activations and caches. */
  memory: NetworkMemory;
}
