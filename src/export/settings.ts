/**
 * The network as the exported scripts read it: one JSON object with every default filled in, so a
 * script never guesses what the parser decided.
 */
import type { Spec } from '../core/format/types';
import type { ExportInput } from './types';

export interface NetworkSettings {
  name: string;
  source: string;
  specDir: string;
  inputUnits: number;
  inputShape: number[];
  layers: { units: number; activation: string; alpha: number }[];
  loss: string;
  data: Record<string, unknown> | null;
  training: {
    iterations: number;
    learningRate: number;
    seed: number | null;
    init: { scheme: string; scale?: number; file?: string };
    optimizer: { name: string; beta: number; beta1: number; beta2: number; epsilon: number };
    batchSize: number | null;
    shuffleSeed: number | null;
    decayRate: number;
    decay: string;
    timeInterval: number;
    l2: number;
    printEvery: number;
  };
}

/** The spec's settings as plain JSON, for the scripts (paths stay relative to the .dnn.json). */
export function networkSettings(input: ExportInput): NetworkSettings {
  const spec: Spec = input.spec;
  const t = spec.training;
  const data = spec.data ? (Object.fromEntries(Object.entries(spec.data).filter(([k]) => k !== 'path')) as Record<string, unknown>) : null;
  return {
    name: spec.name ?? input.source,
    source: input.source,
    specDir: input.specDir,
    inputUnits: spec.inputUnits,
    inputShape: spec.inputShape,
    layers: spec.layers.map((l) => (l.type === 'dense' ? { units: l.units, activation: l.activation, alpha: l.alpha } : { units: 0, activation: 'linear', alpha: 0 })),
    loss: spec.loss,
    data,
    training: {
      iterations: t.iterations,
      learningRate: t.learningRate,
      seed: t.seed ?? null,
      init: t.init.scheme === 'file' ? { scheme: 'file', file: t.init.path } : { scheme: t.init.scheme, scale: t.init.scale },
      optimizer: { ...t.optimizer },
      batchSize: t.batchSize,
      shuffleSeed: t.shuffleSeed ?? null,
      decayRate: t.decayRate,
      decay: t.decay,
      timeInterval: t.timeInterval,
      l2: t.l2,
      printEvery: t.printEvery,
    },
  };
}
