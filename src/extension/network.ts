/**
 * "DNN: Show Network": the diagram of a .dnn.json beside it (src/extension/diagram.ts draws it),
 * redrawn whenever the file is checked again, so it follows every edit. Clicking a layer selects
 * it in the text; "Export SVG" saves the picture with the theme's colours, for slides and reports.
 * One view per file: showing it again reveals the one there is.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { analyze, isDnnDocument } from './analysis';
import type { DiagnosticsController } from './diagnostics';
import { diagramModel, diagramSvg, type Diagram } from './diagram';
import type { JsonPath } from '../core/problems';

/** The largest SVG the extension accepts from the page for export (characters). */
const MAX_SVG = 50_000_000;

/** The page's messages, checked before use: the page is not trusted. */
type PageMessage = { type: 'ready' } | { type: 'reveal'; path: JsonPath } | { type: 'exportSvg'; svg: string };

export function isNetworkPageMessage(x: unknown): x is PageMessage {
  if (typeof x !== 'object' || x === null || Object.getPrototypeOf(x) !== Object.prototype) return false;
  const m = x as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return true;
    case 'reveal':
      return Array.isArray(m.path) && m.path.length <= 64 && m.path.every((p) => (typeof p === 'string' && p.length < 100) || (Number.isInteger(p) && (p as number) >= 0));
    case 'exportSvg':
      return typeof m.svg === 'string' && m.svg.length <= MAX_SVG && m.svg.startsWith('<svg');
    default:
      return false;
  }
}

/**
 * The page's style: every colour from the editor's theme, so light, dark and high-contrast themes
 * all draw it; the page resolves the variables when it exports.
 */
export const NETWORK_CSS = `
body { margin: 0; padding: 8px 12px; color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); }
header { display: flex; gap: 12px; align-items: center; margin-bottom: 4px; }
header .summary { color: var(--vscode-descriptionForeground); flex: 1; }
button { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); border: 1px solid var(--vscode-button-border, transparent); padding: 3px 10px; cursor: pointer; font-family: inherit; }
button:hover { background: var(--vscode-button-secondaryHoverBackground); }
svg.network { font-family: var(--vscode-font-family); font-size: 13px; }
.box { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-contrastBorder, var(--vscode-editorWidget-border, var(--vscode-descriptionForeground))); stroke-width: 1.2; }
.block .box { fill: var(--vscode-sideBarSectionHeader-background, var(--vscode-editorWidget-background)); }
.layer { cursor: pointer; }
.layer:hover .box { stroke: var(--vscode-focusBorder); stroke-width: 2; }
.layer.error .box { stroke: var(--vscode-errorForeground); stroke-width: 2; }
.layer.warning .box { stroke: var(--vscode-editorWarning-foreground); stroke-width: 2; }
.layer.info .box { stroke: var(--vscode-editorInfo-foreground); }
.title { fill: var(--vscode-foreground); font-weight: 600; }
.detail, .params, .summary { fill: var(--vscode-descriptionForeground); }
.shape { fill: var(--vscode-foreground); font-family: var(--vscode-editor-font-family, monospace); font-size: 12px; }
.edge, .skip { stroke: var(--vscode-descriptionForeground); stroke-width: 1.2; fill: none; }
.arrowhead { fill: var(--vscode-descriptionForeground); }
.pill { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-contrastBorder, var(--vscode-editorWidget-border, var(--vscode-descriptionForeground))); }
.message { font-size: 12px; }
.message.error { fill: var(--vscode-errorForeground); }
.message.warning { fill: var(--vscode-editorWarning-foreground); }
.message.info { fill: var(--vscode-editorInfo-foreground); }
.plus { fill: var(--vscode-foreground); font-weight: 700; }
`;

/**
 * The page's script: draws the SVG it is sent, reports clicks on layers, and exports the picture
 * with the theme's colours written into it (an exported file has no editor theme to read).
 */
