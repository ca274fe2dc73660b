/** The training loop's public contract, shared by the CLI, the editor's worker and the webview. */
import type { Matrix } from './matrix';

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
  progressEvery?: number;
  /** Start from these parameters instead of the spec's `init` (`dnn train --init`). */
  initialParameters?: Parameters;
  overrides?: TrainOverrides;
}

export interface TrainResult {
  parameters: Parameters;
  /** costs[i] = cost computed in iteration i before its update; length = iterations run. */
  costs: Float64Array;
  /** How training ended. 'diverged': the cost became NaN or infinite (see `message`). */
  status: 'done' | 'aborted' | 'diverged';
  message?: string;
  trainAccuracy?: number;
  devAccuracy?: number;
  devCost?: number;
  elapsedMs: number;
}
