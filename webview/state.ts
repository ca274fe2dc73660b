/**
 * The page's state and the one function that changes it: `reduce(state, action)`, for every
 * message from the extension and every action of the user. No DOM and no chart.js, so Node tests
 * run it; main.ts holds the current state and redraws from it.
 *
 * A new state object comes back whenever something changed, and the same object when nothing did,
 * so the wiring can skip a redraw. One exception to immutability, for speed: a run's samples are
 * append-only columns shared between states (copying 100,000 samples for each batch of 250 would
 * cost more than drawing them).
 */
import {
  assertNever,
  type BoundaryGrid,
  type ExtensionToWebview,
  type PictureSamples,
  type ProgressPoint,
  type RunSettings,
  type RunSummary,
  type ScatterData,
  type Tuning,
  TUNING_KEYS,
} from '../src/protocol';
import { Column } from './decimate';
import { NO_STATS, runLabel, statsText, summaryText, type StatsText } from './format';

/** Points drawn per curve at most; beyond it the curve is min/max-decimated. */
export const MAX_POINTS = 2000;
/** Runs kept in the history (the current one included). */
export const HISTORY = 5;

/** One run's samples, one column per curve; NaN marks "not measured at this sample". */
export class Samples {
  readonly it = new Column();
  readonly cost = new Column();
  readonly devCost = new Column();
  /** Fractions in [0, 1], as the protocol sends them. */
  readonly trainAcc = new Column();
  readonly devAcc = new Column();
  elapsedMs = 0;

  add(p: ProgressPoint): void {
    // Samples arrive in order; a repeated or older iteration (a resent batch) is ignored.
    const last = this.it.last();
    if (last !== undefined && p.iteration <= last) return;
    this.it.push(p.iteration);
    this.cost.push(num(p.cost));
    this.devCost.push(num(p.devCost));
    this.trainAcc.push(num(p.trainAccuracy));
    this.devAcc.push(num(p.devAccuracy));
    this.elapsedMs = p.elapsedMs;
  }
}

function num(v: number | null | undefined): number {
  return typeof v === 'number' ? v : NaN;
}

/** A run in the history: what it was started with, its samples, and how it ended. */
export interface Run {
  readonly runId: number;
  /** The number shown in the legend: 1, 2, 3... on this page (runIds are the extension's). */
  readonly seq: number;
  readonly settings: RunSettings;
  readonly hasDev: boolean;
  /** Iterations the run will do in total (the x axis ends at total - 1). */
  readonly total: number;
  readonly summary?: RunSummary;
  readonly samples: Samples;
  /** α and optimiser settings changed during the run, in order: markers on its cost curve. */
  readonly tunes: readonly Tune[];
  /** Training examples, when the extension said (examples per second). */
  readonly m?: number;
  /** True when an iteration is an epoch of mini-batches. */
  readonly epochs?: boolean;
  /** Sample pictures with predictions and the confusion matrix, for image data (at the end of the run). */
  readonly pictures?: PictureSamples;
}

/** The settings the run took from `iteration` on (those that changed). */
export interface Tune extends Tuning {
  iteration: number;
}

export function runName(run: Run): string {
  return runLabel(run.seq, run.settings, run.tunes);
}

export type MessageKind = 'info' | 'error';

export interface PageModel {
  /** The .dnn.json's URI; undefined until `init`, and then nothing can be started. */
  readonly file?: string;
  readonly title: string;
  readonly settings?: RunSettings;
  readonly twoD: boolean;
  readonly log: boolean;
  /** Oldest first; the last one is the current run. */
  readonly runs: readonly Run[];
  /** The run the extension is streaming, if any. */
  readonly liveRunId?: number;
  readonly paused: boolean;
  /** The speed control: iterations per second, 0 = full speed. */
  readonly pace: number;
  /** Whether earlier runs are drawn (the x axis follows the current run either way). */
  readonly history: boolean;
  readonly points?: ScatterData;
  readonly grid?: BoundaryGrid;
  /** Boundary heatmaps received for the current run (reported to the tests in `rendered`). */
  readonly boundaries: number;
  /**
   * Grows whenever what the decision-boundary plot shows changes (points, grid, 2-D or not), so the
   * page repaints that canvas only then: it is the most expensive thing it draws.
   */
  readonly boundaryVersion: number;
  readonly message: string;
  readonly messageKind: MessageKind;
}

export function initialState(): PageModel {
  return { title: 'DNN training', twoD: false, log: false, runs: [], paused: false, pace: 0, history: true, boundaries: 0, boundaryVersion: 0, message: '', messageKind: 'info' };
}

export function currentRun(state: PageModel): Run | undefined {
  return state.runs[state.runs.length - 1];
}

