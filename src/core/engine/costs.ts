/**
 * The costs J(AL, Y) and the gradient that starts backpropagation, side by side.
 *
 * AL and Y are (n[L], m). Every cost is an average over the m examples (columns); with several
 * output rows the per-example loss sums over the rows. Sums use numpy's pairwise order (sum.ts).
 *
 * mse is J = 1/(2m) · ΣΣ (AL − Y)², so that its gradient dAL = AL − Y has the same form as the
 * other two costs' dZ (the 1/m is applied in linearBackward, as the course does for dW and db).
 */
import type { Activation, Loss } from '../format/types';
import type { Kernels } from '../kernels/types';
import type { Matrix } from '../matrix';
import { pairwiseSumOfSquares } from '../kernels/sum';

/**
 * compute_cost. `scratch` is an (n[L], m) buffer for the per-entry losses, so the cost allocates
 * nothing.
 */
export function computeCost(AL: Matrix, Y: Matrix, loss: Loss, scratch: Matrix, kernels: Kernels): number {
  const a = AL.data;
  const y = Y.data;
  const t = scratch.data;
  const len = a.length;
  const m = AL.cols;
  switch (loss) {
    case 'binary-cross-entropy':
      // cost = (-1/m) * np.nansum(Y*np.log(AL) + (1-Y)*np.log(1-AL)), course 2's compute_cost.
      // The WebAssembly kernels take the logs two at a time (within 1 ulp of Math.log).
      kernels.crossEntropyTerms(AL, Y, scratch);
      return (-1 / m) * nansum(t, len, kernels);
    case 'categorical-cross-entropy':
      // cost = (-1/m) * np.sum(Y * np.log(AL)); entries with y = 0 add 0 (0 * log(0) would be NaN).
      for (let i = 0; i < len; i++) t[i] = y[i] === 0 ? 0 : y[i] * Math.log(a[i]);
      return (-1 / m) * kernels.pairwiseSum(t, 0, len);
    case 'mse':
      for (let i = 0; i < len; i++) {
        const d = a[i] - y[i];
        t[i] = d * d;
      }
      return (1 / (2 * m)) * kernels.pairwiseSum(t, 0, len);
  }
}

/**
 * True when the output activation and the cost simplify to dZ[L] = AL − Y: sigmoid with binary
 * cross-entropy (the week 3 notebook's dZ2 = A2 - Y), softmax with categorical cross-entropy,
 * linear with mse. It equals the course's dAL pushed through the activation's backward, without
 * dividing by AL(1 − AL), which is 0 once the output saturates.
 */
export function outputDzIsResidual(activation: Activation, loss: Loss): boolean {
  return (
    (activation === 'sigmoid' && loss === 'binary-cross-entropy') ||
    (activation === 'softmax' && loss === 'categorical-cross-entropy') ||
    (activation === 'linear' && loss === 'mse')
  );
}

/**
 * np.nansum of the first len entries: NaN entries count as 0, then numpy's pairwise sum. The
 * course's compute_cost (course 2) sums with nansum, so an output of exactly 1 with label 1 adds
 * 1·log(1) + 0·log(0) = 0 instead of NaN, while an output of exactly 1 with label 0 still adds
 * log(0) = −inf: the cost is then inf, as the notebook prints it. The pass that clears NaN runs
 * only when the plain sum is NaN, so a healthy cost costs nothing more.
 */
export function nansum(t: Float64Array, len: number, kernels: Kernels): number {
  const sum = kernels.pairwiseSum(t, 0, len);
  if (!Number.isNaN(sum)) return sum;
  for (let i = 0; i < len; i++) if (Number.isNaN(t[i])) t[i] = 0;
  return kernels.pairwiseSum(t, 0, len);
}

/** dZ[L] = AL − Y (see outputDzIsResidual). */
export function residual(AL: Matrix, Y: Matrix, dZ: Matrix): void {
  const a = AL.data;
  const y = Y.data;
  const dz = dZ.data;
  for (let i = 0; i < a.length; i++) dz[i] = a[i] - y[i];
}

/** dAL = ∂J/∂AL per example (the 1/m comes later): the derivative of each cost above. */
export function costBackward(AL: Matrix, Y: Matrix, loss: Loss, dAL: Matrix): void {
  const a = AL.data;
  const y = Y.data;
  const d = dAL.data;
  switch (loss) {
    case 'binary-cross-entropy':
      // dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)), the course's L_model_backward.
      for (let i = 0; i < a.length; i++) d[i] = -(y[i] / a[i] - (1 - y[i]) / (1 - a[i]));
      return;
    case 'categorical-cross-entropy':
      for (let i = 0; i < a.length; i++) d[i] = y[i] === 0 ? 0 : -y[i] / a[i];
      return;
    case 'mse':
      for (let i = 0; i < a.length; i++) d[i] = a[i] - y[i];
      return;
  }
}

/** The L2 part of the cost: (1/m) * (lambd/2) * Σ_l sum(W[l]²), as course 2's regularisation notebook. */
export function l2Cost(Ws: readonly Matrix[], lambd: number, m: number): number {
  if (lambd === 0) return 0;
  let total = 0;
  for (const W of Ws) {
    // np.sum(np.square(W)) over a contiguous array: pairwise, computed without a temporary.
    total += pairwiseSumOfSquares(W.data, 0, W.data.length);
  }
  return (1 / m) * (lambd / 2) * total;
}
