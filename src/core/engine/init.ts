/**
 * initialize_parameters_deep: W[l] drawn from the seeded generator in the course's order (W1
 * row-major, then W2, ...), every b[l] zeros. The four schemes are written exactly as the course
 * computes them, so the same seed gives the notebook's weights to the last bit:
 *
 * - random: np.random.randn(n[l], n[l-1]) * scale (week 3 and 4: scale 0.01)
 * - xavier: np.random.randn(n[l], n[l-1]) / np.sqrt(n[l-1]) (the week 4 application's rule,
 *   i.e. randn·sqrt(1/n[l-1]))
 * - he:     np.random.randn(n[l], n[l-1]) * np.sqrt(2 / n[l-1]) (course 2, initialisation)
 * - zeros:  no draws at all (and no symmetry breaking: the checker warns about it)
 */
import type { InitScheme } from '../format/types';
import { zeros } from '../matrix';
import type { Parameters } from './types';

/** Fills `out` with standard normal draws in order, like `np.random.randn(out.length)`. */
export type NormalFill = (out: Float64Array) => void;

export function initializeParametersDeep(layerDims: number[], scheme: InitScheme, scale: number, randn: NormalFill): Parameters {
  const parameters: Parameters = new Map();
  for (let l = 1; l < layerDims.length; l++) {
    const n = layerDims[l];
    const nPrev = layerDims[l - 1];
    const W = zeros(n, nPrev);
    if (scheme !== 'zeros') {
      const w = W.data;
      randn(w);
      if (scheme === 'random') for (let i = 0; i < w.length; i++) w[i] = w[i] * scale;
      else if (scheme === 'xavier') {
        const root = Math.sqrt(nPrev);
        for (let i = 0; i < w.length; i++) w[i] = w[i] / root;
      } else {
        const gain = Math.sqrt(2 / nPrev);
        for (let i = 0; i < w.length; i++) w[i] = w[i] * gain;
      }
    }
    parameters.set(`W${l}`, W);
    parameters.set(`b${l}`, zeros(n, 1));
  }
  return parameters;
}

/**
 * Batch norm's starting values for each normalised layer (no random draws, so W's stream is the
 * same with or without batch norm): gamma = 1 and beta = 0 (Ztilde = Znorm at first), running
 * mean 0 and running variance 1.
 */
export function initializeBatchNorm(layerDims: number[], batchNorm: readonly boolean[], parameters: Parameters): void {
  for (let l = 1; l < layerDims.length; l++) {
    if (!batchNorm[l - 1]) continue;
    const n = layerDims[l];
    parameters.set(`gamma${l}`, { rows: n, cols: 1, data: new Float64Array(n).fill(1) });
    parameters.set(`beta${l}`, zeros(n, 1));
    parameters.set(`runningMean${l}`, zeros(n, 1));
    parameters.set(`runningVar${l}`, { rows: n, cols: 1, data: new Float64Array(n).fill(1) });
  }
}
