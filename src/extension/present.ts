/**
 * What the editor shows, as plain strings: inlay hint labels, hover markdown, the shapes table,
 * key and activation documentation. No 'vscode' import here, so this reads (and tests) like the
 * core; the providers in this folder only place these strings in the editor.
 *
 * Notation is the course's. The rules and formulas of a layer come from its kind's entry in the
 * layer-kind registry (src/core/shapes/layers.ts), so a new kind is shown without changes here;
 * what a key means comes from the schema's descriptions (schemaDocs.ts).
 */
import type { JsonPath, Problem } from '../core/problems';
import type { Activation, ShapeName, Spec } from '../core/format/types';
import { formatShape } from '../core/shapes/check';
import { outputActivation } from '../core/format/parse';
import { LAYER_KINDS, layerKind, type LayerIndex, type ShapeRule } from '../core/shapes/layers';
import type { LayerShapes, NetworkShapes } from '../core/shapes/types';
import { keyDescription, valueDescription } from './schemaDocs';

/** The inlay hint after a layer: its parameters, then its output, `W (4, 2) · b (4, 1) → A (4, m)`. */
export function layerHint(layer: LayerShapes): string {
  const params = layerKind(layer.type).parameters.map((k) => `${k} ${formatShape(layer[k])}`);
  const output = `→ A ${formatShape(layer.A)}`;
  return params.length ? `${params.join(' · ')} ${output}` : output;
}

/** The CodeLens tooltip of a layer: `Layer 1: W 4×2 + b 4×1`. */
export function layerLensTooltip(layer: LayerShapes): string {
  const params = layerKind(layer.type).parameters.map((k) => `${k} ${layer[k]!.join('×')}`);
  return `Layer ${layer.l}: ${params.join(' + ')}`;
}

/** "1 parameter", "12 parameters", "1,234 parameters". */
export function parameterCount(n: number): string {
  return `${n.toLocaleString('en-US')} parameter${n === 1 ? '' : 's'}`;
}

/** A rule as the hover shows it: a gradient by what it is the gradient of, "like W[2]". */
function ruleText(rule: ShapeRule, l: LayerIndex): string {
  return rule.like ? `like ${rule.like}[${l}]` : rule.rule;
}

/**
 * Hover on a layer: its kind's formulas, a table of every shape with concrete numbers and its
 * rule, and the parameter count. `prevUnits` is n[l-1].
 */
export function layerHover(layer: LayerShapes, prevUnits: number): string {
  const l = layer.l;
  const kind = layerKind(layer.type);
  const rows = Object.entries(kind.rules(l)).map(
    ([k, rule]) => `| \`${k}[${l}]\` | \`${formatShape(layer[k as ShapeName])}\` | ${ruleText(rule!, l)} |`,
  );
  const forward = kind.forward(l).map((f) => `\`${f}\``);
  forward[forward.length - 1] += `, g[${l}] = ${layer.activation}`;
  return [
    `**Layer ${l}** · ${layer.type} · ${layer.units} unit${layer.units === 1 ? '' : 's'} · \`${layer.activation}\``,
    '',
    forward.join('  \n'),
    '',
    '| | shape | rule |',
    '|---|---|---|',
    ...rows,
    '',
    `${kind.sizes(l, prevUnits, layer.units)} · **${parameterCount(layer.params)}** = ${kind.paramCount(layer, prevUnits)}`,
  ].join('\n');
}

/**
 * Hover on a declared shape: the inferred shape and its rule, beside what was written; undefined
 * when the layer's kind has no shape of that name.
 */
export function declaredShapeHover(layer: LayerShapes, name: string, written: string): string | undefined {
  const rule = layerKind(layer.type).rules(layer.l)[name as ShapeName];
  if (!rule) return undefined;
  const inferred = layer[name as ShapeName];
  return `\`${name}[${layer.l}]\` is \`${formatShape(inferred)}\` = ${ruleText(rule, layer.l)}; declared \`${written.replace(/\s+/g, ' ')}\``;
}

/**
 * What the shapes table says under the table: each kind's formulas in general form and which
 * shapes the gradients share, e.g.
 * "Z[l] = W[l]·A[l-1] + b[l],  A[l] = g[l](Z[l]);  dW, db, dZ, dA have the shapes of W, b, Z, A."
 */
export function kindSummary(type: LayerShapes['type']): string {
  const kind = layerKind(type);
  const gradients = Object.entries(kind.rules('l')).filter(([, r]) => r?.like);
  const shared = gradients.length
    ? `;  ${gradients.map(([k]) => k).join(', ')} have the shapes of ${gradients.map(([, r]) => r!.like).join(', ')}`
    : '';
  return `${kind.forward('l').join(',  ')}${shared}.`;
}

