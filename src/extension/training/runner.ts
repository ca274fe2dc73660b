/**
 * What the training worker does, without the worker: run a `train` or `gradientCheck` request
 * through the run layer (src/run, shared with `dnn train`) and report through `post` the messages
 * of src/protocol.ts. No 'vscode' and no thread here, so node:test runs it in-process.
 */
import { serializeParameters } from '../../core/engine/params';
import type { Parameters, TrainProgress } from '../../core/engine/types';
import type { Kernels } from '../../core/kernels/types';
import {
  CONTROL_PAUSE,
  CONTROL_RUN,
  CONTROL_STEP,
  CONTROL_STOP,
  OPTIMIZER_TUNABLES,
  TUNE_LEARNING_RATE,
  TUNE_OPTIMIZER,
  TUNE_PACE,
  validTuning,
  type OptimizerTunable,
  type Tuning,
  type GradientCheckRequest,
  type GradientGroupResult,
  type LocatedMessage,
  type ProgressPoint,
  type TrainRequest,
  type WorkerToExtension,
} from '../../protocol';
import { firstColumns, gradientCheckRun } from '../../run/check';
import { checkFile, inSpecFile, loadRun, nodeFiles, type LoadedRun, type RunFiles } from '../../run/load';
import { describeProblem, type RunProblem } from '../../run/problems';
import { runSettings } from '../../run/settings';
import { finalCost, saveRun, trainRun, type TrainedRun } from '../../run/train';
import { boundaryOf, gridOf, scatterOf } from './boundary';
import { picturesOf } from './pictures';

export interface RunnerEnv {
  /** Matrix kernels for the request: the worker entry's choice. */
  kernels: Kernels;
  /** File access: Node's by default; tests hand in data and capture what is saved. */
  files?: RunFiles;
  post(message: WorkerToExtension): void;
  /** Aborted when the extension posts `stop`. */
  signal: AbortSignal;
}

/** Samples per run at most: the page draws ~2,000, the rest is for tooltips and the CSV fallback. */
const MAX_SAMPLES = 5000;
/** How often progress batches leave the worker. */
const FLUSH_MS = 100;
/** Decision-boundary redraws at most this often (ms), when the request does not fix a period. */
const BOUNDARY_MS = 150;

/** When the next decision boundary is due: every `every` iterations, else every BOUNDARY_MS. */
function boundaryClock(every: number | undefined, iterations: number): (iteration: number) => boolean {
  // -1: a fixed period counts from before iteration 0 (every 2: iterations 1, 3, 5...).
  let lastIteration = -1;
  let lastAt = -Infinity;
  return (iteration) => {
    const due = every !== undefined ? iteration - lastIteration >= every : iteration === 0 || performance.now() - lastAt >= BOUNDARY_MS;
    if (!due || iteration >= iterations) return false;
    lastIteration = iteration;
    lastAt = performance.now();
    return true;
  };
}

/** Problems as the page and the editor's messages show them: errors in the .dnn.json, positioned. */
function located(problems: RunProblem[]): LocatedMessage[] {
  const errors = inSpecFile(problems.filter((p) => p.severity === 'error'));
  return errors.map((p) => ({ message: describeProblem(p), ...(p.range ? { offset: p.range.offset, length: p.range.length } : {}) }));
}

/** Checks the request's text and loads its data and starting parameters; posts `failed` when it cannot. */
async function load(req: TrainRequest | GradientCheckRequest, env: RunnerEnv): Promise<LoadedRun | undefined> {
  const f = checkFile(req.file, req.text);
  const loaded = f.ok ? await loadRun(f, { files: env.files ?? nodeFiles }) : f;
  if (loaded.ok) return loaded.run;
  env.post({ type: 'failed', errors: located(loaded.problems) });
  return undefined;
}

function allFinite(parameters: Parameters): boolean {
  for (const m of parameters.values()) for (let i = 0; i < m.data.length; i++) if (!Number.isFinite(m.data[i])) return false;
  return true;
}

function finite(v: number | undefined): number | null | undefined {
  return v === undefined ? undefined : Number.isFinite(v) ? v : null;
}

/**
 * Reads the control word; sleeps while it says pause. CONTROL_STEP wakes it for one sample: the
 * word goes back to pause, so the next sample pauses again. Returns the milliseconds spent paused.
 */
