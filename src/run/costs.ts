/**
 * A run's costs as CSV, the one format every entry point writes: `dnn train --costs` and the
 * training page's "Export CSV" when the editor still has the run's costs. A module of its own so
 * the extension host can write it without loading the engine.
 */

/**
 * "iteration,cost" and one row per iteration at full double precision (17 significant digits, as
 * numpy's '%.17g'): row i is the cost computed in iteration i, before its update.
 */
export function costsCsv(costs: ArrayLike<number>): string {
  let csv = 'iteration,cost\n';
  // An infinite cost is written "inf", as numpy's savetxt does (and float() reads back).
  for (let i = 0; i < costs.length; i++) csv += `${i},${Number.isFinite(costs[i]) ? costs[i].toPrecision(17) : String(costs[i]).replace('Infinity', 'inf').replace('NaN', 'nan')}\n`;
  return csv;
}
