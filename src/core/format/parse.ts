/**
 * Parser for `.dnn.json` (format version 1, see DESIGN.md): text -> typed `Spec` + problems.
 *
 * Total: it never throws. JSON with comments (and trailing commas) is read with jsonc-parser's
 * `parseTree`, which keeps offsets, so every problem points at the exact text it is about.
 * Rules of the format decided here (and documented in schemas/dnn.schema.json):
 * - required: `input` (n[0]) and `layers` (at least one); each layer needs `units` and
 *   `activation`; `data` needs `builtin` or `train`; an `init` object needs `scheme` or `file`;
 *   an `optimizer` object needs `name`.
 * - `loss` is optional: it defaults to the loss that suits the output activation (sigmoid ->
 *   binary-cross-entropy, softmax -> categorical-cross-entropy, anything else -> mse).
 * - everything else has a default (TRAINING_DEFAULTS), so a `Spec` is complete.
 * - with syntax errors, missing keys are not reported: they are usually the text not yet typed.
 */
import { createScanner, parseTree, ParseErrorCode, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';
import type { JsonPath, Problem } from '../problems';
import {
  ACTIVATIONS,
  BUILTIN_DATASETS,
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
} from './types';
import { SpecReader, type Entry } from './json';
import { rangeOfNode } from './locate';
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

export const ROOT_KEYS = ['$schema', 'name', 'description', 'version', 'input', 'layers', 'loss', 'data', 'training'] as const;
export const LAYER_KEYS = ['type', 'units', 'activation', 'alpha', 'batchNorm', 'shapes'] as const;
export const LAYER_TYPES = ['dense'] as const;
export const TRAINING_KEYS = [
  'iterations', 'learningRate', 'seed', 'init', 'optimizer', 'batchSize', 'decayRate', 'l2', 'keepProb', 'printEvery',
] as const;
export const BUILTIN_DATA_KEYS = ['builtin', 'examples', 'noise', 'seed', 'classes', 'devFraction', 'standardize'] as const;
export const CSV_DATA_KEYS = ['train', 'dev', 'label', 'devFraction', 'standardize'] as const;
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
};

