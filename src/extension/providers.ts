/**
 * The language features over a checked document: hovers, inlay hints, CodeLens and quick fixes.
 * Each reads the shared per-version analysis (analysis.ts) and places the strings from
 * present.ts; each can be turned off with a `dnn.*` setting.
 */
import * as vscode from 'vscode';
import type { Node as JsonNode } from 'jsonc-parser';
import { analyze, isDnnDocument, toRange, type Analysis } from './analysis';
import { nodeAt, placeAt, rangeOfNode } from '../core/format/locate';
import {
  activationHover, declaredShapeHover, keyHover, layerHint, layerHover, layerLensTitle, layerLensTooltip, unitsOf, valueHover,
} from './present';
import type { Fix, JsonPath, Problem } from '../core/problems';
import { fixAllShapes, withDependentShapes } from '../core/check';
import type { LayerShapes } from '../core/shapes/types';
import { untrainable } from '../core/engine/trainable';

/** VS Code's Manage Workspace Trust editor. */
export const MANAGE_TRUST = 'workbench.trust.manage';

function enabled(setting: string): boolean {
  return vscode.workspace.getConfiguration('dnn').get<boolean>(setting, true);
}

/**
 * The inferred layer whose text holds `path`: the one with the longest path that starts it, so a
 * residual block's inner layer or shortcut is found at its own text and the block at the rest of
 * its own (its "type", its brackets). `rest` is what of `path` lies inside the layer; undefined
 * inside an inner layer or shortcut that has no shapes (it could not be inferred).
 */
function layerAt(analysis: Analysis, path: JsonPath): { layer: LayerShapes; prevUnits: number; rest: JsonPath } | undefined {
  const shapes = analysis.result.shapes;
  if (!shapes || path[0] !== 'layers') return undefined;
  let best: LayerShapes | undefined;
  for (const s of shapes.layers) {
    if (s.path.length > path.length || (best && s.path.length <= best.path.length)) continue;
    if (s.path.every((k, i) => path[i] === k)) best = s;
  }
  if (!best) return undefined;
  const rest = path.slice(best.path.length);
  // Inside a block's "layers" or "shortcut" but not in an inferred layer there.
  if ((rest[0] === 'layers' && rest.length > 1) || (rest[0] === 'shortcut' && rest.length > 1)) return undefined;
  return { layer: best, prevUnits: unitsOf(shapes, best.input), rest };
}

/** VS Code's built-in JSON language features: the JSON language server's client. */
const JSON_FEATURES = 'vscode.json-language-features';

/**
 * Whether VS Code's JSON language server is running to hover keys with the schema's descriptions
 * (dist/dnn-editor.schema.json, package.json `jsonValidation`). It is built in, but a user can
 * disable it.
 */
function jsonServerShowsKeys(): boolean {
  return vscode.extensions.getExtension(JSON_FEATURES)?.isActive === true;
}

