/**
 * What the training commands share: the runs going on (one per file), the exact costs of the
 * last few finished runs (for "Export CSV"), and the helpers every command uses to find its file,
 * to refuse an untrusted workspace and to show an error that jumps to its place in the file.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { Spec } from '../../core/format/types';
import type { LocatedMessage, RunSettings, RunSummary, Tuning } from '../../protocol';
import { defaultParamsPath } from '../../run/settings';
import { RunningMap } from '../contextKeys';
import { TrainingPanel, type PanelHost } from './panel';
import { ResultDocuments } from './results';
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
  /** The parameters file's text of a run that ended without saving (see TrainDoneMessage). */
  unsavedParams?: string;
  outcome: Promise<unknown>;
  /** Updates the run's progress notification (Paused, Resumed). */
  say?: (message: string) => void;
  /** The last sample heard, for "Paused at iteration i". */
  last?: { iteration: number; total: number };
}

export class Trainings {
  /** By the .dnn.json's URI string; whether it is empty is the `dnn.training` context key. */
  readonly runs: Map<string, ActiveRun> = new RunningMap<string, ActiveRun>();
  private readonly finishedCosts = new Map<number, number[]>();
  private readonly finishedTunes = new Map<number, readonly ({ iteration: number } & Tuning)[]>();
  /** Parameters of stopped runs not saved yet, by run id, with their summary (the last few). */
  private readonly unsaved = new Map<number, { file: vscode.Uri; text: string; summary: RunSummary }>();
  private lastRunId = 0;
  /** The speed each panel asked for, iterations per second (0 = full speed), by file. */
  private readonly paces = new Map<string, number>();
  /** Receives the messages of every training page (page.ts); set once at registration. */
  pageHost!: PanelHost;
  /**
   * By file: the spec and the latest parameters (a parameters file's text) the worker reported
   * with a decision boundary, for the page's click on it (point.ts). Kept after the run ends.
   */
  readonly pointModels = new Map<string, { spec: Spec; parameters: string }>();
  /** Predict's and Gradient Check's read-only result documents. */
  readonly results = new ResultDocuments();

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

  paceOf(file: vscode.Uri): number {
    return this.paces.get(file.toString()) ?? 0;
  }

  setPace(file: vscode.Uri, pace: number): void {
    this.paces.set(file.toString(), pace);
  }

  keepCosts(runId: number, costs: number[], tunes: readonly ({ iteration: number } & Tuning)[] = []): void {
    this.finishedCosts.set(runId, costs);
    if (tunes.length > 0) this.finishedTunes.set(runId, tunes);
    for (const id of [...this.finishedCosts.keys()].slice(0, -KEEP_COSTS)) {
      this.finishedCosts.delete(id);
      this.finishedTunes.delete(id);
    }
  }

  costsOf(runId: number): number[] | undefined {
    return this.finishedCosts.get(runId);
  }

  /** The α and optimiser settings a finished run changed to mid-run, for its CSV. */
  tunesOf(runId: number): readonly ({ iteration: number } & Tuning)[] {
    return this.finishedTunes.get(runId) ?? [];
  }

  keepUnsaved(runId: number, file: vscode.Uri, text: string, summary: RunSummary): void {
    this.unsaved.set(runId, { file, text, summary });
    for (const id of [...this.unsaved.keys()].slice(0, -KEEP_COSTS)) this.unsaved.delete(id);
  }

  /**
   * Writes a stopped run's parameters (to `target`, default: beside the .dnn.json, where a
   * completed run saves), and tells the panel. Resolves to the path, or undefined.
   */
  async saveUnsaved(runId: number, target?: vscode.Uri): Promise<string | undefined> {
    const u = this.unsaved.get(runId);
    if (!u) {
      void vscode.window.showInformationMessage('DNN: the parameters of that run are no longer in memory; train again to save them.');
      return undefined;
    }
    const to = target ?? vscode.Uri.file(defaultParamsPath(u.file.fsPath));
    try {
      await vscode.workspace.fs.writeFile(to, Buffer.from(u.text, 'utf8'));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`Saving the parameters to ${to.fsPath} failed: ${message}`);
      void vscode.window.showErrorMessage(`DNN: cannot save the parameters to ${to.fsPath}: ${message}`);
      return undefined;
    }
    this.unsaved.delete(runId);
    this.log.info(`  parameters after ${u.summary.iterationsRun} iterations saved to ${to.fsPath}`);
    TrainingPanel.get(u.file)?.post({ type: 'runEnded', runId, summary: { ...u.summary, paramsPath: to.fsPath, canSave: false } });
    return to.fsPath;
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
export function trusted(what: string, does = 'reads data files and writes parameters'): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showErrorMessage(`DNN: ${what} ${does}, so it needs a trusted workspace.`, 'Manage Workspace Trust')
    .then((pick) => {
      if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
