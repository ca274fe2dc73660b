/**
 * Train, Stop Training, Predict and Gradient Check in the editor. The Editor issue calls
 * `registerTrainingCommands` from extension.ts; everything training-related is wired here:
 * the commands, the panel serializer, and the controller that connects worker sessions to panels.
 *
 * Every command takes optional arguments (a file URI, then an options object) so that tests and
 * CodeLens can run it without prompts; see TrainArgs, PredictArgs and GradientCheckArgs.
 */
import * as fs from 'fs/promises';
import * as path from 'path';
import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import * as vscode from 'vscode';
import { checkText } from '../../core/check';
import {
  assertNever,
  type GradientCheckDoneMessage,
  type LocatedMessage,
  type RenderedMessage,
  type RunOverrides,
  type RunSettings,
  type RunSummary,
  type WebviewToExtension,
  type WorkerToExtension,
} from '../../protocol';
import { TrainingPanel, VIEW_TYPE, type PanelHost } from './panel';
import { overrideEdits } from './edits';
import { parseInputCsv, parseTyped, predictInputs, PredictError, type PredictOutput } from './predict';
import { WorkerSession, type SessionEnd } from './session';

export const TRAINING_COMMANDS = ['dnn.train', 'dnn.stopTraining', 'dnn.predict', 'dnn.gradientCheck'] as const;

/** dnn.train's optional second argument. */
export interface TrainArgs {
  overrides?: RunOverrides;
  /** Restart a running training of the same file without asking. */
  restart?: boolean;
  /** Where to save the parameters (default: <name>.params.json beside the file). */
  paramsPath?: string;
  /** Resolve only when the run has ended (tests); by default the command returns once started. */
  wait?: boolean;
}

export interface TrainOutcome {
  summary?: RunSummary;
  errors?: LocatedMessage[];
  runId: number;
  threadId?: number;
}

/** dnn.predict's optional second argument: given, nothing is asked. */
export interface PredictArgs {
  params?: string;
  /** A CSV file of inputs (header row; label column optional). */
  input?: string;
  /** Inputs typed as "x1, x2; x1, x2". */
  values?: string;
  /** Write the predictions CSV here instead of opening an editor. */
  output?: string;
}

export interface GradientCheckArgs {
  epsilon?: number;
  /** Do not open an editor with the result (tests). */
  quiet?: boolean;
}

/** The state tests can query through the `dnn._trainingState` command. */
export interface TrainingState {
  running: string[];
  workers: number;
  rendered: Record<string, RenderedMessage | undefined>;
}

interface ActiveRun {
  runId: number;
  file: vscode.Uri;
  session: WorkerSession;
  settings?: RunSettings;
  hasDev?: boolean;
  costs?: number[];
  outcome: Promise<TrainOutcome>;
}

/** A finished run's exact costs, kept for "Export CSV" (the page only has samples). */
const KEEP_COSTS = 5;

class TrainingController implements PanelHost {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly finishedCosts = new Map<number, number[]>();
  private nextRunId = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {}

