/**
 * The training page inside the webview: live cost and accuracy charts (chart.js), the decision
 * boundary of 2-D inputs, run controls, overrides for the next run, run history and exports.
 *
 * It talks to the extension only through the messages of src/protocol.ts: it posts `ready` once
 * its listener is attached, then renders what arrives. It keeps every sample of the current run
 * (typed arrays) but draws at most MAX_POINTS per curve (min/max decimation, see decimate.ts),
 * streamed with chart.update('none') at most ~10 times a second, so a 100,000-iteration run costs
 * the same per frame as a 1,000-iteration one. Its state (runs, toggles, inputs) is saved with
 * vscode.setState so the panel comes back after being hidden or after a reload.
 */
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
  type ChartOptions,
} from 'chart.js';
import {
  assertNever,
  OPTIMIZER_CHOICES,
  type BoundaryGrid,
  type ExtensionToWebview,
  type OptimizerChoice,
  type ProgressPoint,
  type RunOverrides,
  type RunSettings,
  type RunSummary,
  type ScatterData,
  type WebviewToExtension,
} from '../src/protocol';
import { drawBoundary, type RGB } from './boundary';
import { Column, minMaxIndices, type XY } from './decimate';
import './style.css';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend);

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Points drawn per curve at most; beyond it the curve is min/max-decimated. */
export const MAX_POINTS = 2000;
/** Runs kept in the history (the current one included). */
const HISTORY = 5;
/** Redraws per second at most while samples stream in. */
const RENDER_INTERVAL_MS = 100;
/** State saves per second at most (setState serialises everything). */
const SAVE_INTERVAL_MS = 1000;

const vscode = acquireVsCodeApi();
function post(message: WebviewToExtension): void {
  vscode.postMessage(message);
}

// ---------------------------------------------------------------------------------------------
// Model

/** One run's samples, one column per curve; NaN marks "not measured at this sample". */
class Run {
  readonly it = new Column();
  readonly cost = new Column();
  readonly devCost = new Column();
  readonly trainAcc = new Column();
  readonly devAcc = new Column();
  elapsedMs = 0;
  total: number;
  summary?: RunSummary;

  constructor(
    readonly runId: number,
    readonly settings: RunSettings,
    readonly hasDev: boolean,
    /** The number shown in the legend: 1, 2, 3... on this page (runIds are the extension's). */
    readonly seq: number,
  ) {
    this.total = settings.iterations;
  }

  add(p: ProgressPoint): void {
    // Samples arrive in order; a repeated or older iteration (a resent batch) is ignored.
    const last = this.it.last();
    if (last !== undefined && p.iteration <= last) return;
    this.it.push(p.iteration);
    this.cost.push(num(p.cost));
    this.devCost.push(num(p.devCost));
    this.trainAcc.push(num(p.trainAccuracy));
    this.devAcc.push(num(p.devAccuracy));
    this.elapsedMs = p.elapsedMs;
  }

  get label(): string {
    const s = this.settings;
    return `run ${this.seq}: α=${s.learningRate}, ${s.iterations.toLocaleString('en-US')} it, ${s.optimizer}`;
  }

  toStored(): StoredRun {
    // Stored at display resolution: enough to redraw the same picture after a reload.
    const idx = minMaxIndices(this.cost.view(), MAX_POINTS);
    const pick = (c: Column) => {
      const v = c.view();
      return idx.map((i) => (Number.isFinite(v[i]) ? v[i] : null));
    };
    const it = this.it.view();
    return {
      runId: this.runId,
      seq: this.seq,
      settings: this.settings,
      hasDev: this.hasDev,
      total: this.total,
      elapsedMs: this.elapsedMs,
      summary: this.summary,
      it: idx.map((i) => it[i]),
      cost: pick(this.cost),
      devCost: pick(this.devCost),
      trainAcc: pick(this.trainAcc),
      devAcc: pick(this.devAcc),
    };
  }

