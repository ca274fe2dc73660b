/**
 * Training a loaded .dnn.json and saving what it produced, for `dnn train` and the editor's
 * training worker alike: one set of run settings, one parameters file with one `meta`, one costs
 * CSV. The caller chooses the kernels and shows the progress; this module never prints.
 */
import { checkText } from '../core/check';
import type { ParamsMeta } from '../core/engine/params';
import { networkMeta } from './architecture';
import { train } from '../core/engine/train';
import type { Parameters, TrainOptions, TrainResult } from '../core/engine/types';
import type { Spec } from '../core/format/types';
import type { Kernels } from '../core/kernels/types';
import { costsCsv } from './costs';
import { nodeFiles, type LoadedRun, type RunFiles } from './load';
import { engineProblem, errorMessage, type Outcome, type RunProblem } from './problems';
import { runSettings, withSettings, type Overrides, type Settings } from './settings';

export interface TrainRunOptions {
  /** The matrix kernels to train with: the entry point's choice. */
  kernels: Kernels;
  overrides?: Overrides;
  signal?: AbortSignal;
  /** Default: the spec's printEvery. */
  progressEvery?: number;
  onProgress?: TrainOptions['onProgress'];
  onParameters?: TrainOptions['onParameters'];
  /** Trouble that does not stop the run, e.g. the first infinite cost (see TrainOptions.onWarning). */
  onWarning?: TrainOptions['onWarning'];
  /** The learning rate from an iteration on, when it changes mid-run (the editor's α box). */
  learningRate?: TrainOptions['learningRate'];
  /** The optimiser's β, β1, β2, ε from an iteration on, when they change mid-run. */
  optimizerSettings?: TrainOptions['optimizerSettings'];
}

export interface TrainedRun {
  result: TrainResult;
  settings: Settings;
  /** The spec as trained: the run's settings applied. */
  spec: Spec;
}

/**
 * Trains `run` with its settings (the spec's, overridden). An engine's refusal comes back as a
 * problem at its place in the .dnn.json; an aborted or diverged run is a result, not a failure.
 */
export async function trainRun(run: LoadedRun, options: TrainRunOptions): Promise<Outcome<TrainedRun>> {
  // The checker's memory budget once more with the data's real m (a CSV's rows, an HDF5 file's
  // pictures): refused here, before the engine allocates anything.
  const large = checkText(run.text, { m: run.dataset.train.X.cols }).problems.find((p) => p.code === 'too-large');
  if (large) return { ok: false, problems: [{ ...large, severity: 'error' }] };
  const settings = runSettings(run.spec, options.overrides);
  const spec = withSettings(run.spec, settings);
  const trainOptions: TrainOptions = { kernels: options.kernels };
  if (options.signal) trainOptions.signal = options.signal;
  if (options.progressEvery !== undefined) trainOptions.progressEvery = options.progressEvery;
  if (options.onProgress) trainOptions.onProgress = options.onProgress;
  if (options.onParameters) trainOptions.onParameters = options.onParameters;
  if (options.onWarning) trainOptions.onWarning = options.onWarning;
  if (options.learningRate) trainOptions.learningRate = options.learningRate;
  if (options.optimizerSettings) trainOptions.optimizerSettings = options.optimizerSettings;
  if (run.initial) trainOptions.initialParameters = run.initial;
  try {
    return { ok: true, result: await train(spec, run.dataset, trainOptions), settings, spec };
  } catch (e) {
    return { ok: false, problems: [engineProblem(run.checked, e)] };
  }
}

/** The last cost of a run, when it ran at least one iteration. */
export function finalCost(result: TrainResult): number | undefined {
  const n = result.costs.length;
  return n > 0 ? result.costs[n - 1] : undefined;
}

/** The parameters file's `meta`, the same whoever trained: what was trained, how, on what. */
export function paramsMeta(run: LoadedRun, trained: TrainedRun): ParamsMeta {
  const { spec, result, settings } = trained;
  const meta: ParamsMeta = {
    ...networkMeta(spec),
    ...(result.seed !== undefined ? { seed: result.seed } : {}),
    iterations: result.costs.length,
    learningRate: settings.learningRate,
    data: run.dataset.source,
  };
  const last = finalCost(result);
  if (last !== undefined) meta.finalCost = last;
  if (run.dataset.standardization) meta.standardization = run.dataset.standardization;
  return meta;
}

/**
 * Saves a finished run: the parameters (with `paramsMeta`) and, when asked, the costs. Each
 * write is atomic; a failed one is a 'file-error' naming the file and the reason.
 */
export async function saveRun(
  run: LoadedRun,
  trained: TrainedRun,
  where: { paramsPath: string; costsPath?: string },
  files: RunFiles = nodeFiles,
): Promise<RunProblem[]> {
  const writes: [string, () => Promise<void>][] = [[where.paramsPath, () => files.saveParameters(where.paramsPath, trained.result.parameters, paramsMeta(run, trained))]];
  if (where.costsPath) {
    const costsPath = where.costsPath;
    writes.push([costsPath, () => files.writeText(costsPath, costsCsv(trained.result.costs))]);
  }
  for (const [file, write] of writes) {
    try {
      await write();
    } catch (e) {
      return [{ code: 'file-error', severity: 'error', message: errorMessage(e), path: [], in: { file } }];
    }
  }
  return [];
}

/** The parameters a run of `run` starts from: its init file, or its init scheme drawn with its seed. */
export async function startingParameters(run: LoadedRun, kernels: Kernels): Promise<Outcome<{ parameters: Parameters }>> {
  // Zero iterations: the engine initialises (or checks the given parameters) exactly as a run would.
  const r = await trainRun(run, { kernels, overrides: { iterations: 0 } });
  return r.ok ? { ok: true, parameters: r.result.parameters } : r;
}
