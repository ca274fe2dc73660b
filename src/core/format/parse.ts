/**
 * Parser for `.dnn.json` (format version 1, see DESIGN.md): text -> typed `Spec` + problems.
 *
 * Total: it never throws. JSON with comments (and trailing commas) is read into a tree that keeps
 * offsets (format/tree.ts; jsonc-parser's `parseTree` for text with syntax errors), so every
 * problem points at the exact text it is about.
 * Rules of the format decided here (and documented in schemas/dnn.schema.json):
 * - required: `input` (n[0]) and `layers` (at least one); each layer needs `units` and
 *   `activation`; `data` needs `builtin` or `train`; an `init` object needs `scheme` or `file`;
 *   an `optimizer` object needs `name`.
 * - `loss` is optional: it defaults to the loss that suits the output activation (sigmoid ->
 *   binary-cross-entropy, softmax -> categorical-cross-entropy, anything else -> mse).
 * - everything else has a default (TRAINING_DEFAULTS), so a `Spec` is complete.
 * - with syntax errors, missing keys are not reported: they are usually the text not yet typed.
 */
import { readTree, Tree } from './tree';
import { createScanner, parseTree, ParseErrorCode, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';
import type { JsonPath, Problem } from '../problems';
import {
  ACTIVATIONS,
  BUILTIN_DATASETS,
  DECAY_SCHEDULES,
  isHdf5Path,
  INIT_SCHEMES,
  LOSSES,
  OPTIMIZERS,
  SHAPE_NAMES,
  TRAINING_DEFAULTS,
  type Activation,
  type DataSpec,
  type Dim,
  type InitSpec,
  type Loss,
  type OptimizerSpec,
  type Shape,
  type ShapeName,
  type Spec,
  type TrainingSpec,
  type LayerSpec,
  type DenseLayerSpec,
  type ConvLayerSpec,
  type ResidualLayerSpec,
  type Pair,
  type Padding,
  type PoolMode,
  PADDINGS,
  POOL_MODES,
} from './types';
import { hasKey, label, SpecReader, type Entry, type NumberRule, type Properties } from './json';
import { quote } from './suggest';

/** Limits of the format, stated in messages and the JSON schema. */
export const LIMITS = {
  maxUnits: 1_000_000,
  /** n[0] of a flattened input shape: a 4K RGB picture (24,883,200) fits. */
  maxInputUnits: 100_000_000,
  maxIterations: 1_000_000_000,
  maxSeed: 2 ** 32 - 1,
  maxExamples: 10_000_000,
  maxClasses: 1000,
  /** Deeper nesting than this is never a network description; parsing it would overflow the stack. */
  maxDepth: 256,
  /** Syntax errors after the first few are nearly always echoes of the first. */
  maxSyntaxErrors: 50,
} as const;

/** A leaky relu's slope. */
const ALPHA: NumberRule = { min: 0, below: 1, says: 'a number in [0, 1)' };

/** n[l], n_C[l], f and s: a count of units, filters or pixels (made once: every layer reads it). */
const POSITIVE_COUNT: NumberRule = {
  integer: true,
  min: 1,
  max: LIMITS.maxUnits,
  says: `a positive integer ≤ ${LIMITS.maxUnits.toLocaleString('en-US')}`,
};

export const ROOT_KEYS = ['$schema', 'name', 'description', 'version', 'input', 'layers', 'loss', 'data', 'training'] as const;
/** The keys of a dense layer (the default kind). */
export const LAYER_KEYS = ['type', 'units', 'activation', 'alpha', 'batchNorm', 'shapes'] as const;
export const CONV_KEYS = ['type', 'filters', 'size', 'stride', 'padding', 'activation', 'alpha', 'batchNorm', 'shapes'] as const;
export const POOL_KEYS = ['type', 'mode', 'size', 'stride', 'padding', 'shapes'] as const;
export const FLATTEN_KEYS = ['type', 'shapes'] as const;
export const RESIDUAL_KEYS = ['type', 'layers', 'shortcut', 'shapes'] as const;
export const LAYER_TYPES = ['dense', 'conv', 'pool', 'flatten', 'residual'] as const;
export type LayerType = (typeof LAYER_TYPES)[number];
/** The kinds a residual block may hold. */
export const RESIDUAL_INNER_TYPES = ['dense', 'conv'] as const;
/** The keys each kind of layer takes. */
export const KEYS_OF: Record<LayerType, readonly string[]> = {
  dense: LAYER_KEYS,
  conv: CONV_KEYS,
  pool: POOL_KEYS,
  flatten: FLATTEN_KEYS,
  residual: RESIDUAL_KEYS,
};
/** The shapes a kind of layer has, for its `shapes` key: parameterless kinds have only A and dA. */
export const SHAPES_OF: Record<LayerType, readonly ShapeName[]> = {
  dense: SHAPE_NAMES,
  conv: SHAPE_NAMES,
  pool: ['A', 'dA'],
  flatten: ['A', 'dA'],
  residual: ['A', 'dA'],
};
export const TRAINING_KEYS = [
  'iterations', 'learningRate', 'seed', 'shuffleSeed', 'init', 'optimizer', 'batchSize', 'decayRate', 'decay', 'timeInterval',
  'l2', 'keepProb', 'printEvery', 'printPrecision',
] as const;
export const BUILTIN_DATA_KEYS = ['builtin', 'examples', 'noise', 'seed', 'classes', 'devFraction', 'standardize'] as const;
export const CSV_DATA_KEYS = ['train', 'dev', 'label', 'devFraction', 'standardize'] as const;
/** HDF5 data: `train` (and `dev`) end in .h5 or .hdf5. */
export const HDF5_DATA_KEYS = ['train', 'dev', 'x', 'y', 'divideBy', 'devFraction', 'standardize'] as const;
export const IMAGE_DATA_KEYS = ['images', 'dev', 'divideBy', 'devFraction', 'standardize'] as const;
export const OPTIMIZER_KEYS = ['name', 'beta', 'beta1', 'beta2', 'epsilon'] as const;
export const INIT_KEYS = ['scheme', 'scale'] as const;

/** The course notebooks' names for our training keys, for "did you mean". */
const TRAINING_ALIASES: Record<string, string> = {
  num_iterations: 'iterations',
  num_epochs: 'iterations',
  epochs: 'iterations',
  lr: 'learningRate',
  alpha: 'learningRate',
  learning_rate: 'learningRate',
  lambd: 'l2',
  lambda: 'l2',
  keep_prob: 'keepProb',
  mini_batch_size: 'batchSize',
  print_cost: 'printEvery',
  decay_rate: 'decayRate',
  time_interval: 'timeInterval',
};

/** A dense layer as far as it could be read: `units`/`activation` are absent when broken. */
export interface PartialDense {
  type: 'dense';
  units?: number;
  activation?: Activation;
  alpha: number;
  batchNorm: boolean;
  shapes: Partial<Record<ShapeName, Shape>>;
  path: JsonPath;
}

/** A conv layer as far as it could be read: required values are absent when broken. */
export interface PartialConv {
  type: 'conv';
  filters?: number;
  size?: Pair;
  stride: Pair;
  padding: Padding;
  activation?: Activation;
  alpha: number;
  batchNorm: boolean;
  shapes: Partial<Record<ShapeName, Shape>>;
  path: JsonPath;
}

export interface PartialPool {
  type: 'pool';
  mode: PoolMode;
  size?: Pair;
  /** Absent: the window size. */
  stride?: Pair;
  padding: Padding;
  shapes: Partial<Record<ShapeName, Shape>>;
  path: JsonPath;
}

export interface PartialFlatten {
  type: 'flatten';
  shapes: Partial<Record<ShapeName, Shape>>;
  path: JsonPath;
}

export interface PartialResidual {
  type: 'residual';
  layers: (PartialDense | PartialConv)[];
  shortcut?: PartialConv;
  /** True when `layers` or `shortcut` could not be read at all. */
  broken: boolean;
  shapes: Partial<Record<ShapeName, Shape>>;
  path: JsonPath;
}

/** A layer as far as it could be read; the shape checker works on these. */
export type PartialLayer = PartialDense | PartialConv | PartialPool | PartialFlatten | PartialResidual;

/**
 * g[L] of a network whose last layer is `layer`: a residual block ends with its last inner
 * layer's activation; pool and flatten have none.
 */
export function outputActivation(layer: PartialLayer | LayerSpec | undefined): Activation | undefined {
  if (!layer) return undefined;
  if (layer.type === 'dense' || layer.type === 'conv') return layer.activation;
  if (layer.type === 'residual') return outputActivation(layer.layers[layer.layers.length - 1]);
  return undefined;
}

/** The complete layer, with every default filled in, or undefined when something required is broken. */
export function completeLayer(l: PartialLayer): LayerSpec | undefined {
  switch (l.type) {
    // A dense, conv or flatten layer with its required values is already complete: it is the
    // layer itself, not a copy (a copy of every layer was a thirtieth of what a check allocated).
    // Neither the checker nor the engine edits a layer, so the two may share it.
    case 'dense':
      return l.units === undefined || l.activation === undefined ? undefined : (l as DenseLayerSpec);
    case 'conv':
      return l.filters === undefined || l.size === undefined || l.activation === undefined ? undefined : (l as ConvLayerSpec);
    case 'pool':
      return l.size === undefined ? undefined : { ...l, size: l.size, stride: l.stride ?? l.size };
    case 'flatten':
      return l;
    case 'residual': {
      if (l.broken || l.layers.length === 0) return undefined;
      const inner: (DenseLayerSpec | ConvLayerSpec)[] = [];
      for (const x of l.layers) {
        const c = completeLayer(x);
        if (!c || (c.type !== 'dense' && c.type !== 'conv')) return undefined;
        inner.push(c);
      }
      const shortcut = l.shortcut ? completeLayer(l.shortcut) : undefined;
      if (l.shortcut && shortcut?.type !== 'conv') return undefined;
      const block: ResidualLayerSpec = { type: 'residual', layers: inner, shapes: l.shapes, path: l.path };
      if (shortcut?.type === 'conv') block.shortcut = shortcut;
      return block;
    }
  }
}

/** What could be read from a file that may be broken; the shape checker works on this. */
export interface PartialSpec {
  inputShape?: number[];
  inputUnits?: number;
  layers: PartialLayer[];
  /** Absent when the file's loss is unknown (a default is used only when `loss` is missing). */
  loss?: Loss;
  data?: DataSpec;
  training: TrainingSpec;
}

export interface ParseResult {
  /** The parse tree; absent only for text with no value at all (or nesting too deep). */
  tree?: Tree;
  /** Complete when every required part is valid; other problems may remain. */
  spec?: Spec;
  partial: PartialSpec;
  problems: Problem[];
  /** True when the text had syntax errors. */
  syntaxErrors: boolean;
}

const SYNTAX_MESSAGES: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'unexpected text: JSON values are objects, arrays, strings in double quotes, numbers, true, false or null',
  [ParseErrorCode.InvalidNumberFormat]: 'malformed number',
  [ParseErrorCode.PropertyNameExpected]: 'expected a key in double quotes',
  [ParseErrorCode.ValueExpected]: 'expected a value',
  [ParseErrorCode.ColonExpected]: "expected ':' after the key",
  [ParseErrorCode.CommaExpected]: "expected ',' between items",
  [ParseErrorCode.CloseBraceExpected]: "expected '}' to close the object",
  [ParseErrorCode.CloseBracketExpected]: "expected ']' to close the array",
  [ParseErrorCode.EndOfFileExpected]: 'expected the end of the file after the top-level value',
  [ParseErrorCode.InvalidCommentToken]: 'malformed comment',
  [ParseErrorCode.UnexpectedEndOfComment]: "unterminated comment: missing '*/'",
  [ParseErrorCode.UnexpectedEndOfString]: 'unterminated string: missing closing \'"\'',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'unterminated number',
  [ParseErrorCode.InvalidUnicode]: 'malformed \\u escape in a string',
  [ParseErrorCode.InvalidEscapeCharacter]: 'unknown escape in a string',
  [ParseErrorCode.InvalidCharacter]: 'control character in a string (write it as an escape, e.g. \\n)',
};

