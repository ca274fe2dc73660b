/**
 * The curves the two charts draw, worked out from the state: which lines, their labels, colours,
 * dashes and decimated points. Pure (charts.ts hands the result to chart.js), so Node tests check
 * what a user sees on the charts without a browser.
 */
import type { Column, XY } from './decimate';
import { minMaxIndices } from './decimate';
import { tuningText } from '../src/protocol';
import { count } from './format';
import { currentRun, MAX_POINTS, runName, type PageModel, type Run } from './state';

/** The colours the curves use, from the theme. */
export interface CurvePalette {
  cost: string;
  devCost: string;
  trainAcc: string;
  devAcc: string;
  /** Earlier runs, most recent first. */
  history: string[];
}

export interface Curve {
  label: string;
  color: string;
  data: XY[];
  /** Line dash pattern in pixels; [] for a solid line. */
  dash: number[];
  width: number;
  /** Drawn as separate markers (a learning-rate change), not as a line. */
  marker?: boolean;
}

export interface Curves {
  cost: Curve[];
  /** Accuracy curves in percent (the protocol's fractions times 100). */
  accuracy: Curve[];
  /** Where both x axes end: the current run's iteration count, so its curve fills the width. */
  xMax: number;
  /** Points on the current run's cost curve (reported to the tests in `rendered`). */
  drawnPoints: number;
  /** The x axes' title: "epoch" when the current run's iterations are epochs of mini-batches. */
  xTitle: string;
}

/**
 * Decimated points of one column of a run; `scale` turns fractions into percents. On a log axis a
 * value that is not positive is a gap, as a value that is not finite always is.
 */
function series(run: Run, col: Column, scale = 1, logScale = false): XY[] {
  const xs = run.samples.it.view();
  const ys = col.view();
  const out: XY[] = [];
  for (const i of minMaxIndices(ys, MAX_POINTS)) {
    const y = ys[i];
    out.push({ x: xs[i], y: Number.isFinite(y) && !(logScale && y <= 0) ? y * scale : null });
  }
  return out;
}

function hasAny(col: Column): boolean {
  const v = col.view();
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i])) return true;
  return false;
}

function curve(label: string, color: string, data: XY[], dash: number[] = [], width = 1.5): Curve {
  return { label, color, data, dash, width };
}

/** The cost at `iteration` on a run's samples (the nearest sample at or before it). */
function costAt(run: Run, iteration: number): number | null {
  const it = run.samples.it.view();
  const cost = run.samples.cost.view();
  let lo = 0;
  let hi = it.length - 1;
  if (hi < 0) return null;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (it[mid] <= iteration) lo = mid;
    else hi = mid - 1;
  }
  return Number.isFinite(cost[lo]) ? cost[lo] : null;
}

export function curves(state: PageModel, palette: CurvePalette): Curves {
  const runs = state.runs;
  const cur = currentRun(state);
  const cost: Curve[] = [];
  const accuracy: Curve[] = [];
  // Older runs first and faded, so the current run is drawn on top; the toggle hides them.
  if (state.history) {
    runs.slice(0, -1).forEach((r, k) => {
      const color = palette.history[(runs.length - 2 - k) % palette.history.length];
      cost.push(curve(runName(r), color, series(r, r.samples.cost, 1, state.log), [2, 3], 1.25));
    });
  }
  let drawnPoints = 0;
  if (cur) {
    const s = cur.samples;
    const costData = series(cur, s.cost, 1, state.log);
    drawnPoints = costData.length;
    cost.push(curve(`cost (${runName(cur)})`, palette.cost, costData, undefined, 2));
    // Dev lines: long dashes in their own colour, thicker than history's short dots.
    if (hasAny(s.devCost)) cost.push(curve('dev cost', palette.devCost, series(cur, s.devCost, 1, state.log), [10, 4], 2));
    for (const t of cur.tunes) {
      cost.push({ ...curve(`${tuningText(t)} from iteration ${count(t.iteration)}`, palette.cost, [{ x: t.iteration, y: costAt(cur, t.iteration) }]), marker: true });
    }
    if (hasAny(s.trainAcc)) accuracy.push(curve('train accuracy', palette.trainAcc, series(cur, s.trainAcc, 100)));
    if (hasAny(s.devAcc)) accuracy.push(curve('dev accuracy', palette.devAcc, series(cur, s.devAcc, 100), [10, 4], 2));
  }
  // The axis follows the current run (a 10,000-iteration run after a 2,000,000 one fills the
  // width); it ends at the iteration count, a round number, rather than at its last index.
  const xMax = Math.max(1, cur ? cur.total : 1);
  return { cost, accuracy, xMax, drawnPoints, xTitle: cur?.epochs ? 'epoch' : 'iteration' };
}
