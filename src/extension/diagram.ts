/**
 * The network as a picture: one box per layer (its kind, units or filters, activation, parameter
 * count), the tensors between them on the edges with their shapes in course notation
 * (`A[1] (4, m)`), residual blocks with their skip connection, and every layer with a problem
 * drawn in the problem's colour with its message. Shapes come from the checker, so a network that
 * has never been built shows them.
 *
 * Pure: the check result in, a model and an SVG string out (no DOM, no vscode), so Node tests read
 * exactly what the view shows. Colours are CSS classes: the view maps them to the editor's theme,
 * and an exported SVG carries the colours the theme had when it was exported.
 */
import type { Node } from 'jsonc-parser';
import type { CheckResult } from '../core/check';
import { nodeAt } from '../core/format/locate';
import type { JsonPath, Problem, Severity } from '../core/problems';
import { formatShape } from '../core/shapes/check';
import type { LayerShapes } from '../core/shapes/types';

export interface DiagramBox {
  /** The layer's JSON path in the file (what a click selects). */
  path: JsonPath;
  /** "1", "s4" for a shortcut, "3–4" for a residual block, "" for the input. */
  label: string;
  kind: string;
  /** "4 units · tanh", "6 filters 5×5, s 1, valid · relu", "max 2×2, s 2". */
  detail: string;
  /** "12 params"; absent when the layer could not be inferred. */
  params?: string;
  /** The tensor this box outputs, "A[1] (4, m)"; "A[2] ?" when it could not be inferred. */
  output: string;
  /** The worst problem on this layer (or inside it), with its message. */
  problem?: { severity: Severity; message: string };
  /** Nesting: 1 inside a residual block. */
  depth: number;
  /** For a residual block: how many boxes (its layers and shortcut) follow inside it. */
  inner?: number;
  /** The shortcut of a residual block, drawn beside its skip line. */
  shortcut?: boolean;
}

