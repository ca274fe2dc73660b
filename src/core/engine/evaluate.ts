/**
 * Accuracy and labels from the output layer's activations, as the course computes them:
 * binary outputs are 1 when a > 0.5 (predict: `p = (AL > 0.5)`), softmax outputs take the most
 * probable class per column (ties: the first, like np.argmax). mse networks have no accuracy.
 */
import type { Loss } from '../format/types';
import type { Matrix } from '../matrix';

/** True when the network's outputs are class scores whose accuracy means something. */
export function hasAccuracy(loss: Loss): boolean {
  return loss !== 'mse';
}

/** Index of the largest entry of column j (the first on ties, like np.argmax). */
export function argmaxColumn(M: Matrix, j: number): number {
  let best = 0;
  let max = M.data[j];
  for (let i = 1; i < M.rows; i++) {
    const v = M.data[i * M.cols + j];
    if (v > max) {
      max = v;
      best = i;
    }
  }
  return best;
}

/**
 * Fraction (0..1) of correct predictions. Binary (one output row): (AL > 0.5) == Y per column;
 * several sigmoid rows (multi-label): per entry; categorical: argmax(AL) == argmax(Y) per column.
 */
export function accuracy(AL: Matrix, Y: Matrix, loss: Loss): number | undefined {
  const m = AL.cols;
  if (m === 0 || !hasAccuracy(loss)) return undefined;
  let correct = 0;
  if (loss === 'categorical-cross-entropy' && AL.rows > 1) {
    for (let j = 0; j < m; j++) if (argmaxColumn(AL, j) === argmaxColumn(Y, j)) correct++;
    return correct / m;
  }
  const a = AL.data;
  const y = Y.data;
  for (let i = 0; i < a.length; i++) if ((a[i] > 0.5 ? 1 : 0) === (y[i] > 0.5 ? 1 : 0)) correct++;
  return correct / a.length;
}