  static fromStored(s: StoredRun): Run {
    const r = new Run(s.runId, s.settings, s.hasDev, s.seq ?? s.runId);
    r.total = s.total;
    r.summary = s.summary;
    for (let i = 0; i < s.it.length; i++) {
      r.add({
        iteration: s.it[i],
        cost: s.cost[i],
        devCost: s.devCost[i],
        trainAccuracy: s.trainAcc[i],
        devAccuracy: s.devAcc[i],
        elapsedMs: s.elapsedMs,
      });
    }
    r.elapsedMs = s.elapsedMs;
    return r;
  }
}

function num(v: number | null | undefined): number {
  return typeof v === 'number' ? v : NaN;
}

interface StoredRun {
  runId: number;
  seq?: number;
  settings: RunSettings;
  hasDev: boolean;
  total: number;
  elapsedMs: number;
  summary?: RunSummary;
  it: number[];
  cost: (number | null)[];
  devCost: (number | null)[];
  trainAcc: (number | null)[];
  devAcc: (number | null)[];
}

/** What vscode.setState keeps; `file` lets the panel serializer reopen the right panel. */
interface PageState {
  version: 1;
  file?: string;
  title?: string;
  settings?: RunSettings;
  twoD: boolean;
  log: boolean;
  inputs: { learningRate: string; iterations: string; optimizer: string };
  message?: string;
  messageKind?: 'info' | 'error';
  runs: StoredRun[];
  points?: ScatterData;
  grid?: BoundaryGrid;
}

const model = {
  file: undefined as string | undefined,
  title: 'DNN training',
  settings: undefined as RunSettings | undefined,
  twoD: false,
  log: false,
  runs: [] as Run[],
  /** The run the extension is streaming, if any. */
  liveRunId: undefined as number | undefined,
  paused: false,
  points: undefined as ScatterData | undefined,
  grid: undefined as BoundaryGrid | undefined,
  boundaries: 0,
  message: '',
  messageKind: 'info' as 'info' | 'error',
};

function currentRun(): Run | undefined {
  return model.runs[model.runs.length - 1];
}

// ---------------------------------------------------------------------------------------------
// DOM

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

const app = document.getElementById('app') ?? document.body.appendChild(el('div', { id: 'app' }));

const titleEl = el('h1', { class: 'title' }, 'DNN training');
const statsEl = el('div', { class: 'stats', 'aria-live': 'polite' });
const statItems = {
  iteration: el('span', { 'data-stat': 'iteration' }),
  elapsed: el('span', { 'data-stat': 'elapsed' }),
  speed: el('span', { 'data-stat': 'speed' }),
  cost: el('span', { 'data-stat': 'cost' }),
  accuracy: el('span', { 'data-stat': 'accuracy' }),
};
statsEl.append(...Object.values(statItems));

const btn = (id: string, label: string, title: string, secondary = false) =>
  el('button', { id, title, class: secondary ? 'secondary' : '' }, label);
const startBtn = btn('start', 'Start', 'Train the file with the settings on the right (restarts a running training)');
const pauseBtn = btn('pause', 'Pause', 'Pause training (the worker sleeps until Resume)', true);
const resumeBtn = btn('resume', 'Resume', 'Resume a paused training', true);
const stopBtn = btn('stop', 'Stop', 'Stop training (the run is kept; parameters are not saved)', true);
const resetBtn = btn('reset', 'Reset', 'Forget the run history shown here', true);

const lrInput = el('input', { id: 'lr', type: 'text', inputmode: 'decimal', size: '10', 'aria-label': 'learning rate' });
const itInput = el('input', { id: 'iterations', type: 'text', inputmode: 'numeric', size: '10', 'aria-label': 'iterations' });
const optSelect = el('select', { id: 'optimizer', 'aria-label': 'optimiser' });
const applyBtn = btn('apply', 'Apply to file', 'Write these settings into the .dnn.json (undoable)', true);
const logToggle = el('input', { id: 'log', type: 'checkbox' });
const pngBtn = btn('png', 'PNG', 'Export the charts as a PNG image', true);
const csvBtn = btn('csv', 'CSV', 'Export the costs of the last run as CSV (iteration,cost)', true);