/** g and g' for each activation, as the course writes them. */
export const ACTIVATION_DOCS: Record<Activation, { g: string; dg: string; note: string }> = {
  sigmoid: {
    g: 'g(z) = σ(z) = 1 / (1 + e^(−z))',
    dg: "g'(z) = σ(z)·(1 − σ(z))",
    note: 'Output in (0, 1): the output layer of a binary classifier (with binary-cross-entropy).',
  },
  tanh: {
    g: 'g(z) = tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))',
    dg: "g'(z) = 1 − tanh²(z)",
    note: 'Output in (−1, 1), centred on 0: the course\'s hidden-layer choice for the planar network.',
  },
  relu: {
    g: 'g(z) = max(0, z)',
    dg: "g'(z) = 1 if z > 0, else 0",
    note: 'The default for hidden layers of deep networks; pair it with "he" initialisation.',
  },
  'leaky-relu': {
    g: 'g(z) = max(α·z, z), α = alpha (default 0.01)',
    dg: "g'(z) = 1 if z > 0, else α",
    note: 'Like relu, with a small slope for z ≤ 0 so units never stop learning.',
  },
  softmax: {
    g: 'g(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ), per column (example)',
    dg: 'with categorical-cross-entropy, dZ[L] = A[L] − Y',
    note: 'Output columns are probability distributions over n[L] classes.',
  },
  linear: {
    g: 'g(z) = z',
    dg: "g'(z) = 1",
    note: 'No non-linearity: an output layer for regression (with mse).',
  },
};

export function activationHover(name: string): string | undefined {
  const doc = (ACTIVATION_DOCS as Record<string, (typeof ACTIVATION_DOCS)[Activation] | undefined>)[name];
  if (!doc) return undefined;
  return [`**${name}**`, '', '```', doc.g, doc.dg, '```', '', doc.note].join('\n');
}

/**
 * Hover on a key: what the schema says it means, `**file**: A parameters file ...`; shown only where
 * VS Code's JSON hover, which shows the same description, does not (a key with no value yet).
 */
export function keyHover(path: JsonPath): string | undefined {
  const key = path[path.length - 1];
  const doc = keyDescription(path);
  return doc === undefined ? undefined : `**${String(key)}**: ${doc}`;
}

/** Hover on a value the schema describes: `` `he`: W = np.random.randn(n[l], n[l-1]) * sqrt(2 / n[l-1]), for relu ``. */
export function valueHover(path: JsonPath, value: string): string | undefined {
  const doc = valueDescription(path, value);
  return doc === undefined ? undefined : `\`${value}\`: ${doc}`;
}

/** The status bar text: "$(layers) 2 layers · 17 params · $(check) shapes". */
export function statusText(result: { spec?: Spec; shapes?: NetworkShapes; problems: Problem[] }): {
  text: string;
  tooltip: string;
} {
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const warnings = result.problems.filter((p) => p.severity === 'warning').length;
  const layers = result.spec?.layers.length ?? result.shapes?.layers.length ?? 0;
  const params = result.shapes?.totalParams;
  const status = errors > 0 ? `$(error) ${errors}` : warnings > 0 ? `$(warning) ${warnings}` : '$(check)';
  const text = `$(symbol-structure) ${layers} layer${layers === 1 ? '' : 's'}` +
    (params !== undefined ? ` · ${params.toLocaleString('en-US')} params` : '') + ` · ${status}`;
  const tooltip = errors > 0
    ? `${errors} error${errors === 1 ? '' : 's'}: ${result.problems.find((p) => p.severity === 'error')!.message}`
    : warnings > 0
      ? `Shapes check; ${warnings} warning${warnings === 1 ? '' : 's'}`
      : 'All shapes check';
  return { text, tooltip: `${tooltip}\n\nClick to show the shapes table.` };
}

/**
 * The whole network as a table, Keras-summary style in course notation, e.g.
 *
 *   Layer   Type   Activation  n[l]  W[l]    b[l]    A[l]    Params
 *   0       input              2                     (2, m)
 *   1       dense  tanh        4     (4, 2)  (4, 1)  (4, m)  12
 */
export function shapesTable(
  title: string,
  result: { spec?: Spec; shapes?: NetworkShapes; problems: Problem[] },
): string {
  const out: string[] = [];
  const spec = result.spec;
  const shapes = result.shapes;
  const head = spec?.name ? `${spec.name} (${title})` : title;
  out.push(head, '='.repeat(head.length), '');
  if (!shapes) {
    out.push('No shapes: the file has errors that stop shape inference.');
  } else {
    const rows: string[][] = [['Layer', 'Type', 'Activation', 'n[l]', 'W[l]', 'b[l]', 'Z[l], A[l]', 'Params']];
    rows.push(['0', 'input', '', String(shapes.inputUnits), '', '', `A[0] = X (${shapes.inputUnits}, m)`, '']);
    for (const layer of shapes.layers) {
      rows.push([
        String(layer.l), layer.type, layer.activation ?? '', String(layer.units),
        formatShape(layer.W), formatShape(layer.b), formatShape(layer.A), layer.params.toLocaleString('en-US'),
      ]);
    }
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    const line = (r: string[]): string => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
    out.push(line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows.slice(1)) out.push(line(r));
    out.push('', `Total params: ${shapes.totalParams.toLocaleString('en-US')}`);
    if (spec) out.push(`Loss: ${spec.loss}` + (spec.layers.length ? `, output g[L] = ${outputActivation(spec.layers[spec.layers.length - 1]) ?? 'none'}` : ''));
    // The formulas of each kind in the table (of every kind when no layer could be inferred).
    const types = shapes.layers.length ? shapes.layers.map((s) => s.type) : Object.keys(LAYER_KINDS) as LayerShapes['type'][];
    out.push('', ...[...new Set(types)].map(kindSummary));
  }
  const errors = result.problems.filter((p) => p.severity !== 'info');
  if (errors.length) {
    out.push('', 'Problems', '--------');
    for (const p of errors) out.push(`${p.severity}: ${p.message} [${p.code}]`);
  }
  return out.join('\n') + '\n';
}
