/**
 * Gradient checking (course 2, week 1, gradient_check_n): put every parameter in one vector θ in
 * the course's order (W1 row-major, b1, W2, ...), estimate each derivative by two-sided
 * differences (J(θ + ε) − J(θ − ε)) / 2ε, and compare with backpropagation's:
 *
 *   difference = ‖dθ − dθapprox‖ / (‖dθ‖ + ‖dθapprox‖), passing below 2e-7.
 *
 * Dropout is off (its random masks would change J between the two evaluations); L2 is included.
 * A failure names the worst entries by parameter and (row, col), like minitorch's grad_check.
 */
import type { Kernels } from '../kernels/types';
import type { Spec } from '../format/types';
import { costOf, createWorkspace, gradientsByKey, lModelBackward, lModelForward } from './model';
import type { Matrix } from '../matrix';
import { EngineError, networkOf, parameterKeys } from './network';
import { validateParameters } from './params';
import type { Parameters } from './types';

export interface GradCheckEntry {
  /** "W2", "b1", ... */
  name: string;
  /** 0-based position in the matrix. */
  row: number;
  col: number;
  analytic: number;
  numeric: number;
}

export interface GradCheckResult {
  difference: number;
  passed: boolean;
  threshold: number;
  epsilon: number;
  /** J at θ (with L2, without dropout). */
  cost: number;
  /** Entries compared, and all the network has (fewer when `maxEntries` sampled them). */
  checked: number;
  total: number;
  /** The entries with the largest |analytic − numeric|, worst first. */
  worst: GradCheckEntry[];
}

export interface GradCheckOptions {
  epsilon?: number;
  threshold?: number;
  /** How many worst entries to report (default 5). */
  report?: number;
  /**
   * Check about this many entries at most (each costs two forward passes): every bias, gamma and
   * beta, and of each W[l] an equal share of the rest, taken with an even stride through it.
   * Default: all of them.
   */
  maxEntries?: number;
  /** Default: the spec's training.l2. */
  l2?: number;
  /** The kernel set the caller chose (the entry points choose; see src/node/kernels.ts). */
  kernels: Kernels;
}

export function gradientCheck(spec: Spec, parameters: Parameters, X: Matrix, Y: Matrix, options: GradCheckOptions): GradCheckResult {
  const epsilon = options.epsilon ?? 1e-7;
  const threshold = options.threshold ?? 2e-7;
  const l2 = options.l2 ?? spec.training.l2;
  const kernels = options.kernels;
  const net = networkOf(spec);
  const problems = validateParameters(net, parameters);
  if (problems.length > 0) throw new EngineError(`the parameters do not fit the network: ${problems.join('; ')}`);
  const ws = createWorkspace(net, parameters, X.cols, false);
  // Batch norm with this batch's statistics, as in training, but the running averages untouched.
  const pass = { keepProb: 1, l2, statistics: 'batch' as const, updateRunning: false };
  const J = (): number => {
    const [AL] = lModelForward(X, net, ws, kernels, pass);
    return costOf(AL, Y, net, ws, kernels, l2);
  };

  // Backpropagation's gradients at θ, copied out before the forward passes below overwrite them.
  const cost = J();
  lModelBackward(ws.caches[ws.caches.length - 1].A, Y, net, ws, kernels, pass);
  const keys = parameterKeys(net);
  const analyticOf = new Map<string, Float64Array>();
  for (const [key, g] of gradientsByKey(ws)) analyticOf.set(key, Float64Array.from(g.data));

  const total = keys.reduce((s, k) => s + parameters.get(k)!.data.length, 0);
  const weightKeys = keys.filter((k) => k[0] === 'W');
  const weights = weightKeys.reduce((s, k) => s + parameters.get(k)!.data.length, 0);
  const max = options.maxEntries ?? Infinity;
  // Biases (and gamma, beta) are few and always checked; each W gets an equal share of the rest,
  // so the small later layers are not drowned by W1 (245,760 of the cat network's 245,973).
  const share = total <= max ? Infinity : Math.max(1, Math.floor(Math.max(1, max - (total - weights)) / weightKeys.length));
  const strideOf = (key: string, M: Matrix): number => {
    if (key[0] !== 'W' || M.data.length <= share) return 1;
    let stride = Math.ceil(M.data.length / share);
    // A stride that is a multiple of the row length would stay in one column.
    if (M.cols > 1 && stride % M.cols === 0) stride++;
    return stride;
  };

  let num2 = 0;
  let grad2 = 0;
  let approx2 = 0;
  let checked = 0;
  const entries: (GradCheckEntry & { gap: number })[] = [];
  for (const key of keys) {
    const theta = parameters.get(key)!;
    const analytic = analyticOf.get(key)!;
    const step = strideOf(key, theta);
    for (let k = 0; k < theta.data.length; k += step) {
      const saved = theta.data[k];
      theta.data[k] = saved + epsilon;
      const Jplus = J();
      theta.data[k] = saved - epsilon;
      const Jminus = J();
      theta.data[k] = saved;
      const numeric = (Jplus - Jminus) / (2 * epsilon);
      const a = analytic[k];
      num2 += (a - numeric) ** 2;
      grad2 += a * a;
      approx2 += numeric * numeric;
      checked++;
      entries.push({ name: key, row: Math.floor(k / theta.cols), col: k % theta.cols, analytic: a, numeric, gap: Math.abs(a - numeric) });
    }
  }
  const denominator = Math.sqrt(grad2) + Math.sqrt(approx2);
  // All-zero gradients (e.g. zero init of a single layer) agree exactly: difference 0, not NaN.
  const difference = denominator === 0 ? 0 : Math.sqrt(num2) / denominator;
  entries.sort((p, q) => q.gap - p.gap);
  const worst = entries.slice(0, options.report ?? 5).map(({ gap: _gap, ...e }) => e);
  return { difference, passed: difference < threshold, threshold, epsilon, cost, checked, total, worst };
}