const controls = el(
  'div',
  { class: 'controls' },
  el('div', { class: 'group' }, startBtn, pauseBtn, resumeBtn, stopBtn, resetBtn),
  el(
    'div',
    { class: 'group overrides' },
    el('label', { for: 'lr' }, 'α'),
    lrInput,
    el('label', { for: 'iterations' }, 'iterations'),
    itInput,
    el('label', { for: 'optimizer' }, 'optimiser'),
    optSelect,
    applyBtn,
  ),
  el('div', { class: 'group' }, el('label', { class: 'check' }, logToggle, 'log scale'), pngBtn, csvBtn),
);

const messageEl = el('div', { class: 'message', role: 'status' });
const costCanvas = el('canvas', { id: 'cost-chart', 'aria-label': 'cost per iteration', role: 'img' });
const accCanvas = el('canvas', { id: 'accuracy-chart', 'aria-label': 'accuracy per iteration', role: 'img' });
const boundaryCanvas = el('canvas', { id: 'boundary', 'aria-label': 'decision boundary', role: 'img' });
const boundaryPane = el(
  'div',
  { class: 'boundary-pane' },
  el('div', { class: 'pane-title' }, 'Decision boundary'),
  el('div', { class: 'boundary-box' }, boundaryCanvas),
  el('div', { class: 'pane-note', id: 'boundary-note' }),
);
const emptyEl = el('div', { class: 'empty' }, 'Press Start, or run “DNN: Train” on a .dnn.json file.');
// Three grid areas: side by side (cost and accuracy left, boundary right) in a wide panel,
// stacked cost, boundary, accuracy in a narrow one (style.css).
const main = el(
  'div',
  { class: 'main' },
  el('div', { class: 'chart cost' }, costCanvas, emptyEl),
  el('div', { class: 'chart accuracy' }, accCanvas),
  boundaryPane,
);
app.append(el('header', {}, titleEl, statsEl), controls, messageEl, main);

for (const o of ['', ...OPTIMIZER_CHOICES]) {
  optSelect.append(el('option', { value: o }, o === '' ? '(file)' : o));
}

// ---------------------------------------------------------------------------------------------
// Theme

interface Theme {
  fg: string;
  muted: string;
  grid: string;
  font: string;
  cost: string;
  devCost: string;
  trainAcc: string;
  devAcc: string;
  history: string[];
  classes: RGB[];
  foreground: RGB;
  background: RGB;
}

const probe = document.createElement('canvas').getContext('2d');

