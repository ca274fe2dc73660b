/**
 * The status bar item for the active .dnn.json: layers, parameters, and the file's real state:
 * the problems of its text and of its data (the diagnostics' list, not the shape check alone), so
 * it never says ✓ while the Problems view lists an error. Click shows the shapes.
 */
import * as vscode from 'vscode';
import { analyze, isDnnDocument } from './analysis';
import type { DiagnosticsController } from './diagnostics';
import { statusText } from './present';

export function registerStatusBar(context: vscode.ExtensionContext, diagnostics: DiagnosticsController): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('dnn.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'DNN Designer';
  item.command = 'dnn.showShapes';
  const update = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    const on = vscode.workspace.getConfiguration('dnn').get<boolean>('statusBar.enabled', true);
    if (!on || !doc || !isDnnDocument(doc)) {
      item.hide();
      return;
    }
    const { text, tooltip } = statusText({ ...analyze(doc).result, problems: diagnostics.problemsOf(doc) });
    item.text = text;
    item.tooltip = tooltip;
    item.show();
  };
  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    diagnostics.onDidCheck((uri) => {
      if (uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) update();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('dnn.statusBar')) update();
    }),
  );
  update();
  // Test hook (development and test mode only, like the training panel's `dnn._*` commands): what
  // the item shows, since the API gives extensions no way to read another's status bar.
  if (context.extensionMode !== vscode.ExtensionMode.Production) {
    context.subscriptions.push(
      vscode.commands.registerCommand('dnn._statusBar', () => {
        update();
        const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
        return { text: item.text, tooltip, visible: vscode.window.activeTextEditor !== undefined && isDnnDocument(vscode.window.activeTextEditor.document) };
      }),
    );
  }
  return item;
}