function obeyControl(control: Int32Array | undefined, abort: () => void, onPause: (paused: boolean) => void): number {
  if (!control) return 0;
  let state = Atomics.load(control, 0);
  let pausedMs = 0;
  if (state === CONTROL_PAUSE) {
    onPause(true);
    const t0 = performance.now();
    // Atomics.wait blocks this worker thread only; the extension host keeps running.
    while ((state = Atomics.load(control, 0)) === CONTROL_PAUSE) Atomics.wait(control, 0, CONTROL_PAUSE, 1000);
    pausedMs = performance.now() - t0;
    if (state === CONTROL_STEP) Atomics.compareExchange(control, 0, CONTROL_STEP, CONTROL_PAUSE);
    onPause(false);
  }
  if (state === CONTROL_STOP) abort();
  return pausedMs;
}

/**
 * Sleeps so that a paced run (TUNE_PACE iterations per second) takes `iterations / pace` seconds
 * for `iterations`. The sleep is a wait on the control word, so pause, stop and a new pace wake it.
 * Returns the milliseconds slept (not counted as training time).
 */
function pace(control: Int32Array | undefined, tuning: Float64Array | undefined, iterations: number, since: number): number {
  const perSecond = tuning?.[TUNE_PACE] ?? 0;
  if (!control || !(perSecond > 0)) return 0;
  const t0 = performance.now();
  let left = (iterations * 1000) / perSecond - (t0 - since);
  while (left > 0 && Atomics.load(control, 0) === CONTROL_RUN && tuning![TUNE_PACE] === perSecond) {
    Atomics.wait(control, 0, CONTROL_RUN, Math.min(left, 250));
    left = (iterations * 1000) / perSecond - (performance.now() - since);
  }
  return performance.now() - t0;
}

/**
 * Progress as the page wants it: the first sample at once (so the chart starts with the run), then
 * samples batched into a `progress` message every ~100 ms; pace, pause and stop obeyed after each
 * sample; elapsed time without the pauses and the pacing sleeps.
 */
function progressStream(iterations: number, env: RunnerEnv, control: Int32Array | undefined, tuning: Float64Array | undefined, abort: () => void) {
  let batch: ProgressPoint[] = [];
  let lastFlush = -Infinity;
  let lastSampleAt = performance.now();
  let lastIteration = -1;
  const stream = {
    pausedMs: 0,
    flush() {
      if (batch.length === 0) return;
      env.post({ type: 'progress', iterations, points: batch });
      batch = [];
      lastFlush = performance.now();
    },
    onProgress(p: TrainProgress) {
      batch.push({
        iteration: p.iteration,
        cost: finite(p.cost) ?? null,
        ...(p.trainAccuracy !== undefined ? { trainAccuracy: finite(p.trainAccuracy) } : {}),
        ...(p.devCost !== undefined ? { devCost: finite(p.devCost) } : {}),
        ...(p.devAccuracy !== undefined ? { devAccuracy: finite(p.devAccuracy) } : {}),
        elapsedMs: p.elapsedMs - stream.pausedMs,
      });
      if (performance.now() - lastFlush >= FLUSH_MS) stream.flush();
    },
    /** After a sample and its boundary: wait for the pace, then obey pause and stop. */
    obey(iteration: number) {
      const ran = iteration - lastIteration;
      lastIteration = iteration;
      if ((tuning?.[TUNE_PACE] ?? 0) > 0) {
        // A paced run is watched sample by sample: send each one as it happens.
        stream.flush();
        stream.pausedMs += pace(control, tuning, ran, lastSampleAt);
      }
      stream.pausedMs += obeyControl(control, abort, () => stream.flush());
      lastSampleAt = performance.now();
    },
  };
  return stream;
}

/**
 * Reads the tuning words before each iteration (the engine calls `learningRate`, then
 * `optimizerSettings`); when α or a setting the run's optimiser reads changed, posts one `tuned`
 * with what changed and hands the new values to the engine. A word for a setting this optimiser
 * does not read is left alone.
 */