/** The offset of the first bracket nested deeper than `max`, or -1. Iterative: no recursion. */
function tooDeep(text: string, max: number): number {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) {
      if (++depth > max) return scanner.getTokenOffset();
    } else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) {
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

function defaultTraining(): TrainingSpec {
  return {
    ...TRAINING_DEFAULTS,
    init: { ...TRAINING_DEFAULTS.init },
    optimizer: { ...TRAINING_DEFAULTS.optimizer },
  };
}

/** The loss that suits an output activation, used when the file names none. */
export function defaultLoss(output: Activation | undefined): Loss {
  return output === 'sigmoid' ? 'binary-cross-entropy' : output === 'softmax' ? 'categorical-cross-entropy' : 'mse';
}

/**
 * jsonc-parser's error-tolerant parse, for text the fast path gave up on: nesting deeper than
 * the limit is refused first (jsonc-parser recurses), then every syntax error is reported.
 */
function parseWithErrors(source: string, text: string, r: SpecReader): { tree?: Node; syntaxErrors: boolean; refused?: true } {
  const deep = tooDeep(source, LIMITS.maxDepth);
  if (deep >= 0) {
    r.report('syntax-error', 'error', `nesting deeper than ${LIMITS.maxDepth} levels`, { offset: deep, length: 1 }, []);
    return { syntaxErrors: true, refused: true };
  }

  const errors: ParseError[] = [];
  let tree: Node | undefined;
  try {
    tree = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  } catch {
    // jsonc-parser does not throw on bad input; this guards the total-function promise anyway.
    r.report('syntax-error', 'error', 'the text could not be parsed', { offset: 0, length: Math.min(1, text.length) }, []);
    return { syntaxErrors: true };
  }
  for (const e of errors.slice(0, LIMITS.maxSyntaxErrors)) {
    const isEmpty = source.trim() === '' && e.error === ParseErrorCode.ValueExpected;
    const message = isEmpty
      ? 'the file is empty: expected an object { "input": ..., "layers": [...] }'
      : SYNTAX_MESSAGES[e.error] ?? 'syntax error';
    r.report('syntax-error', 'error', message, { offset: e.offset, length: e.length }, []);
  }
  const syntaxErrors = errors.length > 0;
  if (errors.length > LIMITS.maxSyntaxErrors) {
    const last = errors[LIMITS.maxSyntaxErrors];
    r.report(
      'syntax-error',
      'error',
      `${errors.length - LIMITS.maxSyntaxErrors} more syntax errors not shown`,
      { offset: last.offset, length: last.length },
      [],
    );
  }
  return tree ? { tree, syntaxErrors } : { syntaxErrors };
}

export function parseSpec(text: string): ParseResult {
  const r = new SpecReader(text);
  const partial: PartialSpec = { layers: [], training: defaultTraining() };
  // A UTF-8 byte order mark is not JSON; blank it out (same length, so offsets stay right).
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;

  // A well-formed file (the usual case, even while typing) is read in one fast pass; anything
  // else goes through jsonc-parser, whose error-tolerant parse and messages are the reference.
  let tree = readTree(source, LIMITS.maxDepth);
  let syntaxErrors = false;
  if (!tree) {
    const slow = parseWithErrors(source, text, r);
    if (slow.refused) return { partial, problems: r.problems, syntaxErrors: true };
    tree = slow.tree && Tree.of(slow.tree);
    syntaxErrors = slow.syntaxErrors;
  }
  if (!tree) return { partial, problems: r.problems, syntaxErrors };
  r.tree = tree;
  // Node 1 is the root.
  const type = tree.type(1);
  if (type !== 'object') {
    r.report(
      'not-an-object',
      'error',
      `the file must be an object { "input": ..., "layers": [...] }; found ${type === 'array' ? 'an array' : type === 'string' ? 'a string' : type === 'number' ? 'a number' : type}`,
      tree.range(1),
      [],
    );
    return { tree, partial, problems: r.problems, syntaxErrors };
  }
  const spec = new Parser(r, syntaxErrors).root(1, partial);
  return { tree, spec, partial, problems: r.problems, syntaxErrors };
}

class Parser {
  /** The tree the reader reads. */
  private readonly t: Tree;

  constructor(
    private readonly r: SpecReader,
    private readonly quietMissing: boolean,
  ) {
    this.t = r.tree;
  }

  private missing(node: number, path: JsonPath, key: string, why: string): void {
    if (!this.quietMissing) this.r.missing(node, path, key, why);
  }

  root(tree: number, partial: PartialSpec): Spec | undefined {
    const r = this.r;
    const props = r.properties(tree, [], ROOT_KEYS);
    let complete = true;
    let name: string | undefined;

    const nameNode = props.value('name');
    if (nameNode) name = r.string(nameNode, ['name']);
    const descNode = props.value('description');
    if (descNode) r.string(descNode, ['description']);
    const schemaNode = props.value('$schema');
    if (schemaNode) r.string(schemaNode, ['$schema']);
    const versionNode = props.value('version');
    if (versionNode) r.number(versionNode, ['version'], { integer: true, min: 1, max: 1, says: '1 (the only format version so far)' });

    const input = props.get('input');
    if (input?.value) {
      const shape = this.input(input.value);
      if (shape) {
        partial.inputShape = shape;
        partial.inputUnits = shape.reduce((a, b) => a * b, 1);
      } else complete = false;
    } else {
      complete = false;
      if (!input) this.missing(tree, [], 'input', 'n[0], the number of input features');
    }

    const layers = props.get('layers');
    if (layers?.value) {
      if (!this.layers(layers.value, partial)) complete = false;
    } else {
      complete = false;
      if (!layers) this.missing(tree, [], 'layers', 'the list of layers 1..L');
    }

    const lossNode = props.value('loss');
    const output = partial.layers[partial.layers.length - 1];
    if (lossNode) {
      partial.loss = r.choice(lossNode, ['loss'], LOSSES, 'unknown-loss', 'loss');
      if (!partial.loss) complete = false;
    } else if (!props.has('loss')) {
      partial.loss = defaultLoss(outputActivation(output));
    } else complete = false;

    const dataNode = props.value('data');
    if (dataNode) partial.data = this.data(dataNode);
    const trainingNode = props.value('training');
    if (trainingNode) this.training(trainingNode, partial.training);

    if (!complete || !partial.inputShape || partial.inputUnits === undefined || !partial.loss) return undefined;
    const layerSpecs: LayerSpec[] = [];
    for (const c of this.complete) {
      if (!c) return undefined;
      layerSpecs.push(c);
    }
    if (layerSpecs.length === 0) return undefined;
    const spec: Spec = {
      inputShape: partial.inputShape,
      inputUnits: partial.inputUnits,
      layers: layerSpecs,
      loss: partial.loss,
      training: partial.training,
    };
    if (name !== undefined) spec.name = name;
    if (partial.data) spec.data = partial.data;
    return spec;
  }

  /** `input`: n[0] as a number, or { "shape": [64, 64, 3] } (flattened to their product). */
  private input(node: number): number[] | undefined {
    const r = this.r;
    const t = this.t;
    if (t.type(node) === 'number') {
      const n = r.number(node, ['input'], POSITIVE_COUNT);
      return n === undefined ? undefined : [n];
    }
    if (t.type(node) !== 'object') {
      r.wrongType(node, ['input'], 'a number (n[0]) or an object { "shape": [...] }');
      return undefined;
    }
    const props = r.properties(node, ['input'], ['shape']);
    const shapeNode = props.value('shape');
    if (!shapeNode) {
      if (!props.has('shape')) this.missing(node, ['input'], 'shape', 'the input\'s dimensions, e.g. [64, 64, 3]');
      return undefined;
    }
    if (t.type(shapeNode) !== 'array') {
      r.wrongType(shapeNode, ['input', 'shape'], 'an array of positive integers, e.g. [64, 64, 3]');
      return undefined;
    }
    const count = t.childCount(shapeNode);
    if (count === 0) {
      r.report('out-of-range', 'error', 'input.shape must have at least one dimension; found []', t.range(shapeNode), ['input', 'shape']);
      return undefined;
    }
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const v = r.number(t.child(shapeNode, i), ['input', 'shape', i], POSITIVE_COUNT);
      if (v !== undefined) out.push(v);
    }
    if (out.length !== count) return undefined;
    // Each dimension is bounded, but their product need not be: bound n[0] itself too, so no
    // count downstream can overflow to Infinity.
    const n0 = out.reduce((a, b) => a * b, 1);
    if (n0 > LIMITS.maxInputUnits) {
      r.report(
        'out-of-range',
        'error',
        `input.shape flattens to n[0] = ${n0 > 1e21 ? n0.toExponential(2) : n0.toLocaleString('en-US')} features; the limit is ${LIMITS.maxInputUnits.toLocaleString('en-US')}`,
        t.range(shapeNode),
        ['input', 'shape'],
      );
      return undefined;
    }
    return out;
  }

  /** Returns false when the list is unusable or some layer is incomplete. */
  private layers(node: number, partial: PartialSpec): boolean {
    const r = this.r;
    const t = this.t;
    if (t.type(node) !== 'array') {
      r.wrongType(node, ['layers'], 'an array of layers [{ "units": ..., "activation": ... }, ...]');
      return false;
    }
    const count = t.childCount(node);
    if (count === 0) {
      r.report(
        'empty-network',
        'error',
        'the network has no layers: add at least the output layer, e.g. { "units": 1, "activation": "sigmoid" }',
        t.range(node),
        ['layers'],
      );
      return false;
    }
    let ok = true;
    for (let i = 0; i < count; i++) {
      const layer = this.layer(t.child(node, i), ['layers', i], LAYER_TYPES);
      partial.layers.push(layer);
      const complete = completeLayer(layer);
      this.complete.push(complete);
      if (!complete) ok = false;
    }
    return ok;
  }

  /** The number the next layer gets: layers are numbered 1..L in document order, inner ones included. */
  private nextL = 1;
  /** Each top-level layer completed as `layers` read it (undefined when broken), for the Spec. */
  private readonly complete: (LayerSpec | undefined)[] = [];

  /**
   * One layer, read by the reader of its kind (`type`, dense by default). `types` are the kinds
   * allowed here: any at the top level, dense or conv inside a residual block.
   */
  private layer(node: number, path: JsonPath, types: readonly LayerType[]): PartialLayer {
    const r = this.r;
    if (!r.object(node, path)) {
      this.nextL++;
      return brokenLayer(path);
    }
    // The kind decides which keys are known, so it is read first (the last "type" wins, as in JSON.parse).
    const typeNode = lastValue(this.t, node, 'type');
    let type: LayerType = 'dense';
    if (typeNode) {
      const what = types.length === LAYER_TYPES.length ? 'layer type' : 'layer type in a residual block';
      const chosen = r.choice(typeNode, path, types, 'unknown-value', what, 'type');
      if (!chosen) {
        r.properties(node, path, [...new Set(Object.values(KEYS_OF).flat())]);
        this.nextL++;
        return brokenLayer(path);
      }
      type = chosen;
    }
    const known = KEYS_OF[type];
    // The message for another kind's key is made only when a key is unknown: a closure per layer
    // of a large file costs more than reading the layer's keys twice.
    const unknownMessage = allKnown(this.t, node, known)
      ? undefined
      : (key: string) => {
          const owner = LAYER_TYPES.find((k) => k !== type && KEYS_OF[k].includes(key));
          return owner ? `${quote(key)} is a key of ${owner} layers; layer ${label(path).replace(/^layer /, '')} is ${type}${typeNode ? '' : ' (the default type): add "type": "' + owner + '"'}` : undefined;
        };
    const props = r.properties(node, path, known, NO_ALIASES, unknownMessage);
    return this.readers[type](node, path, props);
  }

  /** The reader of each kind's keys. */
  private readonly readers: Record<LayerType, (node: number, path: JsonPath, props: Properties) => PartialLayer> = {
    dense: (node, path, props) => this.dense(node, path, props),
    conv: (node, path, props) => this.conv(node, path, props),
    pool: (node, path, props) => this.pool(node, path, props),
    flatten: (_node, path, props) => this.flatten(path, props),
    residual: (node, path, props) => this.residual(node, path, props),
  };

  private dense(node: number, path: JsonPath, props: Properties): PartialDense {
    const r = this.r;
    const l = this.nextL++;
    const layer: PartialDense = { type: 'dense', alpha: 0.01, batchNorm: false, shapes: NO_SHAPES, path };
    const unitsNode = props.value('units');
    if (unitsNode) {
      layer.units = r.number(unitsNode, path, POSITIVE_COUNT, 'units');
    } else if (!props.has('units')) this.missing(node, path, 'units', `n[${l}], the number of units`);
    this.activation(node, path, props, layer, String(l));
    const shapesNode = props.value('shapes');
    if (shapesNode) layer.shapes = this.declaredShapes(shapesNode, path, String(l), SHAPE_NAMES, 2);
    return layer;
  }

  /**
   * `activation`, `alpha` and `batchNorm`, shared by dense and conv layers. A missing activation
   * is reported for layer `l`; a shortcut (no `l`) has a default.
   */
  private activation(node: number, path: JsonPath, props: Properties, layer: PartialDense | PartialConv, l?: string): void {
    const r = this.r;
    const actNode = props.value('activation');
    if (actNode) {
      layer.activation = r.choice(actNode, path, ACTIVATIONS, 'unknown-activation', 'activation', 'activation');
    } else if (!props.has('activation') && l !== undefined) this.missing(node, path, 'activation', `g[${l}], e.g. "relu"`);
    const alphaNode = props.value('alpha');
    if (alphaNode) {
      const a = r.number(alphaNode, path, ALPHA, 'alpha');
      if (a !== undefined) layer.alpha = a;
    }
    const bnNode = props.value('batchNorm');
    if (bnNode) layer.batchNorm = r.boolean(bnNode, path, 'batchNorm') ?? false;
  }

  /**
   * A conv layer; `shortcut` names the residual block's shortcut, which has no number of its own
   * (the course's W_s) and whose activation defaults to linear.
   */
  private conv(node: number, path: JsonPath, props: Properties, shortcut?: string): PartialConv {
    const r = this.r;
    const l = shortcut ?? String(this.nextL++);
    const layer: PartialConv = { type: 'conv', stride: square(1), padding: 'valid', alpha: 0.01, batchNorm: false, shapes: NO_SHAPES, path };
    const filtersNode = props.value('filters');
    if (filtersNode) {
      layer.filters = r.number(filtersNode, path, POSITIVE_COUNT, 'filters');
    } else if (!props.has('filters')) this.missing(node, path, 'filters', `n_C[${l}], the number of filters`);
    const sizeNode = props.value('size');
    if (sizeNode) layer.size = this.pair(sizeNode, path, 'size', 'f');
    else if (!props.has('size')) this.missing(node, path, 'size', `f[${l}], the filter size, e.g. 3 or [3, 5]`);
    const strideNode = props.value('stride');
    if (strideNode) layer.stride = this.pair(strideNode, path, 'stride', 's') ?? layer.stride;
    const padNode = props.value('padding');
    if (padNode) layer.padding = this.padding(padNode, path) ?? layer.padding;
    // A shortcut is linear unless it says otherwise: the course's W_s·a[l] is added as it is.
    if (shortcut !== undefined) layer.activation = 'linear';
    this.activation(node, path, props, layer, shortcut === undefined ? l : undefined);
    const shapesNode = props.value('shapes');
    if (shapesNode) layer.shapes = this.declaredShapes(shapesNode, path, l, SHAPE_NAMES);
    return layer;
  }

  private pool(node: number, path: JsonPath, props: Properties): PartialPool {
    const r = this.r;
    const l = String(this.nextL++);
    const layer: PartialPool = { type: 'pool', mode: 'max', padding: 'valid', shapes: NO_SHAPES, path };
    const modeNode = props.value('mode');
    if (modeNode) layer.mode = r.choice(modeNode, path, POOL_MODES, 'unknown-value', 'pooling mode', 'mode') ?? layer.mode;
    const sizeNode = props.value('size');
    if (sizeNode) layer.size = this.pair(sizeNode, path, 'size', 'f');
    else if (!props.has('size')) this.missing(node, path, 'size', `f[${l}], the window size, e.g. 2`);
    const strideNode = props.value('stride');
    if (strideNode) layer.stride = this.pair(strideNode, path, 'stride', 's');
    const padNode = props.value('padding');
    if (padNode) layer.padding = this.padding(padNode, path) ?? layer.padding;
    const shapesNode = props.value('shapes');
    if (shapesNode) layer.shapes = this.declaredShapes(shapesNode, path, l, SHAPES_OF.pool);
    return layer;
  }

  private flatten(path: JsonPath, props: Properties): PartialFlatten {
    const l = String(this.nextL++);
    const layer: PartialFlatten = { type: 'flatten', shapes: NO_SHAPES, path };
    const shapesNode = props.value('shapes');
    if (shapesNode) layer.shapes = this.declaredShapes(shapesNode, path, l, SHAPES_OF.flatten, 2);
    return layer;
  }

  private residual(node: number, path: JsonPath, props: Properties): PartialResidual {
    const r = this.r;
    const t = this.t;
    const block: PartialResidual = { type: 'residual', layers: NO_INNER_LAYERS, broken: false, shapes: NO_SHAPES, path };
    const layersNode = props.value('layers');
    if (!layersNode) {
      block.broken = true;
      if (!props.has('layers')) this.missing(node, path, 'layers', 'the layers the block adds its input to, e.g. two conv layers');
    } else if (t.type(layersNode) !== 'array') {
      block.broken = true;
      r.wrongType(layersNode, [...path, 'layers'], 'an array of conv or dense layers');
    } else if (t.childCount(layersNode) === 0) {
      block.broken = true;
      r.report('empty-network', 'error', `${label(path)}: a residual block needs at least one layer`, t.range(layersNode), [...path, 'layers']);
    } else {
      // Exactly as long as it needs to be: an array grown by push reserves room for 17.
      const count = t.childCount(layersNode);
      const layers: (PartialDense | PartialConv)[] = new Array<PartialDense | PartialConv>(count);
      let k = 0;
      for (let j = 0; j < count; j++) {
        const inner = this.layer(t.child(layersNode, j), [...path, 'layers', j], RESIDUAL_INNER_TYPES);
        if (inner.type === 'dense' || inner.type === 'conv') layers[k++] = inner;
      }
      layers.length = k;
      block.layers = layers;
    }
    const last = String(this.nextL - 1);
    const shortcutNode = props.value('shortcut');
    if (shortcutNode) {
      const at = [...path, 'shortcut'];
      if (!r.object(shortcutNode, at)) block.broken = true;
      else {
        const typeNode = lastValue(t, shortcutNode, 'type');
        const kind = typeNode ? r.choice(typeNode, [...at, 'type'], ['conv'] as const, 'unknown-value', 'shortcut type') : 'conv';
        const sprops = r.properties(shortcutNode, at, CONV_KEYS);
        if (kind) block.shortcut = this.conv(shortcutNode, at, sprops, `s${last}`);
        else block.broken = true;
      }
    }
    const shapesNode = props.value('shapes');
    if (shapesNode) block.shapes = this.declaredShapes(shapesNode, path, last, SHAPES_OF.residual);
    return block;
  }

  /** The layer's `key` (size or stride): an integer n (meaning [n, n]) or [h, w]. */
  private pair(node: number, layerPath: JsonPath, key: string, symbol: string): Pair | undefined {
    const r = this.r;
    const t = this.t;
    const rule = POSITIVE_COUNT;
    if (t.type(node) === 'number') {
      const n = r.number(node, layerPath, rule, key);
      return n === undefined ? undefined : square(n);
    }
    const path = [...layerPath, key];
    if (t.type(node) !== 'array') {
      r.wrongType(node, path, `an integer ${symbol} or a pair [${symbol}_H, ${symbol}_W]`);
      return undefined;
    }
    const count = t.childCount(node);
    if (count !== 2) {
      r.report('out-of-range', 'error', `${label(path)} must be an integer or a pair [${symbol}_H, ${symbol}_W]; found ${count} numbers`, t.range(node), path);
      return undefined;
    }
    const h = r.number(t.child(node, 0), [...path, 0], rule);
    const w = r.number(t.child(node, 1), [...path, 1], rule);
    return h === undefined || w === undefined ? undefined : [h, w];
  }

  /** The `padding` of the layer at `path`: "valid", "same" or an integer p ≥ 0. */
  private padding(node: number, path: JsonPath): Padding | undefined {
    const r = this.r;
    const type = this.t.type(node);
    if (type === 'number') {
      return r.number(node, path, { integer: true, min: 0, max: LIMITS.maxUnits, says: `"valid", "same" or an integer p ≥ 0` }, 'padding');
    }
    if (type !== 'string') {
      r.wrongType(node, path, '"valid", "same" or an integer p ≥ 0', 'padding');
      return undefined;
    }
    return r.choice(node, path, PADDINGS, 'unknown-value', 'padding', 'padding');
  }

  /**
   * `"shapes": { "W": [4, 2], "Z": [4, "m"] }` of the layer at `layerPath`: each a shape of
   * positive integers or "m".
   * `names` are the shapes the kind has; `rank`, when given, is the one rank they all have (dense:
   * rows and columns). Other kinds' ranks differ per shape and are checked with the inferred shapes.
   */
  private declaredShapes(node: number, layerPath: JsonPath, l: string, names: readonly ShapeName[], rank?: number): Partial<Record<ShapeName, Shape>> {
    const r = this.r;
    const t = this.t;
    const out: Partial<Record<ShapeName, Shape>> = {};
    if (!r.object(node, layerPath, 'shapes')) return out;
    const props = r.properties(node, layerPath, names, NO_ALIASES, undefined, 'shapes');
    // Each shape's path is made only for a problem: most declared shapes are well formed.
    // A loop rather than forEach: a closure per layer of a large file cost more than its shapes.
    for (let k = 0; k < props.count; k++) {
      const key = props.firstKey(k);
      if (key === undefined) continue;
      const v = props.value(key);
      if (!(names as readonly string[]).includes(key) || !v) continue;
      const name = key as ShapeName;
      const example = rank === 2 ? '[4, 2] or [4, "m"]' : '[4, 2] or ["m", 28, 28, 6]';
      if (t.type(v) !== 'array') {
        r.report('shape-invalid', 'error', `${name}[${l}] must be a shape like ${example}; found ${describeShort(t, v)}`, t.range(v), [...layerPath, 'shapes', key]);
        continue;
      }
      const count = t.childCount(v);
      if (rank !== undefined && count !== rank) {
        r.report(
          'shape-invalid',
          'error',
          `${name}[${l}] must have 2 dimensions (rows, columns); found ${count}`,
          t.range(v),
          [...layerPath, 'shapes', key],
        );
        continue;
      }
      if (count === 0) {
        r.report('shape-invalid', 'error', `${name}[${l}] must have at least one dimension; found []`, t.range(v), [...layerPath, 'shapes', key]);
        continue;
      }
      let valid = true;
      for (let i = 0; i < count; i++) {
        const d = t.child(v, i);
        if (!isDim(t, d)) {
          valid = false;
          r.report(
            'shape-invalid',
            'error',
            `${name}[${l}]: a dimension must be a positive integer or "m"; found ${r.source(d)}`,
            t.range(d),
            [...layerPath, 'shapes', key, i],
          );
        }
      }
      if (valid) out[name] = this.shape(v);
    }
    return out;
  }

  /** Declared shapes read lately, frozen: a large file declares the same few again and again. */
  private readonly recentShapes: Shape[] = [];

  /**
   * The shape an array of valid dimensions declares: the same frozen array as the last time it
   * was declared, when that was recent (nothing edits a declared shape).
   */
  private shape(v: number): Shape {
    const t = this.t;
    const count = t.childCount(v);
    const recent = this.recentShapes;
    for (let k = recent.length - 1; k >= 0; k--) {
      const s = recent[k]!;
      if (s.length !== count) continue;
      let same = true;
      for (let i = 0; i < count && same; i++) same = s[i] === dimOf(t, t.child(v, i));
      if (same) return s;
    }
    const dims: Dim[] = new Array<Dim>(count);
    for (let i = 0; i < count; i++) dims[i] = dimOf(t, t.child(v, i));
    Object.freeze(dims);
    if (recent.length === 16) recent.shift();
    recent.push(dims);
    return dims;
  }

  private data(node: number): DataSpec | undefined {
    const r = this.r;
    const t = this.t;
    const path: JsonPath = ['data'];
    if (!r.object(node, path)) return undefined;
    const entries = Array.from(t.children(node));
    const keys = new Set(entries.map((p) => t.keyOf(p)));
    // The kind follows the keys: builtin, then images, then train (HDF5 by its extension, else CSV).
    const firstTrain = entries.find((p) => t.keyOf(p) === 'train');
    const trainValue = firstTrain ? t.value(t.valueNode(firstTrain)) : undefined;
    const kind = keys.has('builtin') ? 'builtin' : keys.has('images') ? 'images' : !keys.has('train') ? 'builtin' : typeof trainValue === 'string' && isHdf5Path(trainValue) ? 'hdf5' : 'csv';
    const allowed = { builtin: BUILTIN_DATA_KEYS, csv: CSV_DATA_KEYS, hdf5: HDF5_DATA_KEYS, images: IMAGE_DATA_KEYS }[kind];
    const props = r.properties(node, path, allowed, {}, (key) =>
      kind === 'builtin' && (CSV_DATA_KEYS as readonly string[]).includes(key) && keys.has('builtin')
        ? `${quote(key)} is for CSV data and cannot be combined with 'builtin'`
        : undefined,
    );
    const devFraction = this.optionalNumber(props.get('devFraction'), [...path, 'devFraction'], {
      min: 0,
      below: 1,
      says: 'a number in [0, 1)',
    });
    const standardizeNode = props.value('standardize');
    const standardize = standardizeNode ? r.boolean(standardizeNode, [...path, 'standardize']) : undefined;
    const optionalString = (key: string): string | undefined => {
      const n = props.value(key);
      return n ? r.string(n, [...path, key]) : undefined;
    };
    const common = { devFraction: devFraction ?? 0, standardize: standardize ?? false, path };
    if (kind === 'csv' || kind === 'hdf5') {
      const train = optionalString('train');
      const dev = optionalString('dev');
      if (kind === 'hdf5') {
        const x = optionalString('x');
        const y = optionalString('y');
        const divideBy = this.divideBy(props.get('divideBy'), 1);
        if (train === undefined || divideBy === undefined) return undefined;
        const spec: DataSpec = { kind, train, divideBy, ...common };
        if (dev !== undefined) spec.dev = dev;
        if (x !== undefined) spec.x = x;
        if (y !== undefined) spec.y = y;
        return spec;
      }
      const labelNode = props.value('label');
      const labelName = labelNode ? r.string(labelNode, [...path, 'label']) : 'y';
      if (train === undefined || labelName === undefined) return undefined;
      const spec: DataSpec = { kind: 'csv', train, label: labelName, ...common };
      if (dev !== undefined) spec.dev = dev;
      return spec;
    }
    if (kind === 'images') {
      const images = optionalString('images');
      const dev = optionalString('dev');
      const divideBy = this.divideBy(props.get('divideBy'), 255);
      if (images === undefined || divideBy === undefined) return undefined;
      const spec: DataSpec = { kind, images, divideBy, ...common };
      if (dev !== undefined) spec.dev = dev;
      return spec;
    }
    const builtinNode = props.value('builtin');
    if (!builtinNode) {
      if (!props.has('builtin')) {
        this.missing(node, path, 'builtin', `a built-in dataset (${BUILTIN_DATASETS.join(', ')}), 'train' (a CSV or HDF5 file) or 'images' (a folder of pictures)`);
      }
      return undefined;
    }
    const builtin = r.choice(builtinNode, [...path, 'builtin'], BUILTIN_DATASETS, 'unknown-value', 'built-in dataset');
    const examples = this.optionalNumber(props.get('examples'), [...path, 'examples'], {
      integer: true,
      min: 1,
      max: LIMITS.maxExamples,
      says: `a positive integer ≤ ${LIMITS.maxExamples.toLocaleString('en-US')}`,
    });
    const noise = this.optionalNumber(props.get('noise'), [...path, 'noise'], { min: 0, says: 'a number ≥ 0' });
    const seed = this.optionalNumber(props.get('seed'), [...path, 'seed'], {
      integer: true,
      min: 0,
      max: LIMITS.maxSeed,
      says: 'an integer in [0, 2^32 - 1]',
    });
    const classes = this.optionalNumber(props.get('classes'), [...path, 'classes'], {
      integer: true,
      min: 2,
      max: LIMITS.maxClasses,
      says: `an integer in [2, ${LIMITS.maxClasses}]`,
    });
    if (!builtin) return undefined;
    const spec: DataSpec = { kind: 'builtin', builtin, ...common };
    if (examples !== undefined) spec.examples = examples;
    if (noise !== undefined) spec.noise = noise;
    if (seed !== undefined) spec.seed = seed;
    if (classes !== undefined) spec.classes = classes;
    return spec;
  }

  /** `divideBy`: a positive number (the course divides pixels by 255); `fallback` when absent. */
  private divideBy(entry: Entry | undefined, fallback: number): number | undefined {
    if (!entry?.value) return fallback;
    return this.r.number(entry.value, ['data', 'divideBy'], { above: 0, says: 'a number > 0' });
  }

  private optionalNumber(entry: Entry | undefined, path: JsonPath, rule: Parameters<SpecReader['number']>[2]): number | undefined {
    return entry?.value ? this.r.number(entry.value, path, rule) : undefined;
  }

  private training(node: number, t: TrainingSpec): void {
    const r = this.r;
    const tree = this.t;
    const path: JsonPath = ['training'];
    if (!r.object(node, path)) return;
    const props = r.properties(node, path, TRAINING_KEYS, TRAINING_ALIASES);
    const num = (key: string, rule: Parameters<SpecReader['number']>[2]) => this.optionalNumber(props.get(key), [...path, key], rule);
    const iterations = num('iterations', {
      integer: true,
      min: 1,
      max: LIMITS.maxIterations,
      says: `a positive integer ≤ ${LIMITS.maxIterations.toLocaleString('en-US')}`,
    });
    if (iterations !== undefined) t.iterations = iterations;
    const learningRate = num('learningRate', { above: 0, says: 'a number > 0' });
    if (learningRate !== undefined) t.learningRate = learningRate;
    const seed = num('seed', { integer: true, min: 0, max: LIMITS.maxSeed, says: 'an integer in [0, 2^32 - 1]' });
    if (seed !== undefined) t.seed = seed;
    const batchNode = props.value('batchSize');
    if (batchNode && tree.type(batchNode) !== 'null') {
      if (tree.type(batchNode) !== 'number') r.wrongType(batchNode, [...path, 'batchSize'], 'a positive integer or null (full batch)');
      else {
        const b = r.number(batchNode, [...path, 'batchSize'], { integer: true, min: 1, says: 'a positive integer or null (full batch)' });
        if (b !== undefined) t.batchSize = b;
      }
    }
    const decayRate = num('decayRate', { min: 0, says: 'a number ≥ 0' });
    if (decayRate !== undefined) t.decayRate = decayRate;
    const decayNode = props.value('decay');
    if (decayNode) {
      const decay = r.choice(decayNode, [...path, 'decay'], DECAY_SCHEDULES, 'unknown-value', 'decay schedule');
      if (decay) t.decay = decay;
    }
    const timeInterval = num('timeInterval', { integer: true, min: 1, says: 'a positive integer (epochs)' });
    if (timeInterval !== undefined) t.timeInterval = timeInterval;
    const shuffleSeed = num('shuffleSeed', { integer: true, min: 0, max: LIMITS.maxSeed, says: 'an integer in [0, 2^32 - 1]' });
    if (shuffleSeed !== undefined) t.shuffleSeed = shuffleSeed;
    const l2 = num('l2', { min: 0, says: 'a number ≥ 0' });
    if (l2 !== undefined) t.l2 = l2;
    const keepProb = num('keepProb', { above: 0, max: 1, says: 'a number in (0, 1]' });
    if (keepProb !== undefined) t.keepProb = keepProb;
    const printEvery = num('printEvery', { integer: true, min: 1, says: 'a positive integer' });
    if (printEvery !== undefined) t.printEvery = printEvery;
    const precisionNode = props.value('printPrecision');
    if (precisionNode) {
      const says = 'an integer from 0 to 17 (decimals) or "full"';
      const type = tree.type(precisionNode);
      if (type === 'string') {
        const value = tree.string(precisionNode);
        if (value === 'full') t.printPrecision = 'full';
        else r.report('unknown-value', 'error', `training.printPrecision must be ${says}; found ${JSON.stringify(value)}`, tree.range(precisionNode), [...path, 'printPrecision']);
      } else if (type !== 'number') r.wrongType(precisionNode, [...path, 'printPrecision'], says);
      else {
        const p = r.number(precisionNode, [...path, 'printPrecision'], { integer: true, min: 0, max: 17, says });
        if (p !== undefined) t.printPrecision = p;
      }
    }
    const initNode = props.value('init');
    if (initNode) {
      const init = this.init(initNode);
      if (init) t.init = init;
    }
    const optNode = props.value('optimizer');
    if (optNode) {
      const opt = this.optimizer(optNode, t.optimizer);
      if (opt) t.optimizer = opt;
    }
    // Keys that other keys make useless: said, so a run that ignores them surprises nobody.
    const useless = (key: string, why: string) => {
      const k = props.key(key);
      if (k) r.report('no-effect', 'warning', `training.${key} has no effect: ${why}`, tree.range(k), [...path, key]);
    };
    if (t.decayRate === 0) {
      useless('decay', 'decayRate is 0 (no decay)');
      useless('timeInterval', 'decayRate is 0 (no decay)');
    } else if (t.decay === 'updateLr') useless('timeInterval', 'only "decay": "scheduleLrDecay" reads it');
    const batchNode2 = props.value('batchSize');
    if (!batchNode2 || tree.type(batchNode2) === 'null') useless('shuffleSeed', 'there are no mini-batches to shuffle (batchSize is null)');
  }

  /** Optimiser keys the chosen optimiser does not read (RMSprop reads beta2 and epsilon, as Adam's second moment). */
  private static readonly OPTIMIZER_READS: Record<string, readonly string[]> = {
    gd: [],
    momentum: ['beta'],
    rmsprop: ['beta2', 'epsilon'],
    adam: ['beta1', 'beta2', 'epsilon'],
  };

  /** `init`: "he", { "scheme": "random", "scale": 0.01 } or { "file": "start.params.json" }. */
  private init(node: number): InitSpec | undefined {
    const r = this.r;
    const t = this.t;
    const path: JsonPath = ['training', 'init'];
    // The course's multiplier for "random" (np.random.randn(...) * 0.01).
    const scale = 0.01;
    if (t.type(node) === 'string') {
      const scheme = r.choice(node, path, INIT_SCHEMES, 'unknown-value', 'init scheme');
      return scheme ? { scheme, scale } : undefined;
    }
    if (t.type(node) !== 'object') {
      r.wrongType(node, path, 'a scheme name or an object { "scheme": ..., "scale": ... } or { "file": ... }');
      return undefined;
    }
    const hasFile = hasKey(t, node, 'file');
    if (hasFile) {
      const props = r.properties(node, path, ['file'], {}, (key) =>
        (INIT_KEYS as readonly string[]).includes(key) ? `${quote(key)} cannot be combined with 'file' in training.init` : undefined,
      );
      const fileNode = props.value('file');
      const file = fileNode ? r.string(fileNode, [...path, 'file']) : undefined;
      return file === undefined ? undefined : { scheme: 'file', path: file };
    }
    const props = r.properties(node, path, INIT_KEYS, { file: 'file' });
    const schemeNode = props.value('scheme');
    const scaleEntry = props.get('scale');
    const s = scaleEntry?.value ? r.number(scaleEntry.value, [...path, 'scale'], { min: 0, says: 'a number ≥ 0' }) : undefined;
    if (!schemeNode) {
      if (!props.has('scheme')) this.missing(node, path, 'scheme', `one of ${INIT_SCHEMES.join(', ')}; or give 'file'`);
      return undefined;
    }
    const scheme = r.choice(schemeNode, [...path, 'scheme'], INIT_SCHEMES, 'unknown-value', 'init scheme');
    return scheme ? { scheme, scale: s ?? scale } : undefined;
  }

  private optimizer(node: number, defaults: OptimizerSpec): OptimizerSpec | undefined {
    const r = this.r;
    const t = this.t;
    const path: JsonPath = ['training', 'optimizer'];
    if (t.type(node) === 'string') {
      const name = r.choice(node, path, OPTIMIZERS, 'unknown-value', 'optimizer');
      return name ? { ...defaults, name } : undefined;
    }
    if (t.type(node) !== 'object') {
      r.wrongType(node, path, 'an optimizer name or an object { "name": ..., "beta1": ... }');
      return undefined;
    }
    const props = r.properties(node, path, OPTIMIZER_KEYS);
    const opt: OptimizerSpec = { ...defaults };
    const beta = (key: 'beta' | 'beta1' | 'beta2') => {
      const v = this.optionalNumber(props.get(key), [...path, key], { min: 0, below: 1, says: 'a number in [0, 1)' });
      if (v !== undefined) opt[key] = v;
    };
    beta('beta');
    beta('beta1');
    beta('beta2');
    const eps = this.optionalNumber(props.get('epsilon'), [...path, 'epsilon'], { above: 0, says: 'a number > 0' });
    if (eps !== undefined) opt.epsilon = eps;
    const nameNode = props.value('name');
    if (!nameNode) {
      if (!props.has('name')) this.missing(node, path, 'name', OPTIMIZERS.join(', '));
      return undefined;
    }
    const name = r.choice(nameNode, [...path, 'name'], OPTIMIZERS, 'unknown-value', 'optimizer');
    if (!name) return undefined;
    opt.name = name;
    const reads = Parser.OPTIMIZER_READS[name];
    for (const key of ['beta', 'beta1', 'beta2', 'epsilon']) {
      const k = props.key(key);
      if (!k || reads.includes(key)) continue;
      const instead = name === 'rmsprop' && key === 'beta' ? '; RMSprop\'s β is beta2' : name === 'momentum' && key === 'beta1' ? '; momentum\'s β is beta' : '';
      r.report('no-effect', 'warning', `training.optimizer.${key} has no effect with ${name}${instead}`, t.range(k), [...path, key]);
    }
    return opt;
  }
}

