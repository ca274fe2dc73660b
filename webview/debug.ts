/**
 * The page's end of the debug channel: test-only traffic, apart from the production messages.
 * It is on only when the panel's HTML carries the `DEBUG_META` tag, which the extension writes in
 * development and test mode (and the headless-browser harness always); otherwise `pageDebug`
 * returns a channel that does nothing, and the page posts nothing the tests alone need.
 *
 * When on, the page reports what it drew of the current run after each frame that changed it
 * (the editor tests wait for these reports), and exposes its charts and model as `window.__dnn`
 * for the headless-browser tests to read.
 */
import { DEBUG_META, type PageDebugMessage, type RenderedReport } from '../src/protocol';
import type { Charts, ExportedPng } from './charts';
import { currentRun, MAX_POINTS, type PageModel } from './state';

export interface PageDebug {
  /** After a frame: what the page shows of the current run, reported when it changed. */
  drawn(state: PageModel, drawnPoints: number, images?: { pictures: number; confusionClasses: number }): void;
  /** The PNG export: its data URL, passed through; its legend's box is kept as `__dnn.pngLegend`. */
  exported(png: ExportedPng): string;
}

const OFF: PageDebug = { drawn() {}, exported: (png) => png.dataUrl };

export function pageDebug(post: (message: PageDebugMessage) => void, charts: Charts, model: () => PageModel): PageDebug {
  if (document.querySelector(`meta[name="${DEBUG_META}"]`)?.getAttribute('content') !== 'on') return OFF;
  const exposed: Record<string, unknown> = {
    costChart: charts.cost,
    accChart: charts.accuracy,
    get model() {
      return model();
    },
    MAX_POINTS,
  };
  (window as unknown as { __dnn: unknown }).__dnn = exposed;
  let lastReported = '';
  // Frames that drew new samples of the current run: several for a run that visibly evolves.
  let framesOf = { runId: -1, received: 0, frames: 0 };
  return {
    exported(png) {
      exposed.pngLegend = png.legend;
      return png.dataUrl;
    },
    drawn(state, drawnPoints, images) {
      const cur = currentRun(state);
      if (!cur) return;
      const received = cur.samples.it.length;
      if (framesOf.runId !== cur.runId) framesOf = { runId: cur.runId, received: 0, frames: 0 };
      if (received > framesOf.received) framesOf = { ...framesOf, received, frames: framesOf.frames + 1 };
      const rendered: RenderedReport = {
        runId: cur.runId,
        received,
        points: drawnPoints,
        boundaries: state.boundaries,
        frames: framesOf.frames,
        twoD: state.twoD,
        ...(state.settings ? { fileLearningRate: state.settings.learningRate } : {}),
        markers: cur.tunes.length,
        ...(images && images.pictures > 0 ? images : {}),
      };
      const key = JSON.stringify(rendered);
      if (key === lastReported) return;
      lastReported = key;
      post({ type: 'debug', rendered });
    },
  };
}
