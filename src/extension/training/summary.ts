/**
 * The notification a run's end gets when its panel was closed mid-run: the result in one line,
 * since the chart that would have shown it is gone. Plain strings, so Node tests run it.
 */
import type { RunSummary } from '../../protocol';

/** The button that opens the panel again. */
export const SHOW_PANEL = 'Show Panel';

/** "DNN: planar.dnn.json trained: 10,000 iterations, final cost 0.0123, train accuracy 90.5%; parameters saved to planar.params.json". */
export function closedPanelNotice(name: string, s: RunSummary, paramsName?: string): string {
  const what = s.status === 'done' ? 'trained' : s.status === 'aborted' ? 'stopped' : s.status;
  const parts = [`${s.iterationsRun.toLocaleString('en-US')} iterations`, `final cost ${s.finalCost === null ? 'not finite' : String(Number(s.finalCost.toPrecision(6)))}`];
  const pct = (v: number) => `${Number((v * 100).toFixed(2))}%`;
  if (typeof s.trainAccuracy === 'number') parts.push(`train accuracy ${pct(s.trainAccuracy)}`);
  if (typeof s.devAccuracy === 'number') parts.push(`dev accuracy ${pct(s.devAccuracy)}`);
  const saved = s.paramsPath ? `; parameters saved to ${paramsName ?? s.paramsPath}` : '';
  return `DNN: ${name} ${what}: ${parts.join(', ')}${saved}${s.message ? `. ${s.message}` : ''}`;
}
