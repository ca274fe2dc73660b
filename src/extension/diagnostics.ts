/**
 * Diagnostics as you type: each change (re)starts a timer; ~200 ms after typing stops the
 * document is checked, and the result is published only if the document is still at the version
 * the timer was started for (a later keystroke has its own timer). Files that are not open are
 * checked by "DNN: Check Workspace", at start-up and when they change on disk.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { analyze, FILE_GLOB, forget, isDnnDocument, safeCheck, toDiagnostic } from './analysis';
import { LineIndex } from '../core/format/locate';
import type { Problem } from '../core/problems';
import { loadDataForSpec } from '../node/data';
import { forChecking, pathsOutside } from './paths';

/** Files that are not open are checked only up to this size (a 2,000-layer network is 0.35 MB). */
export const MAX_UNOPENED_BYTES = 4 * 1024 * 1024;

export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('dnn');
  private readonly timers = new Map<string, { timer: ReturnType<typeof setTimeout>; version: number }>();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  /**
   * Problems of the data against the network ('data-error', 'data-mismatch'), found on open and
   * save by loading the data. Valid only for the version they were computed on: their offsets
   * move with edits, so they are dropped until the next save.
   */
  private readonly dataProblems = new Map<string, { version: number; problems: Problem[] }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics were (re)published: the status bar and Show Shapes follow. */
  readonly onDidCheck = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidOpenTextDocument((doc) => {
        this.checkSoon(doc, 0);
        void this.checkData(doc);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.checkSoon(e.document);
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        this.checkSoon(doc, 0);
        void this.checkData(doc);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        for (const doc of vscode.workspace.textDocuments) void this.checkData(doc);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.clear(doc.uri)),
    );
    // Files that change on disk without being open (git checkout, another tool).
    const watcher = vscode.workspace.createFileSystemWatcher(FILE_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidDelete((uri) => this.clear(uri)),
      watcher.onDidCreate((uri) => void this.checkFile(uri)),
      watcher.onDidChange((uri) => void this.checkFile(uri)),
    );
    // A data file edited, created or deleted: check the data of the open networks again.
    const csv = vscode.workspace.createFileSystemWatcher('**/*.csv');
    const recheckData = (): void => {
      for (const doc of vscode.workspace.textDocuments) void this.checkData(doc);
    };
    this.disposables.push(csv, csv.onDidChange(recheckData), csv.onDidCreate(recheckData), csv.onDidDelete(recheckData));
  }

  private debounceMs(): number {
    const ms = vscode.workspace.getConfiguration('dnn').get<number>('diagnostics.debounce', 200);
    return Math.max(0, ms);
  }

  /** Re-check after the debounce delay; a newer call for the same document replaces this one. */
  checkSoon(doc: vscode.TextDocument, delay = this.debounceMs()): void {
    if (!isDnnDocument(doc)) return;
    const key = doc.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending.timer);
    const version = doc.version;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      // A stale version: the document changed again (its own timer will publish) or was closed.
      if (doc.isClosed || doc.version !== version) return;
      this.checkNow(doc);
    }, delay);
    this.timers.set(key, { timer, version });
  }

  /** The problems of this version of the document: its text's, plus its data's when still valid. */
  problemsOf(doc: vscode.TextDocument): Problem[] {
    const { result } = analyze(doc, this.log);
    const data = this.dataProblems.get(doc.uri.toString());
    const problems = data && data.version === doc.version ? [...result.problems, ...data.problems] : result.problems;
    const outside = this.outside(doc, result.tree);
    return outside.length > 0 ? [...problems, ...outside] : problems;
  }

  /** Where paths that leave the workspace point (only when a folder is open: a lone file has no workspace to leave). */
  private outside(doc: vscode.TextDocument, tree: Parameters<typeof pathsOutside>[0]): Problem[] {
    const folders = vscode.workspace.workspaceFolders?.filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath) ?? [];
    if (doc.uri.scheme !== 'file' || folders.length === 0) return [];
    return pathsOutside(tree, dirname(doc.uri.fsPath), folders);
  }

  /** Check an open document now and publish its diagnostics. */
  checkNow(doc: vscode.TextDocument): void {
    if (!isDnnDocument(doc)) return;
    const t0 = Date.now();
    const diagnostics = this.problemsOf(doc).map((p) => toDiagnostic(doc.uri, doc, p));
    this.collection.set(doc.uri, diagnostics);
    this.log.trace(`checked ${vscode.workspace.asRelativePath(doc.uri)} v${doc.version}: ${diagnostics.length} problem(s) in ${Date.now() - t0} ms`);
    this.changed.fire(doc.uri);
  }

  /**
   * Load the network's data and check it against the network (features vs n[0], classes vs
   * n[L]), for a saved file whose text checks without errors. Reading data files needs a trusted
   * workspace; built-in datasets are generated, and checked in restricted mode too.
   */
  async checkData(doc: vscode.TextDocument): Promise<void> {
    if (!isDnnDocument(doc) || doc.uri.scheme !== 'file' || doc.isDirty) return;
    const key = doc.uri.toString();
    const version = doc.version;
    const { result } = analyze(doc, this.log);
    const spec = result.spec;
    if (!spec?.data || result.problems.some((p) => p.severity === 'error')) {
      this.dataProblems.delete(key);
      return;
    }
    if (spec.data.kind !== 'builtin' && !vscode.workspace.isTrusted) return;
    const t0 = Date.now();
    let problems: Problem[];
    try {
      problems = (await loadDataForSpec(forChecking(spec), doc.uri.fsPath, result.tree)).problems;
    } catch (e) {
      this.log.error(`Loading the data of ${vscode.workspace.asRelativePath(doc.uri)} failed:`, e instanceof Error ? e.message : String(e));
      return;
    }
    // A stale result: the document changed or closed while the data was loading.
    if (doc.isClosed || doc.version !== version) return;
    this.log.trace(`data of ${vscode.workspace.asRelativePath(doc.uri)} checked in ${Date.now() - t0} ms: ${problems.length} problem(s)`);
    this.dataProblems.set(key, { version, problems });
    this.checkNow(doc);
  }

  /** Check a file on disk (or its open document, which may have unsaved edits). */
  async checkFile(uri: vscode.Uri): Promise<number> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) {
      this.checkNow(open);
      return this.collection.get(uri)?.length ?? 0;
    }
    let text: string;
    try {
      // A file nobody opened is not read past the cap: a folder must not be able to stall the
      // editor with a huge file named *.dnn.json. Opening it checks it as any other document.
      const { size, type } = await vscode.workspace.fs.stat(uri);
      if (type !== vscode.FileType.File || size > MAX_UNOPENED_BYTES) {
        this.log.info(`Not checking ${vscode.workspace.asRelativePath(uri)} unopened: ${type !== vscode.FileType.File ? 'not a regular file' : `${size} bytes, more than ${MAX_UNOPENED_BYTES}`}`);
        this.collection.delete(uri);
        return 0;
      }
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (e) {
      // Deleted between the search and the read.
      this.collection.delete(uri);
      return 0;
    }
    const lines = new LineIndex(text);
    const at = {
      positionAt: (o: number) => {
        const p = lines.positionAt(o);
        return new vscode.Position(p.line, p.character);
      },
    };
    const diagnostics = safeCheck(text, this.log).problems.map((p) => toDiagnostic(uri, at, p));
    this.collection.set(uri, diagnostics);
    this.changed.fire(uri);
    return diagnostics.length;
  }

  /** "DNN: Check Workspace": every *.dnn.json in the workspace. Returns the files and problems counted. */
  async checkWorkspace(token?: vscode.CancellationToken): Promise<{ files: number; problems: number }> {
    const t0 = Date.now();
    const uris = await vscode.workspace.findFiles(FILE_GLOB, '**/node_modules/**', undefined, token);
    const found = Date.now();
    let problems = 0;
    // A few files at a time: reads overlap, checks stay short slices of the extension host's time.
    for (let i = 0; i < uris.length && !token?.isCancellationRequested; i += 8) {
      const counts = await Promise.all(uris.slice(i, i + 8).map((uri) => this.checkFile(uri)));
      problems += counts.reduce((a, b) => a + b, 0);
    }
    this.log.info(`Checked ${uris.length} .dnn.json file(s) in ${Date.now() - t0} ms (search ${found - t0} ms): ${problems} problem(s)`);
    return { files: uris.length, problems };
  }

  clear(uri: vscode.Uri): void {
    const key = uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending.timer);
    this.timers.delete(key);
    this.collection.delete(uri);
    this.dataProblems.delete(key);
    forget(uri);
    this.changed.fire(uri);
  }

  dispose(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}

