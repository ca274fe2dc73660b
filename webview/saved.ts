/**
 * What vscode.setState keeps of the page, and the state it gives back after a reload: runs at
 * display resolution, the toggles and the inputs. Pure, like state.ts, so Node tests check that a
 * reloaded page shows what it showed.
 */
import { isPictureSamples, type BoundaryGrid, type PictureSamples, type RunSettings, type RunSummary, type ScatterData } from '../src/protocol';
import { minMaxIndices, type Column } from './decimate';
import { EMPTY_INPUTS, type OverrideInputs } from './overrides';
import { initialState, MAX_POINTS, Samples, type MessageKind, type PageModel, type Run, type Tune } from './state';

/** A run at display resolution: enough to redraw the same picture after a reload. */
export interface StoredRun {
  runId: number;
  seq?: number;
  settings: RunSettings;
  hasDev: boolean;
  total: number;
  elapsedMs: number;
  summary?: RunSummary;
  tunes?: Tune[];
  m?: number;
  epochs?: boolean;
  /** The current run's pictures only (the others are not shown). */
  pictures?: PictureSamples;
  it: number[];
  cost: (number | null)[];
  devCost: (number | null)[];
  trainAcc: (number | null)[];
  devAcc: (number | null)[];
}

/** What vscode.setState keeps; `file` lets the panel serializer reopen the right panel. */
export interface PageState {
  version: 1;
  file?: string;
  title?: string;
  settings?: RunSettings;
  twoD: boolean;
  log: boolean;
  pace?: number;
  history?: boolean;
  inputs: OverrideInputs;
  message?: string;
  messageKind?: MessageKind;
  runs: StoredRun[];
  points?: ScatterData;
  grid?: BoundaryGrid;
}

function storeRun(run: Run, current: boolean): StoredRun {
  const s = run.samples;
  const idx = minMaxIndices(s.cost.view(), MAX_POINTS);
  const pick = (c: Column) => {
    const v = c.view();
    return idx.map((i) => (Number.isFinite(v[i]) ? v[i] : null));
  };
  const it = s.it.view();
  return {
    runId: run.runId,
    seq: run.seq,
    settings: run.settings,
    hasDev: run.hasDev,
    total: run.total,
    elapsedMs: s.elapsedMs,
    summary: run.summary,
    tunes: [...run.tunes],
    ...(run.m !== undefined ? { m: run.m } : {}),
    ...(run.epochs ? { epochs: true } : {}),
    ...(current && run.pictures ? { pictures: run.pictures } : {}),
    it: idx.map((i) => it[i]),
    cost: pick(s.cost),
    devCost: pick(s.devCost),
    trainAcc: pick(s.trainAcc),
    devAcc: pick(s.devAcc),
  };
}

function restoreRun(s: StoredRun): Run {
  const samples = new Samples();
  for (let i = 0; i < s.it.length; i++) {
    samples.add({
      iteration: s.it[i],
      cost: s.cost[i],
      devCost: s.devCost[i],
      trainAccuracy: s.trainAcc[i],
      devAccuracy: s.devAcc[i],
      elapsedMs: s.elapsedMs,
    });
  }
  samples.elapsedMs = s.elapsedMs;
  return {
    runId: s.runId,
    seq: s.seq ?? s.runId,
    settings: s.settings,
    hasDev: s.hasDev,
    total: s.total,
    summary: s.summary,
    samples,
    tunes: Array.isArray(s.tunes) ? s.tunes : [],
    ...(typeof s.m === 'number' ? { m: s.m } : {}),
    ...(s.epochs === true ? { epochs: true } : {}),
    // Saved by an older or another page: drawn only when it is still what the protocol allows.
    ...(isPictureSamples(s.pictures) ? { pictures: s.pictures } : {}),
  };
}

export function toPageState(state: PageModel, inputs: OverrideInputs): PageState {
  return {
    version: 1,
    file: state.file,
    title: state.title,
    settings: state.settings,
    twoD: state.twoD,
    log: state.log,
    pace: state.pace,
    history: state.history,
    inputs,
    message: state.message,
    messageKind: state.messageKind,
    runs: state.runs.map((r, i) => storeRun(r, i === state.runs.length - 1)),
    points: state.points,
    grid: state.grid,
  };
}

/**
 * The state saved by an earlier load of the page, or undefined when there is none or it is of
 * another version. The live run is not restored: the extension says it again with `init`.
 */
export function fromPageState(saved: unknown): { state: PageModel; inputs: OverrideInputs } | undefined {
  const s = saved as PageState | undefined;
  if (!s || s.version !== 1) return undefined;
  const base = initialState();
  let runs: Run[];
  try {
    runs = (s.runs ?? []).map(restoreRun);
  } catch {
    runs = [];
  }
  return {
    state: {
      ...base,
      file: s.file,
      title: s.title ?? base.title,
      settings: s.settings,
      twoD: Boolean(s.twoD),
      log: Boolean(s.log),
      pace: typeof s.pace === 'number' && s.pace >= 0 ? s.pace : 0,
      history: s.history !== false,
      message: s.message ?? '',
      messageKind: s.messageKind === 'error' ? 'error' : 'info',
      runs,
      points: s.points,
      grid: s.grid,
      boundaryVersion: base.boundaryVersion + 1,
    },
    inputs: {
      learningRate: s.inputs?.learningRate ?? EMPTY_INPUTS.learningRate,
      iterations: s.inputs?.iterations ?? EMPTY_INPUTS.iterations,
      optimizer: s.inputs?.optimizer ?? EMPTY_INPUTS.optimizer,
    },
  };
}
