/**
 * The page's words and numbers: pure functions from the protocol's values to the text a user
 * reads (no DOM, no chart.js), so Node tests check them without a browser.
 *
 * Accuracies arrive as fractions in [0, 1] (the protocol says so); they are shown as percents.
 */
import { assertNever, TUNING_KEYS, TUNING_SYMBOLS, type PictureSamples, type RunSettings, type RunSummary, type Tuning } from '../src/protocol';

/** Integers with thousands separators, as the course prints iteration counts: 10,000. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A cost for a person: 6 significant digits in the usual range, exponent notation outside it. */
export function fmtNumber(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? Number(v.toPrecision(digits)).toString() : v.toExponential(3);
}

/** A duration: milliseconds below a second, then seconds, then minutes and seconds. */
export function fmtTime(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms - m * 60_000) / 1000)} s`;
}

/** A fraction (0.9) as a percent with one decimal ("90.0%"). */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** Full precision in tooltips: the shortest decimal that reads back as the same double. */
export function exact(v: number): string {
  return String(v);
}

/**
 * How a run is named in the legend: its number on this page and the settings it used (α's changes
 * after an arrow, and the optimiser's after its name: "adam, β1→0.6").
 */
export function runLabel(seq: number, s: RunSettings, tunes: readonly Tuning[] = []): string {
  return `run ${seq}: α=${alphaText(s, tunes)}, ${count(s.iterations)} it, ${optimizerText(s, tunes)}`;
}

/** The run's α, then each α it changed to: "1.2→0.3". */
function alphaText(s: RunSettings, tunes: readonly Tuning[]): string {
  return [s.learningRate, ...tunes.flatMap((t) => (t.learningRate !== undefined ? [t.learningRate] : []))].join('→');
}

/** The optimiser, then each setting it changed to mid-run: "momentum, β→0.5→0.7". */
function optimizerText(s: RunSettings, tunes: readonly Tuning[]): string {
  const changes = TUNING_KEYS.filter((k) => k !== 'learningRate')
    .map((k) => ({ k, values: tunes.flatMap((t) => (t[k] !== undefined ? [t[k]] : [])) }))
    .filter((c) => c.values.length > 0)
    .map((c) => `${TUNING_SYMBOLS[c.k]}→${c.values.join('→')}`);
  return [s.optimizer, ...changes].join(', ');
}

/** What a run that ended without saving says about its parameters. */
function unsaved(s: RunSummary): string {
  if (s.paramsPath) return '';
  return s.canSave ? ' What it learned is not saved yet.' : ' Parameters not saved.';
}

/** The sentence shown under the controls when a run ends, however it ended. */
export function summaryText(s: RunSummary): string {
  const acc = [
    typeof s.trainAccuracy === 'number' ? `train accuracy ${percent(s.trainAccuracy)}` : '',
    typeof s.devAccuracy === 'number' ? `dev accuracy ${percent(s.devAccuracy)}` : '',
  ].filter(Boolean);
  const cost = s.finalCost === null ? 'cost not finite' : `final cost ${fmtNumber(s.finalCost, 8)}`;
  const saved = s.paramsPath ? `; parameters saved to ${s.paramsPath.split(/[\\/]/).pop()}` : '';
  switch (s.status) {
    case 'done':
      return `Done: ${count(s.iterationsRun)} iterations in ${fmtTime(s.elapsedMs)}, ${[cost, ...acc].join(', ')}${saved}${s.message ? `; ${s.message}` : ''}.`;
    case 'aborted':
      return `Stopped after ${count(s.iterationsRun)} iterations (${fmtTime(s.elapsedMs)}); ${cost}${saved}.${unsaved(s)}`;
    case 'diverged':
      return `Diverged: ${s.message ?? 'the cost is no longer a finite number'}${saved}.${s.canSave ? unsaved(s) : ''}`;
    case 'failed':
      return s.message ?? 'Training failed.';
    default:
      return assertNever(s.status);
  }
}

/** What the header's stats say about a run; every field is '' when there is nothing to say. */
export interface StatsText {
  iteration: string;
  elapsed: string;
  speed: string;
  cost: string;
  accuracy: string;
}

export const NO_STATS: StatsText = { iteration: '', elapsed: '', speed: '', cost: '', accuracy: '' };

/** The numbers a stats line needs; the caller reads them from its run. */
export interface StatsInput {
  /** The last iteration received (0-based). */
  lastIteration: number;
  total: number;
  elapsedMs: number;
  /** The last cost received; NaN when it was not finite. */
  cost: number | undefined;
  trainAccuracy: number | null | undefined;
  devAccuracy: number | null | undefined;
  /** Training examples: every iteration goes over all of them, so the page shows examples per second. */
  m?: number;
  /** True when an iteration is an epoch of mini-batches. */
  epochs?: boolean;
}

/** Examples per second, to 3 significant digits above 1,000 so the number does not flicker. */
export function examplesRate(perSecond: number): string {
  return `${count(perSecond >= 1000 ? Number(perSecond.toPrecision(3)) : Math.round(perSecond))} examples/s`;
}

export function statsText(s: StatsInput): StatsText {
  const done = s.lastIteration + 1;
  const acc: string[] = [];
  if (typeof s.trainAccuracy === 'number' && Number.isFinite(s.trainAccuracy)) acc.push(`train ${percent(s.trainAccuracy)}`);
  if (typeof s.devAccuracy === 'number' && Number.isFinite(s.devAccuracy)) acc.push(`dev ${percent(s.devAccuracy)}`);
  return {
    iteration: `${s.epochs ? 'epoch' : 'iteration'} ${count(done)} / ${count(s.total)}`,
    elapsed: fmtTime(s.elapsedMs),
    speed: s.elapsedMs > 0 ? speedText(done, s.elapsedMs / 1000, s.m, s.epochs) : '',
    cost: s.cost === undefined ? '' : `cost ${fmtNumber(s.cost)}`,
    accuracy: acc.join(' · '),
  };
}

function speedText(done: number, seconds: number, m: number | undefined, epochs: boolean | undefined): string {
  const rate = `${count(Math.round(done / seconds))} ${epochs ? 'epochs' : 'it'}/s`;
  return m !== undefined && m > 0 ? `${rate} · ${examplesRate((done * m) / seconds)}` : rate;
}

/** The columns of the table that compares the runs of the page. */
export const RUN_COLUMNS = ['run', 'α', 'iterations', 'optimiser', 'final cost', 'train', 'dev', 'time', 'ended'] as const;

/** One run as a row of that table: what it was started with and how it ended ('' while unknown). */
export interface RunRowInput {
  seq: number;
  settings: RunSettings;
  /** The settings changed mid-run, in order. */
  tunes: readonly Tuning[];
  summary?: RunSummary;
  /** While it runs: the last cost and elapsed time received. */
  lastCost?: number;
  elapsedMs: number;
  iterationsDone: number;
}

export function runRow(r: RunRowInput): string[] {
  const s = r.summary;
  const pct = (v: number | null | undefined) => (typeof v === 'number' ? percent(v) : '');
  const cost = s ? (s.finalCost === null ? 'not finite' : fmtNumber(s.finalCost)) : r.lastCost !== undefined && Number.isFinite(r.lastCost) ? fmtNumber(r.lastCost) : '';
  const ended = !s ? 'running' : s.status === 'done' ? 'done' : s.status === 'aborted' ? `stopped at ${count(s.iterationsRun)}` : s.status;
  return [
    String(r.seq),
    alphaText(r.settings, r.tunes),
    count(r.settings.iterations),
    optimizerText(r.settings, r.tunes),
    cost,
    pct(s?.trainAccuracy),
    pct(s?.devAccuracy),
    fmtTime(s?.elapsedMs ?? r.elapsedMs),
    ended,
  ];
}

/**
 * A run's samples as CSV: iteration, cost, dev cost and the accuracies (as fractions, as the
 * protocol sends them); a value not measured at a sample is empty.
 */
export function samplesCsv(columns: { it: ArrayLike<number>; cost: ArrayLike<number>; devCost: ArrayLike<number>; trainAcc: ArrayLike<number>; devAcc: ArrayLike<number> }): string {
  const rows = ['iteration,cost,dev_cost,train_accuracy,dev_accuracy'];
  const v = (x: number) => (Number.isFinite(x) ? String(x) : '');
  for (let i = 0; i < columns.it.length; i++) {
    rows.push(`${columns.it[i]},${v(columns.cost[i])},${v(columns.devCost[i])},${v(columns.trainAcc[i])},${v(columns.devAcc[i])}`);
  }
  return rows.join('\n') + '\n';
}

/** What a click on the decision boundary says: the point, and the network's output there. */
export function pointText(x: number, y: number, value: number | undefined, kind: 'probability' | 'class' = 'probability'): string {
  const c = (v: number) => String(Number(v.toPrecision(3)));
  const where = `At (x₁, x₂) = (${c(x)}, ${c(y)})`;
  if (value === undefined) return where;
  if (kind === 'class') return `${where}: predicted class ${Math.round(value)}.`;
  return `${where}: p(class 1) = ${value.toFixed(3)}, predicted class ${value >= 0.5 ? 1 : 0}.`;
}

/** The exported PNG's caption: the file's name, then the current run's settings and outcome. */
export function pngCaption(state: { title: string; runs: readonly { seq: number; settings: RunSettings; summary?: RunSummary; tunes: readonly Tuning[] }[] }): { title: string; lines: string[] } {
  const cur = state.runs[state.runs.length - 1];
  if (!cur) return { title: state.title, lines: [] };
  const lines = [runLabel(cur.seq, cur.settings, cur.tunes)];
  if (cur.summary) lines.push(summaryText(cur.summary));
  return { title: state.title, lines };
}

/** What is written under picture n of the grid: the prediction, the truth, and whether they differ. */
export function pictureLabel(s: PictureSamples, n: number): { predicted: string; actual: string; wrong: boolean } {
  const p = s.predicted[n];
  const t = s.actual[n];
  const wrong = p !== t;
  return { predicted: `${wrong ? '✗ ' : ''}pred. ${s.classNames[p]}`, actual: `true ${s.classNames[t]}`, wrong };
}

/** One cell of the confusion matrix: its count and its share of the true class's examples. */
export function confusionCell(s: PictureSamples, t: number, p: number): { count: number; share: number } {
  const k = s.classNames.length;
  let row = 0;
  for (let q = 0; q < k; q++) row += s.confusion[t * k + q];
  const count = s.confusion[t * k + p];
  return { count, share: row > 0 ? count / row : 0 };
}

/** The title over the pictures: which set, how many are mislabelled, and after which iteration. */
export function picturesTitle(s: PictureSamples): string {
  const set = s.set === 'dev' ? 'Dev' : 'Training';
  const shown = s.predicted.length;
  return `${set} pictures: ${count(s.mislabelled)} of ${count(s.total)} mislabelled${s.mislabelled > 0 ? ' (framed, shown first)' : ''}; ${count(shown)} shown, after ${count(s.iteration + 1)} iterations`;
}
