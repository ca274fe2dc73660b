/**
 * The shape rule of each layer kind, in a registry keyed by the layer's `type`.
 *
 * Each kind states how big its output is, the shape of everything it owns and the formulas it
 * computes, in course notation (W[l] is (n[l], n[l-1]), ...). The checker walks the layers and
 * asks each kind; the editor's hover, inlay hint and shapes table print what the kind says. None
 * of them switches on the type, so adding a kind (conv, pool) means adding one entry here (see
 * ARCHITECTURE.md, "How to add a layer kind").
 */
import type { PartialLayer } from '../format/parse';
import type { Shape, ShapeName } from '../format/types';
import type { LayerShapes } from './types';

/** A layer's index in a rule: a number for layer l itself, or 'l' for the general rule. */
export type LayerIndex = number | 'l';

/** One shape's rule in course notation. */
export interface ShapeRule {
  /** In the sizes of the layer, e.g. "(n[2], n[1])". */
  rule: string;
  /** For a gradient: what it is the gradient of, whose shape it has ('W' for dW). */
  like?: ShapeName;
}

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
  /** The rule of each shape the kind has, in the order a table lists them. */
  rules(l: LayerIndex): Partial<Record<ShapeName, ShapeRule>>;
  /** What layer l computes, in order: e.g. "Z[2] = W[2]·A[1] + b[2]", then "A[2] = g[2](Z[2])". */
  forward(l: LayerIndex): string[];
  /** The shapes that hold the trainable parameters, as the inlay hint lists them: W, then b. */
  parameters: readonly ShapeName[];
  /** The sizes the rules are written in, with their values: "n[1] = 4, n[2] = 1". */
  sizes(l: number, nPrev: number, units: number): string;
  /** The parameter count as arithmetic on those sizes: "4·2 + 4" for n[l]·n[l-1] + n[l]. */
  paramCount(layer: LayerShapes, nPrev: number): string;
}

/** "l-1" for the general rule, the number otherwise. */
function previous(l: LayerIndex): string {
  return l === 'l' ? 'l-1' : String(l - 1);
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
    const rules = dense.rules(l);
    return {
      units: n,
      // Each gradient has the shape of what it differentiates. Separate arrays, so a consumer
      // that edits one shape cannot change another.
      shapes: { W, b, Z, A: [...Z], dW: [...W], db: [...b], dZ: [...Z], dA: [...Z] },
      rules: Object.fromEntries(Object.entries(rules).map(([name, r]) => [name, r.rule])) as Record<ShapeName, string>,
      // gamma[l] and beta[l] are (n[l], 1) each with batch norm.
      params: n * nPrev + n + (layer.batchNorm ? 2 * n : 0),
    };
  },
  rules(l) {
    const W = `(n[${l}], n[${previous(l)}])`;
    const b = `(n[${l}], 1)`;
    const Z = `(n[${l}], m)`;
    return {
      W: { rule: W },
      b: { rule: b },
      Z: { rule: Z },
      A: { rule: Z },
      dW: { rule: W, like: 'W' },
      db: { rule: b, like: 'b' },
      dZ: { rule: Z, like: 'Z' },
      dA: { rule: Z, like: 'A' },
    };
  },
  forward: (l) => [`Z[${l}] = W[${l}]·A[${previous(l)}] + b[${l}]`, `A[${l}] = g[${l}](Z[${l}])`],
  parameters: ['W', 'b'],
  sizes: (l, nPrev, units) => `n[${l - 1}] = ${nPrev}, n[${l}] = ${units}`,
  // n[l]·n[l-1] for W[l] and n[l] for b[l]; batch norm adds gamma[l] and beta[l], n[l] each.
  paramCount(layer, nPrev) {
    const n = layer.units;
    const plain = `${n}·${nPrev} + ${n}`;
    return layer.params === n * nPrev + n ? plain : `${plain} + 2·${n}`;
  },
};

export const LAYER_KINDS: Record<PartialLayer['type'], LayerKind> = { dense };

/** The registry entry of a layer type. */
export function layerKind(type: PartialLayer['type']): LayerKind {
  return LAYER_KINDS[type];
}
