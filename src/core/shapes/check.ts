/**
 * Static shape inference and checking, in course notation.
 *
 * For l = 1..L it asks the layer's kind (layers.ts) for every shape, compares the shapes the
 * author declared, and checks what can be known before anything runs: the output activation
 * against the loss, zero initialisation, and whether the network fits in memory. It works on a
 * `PartialSpec`, so a broken layer k still leaves the shapes of layers before it (and after it,
 * where n[l-1] is known) to show.
 */
import type { Node } from 'jsonc-parser';
import type { Fix, JsonPath, Problem, RelatedLocation } from '../problems';
import { nodeAt, rangeAt, rangeOfNode } from '../format/locate';
import type { LayerType, PartialLayer, PartialSpec } from '../format/parse';
import { outputActivation } from '../format/parse';
import type { Dim, Shape, ShapeName } from '../format/types';
import { BUILTIN_DEFAULTS, SHAPE_NAMES } from '../format/types';
import { flowShape, LAYER_KINDS, TENSOR_OF, type Flow, type InferContext, type InferredLayer, type LayerKind } from './layers';
import type { LayerMemory, LayerShapes, NetworkMemory, NetworkShapes } from './types';

/**
 * The memory budget, in float64 values: 2^28 values = 2 GiB for everything training holds
 * (parameters, gradients, optimiser state, one batch's activations and caches); a network past
 * it would not train in a VS Code window.
 */
export const MAX_VALUES = 2 ** 28;

/**
 * The values one pass of a convolutional network's batch may hold (512 MiB): the engine
 * (src/core/engine/convnet.ts) splits a larger batch into chunks of examples that fit.
 */
export const CHUNK_VALUES = 2 ** 26;


export interface ShapeCheckOptions {
  /** Number of examples, for activation memory; by default taken from the built-in data. */
  m?: number;
  /**
   * The text the tree was read from. Fixes that add a key are offered only in an object whose
   * closing brace is there: in text cut short, the end of the tree is inside an unfinished value.
   */
  text?: string;
}

export interface ShapeCheckResult {
  shapes: NetworkShapes;
  problems: Problem[];
}

/** "(1, 4)", "(4, m)"; "" for a shape the layer does not have (a pool layer's W). */
export function formatShape(s: Shape | undefined): string {
  return s ? `(${s.join(', ')})` : '';
}

/**
 * A shape as the CLI's table and the editor show it: the course's `(4, m)` for columns and
 * matrices, `28×28×6` for a volume (the batch dimension m left out) and a conv layer's W and b.
 */
export function shapeText(shape: Shape | undefined): string {
  if (!shape) return '';
  if (shape.length === 2) return formatShape(shape);
  return shape.filter((d) => d !== 'm').join('×');
}

function jsonShape(s: Shape): string {
  return `[${s.map((d) => (d === 'm' ? '"m"' : String(d))).join(', ')}]`;
}

