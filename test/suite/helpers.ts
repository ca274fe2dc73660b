/** Shared helpers for the editor suite: fixtures, and awaiting events with a timeout (never sleeping). */
import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'dnn-designer.dnn-designer';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite runs with test/fixtures/editor (a copy) as its workspace folder');
  return folder.uri;
}

export function fixture(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...name.split('/'));
}

/** The API activate() returns (src/extension/extension.ts DnnApi), as much as tests use. */
export interface Api {
  ready: Promise<void>;
  diagnostics: { checkNow(doc: vscode.TextDocument): void; checkData(doc: vscode.TextDocument): Promise<void> };
}

export async function activateExtension(): Promise<Api> {
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  const api = await ext.activate();
  assert.ok(api, 'activate() returned the API (activation did not fail)');
  return api;
}

/** Check `doc` now (no debounce) so that an empty result means "checked, no problems". */
export async function checked(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
  (await activateExtension()).diagnostics.checkNow(doc);
  return dnnDiagnostics(doc.uri);
}

export async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fixture(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/**
 * A document with the given text, named *.dnn.json so it is a dnn-json document (not saved).
 * Names are unique across test files: each file is bundled with its own copy of this module.
 */
let scratchCount = 0;
const scratchPrefix = Math.random().toString(36).slice(2, 8);
export async function scratch(text: string): Promise<vscode.TextDocument> {
  const uri = fixture(`scratch-${scratchPrefix}-${++scratchCount}.dnn.json`).with({ scheme: 'untitled' });
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, new vscode.Position(0, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  await vscode.window.showTextDocument(doc);
  return doc;
}

export function dnnDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'dnn');
}

/** Resolve with `fn()` once it is not undefined, re-trying on every event of `onEvent`; reject after `ms`. */
export function when<T>(
  fn: () => T | undefined,
  what: string,
  onEvent: vscode.Event<unknown> = vscode.languages.onDidChangeDiagnostics,
  ms = 10000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const first = fn();
    if (first !== undefined) return resolve(first);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const sub = onEvent(() => {
      const v = fn();
      if (v !== undefined) {
        clearTimeout(timer);
        sub.dispose();
        resolve(v);
      }
    });
  });
}

/** Wait until the dnn diagnostics of `uri` satisfy `ok`; returns them. */
export function diagnosticsWhere(
  uri: vscode.Uri,
  ok: (d: vscode.Diagnostic[]) => boolean,
  what: string,
  ms = 10000,
): Promise<vscode.Diagnostic[]> {
  return when(() => {
    const d = dnnDiagnostics(uri);
    return ok(d) ? d : undefined;
  }, `${what} (now: ${describe(dnnDiagnostics(uri))})`, vscode.languages.onDidChangeDiagnostics, ms);
}

export function describe(ds: vscode.Diagnostic[]): string {
  return JSON.stringify(ds.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`));
}

/** The text a range covers. */
export function textAt(doc: vscode.TextDocument, range: vscode.Range): string {
  return doc.getText(range);
}

/** The range of the first occurrence of `needle` after `after` (test-side location of expected ranges). */
export function rangeOf(doc: vscode.TextDocument, needle: string, after = ''): vscode.Range {
  const text = doc.getText();
  const from = after ? text.indexOf(after) : 0;
  assert.ok(from >= 0, `"${after}" in the fixture`);
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, `"${needle}" in the fixture`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length));
}

/**
 * Markdown as a user reads it: VS Code's JSON hover escapes the markdown characters of a plain
 * description ("W\[l\] \- α·dW\[l\]\."), which the hover shows without the backslashes.
 */
export function readable(markdown: string): string {
  return markdown.replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1');
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}
