/**
 * The shape rule of each layer kind, in a registry keyed by the layer's `type`.
 *
 * Each kind states how big its output is, the shape of everything it owns, the formulas it
 * computes and the problems only it can see, in course notation: W[l] is (n[l], n[l-1]) for a
 * dense layer (course 1), (f, f, n_C[l-1], n_C[l]) for a conv layer (course 4). The checker walks
 * the layers and asks each kind; the editor's hover, inlay hint and shapes table print what the
 * kind says. None of them switches on the type, so adding a kind means adding one entry here (see
 * ARCHITECTURE.md, "How to add a layer kind").
 */
import type { Node } from 'jsonc-parser';
import { nodeAt } from '../format/locate';
import type { Fix, JsonPath, ProblemCode, RelatedLocation, Severity } from '../problems';
import type { LayerType, PartialConv, PartialDense, PartialFlatten, PartialLayer, PartialPool, PartialResidual } from '../format/parse';
import type { Dim, Padding, Pair, Shape, ShapeName } from '../format/types';
import type { LayerShapes } from './types';

/** A layer's index in a rule: a number for layer l itself, or 'l' for the general rule. */
export type LayerIndex = number | 'l';

/**
 * What one example carries from a layer to the next: a column of n values (course 1: A is
 * (n, m)) or an n_H × n_W × n_C volume (course 4: A is (m, n_H, n_W, n_C)).
 */
export type Flow = { kind: 'vector'; n: number } | { kind: 'volume'; h: number; w: number; c: number };

/** The number of values per example: n, or n_H·n_W·n_C. */
export function flowUnits(f: Flow): number {
  return f.kind === 'vector' ? f.n : f.h * f.w * f.c;
}

/** A's shape for a batch: (n, m) or (m, n_H, n_W, n_C). */
export function flowShape(f: Flow): Shape {
  return f.kind === 'vector' ? [f.n, 'm'] : ['m', f.h, f.w, f.c];
}

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
  /** What the next layer reads. */
  output: Flow;
  /**
   * W[l], b[l] and Z[l] for the kinds that have them (dense, conv), and A[l]. Each gradient has
   * the shape of what it differentiates, and is the same frozen array (see `TENSOR_OF`).
   */
  W?: Shape;
  b?: Shape;
  Z?: Shape;
  A: Shape;
  /** Trainable parameters: W and b, plus gamma and beta with batch norm. */
  params: number;
  /** Multiply-adds per example of the forward pass. */
  multiplyAdds: number;
  /** The size formulas with the numbers filled in, e.g. "n_H[1] = ⌊(64 + 2·0 − 4)/1⌋ + 1 = 61". */
  derivation: string[];
  /** Values per example training keeps for this layer (Z, A and their gradients, batch norm's caches, im2col's windows). */
  cachePerExample: number;
  /** A conv layer's im2col windows per example, n_H·n_W·f_H·f_W·n_C[l-1]: the backward pass needs as many again as scratch. */
  windowsPerExample?: number;
  /** For a residual block: the number of its last layer, whose A is the block's output. */
  l?: number;
}

/** What a kind knows about where it sits, and how it reports what it finds there. */
export interface InferContext {
  /** This layer's number l (for a shortcut, the number of the block's last layer). */
  l: number;
  /** "_s" for a residual block's shortcut, whose weights the course calls W_s; "" otherwise. */
  suffix: string;
  /** What A[l-1] holds per example; `prevL` is its number (0 for X = A[0]). */
  prev: Flow;
  prevL: number;
  /** The kind that made A[l-1], or 'input' for X. */
  prevType: LayerType | 'input';
  /** Where A[l-1] comes from in the file (the layer, or `input`), for related locations. */
  prevPath: JsonPath;
  tree: Node | undefined;
  report(code: ProblemCode, severity: Severity, message: string, path: JsonPath, extra?: { fix?: Fix[]; related?: RelatedLocation[] }): void;
  /** Infers `layers` in order from `prev`, numbering them; the output and the last number. */
  walk(layers: readonly PartialLayer[], prev: Flow, prevL: number, prevType: LayerType | 'input', prevPath: JsonPath): { out: Flow; lastL: number } | undefined;
  /** Infers a block's shortcut, reading what the block reads (`block`'s A[l-1]), named after layer `l`. */
  shortcut(layer: PartialConv, block: InferContext, l: number): Flow | undefined;
  /** A fix that sets `key` of the object at `path` (replacing its value, or adding the key). */
  setKey(path: JsonPath, key: string, valueText: string, title: string): Fix | undefined;
  /** A fix that inserts `text` as a new array element before the layer at `path`. */
  insertBefore(path: JsonPath, text: string, title: string): Fix | undefined;
}

