/**
 * The training page inside the webview: live cost and accuracy charts (chart.js), the decision
 * boundary of 2-D inputs, run controls, overrides for the next run, run history and exports.
 *
 * This file only wires the pieces together. It talks to the extension only through the messages
 * of src/protocol.ts: it posts `ready` once its listener is attached, then feeds what arrives to
 * `reduce` (state.ts) and redraws from the new state: the curves (curves.ts, charts.ts), the
 * controls and stats (controls.ts), the boundary (boundary.ts). Every sample of the current run is
 * kept, but at most MAX_POINTS per curve are drawn, at most ~10 times a second, so a
 * 100,000-iteration run costs the same per frame as a 1,000-iteration one. The state (runs,
 * toggles, inputs) is saved with vscode.setState so the panel comes back after being hidden or
 * after a reload. Messages from the extension are validated (isExtensionToWebview) before use;
 * what only the tests need goes through the debug channel (debug.ts), off in production.
 */
import { isExtensionToWebview, type PointPredictionMessage, type RunSettings, type WebviewToExtension } from '../src/protocol';
import { dataAt, drawBoundary, legendItems, type LegendItem } from './boundary';
import { chartsPng, createCharts, drawCurves, themeCharts } from './charts';
import { bindControls, readInputs, renderControls, renderStats, writeInputs } from './controls';
import { curves } from './curves';
import { picturesTitle, pngCaption, pointText } from './format';
import { drawConfusion, drawPictures } from './pictures';
import { pageDebug } from './debug';
import { buildLayout } from './layout';
import { parseOverrides } from './overrides';
import { fromPageState, toPageState } from './saved';
import { currentRun, initialState, reduce, type Action, type PageModel } from './state';
import { readTheme } from './theme';
import './style.css';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Redraws per second at most while samples stream in. */
const RENDER_INTERVAL_MS = 100;
/** State saves per second at most (setState serialises everything). */
const SAVE_INTERVAL_MS = 1000;

const vscode = acquireVsCodeApi();
function post(message: WebviewToExtension): void {
  vscode.postMessage(message);
}

const layout = buildLayout();
const charts = createCharts(layout.costCanvas, layout.accuracyCanvas);
let theme = readTheme();
let state: PageModel = initialState();
// Test-only reports and hooks; does nothing unless the panel turned the debug channel on.
const debug = pageDebug((m) => vscode.postMessage(m), charts, () => state);

const restored = fromPageState(vscode.getState());
if (restored) {
  state = restored.state;
  writeInputs(layout, restored.inputs);
}

function dispatch(action: Action, saveNow = false): void {
  const next = reduce(state, action);
  if (next === state) return;
  state = next;
  if (saveNow) scheduleSave(true);
  scheduleRender();
}

// ---------------------------------------------------------------------------------------------
// Render loop: samples arrive in bursts; drawing is coalesced to at most one frame per interval.

let renderPending = false;
let lastRenderAt = 0;
/** The boundaryVersion last painted; -1 repaints on the next frame (theme or size changed). */
let boundaryDrawn = -1;
/** The pictures last painted (the current run's); undefined repaints them on the next frame. */
let picturesDrawn: unknown;
let images = { pictures: 0, confusionClasses: 0 };

function scheduleRender(): void {
  if (renderPending) return;
  renderPending = true;
  const wait = Math.max(0, RENDER_INTERVAL_MS - (performance.now() - lastRenderAt));
  setTimeout(() => {
    renderPending = false;
    lastRenderAt = performance.now();
    renderNow();
  }, wait);
}

function renderNow(): void {
  const drawn = curves(state, theme);
  drawCurves(charts, drawn, state.log);
  renderStats(layout, state);
  renderControls(layout, state);
  if (boundaryDrawn !== state.boundaryVersion) {
    boundaryDrawn = state.boundaryVersion;
    if (state.twoD) {
      drawBoundary(layout.boundaryCanvas, state.points, state.grid, boundaryColors());
      renderLegend();
    }
  }
  renderPictures();
  debug.drawn(state, drawn.drawnPoints, images);
  scheduleSave();
}

/** The current run's pictures and confusion matrix, repainted only when they changed. */
function renderPictures(): void {
  const samples = currentRun(state)?.pictures;
  if (picturesDrawn === samples) return;
  picturesDrawn = samples;
  layout.picturesPane.hidden = !samples;
  if (!samples) {
    images = { pictures: 0, confusionClasses: 0 };
    return;
  }
  layout.picturesTitle.textContent = picturesTitle(samples);
  const colors = { foreground: theme.foreground, background: theme.background, wrong: theme.classes[0], accent: theme.classes[1], font: theme.font };
  const pictures = drawPictures(layout.picturesCanvas, samples, colors);
  const confusionClasses = drawConfusion(layout.confusionCanvas, samples, colors);
  const right = samples.confusion.filter((_, i) => i % (samples.classNames.length + 1) === 0).reduce((a, b) => a + b, 0);
  layout.confusionNote.textContent = `Rows: true class; columns: predicted. ${right} of ${samples.total} on the diagonal.`;
  images = { pictures, confusionClasses };
}