/** A CSS colour as [r, g, b], whatever notation the theme uses (the canvas normalises it). */
function rgb(color: string, fallback: RGB): RGB {
  if (!probe || !color) return fallback;
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  const s = String(probe.fillStyle);
  if (s.startsWith('#') && s.length === 7) {
    return [parseInt(s.slice(1, 3), 16), parseInt(s.slice(3, 5), 16), parseInt(s.slice(5, 7), 16)];
  }
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(s);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : fallback;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function withAlpha(c: string, alpha: number): string {
  const [r, g, b] = rgb(c, [128, 128, 128]);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Colours from VS Code's --vscode-* variables, so light, dark and high-contrast themes all work. */
function readTheme(): Theme {
  const fg = cssVar('--vscode-foreground', '#cccccc');
  const hc = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const blue = cssVar('--vscode-charts-blue', '#3794ff');
  const red = cssVar('--vscode-charts-red', '#f14c4c');
  const green = cssVar('--vscode-charts-green', '#89d185');
  const yellow = cssVar('--vscode-charts-yellow', '#cca700');
  const orange = cssVar('--vscode-charts-orange', '#d18616');
  const purple = cssVar('--vscode-charts-purple', '#b180d7');
  return {
    fg,
    muted: cssVar('--vscode-descriptionForeground', fg),
    grid: hc ? withAlpha(fg, 0.35) : withAlpha(fg, 0.12),
    font: cssVar('--vscode-font-family', 'sans-serif'),
    cost: blue,
    devCost: orange,
    trainAcc: green,
    devAcc: purple,
    history: [purple, yellow, green, red].map((c) => withAlpha(c, hc ? 0.9 : 0.6)),
    classes: [red, blue, green, yellow, purple, orange].map((c) => rgb(c, [128, 128, 128])),
    foreground: rgb(fg, [204, 204, 204]),
    background: rgb(cssVar('--vscode-editor-background', '#1e1e1e'), [30, 30, 30]),
  };
}

let theme = readTheme();

// ---------------------------------------------------------------------------------------------
// Charts

/** Full precision in tooltips: the shortest decimal that reads back as the same double. */
function exact(v: number): string {
  return String(v);
}

function baseOptions(yTitle: string): ChartOptions<'line'> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    spanGaps: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hoverRadius: 3 }, line: { borderWidth: 1.5, tension: 0 } },
    scales: {
      x: { type: 'linear', min: 0, title: { display: true, text: 'iteration' }, ticks: { maxTicksLimit: 8 } },
      y: {
        type: 'linear',
        title: { display: true, text: yTitle },
        ticks: { maxTicksLimit: 7 },
        // The same width on both charts, so their x axes line up.
        afterFit: (scale) => {
          scale.width = 64;
        },
      },
    },
    plugins: {
      legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2 } },
      tooltip: {
        callbacks: {
          title: (items) => (items.length ? `iteration ${items[0].parsed.x}` : ''),
          label: (item) => `${item.dataset.label}: ${item.parsed.y === null ? '—' : exact(item.parsed.y)}`,
        },
      },
    },
  };
}

const costChart = new Chart(costCanvas, { type: 'line', data: { datasets: [] }, options: baseOptions('cost') });
const accChart = new Chart(accCanvas, { type: 'line', data: { datasets: [] }, options: baseOptions('accuracy (%)') });

function applyThemeToCharts(): void {
  Chart.defaults.color = theme.muted;
  Chart.defaults.font.family = theme.font;
  Chart.defaults.borderColor = theme.grid;
  for (const chart of [costChart, accChart]) {
    const scales = chart.options.scales ?? {};
    for (const s of Object.values(scales)) {
      if (!s) continue;
      s.grid = { ...(s.grid ?? {}), color: theme.grid };
      s.ticks = { ...(s.ticks ?? {}), color: theme.muted };
      const t = (s as { title?: { color?: string } }).title;
      if (t) t.color = theme.muted;
    }
    const legend = chart.options.plugins?.legend;
    if (legend?.labels) legend.labels.color = theme.fg;
  }
}

type Line = ChartDataset<'line', XY[]>;

function line(label: string, color: string, data: XY[], dash?: number[], width = 1.5): Line {
  return {
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderWidth: width,
    borderDash: dash ?? [],
    pointRadius: 0,
  };
}

