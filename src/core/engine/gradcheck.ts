/**
 * Gradient checking (course 2, week 1, gradient_check_n): put every parameter in one vector θ in
 * the course's order (W1 row-major, b1, W2, ...), estimate each derivative by two-sided
 * differences (J(θ + ε) − J(θ − ε)) / 2ε, and compare with backpropagation's:
 *
 *   difference = ‖dθ − dθapprox‖ / (‖dθ‖ + ‖dθapprox‖), passing below 2e-7.
 *
 * Dropout is off (its random masks would change J between the two evaluations); L2 is included.
 * A failure names the worst entries by parameter and (row, col), like minitorch's grad_check.
 *
 * Kinks: relu and leaky relu have no derivative at z = 0. When θ ± ε moves some entry of a
 * layer's pre-activation Z from one side of 0 to the other (or onto it), the two-sided difference
 * averages two slopes and disagrees with a correct backward pass (inputs or biases of exactly 0
 * put Z right at the kink). Max pooling has kinks too: where a window's maximum changes hands, and
 * at a tie the parameter moves (the course's mask passes the gradient to every tied entry). Such
 * entries are left out of the comparison and counted, and the reason names the layers; the probes
 * are each layer's Z and, in a conv network, each max-pool's windows (convnet.ts `kinkProbes`).
 */
import type { Kernels } from '../kernels/types';
import type { Activation, Spec } from '../format/types';
import { costOf, createWorkspace, gradientsByKey, lModelBackward, lModelForward } from './model';
import type { Matrix } from '../matrix';
import { activationProbe, kinkProbes } from './convnet';
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

/** The difference of one layer's parameters (W[l], b[l], gamma[l], beta[l]) alone. */
export interface LayerDifference {
  /** l, 1-based. */
  layer: number;
  difference: number;
  checked: number;
  /** Entries left out because their ±ε crossed a kink. */
  excluded: number;
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
  /** Entries evaluated but left out of the comparison: their ±ε crossed a kink (see above). */
  excluded: number;
  /** Why they were left out, when any were: a sentence naming the layers. */
  excludedReason?: string;
  /** The difference per layer, over the entries compared. */
  layers: LayerDifference[];
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
  // What can cross a kink: the pre-activations of layers with relu or leaky relu, and in a conv
  // network each max-pool window's maximum. A signature is read after each of the two passes.
  const probes = ws.graph
    ? kinkProbes(ws.graph, kinkSide)
    : net.layers.flatMap((layer, i) => {
        const side = kinkSide(layer.activation);
        if (!side) return [];
        const cache = ws.caches[i];
        const Z = cache.bn ? cache.bn.Ztilde : cache.Z;
        return [activationProbe(i + 1, layer.activation, Z, side)];
      });

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

  const all = new Sums();
  const byLayer = new Map<number, Sums>();
  const crossedIn = new Set<string>();
  let excluded = 0;
  const entries: (GradCheckEntry & { gap: number })[] = [];
  for (const key of keys) {
    const theta = parameters.get(key)!;
    const analytic = analyticOf.get(key)!;
    const step = strideOf(key, theta);
    const layer = Number(/\d+$/.exec(key)![0]);
    if (!byLayer.has(layer)) byLayer.set(layer, new Sums());
    const sums = byLayer.get(layer)!;
    for (let k = 0; k < theta.data.length; k += step) {
      const saved = theta.data[k];
      theta.data[k] = saved + epsilon;
      const Jplus = J();
      const plus = probes.map((p) => p.signature());
      theta.data[k] = saved - epsilon;
      const Jminus = J();
      theta.data[k] = saved;
      const crossed = probes.filter((p, i) => p.crosses(plus[i], p.signature()));
      if (crossed.length > 0) {
        excluded++;
        sums.excluded++;
        for (const p of crossed) crossedIn.add(p.what);
        continue;
      }
      const numeric = (Jplus - Jminus) / (2 * epsilon);
      const a = analytic[k];
      all.add(a, numeric);
      sums.add(a, numeric);
      entries.push({ name: key, row: Math.floor(k / theta.cols), col: k % theta.cols, analytic: a, numeric, gap: Math.abs(a - numeric) });
    }
  }
  const difference = all.difference();
  entries.sort((p, q) => q.gap - p.gap);
  const worst = entries.slice(0, options.report ?? 5).map(({ gap: _gap, ...e }) => e);
  const layers = [...byLayer].map(([layer, s]) => ({ layer, difference: s.difference(), checked: s.checked, excluded: s.excluded }));
  const result: GradCheckResult = { difference, passed: difference < threshold, threshold, epsilon, cost, checked: all.checked, total, excluded, layers, worst };
  if (excluded > 0) {
    const named = (kind: 'activation' | 'pool'): string => probes.filter((p) => p.kind === kind && crossedIn.has(p.what)).map((p) => p.what).join(', ');
    const parts = [
      named('activation') && `some entry of ${named('activation')} across the kink at 0`,
      named('pool') && `the maximum of some window of ${named('pool')} to another entry or onto a tie`,
    ].filter(Boolean);
    result.excludedReason = `their ±ε moved ${parts.join(', and ')}, where the derivative does not exist and the two-sided difference averages two slopes`;
  }
  return result;
}

/** Running sums of one comparison: ‖dθ − dθapprox‖, ‖dθ‖, ‖dθapprox‖ squared, and the counts. */
class Sums {
  num2 = 0;
  grad2 = 0;
  approx2 = 0;
  checked = 0;
  excluded = 0;

  add(analytic: number, numeric: number): void {
    this.num2 += (analytic - numeric) ** 2;
    this.grad2 += analytic * analytic;
    this.approx2 += numeric * numeric;
    this.checked++;
  }

  difference(): number {
    const denominator = Math.sqrt(this.grad2) + Math.sqrt(this.approx2);
    // All-zero gradients (e.g. zero init of a single layer) agree exactly: difference 0, not NaN.
    return denominator === 0 ? 0 : Math.sqrt(this.num2) / denominator;
  }
}

/**
 * Which side of g's kink z lies on: -1, 0 (on it) or 1, for an activation with a kink (relu and
 * leaky relu, at 0); undefined for a smooth one.
 */
export function kinkSide(activation: Activation): ((z: number) => number) | undefined {
  return activation === 'relu' || activation === 'leaky-relu' ? (z) => (z > 0 ? 1 : z < 0 ? -1 : 0) : undefined;
}

/**
 * True when some entry of a pre-activation Z lies on different sides of the kink at θ + ε
 * (`plus`) and at θ − ε (`minus`): the two-sided difference then spans the kink.
 */
export function crossesKink(side: (z: number) => number, plus: Float64Array, minus: Float64Array): boolean {
  for (let k = 0; k < plus.length; k++) if (side(plus[k]) !== side(minus[k])) return true;
  return false;
}
