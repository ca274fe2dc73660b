/**
 * The engine's view of numpy's legacy generator (src/core/rng's RandomState): the three draws
 * training needs, filling preallocated arrays so the loop allocates nothing.
 */
import { RandomState } from '../rng';

export interface EngineRandom {
  /** np.random.seed(seed) */
  seed(seed: number): void;
  /** out[:] = np.random.randn(out.length) */
  randn(out: Float64Array): void;
  /** out[:] = np.random.rand(out.length) */
  rand(out: Float64Array): void;
  /** out[:] = np.random.permutation(out.length) */
  permutation(out: Int32Array): void;
}

export function createRandom(seed: number): EngineRandom {
  const rs = new RandomState(seed);
  return {
    seed: (s) => rs.seed(s),
    randn: (out) => {
      for (let i = 0; i < out.length; i++) out[i] = rs.standardNormal();
    },
    rand: (out) => {
      for (let i = 0; i < out.length; i++) out[i] = rs.randomSample();
    },
    permutation: (out) => {
      rs.permutationInto(out);
    },
  };
}