function tuningHooks(tuning: Float64Array | undefined, initial: Tuning & { learningRate: number }, optimizer: keyof typeof OPTIMIZER_TUNABLES, env: RunnerEnv, flush: () => void) {
  if (!tuning) return {};
  const current: Tuning = { ...initial };
  const keys: readonly OptimizerTunable[] = OPTIMIZER_TUNABLES[optimizer];
  let pending: Tuning | undefined;
  const learningRate = (iteration: number): number | undefined => {
    const changed: Tuning = {};
    const alpha = tuning[TUNE_LEARNING_RATE];
    if (alpha > 0 && alpha !== current.learningRate) changed.learningRate = alpha;
    for (const key of keys) {
      const v = tuning[TUNE_OPTIMIZER[key]];
      if (validTuning(key, v) && v !== current[key]) changed[key] = v;
    }
    pending = undefined;
    if (Object.keys(changed).length === 0) return undefined;
    Object.assign(current, changed);
    // The samples before the change go first, so the marker lands after them.
    flush();
    env.post({ type: 'tuned', iteration, ...changed });
    const { learningRate: newAlpha, ...rest } = changed;
    if (Object.keys(rest).length > 0) pending = rest;
    return newAlpha;
  };
  const optimizerSettings = (): Tuning | undefined => {
    const p = pending;
    pending = undefined;
    return p;
  };
  return { learningRate, optimizerSettings };
}

/**
 * At most this many parameter values travel with each boundary (a few hundred kilobytes of text
 * every ~150 ms); a bigger 2-D network's boundary comes without them and the page's click says so.
 */
const MAX_POINT_VALUES = 20_000;

/** The parameters the boundary was drawn with, for the page's click on it, when they are small. */
function pointParameters(parameters: Parameters): { parameters?: string } {
  let values = 0;
  for (const M of parameters.values()) values += M.data.length;
  return values <= MAX_POINT_VALUES ? { parameters: serializeParameters(parameters) } : {};
}

/** Runs one `train` request to its end: posts trainStarted, progress, boundary, then trainDone or failed. */
export async function runTraining(req: TrainRequest, env: RunnerEnv): Promise<void> {
  const run = await load(req, env);
  if (!run) return;
  const settings = runSettings(run.spec, req.overrides);
  const points = run.spec.inputUnits === 2 ? scatterOf(run.dataset) : undefined;
  const m = run.dataset.train.X.cols;
  const batchSize = run.spec.training.batchSize;
  env.post({
    type: 'trainStarted',
    settings: { learningRate: settings.learningRate, iterations: settings.iterations, optimizer: settings.optimizer },
    hasDev: Boolean(run.dataset.dev && run.dataset.dev.X.cols > 0),
    m,
    source: run.dataset.source,
    ...(points ? { points } : {}),
    ...(batchSize !== null && batchSize < m ? { epochs: true } : {}),
  });

  const { iterations } = settings;
  const progressEvery = Math.max(1, Math.ceil(iterations / MAX_SAMPLES));
  // Boundaries every `boundaryEvery` iterations when the request says so, else at a steady rate
  // in time (the first one at iteration 0), so a sub-second run and a paced one both animate.
  const boundaryDue = boundaryClock(req.boundaryEvery, iterations);
  const grid = points ? gridOf(points, req.boundaryGrid ?? 60) : undefined;
  const abort = new AbortController();
  const onStop = () => abort.abort();
  env.signal.addEventListener('abort', onStop);
  const tuning = req.tuning ? new Float64Array(req.tuning) : undefined;
  const stream = progressStream(iterations, env, req.control ? new Int32Array(req.control) : undefined, tuning, () => abort.abort());
  const o = run.spec.training.optimizer;
  const hooks = tuningHooks(tuning, { learningRate: settings.learningRate, beta: o.beta, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon }, settings.optimizer, env, () => stream.flush());
  let trained;
  try {
    trained = await trainRun(run, {
      kernels: env.kernels,
      overrides: req.overrides,
      signal: abort.signal,
      progressEvery,
      onProgress: (p) => stream.onProgress(p),
      ...hooks,
      onParameters: (iteration, parameters) => {
        if (grid && iteration !== iterations - 1 && boundaryDue(iteration)) {
          stream.flush();
          env.post({ type: 'boundary', iteration, grid: boundaryOf(run.spec, parameters, grid, env.kernels), ...pointParameters(parameters) });
        }
        stream.obey(iteration);
      },
    });
  } finally {
    env.signal.removeEventListener('abort', onStop);
  }
  if (!trained.ok) {
    env.post({ type: 'failed', errors: located(trained.problems) });
    return;
  }
  stream.flush();
  const n = trained.result.costs.length;
  if (grid && trained.result.status !== 'diverged') {
    const final = trained.result.parameters;
    env.post({ type: 'boundary', iteration: Math.max(0, n - 1), grid: boundaryOf(run.spec, final, grid, env.kernels), ...pointParameters(final) });
  }
  if (n > 0 && trained.result.status !== 'diverged') {
    // One more forward pass over the dev set, only for image data: pictures and the confusion matrix.
    const samples = picturesOf(trained.spec, run.dataset, trained.result.parameters, env.kernels, n - 1);
    if (samples) env.post({ type: 'pictures', samples });
  }
  await finishTraining(run, trained, req.paramsPath, stream.pausedMs, env);
}

