/**
 * The training page's messages (validated by the panel): start, pause, resume and stop a run,
 * Apply to file, and the PNG and CSV exports. Also the page's `init` after its `ready`.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { assertNever, type RunOverrides, type RunSettings, type WebviewToExtension } from '../../protocol';
import { runCsv } from './exports';
import { analyze } from '../analysis';
import { overrideEdits } from './edits';
import { TrainingPanel, type PageDebugSink, type PanelHost } from './panel';
import { trusted, type Trainings } from './state';
import { predictPoint, type PointAnswer } from './point';
import { pageSettings, trainCommand } from './train';

export class PageMessages implements PanelHost {
  constructor(
    private readonly t: Trainings,
    /** The debug channel, in development and test mode only (debug.ts). */
    readonly debug?: PageDebugSink,
  ) {}

  get log(): vscode.LogOutputChannel {
    return this.t.log;
  }

  onPageMessage(panel: TrainingPanel, m: WebviewToExtension): void {
    const run = this.t.runs.get(panel.file.toString());
    switch (m.type) {
      case 'ready':
        this.sendInit(panel);
        break;
      case 'start':
        void vscode.workspace.openTextDocument(panel.file).then((doc) => trainCommand(this.t, doc.uri, { overrides: m.overrides }));
        break;
      case 'pause':
      case 'resume':
        if (run) {
          if (m.type === 'pause') run.session.pause();
          else run.session.resume();
          panel.post({ type: 'runState', runId: run.runId, paused: m.type === 'pause' });
          run.say?.(m.type === 'pause' ? 'Paused (Resume or Step in the training panel)' : 'Resumed');
        }
        break;
      case 'step':
        run?.session.step();
        break;
      case 'tune':
        if (m.pace !== undefined) this.t.setPace(panel.file, m.pace);
        if (run) {
          run.session.tune(m);
          if (m.pace !== undefined) this.t.log.info(`  speed ${m.pace > 0 ? `${m.pace} iterations/s` : 'full'}`);
        }
        break;
      case 'stop':
        if (run) void run.session.stop();
        break;
      // Every action that writes checks workspace trust, as Start does (through trainCommand).
      case 'saveParams':
        if (trusted('Saving parameters', 'writes a file')) void this.t.saveUnsaved(m.runId);
        break;
      case 'applyToFile':
        if (trusted('Apply to file', 'edits the .dnn.json')) void this.applyToFile(panel, m.overrides);
        break;
      case 'exportPng':
        if (trusted('Export', 'writes a file')) void this.exportPng(panel, m.dataUrl);
        break;
      case 'exportCsv':
        if (trusted('Export', 'writes a file')) void this.exportCsv(panel, m.runId, m.csv);
        break;
      case 'predictPoint':
        panel.post({ type: 'pointPrediction', requestId: m.requestId, x: m.x, y: m.y, ...this.pointAnswer(panel.file, m.x, m.y) });
        break;
      default:
        assertNever(m);
    }
  }

  /**
   * The network's output at (x, y) with the latest parameters the worker reported for this file:
   * during a run its last boundary's, after it the final ones (kept while the extension runs).
   */
  pointAnswer(file: vscode.Uri, x: number, y: number): PointAnswer {
    const model = this.t.pointModels.get(file.toString());
    // None yet (no run since the extension started), or a network too big to send them (runner.ts).
    if (!model) return { error: 'no parameters to predict with here: train first, or use DNN: Predict' };
    try {
      return predictPoint(model.spec, model.parameters, x, y);
    } catch (e) {
      this.t.log.warn('Point prediction failed:', e instanceof Error ? e.message : String(e));
      return { error: `the prediction failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /**
   * The page's first message after `ready`. Posted synchronously, before the panel flushes what
   * it queued while the page loaded, so the page knows its file before the run's messages.
   */
  private sendInit(panel: TrainingPanel): void {
    const key = panel.file.toString();
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    const known = doc ? this.settingsOf(doc) : undefined;
    const run = this.t.runs.get(key);
    panel.post({
      type: 'init',
      file: key,
      title: TrainingPanel.titleOf(panel.file).replace(/^Training: /, ''),
      settings: known?.settings ?? run?.settings ?? { learningRate: 0, iterations: 0, optimizer: 'gd' },
      twoD: known?.twoD ?? false,
      running: Boolean(run),
    });
    if (run) {
      if (run.settings) panel.post({ type: 'runStarted', runId: run.runId, settings: run.settings, hasDev: run.hasDev ?? false, twoD: run.twoD ?? false });
      if (run.session.paused) panel.post({ type: 'runState', runId: run.runId, paused: true });
    }
    if (!known) {
      // The file is not open (a panel restored after a reload): read it, then update the page.
      void vscode.workspace.openTextDocument(panel.file).then(
        (d) => {
          const s = this.settingsOf(d);
          if (s) panel.post({ type: 'settings', ...s });
        },
        (e: unknown) => this.t.log.warn(`Training panel: cannot read ${panel.file.fsPath}: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
  }

  /** The run settings and 2-D flag of a .dnn.json, when it checks. */
  private settingsOf(doc: vscode.TextDocument): { settings: RunSettings; twoD: boolean } | undefined {
    const spec = analyze(doc, this.t.log).result.spec;
    return spec ? pageSettings(spec) : undefined;
  }

  /** Writes the overrides into the .dnn.json as one undoable edit, keeping comments and layout. */
  private async applyToFile(panel: TrainingPanel, o: RunOverrides): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(panel.file);
    const edits = overrideEdits(doc.getText(), o);
    if (edits.length === 0) return;
    const we = new vscode.WorkspaceEdit();
    for (const e of edits) we.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
    if (!(await vscode.workspace.applyEdit(we))) {
      void vscode.window.showErrorMessage(`DNN: could not edit ${path.basename(doc.uri.fsPath)}.`);
      return;
    }
    const s = this.settingsOf(doc);
    if (s) panel.post({ type: 'settings', ...s });
  }

  private async exportPng(panel: TrainingPanel, dataUrl: string): Promise<void> {
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(panel.file.fsPath.replace(/\.dnn\.json$/i, '') + '.training.png'),
      filters: { 'PNG image': ['png'] },
    });
    if (!target) return;
    const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
    await vscode.workspace.fs.writeFile(target, bytes);
    this.t.log.info(`Chart saved to ${target.fsPath}`);
  }

  private async exportCsv(panel: TrainingPanel, runId: number, pageCsv: string): Promise<void> {
    const costs = this.t.costsOf(runId);
    // Exact costs of every iteration when this session still has them; else the page's samples.
    const csv = runCsv(costs, pageCsv, this.t.tunesOf(runId));
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(panel.file.fsPath.replace(/\.dnn\.json$/i, '') + '.costs.csv'),
      filters: { CSV: ['csv'] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(csv, 'utf8'));
    this.t.log.info(`Costs saved to ${target.fsPath}${costs ? '' : ' (sampled: the exact costs of that run are no longer in memory)'}`);
  }
}
