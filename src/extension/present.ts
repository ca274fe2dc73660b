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
import { formatShape, shapeText } from '../core/shapes/check';
import { outputActivation } from '../core/format/parse';
import { LAYER_KINDS, layerKind, type LayerIndex, type ShapeRule } from '../core/shapes/layers';
import type { LayerShapes, NetworkShapes } from '../core/shapes/types';
import { keyDescription, valueDescription } from './schemaDocs';
import { nodeAt } from '../core/format/locate';
import type { Node } from 'jsonc-parser';

/** A tensor's name in the hover: a block's shortcut owns the course's W_s, b_s (and so Z_s, A_s). */
function tensorName(layer: LayerShapes, k: string): string {
  return layer.shortcut ? `${k}_s` : k;
}

/**
 * Layer l's symbols renamed for a shortcut: `W[5]` → `W_s[5]`, `n_C[5]` → `n_C_s[5]`, and the
 * input's number l-1 → the block's input (a shortcut reads what the block reads, not A[l-1]).
 * The registry writes its formulas for an ordinary layer; only the shortcut's names differ.
 */
function forShortcut(layer: LayerShapes, text: string): string {
  if (!layer.shortcut) return text;
  const l = layer.l;
  return text
    .replace(new RegExp(`\\b(d?[WbZA]|f|g|n_H|n_W|n_C)\\[${l}\\]`, 'g'), '$1_s[' + l + ']')
    .replace(new RegExp(`\\[${l - 1}\\]`, 'g'), `[${layer.input}]`);
}

/**
 * The inlay hint after a layer: its parameters, then its output, `W (4, 2) · b (4, 1) → A (4, m)`
 * for a column, `W 4×4×3×8 · b 1×1×1×8 → 64×64×8` for a volume.
 */
export function layerHint(layer: LayerShapes): string {
  const params = layerKind(layer.type).parameters.map((k) => `${tensorName(layer, k)} ${shapeText(layer[k])}`);
  const output = layer.A.length === 2 ? `→ A ${formatShape(layer.A)}` : `→ ${shapeText(layer.A)}`;
  return params.length ? `${params.join(' · ')} ${output}` : output;
}

/**
 * The CodeLens tooltip of a layer: `Layer 1: W 4×2 + b 4×1 · 8 multiply-adds per example`; a
 * residual block's counts its layers' and its shortcut's (`network` holds them).
 */
export function layerLensTooltip(layer: LayerShapes, network?: NetworkShapes): string {
  const block = network ? blockTotals(layer, network) : undefined;
  const params = layerKind(layer.type).parameters.map((k) => `${tensorName(layer, k)} ${layer[k]!.join('×')}`);
  const what = block ? `${parameterCount(block.params)} in its layers` : params.length ? params.join(' + ') : 'no parameters';
  const n = block?.multiplyAdds ?? layer.multiplyAdds;
  return `${layerTitle(layer)}: ${what} · ${count(n)} multiply-add${n === 1 ? '' : 's'} per example`;
}

/** The CodeLens title of a layer: its parameter count; a residual block's counts all its layers'. */
export function layerLensTitle(layer: LayerShapes, network?: NetworkShapes): string {
  const block = network ? blockTotals(layer, network) : undefined;
  return block ? `block: ${parameterCount(block.params)}` : parameterCount(layer.params);
}