/** Decimated points of one column of a run; `scale` turns fractions into percents. */
function series(run: Run, col: Column, scale = 1, logScale = false): XY[] {
  const xs = run.it.view();
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

/**
 * Accuracy may come as a fraction (0..1) or a percent; the chart always shows percent. A run whose
 * accuracies never exceed 1 is taken as fractions.
 */
function accuracyScale(run: Run): number {
  const a = run.trainAcc.view();
  for (let i = 0; i < a.length; i++) if (a[i] > 1) return 1;
  return 100;
}

let drawnPoints = 0;

/** Rebuilds the datasets from the model (cheap: at most MAX_POINTS per curve) and redraws. */
function renderCharts(): void {
  const runs = model.runs;
  const cur = currentRun();
  const cost: Line[] = [];
  const acc: Line[] = [];
  // Older runs first and faded, so the current run is drawn on top.
  runs.slice(0, -1).forEach((r, k) => {
    const color = theme.history[(runs.length - 2 - k) % theme.history.length];
    cost.push(line(r.label, color, series(r, r.cost, 1, model.log), [4, 3], 1.25));
  });
  drawnPoints = 0;
  if (cur) {
    const costData = series(cur, cur.cost, 1, model.log);
    drawnPoints = costData.length;
    cost.push(line(`cost (${cur.label})`, theme.cost, costData, undefined, 2));
    if (hasAny(cur.devCost)) cost.push(line('dev cost', theme.devCost, series(cur, cur.devCost, 1, model.log), [6, 3]));
    const sc = accuracyScale(cur);
    if (hasAny(cur.trainAcc)) acc.push(line('train accuracy', theme.trainAcc, series(cur, cur.trainAcc, sc)));
    if (hasAny(cur.devAcc)) acc.push(line('dev accuracy', theme.devAcc, series(cur, cur.devAcc, sc), [6, 3]));
  }
  const xMax = Math.max(1, ...runs.map((r) => r.total - 1));
  costChart.data.datasets = cost;
  accChart.data.datasets = acc;
  const cx = costChart.options.scales!.x!;
  const ax = accChart.options.scales!.x!;
  cx.max = xMax;
  ax.max = xMax;
  costChart.options.scales!.y!.type = model.log ? 'logarithmic' : 'linear';
  const ay = accChart.options.scales!.y!;
  ay.min = 0;
  ay.max = 100;
  costChart.update('none');
  accChart.update('none');
  (accCanvas.parentElement as HTMLElement).hidden = acc.length === 0;
  emptyEl.hidden = runs.length > 0;
}

function fmtNumber(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? Number(v.toPrecision(digits)).toString() : v.toExponential(3);
}

function fmtTime(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms - m * 60_000) / 1000)} s`;
}

function pct(v: number, scale: number): string {
  return `${(v * scale).toFixed(1)}%`;
}

function renderStats(): void {
  const cur = currentRun();
  if (!cur || cur.it.length === 0) {
    for (const s of Object.values(statItems)) s.textContent = '';
    return;
  }
  const lastIt = cur.it.last()!;
  const done = lastIt + 1;
  statItems.iteration.textContent = `iteration ${done.toLocaleString('en-US')} / ${cur.total.toLocaleString('en-US')}`;
  statItems.elapsed.textContent = fmtTime(cur.elapsedMs);
  statItems.speed.textContent = cur.elapsedMs > 0 ? `${Math.round(done / (cur.elapsedMs / 1000)).toLocaleString('en-US')} it/s` : '';
  const c = cur.cost.last();
  statItems.cost.textContent = c === undefined ? '' : `cost ${fmtNumber(c)}`;
  const sc = accuracyScale(cur);
  const ta = cur.summary?.trainAccuracy ?? cur.trainAcc.last();
  const da = cur.summary?.devAccuracy ?? cur.devAcc.last();
  const parts = [];
  if (typeof ta === 'number' && Number.isFinite(ta)) parts.push(`train ${pct(ta, sc)}`);
  if (typeof da === 'number' && Number.isFinite(da)) parts.push(`dev ${pct(da, sc)}`);
  statItems.accuracy.textContent = parts.join(' · ');
}

function renderControls(): void {
  const live = model.liveRunId !== undefined;
  startBtn.textContent = live ? 'Restart' : 'Start';
  pauseBtn.disabled = !live || model.paused;
  resumeBtn.disabled = !live || !model.paused;
  stopBtn.disabled = !live;
  resetBtn.disabled = live || model.runs.length === 0;
  startBtn.disabled = model.file === undefined;
  const overrides = readOverrides();
  applyBtn.disabled = model.file === undefined || overrides === undefined || Object.keys(overrides).length === 0;
  csvBtn.disabled = !currentRun();
  pngBtn.disabled = model.runs.length === 0;
  logToggle.checked = model.log;
  const s = model.settings;
  lrInput.placeholder = s ? `${s.learningRate} (file)` : '';
  itInput.placeholder = s ? `${s.iterations} (file)` : '';
  optSelect.options[0].textContent = s ? `${s.optimizer} (file)` : '(file)';
  titleEl.textContent = model.title;
  document.body.classList.toggle('two-d', model.twoD);
  boundaryPane.hidden = !model.twoD;
  messageEl.textContent = model.message;
  messageEl.className = `message ${model.messageKind}`;
  messageEl.hidden = model.message === '';
  const note = document.getElementById('boundary-note');
  if (note) note.textContent = model.grid ? '' : model.points ? 'The boundary appears after the first few hundred iterations.' : '';
}

function renderBoundary(): void {
  if (!model.twoD) return;
  drawBoundary(boundaryCanvas, model.points, model.grid, {
    classes: theme.classes,
    foreground: theme.foreground,
    background: theme.background,
    font: theme.font,
  });
}

// ---------------------------------------------------------------------------------------------
// Render loop: samples arrive in bursts; drawing is coalesced to at most one frame per interval.

let renderPending = false;
let boundaryDirty = false;
let lastRenderAt = 0;
let lastReported = '';

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
  renderCharts();
  renderStats();
  renderControls();
  if (boundaryDirty) {
    boundaryDirty = false;
    renderBoundary();
  }
  const cur = currentRun();
  if (cur) {
    const report = { type: 'rendered' as const, runId: cur.runId, received: cur.it.length, points: drawnPoints, boundaries: model.boundaries };
    const key = JSON.stringify(report);
    if (key !== lastReported) {
      lastReported = key;
      post(report);
    }
  }
  scheduleSave();
}

// ---------------------------------------------------------------------------------------------
// State

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
  const state: PageState = {
    version: 1,
    file: model.file,
    title: model.title,
    settings: model.settings,
    twoD: model.twoD,
    log: model.log,
    inputs: { learningRate: lrInput.value, iterations: itInput.value, optimizer: optSelect.value },
    message: model.message,
    messageKind: model.messageKind,
    runs: model.runs.map((r) => r.toStored()),
    points: model.points,
    grid: model.grid,
  };
  vscode.setState(state);
}

function restoreState(): void {
  const s = vscode.getState() as PageState | undefined;
  if (!s || s.version !== 1) return;
  model.file = s.file;
  model.title = s.title ?? model.title;
  model.settings = s.settings;
  model.twoD = Boolean(s.twoD);
  model.log = Boolean(s.log);
  lrInput.value = s.inputs?.learningRate ?? '';
  itInput.value = s.inputs?.iterations ?? '';
  optSelect.value = s.inputs?.optimizer ?? '';
  model.message = s.message ?? '';
  model.messageKind = s.messageKind === 'error' ? 'error' : 'info';
  try {
    model.runs = (s.runs ?? []).map(Run.fromStored);
  } catch {
    model.runs = [];
  }
  model.points = s.points;
  model.grid = s.grid;
  boundaryDirty = true;
}

// ---------------------------------------------------------------------------------------------
// Input

/** The overrides typed in the inputs; undefined when one of them is not valid. */
function readOverrides(): RunOverrides | undefined {
  const o: RunOverrides = {};
  let ok = true;
  const lr = lrInput.value.trim();
  if (lr !== '') {
    const v = Number(lr);
    const valid = Number.isFinite(v) && v > 0;
    lrInput.classList.toggle('invalid', !valid);
    lrInput.title = valid ? '' : 'The learning rate must be a positive number, e.g. 0.0075';
    if (valid) o.learningRate = v;
    else ok = false;
  } else lrInput.classList.remove('invalid');
  const it = itInput.value.trim();
  if (it !== '') {
    const v = Number(it.replace(/[_,]/g, ''));
    const valid = Number.isInteger(v) && v >= 1 && v <= 10_000_000;
    itInput.classList.toggle('invalid', !valid);
    itInput.title = valid ? '' : 'Iterations must be a whole number from 1 to 10,000,000';
    if (valid) o.iterations = v;
    else ok = false;
  } else itInput.classList.remove('invalid');
  if (optSelect.value !== '') o.optimizer = optSelect.value as OptimizerChoice;
  return ok ? o : undefined;
}

function say(text: string, kind: 'info' | 'error' = 'info'): void {
  model.message = text;
  model.messageKind = kind;
}

startBtn.addEventListener('click', () => {
  const overrides = readOverrides();
  if (!overrides) {
    say('Fix the highlighted setting first.', 'error');
    renderControls();
    return;
  }
  post({ type: 'start', overrides });
});
pauseBtn.addEventListener('click', () => post({ type: 'pause' }));
resumeBtn.addEventListener('click', () => post({ type: 'resume' }));
stopBtn.addEventListener('click', () => post({ type: 'stop' }));
resetBtn.addEventListener('click', () => {
  model.runs = [];
  model.grid = undefined;
  model.boundaries = 0;
  boundaryDirty = true;
  say('');
  scheduleRender();
  scheduleSave(true);
});
applyBtn.addEventListener('click', () => {
  const overrides = readOverrides();
  if (overrides && Object.keys(overrides).length > 0) post({ type: 'applyToFile', overrides });
});
for (const input of [lrInput, itInput, optSelect]) {
  input.addEventListener('input', () => {
    renderControls();
    scheduleSave();
  });
}
logToggle.addEventListener('change', () => {
  model.log = logToggle.checked;
  scheduleRender();
});

/** The charts on the theme's background as one PNG (a transparent PNG is unreadable elsewhere). */
function chartsPng(): string {
  const parts = [costCanvas, accCanvas, ...(model.twoD ? [boundaryCanvas] : [])].filter(
    (c) => c.width > 0 && c.height > 0 && !(c.parentElement as HTMLElement).hidden,
  );
  const chartsW = Math.max(...parts.filter((c) => c !== boundaryCanvas).map((c) => c.width));
  const chartsH = parts.filter((c) => c !== boundaryCanvas).reduce((h, c) => h + c.height, 0);
  const bw = parts.includes(boundaryCanvas) ? boundaryCanvas.width : 0;
  const out = document.createElement('canvas');
  out.width = chartsW + bw;
  out.height = Math.max(chartsH, parts.includes(boundaryCanvas) ? boundaryCanvas.height : 0);
  const ctx = out.getContext('2d')!;
  const [r, g, b] = theme.background;
  ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
  ctx.fillRect(0, 0, out.width, out.height);
  let y = 0;
  for (const c of parts) {
    if (c === boundaryCanvas) continue;
    ctx.drawImage(c, 0, y);
    y += c.height;
  }
  if (bw) ctx.drawImage(boundaryCanvas, chartsW, 0);
  return out.toDataURL('image/png');
}

pngBtn.addEventListener('click', () => post({ type: 'exportPng', dataUrl: chartsPng() }));
csvBtn.addEventListener('click', () => {
  const cur = currentRun();
  if (!cur) return;
  const it = cur.it.view();
  const cost = cur.cost.view();
  const rows = ['iteration,cost'];
  for (let i = 0; i < it.length; i++) rows.push(`${it[i]},${Number.isFinite(cost[i]) ? cost[i] : ''}`);
  post({ type: 'exportCsv', runId: cur.runId, csv: rows.join('\n') + '\n' });
});

// ---------------------------------------------------------------------------------------------
// Messages from the extension

function runById(runId: number): Run | undefined {
  return model.runs.find((r) => r.runId === runId);
}

function summaryText(s: RunSummary): string {
  const cur = currentRun();
  const sc = cur ? accuracyScale(cur) : 100;
  const acc = [
    typeof s.trainAccuracy === 'number' ? `train accuracy ${pct(s.trainAccuracy, sc)}` : '',
    typeof s.devAccuracy === 'number' ? `dev accuracy ${pct(s.devAccuracy, sc)}` : '',
  ].filter(Boolean);
  const cost = s.finalCost === null ? 'cost not finite' : `final cost ${fmtNumber(s.finalCost, 8)}`;
  const saved = s.paramsPath ? `; parameters saved to ${s.paramsPath.split(/[\\/]/).pop()}` : '';
  switch (s.status) {
    case 'done':
      return `Done: ${s.iterationsRun.toLocaleString('en-US')} iterations in ${fmtTime(s.elapsedMs)}, ${[cost, ...acc].join(', ')}${saved}${s.message ? `; ${s.message}` : ''}.`;
    case 'aborted':
      return `Stopped after ${s.iterationsRun.toLocaleString('en-US')} iterations (${fmtTime(s.elapsedMs)}); ${cost}. Parameters not saved.`;
    case 'diverged':
      return `Diverged: ${s.message ?? 'the cost is no longer a finite number'}.`;
    case 'failed':
      return s.message ?? 'Training failed.';
    default:
      return assertNever(s.status);
  }
}

function handle(msg: ExtensionToWebview): void {
  switch (msg.type) {
    case 'init':
      model.file = msg.file;
      model.title = msg.title;
      model.settings = msg.settings;
      model.twoD = msg.twoD;
      if (!msg.running) {
        model.liveRunId = undefined;
        model.paused = false;
      }
      boundaryDirty = true;
      break;
    case 'settings':
      model.settings = msg.settings;
      if (model.twoD !== msg.twoD) boundaryDirty = true;
      model.twoD = msg.twoD;
      break;
    case 'runStarted': {
      model.liveRunId = msg.runId;
      model.paused = false;
      // Said again after the page reloads mid-run: keep the samples it restored.
      if (runById(msg.runId)) break;
      const seq = Math.max(0, ...model.runs.map((r) => r.seq)) + 1;
      model.runs = [...model.runs, new Run(msg.runId, msg.settings, msg.hasDev, seq)].slice(-HISTORY);
      model.grid = undefined;
      model.boundaries = 0;
      boundaryDirty = true;
      say('');
      break;
    }
    case 'dataset':
      model.points = msg.points;
      boundaryDirty = true;
      break;
    case 'progress': {
      const run = runById(msg.runId);
      if (!run) return;
      run.total = msg.iterations;
      for (const p of msg.points) run.add(p);
      break;
    }
    case 'boundary':
      if (msg.runId !== model.liveRunId && msg.runId !== currentRun()?.runId) return;
      model.grid = msg.grid;
      model.boundaries++;
      boundaryDirty = true;
      break;
    case 'runState':
      if (msg.runId === model.liveRunId) model.paused = msg.paused;
      break;
    case 'runEnded': {
      const run = runById(msg.runId);
      if (run) run.summary = msg.summary;
      if (model.liveRunId === msg.runId) {
        model.liveRunId = undefined;
        model.paused = false;
      }
      say(summaryText(msg.summary), msg.summary.status === 'done' || msg.summary.status === 'aborted' ? 'info' : 'error');
      scheduleSave(true);
      break;
    }
    default:
      assertNever(msg);
  }
  scheduleRender();
}

window.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as unknown;
  if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string') return;
  try {
    handle(data as ExtensionToWebview);
  } catch (e) {
    // An unknown message (a newer extension talking to an older page) must not kill the page.
    console.error(e);
  }
});

// Theme switches change the body's class and the --vscode-* variables: re-read and redraw.
new MutationObserver(() => {
  theme = readTheme();
  applyThemeToCharts();
  boundaryDirty = true;
  scheduleRender();
}).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
new ResizeObserver(() => {
  boundaryDirty = true;
  scheduleRender();
}).observe(boundaryCanvas);

restoreState();
applyThemeToCharts();
post({ type: 'ready' });
renderNow();

// A test hook: the charts, for assertions in the headless-browser tests (no effect otherwise).
(window as unknown as { __dnn: unknown }).__dnn = { costChart, accChart, model, MAX_POINTS };
