/**
 * What the training worker does, without the worker: check the file, load the data, train with
 * the engine, and report through `post` the messages of src/protocol.ts. No 'vscode' and no Node
 * imports here (file access comes in through `RunnerEnv`), so node:test runs it in-process.
 */
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { checkText } from '../../core/check';
import type { Dataset } from '../../core/data/types';
import { gradientCheck } from '../../core/engine/gradcheck';
import { zeros, type Matrix } from '../../core/matrix';
import { predict } from '../../core/engine/predict';
import { train } from '../../core/engine/train';
import type { Parameters, TrainOptions, TrainProgress } from '../../core/engine/types';
import type { Kernels } from '../../core/kernels/types';
import type { JsonPath } from '../../core/problems';
import type { Spec } from '../../core/format/types';
import {
  CONTROL_PAUSE,
  CONTROL_STOP,
  type BoundaryGrid,
  type GradientCheckRequest,
  type GradientGroupResult,
  type LocatedMessage,
  type ProgressPoint,
  type RunSettings,
  type ScatterData,
  type TrainRequest,
  type WorkerToExtension,
} from '../../protocol';

export interface RunnerEnv {
  /**
   * Loads the file's data (built-in or CSV, paths relative to `file`; `text` is the file's text).
   * Throws with a message, and with `located` problems already positioned in the text when known.
   */
  loadDataset(spec: Spec, file: string, text: string): Promise<Dataset>;
  /** Writes the parameters file atomically. */
  saveParameters(path: string, parameters: Parameters, meta: Record<string, unknown>): Promise<void>;
  /** The parameters to start from when the spec's init names a file (else undefined). */
  initialParameters?(spec: Spec, file: string): Promise<Parameters | undefined>;
  /** The kernel set the engine runs with, chosen by the worker (src/node/kernels.ts). */
  kernels: Kernels;
  post(message: WorkerToExtension): void;
  /** Aborted when the extension posts `stop`. */
  signal: AbortSignal;
}

/** Samples per run at most: the page draws ~2,000, the rest is for tooltips and the CSV fallback. */
const MAX_SAMPLES = 5000;
/** How often progress batches leave the worker. */
const FLUSH_MS = 100;
/** Decision-boundary redraws per run, about. */
const BOUNDARIES_PER_RUN = 25;

/** An error the user can act on, with where it is in the .dnn.json when known. */
export class RunError extends Error {
  constructor(readonly errors: LocatedMessage[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/** The offset range of a JSON path in the text (the closest existing ancestor when it is missing). */
export function locate(text: string, path: JsonPath): { offset: number; length: number } | undefined {
  const root = parseTree(text);
  if (!root) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (node) {
      // A property's value: point at "key": value, which is what the user reads as the setting.
      const target = node.parent?.type === 'property' ? node.parent : node;
      return { offset: target.offset, length: target.length };
    }
  }
  return undefined;
}

function located(text: string, message: string, path?: JsonPath): LocatedMessage {
  const where = path ? locate(text, path) : undefined;
  return where ? { message, ...where } : { message };
}

/** Spec from text, or a RunError listing the file's errors with their positions. */
export function specOf(text: string): Spec {
  const checked = checkText(text);
  const errors = checked.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0 || !checked.spec) {
    throw new RunError(
      errors.length > 0
        ? errors.map((p) => ({ message: p.message, offset: p.range.offset, length: p.range.length }))
        : [{ message: 'the file does not describe a network' }],
    );
  }
  return checked.spec;
}

/** The spec with the page's overrides applied (the engine's own overrides cover the rest). */
export function withOverrides(spec: Spec, o: TrainRequest['overrides']): Spec {
  const t = spec.training;
  return {
    ...spec,
    training: {
      ...t,
      iterations: o.iterations ?? t.iterations,
      learningRate: o.learningRate ?? t.learningRate,
      optimizer: { ...t.optimizer, name: o.optimizer ?? t.optimizer.name },
    },
  };
}

export function settingsOf(spec: Spec): RunSettings {
  const t = spec.training;
  return { learningRate: t.learningRate, iterations: t.iterations, optimizer: t.optimizer.name };
}

/** Class index of example j: the row of a one-hot column, or 0/1 of a single label row. */
function labelOf(Y: Matrix, j: number): number {
  if (Y.rows === 1) return Y.data[j] > 0.5 ? 1 : 0;
  let best = 0;
  for (let i = 1; i < Y.rows; i++) if (Y.data[i * Y.cols + j] > Y.data[best * Y.cols + j]) best = i;
  return best;
}

/** The training examples of a 2-D input as dots for the boundary plot (at most 5,000 of them). */
export function scatterOf(dataset: Dataset): ScatterData | undefined {
  const { X, Y } = dataset.train;
  if (X.rows !== 2) return undefined;
  const step = Math.max(1, Math.ceil(X.cols / 5000));
  const out: ScatterData = { x: [], y: [], label: [], classes: Math.max(2, Y.rows) };
  for (let j = 0; j < X.cols; j += step) {
    out.x.push(X.data[j]);
    out.y.push(X.data[X.cols + j]);
    out.label.push(labelOf(Y, j));
  }
  return out;
}

/**
 * The grid the boundary is drawn on: the course's plot_decision_boundary range (data min - 1 to
 * max + 1 on each axis), `n` x `n` cell centres as the columns of a (2, n*n) X, row j = 0 at the
 * bottom.
 */
export function gridOf(points: ScatterData, n: number): { X: Matrix; frame: Omit<BoundaryGrid, 'values' | 'kind'> } {
  const xMin = Math.min(...points.x) - 1;
  const xMax = Math.max(...points.x) + 1;
  const yMin = Math.min(...points.y) - 1;
  const yMax = Math.max(...points.y) + 1;
  const X = zeros(2, n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      X.data[j * n + i] = xMin + ((i + 0.5) * (xMax - xMin)) / n;
      X.data[n * n + j * n + i] = yMin + ((j + 0.5) * (yMax - yMin)) / n;
    }
  }
  return { X, frame: { xMin, xMax, yMin, yMax, nx: n, ny: n } };
}

