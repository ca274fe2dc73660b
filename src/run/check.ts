/**
 * Course 2's gradient check of a loaded .dnn.json at its starting parameters, for `dnn gradcheck`
 * and the editor's Gradient Check. The caller picks the examples (see `spreadColumns`,
 * `firstColumns`) and the kernels.
 */
import { gradientCheck, type GradCheckOptions, type GradCheckResult } from '../core/engine/gradcheck';
import type { Parameters } from '../core/engine/types';
import type { Kernels } from '../core/kernels/types';
import { zeros, type Matrix } from '../core/matrix';
import type { LoadedRun } from './load';
import { engineProblem, type Outcome } from './problems';
import { startingParameters } from './train';

export interface GradientCheckRunOptions extends Omit<GradCheckOptions, 'kernels'> {
  kernels: Kernels;
  /** Which training examples to check on: (X, Y) -> a few of their columns. */
  pick: (X: Matrix, Y: Matrix) => { X: Matrix; Y: Matrix };
}

export interface CheckedGradients {
  result: GradCheckResult;
  parameters: Parameters;
  /** The number of examples checked on. */
  m: number;
}

export async function gradientCheckRun(run: LoadedRun, options: GradientCheckRunOptions): Promise<Outcome<CheckedGradients>> {
  const start = await startingParameters(run, options.kernels);
  if (!start.ok) return start;
  const { X, Y } = options.pick(run.dataset.train.X, run.dataset.train.Y);
  const { pick: _pick, ...checkOptions } = options;
  try {
    return { ok: true, result: gradientCheck(run.spec, start.parameters, X, Y, checkOptions), parameters: start.parameters, m: X.cols };
  } catch (e) {
    return { ok: false, problems: [engineProblem(run.checked, e)] };
  }
}

/**
 * m columns of M spread evenly over it (j * floor(cols / m)): data files are often sorted by class,
 * so the first columns would all be one class (planar's first points even sit at the origin).
 */
export function spreadColumns(M: Matrix, m: number): Matrix {
  if (m >= M.cols) return M;
  const step = Math.floor(M.cols / m);
  const out = zeros(M.rows, m);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < m; j++) out.data[i * m + j] = M.data[i * M.cols + j * step];
  return out;
}

/** The first m columns of M (all of them when it has fewer). */
export function firstColumns(M: Matrix, m: number): Matrix {
  const k = Math.min(m, M.cols);
  const out = zeros(M.rows, k);
  for (let i = 0; i < M.rows; i++) out.data.set(M.data.subarray(i * M.cols, i * M.cols + k), i * k);
  return out;
}