// extension.ts starts the JSON language features at activation (a dnn-json document alone does
// not); if they cannot start, our hover documents keys instead.
export class DnnHoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!enabled('hover.enabled') || !isDnnDocument(doc)) return undefined;
    const analysis = analyze(doc);
    const tree = analysis.result.tree;
    const place = placeAt(tree, doc.offsetAt(position));
    if (!place) return undefined;
    const { path, node } = place;
    const rangeOf = (n: JsonNode): vscode.Range => toRange(doc, rangeOfNode(n));
    const range = node ? rangeOf(node) : undefined;
    const md = (text: string): vscode.Hover => {
      const m = new vscode.MarkdownString(text);
      m.supportHtml = false;
      return new vscode.Hover(m, range);
    };
    if (place.onKey) {
      // VS Code's JSON language server shows the key's description from the schema: ours would
      // repeat it. It shows nothing on a key with no value yet, or when it is not running.
      const hasValue = node?.parent?.type === 'property' && node.parent.children?.[1] !== undefined;
      if (hasValue && jsonServerShowsKeys()) return undefined;
      const text = keyHover(path);
      return text ? md(text) : undefined;
    }
    // Shapes only for text the checker read: a layer under a "layers" key that a later one hides has none.
    const at = place.read ? layerAt(analysis, path) : undefined;
    const network = analysis.result.shapes;
    const rest = at?.rest ?? [];
    if (path[path.length - 1] === 'activation' && node?.type === 'string') {
      const text = activationHover(String(node.value));
      if (!text) return undefined;
      return md(at && rest.length === 1 ? `${text}\n\n---\n\n${layerHover(at.layer, at.prevUnits, network)}` : text);
    }
    // A value the schema describes (a loss, an optimizer, an init scheme, a dataset): what it means.
    if (node?.type === 'string') {
      const text = valueHover(path, String(node.value));
      if (text) return md(text);
    }
    // On a declared shape: the inferred one beside it, with the rule.
    const declared = rest[0] === 'shapes' && typeof rest[1] === 'string' ? rest[1] : undefined;
    if (at && declared !== undefined) {
      const shapeNode = nodeAt(tree, [...at.layer.path, 'shapes', declared]);
      const text = shapeNode ? declaredShapeHover(at.layer, declared, doc.getText(rangeOf(shapeNode))) : undefined;
      if (!text || !shapeNode) return undefined;
      const h = md(text);
      h.range = rangeOf(shapeNode);
      return h;
    }
    if (at && rest.length <= 1 && rest[0] !== 'shapes') {
      const layerNode = nodeAt(tree, at.layer.path);
      const h = md(layerHover(at.layer, at.prevUnits, network));
      if (layerNode && rest.length === 0) h.range = rangeOf(layerNode);
      return h;
    }
    return undefined;
  }
}

export class DnnInlayHintsProvider implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;
  refresh(): void {
    this.changed.fire();
  }

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    if (!enabled('inlayHints.enabled') || !isDnnDocument(doc)) return [];
    const { result } = analyze(doc);
    const network = result.shapes;
    if (!network) return [];
    // In document order: a residual block's entry follows its layers in `layers`, but its text
    // starts before them.
    const placed = network.layers
      .map((layer) => ({ layer, node: nodeAt(result.tree, layer.path) }))
      .filter((x): x is { layer: LayerShapes; node: JsonNode } => x.node !== undefined)
      .map((x) => ({ layer: x.layer, range: toRange(doc, rangeOfNode(x.node)) }))
      .sort((a, b) => a.range.end.compareTo(b.range.end));
    const hints: vscode.InlayHint[] = [];
    for (const { layer, range: own } of placed) {
      const end = own.end;
      // At the end of the layer's last line (after its comma or comment), unless another layer
      // starts later on that same line: then right after this layer's closing brace.
      const sameLine = placed.some((o) => o.range.start.line === end.line && o.range.start.isAfterOrEqual(end));
      const at = sameLine ? end : doc.lineAt(end.line).range.end;
      if (!range.contains(at)) continue;
      const hint = new vscode.InlayHint(at, layerHint(layer));
      hint.paddingLeft = true;
      hint.tooltip = new vscode.MarkdownString(layerHover(layer, unitsOf(network, layer.input), network));
      hints.push(hint);
    }
    return hints;
  }
}

