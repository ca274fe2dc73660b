/** Results of static shape inference, in course notation. */
import type { PartialLayer } from '../format/parse';
import type { Activation, Shape } from '../format/types';
import type { JsonPath } from '../problems';

export interface LayerShapes {
  /** Layer index l, 1-based as in the course. */
  l: number;
  /** The layer kind: its entry in LAYER_KINDS (layers.ts) has the rules and formulas. */
  type: PartialLayer['type'];
  activation: Activation;
  /** n[l] */
  units: number;
  W: Shape;
  b: Shape;
  Z: Shape;
  A: Shape;
  dW: Shape;
  db: Shape;
  dZ: Shape;
  dA: Shape;
  /** Number of trainable parameters (W and b, plus gamma and beta with batch norm). */
  params: number;
  path: JsonPath;
}

export interface NetworkShapes {
  /** n[0] and the shape of A[0] = X: (n[0], m). */
  inputUnits: number;
  layers: LayerShapes[];
  /** Sum of `params` over the layers in `layers`. */
  totalParams: number;
  /** L: the number of layers in the file, including any that could not be inferred. */
  layerCount?: number;
  /** False when some layer could not be inferred (it is then missing from `layers`). */
  complete?: boolean;
  /** Values kept per example while training: A[0] = X, then Z[l] and A[l] for l = 1..L. */
  activationsPerExample?: number;
  /** Number of examples, when known (from built-in data or the caller). */
  m?: number;
  /** activationsPerExample * m * 8 bytes (float64), when m is known. */
  activationBytes?: number;
}
