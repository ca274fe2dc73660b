/**
 * DNN: Train. One worker per run (session.ts), its messages forwarded to the file's panel, a
 * cancellable progress notification, and a report of how the run ended: in the panel, in the log,
 * and as a message whose button jumps to the cause in the .dnn.json.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { Spec } from '../../core/format/types';
import { assertNever, tuningText, type LocatedMessage, type RunOverrides, type RunSettings, type RunSummary, type Tuning, type WorkerToExtension } from '../../protocol';
import { progressLine, type Precision } from '../../run/print';
import { progressMessage } from './speed';
import { defaultParamsPath, runSettings } from '../../run/settings';
import { analyze } from '../analysis';
import { dataNeeded } from '../present';
import { TrainingPanel } from './panel';
import { closedPanelNotice, SHOW_PANEL } from './summary';
import { WorkerSession, type SessionEnd } from './session';
import { targetDocument, trusted, type ActiveRun, type Trainings } from './state';

/** dnn.train's optional second argument. */
export interface TrainArgs {
  overrides?: RunOverrides;
  /** Restart a running training of the same file without asking. */
  restart?: boolean;
  /** Where to save the parameters (default: <name>.params.json beside the file). */
  paramsPath?: string;
  /** Resolve only when the run has ended (tests); by default the command returns once started. */
  wait?: boolean;
  /** A stopped run saves what it learned to the default place without asking (tests, scripts). */
  saveStopped?: boolean;
}

export interface TrainOutcome {
  summary?: RunSummary;
  /** Where a stopped run's parameters were saved when the user (or `saveStopped`) chose to. */
  savedParams?: string;
  /** The learning rates the run took mid-run, and from which iteration. */
  tunes?: ({ iteration: number } & Tuning)[];
  errors?: LocatedMessage[];
  runId: number;
  threadId?: number;
}

export async function trainCommand(t: Trainings, arg?: unknown, args: TrainArgs = {}): Promise<TrainOutcome | undefined> {
  const doc = await targetDocument(arg);
  if (!doc || !trusted('Training')) return undefined;
  if (doc.isUntitled) {
    // The Save button saves it (the dialog asks where) and trains the saved file.
    const pick = await vscode.window.showErrorMessage('DNN: save the .dnn.json first: data paths and the parameters file are relative to it.', 'Save…');
    if (pick !== 'Save…') return undefined;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.saveAs');
    const saved = vscode.window.activeTextEditor?.document;
    return saved && !saved.isUntitled ? trainCommand(t, saved.uri, args) : undefined;
  }
  const spec = analyze(doc, t.log).result.spec;
  if (spec && !spec.data) {
    // Said before a worker starts: the core's generic hint may name a dataset that cannot fit.
    void vscode.window.showErrorMessage(`DNN: ${path.basename(doc.uri.fsPath)}: ${dataNeeded(spec)}`);
    return undefined;
  }
  const running = t.runs.get(doc.uri.toString());
  if (running) {
    if (!args.restart) {
      const pick = await vscode.window.showWarningMessage(`${path.basename(doc.uri.fsPath)} is already training. Restart it?`, { modal: true }, 'Restart');
      if (pick !== 'Restart') return undefined;
    }
    await running.session.stop();
    await running.outcome;
  }
  const { outcome } = await startRun(t, doc, args);
  return args.wait ? outcome : { runId: t.latestRunId };
}

/** What the worker said about the run so far. */
interface Heard {
  summary?: RunSummary;
  errors?: LocatedMessage[];
  tunes?: ({ iteration: number } & Tuning)[];
}

/** How long a run waits for a new panel's page to listen before it starts anyway. */
const PAGE_READY_MS = 5000;

/**
 * Starts the run once its panel listens. The outcome comes wrapped, as a promise inside a promise
 * would be flattened by `await` into the end of the run.
 */
