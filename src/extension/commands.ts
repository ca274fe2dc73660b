/**
 * The editor's own commands (category "DNN"): Show Shapes, Check Workspace, New Network from
 * Template. Train, Stop Training, Predict and Gradient Check are registered by
 * training/index.ts. Every command takes an optional argument so tests and CodeLens can call it
 * without a quick pick.
 */
import * as vscode from 'vscode';
import { NetworkViews } from './network';
import type { JsonPath } from '../core/problems';
import { analyze, isDnnDocument, LANGUAGE_ID } from './analysis';
import type { DiagnosticsController } from './diagnostics';
import { shapesTable } from './present';
import { TEMPLATES } from './templates';
import { exportNetwork } from './exportCommand';

export const SHAPES_SCHEME = 'dnn-shapes';

/** The .dnn.json a command applies to: its argument, else the active editor's document. */
export async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const active = vscode.window.activeTextEditor?.document;
  if (active && isDnnDocument(active)) return active;
  if (active && active.uri.scheme === SHAPES_SCHEME) return vscode.workspace.openTextDocument(vscode.Uri.parse(active.uri.query));
  return undefined;
}

/**
 * Show Shapes: a read-only virtual document `dnn-shapes:/<file> shapes?<source uri>` whose text
 * is regenerated whenever the source is re-checked.
 */
export class ShapesDocumentProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly open = new Set<string>();

  private readonly closed: vscode.Disposable;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.closed = vscode.workspace.onDidCloseTextDocument((doc) => this.open.delete(doc.uri.toString()));
  }

  static uriFor(source: vscode.Uri): vscode.Uri {
    const base = source.path.split('/').pop() ?? 'network';
    return vscode.Uri.from({ scheme: SHAPES_SCHEME, path: `/${base} shapes`, query: source.toString() });
  }

  /** Called when a source was re-checked: refresh its table if it is showing. */
  sourceChanged(source: vscode.Uri): void {
    const uri = ShapesDocumentProvider.uriFor(source);
    if (this.open.has(uri.toString())) this.changed.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    this.open.add(uri.toString());
    const source = vscode.Uri.parse(uri.query);
    const doc = await vscode.workspace.openTextDocument(source);
    const title = source.path.split('/').pop() ?? source.toString();
    return shapesTable(title, analyze(doc, this.log).result);
  }

  dispose(): void {
    this.changed.dispose();
    this.closed.dispose();
  }
}

export function registerEditorCommands(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  diagnostics: DiagnosticsController,
): void {
  const shapes = new ShapesDocumentProvider(log);
  const network = new NetworkViews(log, diagnostics);
  context.subscriptions.push(
    shapes,
    network,
    vscode.commands.registerCommand('dnn.showNetwork', async (arg?: unknown) => {
      const doc = await targetDocument(arg);
      if (!doc) {
        void vscode.window.showInformationMessage('DNN: open a .dnn.json file to see its network.');
        return undefined;
      }
      return network.show(doc);
    }),
    // Selects a layer (a JSON path) in a file's editor: what a click in the network view does.
    vscode.commands.registerCommand('dnn.revealLayer', async (file?: unknown, at?: unknown) => {
      const path = Array.isArray(at) && at.every((p) => typeof p === 'string' || Number.isInteger(p)) ? (at as JsonPath) : undefined;
      const doc = file instanceof vscode.Uri ? await vscode.workspace.openTextDocument(file) : undefined;
      if (!doc || !path) return undefined;
      return network.reveal(doc, path);
    }),
    vscode.workspace.registerTextDocumentContentProvider(SHAPES_SCHEME, shapes),
    diagnostics.onDidCheck((uri) => shapes.sourceChanged(uri)),

    vscode.commands.registerCommand('dnn.showShapes', async (arg?: unknown) => {
      const doc = await targetDocument(arg);
      if (!doc) {
        void vscode.window.showInformationMessage('DNN: open a .dnn.json file to see its shapes.');
        return undefined;
      }
      const view = await vscode.workspace.openTextDocument(ShapesDocumentProvider.uriFor(doc.uri));
      await vscode.window.showTextDocument(view, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
      return view;
    }),

    vscode.commands.registerCommand('dnn.export', async (arg?: unknown, format?: unknown, cancel?: vscode.CancellationToken) =>
      exportNetwork(await targetDocument(arg), format, log, cancel),
    ),
    vscode.commands.registerCommand('dnn.checkWorkspace', async () => {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'DNN: checking .dnn.json files' },
        (_p, token) => diagnostics.checkWorkspace(token),
      );
      vscode.window.setStatusBarMessage(`DNN: ${result.files} file(s) checked, ${result.problems} problem(s)`, 5000);
      return result;
    }),

    vscode.commands.registerCommand('dnn.newFromTemplate', async (arg?: unknown) => {
      const template =
        typeof arg === 'string'
          ? TEMPLATES.find((t) => t.id === arg)
          : await vscode.window.showQuickPick(
              TEMPLATES.map((t) => ({ label: t.label, detail: t.detail, template: t })),
              { title: 'DNN: New Network from Template', placeHolder: 'Pick a starting point' },
            ).then((pick) => pick?.template);
      if (!template) return undefined;
      // An untitled document named like the file it will become, so it is a dnn-json document
      // from the start (checked, hinted) and "Save" proposes <template>.dnn.json in the workspace.
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      let uri: vscode.Uri | undefined;
      if (folder) {
        for (let i = 1; !uri; i++) {
          const name = i === 1 ? `${template.id}.dnn.json` : `${template.id}-${i}.dnn.json`;
          const candidate = vscode.Uri.joinPath(folder, name);
          const exists = await vscode.workspace.fs.stat(candidate).then(() => true, () => false);
          const openAlready = vscode.workspace.textDocuments.some((d) => d.uri.path === candidate.path);
          if (!exists && !openAlready) uri = candidate.with({ scheme: 'untitled' });
        }
      }
      let doc = uri
        ? await vscode.workspace.openTextDocument(uri)
        : await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: template.text });
      if (uri) {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(doc.uri, new vscode.Position(0, 0), template.text);
        await vscode.workspace.applyEdit(edit);
        if (doc.languageId !== LANGUAGE_ID) doc = await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
      }
      await vscode.window.showTextDocument(doc);
      log.info(`New network from template "${template.id}": ${doc.uri.toString()}`);
      return doc.uri;
    }),
  );
}
