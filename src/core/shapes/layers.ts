/**
 * The shape rule of each layer kind, in a registry keyed by the layer's `type`.
 *
 * Each kind states how big its output is and the shape of everything it owns, in course
 * notation (W[l] is (n[l], n[l-1]), ...). The checker walks the layers and asks each kind; it
 * never switches on the type itself, so adding a kind (conv, pool) means adding one entry here
 * (see ARCHITECTURE.md, "How to add a layer kind").
 */
import type { PartialLayer } from '../format/parse';
import type { Shape, ShapeName } from '../format/types';

/** Every shape of one layer l, with the rule each follows written in course notation. */
export interface InferredLayer {
  /** n[l]: the number of values per example in A[l]. */
  units: number;
  shapes: Record<ShapeName, Shape>;
  /** e.g. W: "(n[2], n[1])"; shown in messages next to the numbers. */
  rules: Record<ShapeName, string>;
  /** Trainable parameters: W and b, plus gamma and beta with batch norm. */
  params: number;
}

export interface LayerKind<L extends PartialLayer = PartialLayer> {
  /** n[l], or undefined when the layer is too broken to say. Needs n[l-1] for kinds that keep size. */
  outputUnits(layer: L, nPrev: number | undefined): number | undefined;
  /** All shapes of layer l given n[l-1]; undefined when the layer itself is broken. */
  infer(layer: L, l: number, nPrev: number): InferredLayer | undefined;
}

/** Dense: Z[l] = W[l] A[l-1] + b[l], A[l] = g[l](Z[l]). Examples are columns. */
const dense: LayerKind = {
  outputUnits: (layer) => layer.units,
  infer(layer, l, nPrev) {
    const n = layer.units;
    if (n === undefined) return undefined;
    const W: Shape = [n, nPrev];
    const b: Shape = [n, 1];
    const Z: Shape = [n, 'm'];
    const rW = `(n[${l}], n[${l - 1}])`;
    const rb = `(n[${l}], 1)`;
    const rZ = `(n[${l}], m)`;
    return {
      units: n,
      // Each gradient has the shape of what it differentiates. Separate arrays, so a consumer
      // that edits one shape cannot change another.
      shapes: { W, b, Z, A: [...Z], dW: [...W], db: [...b], dZ: [...Z], dA: [...Z] },
      rules: { W: rW, b: rb, Z: rZ, A: rZ, dW: rW, db: rb, dZ: rZ, dA: rZ },
      // gamma[l] and beta[l] are (n[l], 1) each with batch norm.
      params: n * nPrev + n + (layer.batchNorm ? 2 * n : 0),
    };
  },
};

export const LAYER_KINDS: Record<PartialLayer['type'], LayerKind> = { dense };
