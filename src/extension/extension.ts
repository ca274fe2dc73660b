/** VS Code glue: the only place that imports 'vscode'. Filled in by the Editor issue. */
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  void context;
}

export function deactivate(): void {}