export interface LayerKind<L extends PartialLayer = PartialLayer> {
  /** All shapes of layer l; undefined when the layer itself is broken or cannot follow A[l-1]. */
  infer(layer: L, ctx: InferContext): InferredLayer | undefined;
  /** The rule of each shape the kind has, in the order a table lists them; `prev` is l-1 by default. */
  rules(l: LayerIndex, prev?: LayerIndex): Partial<Record<ShapeName, ShapeRule>>;
  /** What layer l computes, in order: e.g. "Z[2] = W[2]·A[1] + b[2]", then "A[2] = g[2](Z[2])". */
  forward(l: LayerIndex, prev?: LayerIndex): string[];
  /** The shapes that hold the trainable parameters, as the inlay hint lists them: W, then b. */
  parameters: readonly ShapeName[];
  /** The sizes the rules are written in, with their values: "n[1] = 4, n[2] = 1". */
  sizes(l: number, nPrev: number, units: number, layer?: LayerShapes): string;
  /** The parameter count as arithmetic on those sizes: "4·2 + 4" for n[l]·n[l-1] + n[l]. */
  paramCount(layer: LayerShapes, nPrev: number): string;
}

/** The tensor whose shape a name has: itself, or what a gradient differentiates (W for dW). */
export const TENSOR_OF: { readonly [N in ShapeName]: 'W' | 'b' | 'Z' | 'A' } = { W: 'W', b: 'b', Z: 'Z', A: 'A', dW: 'W', db: 'b', dZ: 'Z', dA: 'A' };

