/**
 * The settings of a run, derived from a spec in one place: what the CLI prints and saves, what the
 * worker trains with and the page shows all come from `runSettings`. Also the one default
 * parameters path.
 */
import { basename, dirname, join, resolve } from 'node:path';
import type { Spec } from '../core/format/types';
import type { OptimizerChoice, RunOverrides } from '../protocol';

/** What a run may override: the page's settings, and the CLI's --seed. */
export interface Overrides extends RunOverrides {
  seed?: number;
}

/** The settings a run uses: the spec's training settings with the overrides applied. */
export interface Settings {
  iterations: number;
  learningRate: number;
  optimizer: OptimizerChoice;
  /** Absent when neither the spec nor the overrides give one (the engine then draws one). */
  seed?: number;
}

export function runSettings(spec: Spec, overrides: Overrides = {}): Settings {
  const t = spec.training;
  const seed = overrides.seed ?? t.seed;
  return {
    iterations: overrides.iterations ?? t.iterations,
    learningRate: overrides.learningRate ?? t.learningRate,
    optimizer: overrides.optimizer ?? t.optimizer.name,
    ...(seed !== undefined && seed !== null ? { seed } : {}),
  };
}

/** The spec as the engine trains it: its training settings replaced by the run's. */
export function withSettings(spec: Spec, s: Settings): Spec {
  const t = spec.training;
  return {
    ...spec,
    training: {
      ...t,
      iterations: s.iterations,
      learningRate: s.learningRate,
      optimizer: { ...t.optimizer, name: s.optimizer },
      ...(s.seed !== undefined ? { seed: s.seed } : {}),
    },
  };
}

/** `planar.dnn.json` -> `planar.params.json`, beside it. */
export function defaultParamsPath(file: string): string {
  const name = basename(file).replace(/\.dnn\.json$/i, '').replace(/\.json$/i, '');
  return join(dirname(file), `${name}.params.json`);
}

/** The parameters file the spec starts from (`"init": { "file": ... }`, relative to the .dnn.json), if any. */
export function initFileOf(spec: Spec, file: string): string | undefined {
  const init = spec.training.init;
  return init.scheme === 'file' ? resolve(dirname(file), init.path) : undefined;
}
