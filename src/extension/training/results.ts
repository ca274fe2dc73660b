/**
 * Results of Predict and Gradient Check as read-only virtual documents (`dnn-result:`): nothing to
 * save, no "Untitled-N" piling up. One document per file and kind, replaced by each new result and
 * shown in the same tab.
 */
import * as vscode from 'vscode';

export const RESULT_SCHEME = 'dnn-result';

export class ResultDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly texts = new Map<string, string>();

  /** The document for `kind` ("predictions", "gradient check") of `source`. */
  static uriFor(source: vscode.Uri, kind: string): vscode.Uri {
    const base = (source.path.split('/').pop() ?? 'network').replace(/\.dnn\.json$/i, '');
    return vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${base} ${kind}.txt`, query: source.toString() });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Sets the text and shows it beside the editor (the tab of an earlier result is reused). */
  async show(source: vscode.Uri, kind: string, text: string, reveal = true): Promise<vscode.TextDocument> {
    const uri = ResultDocuments.uriFor(source, kind);
    const known = this.texts.has(uri.toString());
    this.texts.set(uri.toString(), text);
    if (known) this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (reveal) await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
    return doc;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