export interface Diagram {
  /** The input first: `X = A[0] (2, m)`. */
  input: string;
  boxes: DiagramBox[];
  /** "3 layers · 17 params". */
  summary: string;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

function samePrefix(prefix: JsonPath, path: JsonPath): boolean {
  if (path.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== path[i]) return false;
  return true;
}

/** The string value of `key` in an object node, if any. */
function stringAt(node: Node, key: string): string | undefined {
  const v = nodeAt(node, [key]);
  return v?.type === 'string' && typeof v.value === 'string' ? v.value : undefined;
}

function numberOrPair(node: Node, key: string): string | undefined {
  const v = nodeAt(node, [key]);
  if (v?.type === 'number') return `${v.value}×${v.value}`;
  if (v?.type === 'array' && v.children?.length === 2 && v.children.every((c) => c.type === 'number')) {
    return `${v.children[0].value}×${v.children[1].value}`;
  }
  return undefined;
}

function scalar(node: Node, key: string): string | undefined {
  const v = nodeAt(node, [key]);
  if (v?.type === 'number' || v?.type === 'string') return String(v.value);
  if (v?.type === 'array' && v.children?.every((c) => c.type === 'number')) return v.children.map((c) => c.value).join('×');
  return undefined;
}

/** What a layer says about itself, read from its text (so a layer that does not check still shows). */
function describe(node: Node, kind: string): string {
  const activation = stringAt(node, 'activation');
  const act = activation ? ` · ${activation}` : '';
  switch (kind) {
    case 'dense': {
      const units = scalar(node, 'units');
      return `${units ?? '?'} unit${units === '1' ? '' : 's'}${act}`;
    }
    case 'conv': {
      const filters = scalar(node, 'filters') ?? '?';
      const size = numberOrPair(node, 'size') ?? '?';
      const stride = scalar(node, 'stride') ?? '1';
      const padding = scalar(node, 'padding') ?? 'valid';
      return `${filters} filters ${size}, s ${stride}, ${padding}${act}`;
    }
    case 'pool': {
      const size = numberOrPair(node, 'size') ?? '?';
      return `${stringAt(node, 'mode') ?? 'max'} ${size}, s ${scalar(node, 'stride') ?? size.split('×')[0]}`;
    }
    case 'flatten':
      return 'reshape(m, −1).T';
    case 'residual':
      return nodeAt(node, ['shortcut']) ? 'Z + W_s ∗ A + b_s' : 'Z + A (identity)';
    default:
      return '';
  }
}

const count = (n: number): string => n.toLocaleString('en-US');

function output(s: LayerShapes | undefined, l: string): string {
  return s ? `A[${l}] ${formatShape(s.A)}` : `A[${l}] ?`;
}

/** The diagram of a checked file: boxes in document order, a residual block before its layers. */
export function diagramModel(result: Pick<CheckResult, 'tree' | 'shapes' | 'problems'>): Diagram {
  const shapes = result.shapes;
  const byPath = new Map<string, LayerShapes>();
  for (const s of shapes?.layers ?? []) byPath.set(JSON.stringify(s.path), s);
  const boxes: DiagramBox[] = [];
  const problems = result.problems.filter((p) => p.path[0] === 'layers' && typeof p.path[1] === 'number');

  const worst = (path: JsonPath, exclude?: JsonPath): DiagramBox['problem'] => {
    let best: Problem | undefined;
    for (const p of problems) {
      if (!samePrefix(path, p.path) || (exclude && samePrefix(exclude, p.path))) continue;
      if (!best || SEVERITY_RANK[p.severity] > SEVERITY_RANK[best.severity]) best = p;
    }
    return best && { severity: best.severity, message: best.message };
  };

  let l = 0;
  const visit = (node: Node, path: JsonPath, depth: number): void => {
    if (node.type !== 'object') {
      l++;
      boxes.push({ path, label: String(l), kind: 'layer', detail: 'not an object', output: `A[${l}] ?`, depth, problem: worst(path) });
      return;
    }
    const kind = stringAt(node, 'type') ?? 'dense';
    const s = byPath.get(JSON.stringify(path));
    if (kind === 'residual') {
      const first = l + 1;
      const at = boxes.length;
      const block: DiagramBox = { path, label: '', kind, detail: describe(node, kind), output: '', depth, inner: 0 };
      boxes.push(block);
      const inner = nodeAt(node, ['layers']);
      (inner?.type === 'array' ? inner.children ?? [] : []).forEach((child, j) => visit(child, [...path, 'layers', j], depth + 1));
      const shortcut = nodeAt(node, ['shortcut']);
      if (shortcut?.type === 'object') {
        const sp = [...path, 'shortcut'];
        const ss = byPath.get(JSON.stringify(sp));
        boxes.push({
          path: sp, label: `s${l}`, kind: 'shortcut', detail: describe(shortcut, 'conv'), depth: depth + 1, shortcut: true,
          ...(ss ? { params: `${count(ss.params)} params` } : {}), output: ss ? `W_s[${l}] ∗ A[${first - 1}] ${formatShape(ss.A)}` : '?',
          ...(worst(sp) ? { problem: worst(sp) } : {}),
        });
      }
      block.label = l >= first ? `${first}–${l}` : `${first}`;
      block.inner = boxes.length - at - 1;
      block.output = output(s, String(l));
      if (s) block.params = `${count(s.params)} params`;
      // The block's own problems (a sum of two shapes); its layers show theirs.
      const own = worst(path, [...path, 'layers']);
      if (own) block.problem = own;
      return;
    }
    l++;
    const box: DiagramBox = { path, label: String(l), kind, detail: describe(node, kind), output: output(s, String(l)), depth };
    if (s) box.params = `${count(s.params)} params`;
    const problem = worst(path);
    if (problem) box.problem = problem;
    boxes.push(box);
  };
  const layers = nodeAt(result.tree, ['layers']);
  (layers?.type === 'array' ? layers.children ?? [] : []).forEach((child, i) => visit(child, ['layers', i], 0));

  // The network's output is the course's Ŷ = A[L].
  const lastTop = [...boxes].reverse().find((b) => b.depth === 0);
  if (lastTop) lastTop.output = `Ŷ = ${lastTop.output}`;
  const input = shapes ? `X = A[0] ${formatShape(shapes.input)}` : 'X = A[0] ?';
  const summary = `${l} layer${l === 1 ? '' : 's'}` + (shapes ? ` · ${count(shapes.totalParams)} params` : '');
  return { input, boxes, summary };
}

// ---------------------------------------------------------------------------------------------
// SVG

const BOX_W = 320;
const BOX_H = 58;
/** Vertical room between boxes for the edge and its label. */
const GAP = 34;
const INDENT = 28;
const MARGIN = 16;
/** Characters of a problem's message per line under its box. */
const MESSAGE_WIDTH = 50;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Words into lines of at most `width` characters, at most `lines` of them (the last one cut). */
export function wrap(text: string, width: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
      if (out.length === lines) break;
    } else line = line ? `${line} ${word}` : word;
  }
  if (out.length < lines && line) out.push(line);
  else if (out.length === lines && text.length > out.join(' ').length) out[lines - 1] = cut(`${out[lines - 1]} ${line}`, width);
  return out.map((l) => cut(l, width));
}

