/**
 * What the training commands share: the runs going on (one per file), the exact costs of the
 * last few finished runs (for "Export CSV"), and the helpers every command uses to find its file,
 * to refuse an untrusted workspace and to show an error that jumps to its place in the file.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { LocatedMessage, RunSettings } from '../../protocol';
import type { PanelHost } from './panel';
import type { WorkerSession } from './session';

/** A finished run's exact costs, kept for "Export CSV" (the page only has samples). */
const KEEP_COSTS = 5;

export interface ActiveRun {
  runId: number;
  file: vscode.Uri;
  session: WorkerSession;
  settings?: RunSettings;
  hasDev?: boolean;
  twoD?: boolean;
  costs?: number[];
  outcome: Promise<unknown>;
}

export class Trainings {
  /** By the .dnn.json's URI string. */
  readonly runs = new Map<string, ActiveRun>();
  private readonly finishedCosts = new Map<number, number[]>();
  private lastRunId = 0;
  /** Receives the messages of every training page (page.ts); set once at registration. */
  pageHost!: PanelHost;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {}

  get workerFile(): string {
    return this.context.asAbsolutePath(path.join('dist', 'worker.js'));
  }

  /** A new run's id, unique across reloads too: a restored page still holds the runs of earlier sessions. */
  newRunId(): number {
    return (this.lastRunId = Math.max(this.lastRunId + 1, Date.now()));
  }

  /** The id the last run got. */
  get latestRunId(): number {
    return this.lastRunId;
  }

  keepCosts(runId: number, costs: number[]): void {
    this.finishedCosts.set(runId, costs);
    for (const id of [...this.finishedCosts.keys()].slice(0, -KEEP_COSTS)) this.finishedCosts.delete(id);
  }

  costsOf(runId: number): number[] | undefined {
    return this.finishedCosts.get(runId);
  }

  /** Logs a worker message that broke the protocol (the session dropped it). */
  malformedWorkerMessage(m: unknown): void {
    this.log.warn(`Training worker: ignored a malformed message: ${JSON.stringify(m)?.slice(0, 200)}`);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.runs.values()].map((r) => r.session.kill()));
  }

  /** An error message whose button jumps to the place in the .dnn.json. */
  async showError(doc: vscode.TextDocument, message: string, where: LocatedMessage | undefined): Promise<void> {
    const actions = where?.offset !== undefined ? ['Go to Position', 'Show Log'] : ['Show Log'];
    const pick = await vscode.window.showErrorMessage(message, ...actions);
    if (pick === 'Show Log') this.log.show(true);
    if (pick === 'Go to Position' && where?.offset !== undefined) {
      const editor = await vscode.window.showTextDocument(doc, { preview: false });
      const start = doc.positionAt(where.offset);
      const end = doc.positionAt(where.offset + (where.length ?? 0));
      editor.selection = new vscode.Selection(start, end);
      editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  }
}

/** The .dnn.json a command applies to: a URI argument, else the active editor's document. */
export async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  if (typeof arg === 'string' && arg !== '') return vscode.workspace.openTextDocument(vscode.Uri.file(arg));
  const active = vscode.window.activeTextEditor?.document;
  if (active && /\.dnn\.json$/i.test(active.uri.path)) return active;
  if (active && active.languageId === 'dnn-json') return active;
  void vscode.window.showErrorMessage('DNN: open a .dnn.json file first (or run the command from its editor).');
  return undefined;
}

/** True in a trusted workspace; otherwise says why `what` needs trust and offers to manage it. */
export function trusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showErrorMessage(`DNN: ${what} reads data files and writes parameters, so it needs a trusted workspace.`, 'Manage Workspace Trust')
    .then((pick) => {
      if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
