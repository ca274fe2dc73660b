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
  for (let i = 0; i < costs.length; i++) csv += `${i},${costs[i].toPrecision(17)}\n`;
  return csv;
}

/**
 * The course's printout line for one iteration, as `dnn train` prints it and the editor's output
 * channel repeats it: "Cost after iteration 1000: 0.288083" (6 decimals).
 */
export function costLine(iteration: number, cost: number): string {
  return `Cost after iteration ${iteration}: ${Number.isFinite(cost) ? cost.toFixed(6) : String(cost)}`;
}