/** "1 parameter", "12 parameters", "1,234 parameters". */
export function parameterCount(n: number): string {
  return `${count(n)} parameter${n === 1 ? '' : 's'}`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** A rule as the hover shows it: a gradient by what it is the gradient of, "like W[2]". */
function ruleText(rule: ShapeRule, l: LayerIndex): string {
  return rule.like ? `like ${rule.like}[${l}]` : rule.rule;
}

/** "Layer 3", "Shortcut of layer 5", "Residual block, layers 4–5": what the layer is called. */
function layerTitle(layer: LayerShapes): string {
  if (layer.shortcut) return `Shortcut of layer ${layer.l}`;
  // A block has the number of its last layer and reads A[input]: its layers are input+1..l.
  return layer.type === 'residual' ? `Residual block, layers ${layer.input + 1}–${layer.l}` : `Layer ${layer.l}`;
}

/** The values per example of A[l] (n[l], or n_H·n_W·n_C): what a layer reading A[l] has as n[l-1]. */
export function unitsOf(network: NetworkShapes, l: number): number {
  if (l === 0) return network.inputUnits;
  return network.layers.find((s) => s.l === l && !s.shortcut)?.units ?? 0;
}

/** A residual block's parameters and multiply-adds: those of its layers and its shortcut. */
function blockTotals(layer: LayerShapes, network: NetworkShapes): { params: number; multiplyAdds: number } | undefined {
  if (layer.type !== 'residual') return undefined;
  const depth = layer.path.length;
  const inside = network.layers.filter(
    (s) => s !== layer && s.path.length > depth && layer.path.every((k, i) => s.path[i] === k),
  );
  return {
    params: inside.reduce((n, s) => n + s.params, 0),
    multiplyAdds: inside.reduce((n, s) => n + s.multiplyAdds, 0),
  };
}

/**
 * The multiply-adds of a layer with weights as arithmetic on its sizes: n[l]·n[l-1] for a dense
 * layer (W is (n[l], n[l-1])), n_H·n_W·n_C·f·f·n_C[l-1] for a conv layer; undefined otherwise.
 */
function multiplyAddsText(layer: LayerShapes): string | undefined {
  const W = layer.W as number[] | undefined;
  const A = layer.A;
  if (!W) return undefined;
  const factors = W.length === 2 ? [W[0]!, W[1]!] : W.length === 4 && A.length === 4 ? [A[1], A[2], A[3], W[0]!, W[1]!, W[2]!] : undefined;
  if (!factors || factors.reduce<number>((p, x) => p * Number(x), 1) !== layer.multiplyAdds) return undefined;
  return factors.join('·');
}

/**
 * Hover on a layer: what it computes (its kind's formulas, then the size formulas with the numbers
 * filled in), a table of every shape with concrete numbers and its rule, the parameter count and
 * the multiply-adds per example. `prevUnits` is n[l-1], the values per example of what it reads;
 * `network` lets a residual block count its layers' parameters.
 */
export function layerHover(layer: LayerShapes, prevUnits: number, network?: NetworkShapes): string {
  const l = layer.l;
  const kind = layerKind(layer.type);
  const named = (text: string): string => forShortcut(layer, text);
  const rows = Object.entries(kind.rules(l, layer.input))
    .filter(([k]) => layer[k as ShapeName] !== undefined)
    .map(([k, rule]) => named(`| \`${k}[${l}]\` | \`${formatShape(layer[k as ShapeName])}\` | ${ruleText(rule!, l)} |`));
  // A block's formula depends on whether it has a shortcut, which only its derivation states.
  const formulas = layer.type === 'residual' ? [] : kind.forward(l, layer.input).map((f) => `\`${named(f)}\``);
  if (layer.activation !== undefined && formulas.length) formulas[formulas.length - 1] += `, ${named(`g[${l}]`)} = ${layer.activation}`;
  if (layer.shortcut) formulas.push(`added to Z[${l}] before g[${l}]`);
  const derivation = layer.derivation.map((d) => `\`${d}\``);
  const size = layer.A.length === 2 ? `${count(layer.units)} unit${layer.units === 1 ? '' : 's'}` : shapeText(layer.A);
  const head = [`**${layerTitle(layer)}**`, layer.type, size];
  if (layer.activation !== undefined) head.push(`\`${layer.activation}\``);
  const sizes = named(kind.sizes(l, prevUnits, layer.units, layer));
  const arithmetic = kind.paramCount(layer, prevUnits);
  const block = network ? blockTotals(layer, network) : undefined;
  const last = block
    ? `${sizes} · block: **${parameterCount(block.params)}**, **${count(block.multiplyAdds)} multiply-adds** per example (its layers and shortcut)`
    : `${sizes} · **${parameterCount(layer.params)}**${arithmetic === '0' ? '' : ` = ${named(arithmetic)}`}`;
  const cost = multiplyAddsText(layer);
  return [
    head.join(' · '),
    '',
    ...(formulas.length ? [formulas.join('  \n'), ''] : []),
    ...(derivation.length ? [derivation.join('  \n'), ''] : []),
    '| | shape | rule |',
    '|---|---|---|',
    ...rows,
    '',
    last,
    ...(cost ? [`**${count(layer.multiplyAdds)} multiply-adds** per example = ${cost}`] : []),
  ].join('\n');
}

/**
 * Hover on a declared shape: the inferred shape and its rule, beside what was written; undefined
 * when the layer's kind has no shape of that name.
 */
export function declaredShapeHover(layer: LayerShapes, name: string, written: string): string | undefined {
  const rule = layerKind(layer.type).rules(layer.l, layer.input)[name as ShapeName];
  const inferred = layer[name as ShapeName];
  if (!rule || !inferred) return undefined;
  return forShortcut(layer, `\`${name}[${layer.l}]\` is \`${formatShape(inferred)}\` = ${ruleText(rule, layer.l)}`) +
    `; declared ${inlineCode(written.replace(/\s+/g, ' '))}`;
}

/** Longer declared text is cut: a hover is no place for a page of it. */
const MAX_QUOTED = 120;

/**
 * The document's own text as Markdown inline code, whatever it holds: fenced by more backticks
 * than its longest run (CommonMark's rule), so a backtick in it cannot end the code span and turn
 * the rest into live links or images.
 */
export function inlineCode(text: string): string {
  const t = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A space inside the fence keeps a leading or trailing backtick from joining it.
  const pad = longest > 0 ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
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
    ? `;  ${gradients.map(([k]) => k).join(', ')} ${gradients.length === 1 ? 'has the shape' : 'have the shapes'} of ${gradients.map(([, r]) => r!.like).join(', ')}`
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
/**
 * What a network without "data" needs before it can train: examples of n[0] features (a picture's
 * size for image inputs) and the labels its output layer predicts. Never a dataset that cannot fit.
 */
export function dataNeeded(spec: Spec): string {
  const shape = spec.inputShape.length > 1 ? ` (${spec.inputShape.join('×')} pictures, flattened)` : '';
  const last = spec.layers[spec.layers.length - 1] as { units?: number } | undefined;
  const out = last?.units;
  const labels = out === undefined ? 'labels' : out === 1 ? 'a 0/1 label' : `a class label in 0..${out - 1}`;
  return `Cannot train yet: there is no "data". It needs examples with n[0] = ${spec.inputUnits.toLocaleString('en-US')} features each${shape} and ${labels} per example.`;
}

export function statusText(result: { spec?: Spec; shapes?: NetworkShapes; problems: Problem[]; tree?: Node }): {
  text: string;
  tooltip: string;
} {
  const errors = result.problems.filter((p) => p.severity === 'error');
  const warnings = result.problems.filter((p) => p.severity === 'warning');
  // L counts a residual block's layers, as the course numbers them; the file's list may be shorter.
  // A file that does not read as a network still has a layer list: count what is written.
  const listed = nodeAt(result.tree, ['layers'])?.children?.length;
  const layers = result.shapes?.layerCount ?? result.spec?.layers.length ?? listed ?? result.shapes?.layers.length ?? 0;
  // A count only when every layer was inferred: a partial sum would understate the network.
  const params = result.shapes && result.shapes.complete !== false ? result.shapes.totalParams : undefined;
  const status = errors.length > 0 ? `$(error) ${errors.length}` : warnings.length > 0 ? `$(warning) ${warnings.length}` : '$(check)';
  const text = `$(symbol-structure) ${layers} layer${layers === 1 ? '' : 's'}` +
    (params !== undefined ? ` · ${params.toLocaleString('en-US')} params` : '') + ` · ${status}`;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  // The first error is what the student must fix; the counts say how much is left after it.
  const tooltip = errors.length > 0
    ? `${plural(errors.length, 'error')}${warnings.length ? `, ${plural(warnings.length, 'warning')}` : ''}: ${errors[0].message}`
    : warnings.length > 0
      ? `Shapes check; ${plural(warnings.length, 'warning')}: ${warnings[0].message}`
      : 'All shapes check';
  const cost = result.shapes && errors.length === 0 ? `\n${count(result.shapes.totalMultiplyAdds)} multiply-adds per example` : '';
  // Shapes that check are not a network that trains: without data, say what the data must be.
  const needs = result.spec && !result.spec.data && errors.length === 0 ? `\n\n${dataNeeded(result.spec)}` : '';
  if (needs) return { text: `${text} · no data`, tooltip: `${tooltip}${cost}${needs}\n\nClick to show the shapes table.` };
  return { text, tooltip: `${tooltip}${cost}\n\nClick to show the shapes table.` };
}

/**
 * The whole network as a table, Keras-summary style in course notation, with the columns of
 * `dnn check`'s table, e.g.
 *
 *   Layer   Type   Activation  n[l]  W[l]    b[l]    Z[l], A[l]      Params  Multiply-adds
 *   0       input              2                     A[0] = X (2, m)
 *   1       dense  tanh        4     (4, 2)  (4, 1)  (4, m)          12      8
 *
 * A residual block's row is numbered by its layers ("4–5"), its shortcut's by "s" and the block's
 * last layer ("s5"); volumes read 28×28×6.
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
    const rows: string[][] = [['Layer', 'Type', 'Activation', 'n[l]', 'W[l]', 'b[l]', 'Z[l], A[l]', 'Params', 'Multiply-adds']];
    rows.push(['0', 'input', '', String(shapes.inputUnits), '', '', `A[0] = X ${shapeText(shapes.input)}`, '', '']);
    for (const layer of shapes.layers) {
      const l = layer.shortcut ? `s${layer.l}` : layer.type === 'residual' ? `${layer.input + 1}–${layer.l}` : String(layer.l);
      rows.push([
        l, layer.type, layer.activation ?? '', String(layer.units),
        shapeText(layer.W), shapeText(layer.b), shapeText(layer.A), count(layer.params), count(layer.multiplyAdds),
      ]);
    }
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    const line = (r: string[]): string => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
    out.push(line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows.slice(1)) out.push(line(r));
    out.push('', `Total params: ${count(shapes.totalParams)}`, `Multiply-adds per example: ${count(shapes.totalMultiplyAdds)}`);
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