function boundaryColors() {
  return { classes: theme.classes, foreground: theme.foreground, background: theme.background, font: theme.font };
}

/** Which colour is which class, train dots against dev diamonds, and the contour. */
function renderLegend(): void {
  const p = state.points;
  if (!p) {
    layout.boundaryLegend.replaceChildren();
    return;
  }
  const classOf: Record<LegendItem['mark'], string> = { dot: 'dot', plain: 'dot plain', diamond: 'diamond', line: 'line' };
  const items = legendItems(p, state.grid, theme.classes, theme.foreground).map((it) => {
    const span = document.createElement('span');
    span.className = 'item';
    const mark = document.createElement('i');
    mark.className = classOf[it.mark];
    mark.style.setProperty('--mark', `rgb(${it.color[0]}, ${it.color[1]}, ${it.color[2]})`);
    span.append(mark, it.text);
    return span;
  });
  layout.boundaryLegend.replaceChildren(...items);
}

// Clicking the plot says what the network predicts there: the extension runs the forward pass
// with the run's latest parameters (the drawn grid is only an approximation between its cells).
let pointRequest = 0;
layout.boundaryCanvas.addEventListener('click', (e: MouseEvent) => {
  const r = layout.boundaryCanvas.getBoundingClientRect();
  const at = dataAt(layout.boundaryCanvas, state.points, state.grid, e.clientX - r.left, e.clientY - r.top);
  if (!at) {
    layout.pointNote.textContent = '';
    return;
  }
  pointRequest += 1;
  layout.pointNote.textContent = `${pointText(at.x, at.y, undefined)} …`;
  post({ type: 'predictPoint', requestId: pointRequest, x: at.x, y: at.y });
});

/** The extension's answer to the latest click (an older click's answer is dropped). */
function showPoint(m: PointPredictionMessage): void {
  if (m.requestId !== pointRequest) return;
  layout.pointNote.textContent = m.error !== undefined || m.kind === undefined || m.value === undefined ? `${pointText(m.x, m.y, undefined)}: ${m.error ?? 'no answer'}.` : pointText(m.x, m.y, m.value, m.kind);
}

// ---------------------------------------------------------------------------------------------
// Saved state

let saveTimer: ReturnType<typeof setTimeout> | undefined;

function scheduleSave(immediate = false): void {
  if (immediate) {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    saveState();
    return;
  }
  if (saveTimer) return;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    saveState();
  }, SAVE_INTERVAL_MS);
}

function saveState(): void {
  vscode.setState(toPageState(state, readInputs(layout)));
}

// ---------------------------------------------------------------------------------------------
// Events

/**
 * A run started with other settings than the boxes hold (the Train command, or the file edited):
 * the boxes forget what they held, so their placeholders show the file's settings and they never
 * show an old run's 2000000 next to a 10,000-iteration run.
 */
function followRun(settings: RunSettings): void {
  const inputs = readInputs(layout);
  const parsed = parseOverrides(inputs).overrides ?? {};
  const next = {
    learningRate: parsed.learningRate === settings.learningRate ? inputs.learningRate : '',
    iterations: parsed.iterations === settings.iterations ? inputs.iterations : '',
    optimizer: parsed.optimizer === settings.optimizer ? inputs.optimizer : '',
  };
  writeInputs(layout, next);
}

bindControls(layout, {
  state: () => state,
  post,
  dispatch,
  inputsChanged() {
    renderControls(layout, state);
    scheduleSave();
  },
  png: () =>
    debug.exported(
      chartsPng(charts, state.twoD ? layout.boundaryCanvas : undefined, theme, pngCaption(state), legendItems(state.points, state.grid, theme.classes, theme.foreground), (dpr) =>
        drawBoundary(layout.boundaryCanvas, state.points, state.grid, boundaryColors(), dpr),
      ),
    ),
});

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as unknown;
  if (!isExtensionToWebview(message)) {
    // A malformed message, or one of a newer extension talking to an older page: dropped, so
    // nothing the page cannot read (an accuracy in percent, a missing field) reaches the charts.
    console.warn('DNN training page: ignored a malformed message', message);
    return;
  }
  if (message.type === 'runStarted') followRun(message.settings);
  if (message.type === 'pointPrediction') showPoint(message);
  // The run's outcome is saved at once: a panel closed right after must still show it.
  dispatch(message, message.type === 'runEnded');
});

// Theme switches change the body's class and the --vscode-* variables: re-read and redraw.
new MutationObserver(() => {
  theme = readTheme();
  themeCharts(charts, theme);
  boundaryDrawn = -1;
  picturesDrawn = undefined;
  scheduleRender();
}).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
new ResizeObserver(() => {
  boundaryDrawn = -1;
  scheduleRender();
}).observe(layout.boundaryCanvas);
// The grid's pictures per row follow the panel's width.
new ResizeObserver(() => {
  picturesDrawn = undefined;
  scheduleRender();
}).observe(layout.picturesPane);

themeCharts(charts, theme);
post({ type: 'ready' });
// The speed chosen on this page before a reload holds for its next runs.
if (state.pace > 0) post({ type: 'tune', pace: state.pace });
renderNow();