/** Saves a completed run where asked and posts its summary; a failed save is reported with the run, which is kept. */
async function finishTraining(run: LoadedRun, trained: TrainedRun, paramsPath: string | undefined, pausedMs: number, env: RunnerEnv): Promise<void> {
  const { result } = trained;
  let saved: string | undefined;
  let saveError: string | undefined;
  if (result.status === 'done' && paramsPath) {
    const failed = await saveRun(run, trained, { paramsPath }, env.files ?? nodeFiles);
    if (failed.length === 0) saved = paramsPath;
    else saveError = `the parameters could not be saved: ${failed.map((p) => p.message).join('; ')}`;
  }
  // Stopped, or diverged with the last finite parameters: what was learned is kept for the
  // extension to offer saving (the same file, meta included, as a completed run writes).
  let unsavedParams: string | undefined;
  if (!saved && result.costs.length > 0 && result.status !== 'done' && allFinite(result.parameters)) {
    await saveRun(run, trained, { paramsPath: paramsPath ?? 'unsaved.params.json' }, {
      ...(env.files ?? nodeFiles),
      saveParameters: async (_path, parameters, meta) => {
        unsavedParams = serializeParameters(parameters, meta);
      },
    });
  }
  const last = finalCost(result) ?? NaN;
  env.post({
    type: 'trainDone',
    summary: {
      status: result.status,
      // A done run's message is shown as "trained, but …": a save that failed, or the engine's
      // warning (the first infinite cost, which training went through as the course's does).
      ...(result.message || saveError || result.warnings?.length ? { message: result.message ?? saveError ?? result.warnings!.join('; ') } : {}),
      iterationsRun: result.costs.length,
      finalCost: Number.isFinite(last) ? last : null,
      ...(result.trainAccuracy !== undefined ? { trainAccuracy: finite(result.trainAccuracy) } : {}),
      ...(result.devAccuracy !== undefined ? { devAccuracy: finite(result.devAccuracy) } : {}),
      ...(result.devCost !== undefined ? { devCost: finite(result.devCost) } : {}),
      elapsedMs: result.elapsedMs - pausedMs,
      ...(saved ? { paramsPath: saved } : {}),
      ...(unsavedParams ? { canSave: true } : {}),
    },
    costs: Array.from(result.costs),
    ...(unsavedParams ? { unsavedParams } : {}),
  });
}

/**
 * Runs the engine's gradient check on the file's network at its starting parameters (the spec's
 * init and seed) and the first examples of its data (at most 64: each entry costs two passes).
 */
export async function runGradientCheck(req: GradientCheckRequest, env: RunnerEnv): Promise<void> {
  const run = await load(req, env);
  if (!run) return;
  const checked = await gradientCheckRun(run, {
    kernels: env.kernels,
    pick: (X, Y) => ({ X: firstColumns(X, 64), Y: firstColumns(Y, 64) }),
    ...(req.epsilon ? { epsilon: req.epsilon } : {}),
    // Every entry comes back sorted, so each group finds its own worst one; big networks are sampled.
    report: Number.MAX_SAFE_INTEGER,
    maxEntries: 5000,
  });
  if (!checked.ok) {
    env.post({ type: 'failed', errors: located(checked.problems) });
    return;
  }
  const { result: r, parameters: init } = checked;
  const groups = new Map<string, GradientGroupResult>();
  for (const key of init.keys()) groups.set(key, { name: key, difference: 0, count: init.get(key)!.data.length, ok: true });
  // Per group: the worst entry and its relative error |a - n| / (|a| + |n|).
  for (const e of r.worst) {
    const g = groups.get(e.name);
    if (!g) continue;
    const rel = Math.abs(e.analytic - e.numeric) / (Math.abs(e.analytic) + Math.abs(e.numeric) || 1);
    if (!g.worst || rel > g.difference) {
      g.difference = rel;
      g.worst = { index: e.row * init.get(e.name)!.cols + e.col, analytic: e.analytic, numeric: e.numeric };
      g.ok = rel < r.threshold;
    }
  }
  env.post({ type: 'gradientCheckDone', epsilon: r.epsilon, difference: r.difference, threshold: r.threshold, groups: [...groups.values()] });
}