/** A declared dimension: a positive integer or "m". */
/** What a layer that cannot be read at all stands for: made only for such a layer, since most are read. */
function brokenLayer(path: JsonPath): PartialDense {
  return { type: 'dense', alpha: 0.01, batchNorm: false, shapes: NO_SHAPES, path };
}

function isDim(t: Tree, d: number): boolean {
  const kind = t.type(d);
  if (kind === 'string') return t.string(d) === 'm';
  const v = t.number(d);
  return v !== undefined && Number.isInteger(v) && v >= 1;
}

/** The value of a dimension `isDim` accepts. */
function dimOf(t: Tree, d: number): Dim {
  return t.type(d) === 'string' ? 'm' : (t.number(d) as number);
}

/** Whether every key of an object is in `known`. */
function allKnown(t: Tree, object: number, known: readonly string[]): boolean {
  for (let i = 0; i < t.childCount(object); i++) {
    const key = t.keyOf(t.child(object, i));
    if (key !== undefined && !known.includes(key)) return false;
  }
  return true;
}

const NO_ALIASES: Readonly<Record<string, string>> = {};

/**
 * The declared shapes of a layer that declares none, shared: nothing writes to a layer's shapes
 * (the parser gives a layer that declares some an object of its own).
 */
const NO_SHAPES: Partial<Record<ShapeName, Shape>> = Object.freeze({});

/** The inner layers of a block whose `layers` cannot be read, shared (a block that has some gets its own array). */
const NO_INNER_LAYERS: (PartialDense | PartialConv)[] = Object.freeze([]) as unknown as (PartialDense | PartialConv)[];

/** [n, n] for every small n, shared: a conv layer's size and stride are usually one of these. */
const SQUARES: readonly Pair[] = Array.from({ length: 33 }, (_, n) => Object.freeze([n, n]) as unknown as Pair);

/** The pair [n, n] (frozen and shared for small n: no layer's size or stride is edited in place). */
function square(n: number): Pair {
  return n < SQUARES.length ? SQUARES[n]! : [n, n];
}

/** The value of an object's last property `key` (the one JSON.parse keeps), read before the rest; 0 when absent. */
function lastValue(t: Tree, object: number, key: string): number {
  for (let i = t.childCount(object) - 1; i >= 0; i--) {
    const p = t.child(object, i);
    if (t.keyOf(p) === key) return t.valueNode(p);
  }
  return 0;
}

function describeShort(t: Tree, node: number): string {
  const type = t.type(node);
  return type === 'object' ? 'an object' : type === 'string' ? 'a string' : type === 'number' ? 'a number' : type;
}