/** A layer as far as it could be read: `units`/`activation` are absent when broken. */
export interface PartialLayer {
  type: 'dense';
  units?: number;
  activation?: Activation;
  alpha: number;
  batchNorm: boolean;
  shapes: Partial<Record<ShapeName, Shape>>;
  path: JsonPath;
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
  tree?: Node;
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

export function parseSpec(text: string): ParseResult {
  const r = new SpecReader(text);
  const partial: PartialSpec = { layers: [], training: defaultTraining() };
  // A UTF-8 byte order mark is not JSON; blank it out (same length, so offsets stay right).
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;

  const deep = tooDeep(source, LIMITS.maxDepth);
  if (deep >= 0) {
    r.report('syntax-error', 'error', `nesting deeper than ${LIMITS.maxDepth} levels`, { offset: deep, length: 1 }, []);
    return { partial, problems: r.problems, syntaxErrors: true };
  }

  const errors: ParseError[] = [];
  let tree: Node | undefined;
  try {
    tree = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  } catch {
    // jsonc-parser does not throw on bad input; this guards the total-function promise anyway.
    r.report('syntax-error', 'error', 'the text could not be parsed', { offset: 0, length: Math.min(1, text.length) }, []);
    return { partial, problems: r.problems, syntaxErrors: true };
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
  if (!tree) return { partial, problems: r.problems, syntaxErrors };
  if (tree.type !== 'object') {
    r.report(
      'not-an-object',
      'error',
      `the file must be an object { "input": ..., "layers": [...] }; found ${tree.type === 'array' ? 'an array' : tree.type === 'string' ? 'a string' : tree.type === 'number' ? 'a number' : tree.type}`,
      rangeOfNode(tree),
      [],
    );
    return { tree, partial, problems: r.problems, syntaxErrors };
  }
  const spec = new Parser(r, syntaxErrors).root(tree, partial);
  return { tree, spec, partial, problems: r.problems, syntaxErrors };
}

class Parser {
  constructor(
    private readonly r: SpecReader,
    private readonly quietMissing: boolean,
  ) {}

  private missing(node: Node, path: JsonPath, key: string, why: string): void {
    if (!this.quietMissing) this.r.missing(node, path, key, why);
  }

  root(tree: Node, partial: PartialSpec): Spec | undefined {
    const r = this.r;
    const props = r.properties(tree, [], ROOT_KEYS);
    let complete = true;
    let name: string | undefined;

    const nameNode = props.get('name')?.value;
    if (nameNode) name = r.string(nameNode, ['name']);
    const descNode = props.get('description')?.value;
    if (descNode) r.string(descNode, ['description']);
    const schemaNode = props.get('$schema')?.value;
    if (schemaNode) r.string(schemaNode, ['$schema']);
    const versionNode = props.get('version')?.value;
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

    const lossNode = props.get('loss')?.value;
    const output = partial.layers[partial.layers.length - 1];
    if (lossNode) {
      partial.loss = r.choice(lossNode, ['loss'], LOSSES, 'unknown-loss', 'loss');
      if (!partial.loss) complete = false;
    } else if (!props.has('loss')) {
      partial.loss = defaultLoss(output?.activation);
    } else complete = false;

    const dataNode = props.get('data')?.value;
    if (dataNode) partial.data = this.data(dataNode);
    const trainingNode = props.get('training')?.value;
    if (trainingNode) this.training(trainingNode, partial.training);

    if (!complete || !partial.inputShape || partial.inputUnits === undefined || !partial.loss) return undefined;
    const layerSpecs = [];
    for (const l of partial.layers) {
      if (l.units === undefined || l.activation === undefined) return undefined;
      layerSpecs.push({ ...l, units: l.units, activation: l.activation });
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
  private input(node: Node): number[] | undefined {
    const r = this.r;
    const unitsRule = { integer: true, min: 1, max: LIMITS.maxUnits, says: `a positive integer ≤ ${LIMITS.maxUnits.toLocaleString('en-US')}` };
    if (node.type === 'number') {
      const n = r.number(node, ['input'], unitsRule);
      return n === undefined ? undefined : [n];
    }
    if (node.type !== 'object') {
      r.wrongType(node, ['input'], 'a number (n[0]) or an object { "shape": [...] }');
      return undefined;
    }
    const props = r.properties(node, ['input'], ['shape']);
    const shapeNode = props.get('shape')?.value;
    if (!shapeNode) {
      if (!props.has('shape')) this.missing(node, ['input'], 'shape', 'the input\'s dimensions, e.g. [64, 64, 3]');
      return undefined;
    }
    if (shapeNode.type !== 'array') {
      r.wrongType(shapeNode, ['input', 'shape'], 'an array of positive integers, e.g. [64, 64, 3]');
      return undefined;
    }
    const dims = shapeNode.children ?? [];
    if (dims.length === 0) {
      r.report('out-of-range', 'error', 'input.shape must have at least one dimension; found []', rangeOfNode(shapeNode), ['input', 'shape']);
      return undefined;
    }
    const out: number[] = [];
    dims.forEach((d, i) => {
      const v = r.number(d, ['input', 'shape', i], unitsRule);
      if (v !== undefined) out.push(v);
    });
    if (out.length !== dims.length) return undefined;
    // Each dimension is bounded, but their product need not be: bound n[0] itself too, so no
    // count downstream can overflow to Infinity.
    const n0 = out.reduce((a, b) => a * b, 1);
    if (n0 > LIMITS.maxInputUnits) {
      r.report(
        'out-of-range',
        'error',
        `input.shape flattens to n[0] = ${n0 > 1e21 ? n0.toExponential(2) : n0.toLocaleString('en-US')} features; the limit is ${LIMITS.maxInputUnits.toLocaleString('en-US')}`,
        rangeOfNode(shapeNode),
        ['input', 'shape'],
      );
      return undefined;
    }
    return out;
  }

  /** Returns false when the list is unusable or some layer is incomplete. */
  private layers(node: Node, partial: PartialSpec): boolean {
    const r = this.r;
    if (node.type !== 'array') {
      r.wrongType(node, ['layers'], 'an array of layers [{ "units": ..., "activation": ... }, ...]');
      return false;
    }
    const items = node.children ?? [];
    if (items.length === 0) {
      r.report(
        'empty-network',
        'error',
        'the network has no layers: add at least the output layer, e.g. { "units": 1, "activation": "sigmoid" }',
        rangeOfNode(node),
        ['layers'],
      );
      return false;
    }
    let ok = true;
    items.forEach((item, i) => {
      const layer = this.layer(item, ['layers', i]);
      partial.layers.push(layer);
      if (layer.units === undefined || layer.activation === undefined) ok = false;
    });
    return ok;
  }

  private layer(node: Node, path: JsonPath): PartialLayer {
    const r = this.r;
    const l = (path[1] as number) + 1;
    const layer: PartialLayer = { type: 'dense', alpha: 0.01, batchNorm: false, shapes: {}, path };
    if (!r.object(node, path)) return layer;
    const props = r.properties(node, path, LAYER_KEYS);
    const typeNode = props.get('type')?.value;
    if (typeNode) {
      const t = r.choice(typeNode, [...path, 'type'], LAYER_TYPES, 'unknown-value', 'layer type');
      if (!t) return layer;
    }
    const unitsNode = props.get('units')?.value;
    if (unitsNode) {
      layer.units = r.number(unitsNode, [...path, 'units'], {
        integer: true,
        min: 1,
        max: LIMITS.maxUnits,
        says: `a positive integer ≤ ${LIMITS.maxUnits.toLocaleString('en-US')}`,
      });
    } else if (!props.has('units')) this.missing(node, path, 'units', `n[${l}], the number of units`);
    const actNode = props.get('activation')?.value;
    if (actNode) {
      layer.activation = r.choice(actNode, [...path, 'activation'], ACTIVATIONS, 'unknown-activation', 'activation');
    } else if (!props.has('activation')) this.missing(node, path, 'activation', `g[${l}], e.g. "relu"`);
    const alphaNode = props.get('alpha')?.value;
    if (alphaNode) {
      const a = r.number(alphaNode, [...path, 'alpha'], { min: 0, below: 1, says: 'a number in [0, 1)' });
      if (a !== undefined) layer.alpha = a;
    }
    const bnNode = props.get('batchNorm')?.value;
    if (bnNode) layer.batchNorm = r.boolean(bnNode, [...path, 'batchNorm']) ?? false;
    const shapesNode = props.get('shapes')?.value;
    if (shapesNode) layer.shapes = this.declaredShapes(shapesNode, [...path, 'shapes'], l);
    return layer;
  }

  /** `"shapes": { "W": [4, 2], "Z": [4, "m"] }`: each a rank-2 shape of positive integers or "m". */
  private declaredShapes(node: Node, path: JsonPath, l: number): Partial<Record<ShapeName, Shape>> {
    const r = this.r;
    const out: Partial<Record<ShapeName, Shape>> = {};
    if (!r.object(node, path)) return out;
    const props = r.properties(node, path, SHAPE_NAMES);
    for (const [key, entry] of props) {
      if (!(SHAPE_NAMES as readonly string[]).includes(key) || !entry.value) continue;
      const name = key as ShapeName;
      const v = entry.value;
      const at = [...path, key];
      if (v.type !== 'array') {
        r.report('shape-invalid', 'error', `${name}[${l}] must be a shape like [4, 2] or [4, "m"]; found ${describeShort(v)}`, rangeOfNode(v), at);
        continue;
      }
      const dims = v.children ?? [];
      if (dims.length !== 2) {
        r.report(
          'shape-invalid',
          'error',
          `${name}[${l}] must have 2 dimensions (rows, columns); found ${dims.length}`,
          rangeOfNode(v),
          at,
        );
        continue;
      }
      const shape: Dim[] = [];
      for (let i = 0; i < dims.length; i++) {
        const d = dims[i];
        if (d.type === 'string' && d.value === 'm') shape.push('m');
        else if (d.type === 'number' && Number.isInteger(d.value) && d.value >= 1) shape.push(d.value as number);
        else {
          r.report(
            'shape-invalid',
            'error',
            `${name}[${l}]: a dimension must be a positive integer or "m"; found ${r.source(d)}`,
            rangeOfNode(d),
            [...at, i],
          );
        }
      }
      if (shape.length === dims.length) out[name] = shape;
    }
    return out;
  }

  private data(node: Node): DataSpec | undefined {
    const r = this.r;
    const path: JsonPath = ['data'];
    if (!r.object(node, path)) return undefined;
    const keys = new Set((node.children ?? []).map((p) => p.children?.[0]?.value));
    const isCsv = !keys.has('builtin') && keys.has('train');
    const props = r.properties(node, path, isCsv ? CSV_DATA_KEYS : BUILTIN_DATA_KEYS, {}, (key) =>
      !isCsv && (CSV_DATA_KEYS as readonly string[]).includes(key) && keys.has('builtin')
        ? `${quote(key)} is for CSV data and cannot be combined with 'builtin'`
        : undefined,
    );
    const devFraction = this.optionalNumber(props.get('devFraction'), [...path, 'devFraction'], {
      min: 0,
      below: 1,
      says: 'a number in [0, 1)',
    });
    const standardizeNode = props.get('standardize')?.value;
    const standardize = standardizeNode ? r.boolean(standardizeNode, [...path, 'standardize']) : undefined;
    if (isCsv) {
      const trainNode = props.get('train')?.value;
      const train = trainNode ? r.string(trainNode, [...path, 'train']) : undefined;
      const devNode = props.get('dev')?.value;
      const dev = devNode ? r.string(devNode, [...path, 'dev']) : undefined;
      const labelNode = props.get('label')?.value;
      const labelName = labelNode ? r.string(labelNode, [...path, 'label']) : 'y';
      if (train === undefined || labelName === undefined) return undefined;
      const spec: DataSpec = { kind: 'csv', train, label: labelName, devFraction: devFraction ?? 0, standardize: standardize ?? false, path };
      if (dev !== undefined) spec.dev = dev;
      return spec;
    }
    const builtinNode = props.get('builtin')?.value;
    if (!builtinNode) {
      if (!props.has('builtin')) this.missing(node, path, 'builtin', `a built-in dataset (${BUILTIN_DATASETS.join(', ')}) or 'train', a CSV file`);
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
    const spec: DataSpec = { kind: 'builtin', builtin, devFraction: devFraction ?? 0, standardize: standardize ?? false, path };
    if (examples !== undefined) spec.examples = examples;
    if (noise !== undefined) spec.noise = noise;
    if (seed !== undefined) spec.seed = seed;
    if (classes !== undefined) spec.classes = classes;
    return spec;
  }

  private optionalNumber(entry: Entry | undefined, path: JsonPath, rule: Parameters<SpecReader['number']>[2]): number | undefined {
    return entry?.value ? this.r.number(entry.value, path, rule) : undefined;
  }

  private training(node: Node, t: TrainingSpec): void {
    const r = this.r;
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
    const batchNode = props.get('batchSize')?.value;
    if (batchNode && batchNode.type !== 'null') {
      if (batchNode.type !== 'number') r.wrongType(batchNode, [...path, 'batchSize'], 'a positive integer or null (full batch)');
      else {
        const b = r.number(batchNode, [...path, 'batchSize'], { integer: true, min: 1, says: 'a positive integer or null (full batch)' });
        if (b !== undefined) t.batchSize = b;
      }
    }
    const decayRate = num('decayRate', { min: 0, says: 'a number ≥ 0' });
    if (decayRate !== undefined) t.decayRate = decayRate;
    const l2 = num('l2', { min: 0, says: 'a number ≥ 0' });
    if (l2 !== undefined) t.l2 = l2;
    const keepProb = num('keepProb', { above: 0, max: 1, says: 'a number in (0, 1]' });
    if (keepProb !== undefined) t.keepProb = keepProb;
    const printEvery = num('printEvery', { integer: true, min: 1, says: 'a positive integer' });
    if (printEvery !== undefined) t.printEvery = printEvery;
    const initNode = props.get('init')?.value;
    if (initNode) {
      const init = this.init(initNode);
      if (init) t.init = init;
    }
    const optNode = props.get('optimizer')?.value;
    if (optNode) {
      const opt = this.optimizer(optNode, t.optimizer);
      if (opt) t.optimizer = opt;
    }
  }

  /** `init`: "he", { "scheme": "random", "scale": 0.01 } or { "file": "start.params.json" }. */
  private init(node: Node): InitSpec | undefined {
    const r = this.r;
    const path: JsonPath = ['training', 'init'];
    // The course's multiplier for "random" (np.random.randn(...) * 0.01).
    const scale = 0.01;
    if (node.type === 'string') {
      const scheme = r.choice(node, path, INIT_SCHEMES, 'unknown-value', 'init scheme');
      return scheme ? { scheme, scale } : undefined;
    }
    if (node.type !== 'object') {
      r.wrongType(node, path, 'a scheme name or an object { "scheme": ..., "scale": ... } or { "file": ... }');
      return undefined;
    }
    const hasFile = (node.children ?? []).some((p) => p.children?.[0]?.value === 'file');
    if (hasFile) {
      const props = r.properties(node, path, ['file'], {}, (key) =>
        (INIT_KEYS as readonly string[]).includes(key) ? `${quote(key)} cannot be combined with 'file' in training.init` : undefined,
      );
      const fileNode = props.get('file')?.value;
      const file = fileNode ? r.string(fileNode, [...path, 'file']) : undefined;
      return file === undefined ? undefined : { scheme: 'file', path: file };
    }
    const props = r.properties(node, path, INIT_KEYS, { file: 'file' });
    const schemeNode = props.get('scheme')?.value;
    const scaleEntry = props.get('scale');
    const s = scaleEntry?.value ? r.number(scaleEntry.value, [...path, 'scale'], { min: 0, says: 'a number ≥ 0' }) : undefined;
    if (!schemeNode) {
      if (!props.has('scheme')) this.missing(node, path, 'scheme', `one of ${INIT_SCHEMES.join(', ')}; or give 'file'`);
      return undefined;
    }
    const scheme = r.choice(schemeNode, [...path, 'scheme'], INIT_SCHEMES, 'unknown-value', 'init scheme');
    return scheme ? { scheme, scale: s ?? scale } : undefined;
  }

  private optimizer(node: Node, defaults: OptimizerSpec): OptimizerSpec | undefined {
    const r = this.r;
    const path: JsonPath = ['training', 'optimizer'];
    if (node.type === 'string') {
      const name = r.choice(node, path, OPTIMIZERS, 'unknown-value', 'optimizer');
      return name ? { ...defaults, name } : undefined;
    }
    if (node.type !== 'object') {
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
    const nameNode = props.get('name')?.value;
    if (!nameNode) {
      if (!props.has('name')) this.missing(node, path, 'name', OPTIMIZERS.join(', '));
      return undefined;
    }
    const name = r.choice(nameNode, [...path, 'name'], OPTIMIZERS, 'unknown-value', 'optimizer');
    if (!name) return undefined;
    opt.name = name;
    return opt;
  }
}

function describeShort(node: Node): string {
  return node.type === 'object' ? 'an object' : node.type === 'string' ? 'a string' : node.type === 'number' ? 'a number' : node.type;
}

