/**
 * The training loop's public contract, shared by the CLI, the editor's worker and the webview.
 * `train(spec, dataset, options)` lives in ./train.ts; it throws `EngineError` (./network.ts, with
 * a JSON path into the .dnn.json) when the spec or the data cannot be trained, and otherwise
 * resolves with a TrainResult whatever happens (done, aborted or diverged).
 * Accuracies are fractions in 0..1; costs include the L2 term when l2 > 0.
 */
import type { Kernels } from '../kernels/types';
import type { Matrix } from '../matrix';
import type { OptimizerSettings } from './optimizers';

/** The course's `parameters` dict: "W1", "b1", ..., "WL", "bL" (plus "gamma1", "beta1", ... with batch norm). */
export type Parameters = Map<string, Matrix>;

export interface TrainProgress {
  /** 0-based iteration whose cost this is (computed before that iteration's update). */
  iteration: number;
  iterations: number;
  cost: number;
  trainAccuracy?: number;
  devCost?: number;
  devAccuracy?: number;
  elapsedMs: number;
}

export interface TrainOverrides {
  iterations?: number;
  learningRate?: number;
  seed?: number;
}

export interface TrainOptions {
  /** Checked every iteration; training yields to the event loop often enough to see it. */
  signal?: AbortSignal;
  /** Called every `progressEvery` iterations and after the last one. */
  onProgress?: (p: TrainProgress) => void;
  /** Default: the spec's printEvery. Dev cost and accuracy are computed only at these points. */
  progressEvery?: number;
  /**
   * Called right after each onProgress call with the live parameters, so the editor can draw the
   * decision boundary as it forms. Valid only during the call: read or copy, never modify.
   */
  onParameters?: (iteration: number, parameters: Parameters) => void;
  /** Called once per kind of trouble that does not stop training (the first infinite cost). */
  onWarning?: (message: string) => void;
  /**
   * Read before each iteration (each epoch with mini-batches): a learning rate to use from this
   * iteration on, or undefined to keep the current one. The editor changes α mid-run through it.
   */
  learningRate?: (iteration: number) => number | undefined;
  /**
   * Read before each iteration too, after `learningRate`: the optimiser's β, β1, β2 or ε to use
   * from this iteration on (the keys given), or undefined to keep them. A value outside its range
   * is ignored. The optimiser keeps its state (see Optimizer.retune).
   */
  optimizerSettings?: (iteration: number) => OptimizerSettings | undefined;
  /** Start from these parameters instead of the spec's `init` (`dnn train --init`). */
  initialParameters?: Parameters;
  overrides?: TrainOverrides;
  /** The kernel set to train with: the entry point's choice (src/node/kernels.ts), or any set in tests. */
  kernels: Kernels;
}

export interface TrainResult {
  parameters: Parameters;
  /** costs[i] = cost computed in iteration i before its update; length = iterations run. */
  costs: Float64Array;
  /**
   * How training ended. 'diverged': a gradient (or, after an update, a parameter) stopped being
   * finite (see `message`); an infinite cost alone is not divergence (see `warnings`).
   */
  status: 'done' | 'aborted' | 'diverged';
  message?: string;
  /**
   * With 'diverged': true when `parameters` (those before the update that would have broken
   * them) are all finite, so a caller may offer to save them.
   */
  finiteParameters?: boolean;
  /** Things the user should know that did not stop training, e.g. the first infinite cost. */
  warnings?: string[];
  /** The seed used: the spec's (or the override), or a random one when the spec has none. */
  seed?: number;
  trainAccuracy?: number;
  devAccuracy?: number;
  devCost?: number;
  elapsedMs: number;
}
