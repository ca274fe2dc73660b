/** The status bar item for the active .dnn.json: layers, parameters, shape status; click shows the shapes. */
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
    const { text, tooltip } = statusText(analyze(doc).result);
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
  return item;
}