export class DnnCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!enabled('codeLens.enabled') || !isDnnDocument(doc)) return [];
    const { result } = analyze(doc);
    const top = result.tree ? toRange(doc, rangeOfNode(result.tree)).start : new vscode.Position(0, 0);
    const topRange = new vscode.Range(top, top);
    const args = [doc.uri];
    const shapes = new vscode.CodeLens(topRange, { title: 'Shapes', command: 'dnn.showShapes', arguments: args, tooltip: 'Every layer\'s shapes as a table (DNN: Show Shapes)' });
    // Training and gradient checking read data and run code: only offered in a trusted workspace
    // (in a restricted one, a lens says so and opens the trust settings), and only for the layer
    // networks the engine trains.
    const trainable = untrainable(result.spec) === undefined;
    const lenses = !trainable
      ? [shapes]
      : vscode.workspace.isTrusted
        ? [
            new vscode.CodeLens(topRange, { title: '▶ Train', command: 'dnn.train', arguments: args, tooltip: 'Train this network (DNN: Train)' }),
            shapes,
            new vscode.CodeLens(topRange, { title: 'Gradient check', command: 'dnn.gradientCheck', arguments: args, tooltip: 'Compare backprop with numerical gradients (DNN: Gradient Check)' }),
          ]
        : [
            new vscode.CodeLens(topRange, {
              title: '$(shield) Training needs a trusted workspace',
              command: MANAGE_TRUST,
              tooltip: 'Train, Predict and Gradient Check read data files and run code: trust this folder to use them (Manage Workspace Trust)',
            }),
            shapes,
          ];
    for (const layer of result.shapes?.layers ?? []) {
      const node = nodeAt(result.tree, layer.path);
      if (!node) continue;
      const at = toRange(doc, rangeOfNode(node)).start;
      lenses.push(
        new vscode.CodeLens(new vscode.Range(at, at), {
          title: layerLensTitle(layer, result.shapes),
          command: 'dnn.showShapes',
          arguments: args,
          tooltip: layerLensTooltip(layer, result.shapes),
        }),
      );
    }
    return lenses;
  }
}

/**
 * Quick fixes: the core's `fix` list of each problem, offered on its diagnostic. A fix that
 * changes a size (input, units) also rewrites the declared shapes it would make wrong
 * (`withDependentShapes`), and on a declared shape, "Fix all shape declarations" writes every
 * wrong one at once (also the `source.fixAll.dnn` action).
 */
export class DnnCodeActionProvider implements vscode.CodeActionProvider {
  static readonly fixAllKind = vscode.CodeActionKind.SourceFixAll.append('dnn');
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, DnnCodeActionProvider.fixAllKind],
  };

  /** `problemsOf(doc)`: the current version's problems, with their fixes (text and data checks). */
  constructor(private readonly problemsOf: (doc: vscode.TextDocument) => Problem[]) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!isDnnDocument(doc)) return [];
    // Fix offsets belong to the text they were computed on: use the analysis of the current version.
    const problems = this.problemsOf(doc);
    if (context.only && DnnCodeActionProvider.fixAllKind.contains(context.only)) {
      const all = fixAllShapes(problems);
      return all ? [this.action(doc, all, DnnCodeActionProvider.fixAllKind, [])] : [];
    }
    const ours = context.diagnostics.filter((d) => d.source === 'dnn' && typeof d.code === 'string');
    if (ours.length === 0) return [];
    const actions: vscode.CodeAction[] = [];
    let onShape: vscode.Diagnostic[] = [];
    for (const diag of ours) {
      const problem = problems.find(
        (p) => p.code === diag.code && toRange(doc, p.range).isEqual(diag.range) && p.message === diag.message,
      ) ?? problems.find((p) => p.code === diag.code && toRange(doc, p.range).isEqual(diag.range));
      const declaresShape = problem?.code === 'shape-mismatch' || problem?.code === 'shape-transposed';
      if (declaresShape) onShape = [...onShape, diag];
      for (const fix of problem?.fix ?? []) {
        // A declared shape's own fix changes no size; other fixes may (data-mismatch's "Set input to 2").
        const full = declaresShape ? fix : withDependentShapes(doc.getText(), fix);
        const action = this.action(doc, full, vscode.CodeActionKind.QuickFix, [diag]);
        action.isPreferred = fix.preferred === true;
        actions.push(action);
      }
    }
    const all = onShape.length > 0 ? fixAllShapes(problems) : undefined;
    if (all) actions.push(this.action(doc, all, vscode.CodeActionKind.QuickFix, onShape));
    return actions;
  }

  private action(doc: vscode.TextDocument, fix: Fix, kind: vscode.CodeActionKind, diagnostics: vscode.Diagnostic[]): vscode.CodeAction {
    const action = new vscode.CodeAction(fix.title, kind);
    if (diagnostics.length > 0) action.diagnostics = diagnostics;
    action.edit = new vscode.WorkspaceEdit();
    for (const e of fix.edits) action.edit.replace(doc.uri, toRange(doc, e.range), e.newText);
    return action;
  }
}
