/**
 * What the training page's exports write, without 'vscode': the CSV of a run (every iteration's
 * exact cost when the extension still has them, with the page's dev cost and accuracies where they
 * were measured, and what changed mid-run) and the PNG's bytes.
 */
import { tuningText, type Tuning } from '../../protocol';
import { costsCsv } from '../../run/costs';

/** The page's CSV header: iteration, cost, dev cost and the accuracies (fractions). */
const PAGE_HEADER = 'iteration,cost,dev_cost,train_accuracy,dev_accuracy';

/**
 * One row per iteration with the exact cost (17 significant digits, as `dnn train --costs`), and
 * the page's other columns at the iterations it sampled (empty elsewhere). Without exact costs,
 * the page's CSV as it is; a page CSV of another form is ignored (the exact costs alone).
 */
export function runCsv(costs: ArrayLike<number> | undefined, pageCsv: string, tunes: readonly ({ iteration: number } & Tuning)[] = []): string {
  if (!costs) return pageCsv;
  if (tunes.length > 0) return withChanges(runCsv(costs, pageCsv), tunes);
  const lines = pageCsv.split(/\r?\n/);
  if (lines[0] !== PAGE_HEADER) return costsCsv(costs);
  const extra = new Map<number, string>();
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    if (cells.length !== 5 || !/^\d+$/.test(cells[0])) continue;
    extra.set(Number(cells[0]), cells.slice(2).join(','));
  }
  let csv = `${PAGE_HEADER}\n`;
  for (let i = 0; i < costs.length; i++) {
    const c = costs[i];
    csv += `${i},${Number.isFinite(c) ? c.toPrecision(17) : ''},${extra.get(i) ?? ',,'}\n`;
  }
  return csv;
}

/**
 * A last column, `changed`, for a run whose α or optimiser settings changed mid-run: at the first
 * iteration that stepped with them, what they became ("α=0.3 β=0.5"; spaces, not commas).
 */
function withChanges(csv: string, tunes: readonly ({ iteration: number } & Tuning)[]): string {
  const at = new Map<number, string>();
  for (const { iteration, ...t } of tunes) at.set(iteration, [at.get(iteration), tuningText(t).replaceAll(', ', ' ')].filter(Boolean).join(' '));
  const lines = csv.trimEnd().split('\n');
  const iterationOf = (line: string) => Number(line.slice(0, line.indexOf(',')));
  return lines.map((line, k) => (k === 0 ? `${line},changed` : `${line},${at.get(iterationOf(line)) ?? ''}`)).join('\n') + '\n';
}