function bytes(values: number): string {
  const b = values * 8;
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = b;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** How many layers a partial layer numbers: a residual block numbers its inner layers. */
function numbered(layer: PartialLayer): number {
  return layer.type === 'residual' ? layer.layers.length : 1;
}

/** Values of optimiser state per parameter. */
const OPTIMIZER_STATE: Record<PartialSpec['training']['optimizer']['name'], number> = { gd: 0, momentum: 1, rmsprop: 1, adam: 2 };

/**
 * Walks the layers in document order, numbering them, asking each kind for its shapes and
 * comparing the declared ones. A residual block walks its own layers through `walk`.
 */
class Walker {
  readonly problems: Problem[] = [];
  readonly layers: LayerShapes[] = [];
  nextL = 1;
  complete = true;
  totalParams = 0;
  biggest: { params: number; layer: PartialLayer; l: number } | undefined;

  /** What every kind may call, made once: closures made per layer would cost more than the layer's check. */
  private readonly services: Pick<InferContext, 'tree' | 'report' | 'walk' | 'shortcut' | 'setKey' | 'insertBefore'>;
  /**
   * One context per depth of nesting (a layer, a block's inner layer or shortcut), refilled for
   * each layer: an object per layer was a tenth of the shape check's allocation. A kind reads its
   * context only while its `infer` runs, and an inner layer gets the next depth's, so a block's
   * own context is intact when its inner layers are done.
   */
  private readonly contexts: InferContext[] = [];
  private depth = 0;

  constructor(
    private readonly spec: PartialSpec,
    private readonly tree: Node | undefined,
    private readonly m: number | undefined,
    private readonly text?: string,
  ) {
    this.services = {
      tree: this.tree,
      report: (code, severity, message, path, extra = {}) => {
        const p: Problem = { code, severity, message, path, range: rangeAt(this.tree, path) };
        if (extra.fix && extra.fix.length > 0) p.fix = extra.fix;
        if (extra.related && extra.related.length > 0) p.related = extra.related;
        this.problems.push(p);
      },
      walk: (layers, prev, prevL, prevType, prevPath) => this.walk(layers, prev, prevL, prevType, prevPath),
      shortcut: (s, block, l) => this.one(s, l, '_s', block.prev, block.prevL, block.prevType, block.prevPath, true)?.output,
      setKey: (path, key, valueText, title) => setKey(this.tree, path, key, valueText, title, this.text),
      insertBefore: (path, text, title) => insertBefore(this.tree, path, text, title),
    };
  }

  walk(
    list: readonly PartialLayer[],
    prev: Flow | undefined,
    prevL: number,
    prevType: LayerType | 'input',
    prevPath: JsonPath,
  ): { out: Flow; lastL: number } | undefined {
    // Indices, not for-of: an iterator that is not optimised away makes an object per step.
    for (let i = 0; i < list.length; i++) {
      const layer = list[i];
      if (prev === undefined) {
        this.complete = false;
        this.nextL += numbered(layer);
        continue;
      }
      const l = this.nextL;
      if (layer.type !== 'residual') this.nextL++;
      const inferred = this.one(layer, l, '', prev, prevL, prevType, prevPath);
      if (!inferred) {
        // The rest of a residual block's numbers are used up even when it could not be read.
        this.nextL = Math.max(this.nextL, l + numbered(layer));
        prev = undefined;
        continue;
      }
      prev = inferred.output;
      prevL = inferred.l ?? l;
      prevType = layer.type;
      prevPath = layer.path;
    }
    return prev === undefined ? undefined : { out: prev, lastL: prevL };
  }

  /** The context of the current depth, filled in for one layer. */
  private context(l: number, suffix: string, prev: Flow, prevL: number, prevType: LayerType | 'input', prevPath: JsonPath): InferContext {
    let ctx = this.contexts[this.depth];
    if (ctx === undefined) {
      const v = this.services;
      ctx = {
        l, suffix, prev, prevL, prevType, prevPath,
        tree: v.tree, report: v.report, walk: v.walk, shortcut: v.shortcut, setKey: v.setKey, insertBefore: v.insertBefore,
      };
      this.contexts[this.depth] = ctx;
      return ctx;
    }
    ctx.l = l;
    ctx.suffix = suffix;
    ctx.prev = prev;
    ctx.prevL = prevL;
    ctx.prevType = prevType;
    ctx.prevPath = prevPath;
    return ctx;
  }

  /** Infers one layer, records its shapes and checks its declared ones. */
  private one(
    layer: PartialLayer,
    l: number,
    suffix: string,
    prev: Flow,
    prevL: number,
    prevType: LayerType | 'input',
    prevPath: JsonPath,
    shortcut = false,
  ): InferredLayer | undefined {
    const kind = LAYER_KINDS[layer.type] as LayerKind;
    const ctx = this.context(l, suffix, prev, prevL, prevType, prevPath);
    // A residual block's entry comes after its layers, so it is pushed once they are.
    this.depth++;
    const inferred = kind.infer(layer, ctx);
    this.depth--;
    if (!inferred) {
      this.complete = false;
      return undefined;
    }
    const activation = layer.type === 'dense' || layer.type === 'conv' ? layer.activation : undefined;
    if ((layer.type === 'dense' || layer.type === 'conv') && activation === undefined) this.complete = false;
    else {
      const optimizer = OPTIMIZER_STATE[this.spec.training.optimizer.name];
      const s = layerShapes(layer.type, inferred, inferred.l ?? l, prevL, activation, shortcut, optimizer * inferred.params, layer.path);
      this.layers.push(s);
      // Counted only when shown: a layer without an activation is a "?" row, left out of the total.
      this.totalParams += inferred.params;
    }
    if (!this.biggest || inferred.params > this.biggest.params) this.biggest = { params: inferred.params, layer, l: inferred.l ?? l };
    this.declared(layer, inferred, l, suffix, prevL, prevPath);
    return inferred;
  }

  /** Each declared shape against the inferred one, with a fix that writes the inferred one. */
  private declared(layer: PartialLayer, inferred: InferredLayer, atL: number, suffix: string, prevL: number, prevPath: JsonPath): void {
    const tree = this.tree;
    const l = inferred.l ?? atL;
    // Only the shapes the file declares (most layers declare none), rather than a lookup of every
    // name: problems are put in text order afterwards, so the order of this loop does not show.
    for (const key in layer.shapes) {
      const name = key as ShapeName;
      const declared = layer.shapes[name];
      const expected = inferred[TENSOR_OF[name]];
      if (!declared || !expected) continue;
      if (sameShape(declared, expected, this.m)) continue;
      const at = { suffix, prevL, prevPath };
      const path = [...layer.path, 'shapes', name];
      const declaredRange = rangeAt(tree, path);
      const reordered = !sameShape(declared, expected, this.m) && declared.length === expected.length && declared.length > 1 && sameDims(declared, expected, this.m);
      const transposed = declared.length === 2 && reordered;
      const like = name.startsWith('d') ? `, like ${name.slice(1)}${at.suffix}[${l}]` : '';
      const symbol = `${name}${at.suffix}[${l}]`;
      // The rule only when a message needs it: most declared shapes are right.
      const rule = (LAYER_KINDS[layer.type] as LayerKind).rules(l, at.prevL)[name]?.rule ?? '';
      const message =
        `${symbol} must be ${at.suffix ? rule.replaceAll('[', `${at.suffix}[`) : rule} = ${formatShape(expected)}${like}; ` +
        `found ${formatShape(declared)}${transposed ? ': transposed?' : reordered ? ': the same sizes in another order?' : ''}`;
      const fix: Fix[] = [
        {
          title: `Change ${symbol} to ${formatShape(expected)}`,
          edits: [{ range: declaredRange, newText: jsonShape(expected) }],
          preferred: true,
        },
      ];
      const related: RelatedLocation[] = [];
      const sizeKey = layer.type === 'dense' ? 'units' : layer.type === 'conv' ? 'filters' : undefined;
      const sizeNode = sizeKey ? nodeAt(tree, [...layer.path, sizeKey]) : undefined;
      if (sizeKey && sizeNode) {
        const what = layer.type === 'dense' ? `n[${l}] = ${inferred.units}` : `n_C${at.suffix}[${l}] = ${String(sizeNode.value)}`;
        related.push({ path: [...layer.path, sizeKey], range: rangeOfNode(sizeNode), message: `${what} is set here` });
      }
      if (name === 'W' || name === 'dW') {
        const prevKey = at.prevPath.length === 1 ? at.prevPath : [...at.prevPath, 'units'];
        const prevNode = nodeAt(tree, prevKey);
        if (prevNode && layer.type === 'dense') related.push({ path: prevKey, range: rangeOfNode(prevNode), message: `n[${at.prevL}] = ${inferred.W![1]} is set here` });
      }
      this.problems.push({
        code: reordered ? 'shape-transposed' : 'shape-mismatch',
        severity: 'error',
        message,
        path,
        range: declaredRange,
        fix,
        ...(related.length > 0 ? { related } : {}),
      });
    }
  }
}

/** The last few layers' memory records, frozen, for `layerMemory` to hand out again. */
const recentMemory: LayerMemory[] = [];
const RECENT = 32;
let nextMemory = 0;

/**
 * What training holds for a layer, the same frozen record as a recent layer's with these
 * numbers: the layers of a large network repeat a few, and a record per layer was a seventh of what
 * a check kept until its end.
 */
function layerMemory(params: number, optimizer: number, activationsPerExample: number, windowsPerExample: number | undefined): LayerMemory {
  for (let i = 0; i < recentMemory.length; i++) {
    const r = recentMemory[i];
    if (r.parameters === params && r.optimizer === optimizer && r.activationsPerExample === activationsPerExample && r.windowsPerExample === windowsPerExample) return r;
  }
  const r: LayerMemory = Object.freeze(
    windowsPerExample === undefined
      ? { parameters: params, gradients: params, optimizer, activationsPerExample }
      : { parameters: params, gradients: params, optimizer, activationsPerExample, windowsPerExample },
  );
  recentMemory[nextMemory] = r;
  nextMemory = (nextMemory + 1) % RECENT;
  return r;
}

/**
 * One layer's row, its keys in the order the CLI's --json prints them: l, type, activation,
 * shortcut, input, units, the shapes in SHAPE_NAMES order, params, multiplyAdds, derivation,
 * memory, path. The usual rows (a dense or conv layer with all eight shapes, or a kind with only A
 * and dA) are written as one literal: keys added one by one grow the object's storage at each step.
 */
function layerShapes(
  type: LayerType,
  inferred: InferredLayer,
  l: number,
  input: number,
  activation: LayerShapes['activation'],
  shortcut: boolean,
  optimizer: number,
  path: JsonPath,
): LayerShapes {
  const { W, b, Z, A } = inferred;
  const params = inferred.params;
  const memory = layerMemory(params, optimizer, inferred.cachePerExample, inferred.windowsPerExample);
  const units = inferred.units;
  const multiplyAdds = inferred.multiplyAdds;
  const derivation = inferred.derivation;
  // Each gradient is its tensor's frozen array.
  if (!shortcut && activation !== undefined && W && b && Z) {
    return { l, type, activation, input, units, W, b, Z, A, dW: W, db: b, dZ: Z, dA: A, params, multiplyAdds, derivation, memory, path };
  }
  if (!shortcut && activation === undefined && !W && !b && !Z) {
    return { l, type, input, units, A, dA: A, params, multiplyAdds, derivation, memory, path };
  }
  const s = { l, type } as LayerShapes;
  if (activation !== undefined) s.activation = activation;
  if (shortcut) s.shortcut = true;
  s.input = input;
  s.units = units;
  for (const name of SHAPE_NAMES) {
    const shape = inferred[TENSOR_OF[name]];
    if (shape) s[name] = shape;
  }
  s.params = params;
  s.multiplyAdds = multiplyAdds;
  s.derivation = derivation;
  s.memory = memory;
  s.path = path;
  return s;
}

/** A fix that sets `key` in the object at `path`: replaces the value, or adds `"key": value` after its last property. */
function setKey(tree: Node | undefined, path: JsonPath, key: string, valueText: string, title: string, text?: string): Fix | undefined {
  const obj = nodeAt(tree, path);
  if (!obj || obj.type !== 'object') return undefined;
  const existing = nodeAt(tree, [...path, key]);
  if (existing) return { title, edits: [{ range: rangeOfNode(existing), newText: valueText }], preferred: true };
  // An object cut short (no closing brace) ends inside an unfinished value: no place to add a key.
  if (text !== undefined && text.charCodeAt(obj.offset + obj.length - 1) !== 0x7d) return undefined;
  const last = obj.children?.[obj.children.length - 1];
  const edit = last
    ? { range: { offset: last.offset + last.length, length: 0 }, newText: `, ${JSON.stringify(key)}: ${valueText}` }
    : { range: { offset: obj.offset + 1, length: 0 }, newText: ` ${JSON.stringify(key)}: ${valueText} ` };
  return { title, edits: [edit], preferred: true };
}

/** A fix that inserts `text` as an array element before the element at `path`, on its own line when it has one. */
function insertBefore(tree: Node | undefined, path: JsonPath, text: string, title: string): Fix | undefined {
  const node = nodeAt(tree, path);
  if (!node) return undefined;
  return { title, edits: [{ range: { offset: node.offset, length: 0 }, newText: `${text}, ` }], preferred: true };
}

export function checkShapes(
  spec: PartialSpec,
  tree: Node | undefined,
  options: ShapeCheckOptions = {},
): ShapeCheckResult {
  const m = options.m ?? dataExamples(spec);
  const w = new Walker(spec, tree, m, options.text);
  const L = spec.layers.reduce((n, layer) => n + numbered(layer), 0);
  const inputShape = spec.inputShape;
  // X is a volume when it has three dimensions and a layer reads it as one; a dense layer reads it flattened.
  const first = spec.layers[0];
  const firstReadsVolume = first !== undefined && first.type !== 'dense' && !(first.type === 'residual' && first.layers[0]?.type === 'dense');
  const input: Flow | undefined =
    spec.inputUnits === undefined || !inputShape
      ? undefined
      : inputShape.length === 3
        ? { kind: 'volume', h: inputShape[0], w: inputShape[1], c: inputShape[2] }
        : { kind: 'vector', n: spec.inputUnits };
  w.walk(spec.layers, input, 0, 'input', ['input']);
  const layers = w.layers;
  const complete = w.complete && spec.inputUnits !== undefined && L > 0;
  const problems = w.problems;
  const totalParams = w.totalParams;
  const totalMultiplyAdds = layers.reduce((sum, s) => sum + s.multiplyAdds, 0);

  // Values held per example, as before: A[0] = X, and Z[l] and A[l] cached for backprop.
  let activationsPerExample = spec.inputUnits ?? 0;
  for (let i = 0; i < layers.length; i++) {
    const s = layers[i];
    if (s.type !== 'residual' && s.type !== 'flatten') activationsPerExample += (s.Z ? 2 : 1) * s.units;
  }

  // What training really holds: every layer's parameters, gradients and optimiser state, and for
  // one batch X, each layer's activations and caches, dropout's masks, and the loss's scratch.
  const keepProb = spec.training.keepProb;
  let cachePerExample = spec.inputUnits ?? 0;
  for (let i = 0; i < layers.length; i++) {
    const s = layers[i];
    // A new record, since the others are shared between layers.
    if (keepProb < 1 && s.activation !== undefined && s !== layers[layers.length - 1]) {
      s.memory = Object.freeze({ ...s.memory, activationsPerExample: s.memory.activationsPerExample + 2 * s.units });
    }
    cachePerExample += s.memory.activationsPerExample;
  }
  const lastLayer = layers[layers.length - 1];
  if (lastLayer) cachePerExample += lastLayer.units;
  // The backward pass turns dZ back into windows (dcols = dZ·Wᵀ) in one scratch buffer as large
  // as the largest windows of a conv layer that has a dA[l-1]: every one but a first layer reading X.
  const readsX = spec.layers[0]?.type === 'conv' ? layers[0] : undefined;
  cachePerExample += layers.reduce((most, s) => (s === readsX ? most : Math.max(most, s.memory.windowsPerExample ?? 0)), 0);
  const parameters = totalParams;
  const optimizer = OPTIMIZER_STATE[spec.training.optimizer.name] * totalParams;
  const batch = spec.training.batchSize === null ? m : m === undefined ? spec.training.batchSize : Math.min(m, spec.training.batchSize);
  const memory: NetworkMemory = {
    parameters,
    gradients: parameters,
    optimizer,
    activationsPerExample: cachePerExample,
    values: 2 * parameters + optimizer,
    bytes: 0,
  };
  if (batch !== undefined) {
    memory.batch = batch;
    memory.activations = cachePerExample * batch;
    // A network with conv, pool, flatten or residual layers runs a large batch in chunks of
    // examples: the buffers of a full chunk and of the last, smaller one, plus X, AL and the
    // loss's scratch for the whole batch.
    const graph = layers.some((s) => s.type !== 'dense');
    const chunk = Math.max(1, Math.floor(CHUNK_VALUES / Math.max(1, cachePerExample)));
    if (graph && batch > chunk) memory.activations = cachePerExample * (chunk + (batch % chunk)) + ((spec.inputUnits ?? 0) + 2 * (lastLayer?.units ?? 0)) * batch;
    memory.values += memory.activations;
  }
  memory.bytes = memory.values * 8;

  const shapes: NetworkShapes = {
    inputUnits: spec.inputUnits ?? 0,
    input: input && firstReadsVolume ? flowShape(input) : [spec.inputUnits ?? 0, 'm'],
    layers,
    totalParams,
    totalMultiplyAdds,
    layerCount: L,
    complete,
    activationsPerExample,
    memory,
  };
  if (m !== undefined) {
    shapes.m = m;
    shapes.activationBytes = activationsPerExample * m * 8;
  }

  problems.push(...lossProblems(spec, tree));
  problems.push(...zeroInitProblems(spec, tree));
  const large = tooLarge(memory, w.biggest, spec, tree, options);
  if (large) problems.push(large);
  return { shapes, problems };
}

/**
 * A warning when training would hold more than the engine's budget: never an error, since the
 * network is still well formed; training refuses it with this message.
 */
function tooLarge(
  memory: NetworkMemory,
  biggest: { params: number; layer: PartialLayer; l: number } | undefined,
  spec: PartialSpec,
  tree: Node | undefined,
  options: ShapeCheckOptions,
): Problem | undefined {
  if (memory.values <= MAX_VALUES) return undefined;
  const parts = [
    `parameters ${bytes(memory.parameters)}`,
    `gradients ${bytes(memory.gradients)}`,
    ...(memory.optimizer > 0 ? [`${spec.training.optimizer.name} state ${bytes(memory.optimizer)}`] : []),
    ...(memory.activations !== undefined && memory.batch !== undefined
      ? [`activations and caches of ${memory.batch === (options.m ?? dataExamples(spec)) && spec.training.batchSize === null ? `m = ${count(memory.batch)} examples` : `a batch of ${count(memory.batch)} examples`} ${bytes(memory.activations)}`]
      : []),
  ];
  const perBatch = memory.activations ?? 0;
  const byParams = memory.values - perBatch >= perBatch;
  let path: JsonPath;
  let hint: string;
  if (byParams && biggest) {
    const key = biggest.layer.type === 'dense' ? 'units' : biggest.layer.type === 'conv' ? 'filters' : undefined;
    path = key ? [...biggest.layer.path, key] : biggest.layer.path;
    hint = `layer ${biggest.l} alone has ${count(biggest.params)} parameters`;
  } else {
    const dataPath: JsonPath = options.m === undefined ? ['data', 'examples'] : ['data'];
    const batchPath: JsonPath = ['training', 'batchSize'];
    // Where the batch size comes from: batchSize, else the data's `examples`, else `data`, else `layers`.
    path = ([spec.training.batchSize !== null ? batchPath : dataPath, ['data'], ['layers']] as JsonPath[]).find((p) => nodeAt(tree, p) !== undefined) ?? [];
    hint = 'use fewer examples or a smaller batchSize';
  }
  return {
    code: 'too-large',
    severity: 'warning',
    message:
      `training would need ${bytes(memory.values)} (${parts.join(', ')}); ` +
      `the engine's limit is ${bytes(MAX_VALUES)}: ${hint}`,
    path,
    range: rangeAt(tree, path),
  };
}


function dataExamples(spec: PartialSpec): number | undefined {
  const d = spec.data;
  if (!d || d.kind !== 'builtin') return undefined;
  return d.examples ?? BUILTIN_DEFAULTS[d.builtin].examples;
}

/** The same sizes, in any order (a dimension "m" matching m as in sameShape). */
function sameDims(declared: Shape, expected: Shape, m: number | undefined): boolean {
  const key = (s: Shape): string => s.map((d) => (d === 'm' && m !== undefined ? m : d)).map(String).sort().join(',');
  return key(declared) === key(expected);
}

/** A declared dimension "m" matches m; a number in m's place matches only a known m. */
function sameShape(declared: Shape, expected: Shape, m: number | undefined): boolean {
  if (declared.length !== expected.length) return false;
  // A loop, not every(): this runs for each declared shape of every layer.
  for (let i = 0; i < declared.length; i++) {
    const d: Dim = declared[i];
    if (d !== expected[i] && !(expected[i] === 'm' && m !== undefined && d === m)) return false;
  }
  return true;
}

/** Output activation vs loss: sigmoid + BCE, softmax (n[L] >= 2) + CCE, linear + mse. */
function lossProblems(spec: PartialSpec, tree: Node | undefined): Problem[] {
  const L = spec.layers.reduce((k, layer) => k + numbered(layer), 0);
  const last = spec.layers[spec.layers.length - 1];
  // A residual block's output layer is its last inner layer.
  const out = last?.type === 'residual' ? last.layers[last.layers.length - 1] : last;
  const g = outputActivation(out);
  if (!out || g === undefined || spec.loss === undefined) return [];
  const n = out.type === 'dense' ? out.units : undefined;
  const loss = spec.loss;
  // The usual case first, before any node is looked up: finding the output layer's node makes the
  // tree's nodes down to it, which a file whose loss fits its output never needs.
  const mismatch =
    (g === 'softmax' && n === 1) ||
    (loss === 'binary-cross-entropy' && g !== 'sigmoid') ||
    (loss === 'categorical-cross-entropy' && g !== 'softmax') ||
    (loss === 'mse' && (g === 'sigmoid' || g === 'softmax'));
  if (!mismatch) return [];
  const actPath = [...out.path, 'activation'];
  const actNode = nodeAt(tree, actPath);
  const lossNode = nodeAt(tree, ['loss']);
  if (!actNode) return [];
  const setActivation = (a: string): Fix => ({ title: `Change the output activation to '${a}'`, edits: [{ range: rangeOfNode(actNode), newText: JSON.stringify(a) }] });
  const setLoss = (x: string): Fix | undefined =>
    lossNode ? { title: `Change the loss to '${x}'`, edits: [{ range: rangeOfNode(lossNode), newText: JSON.stringify(x) }] } : undefined;
  const problem = (severity: 'error' | 'warning', message: string, fixes: (Fix | undefined)[]): Problem => {
    const fix = fixes.filter((f): f is Fix => f !== undefined);
    if (fix.length > 0) fix[0].preferred = true;
    const onLoss = lossNode !== undefined;
    const p: Problem = {
      code: 'loss-activation-mismatch',
      severity,
      message,
      path: onLoss ? ['loss'] : actPath,
      range: rangeOfNode(lossNode ?? actNode),
      fix,
    };
    p.related = [{ path: actPath, range: rangeOfNode(actNode), message: `the output layer ${L} uses ${g}` }];
    if (!onLoss) delete p.related;
    return p;
  };
  if (g === 'softmax' && n === 1) {
    const both: Fix = {
      title: "Use 'sigmoid' with 'binary-cross-entropy'",
      edits: [{ range: rangeOfNode(actNode), newText: '"sigmoid"' }],
    };
    if (lossNode) both.edits.push({ range: rangeOfNode(lossNode), newText: '"binary-cross-entropy"' });
    return [problem('error', `softmax over n[${L}] = 1 unit always outputs 1 and cannot learn: use n[${L}] ≥ 2 units, or sigmoid with binary-cross-entropy`, [both])];
  }
  if (loss === 'binary-cross-entropy' && g !== 'sigmoid') {
    return [
      problem('error', `binary-cross-entropy needs a sigmoid output layer, A[${L}] in (0, 1); layer ${L} uses ${g}`,
        g === 'softmax' ? [setLoss('categorical-cross-entropy'), setActivation('sigmoid')] : [setActivation('sigmoid')]),
    ];
  }
  if (loss === 'categorical-cross-entropy' && g !== 'softmax') {
    return [
      problem('error', `categorical-cross-entropy needs a softmax output layer with n[${L}] ≥ 2 classes; layer ${L} uses ${g}`,
        n === 1 && g === 'sigmoid' ? [setLoss('binary-cross-entropy'), setActivation('softmax')] : [setActivation('softmax'), setLoss('binary-cross-entropy')]),
    ];
  }
  if (loss === 'mse' && (g === 'sigmoid' || g === 'softmax')) {
    const ce = g === 'sigmoid' ? 'binary-cross-entropy' : 'categorical-cross-entropy';
    return [
      problem('warning', `mse with a ${g} output learns slowly once the output saturates; ${g} goes with ${ce}, mse with a linear output`,
        [setLoss(ce), setActivation('linear')]),
    ];
  }
  return [];
}

/** Zeros (or a random scale of 0) never break symmetry between hidden units; fine for L = 1. */
function zeroInitProblems(spec: PartialSpec, tree: Node | undefined): Problem[] {
  const init = spec.training.init;
  if (spec.layers.length < 2) return [];
  const isZero = init.scheme === 'zeros' || (init.scheme === 'random' && init.scale === 0);
  if (!isZero) return [];
  const initNode = nodeAt(tree, ['training', 'init']);
  if (!initNode) return [];
  const path: JsonPath =
    initNode.type === 'string' ? ['training', 'init'] : init.scheme === 'zeros' ? ['training', 'init', 'scheme'] : ['training', 'init', 'scale'];
  const node = nodeAt(tree, path) ?? initNode;
  const fix: Fix[] =
    init.scheme === 'zeros'
      ? [
          { title: "Use 'random' (the course's randn * 0.01)", edits: [{ range: rangeOfNode(node), newText: '"random"' }], preferred: true },
          { title: "Use 'he' (randn * sqrt(2 / n[l-1]), for relu)", edits: [{ range: rangeOfNode(node), newText: '"he"' }] },
        ]
      : [{ title: 'Use scale 0.01', edits: [{ range: rangeOfNode(node), newText: '0.01' }], preferred: true }];
  return [
    {
      code: 'zero-init',
      severity: 'warning',
      message:
        'zero initialisation: every unit of a hidden layer computes the same function and gets the same gradient, ' +
        'so symmetry is never broken; initialise W at random',
      path,
      range: rangeOfNode(node),
      fix,
    },
  ];
}