/** What the header's stats say about the current run: the summary's accuracies once it ended. */
export function currentStats(state: PageModel): StatsText {
  const cur = currentRun(state);
  const s = cur?.samples;
  if (!cur || !s || s.it.length === 0) return NO_STATS;
  return statsText({
    lastIteration: s.it.last()!,
    total: cur.total,
    elapsedMs: s.elapsedMs,
    cost: s.cost.last(),
    trainAccuracy: cur.summary?.trainAccuracy ?? s.trainAcc.last(),
    devAccuracy: cur.summary?.devAccuracy ?? s.devAcc.last(),
    ...(cur.m !== undefined ? { m: cur.m } : {}),
    ...(cur.epochs ? { epochs: true } : {}),
  });
}

/** What the user does on the page that changes the state (buttons that post only are not here). */
export type PageAction =
  | { type: 'reset' }
  | { type: 'setLog'; log: boolean }
  | { type: 'setPace'; pace: number }
  | { type: 'setHistory'; history: boolean }
  | { type: 'say'; text: string; kind: MessageKind };

export type Action = ExtensionToWebview | PageAction;

function runById(state: PageModel, runId: number): Run | undefined {
  return state.runs.find((r) => r.runId === runId);
}

function replaceRun(state: PageModel, run: Run): PageModel {
  return { ...state, runs: state.runs.map((r) => (r.runId === run.runId ? run : r)) };
}

function redrawBoundary(state: PageModel): Pick<PageModel, 'boundaryVersion'> {
  return { boundaryVersion: state.boundaryVersion + 1 };
}

/** The state after `action`. Throws on a message type it does not know (an older page). */
export function reduce(state: PageModel, action: Action): PageModel {
  switch (action.type) {
    case 'init':
      return {
        ...state,
        file: action.file,
        title: action.title,
        settings: action.settings,
        twoD: action.twoD,
        ...(action.running ? {} : { liveRunId: undefined, paused: false }),
        ...redrawBoundary(state),
      };
    case 'settings':
      return {
        ...state,
        settings: action.settings,
        twoD: action.twoD,
        ...(state.twoD !== action.twoD ? redrawBoundary(state) : {}),
      };
    case 'runStarted': {
      const live = { ...state, liveRunId: action.runId, paused: false, twoD: action.twoD, ...(state.twoD !== action.twoD ? redrawBoundary(state) : {}) };
      // Said again after the page reloads mid-run: keep the samples it restored.
      if (runById(state, action.runId)) return live;
      const seq = Math.max(0, ...state.runs.map((r) => r.seq)) + 1;
      const run: Run = {
        runId: action.runId,
        seq,
        settings: action.settings,
        hasDev: action.hasDev,
        total: action.settings.iterations,
        samples: new Samples(),
        tunes: [],
        ...(action.m !== undefined ? { m: action.m } : {}),
        ...(action.epochs ? { epochs: true } : {}),
      };
      return {
        ...live,
        runs: [...state.runs, run].slice(-HISTORY),
        grid: undefined,
        boundaries: 0,
        ...redrawBoundary(state),
        message: '',
        messageKind: 'info',
      };
    }
    case 'dataset':
      return { ...state, points: action.points, ...redrawBoundary(state) };
    case 'progress': {
      const run = runById(state, action.runId);
      if (!run) return state;
      for (const p of action.points) run.samples.add(p);
      return replaceRun(state, { ...run, total: action.iterations });
    }
    case 'boundary':
      if (action.runId !== state.liveRunId && action.runId !== currentRun(state)?.runId) return state;
      return { ...state, grid: action.grid, boundaries: state.boundaries + 1, ...redrawBoundary(state) };
    case 'runState':
      return action.runId === state.liveRunId ? { ...state, paused: action.paused } : state;
    case 'runEnded': {
      const run = runById(state, action.runId);
      const s = action.summary;
      const ended = run ? replaceRun(state, { ...run, summary: s }) : state;
      return {
        ...ended,
        ...(state.liveRunId === action.runId ? { liveRunId: undefined, paused: false } : {}),
        message: summaryText(s),
        messageKind: s.status === 'done' || s.status === 'aborted' ? 'info' : 'error',
      };
    }
    case 'reset':
      return { ...state, runs: [], grid: undefined, boundaries: 0, ...redrawBoundary(state), message: '', messageKind: 'info' };
    case 'setLog':
      return state.log === action.log ? state : { ...state, log: action.log };
    case 'setPace':
      return state.pace === action.pace ? state : { ...state, pace: action.pace };
    case 'setHistory':
      return state.history === action.history ? state : { ...state, history: action.history };
    case 'tuned': {
      const run = runById(state, action.runId);
      if (!run) return state;
      const tune: Tune = { iteration: action.iteration };
      for (const k of TUNING_KEYS) if (action[k] !== undefined) tune[k] = action[k];
      return replaceRun(state, { ...run, tunes: [...run.tunes, tune] });
    }
    // Drawn by main.ts under the plot; nothing of the model changes.
    case 'pointPrediction':
      return state;
    case 'pictures': {
      const run = runById(state, action.runId);
      return run ? replaceRun(state, { ...run, pictures: action.samples }) : state;
    }
    case 'say':
      return { ...state, message: action.text, messageKind: action.kind };
    default:
      return assertNever(action);
  }
}