async function startRun(t: Trainings, doc: vscode.TextDocument, args: TrainArgs): Promise<{ outcome: Promise<TrainOutcome> }> {
  const file = doc.uri;
  const fsPath = file.fsPath;
  const runId = t.newRunId();
  const panel = TrainingPanel.createOrShow(t.context.extensionUri, file, t.pageHost);
  // Every run brings the file's settings and 2-D flag as they are now: a panel reused after an
  // edit (input fixed to 2, α changed) must not show what the file said when it opened.
  const spec = analyze(doc, t.log).result.spec;
  if (spec) panel.post({ type: 'settings', ...pageSettings(spec) });
  // A new panel's page takes a moment to load: a sub-second run started before it listens would
  // arrive all at once, and the first thing a student saw would be the end state.
  await panel.whenReady(PAGE_READY_MS);
  const overrides = args.overrides ?? {};
  const paramsPath = args.paramsPath ?? defaultParamsPath(fsPath);
  t.log.info(`Train ${fsPath} (run ${runId})${Object.keys(overrides).length ? ` with ${JSON.stringify(overrides)}` : ''}`);

  let resolveOutcome!: (o: TrainOutcome) => void;
  const outcome = new Promise<TrainOutcome>((r) => (resolveOutcome = r));
  const heard: Heard = {};
  const notify: { report?: (increment: number, message: string) => void } = {};
  // The listener reads `run` only when the worker speaks, after the assignment below.
  const print = { every: spec?.training.printEvery ?? 100, precision: spec?.training.printPrecision ?? 6, batchSize: spec?.training.batchSize ?? null };
  const onMessage = workerListener(t, runId, panel, heard, notify, () => run, print, spec);
  const session = new WorkerSession(t.workerFile, { type: 'train', file: fsPath, text: doc.getText(), overrides, paramsPath }, {
    onMessage,
    onMalformed: (m) => t.malformedWorkerMessage(m),
    graceMs: 500,
    pace: t.paceOf(file),
  });
  const run: ActiveRun = { runId, file, session, outcome, say: (message) => notify.report?.(0, message) };
  t.runs.set(file.toString(), run);

  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Training ${path.basename(fsPath)}`, cancellable: true },
    async (progress, token) => {
      notify.report = (increment, message) => progress.report({ increment, message });
      token.onCancellationRequested(() => void session.stop());
      await session.done;
    },
  );

  const active = run;
  void session.done.then((end) => {
    if (t.runs.get(file.toString()) === active) t.runs.delete(file.toString());
    if (active.costs) t.keepCosts(runId, active.costs, heard.tunes);
    if (active.unsavedParams && heard.summary) t.keepUnsaved(runId, file, active.unsavedParams, heard.summary);
    const final = { ...reportEnd(t, doc, runId, end, heard, panel), ...(heard.tunes ? { tunes: heard.tunes } : {}) };
    if (heard.summary?.canSave && active.unsavedParams && args.saveStopped) {
      void t.saveUnsaved(runId).then((saved) => resolveOutcome({ runId, threadId: session.threadId, ...final, ...(saved ? { savedParams: saved } : {}) }));
      return;
    }
    // The offer stays up as long as the user likes; the run itself has ended (a restart waits on it).
    if (heard.summary?.canSave && active.unsavedParams) void offerSave(t, doc, runId, heard.summary);
    resolveOutcome({ runId, threadId: session.threadId, ...final });
  });
  return { outcome };
}

/** Forwards the worker's messages to the page, the progress notification and `heard`. */
function workerListener(
  t: Trainings,
  runId: number,
  panel: TrainingPanel,
  heard: Heard,
  notify: { report?: (increment: number, message: string) => void },
  run: () => ActiveRun | undefined,
  print: { every: number; precision: Precision; batchSize: number | null },
  spec: Spec | undefined,
): (m: WorkerToExtension) => void {
  let total = 0;
  let lastPct = 0;
  let lastMessage = '';
  // "Cost after epoch i" with mini-batches, as the notebooks print it; known once the data is.
  let miniBatches = false;
  let examples = 0;
  return (m) => {
    switch (m.type) {
      case 'trainStarted': {
        // A click on the plot is answered with this run's parameters from its first boundary on.
        t.pointModels.delete(panel.file.toString());
        const r = run();
        if (r) Object.assign(r, { settings: m.settings, hasDev: m.hasDev, twoD: m.points !== undefined });
        total = m.settings.iterations;
        miniBatches = m.epochs ?? (print.batchSize !== null && print.batchSize < m.m);
        examples = m.m;
        panel.post({ type: 'runStarted', runId, settings: m.settings, hasDev: m.hasDev, twoD: m.points !== undefined, m: m.m, epochs: miniBatches });
        if (m.points) panel.post({ type: 'dataset', runId, points: m.points });
        t.log.info(`  data: ${m.source}; m = ${m.m}`);
        break;
      }
      case 'pictures': {
        panel.post({ type: 'pictures', runId, samples: m.samples });
        const s = m.samples;
        t.log.info(`  ${s.mislabelled} of ${s.total} ${s.set} examples mislabelled`);
        break;
      }
      case 'progress': {
        panel.post({ type: 'progress', runId, iterations: m.iterations, points: m.points });
        // The course's printout, as `dnn train` prints it: every printEvery iterations (of those
        // sampled, which is all of them up to 5,000 iterations).
        for (const p of m.points) {
          if (p.iteration % print.every === 0) t.log.info(progressLine(p.iteration, p.cost ?? NaN, { miniBatches, precision: print.precision }));
        }
        const last = m.points[m.points.length - 1];
        if (last && notify.report && total > 0) {
          const pct = Math.floor(((last.iteration + 1) / total) * 100);
          const message = progressMessage(last.iteration + 1, total, last.cost, miniBatches, examples, last.elapsedMs);
          // Every new percent, and every sample of a paced or stepped run (which moves slowly).
          if (pct > lastPct || (t.paceOf(panel.file) > 0 || run()?.session.paused) && message !== lastMessage) {
            notify.report(Math.max(0, pct - lastPct), `${run()?.session.paused ? 'Paused at ' : ''}${message}`);
            lastPct = Math.max(pct, lastPct);
            lastMessage = message;
          }
        }
        break;
      }
      case 'boundary':
        panel.post({ type: 'boundary', runId, iteration: m.iteration, grid: m.grid });
        if (m.parameters && spec) t.pointModels.set(panel.file.toString(), { spec, parameters: m.parameters });
        break;
      case 'trainDone': {
        heard.summary = m.summary;
        const r = run();
        if (r) {
          r.costs = m.costs;
          if (m.unsavedParams) r.unsavedParams = m.unsavedParams;
        }
        break;
      }
      case 'failed':
        heard.errors = m.errors;
        break;
      case 'tuned': {
        const { type: _type, iteration, ...changed } = m;
        panel.post({ type: 'tuned', runId, iteration, ...changed });
        (heard.tunes ??= []).push({ iteration, ...changed });
        t.log.info(`  ${tuningText(changed)} from iteration ${iteration}`);
        break;
      }
      case 'gradientCheckDone':
        break;
      default:
        assertNever(m);
    }
  };
}

/**
 * A run that stopped (or diverged with finite parameters) has learned something: offer to keep
 * it. The first button saves where a completed run would, named in the button, so the default is
 * clear; Save As… asks where; dismissing keeps nothing (the page's Save button still can).
 */
async function offerSave(t: Trainings, doc: vscode.TextDocument, runId: number, s: RunSummary): Promise<string | undefined> {
  const name = path.basename(doc.uri.fsPath);
  const target = defaultParamsPath(doc.uri.fsPath);
  const here = `Save to ${path.basename(target)}`;
  const what = s.status === 'diverged' ? `diverged; its last finite parameters are from before iteration ${s.iterationsRun}` : `stopped after ${s.iterationsRun.toLocaleString('en-US')} iterations`;
  const pick = await vscode.window.showInformationMessage(`DNN: ${name} ${what}. Save the parameters it learned?`, here, 'Save As…');
  if (pick === here) return t.saveUnsaved(runId);
  if (pick === 'Save As…') {
    const to = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(target), filters: { Parameters: ['json'] } });
    return to ? t.saveUnsaved(runId, to) : undefined;
  }
  return undefined;
}

/** Reports how a run ended: page, output channel, and a message (with a jump for errors). */
function reportEnd(t: Trainings, doc: vscode.TextDocument, runId: number, end: SessionEnd, heard: Heard, panel: TrainingPanel): Heard {
  const name = path.basename(doc.uri.fsPath);
  let { summary, errors } = heard;
  if (!summary && !errors) {
    // Terminated or crashed: the worker never said how it ended.
    summary = { status: end.terminated ? 'aborted' : 'failed', message: end.error, iterationsRun: 0, finalCost: null, elapsedMs: 0 };
    if (!end.terminated) errors = [{ message: end.error ?? 'the training worker stopped unexpectedly' }];
  }
  if (errors) {
    const message = errors.map((e) => e.message).join('; ');
    panel.post({ type: 'runEnded', runId, summary: { status: 'failed', message: `Training failed: ${message}`, iterationsRun: 0, finalCost: null, elapsedMs: 0 } });
    t.log.error(`Training ${name} failed: ${message}`);
    void t.showError(doc, `DNN: cannot train ${name}: ${message}`, errors.find((e) => e.offset !== undefined));
    return { errors };
  }
  const s = summary!;
  panel.post({ type: 'runEnded', runId, summary: s });
  const pct = (v: number | null | undefined) => (typeof v === 'number' ? `${(v * 100).toFixed(2)}%` : 'n/a');
  const lines = [
    `Training ${name}: ${s.status} after ${s.iterationsRun} iterations in ${(s.elapsedMs / 1000).toFixed(2)} s`,
    `  final cost ${s.finalCost ?? 'not finite'}`,
    `  train accuracy ${pct(s.trainAccuracy)}${s.devAccuracy !== undefined ? `, dev accuracy ${pct(s.devAccuracy)}, dev cost ${s.devCost}` : ''}`,
    s.paramsPath ? `  parameters saved to ${s.paramsPath}` : s.canSave ? '  parameters not saved yet (offered)' : '  parameters not saved',
  ];
  for (const l of lines) t.log.info(l);
  if (s.status === 'done' && s.message) {
    t.log.warn(`  ${s.message}`);
    void vscode.window.showWarningMessage(`DNN: ${name} trained, but ${s.message}`);
  }
  // Closed mid-run: the page cannot show the result, so a notification does, with a way back.
  if (panel.closed && s.status === 'done') {
    void vscode.window.showInformationMessage(closedPanelNotice(name, s, s.paramsPath ? path.basename(s.paramsPath) : undefined), SHOW_PANEL).then((choice) => {
      if (choice !== SHOW_PANEL) return;
      const again = TrainingPanel.createOrShow(t.context.extensionUri, doc.uri, t.pageHost);
      const spec = analyze(doc).result.spec;
      if (spec) again.post({ type: 'settings', ...pageSettings(spec) });
      again.post({ type: 'runEnded', runId, summary: s });
    });
  }
  if (s.status === 'diverged') {
    const where = analyze(doc).result.locate(['training', 'learningRate']);
    void t.showError(doc, `DNN: ${name} diverged: ${s.message ?? 'the cost is not finite'}`, { message: '', ...where });
  }
  return { summary: s };
}

/** What the page shows of a spec: its run settings (the run layer's), and whether to draw the boundary. */
export function pageSettings(spec: Spec): { settings: RunSettings; twoD: boolean } {
  const s = runSettings(spec);
  return { settings: { learningRate: s.learningRate, iterations: s.iterations, optimizer: s.optimizer }, twoD: spec.inputUnits === 2 };
}
