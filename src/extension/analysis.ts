/**
 * One check per document version, shared by every feature (diagnostics, hovers, inlay hints,
 * CodeLens, quick fixes, status bar, Show Shapes): they all ask `analyze(document)` and get the
 * cached result while the version has not changed. The text is parsed once, by the checker; the
 * features place themselves on its tree (`result.tree`) through src/core/format/locate.ts, so
 * they land on the text the checker read, also when a key appears twice.
 */
import * as vscode from 'vscode';
import { checkText, type CheckResult } from '../core/check';
import type { Problem, TextRange } from '../core/problems';

export const LANGUAGE_ID = 'dnn-json';
export const FILE_GLOB = '**/*.dnn.json';

export interface Analysis {
  version: number;
  result: CheckResult;
}

/** A document this extension handles: a .dnn.json file (or untitled) in the dnn-json language. */
export function isDnnDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== 'vscode-remote') return false;
  return doc.languageId === LANGUAGE_ID || doc.uri.path.endsWith('.dnn.json');
}

const cache = new Map<string, Analysis>();

/** The checker never throws by contract; if it ever does, the editor keeps working. */
export function safeCheck(text: string, log?: vscode.LogOutputChannel): CheckResult {
  try {
    return checkText(text);
  } catch (e) {
    log?.error('checkText threw (a bug in the checker):', e instanceof Error ? (e.stack ?? e.message) : String(e));
    return { problems: [], locate: () => ({ offset: 0, length: 0 }) };
  }
}

export function analyze(doc: vscode.TextDocument, log?: vscode.LogOutputChannel): Analysis {
  const key = doc.uri.toString();
  const hit = cache.get(key);
  if (hit && hit.version === doc.version) return hit;
  const analysis: Analysis = { version: doc.version, result: safeCheck(doc.getText(), log) };
  cache.set(key, analysis);
  return analysis;
}

export function forget(uri: vscode.Uri): void {
  cache.delete(uri.toString());
}

export function toRange(doc: { positionAt(offset: number): vscode.Position }, r: TextRange): vscode.Range {
  return new vscode.Range(doc.positionAt(r.offset), doc.positionAt(r.offset + r.length));
}

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** A core problem as a VS Code diagnostic: code, source 'dnn', severity, range, related places. */
export function toDiagnostic(
  uri: vscode.Uri,
  doc: { positionAt(offset: number): vscode.Position },
  p: Problem,
): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(doc, p.range), p.message, SEVERITY[p.severity]);
  d.code = p.code;
  d.source = 'dnn';
  if (p.related?.length) {
    d.relatedInformation = p.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(doc, r.range)), r.message),
    );
  }
  return d;
}