/** "l-1" for the general rule, the number otherwise. */
function previous(l: LayerIndex): string {
  return l === 'l' ? 'l-1' : String(l - 1);
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Every gradient with the shape, and the rule, of what it differentiates. */
function withGradients(rules: Partial<Record<'W' | 'b' | 'Z' | 'A', ShapeRule>>): Partial<Record<ShapeName, ShapeRule>> {
  // Written out key by key, tensors first and then their gradients (the order hovers list them):
  // a spread and computed keys made this the checker's hottest function.
  const out: Partial<Record<ShapeName, ShapeRule>> = {};
  const { W, b, Z, A } = rules;
  if (W) out.W = W;
  if (b) out.b = b;
  if (Z) out.Z = Z;
  if (A) out.A = A;
  if (W) out.dW = { rule: W.rule, like: 'W' };
  if (b) out.db = { rule: b.rule, like: 'b' };
  if (Z) out.dZ = { rule: Z.rule, like: 'Z' };
  if (A) out.dA = { rule: A.rule, like: 'A' };
  return out;
}

/**
 * A shape several tensors have, frozen: each gradient has the shape of what it differentiates,
 * and one array shared between them costs nothing per layer (copies were a tenth of what a
 * 2,000-layer check allocated), while a consumer that tried to edit it would fail at once rather
 * than change the others.
 */
function frozen(shape: Shape): Shape {
  return Object.freeze(shape) as Shape;
}

/**
 * How many recent 4-D shapes, outputs and formula tails are kept to hand out again: enough for a
 * network that cycles through a few sizes.
 */
const RECENT = 32;

/** The last few 4-D shapes made, frozen, for `shape4` to hand out again. */
const recent4: Shape[] = [];
let nextRecent = 0;

/**
 * The frozen shape (a, b, c, d), the same array as a recent layer's when it has these dimensions:
 * the layers of a conv network repeat a few shapes (a block's W, b and Z), and an array per layer
 * was a tenth of what a conv check allocated. Frozen arrays cannot be told apart from copies.
 */
function shape4(a: Dim, b: Dim, c: Dim, d: Dim): Shape {
  for (let i = 0; i < recent4.length; i++) {
    const s = recent4[i];
    if (s[0] === a && s[1] === b && s[2] === c && s[3] === d) return s;
  }
  const s = frozen([a, b, c, d]);
  recent4[nextRecent] = s;
  nextRecent = (nextRecent + 1) % RECENT;
  return s;
}

/** 2-D shapes made, frozen, by `shape2`'s key; bounded, since they outlive the check. */
const shapes2 = new Map<number, Shape>();
const MAX_SHAPES2 = 4096;

/**
 * The frozen shape (a, b), the same array as an earlier layer's with these dimensions, as
 * `shape4` does: found by one small-integer key, since a dense network's W, b and Z are more
 * shapes than a list is quick to look through.
 */
function shape2(a: number, b: Dim): Shape {
  const second = b === 'm' ? 0 : b + 1;
  if (a >= 16384 || second >= 65536) return frozen([a, b]);
  const key = a * 65536 + second;
  let shape = shapes2.get(key);
  if (shape === undefined) {
    shape = frozen([a, b]);
    if (shapes2.size >= MAX_SHAPES2) shapes2.clear();
    shapes2.set(key, shape);
  }
  return shape;
}

/** The last few columns made, frozen, for `vector` to hand out again. */
const recentVectors: Extract<Flow, { kind: 'vector' }>[] = [];
let nextVector = 0;

/** What a dense or flatten layer passes on, a column of n values, shared as `volume` shares. */
function vector(n: number): Flow {
  for (let i = 0; i < recentVectors.length; i++) {
    const v = recentVectors[i];
    if (v.n === n) return v;
  }
  const v = Object.freeze({ kind: 'vector' as const, n });
  recentVectors[nextVector] = v;
  nextVector = (nextVector + 1) % RECENT;
  return v;
}

/** The derivation of a kind whose sizes need no formula (dense): one frozen array for all. */
const NO_FORMULAS = Object.freeze([]) as unknown as string[];

/** The last few volumes made, frozen, for `volume` to hand out again. */
const recentVolumes: Extract<Flow, { kind: 'volume' }>[] = [];
let nextVolume = 0;

/**
 * What a conv or pool layer passes on, n_H × n_W × n_C, the same frozen object as a recent
 * layer's with these sizes: most layers of a conv network repeat the one before.
 */
function volume(h: number, w: number, c: number): Flow {
  for (let i = 0; i < recentVolumes.length; i++) {
    const v = recentVolumes[i];
    if (v.h === h && v.w === w && v.c === c) return v;
  }
  const v = Object.freeze({ kind: 'volume' as const, h, w, c });
  recentVolumes[nextVolume] = v;
  nextVolume = (nextVolume + 1) % RECENT;
  return v;
}

/** Dense: Z[l] = W[l] A[l-1] + b[l], A[l] = g[l](Z[l]). Examples are columns. */
const dense: LayerKind<PartialDense> = {
  infer(layer, ctx) {
    const n = layer.units;
    if (n === undefined) return undefined;
    const { l, prev } = ctx;
    // X of pictures feeds a dense layer flattened, as the course's cat classifier does; any other
    // volume must be flattened by a `flatten` layer, so the reshape is visible in the file.
    if (prev.kind === 'volume' && ctx.prevType !== 'input') {
      const fix = ctx.insertBefore(layer.path, '{ "type": "flatten" }', 'Insert a flatten layer before this one');
      ctx.report(
        'needs-flatten',
        'error',
        `layer ${l} is dense but A[${ctx.prevL}] is a volume (m, ${prev.h}, ${prev.w}, ${prev.c}): insert { "type": "flatten" } before it, ` +
          `which makes A (${count(flowUnits(prev))}, m) = (n_H·n_W·n_C, m)`,
        layer.path,
        fix ? { fix: [fix] } : {},
      );
    }
    const nPrev = flowUnits(prev);
    const Z = shape2(n, 'm');
    return {
      units: n,
      output: vector(n),
      // A has the shape of Z.
      W: shape2(n, nPrev),
      b: shape2(n, 1),
      Z,
      A: Z,
      // gamma[l] and beta[l] are (n[l], 1) each with batch norm.
      params: n * nPrev + n + (layer.batchNorm ? 2 * n : 0),
      multiplyAdds: n * nPrev,
      derivation: NO_FORMULAS,
      // Z, A, dZ, dA; batch norm adds the normalised Z, Z̃ and dZ̃.
      cachePerExample: 4 * n + (layer.batchNorm ? 3 * n : 0),
    };
  },
  rules(l, prev) {
    const W = `(n[${l}], n[${prev ?? previous(l)}])`;
    const b = `(n[${l}], 1)`;
    const Z = `(n[${l}], m)`;
    return withGradients({ W: { rule: W }, b: { rule: b }, Z: { rule: Z }, A: { rule: Z } });
  },
  forward: (l, prev) => [`Z[${l}] = W[${l}]·A[${prev ?? previous(l)}] + b[${l}]`, `A[${l}] = g[${l}](Z[${l}])`],
  parameters: ['W', 'b'],
  sizes: (l, nPrev, units) => `n[${l - 1}] = ${nPrev}, n[${l}] = ${units}`,
  // n[l]·n[l-1] for W[l] and n[l] for b[l]; batch norm adds gamma[l] and beta[l], n[l] each.
  paramCount(layer, nPrev) {
    const n = layer.units;
    const plain = `${n}·${nPrev} + ${n}`;
    return layer.params === n * nPrev + n ? plain : `${plain} + 2·${n}`;
  },
};

/** One spatial dimension of a conv or pool layer: the size, the padding before and after, the text. */
interface Along {
  out: number;
  before: number;
  after: number;
  /** (n + 2p − f) mod s: rows or columns at the far edge that no window reaches. */
  dropped: number;
  /** n[l-1] and f along this dimension, for the numerator's text (see `numerator`). */
  n: number;
  f: number;
  /** The size formula after its symbol's "n_H[l": "] = ⌊(32 + 2·1 − 3)/1⌋ + 1 = 32" (see `formula`). */
  tail: string;
}

/**
 * `s` as one piece of text. V8 keeps a string built with + or a template as a tree of its parts
 * (about 350 bytes for a size formula instead of 100) until a character of it is read, which
 * copies it into one flat string; a derivation is kept as long as the check's result, so it is
 * read once here.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** "2·1" for padding on both sides, "0 + 1" for "same" padding that is asymmetric. */
function padsText(a: { before: number; after: number }): string {
  return a.before === a.after ? `2·${a.before}` : `${a.before} + ${a.after}`;
}

/**
 * "8 + 2·0 − 3 = 5", the numerator of the size formula, for messages about the division: written
 * only for such a message, since most divisions are even.
 */
function numerator(a: Along): string {
  return `${a.n} + ${padsText(a)} − ${a.f} = ${a.n + a.before + a.after - a.f}`;
}

/** A formula's tail with the sizes it was written for. */
interface Tail {
  n: number;
  f: number;
  s: number;
  padding: Padding;
  text: string;
}

/**
 * The part of a size formula after "n_H[l", "] = ⌊(32 + 2·1 − 3)/1⌋ + 1 = 32", by n, f, s and the
 * padding: the layers of a large network repeat a handful of them, and writing each anew (a
 * template makes a piece per part, then a copy of the whole) was a sixth of a conv check's
 * allocation. The last few are looked at first, without making a key; the map is bounded, since
 * it outlives the check.
 */
const recentTails: Tail[] = [];
let nextTail = 0;
const formulaTails = new Map<number, string>();
const MAX_TAILS = 4096;

/** The cache key of a formula's tail; undefined for sizes too large to pack into one integer. */
function tailKey(n: number, f: number, s: number, padding: Padding): number | undefined {
  const p = padding === 'same' ? 0 : padding === 'valid' ? 1 : padding + 2;
  if (n >= 65536 || f >= 1024 || s >= 1024 || p >= 1024) return undefined;
  return ((n * 1024 + f) * 1024 + s) * 1024 + p;
}

/** The tail of the size formula for n, f, s and the padding, whose output is `out`. */
function formulaTail(n: number, f: number, s: number, padding: Padding, before: number, after: number, out: number): string {
  for (let i = 0; i < recentTails.length; i++) {
    const t = recentTails[i];
    if (t.n === n && t.f === f && t.s === s && t.padding === padding) return t.text;
  }
  const key = tailKey(n, f, s, padding);
  let text = key === undefined ? undefined : formulaTails.get(key);
  if (text === undefined) {
    const pads = padding === 'same' && before !== after ? `${before} + ${after}` : `2·${before}`;
    text = flat(`] = ⌊(${n} + ${pads} − ${f})/${s}⌋ + 1 = ${out}`);
    if (key !== undefined) {
      if (formulaTails.size >= MAX_TAILS) formulaTails.clear();
      formulaTails.set(key, text);
    }
  }
  recentTails[nextTail] = { n, f, s, padding, text };
  nextTail = (nextTail + 1) % RECENT;
  return text;
}

/**
 * n[l] = ⌊(n[l-1] + 2p − f)/s⌋ + 1 along one dimension, into `a`. "same" pads as TensorFlow does:
 * the output is ⌈n/s⌉, the total padding max((out − 1)·s + f − n, 0), its smaller half before.
 */
function along(a: Along, n: number, f: number, s: number, padding: Padding): void {
  let out: number, before: number, after: number, dropped: number;
  if (padding === 'same') {
    out = Math.ceil(n / s);
    const total = Math.max((out - 1) * s + f - n, 0);
    before = Math.floor(total / 2);
    after = total - before;
    dropped = 0;
  } else {
    const p = padding === 'valid' ? 0 : padding;
    const inner = n + 2 * p - f;
    out = Math.floor(inner / s) + 1;
    before = p;
    after = p;
    // With f < s the windows skip rows between them anyway: the remainder at the edge is no loss of its own.
    dropped = inner >= 0 && f >= s ? inner % s : 0;
  }
  a.out = out;
  a.before = before;
  a.after = after;
  a.dropped = dropped;
  a.n = n;
  a.f = f;
  a.tail = formulaTail(n, f, s, padding, before, after, out);
}

/**
 * "n_H[3] = ⌊(32 + 2·1 − 3)/1⌋ + 1 = 32", from the symbol's start ("n_H[", "n_W_s["), l and the
 * dimension: the symbol joined to the shared tail, not copied into one string, which is smaller.
 */
function formula(start: string, l: number, a: Along): string {
  return start + l + a.tail;
}

/**
 * The two dimensions of the last conv or pool layer `windowed` looked at, refilled for each: an
 * object per dimension and layer was a fifth of a conv check's allocation. They are read at once,
 * before the next layer is looked at.
 */
const dims: { h: Along; w: Along } = {
  h: { out: 0, before: 0, after: 0, dropped: 0, n: 0, f: 0, tail: '' },
  w: { out: 0, before: 0, after: 0, dropped: 0, n: 0, f: 0, tail: '' },
};

/** A layer's derivation as a check made it, with the three values it was made from. */
interface Made {
  a: string | number;
  b: string | number;
  c: string | number;
  derivation: string[];
}

/**
 * Derivations by layer number, kept from one check to the next: the editor checks a file again at
 * every pause in typing, and a layer whose sizes did not change gets its frozen array back rather
 * than new strings (a conv layer's three were half of what a check kept until its end). A
 * derivation is a function of its layer number and the values it is remembered with, so an entry
 * left by another file is told apart by them. Numbers from MAX_MADE on are not remembered, so
 * what stays after a very large file is bounded (about 300 bytes a layer).
 */
const madeConv: (Made | undefined)[] = [];
const madeShortcut: (Made | undefined)[] = [];
const madeResidual: (Made | undefined)[] = [];
const MAX_MADE = 8192;

/**
 * Forgets every remembered derivation: the next check makes each one anew, as the first check in a
 * process does (`dnn check`). For the bench, which times that case too.
 */
export function forgetDerivations(): void {
  madeConv.length = 0;
  madeShortcut.length = 0;
  madeResidual.length = 0;
}

/** The derivation remembered for layer `l` in `made`, if it was made from a, b and c. */
function recall(made: (Made | undefined)[], l: number, a: string | number, b: string | number, c: string | number): string[] | undefined {
  const m = l < MAX_MADE ? made[l] : undefined;
  return m !== undefined && m.a === a && m.b === b && m.c === c ? m.derivation : undefined;
}

/** `derivation`, frozen, remembered for layer `l` as made from a, b and c. */
function remember(made: (Made | undefined)[], l: number, a: string | number, b: string | number, c: string | number, derivation: string[]): string[] {
  const d = Object.freeze(derivation) as string[];
  if (l >= MAX_MADE) return d;
  const m = made[l];
  if (m === undefined) made[l] = { a, b, c, derivation: d };
  else {
    m.a = a;
    m.b = b;
    m.c = c;
    m.derivation = d;
  }
  return d;
}

/** "] = 16 filters" by n_C[l], shared as a size formula's tail is. */
const filterTails = new Map<number, string>();

/** "n_C[3] = 16 filters", from the symbol's start ("n_C[" or "n_C_s["), l and n_C[l]. */
function filtersText(symbol: string, l: number, c: number): string {
  let tail = filterTails.get(c);
  if (tail === undefined) {
    tail = flat(`] = ${c} filters`);
    if (filterTails.size >= MAX_TAILS) filterTails.clear();
    filterTails.set(c, tail);
  }
  return flat(symbol + l + tail);
}

/** How a padding reads: "valid", "same" or "p = 2". */
function paddingText(p: Padding): string {
  return typeof p === 'number' ? `p = ${p}` : `"${p}"`;
}

/**
 * The output size of a window of `size` moved by `stride` over A[l-1], with the problems a
 * window can have: an empty output, rows or columns the floor drops, asymmetric "same" padding.
 */
function windowed(
  layer: PartialConv | PartialPool,
  ctx: InferContext,
  size: Pair,
  stride: Pair,
  prev: Extract<Flow, { kind: 'volume' }>,
): typeof dims | undefined {
  const l = ctx.l;
  const s = ctx.suffix;
  const { h, w } = dims;
  along(h, prev.h, size[0], stride[0], layer.padding);
  along(w, prev.w, size[1], stride[1], layer.padding);
  if (h.out <= 0 || w.out <= 0) {
    const bad = [h.out <= 0 ? formula(s ? 'n_H_s[' : 'n_H[', l, h) : '', w.out <= 0 ? formula(s ? 'n_W_s[' : 'n_W[', l, w) : ''].filter(Boolean);
    ctx.report(
      'empty-output',
      'error',
      `layer ${l}${s ? "'s shortcut" : ''} has no output: ${bad.join(' and ')}; the ${layer.type === 'pool' ? 'window' : 'filter'} ` +
        `(${size[0]}×${size[1]}) is larger than A[${ctx.prevL}] (${prev.h}×${prev.w}) with ${paddingText(layer.padding)}`,
      [...layer.path, 'size'],
    );
    return undefined;
  }
  if (h.dropped > 0 || w.dropped > 0) {
    const last = (k: number, what: string): string => (k === 1 ? `the last ${what}` : `the last ${k} ${what}s`);
    const parts = [h.dropped > 0 ? last(h.dropped, 'row') : '', w.dropped > 0 ? last(w.dropped, 'column') : ''].filter(Boolean).join(' and ');
    const why = [h.dropped > 0 ? `${numerator(h)} by s = ${stride[0]}` : '', w.dropped > 0 && (h.dropped === 0 || numerator(w) !== numerator(h) || stride[1] !== stride[0]) ? `${numerator(w)} by s = ${stride[1]}` : '']
      .filter(Boolean)
      .join('; ');
    const fix = evenFix(layer, ctx, size, stride, prev);
    ctx.report(
      'uneven-stride',
      'warning',
      `layer ${l}${s ? "'s shortcut" : ''}: the stride does not divide n + 2p − f (${why}), so the floor drops ${parts} of A[${ctx.prevL}]` +
        `${fix ? `; ${fix.title.charAt(0).toLowerCase()}${fix.title.slice(1)} to use them all` : ''}`,
      nodeAt(ctx.tree, [...layer.path, 'stride']) ? [...layer.path, 'stride'] : [...layer.path, 'size'],
      fix ? { fix: [fix] } : {},
    );
  }
  // An even filter cannot be centred: "same" then pads one side more. (An odd filter with a
  // stride may pad one side more too, as ResNet's strided convolutions do; that is no surprise.)
  const odd = layer.padding !== 'same' ? undefined : h.before !== h.after && size[0] % 2 === 0 ? h : w.before !== w.after && size[1] % 2 === 0 ? w : undefined;
  if (odd) {
    const what = odd === h ? 'row' : 'column';
    ctx.report(
      'asymmetric-padding',
      'warning',
      `layer ${l}${s ? "'s shortcut" : ''}: "same" padding with a ${size[0]}×${size[1]} ${layer.type === 'pool' ? 'window' : 'filter'} is asymmetric: ` +
        `${odd.before} ${what}${odd.before === 1 ? '' : 's'} before and ${odd.after} after, as TensorFlow pads (an odd f with stride 1 pads (f−1)/2 on each side)`,
      [...layer.path, 'padding'],
    );
  }
  return dims;
}

/**
 * The edit that makes every division even: the smallest larger padding p that does, else the
 * largest smaller stride. Undefined when neither exists (or "same" is in use).
 */
function evenFix(layer: PartialConv | PartialPool, ctx: InferContext, size: Pair, stride: Pair, prev: { h: number; w: number }): Fix | undefined {
  const p0 = layer.padding === 'valid' ? 0 : layer.padding;
  if (p0 === 'same') return undefined;
  const even = (p: number, s: Pair): boolean => (prev.h + 2 * p - size[0]) % s[0] === 0 && (prev.w + 2 * p - size[1]) % s[1] === 0;
  for (let p = p0 + 1; p <= p0 + Math.max(stride[0], stride[1]); p++) {
    // Padding more than the window is wide only adds rows of zeros no window needs.
    if (p >= Math.min(size[0], size[1])) break;
    if (even(p, stride)) return ctx.setKey(layer.path, 'padding', String(p), `Set padding to ${p}`);
  }
  for (let s = Math.max(stride[0], stride[1]) - 1; s >= 1; s--) {
    const pair: Pair = [Math.min(s, stride[0]), Math.min(s, stride[1])];
    if (even(p0, pair)) {
      const text = pair[0] === pair[1] ? String(pair[0]) : `[${pair[0]}, ${pair[1]}]`;
      return ctx.setKey(layer.path, 'stride', text, `Set stride to ${text}`);
    }
  }
  return undefined;
}

/** A conv or pool layer needs a volume before it; a column cannot be convolved. */
function needsVolume(layer: PartialConv | PartialPool, ctx: InferContext): Extract<Flow, { kind: 'volume' }> | undefined {
  const prev = ctx.prev;
  if (prev.kind === 'volume') return prev;
  const after = ctx.prevType === 'input' ? `the input is a column of n[0] = ${count(prev.n)} values; give it as { "shape": [n_H, n_W, n_C] }` : `A[${ctx.prevL}] of the ${ctx.prevType} layer ${ctx.prevL} is a column (${count(prev.n)}, m)`;
  ctx.report(
    'needs-volume',
    'error',
    `layer ${ctx.l}${ctx.suffix ? "'s shortcut" : ''} is ${layer.type === 'conv' ? 'a conv' : 'a pool'} layer, which needs a volume (m, n_H, n_W, n_C) before it; ${after}`,
    nodeAt(ctx.tree, [...layer.path, 'type']) ? [...layer.path, 'type'] : layer.path,
  );
  return undefined;
}

/** "4×4" for a square or rectangular window. */
const pairText = (p: Pair): string => `${p[0]}×${p[1]}`;

/**
 * Conv: Z[l] = W[l] ∗ A[l-1] + b[l] over n_C[l] filters, A[l] = g[l](Z[l]). W[l] is
 * (f, f, n_C[l-1], n_C[l]), b[l] is (1, 1, 1, n_C[l]), Z[l] and A[l] are (m, n_H[l], n_W[l], n_C[l]).
 */
const conv: LayerKind<PartialConv> = {
  infer(layer, ctx) {
    const prev = needsVolume(layer, ctx);
    if (!prev || layer.filters === undefined || layer.size === undefined) return undefined;
    const size = layer.size;
    const out = windowed(layer, ctx, size, layer.stride, prev);
    if (!out) return undefined;
    const c = layer.filters;
    const h = out.h.out;
    const w = out.w.out;
    const Z = shape4('m', h, w, c);
    const units = h * w * c;
    const windows = h * w * size[0] * size[1] * prev.c;
    return {
      units,
      output: volume(h, w, c),
      W: shape4(size[0], size[1], prev.c, c),
      b: shape4(1, 1, 1, c),
      Z,
      A: Z,
      // (f·f·n_C[l-1] + 1)·n_C[l]: every filter has f·f·n_C[l-1] weights and one bias.
      params: (size[0] * size[1] * prev.c + 1) * c + (layer.batchNorm ? 2 * c : 0),
      multiplyAdds: units * size[0] * size[1] * prev.c,
      derivation: convDerivation(ctx.l, ctx.suffix !== '', out.h, out.w, c),
      // Z, A, dZ, dA, and the im2col windows Z = cols · W is computed from (kept for dW = colsᵀ·dZ).
      cachePerExample: 4 * units + windows + (layer.batchNorm ? 3 * units : 0),
      windowsPerExample: windows,
    };
  },
  rules(l, prev) {
    const p = prev ?? previous(l);
    return withGradients({
      W: { rule: `(f[${l}], f[${l}], n_C[${p}], n_C[${l}])` },
      b: { rule: `(1, 1, 1, n_C[${l}])` },
      Z: { rule: `(m, n_H[${l}], n_W[${l}], n_C[${l}])` },
      A: { rule: `(m, n_H[${l}], n_W[${l}], n_C[${l}])` },
    });
  },
  forward: (l, prev) => [`Z[${l}] = W[${l}] ∗ A[${prev ?? previous(l)}] + b[${l}]`, `A[${l}] = g[${l}](Z[${l}])`],
  parameters: ['W', 'b'],
  sizes(l, nPrev, units, layer) {
    if (!layer?.W) return `n[${l - 1}] = ${nPrev}, n[${l}] = ${units}`;
    const [fH, fW, cPrev, c] = layer.W as number[];
    return `f[${l}] = ${fH === fW ? fH : `${fH}×${fW}`}, n_C[${l - 1}] = ${cPrev}, n_C[${l}] = ${c}`;
  },
  paramCount(layer) {
    const [fH, fW, cPrev, c] = (layer.W ?? [0, 0, 0, 0]) as number[];
    const plain = `(${fH}·${fW}·${cPrev} + 1)·${c}`;
    return layer.params === (fH * fW * cPrev + 1) * c ? plain : `${plain} + 2·${c}`;
  },
};

/** A conv layer's (or a shortcut's) size formulas, "n_H[1] = ⌊(64 + 2·0 − 4)/1⌋ + 1 = 61", n_W and n_C. */
function convDerivation(l: number, shortcut: boolean, h: Along, w: Along, c: number): string[] {
  const made = shortcut ? madeShortcut : madeConv;
  return (
    recall(made, l, h.tail, w.tail, c) ??
    remember(made, l, h.tail, w.tail, c, [
      formula(shortcut ? 'n_H_s[' : 'n_H[', l, h),
      formula(shortcut ? 'n_W_s[' : 'n_W[', l, w),
      filtersText(shortcut ? 'n_C_s[' : 'n_C[', l, c),
    ])
  );
}

/** Pool: each channel's f × f windows, stride s, reduced to their max or mean; no parameters. */
const pool: LayerKind<PartialPool> = {
  infer(layer, ctx) {
    const prev = needsVolume(layer, ctx);
    if (!prev || layer.size === undefined) return undefined;
    const stride = layer.stride ?? layer.size;
    const out = windowed(layer, ctx, layer.size, stride, prev);
    if (!out) return undefined;
    const h = out.h.out;
    const w = out.w.out;
    const units = h * w * prev.c;
    return {
      units,
      output: volume(h, w, prev.c),
      A: shape4('m', h, w, prev.c),
      params: 0,
      multiplyAdds: 0,
      derivation: [formula('n_H[', ctx.l, out.h), formula('n_W[', ctx.l, out.w), flat(`n_C[${ctx.l}] = n_C[${ctx.prevL}] = ${prev.c} (${layer.mode} pooling, ${pairText(layer.size)} windows)`)],
      // A and dA; backward finds each window's max (or spreads the mean) again from A[l-1].
      cachePerExample: 2 * units,
    };
  },
  rules: (l) => withGradients({ A: { rule: `(m, n_H[${l}], n_W[${l}], n_C[${l}])` } }),
  forward: (l, prev) => [`A[${l}] = pool(A[${prev ?? previous(l)}])`],
  parameters: [],
  sizes(l, nPrev, units, layer) {
    const A = layer?.A;
    return A && A.length === 4 ? `n_H[${l}] = ${A[1]}, n_W[${l}] = ${A[2]}, n_C[${l}] = ${A[3]}` : `n[${l - 1}] = ${nPrev}, n[${l}] = ${units}`;
  },
  paramCount: () => '0',
};

/** Flatten: (m, n_H, n_W, n_C) -> (n_H·n_W·n_C, m), each example row-major, as X.reshape(m, -1).T. */
const flatten: LayerKind<PartialFlatten> = {
  infer(_layer, ctx) {
    const prev = ctx.prev;
    const n = flowUnits(prev);
    return {
      units: n,
      output: vector(n),
      A: shape2(n, 'm'),
      params: 0,
      multiplyAdds: 0,
      derivation: prev.kind === 'volume' ? [`n[${ctx.l}] = n_H[${ctx.prevL}]·n_W[${ctx.prevL}]·n_C[${ctx.prevL}] = ${prev.h}·${prev.w}·${prev.c} = ${n}`] : [`n[${ctx.l}] = n[${ctx.prevL}] = ${n}`],
      // A reshape shares its storage with A[l-1] (and dA with dA[l-1]): nothing new is held.
      cachePerExample: 0,
    };
  },
  rules: (l, prev) => {
    const p = prev ?? previous(l);
    return withGradients({ A: { rule: `(n_H[${p}]·n_W[${p}]·n_C[${p}], m)` } });
  },
  forward: (l, prev) => [`A[${l}] = A[${prev ?? previous(l)}].reshape(m, −1).T`],
  parameters: [],
  sizes: (l, nPrev) => `n[${l}] = ${nPrev}`,
  paramCount: () => '0',
};

/** Whether two tensors have one shape (a residual sum needs it). */
function sameFlow(a: Flow, b: Flow): boolean {
  if (a.kind === 'volume') return b.kind === 'volume' && a.h === b.h && a.w === b.w && a.c === b.c;
  return b.kind === 'vector' && a.n === b.n;
}

/** "(m, 8, 8, 16)" or "(6, m)". */
function shapeText(f: Flow): string {
  return `(${flowShape(f).join(', ')})`;
}

/**
 * Residual block: its input (through the shortcut, when there is one) is added to the last inner
 * layer's Z before that layer's activation, the course's a[l+2] = g(z[l+2] + a[l]). The sum
 * needs both shapes equal. Inner layers are numbered like any others.
 */
const residual: LayerKind<PartialResidual> = {
  infer(block, ctx) {
    if (block.broken || block.layers.length === 0) return undefined;
    const inner = ctx.walk(block.layers, ctx.prev, ctx.prevL, ctx.prevType, ctx.prevPath);
    if (!inner) return undefined;
    const l = inner.lastL;
    let added = ctx.prev;
    if (block.shortcut) {
      const s = ctx.shortcut(block.shortcut, ctx, l);
      if (!s) return undefined;
      added = s;
    }
    const out = inner.out;
    if (!sameFlow(added, out)) {
      const what = block.shortcut ? `the shortcut's output W_s[${l}] ∗ A[${ctx.prevL}] is ${shapeText(added)}` : `its input A[${ctx.prevL}] is ${shapeText(added)}`;
      const fix = !block.shortcut ? shortcutFix(block, ctx, ctx.prev, out) : undefined;
      ctx.report(
        'residual-shape',
        'error',
        `residual block (layers ${ctx.prevL + 1}–${l}) adds its input to Z[${l}], but Z[${l}] is ${shapeText(out)} and ${what}; ` +
          (block.shortcut ? 'make the shortcut give Z\'s shape' : `the shapes must be equal: add a "shortcut", a 1×1 conv to ${out.kind === 'volume' ? out.c : '?'} filters`),
        block.shortcut ? [...block.path, 'shortcut'] : [...block.path, 'type'],
        fix ? { fix: [fix] } : {},
      );
    }
    return {
      l,
      units: flowUnits(out),
      output: out,
      A: out.kind === 'volume' ? shape4('m', out.h, out.w, out.c) : shape2(out.n, 'm'),
      params: 0,
      multiplyAdds: 0,
      derivation:
        recall(madeResidual, l, ctx.prevL, block.shortcut ? 1 : 0, 0) ??
        remember(madeResidual, l, ctx.prevL, block.shortcut ? 1 : 0, 0, [
          flat(`A[${l}] = g[${l}](Z[${l}] + ${block.shortcut ? `W_s[${l}] ∗ A[${ctx.prevL}] + b_s[${l}]` : `A[${ctx.prevL}]`})`),
        ]),
      // The sum is made in place in Z[l]; its gradient flows to both branches through dZ[l].
      cachePerExample: 0,
    };
  },
  rules: (l) => withGradients({ A: { rule: `that of Z[${l}]` } }),
  forward: (l, prev) => [`A[${l}] = g[${l}](Z[${l}] + A[${prev ?? `l-k`}])`],
  parameters: [],
  sizes: (l, _nPrev, units) => `n[${l}] = ${units}`,
  paramCount: () => '0',
};

/**
 * The shortcut that makes a block's sum fit: a 1×1 conv to Z's channels with the stride that
 * maps the input's size to Z's (as ResNet's convolutional block does). Undefined when no stride does.
 */
function shortcutFix(block: PartialResidual, ctx: InferContext, input: Flow, out: Flow): Fix | undefined {
  if (input.kind !== 'volume' || out.kind !== 'volume') return undefined;
  const strideFor = (n: number, o: number): number | undefined => {
    for (let s = 1; s <= n; s++) if (Math.floor((n - 1) / s) + 1 === o) return s;
    return undefined;
  };
  const sH = strideFor(input.h, out.h);
  const sW = strideFor(input.w, out.w);
  if (sH === undefined || sW === undefined) return undefined;
  const stride = sH === sW ? String(sH) : `[${sH}, ${sW}]`;
  return ctx.setKey(
    block.path,
    'shortcut',
    `{ "type": "conv", "filters": ${out.c}, "size": 1, "stride": ${stride} }`,
    `Add a 1×1 shortcut to ${out.c} filters with stride ${stride}`,
  );
}

/** Each entry is typed by its own kind; `layerKind` gives the common view. */
export const LAYER_KINDS: { [T in LayerType]: LayerKind<Extract<PartialLayer, { type: T }>> } = { dense, conv, pool, flatten, residual };

/** The registry entry of a layer type. */
export function layerKind(type: LayerType): LayerKind {
  return LAYER_KINDS[type] as LayerKind;
}