/** The network's output on the grid: P(y = 1) for one sigmoid output, else the predicted class. */
export function boundaryOf(spec: Spec, parameters: Parameters, grid: ReturnType<typeof gridOf>, kernels: Kernels): BoundaryGrid {
  const p = predict(spec, parameters, grid.X, kernels);
  if (p.probabilities.rows === 1) {
    return { ...grid.frame, kind: 'probability', values: Array.from(p.probabilities.data) };
  }
  const values = p.labels ? Array.from(p.labels) : Array.from(p.probabilities.data.subarray(0, grid.X.cols));
  return { ...grid.frame, kind: 'class', values };
}

function finite(v: number | undefined): number | null | undefined {
  return v === undefined ? undefined : Number.isFinite(v) ? v : null;
}

/** Reads the control word; sleeps while it says pause. Returns the milliseconds spent paused. */
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
    onPause(false);
  }
  if (state === CONTROL_STOP) abort();
  return pausedMs;
}

/** Runs one `train` request to its end: posts trainStarted, progress, boundary, then trainDone or failed. */
export async function runTraining(req: TrainRequest, env: RunnerEnv): Promise<void> {
  const text = req.text;
  try {
    const spec = withOverrides(specOf(text), req.overrides);
    let dataset: Dataset;
    try {
      dataset = await env.loadDataset(spec, req.file, text);
    } catch (e) {
      throw new RunError(locatedOf(e) ?? [located(text, errorMessage(e), pathOf(e) ?? ['data'])]);
    }
    let init: Parameters | undefined;
    try {
      init = await env.initialParameters?.(spec, req.file);
    } catch (e) {
      throw new RunError([located(text, errorMessage(e), pathOf(e) ?? ['training', 'init'])]);
    }
    const settings = settingsOf(spec);
    const points = spec.inputUnits === 2 ? scatterOf(dataset) : undefined;
    env.post({
      type: 'trainStarted',
      settings,
      hasDev: Boolean(dataset.dev && dataset.dev.X.cols > 0),
      m: dataset.train.X.cols,
      source: dataset.source,
      ...(points ? { points } : {}),
    });

    const iterations = settings.iterations;
    const progressEvery = Math.max(1, Math.ceil(iterations / MAX_SAMPLES));
    const boundaryEvery = req.boundaryEvery ?? Math.max(100, Math.round(iterations / BOUNDARIES_PER_RUN / progressEvery) * progressEvery);
    const grid = points ? gridOf(points, req.boundaryGrid ?? 60) : undefined;

    const abort = new AbortController();
    const onStop = () => abort.abort();
    env.signal.addEventListener('abort', onStop);
    const control = req.control ? new Int32Array(req.control) : undefined;

    let batch: ProgressPoint[] = [];
    let lastFlush = performance.now();
    let pausedMs = 0;
    let lastBoundaryAt = -1;
    const flush = () => {
      if (batch.length === 0) return;
      env.post({ type: 'progress', iterations, points: batch });
      batch = [];
      lastFlush = performance.now();
    };
    const options: TrainOptions = {
      signal: abort.signal,
      progressEvery,
      ...(init ? { initialParameters: init } : {}),
      kernels: env.kernels,
      overrides: { iterations, learningRate: settings.learningRate },
      onProgress: (p: TrainProgress) => {
        batch.push({
          iteration: p.iteration,
          cost: finite(p.cost) ?? null,
          ...(p.trainAccuracy !== undefined ? { trainAccuracy: finite(p.trainAccuracy) } : {}),
          ...(p.devCost !== undefined ? { devCost: finite(p.devCost) } : {}),
          ...(p.devAccuracy !== undefined ? { devAccuracy: finite(p.devAccuracy) } : {}),
          elapsedMs: p.elapsedMs - pausedMs,
        });
        if (performance.now() - lastFlush >= FLUSH_MS) flush();
        pausedMs += obeyControl(control, () => abort.abort(), flush);
      },
      onParameters: (iteration, parameters) => {
        if (!grid || iteration - lastBoundaryAt < boundaryEvery || iteration === iterations - 1) return;
        lastBoundaryAt = iteration;
        flush();
        env.post({ type: 'boundary', iteration, grid: boundaryOf(spec, parameters, grid, env.kernels) });
      },
    };
    let result;
    try {
      result = await train(spec, dataset, options);
    } catch (e) {
      throw new RunError([located(text, errorMessage(e), pathOf(e))]);
    } finally {
      env.signal.removeEventListener('abort', onStop);
    }
    flush();
    const n = result.costs.length;
    if (grid && result.status !== 'diverged') {
      env.post({ type: 'boundary', iteration: Math.max(0, n - 1), grid: boundaryOf(spec, result.parameters, grid, env.kernels) });
    }
    let paramsPath: string | undefined;
    let saveError: string | undefined;
    if (result.status === 'done' && req.paramsPath) {
      // A failed save (read-only folder, full disk) must not lose the run: report it with the run.
      try {
        await env.saveParameters(req.paramsPath, result.parameters, {
        architecture: [spec.inputUnits, ...spec.layers.map((l) => l.units)],
        activations: spec.layers.map((l) => l.activation),
        loss: spec.loss,
        ...(result.seed !== undefined ? { seed: result.seed } : {}),
        iterations: n,
        finalCost: n > 0 ? result.costs[n - 1] : undefined,
        ...(dataset.standardization ? { standardization: dataset.standardization } : {}),
        });
        paramsPath = req.paramsPath;
      } catch (e) {
        saveError = `the parameters could not be saved: ${errorMessage(e)}`;
      }
    }
    const last = n > 0 ? result.costs[n - 1] : NaN;
    env.post({
      type: 'trainDone',
      summary: {
        status: result.status,
        ...(result.message || saveError ? { message: result.message ?? saveError } : {}),
        iterationsRun: n,
        finalCost: Number.isFinite(last) ? last : null,
        ...(result.trainAccuracy !== undefined ? { trainAccuracy: finite(result.trainAccuracy) } : {}),
        ...(result.devAccuracy !== undefined ? { devAccuracy: finite(result.devAccuracy) } : {}),
        ...(result.devCost !== undefined ? { devCost: finite(result.devCost) } : {}),
        elapsedMs: result.elapsedMs - pausedMs,
        ...(paramsPath ? { paramsPath } : {}),
      },
      costs: Array.from(result.costs),
    });
  } catch (e) {
    env.post({ type: 'failed', errors: e instanceof RunError ? e.errors : [{ message: `internal error: ${errorMessage(e)}` }] });
  }
}

