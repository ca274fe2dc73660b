/**
 * The cost lines a run prints, as the course's notebooks print them, in one place for `dnn train`
 * and the editor's output channel: "Cost after iteration i: c" for full-batch training, "Cost
 * after epoch i: c" with mini-batches (course 2's optimisation notebook), c with six decimals
 * ("%f", the default) or at full precision as Python prints a float (course 2, week 1).
 */
import type { Spec } from '../core/format/types';

/** Decimals, or 'full': Python's repr of the float (the shortest text that reads back the same). */
export type Precision = number | 'full';

/**
 * A cost as Python prints it: "%.{p}f" % cost, or repr(cost) for 'full'; inf and nan as Python
 * writes them ("inf", "nan"), since an infinite cost is a result the course prints too.
 */
export function formatCost(cost: number, precision: Precision): string {
  if (Number.isNaN(cost)) return 'nan';
  if (!Number.isFinite(cost)) return cost > 0 ? 'inf' : '-inf';
  return precision === 'full' ? pythonRepr(cost) : cost.toFixed(precision);
}

/**
 * Python's float repr: the shortest round-tripping digits (which JavaScript's String gives too),
 * written in exponent form when the exponent is below -4 or at least 16 ("1e-05", "1e+16"), and
 * always with a ".0" or a fraction otherwise ("1.0", "0.5").
 */
export function pythonRepr(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = x.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    const sign = e < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const plain = x.toFixed(Math.max(0, (mantissa.replace('-', '').replace('.', '').length - 1) - e));
  return plain.includes('.') ? plain : `${plain}.0`;
}

/** Whether the run trains on mini-batches: its "iterations" are then epochs. */
export function usesMiniBatches(spec: Spec, m: number): boolean {
  const b = spec.training.batchSize;
  return b !== null && b < m;
}

/** "Cost after iteration 1000: 0.288083", or "Cost after epoch 1000: ..." with mini-batches. */
export function progressLine(iteration: number, cost: number, options: { miniBatches: boolean; precision: Precision }): string {
  return `Cost after ${options.miniBatches ? 'epoch' : 'iteration'} ${iteration}: ${formatCost(cost, options.precision)}`;
}
