// Shared by the engine tests: fixture loading and closeness checks with messages that say where.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRows, zeros, type Matrix } from '../../../src/core/matrix';
import { TRAINING_DEFAULTS, type Activation, type Loss, type Spec } from '../../../src/core/format/types';

// numpy's fixtures are read field by field in each test, so by default they stay untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, '../../fixtures/engine', name), 'utf8')) as T;
}

export { fromRows, zeros };

/** |a - e| <= rtol * max(|e|, atol-floor) for every entry, naming the first entry that is not. */
export function assertClose(actual: Matrix | number[][], expected: number[][], rtol: number, what: string, atol = 1e-300): void {
  const A = Array.isArray(actual) ? fromRows(actual) : actual;
  const E = fromRows(expected);
  assert.equal(`${A.rows}x${A.cols}`, `${E.rows}x${E.cols}`, `${what}: shape`);
  for (let k = 0; k < E.data.length; k++) {
    const a = A.data[k];
    const e = E.data[k];
    const tol = Math.max(rtol * Math.abs(e), atol);
    if (!(Math.abs(a - e) <= tol)) {
      assert.fail(`${what}[${Math.floor(k / E.cols)}][${k % E.cols}]: got ${a}, numpy ${e} (rtol ${rtol})`);
    }
  }
}

export function assertNear(actual: number, expected: number, rtol: number, what: string): void {
  if (!(Math.abs(actual - expected) <= rtol * Math.abs(expected))) {
    assert.fail(`${what}: got ${actual}, expected ${expected} (relative difference ${Math.abs(actual - expected) / Math.abs(expected)}, allowed ${rtol})`);
  }
}

export interface SpecOptions {
  layerDims: number[];
  activations: Activation[];
  loss: Loss;
  alphas?: number[];
  batchNorm?: boolean[];
  training?: Partial<Spec['training']>;
}

/** A complete Spec built by hand, as the parser would fill it in. */
export function makeSpec(o: SpecOptions): Spec {
  return {
    inputShape: [o.layerDims[0]],
    inputUnits: o.layerDims[0],
    layers: o.activations.map((activation, i) => ({
      type: 'dense' as const,
      units: o.layerDims[i + 1],
      activation,
      alpha: o.alphas?.[i] ?? 0.01,
      batchNorm: o.batchNorm?.[i] ?? false,
      shapes: {},
      path: ['layers', i],
    })),
    loss: o.loss,
    training: { ...TRAINING_DEFAULTS, seed: 1, ...o.training },
  };
}