const NETWORK_SCRIPT = `
const vscode = acquireVsCodeApi();
const root = document.getElementById('diagram');
const summary = document.getElementById('summary');
window.addEventListener('message', (e) => {
  const m = e.data;
  if (m && m.type === 'diagram' && typeof m.svg === 'string') {
    root.innerHTML = m.svg;
    summary.textContent = String(m.summary || '');
  }
});
root.addEventListener('click', (e) => {
  const g = e.target instanceof Element ? e.target.closest('[data-path]') : null;
  if (g) vscode.postMessage({ type: 'reveal', path: JSON.parse(g.getAttribute('data-path')) });
});
function resolved(css) {
  const style = getComputedStyle(document.documentElement);
  let out = css;
  for (let i = 0; i < 5 && out.includes('var('); i++) {
    out = out.replace(/var\\((--[\\w-]+)(?:,\\s*([^()]*))?\\)/g, (_, name, fallback) => style.getPropertyValue(name).trim() || (fallback || '').trim() || 'currentColor');
  }
  return out;
}
document.getElementById('export').addEventListener('click', () => {
  const svg = root.querySelector('svg');
  if (!svg) return;
  const copy = svg.cloneNode(true);
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  const sheet = document.getElementById('diagram-style').textContent;
  const rules = sheet.split('\\n').filter((l) => /^(svg|\\.)/.test(l) && !l.includes(':hover') && !l.includes('cursor')).join('\\n');
  style.textContent = resolved('svg.network { background: var(--vscode-editor-background); }\\n' + rules);
  copy.insertBefore(style, copy.firstChild);
  vscode.postMessage({ type: 'exportSvg', svg: new XMLSerializer().serializeToString(copy) });
});
vscode.postMessage({ type: 'ready' });
`;

function networkHtml(nonce: string, title: string): string {
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'`;
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<title>${esc(title)}</title>
<style nonce="${nonce}" id="diagram-style">${NETWORK_CSS}</style></head>
<body><header><span id="summary" class="summary"></span><button id="export" title="Save the picture as an SVG file, in this theme's colours">Export SVG…</button></header>
<div id="diagram"></div>
<script nonce="${nonce}">${NETWORK_SCRIPT}</script></body></html>`;
}

interface View {
  panel: vscode.WebviewPanel;
  doc: vscode.TextDocument;
  /** What the page was last sent: the tests read it to see that an edit redraws the picture. */
  posted?: Diagram;
}

export class NetworkViews implements vscode.Disposable {
  private readonly views = new Map<string, View>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly log: vscode.LogOutputChannel,
    diagnostics: DiagnosticsController,
  ) {
    this.disposables.push(diagnostics.onDidCheck((uri) => this.redraw(uri.toString())));
  }

  /** Shows the network of `doc` beside it; the diagram it shows. */
  show(doc: vscode.TextDocument): Diagram | undefined {
    if (!isDnnDocument(doc)) return undefined;
    const key = doc.uri.toString();
    const existing = this.views.get(key);
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Beside, true);
      return existing.posted;
    }
    const name = path.basename(doc.uri.path);
    const panel = vscode.window.createWebviewPanel('dnn.network', `Network: ${name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [],
    });
    const view: View = { panel, doc };
    this.views.set(key, view);
    panel.webview.html = networkHtml(randomBytes(16).toString('base64'), `Network: ${name}`);
    panel.onDidDispose(() => this.views.delete(key));
    panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(view, m));
    return this.draw(view);
  }

  private redraw(key: string): void {
    const view = this.views.get(key);
    if (view && !view.doc.isClosed) this.draw(view);
  }

  private draw(view: View): Diagram {
    const diagram = diagramModel(analyze(view.doc, this.log).result);
    view.posted = diagram;
    void view.panel.webview.postMessage({ type: 'diagram', svg: diagramSvg(diagram), summary: diagram.summary });
    return diagram;
  }

  private async receive(view: View, m: unknown): Promise<void> {
    if (!isNetworkPageMessage(m)) {
      this.log.warn('Network view: ignored a malformed message from the page');
      return;
    }
    if (m.type === 'ready') this.draw(view);
    else if (m.type === 'reveal') await this.reveal(view.doc, m.path);
    else await this.exportSvg(view.doc, m.svg);
  }

  /** Selects the layer at `path` in the file's editor (opening it if it was closed). */
  async reveal(doc: vscode.TextDocument, at: JsonPath): Promise<vscode.Selection> {
    const { result } = analyze(doc, this.log);
    const r = result.locate(at);
    const range = new vscode.Range(doc.positionAt(r.offset), doc.positionAt(r.offset + r.length));
    const shown = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return editor.selection;
  }

  private async exportSvg(doc: vscode.TextDocument, svg: string): Promise<void> {
    const base = path.basename(doc.uri.path).replace(/\.dnn\.json$/, '');
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(doc.uri, '..', `${base}.network.svg`),
      filters: { 'SVG image': ['svg'] },
      title: 'Export the network as SVG',
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`));
      void vscode.window.showInformationMessage(`DNN: network saved to ${vscode.workspace.asRelativePath(target)}`);
    } catch (e) {
      void vscode.window.showErrorMessage(`DNN: cannot save ${target.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    for (const v of this.views.values()) v.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