/**
 * Runs the engine's gradient check on the file's network at its initial parameters (the spec's
 * init and seed) and the first examples of its data (at most 64: each entry costs two passes).
 */
export async function runGradientCheck(req: GradientCheckRequest, env: RunnerEnv): Promise<void> {
  const text = req.text;
  try {
    const spec = specOf(text);
    let dataset: Dataset;
    try {
      dataset = await env.loadDataset(spec, req.file, text);
    } catch (e) {
      throw new RunError(locatedOf(e) ?? [located(text, errorMessage(e), pathOf(e) ?? ['data'])]);
    }
    // Zero iterations: the engine initialises the parameters exactly as a run would, then stops.
    let init: Parameters;
    try {
      const given = await env.initialParameters?.(spec, req.file);
      const r = await train(withOverrides(spec, { iterations: 0 }), dataset, given ? { initialParameters: given, kernels: env.kernels } : { kernels: env.kernels });
      init = r.parameters;
    } catch (e) {
      throw new RunError([located(text, errorMessage(e), pathOf(e))]);
    }
    const { X, Y } = firstColumns(dataset.train.X, dataset.train.Y, 64);
    const r = gradientCheck(spec, init, X, Y, {
      kernels: env.kernels,
      ...(req.epsilon ? { epsilon: req.epsilon } : {}),
      // Every entry comes back sorted, so each group finds its own worst one; big networks are sampled.
      report: Number.MAX_SAFE_INTEGER,
      maxEntries: 5000,
    });
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
  } catch (e) {
    env.post({ type: 'failed', errors: e instanceof RunError ? e.errors : [{ message: `internal error: ${errorMessage(e)}` }] });
  }
}

function firstColumns(X: Matrix, Y: Matrix, m: number): { X: Matrix; Y: Matrix } {
  const k = Math.min(m, X.cols);
  const take = (M: Matrix) => {
    const out = zeros(M.rows, k);
    for (let i = 0; i < M.rows; i++) out.data.set(M.data.subarray(i * M.cols, i * M.cols + k), i * k);
    return out;
  };
  return { X: take(X), Y: take(Y) };
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function locatedOf(e: unknown): LocatedMessage[] | undefined {
  const l = (e as { located?: unknown } | undefined)?.located;
  return Array.isArray(l) && l.length > 0 ? (l as LocatedMessage[]) : undefined;
}

function pathOf(e: unknown): JsonPath | undefined {
  const p = (e as { path?: unknown } | undefined)?.path;
  return Array.isArray(p) && p.length > 0 ? (p as JsonPath) : undefined;
}
