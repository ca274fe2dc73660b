/** Class labels as the network's Y: a 0/1 row for a sigmoid output, one-hot columns for softmax. */
import type { Matrix } from '../matrix';

/**
 * Y for class indices: (1, m) of 0/1 when there are 2 classes and one output unit, otherwise
 * one-hot (k, m) with Y[c, i] = 1 where labels[i] = c. `outputUnits` (n[L]) chooses between the
 * two for 2 classes; by default 2 classes give the course's single row.
 */
export function encodeLabels(labels: Int32Array, classes: number, outputUnits?: number): Matrix {
  const m = labels.length;
  const oneHot = classes > 2 || (outputUnits !== undefined && outputUnits === classes);
  if (!oneHot) {
    const Y: Matrix = { rows: 1, cols: m, data: new Float64Array(m) };
    for (let i = 0; i < m; i++) Y.data[i] = labels[i];
    return Y;
  }
  const Y: Matrix = { rows: classes, cols: m, data: new Float64Array(classes * m) };
  for (let i = 0; i < m; i++) Y.data[labels[i] * m + i] = 1;
  return Y;
}
