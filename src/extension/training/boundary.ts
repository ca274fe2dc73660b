/**
 * The decision-boundary plot of a 2-D input, computed in the training worker: the training
 * examples as dots, and the network's output over a grid of the plane around them.
 */
import type { Dataset } from '../../core/data/types';
import { predict } from '../../core/engine/predict';
import type { Parameters } from '../../core/engine/types';
import type { Spec } from '../../core/format/types';
import type { Kernels } from '../../core/kernels';
import { zeros, type Matrix } from '../../core/matrix';
import type { BoundaryGrid, ScatterData } from '../../protocol';

/** Class index of example j: the row of a one-hot column, or 0/1 of a single label row. */
function labelOf(Y: Matrix, j: number): number {
  if (Y.rows === 1) return Y.data[j] > 0.5 ? 1 : 0;
  let best = 0;
  for (let i = 1; i < Y.rows; i++) if (Y.data[i * Y.cols + j] > Y.data[best * Y.cols + j]) best = i;
  return best;
}

/** Up to 5,000 examples of a 2-D set as dots: x1, x2 and the class index. */
function dots(X: Matrix, Y: Matrix): { x: number[]; y: number[]; label: number[] } {
  const step = Math.max(1, Math.ceil(X.cols / 5000));
  const out = { x: [] as number[], y: [] as number[], label: [] as number[] };
  for (let j = 0; j < X.cols; j += step) {
    out.x.push(X.data[j]);
    out.y.push(X.data[X.cols + j]);
    out.label.push(labelOf(Y, j));
  }
  return out;
}

/** The training examples of a 2-D input as dots for the boundary plot, and the dev ones apart. */
export function scatterOf(dataset: Dataset): ScatterData | undefined {
  const { X, Y } = dataset.train;
  if (X.rows !== 2) return undefined;
  const dev = dataset.dev && dataset.dev.X.rows === 2 && dataset.dev.X.cols > 0 ? dots(dataset.dev.X, dataset.dev.Y) : undefined;
  return { ...dots(X, Y), classes: Math.max(2, Y.rows), ...(dev ? { dev } : {}) };
}

/**
 * The grid the boundary is drawn on: the course's plot_decision_boundary range (data min - 1 to
 * max + 1 on each axis), `n` x `n` cell centres as the columns of a (2, n*n) X, row j = 0 at the
 * bottom.
 */
export function gridOf(points: ScatterData, n: number): { X: Matrix; frame: Omit<BoundaryGrid, 'values' | 'kind'> } {
  const xMin = Math.min(...points.x) - 1;
  const xMax = Math.max(...points.x) + 1;
  const yMin = Math.min(...points.y) - 1;
  const yMax = Math.max(...points.y) + 1;
  const X = zeros(2, n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      X.data[j * n + i] = xMin + ((i + 0.5) * (xMax - xMin)) / n;
      X.data[n * n + j * n + i] = yMin + ((j + 0.5) * (yMax - yMin)) / n;
    }
  }
  return { X, frame: { xMin, xMax, yMin, yMax, nx: n, ny: n } };
}

/** The network's output on the grid: P(y = 1) for one sigmoid output, else the predicted class. */
export function boundaryOf(spec: Spec, parameters: Parameters, grid: ReturnType<typeof gridOf>, kernels: Kernels): BoundaryGrid {
  // The plain TypeScript products: a small grid, beside training's pinned WebAssembly memory.
  const p = predict(spec, parameters, grid.X, kernels);
  if (p.probabilities.rows === 1) {
    return { ...grid.frame, kind: 'probability', values: Array.from(p.probabilities.data) };
  }
  const values = p.labels ? Array.from(p.labels) : Array.from(p.probabilities.data.subarray(0, grid.X.cols));
  return { ...grid.frame, kind: 'class', values };
}