  private get workerFile(): string {
    return this.context.asAbsolutePath(path.join('dist', 'worker.js'));
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  async train(arg?: unknown, args: TrainArgs = {}): Promise<TrainOutcome | undefined> {
    const doc = await this.document(arg);
    if (!doc || !this.trusted('Training')) return undefined;
    if (doc.isUntitled) {
      void vscode.window.showErrorMessage('DNN: save the .dnn.json first: data paths and the parameters file are relative to it.');
      return undefined;
    }
    const key = doc.uri.toString();
    const running = this.runs.get(key);
    if (running) {
      if (!args.restart) {
        const pick = await vscode.window.showWarningMessage(
          `${path.basename(doc.uri.fsPath)} is already training. Restart it?`,
          { modal: true },
          'Restart',
        );
        if (pick !== 'Restart') return undefined;
      }
      await running.session.stop();
      await running.outcome;
    }
    const outcome = this.start(doc, args);
    return args.wait ? outcome : { runId: this.nextRunId };
  }

  private start(doc: vscode.TextDocument, args: TrainArgs): Promise<TrainOutcome> {
    const file = doc.uri;
    const fsPath = file.fsPath;
    // Unique across reloads too: a restored page still holds the runs of earlier sessions.
    const runId = (this.nextRunId = Math.max(this.nextRunId + 1, Date.now()));
    const text = doc.getText();
    const panel = TrainingPanel.createOrShow(this.context.extensionUri, file, this);
    const overrides = args.overrides ?? {};
    const paramsPath = args.paramsPath ?? defaultParamsPath(fsPath);
    this.log.info(`Train ${fsPath} (run ${runId})${Object.keys(overrides).length ? ` with ${JSON.stringify(overrides)}` : ''}`);

    let resolveOutcome!: (o: TrainOutcome) => void;
    const outcome = new Promise<TrainOutcome>((r) => (resolveOutcome = r));
    let total = 0;
    let lastPct = 0;
    let progressReport: ((pct: number, message: string) => void) | undefined;
    let summary: RunSummary | undefined;
    let errors: LocatedMessage[] | undefined;

    const onMessage = (m: WorkerToExtension) => {
      switch (m.type) {
        case 'trainStarted':
          run.settings = m.settings;
          run.hasDev = m.hasDev;
          total = m.settings.iterations;
          panel.post({ type: 'runStarted', runId, settings: m.settings, hasDev: m.hasDev });
          if (m.points) panel.post({ type: 'dataset', runId, points: m.points });
          this.log.info(`  data: ${m.source}; m = ${m.m}`);
          break;
        case 'progress': {
          panel.post({ type: 'progress', runId, iterations: m.iterations, points: m.points });
          const last = m.points[m.points.length - 1];
          if (last && progressReport && total > 0) {
            const pct = Math.floor(((last.iteration + 1) / total) * 100);
            if (pct > lastPct) {
              progressReport(pct - lastPct, `iteration ${last.iteration + 1} / ${total}, cost ${last.cost === null ? 'NaN' : last.cost.toPrecision(6)}`);
              lastPct = pct;
            }
          }
          break;
        }
        case 'boundary':
          panel.post({ type: 'boundary', runId, iteration: m.iteration, grid: m.grid });
          break;
        case 'trainDone':
          summary = m.summary;
          run.costs = m.costs;
          break;
        case 'failed':
          errors = m.errors;
          break;
        case 'gradientCheckDone':
          break;
        default:
          assertNever(m);
      }
    };

    const session = new WorkerSession(this.workerFile, { type: 'train', file: fsPath, text, overrides, paramsPath }, { onMessage, graceMs: 500 });
    const run: ActiveRun = { runId, file, session, outcome };
    this.runs.set(file.toString(), run);

    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Training ${path.basename(fsPath)}`, cancellable: true },
      async (progress, token) => {
        progressReport = (increment, message) => progress.report({ increment, message });
        token.onCancellationRequested(() => void session.stop());
        await session.done;
      },
    );

    void session.done.then((end) => {
      if (this.runs.get(file.toString()) === run) this.runs.delete(file.toString());
      if (run.costs) {
        this.finishedCosts.set(runId, run.costs);
        for (const id of [...this.finishedCosts.keys()].slice(0, -KEEP_COSTS)) this.finishedCosts.delete(id);
      }
      const final = this.finish(doc, runId, end, summary, errors, panel);
      resolveOutcome({ runId, threadId: session.threadId, ...final });
    });
    return outcome;
  }

  /** Reports how a run ended: page, output channel, and a message (with a jump for errors). */
  private finish(
    doc: vscode.TextDocument,
    runId: number,
    end: SessionEnd,
    summary: RunSummary | undefined,
    errors: LocatedMessage[] | undefined,
    panel: TrainingPanel,
  ): { summary?: RunSummary; errors?: LocatedMessage[] } {
    const name = path.basename(doc.uri.fsPath);
    if (!summary && !errors) {
      // Terminated or crashed: the worker never said how it ended.
      summary = { status: end.terminated ? 'aborted' : 'failed', message: end.error, iterationsRun: 0, finalCost: null, elapsedMs: 0 };
      if (!end.terminated) errors = [{ message: end.error ?? 'the training worker stopped unexpectedly' }];
    }
    if (errors) {
      const message = errors.map((e) => e.message).join('; ');
      panel.post({ type: 'runEnded', runId, summary: { status: 'failed', message: `Training failed: ${message}`, iterationsRun: 0, finalCost: null, elapsedMs: 0 } });
      this.log.error(`Training ${name} failed: ${message}`);
      void this.showError(doc, `DNN: cannot train ${name}: ${message}`, errors.find((e) => e.offset !== undefined));
      return { errors };
    }
    const s = summary!;
    panel.post({ type: 'runEnded', runId, summary: s });
    const pct = (v: number | null | undefined) => (typeof v === 'number' ? `${(v * 100).toFixed(2)}%` : 'n/a');
    const lines = [
      `Training ${name}: ${s.status} after ${s.iterationsRun} iterations in ${(s.elapsedMs / 1000).toFixed(2)} s`,
      `  final cost ${s.finalCost ?? 'not finite'}`,
      `  train accuracy ${pct(s.trainAccuracy)}${s.devAccuracy !== undefined ? `, dev accuracy ${pct(s.devAccuracy)}, dev cost ${s.devCost}` : ''}`,
      s.paramsPath ? `  parameters saved to ${s.paramsPath}` : '  parameters not saved',
    ];
    for (const l of lines) this.log.info(l);
    if (s.status === 'done' && s.message) {
      this.log.warn(`  ${s.message}`);
      void vscode.window.showWarningMessage(`DNN: ${name} trained, but ${s.message}`);
    }
    if (s.status === 'diverged') {
      void this.showError(doc, `DNN: ${name} diverged: ${s.message ?? 'the cost is not finite'}`, locatedAt(doc.getText(), ['training', 'learningRate']));
    }
    return { summary: s };
  }

  /** An error message whose button jumps to the place in the .dnn.json. */
  private async showError(doc: vscode.TextDocument, message: string, where: LocatedMessage | undefined): Promise<void> {
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

  async stop(arg?: unknown): Promise<boolean> {
    // An explicit file stops that file's run only; without one, the active editor's run, else
    // the only run, else ask.
    const explicit = arg instanceof vscode.Uri;
    const uri = explicit ? arg : vscode.window.activeTextEditor?.document.uri;
    const run = (uri && this.runs.get(uri.toString())) ?? (!explicit && this.runs.size === 1 ? [...this.runs.values()][0] : undefined);
    if (!run) {
      if (!explicit && this.runs.size > 1) {
        const pick = await vscode.window.showQuickPick(
          [...this.runs.values()].map((r) => ({ label: path.basename(r.file.fsPath), run: r })),
          { placeHolder: 'Stop which training?' },
        );
        if (pick) await pick.run.session.stop();
        return Boolean(pick);
      }
      void vscode.window.showInformationMessage('DNN: no training is running.');
      return false;
    }
    await run.session.stop();
    return true;
  }

  async predict(arg?: unknown, args: PredictArgs = {}): Promise<PredictOutput | undefined> {
    const doc = await this.document(arg);
    if (!doc || !this.trusted('Prediction')) return undefined;
    const checked = checkText(doc.getText());
    const spec = checked.spec;
    if (!spec || checked.problems.some((p) => p.severity === 'error')) {
      void vscode.window.showErrorMessage(`DNN: fix the errors in ${path.basename(doc.uri.fsPath)} before predicting (see the Problems view).`);
      return undefined;
    }
    const dir = path.dirname(doc.uri.fsPath);
    let params = args.params;
    if (!params) {
      const guess = defaultParamsPath(doc.uri.fsPath);
      const exists = await fs.stat(guess).then(
        () => true,
        () => false,
      );
      if (exists) params = guess;
      else {
        const picked = await vscode.window.showOpenDialog({
          title: 'Parameters file (train the network first to create one)',
          defaultUri: vscode.Uri.file(dir),
          filters: { 'Parameters': ['json'] },
        });
        params = picked?.[0]?.fsPath;
      }
    }
    if (!params) return undefined;
    let input = args.input;
    let values = args.values;
    if (!input && values === undefined) {
      const how = await vscode.window.showQuickPick(['From a CSV file…', 'Type values…'], { placeHolder: 'Predict on' });
      if (!how) return undefined;
      if (how.startsWith('From')) {
        const picked = await vscode.window.showOpenDialog({ defaultUri: vscode.Uri.file(dir), filters: { CSV: ['csv'] } });
        input = picked?.[0]?.fsPath;
        if (!input) return undefined;
      } else {
        values = await vscode.window.showInputBox({
          title: `Inputs for ${spec.name ?? 'the network'} (n[0] = ${spec.inputUnits} per example)`,
          prompt: 'Separate examples with ";" and features with "," or spaces',
          placeHolder: spec.inputUnits === 2 ? '1.2, -0.5; 0, 3' : 'x1, x2, ...',
          validateInput: (v) => {
            try {
              parseTyped(v, spec.inputUnits);
              return undefined;
            } catch (e) {
              return e instanceof Error ? e.message : String(e);
            }
          },
        });
        if (values === undefined) return undefined;
      }
    }
    try {
      const paramsText = await fs.readFile(params, 'utf8');
      const inputPath = input ? path.resolve(dir, input) : undefined;
      const inputs = inputPath ? parseInputCsv(spec, await fs.readFile(inputPath, 'utf8'), path.basename(inputPath)) : parseTyped(values ?? '', spec.inputUnits);
      const out = predictInputs(spec, paramsText, inputs, { params: path.basename(params), input: inputPath ? path.basename(inputPath) : 'typed values' });
      this.log.info(out.report.trimEnd());
      if (args.output) {
        await fs.writeFile(path.resolve(dir, args.output), out.csv, 'utf8');
      } else {
        const content = `${out.report}\n${out.csv}`;
        const shown = await vscode.workspace.openTextDocument({ content, language: 'plaintext' });
        await vscode.window.showTextDocument(shown, { preview: false });
      }
      return out;
    } catch (e) {
      const message = e instanceof PredictError || e instanceof Error ? e.message : String(e);
      void vscode.window.showErrorMessage(`DNN: cannot predict: ${message}`);
      this.log.error(`Predict: ${message}`);
      return undefined;
    }
  }

  async gradientCheck(arg?: unknown, args: GradientCheckArgs = {}): Promise<GradientCheckDoneMessage | LocatedMessage[] | undefined> {
    const doc = await this.document(arg);
    if (!doc || !this.trusted('Gradient checking')) return undefined;
    const name = path.basename(doc.uri.fsPath);
    let result: GradientCheckDoneMessage | undefined;
    let errors: LocatedMessage[] | undefined;
    const session = new WorkerSession(
      this.workerFile,
      { type: 'gradientCheck', file: doc.uri.fsPath, text: doc.getText(), ...(args.epsilon ? { epsilon: args.epsilon } : {}) },
      {
        onMessage: (m) => {
          if (m.type === 'gradientCheckDone') result = m;
          if (m.type === 'failed') errors = m.errors;
        },
      },
    );
    const end = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Gradient check of ${name}`, cancellable: true },
      (_p, token) => {
        token.onCancellationRequested(() => void session.stop());
        return session.done;
      },
    );
    if (!result) {
      const errs = errors ?? [{ message: end.error ?? 'cancelled' }];
      void this.showError(doc, `DNN: gradient check of ${name} failed: ${errs.map((e) => e.message).join('; ')}`, errs.find((e) => e.offset !== undefined));
      return errs;
    }
    const lines = [
      `Gradient check of ${name} (epsilon ${result.epsilon}, threshold ${result.threshold})`,
      `difference = ||grad - gradapprox|| / (||grad|| + ||gradapprox||) = ${result.difference.toExponential(3)}: ${result.difference < result.threshold ? 'PASSED' : 'FAILED, backpropagation disagrees with the numerical gradient'}`,
      '',
      'group   entries   worst relative error   analytic               numeric',
      ...result.groups.map(
        (g) =>
          `${g.name.padEnd(8)}${String(g.count).padStart(7)}   ${g.difference.toExponential(3).padStart(20)}   ${(g.worst ? String(g.worst.analytic) : '').padEnd(22)} ${g.worst ? String(g.worst.numeric) : ''}`,
      ),
    ];
    for (const l of lines) this.log.info(l);
    if (!args.quiet) {
      const shown = await vscode.workspace.openTextDocument({ content: lines.join('\n') + '\n', language: 'plaintext' });
      await vscode.window.showTextDocument(shown, { preview: false });
    }
    return result;
  }

  state(): TrainingState {
    const rendered: Record<string, RenderedMessage | undefined> = {};
    for (const p of TrainingPanel.all()) rendered[p.file.toString()] = p.lastRendered;
    return { running: [...this.runs.keys()], workers: [...this.runs.values()].filter((r) => r.session.alive).length, rendered };
  }

  /** Waits for the panel of `file` to report drawing `received` samples of run `runId` (0: any run; tests). */
  async whenRendered(file: vscode.Uri, runId: number, received: number, timeoutMs = 10000): Promise<RenderedMessage | undefined> {
    const panel = TrainingPanel.get(file);
    if (!panel) return undefined;
    return Promise.race([
      panel.whenRendered((r) => (runId <= 0 || r.runId === runId) && r.received >= received),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), timeoutMs)),
    ]);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.runs.values()].map((r) => r.session.kill()));
  }

  // ---------------------------------------------------------------------------------------------
  // The page

  onPageMessage(panel: TrainingPanel, m: WebviewToExtension): void {
    const run = this.runs.get(panel.file.toString());
    switch (m.type) {
      case 'ready':
        this.sendInit(panel);
        break;
      case 'start':
        void vscode.workspace.openTextDocument(panel.file).then((doc) => this.train(doc.uri, { overrides: m.overrides }));
        break;
      case 'pause':
        if (run) {
          run.session.pause();
          panel.post({ type: 'runState', runId: run.runId, paused: true });
        }
        break;
      case 'resume':
        if (run) {
          run.session.resume();
          panel.post({ type: 'runState', runId: run.runId, paused: false });
        }
        break;
      case 'stop':
        if (run) void run.session.stop();
        break;
      case 'applyToFile':
        void this.applyToFile(panel, m.overrides);
        break;
      case 'exportPng':
        void this.exportPng(panel, m.dataUrl);
        break;
      case 'exportCsv':
        void this.exportCsv(panel, m.runId, m.csv);
        break;
      case 'rendered':
        break;
      default:
        assertNever(m);
    }
  }

  /**
   * The page's first message after `ready`. Posted synchronously, before the panel flushes what
   * it queued while the page loaded, so the page knows its file before the run's messages.
   */
  private sendInit(panel: TrainingPanel): void {
    const key = panel.file.toString();
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    const known = doc ? settingsFromText(doc.getText()) : undefined;
    const run = this.runs.get(key);
    panel.post({
      type: 'init',
      file: key,
      title: TrainingPanel.titleOf(panel.file).replace(/^Training: /, ''),
      settings: known?.settings ?? run?.settings ?? { learningRate: 0, iterations: 0, optimizer: 'gd' },
      twoD: known?.twoD ?? false,
      running: Boolean(run),
    });
    if (run) {
      if (run.settings) panel.post({ type: 'runStarted', runId: run.runId, settings: run.settings, hasDev: run.hasDev ?? false });
      if (run.session.paused) panel.post({ type: 'runState', runId: run.runId, paused: true });
    }
    if (!known) {
      // The file is not open (a panel restored after a reload): read it, then update the page.
      void vscode.workspace.openTextDocument(panel.file).then(
        (d) => {
          const s = settingsFromText(d.getText());
          if (s) panel.post({ type: 'settings', ...s });
        },
        (e: unknown) => this.log.warn(`Training panel: cannot read ${panel.file.fsPath}: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
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
    const spec = checkText(doc.getText()).spec;
    if (spec) {
      panel.post({
        type: 'settings',
        settings: { learningRate: spec.training.learningRate, iterations: spec.training.iterations, optimizer: spec.training.optimizer.name },
        twoD: spec.inputUnits === 2,
      });
    }
  }

  private async exportPng(panel: TrainingPanel, dataUrl: string): Promise<void> {
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(panel.file.fsPath.replace(/\.dnn\.json$/i, '') + '.training.png'),
      filters: { 'PNG image': ['png'] },
    });
    if (!target) return;
    const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
    await vscode.workspace.fs.writeFile(target, bytes);
    this.log.info(`Chart saved to ${target.fsPath}`);
  }

  private async exportCsv(panel: TrainingPanel, runId: number, pageCsv: string): Promise<void> {
    const costs = this.finishedCosts.get(runId);
    // Exact costs of every iteration when this session still has them; else the page's samples.
    const csv = costs ? 'iteration,cost\n' + costs.map((c, i) => `${i},${c}`).join('\n') + '\n' : pageCsv;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(panel.file.fsPath.replace(/\.dnn\.json$/i, '') + '.costs.csv'),
      filters: { CSV: ['csv'] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(csv, 'utf8'));
    this.log.info(`Costs saved to ${target.fsPath}${costs ? '' : ' (sampled: the exact costs of that run are no longer in memory)'}`);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** The .dnn.json a command applies to: a URI argument, else the active editor's document. */
  private async document(arg: unknown): Promise<vscode.TextDocument | undefined> {
    if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
    if (typeof arg === 'string' && arg !== '') return vscode.workspace.openTextDocument(vscode.Uri.file(arg));
    const active = vscode.window.activeTextEditor?.document;
    if (active && /\.dnn\.json$/i.test(active.uri.path)) return active;
    if (active && active.languageId === 'dnn-json') return active;
    void vscode.window.showErrorMessage('DNN: open a .dnn.json file first (or run the command from its editor).');
    return undefined;
  }

  private trusted(what: string): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
      .showErrorMessage(`DNN: ${what} reads data files and writes parameters, so it needs a trusted workspace.`, 'Manage Workspace Trust')
      .then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
      });
    return false;
  }
}

/** The run settings and 2-D flag of a .dnn.json's text, when it parses. */
function settingsFromText(text: string): { settings: RunSettings; twoD: boolean } | undefined {
  const spec = checkText(text).spec;
  if (!spec) return undefined;
  const t = spec.training;
  return { settings: { learningRate: t.learningRate, iterations: t.iterations, optimizer: t.optimizer.name }, twoD: spec.inputUnits === 2 };
}

/** `<name>.params.json` beside `<name>.dnn.json`. */
export function defaultParamsPath(dnnFile: string): string {
  return dnnFile.replace(/\.dnn\.json$/i, '').replace(/\.json$/i, '') + '.params.json';
}

function locatedAt(text: string, p: (string | number)[]): LocatedMessage | undefined {
  const root = parseTree(text);
  const node = root && findNodeAtLocation(root, p);
  return node ? { message: '', offset: node.offset, length: node.length } : undefined;
}

export function registerTrainingCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const controller = new TrainingController(context, log);
  context.subscriptions.push(
    vscode.commands.registerCommand('dnn.train', (arg?: unknown, args?: TrainArgs) => controller.train(arg, args)),
    vscode.commands.registerCommand('dnn.stopTraining', (arg?: unknown) => controller.stop(arg)),
    vscode.commands.registerCommand('dnn.predict', (arg?: unknown, args?: PredictArgs) => controller.predict(arg, args)),
    vscode.commands.registerCommand('dnn.gradientCheck', (arg?: unknown, args?: GradientCheckArgs) => controller.gradientCheck(arg, args)),
    // For tests: what is running, how many workers are alive, what each panel drew.
    vscode.commands.registerCommand('dnn._trainingState', () => controller.state()),
    vscode.commands.registerCommand('dnn._whenRendered', (file: vscode.Uri, runId: number, received: number) => controller.whenRendered(file, runId, received)),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const file = (state as { file?: unknown } | undefined)?.file;
        if (typeof file !== 'string') {
          // Nothing to show without knowing the file (an old or empty state).
          panel.dispose();
          return;
        }
        TrainingPanel.revive(panel, context.extensionUri, vscode.Uri.parse(file), controller);
      },
    }),
    { dispose: () => void controller.stopAll() },
    { dispose: () => TrainingPanel.all().forEach((p) => p.dispose()) },
  );
}