/**
 * The SVG of a diagram: a column of boxes top to bottom, each edge labelled with the tensor it
 * carries, a residual block as a bracket with its skip line on the right. `style` is put inside
 * the SVG as is (the view passes the theme's colours when exporting).
 */
export function diagramSvg(d: Diagram, style = ''): string {
  const out: string[] = [];
  let y = MARGIN;
  const x0 = MARGIN + 8;
  const edgeX = (depth: number): number => x0 + depth * INDENT + (BOX_W - depth * INDENT) / 2;
  const lane = x0 + BOX_W + 24;
  let widest = x0 + BOX_W + 40;
  // The input as a small pill, then each box with the edge that leads into it.
  out.push(`<g class="input"><rect class="pill" x="${x0}" y="${y}" width="${BOX_W}" height="26" rx="13"/>`);
  out.push(`<text class="shape" x="${x0 + BOX_W / 2}" y="${y + 17}" text-anchor="middle">${escapeXml(d.input)}</text></g>`);
  y += 26;
  let previousDepth = 0;
  const blocks: { top: number; last: number; right: number; box: DiagramBox; shortcutBottom?: number }[] = [];
  const layerBox = (box: DiagramBox, x: number, top: number, w: number): void => {
    const cls = `layer ${box.kind}${box.problem ? ` ${box.problem.severity}` : ''}`;
    out.push(`<g class="${escapeXml(cls)}" data-path="${escapeXml(JSON.stringify(box.path))}">`);
    out.push(`<rect class="box" x="${x}" y="${top}" width="${w}" height="${BOX_H}" rx="6"/>`);
    out.push(`<text class="title" x="${x + 10}" y="${top + 20}">${escapeXml(`${box.label} · ${box.kind}`)}</text>`);
    if (box.params) out.push(`<text class="params" x="${x + w - 10}" y="${top + 20}" text-anchor="end">${escapeXml(box.params)}</text>`);
    out.push(`<text class="detail" x="${x + 10}" y="${top + 40}">${escapeXml(box.detail)}</text>`);
    if (box.problem) out.push(`<title>${escapeXml(box.problem.message)}</title>`);
    out.push('</g>');
  };
  d.boxes.forEach((box, i) => {
    // A shortcut is drawn on its block's skip line (it reads the block's input, not the layer above).
    if (box.shortcut) return;
    const x = x0 + box.depth * INDENT;
    const w = BOX_W - box.depth * INDENT;
    const cx = edgeX(Math.max(previousDepth, box.depth));
    out.push(`<line class="edge" x1="${cx}" y1="${y}" x2="${cx}" y2="${y + GAP}" marker-end="url(#arrow)"/>`);
    y += GAP;
    if (box.kind === 'residual') {
      // The block's header: a thin bar; its layers follow, indented, and the skip line runs beside them.
      const cls = box.problem ? ` ${box.problem.severity}` : '';
      out.push(`<g class="layer block${cls}" data-path="${escapeXml(JSON.stringify(box.path))}">`);
      out.push(`<rect class="box" x="${x}" y="${y}" width="${w}" height="24" rx="4"/>`);
      out.push(`<text class="title" x="${x + 10}" y="${y + 16}">${escapeXml(`${box.label} · residual`)}</text>`);
      out.push(`<text class="detail" x="${x + w - 10}" y="${y + 16}" text-anchor="end">${escapeXml(box.detail)}</text>`);
      if (box.problem) out.push(`<title>${escapeXml(box.problem.message)}</title>`);
      out.push('</g>');
      const inner = d.boxes.slice(i + 1, i + 1 + (box.inner ?? 0));
      const shortcut = inner.find((b) => b.shortcut && b.depth === box.depth + 1);
      const lastLayer = i + (box.inner ?? 0) - (shortcut ? 1 : 0);
      const block: (typeof blocks)[number] = { top: y + 12, last: lastLayer, right: x + w, box };
      if (shortcut) {
        // Beside the block's first layer, in the lane to the right of the column.
        const sw = 230;
        layerBox(shortcut, lane, y + 30, sw);
        out.push(`<text class="shape" x="${lane + 4}" y="${y + 30 + BOX_H + 16}">${escapeXml(shortcut.output)}</text>`);
        block.shortcutBottom = y + 30 + BOX_H;
        widest = Math.max(widest, lane + sw + 16);
        if (shortcut.problem) {
          out.push(`<text class="message ${shortcut.problem.severity}" x="${lane + 4}" y="${y + 30 + BOX_H + 32}">${escapeXml(cut(shortcut.problem.message, 40))}</text>`);
        }
      }
      blocks.push(block);
      y += 24;
      previousDepth = box.depth + 1;
      return;
    }
    layerBox(box, x, y, w);
    y += BOX_H;
    const joinAt = y - BOX_H / 2;
    if (box.problem) {
      for (const line of wrap(box.problem.message, MESSAGE_WIDTH - box.depth * 4, 3)) {
        out.push(`<text class="message ${box.problem.severity}" x="${x + 10}" y="${y + 15}">${escapeXml(line)}</text>`);
        y += 16;
      }
      y += 2;
    }
    previousDepth = box.depth;
    let label = box.output;
    // A block ends after its last layer: its skip line joins there, and its output is the sum's.
    while (blocks.length > 0 && blocks[blocks.length - 1].last === i) {
      const b = blocks.pop()!;
      const joinY = joinAt;
      if (b.shortcutBottom !== undefined) {
        const sx = lane + 115;
        out.push(`<path class="skip" d="M ${b.right} ${b.top} H ${sx} V ${b.top + 18}"  marker-end="url(#arrow)"/>`);
        out.push(`<path class="skip" d="M ${sx} ${b.shortcutBottom} V ${joinY} H ${b.right + 2}" marker-end="url(#arrow)"/>`);
        out.push(`<text class="plus" x="${b.right + 8}" y="${joinY - 5}">+</text>`);
      } else {
        const sx = b.right + 16;
        out.push(`<path class="skip" d="M ${b.right} ${b.top} H ${sx} V ${joinY} H ${b.right + 2}" marker-end="url(#arrow)"/>`);
        out.push(`<text class="plus" x="${sx + 4}" y="${joinY - 5}">+</text>`);
      }
      label = b.box.output;
      previousDepth = b.box.depth;
    }
    // The tensor this layer (or the block it ends) outputs, on the edge below it.
    out.push(`<text class="shape" x="${edgeX(previousDepth) + 8}" y="${y + GAP / 2 + 5}">${escapeXml(label)}</text>`);
  });
  y += GAP;
  out.push(`<text class="summary" x="${x0}" y="${y}">${escapeXml(d.summary)}</text>`);
  const height = y + MARGIN;
  const width = widest;
  const defs = '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrowhead" d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>';
  return `<svg xmlns="http://www.w3.org/2000/svg" class="network" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(d.summary)}">` +
    (style ? `<style>${style}</style>` : '') + defs + out.join('') + '</svg>';
}
