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
import type { PartialLayer, PartialSpec } from '../format/parse';
import type { Dim, Shape } from '../format/types';
import { BUILTIN_DEFAULTS, SHAPE_NAMES } from '../format/types';
import { LAYER_KINDS } from './layers';
import type { LayerShapes, NetworkShapes } from './types';

/**
 * The memory budget, in float64 values: 2^28 values = 2 GiB. Training holds the parameters
 * about four times (W, dW and two optimizer moments) and the activations twice (caches and
 * their gradients), so a network past this budget would not train in a VS Code window.
 */
export const MAX_VALUES = 2 ** 28;


export interface ShapeCheckOptions {
  /** Number of examples, for activation memory; by default taken from the built-in data. */
  m?: number;
}

export interface ShapeCheckResult {
  shapes: NetworkShapes;
  problems: Problem[];
}

/** "(1, 4)", "(4, m)" */
export function formatShape(s: Shape): string {
  return `(${s.join(', ')})`;
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

export function checkShapes(
  spec: PartialSpec,
  tree: Node | undefined,
  options: ShapeCheckOptions = {},
): ShapeCheckResult {
  const problems: Problem[] = [];
  const layers: LayerShapes[] = [];
  const L = spec.layers.length;
  let nPrev = spec.inputUnits;
  let complete = spec.inputUnits !== undefined && L > 0;
  let totalParams = 0;
  let biggest: { params: number; layer: PartialLayer } | undefined;
  /** Where n[l-1] comes from: the input, or the previous layer's units. */
  let prevSource: { path: JsonPath; name: string } = { path: ['input'], name: 'n[0]' };
  const m = options.m ?? dataExamples(spec);

  for (let i = 0; i < L; i++) {
    const layer = spec.layers[i];
    const l = i + 1;
    const kind = LAYER_KINDS[layer.type];
    const inferred = nPrev === undefined ? undefined : kind.infer(layer, l, nPrev);
    if (inferred && nPrev !== undefined && layer.activation !== undefined) {
      layers.push({
        l,
        type: layer.type,
        activation: layer.activation,
        units: inferred.units,
        ...inferred.shapes,
        params: inferred.params,
        path: layer.path,
      });
    } else complete = false;
    if (inferred && nPrev !== undefined) {
      totalParams += inferred.params;
      if (!biggest || inferred.params > biggest.params) biggest = { params: inferred.params, layer };
      for (const name of SHAPE_NAMES) {
        const declared = layer.shapes[name];
        if (!declared) continue;
        const expected = inferred.shapes[name];
        if (sameShape(declared, expected, m)) continue;
        const at = [...layer.path, 'shapes', name];
        const declaredRange = rangeAt(tree, at);
        const transposed =
          declared.length === 2 && sameShape([declared[1], declared[0]], expected, m);
        const like = name.startsWith('d') ? `, like ${name.slice(1)}[${l}]` : '';
        const message =
          `${name}[${l}] must be ${inferred.rules[name]} = ${formatShape(expected)}${like}; ` +
          `found ${formatShape(declared)}${transposed ? ': transposed?' : ''}`;
        const fix: Fix[] = [
          {
            title: `Change ${name}[${l}] to ${formatShape(expected)}`,
            edits: [{ range: declaredRange, newText: jsonShape(expected) }],
            preferred: true,
          },
        ];
        const related: RelatedLocation[] = [];
        const unitsNode = nodeAt(tree, [...layer.path, 'units']);
        if (unitsNode) related.push({ path: [...layer.path, 'units'], range: rangeOfNode(unitsNode), message: `n[${l}] = ${inferred.units} is set here` });
        if (name === 'W' || name === 'dW') {
          const prevNode = nodeAt(tree, prevSource.path);
          if (prevNode) related.push({ path: prevSource.path, range: rangeOfNode(prevNode), message: `${prevSource.name} = ${nPrev} is set here` });
        }
        problems.push({
          code: transposed ? 'shape-transposed' : 'shape-mismatch',
          severity: 'error',
          message,
          path: at,
          range: declaredRange,
          fix,
          ...(related.length > 0 ? { related } : {}),
        });
      }
    }
    nPrev = kind.outputUnits(layer, nPrev);
    prevSource = { path: [...layer.path, 'units'], name: `n[${l}]` };
  }

  // Values held per example during training: A[0] = X, and Z[l] and A[l] cached for backprop.
  let activationsPerExample = spec.inputUnits ?? 0;
  for (const s of layers) activationsPerExample += 2 * s.units;
  const shapes: NetworkShapes = {
    inputUnits: spec.inputUnits ?? 0,
    layers,
    totalParams,
    layerCount: L,
    complete,
    activationsPerExample,
  };
  if (m !== undefined) {
    shapes.m = m;
    shapes.activationBytes = activationsPerExample * m * 8;
  }

  problems.push(...lossProblems(spec, tree));
  problems.push(...zeroInitProblems(spec, tree));

  if (totalParams > MAX_VALUES && biggest) {
    const at = [...biggest.layer.path, 'units'];
    problems.push({
      code: 'too-large',
      severity: 'error',
      message:
        `the network has ${count(totalParams)} parameters (${bytes(totalParams)} as float64); ` +
        `the limit is ${count(MAX_VALUES)} (${bytes(MAX_VALUES)}): layer ${biggest.layer.path[1] as number + 1} alone has ${count(biggest.params)}`,
      path: at,
      range: rangeAt(tree, at),
    });
  } else if (m !== undefined) {
    // Training holds the activations of one batch at a time: all m examples without batchSize.
    const batch = spec.training.batchSize === null ? m : Math.min(m, spec.training.batchSize);
    const values = activationsPerExample * batch;
    if (values > MAX_VALUES) {
      const dataPath: JsonPath = options.m === undefined ? ['data', 'examples'] : ['data'];
      // Where m comes from: the data's `examples`, else `data`, else (no data at all) `layers`.
      const where = ([dataPath, ['data'], ['layers']] as JsonPath[]).find((p) => nodeAt(tree, p) !== undefined) ?? [];
      const what = batch < m ? `a mini-batch of ${count(batch)} examples` : `m = ${count(m)} examples`;
      problems.push({
        code: 'too-large',
        severity: 'error',
        message:
          `the activations for ${what} need ${count(values)} values ` +
          `(${bytes(values)} as float64, A[0] and Z[l], A[l] for every layer); ` +
          `the limit is ${count(MAX_VALUES)} (${bytes(MAX_VALUES)}): use fewer examples or a smaller batchSize`,
        path: dataPath,
        range: rangeAt(tree, where),
      });
    }
  }
  return { shapes, problems };
}

function dataExamples(spec: PartialSpec): number | undefined {
  const d = spec.data;
  if (!d || d.kind !== 'builtin') return undefined;
  return d.examples ?? BUILTIN_DEFAULTS[d.builtin].examples;
}

/** A declared dimension "m" matches m; a number in m's place matches only a known m. */
function sameShape(declared: Shape, expected: Shape, m: number | undefined): boolean {
  if (declared.length !== expected.length) return false;
  return declared.every((d: Dim, i) => d === expected[i] || (expected[i] === 'm' && m !== undefined && d === m));
}

/** Output activation vs loss: sigmoid + BCE, softmax (n[L] >= 2) + CCE, linear + mse. */
function lossProblems(spec: PartialSpec, tree: Node | undefined): Problem[] {
  const L = spec.layers.length;
  const out = spec.layers[L - 1];
  if (!out || out.activation === undefined || spec.loss === undefined) return [];
  const g = out.activation;
  const n = out.units;
  const actPath = [...out.path, 'activation'];
  const actNode = nodeAt(tree, actPath);
  const lossNode = nodeAt(tree, ['loss']);
  if (!actNode) return [];
  const loss = spec.loss;
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
