/**
 * The page's controls and text: buttons enabled by the run's state, the override inputs checked as
 * they are typed, the stats line and the message. Clicks become protocol messages or page actions
 * through the handlers main.ts passes in; nothing here holds state.
 */
import { OPTIMIZER_TUNABLES, TUNING_SYMBOLS, type OptimizerTunable, type WebviewToExtension } from '../src/protocol';
import { RUN_COLUMNS, runRow, samplesCsv } from './format';
import type { Layout } from './layout';
import { parseOptimizerSetting, parseOverrides, type OverrideInputs, type ParsedOverrides } from './overrides';
import { currentRun, currentStats, type PageAction, type PageModel, type Run } from './state';

export function readInputs(layout: Layout): OverrideInputs {
  const { learningRate, iterations, optimizer } = layout.inputs;
  return { learningRate: learningRate.value, iterations: iterations.value, optimizer: optimizer.value };
}

export function writeInputs(layout: Layout, inputs: OverrideInputs): void {
  layout.inputs.learningRate.value = inputs.learningRate;
  layout.inputs.iterations.value = inputs.iterations;
  layout.inputs.optimizer.value = inputs.optimizer;
}

/** Parses the inputs and marks each invalid one (red border, the reason as its tooltip). */
function checkInputs(layout: Layout): ParsedOverrides {
  const parsed = parseOverrides(readInputs(layout));
  const mark = (input: HTMLInputElement, error: string | undefined, typed: boolean) => {
    input.classList.toggle('invalid', error !== undefined);
    if (typed) input.title = error ?? '';
  };
  mark(layout.inputs.learningRate, parsed.errors.learningRate, layout.inputs.learningRate.value.trim() !== '');
  mark(layout.inputs.iterations, parsed.errors.iterations, layout.inputs.iterations.value.trim() !== '');
  return parsed;
}

/** The optimiser box's setting and its parsed value, marked invalid (with the reason) when it is. */
function checkOptimizerSetting(layout: Layout): { key?: OptimizerTunable; value?: number } {
  const key = layout.optSetting.value as OptimizerTunable;
  if (!layout.optSetting.value) return {};
  const { value, error } = parseOptimizerSetting(key, layout.optValue.value);
  layout.optValue.classList.toggle('invalid', error !== undefined);
  layout.optValue.title = error ?? '';
  return { key, value };
}

/**
 * The optimiser box: shown while a run of an optimiser with settings goes on (momentum, RMSprop,
 * Adam), listing the ones it reads.
 */
function renderOptimizerBox(layout: Layout, state: PageModel): void {
  const cur = currentRun(state);
  const keys = state.liveRunId !== undefined && cur?.runId === state.liveRunId ? OPTIMIZER_TUNABLES[cur.settings.optimizer] : [];
  layout.tuneOptimizer.hidden = keys.length === 0;
  const list = keys.join(',');
  if (layout.optSetting.dataset.keys !== list) {
    layout.optSetting.dataset.keys = list;
    layout.optSetting.replaceChildren(...keys.map((k) => new Option(TUNING_SYMBOLS[k], k)));
  }
  layout.buttons.tuneOpt.disabled = keys.length === 0 || checkOptimizerSetting(layout).value === undefined;
}

export function renderControls(layout: Layout, state: PageModel): void {
  const { buttons: b, inputs } = layout;
  const live = state.liveRunId !== undefined;
  b.start.textContent = live ? 'Restart' : 'Start';
  b.pause.disabled = !live || state.paused;
  b.resume.disabled = !live || !state.paused;
  b.step.disabled = !live || !state.paused;
  const parsed = checkInputs(layout);
  b.tuneNow.disabled = !live || parsed.overrides?.learningRate === undefined;
  renderOptimizerBox(layout, state);
  layout.speed.value = String(state.pace);
  layout.history.checked = state.history;
  // Paused says so in the header, on the chart (and, from the extension, in the notification).
  layout.paused.hidden = !(live && state.paused);
  document.body.classList.toggle('paused', live && state.paused);
  b.stop.disabled = !live;
  b.reset.disabled = live || state.runs.length === 0;
  b.start.disabled = state.file === undefined;
  const { overrides } = parsed;
  b.apply.disabled = state.file === undefined || overrides === undefined || Object.keys(overrides).length === 0;
  b.csv.disabled = !currentRun(state);
  b.png.disabled = state.runs.length === 0;
  layout.log.checked = state.log;
  const s = state.settings;
  inputs.learningRate.placeholder = s ? `${s.learningRate} (file)` : '';
  inputs.iterations.placeholder = s ? `${s.iterations} (file)` : '';
  inputs.optimizer.options[0].textContent = s ? `${s.optimizer} (file)` : '(file)';
  layout.title.textContent = live && state.paused ? `${state.title} — Paused` : state.title;
  document.body.classList.toggle('two-d', state.twoD);
  layout.boundaryPane.hidden = !state.twoD;
  layout.messageText.textContent = state.message;
  const cur = currentRun(state);
  layout.saveParams.hidden = !(cur?.summary?.canSave && !cur.summary.paramsPath);
  layout.message.className = `message ${state.messageKind}`;
  layout.message.hidden = state.message === '';
  layout.boundaryNote.textContent = state.grid ? '' : state.points ? 'The boundary appears after the first few hundred iterations.' : '';
  layout.empty.hidden = state.runs.length > 0;
  renderRuns(layout.runsTable, state);
}

/** The table comparing the runs on the page, newest last (shown once there are two). */
function renderRuns(table: HTMLTableElement, state: PageModel): void {
  table.hidden = state.runs.length < 2;
  if (table.hidden) return;
  const rows = [RUN_COLUMNS as readonly string[], ...state.runs.map((r) => runRow(rowInput(r)))];
  const key = rows.map((r) => r.join('\t')).join('\n');
  if (table.dataset.key === key) return;
  table.dataset.key = key;
  table.replaceChildren(
    ...rows.map((cells, k) => {
      const tr = document.createElement('tr');
      if (k > 0 && k === rows.length - 1) tr.className = 'current';
      for (const c of cells) {
        const td = document.createElement(k === 0 ? 'th' : 'td');
        td.textContent = c;
        tr.append(td);
      }
      return tr;
    }),
  );
}

function rowInput(r: Run) {
  const s = r.samples;
  return {
    seq: r.seq,
    settings: r.settings,
    tunes: r.tunes,
    ...(r.summary ? { summary: r.summary } : {}),
    ...(s.cost.length ? { lastCost: s.cost.last() } : {}),
    elapsedMs: s.elapsedMs,
    iterationsDone: (s.it.last() ?? -1) + 1,
  };
}

export function renderStats(layout: Layout, state: PageModel): void {
  const text = currentStats(state);
  for (const k of Object.keys(layout.stats) as (keyof typeof layout.stats)[]) layout.stats[k].textContent = text[k];
}

export interface ControlHandlers {
  state(): PageModel;
  post(message: WebviewToExtension): void;
  /** Changes the state; `saveNow` saves it at once instead of within a second. */
  dispatch(action: PageAction, saveNow?: boolean): void;
  /** The override inputs changed: check them again and save them soon. */
  inputsChanged(): void;
  /** The charts as a PNG data URL. */
  png(): string;
}

export function bindControls(layout: Layout, h: ControlHandlers): void {
  const { buttons: b } = layout;
  b.start.addEventListener('click', () => {
    const { overrides } = checkInputs(layout);
    if (overrides) h.post({ type: 'start', overrides });
    else h.dispatch({ type: 'say', text: 'Fix the highlighted setting first.', kind: 'error' });
  });
  b.pause.addEventListener('click', () => h.post({ type: 'pause' }));
  b.resume.addEventListener('click', () => h.post({ type: 'resume' }));
  b.stop.addEventListener('click', () => h.post({ type: 'stop' }));
  b.step.addEventListener('click', () => h.post({ type: 'step' }));
  layout.saveParams.addEventListener('click', () => {
    const cur = currentRun(h.state());
    if (cur) h.post({ type: 'saveParams', runId: cur.runId });
  });
  const tuneNow = () => {
    const { overrides } = checkInputs(layout);
    if (h.state().liveRunId === undefined || overrides?.learningRate === undefined) return;
    h.post({ type: 'tune', learningRate: overrides.learningRate });
  };
  b.tuneNow.addEventListener('click', tuneNow);
  // Enter in the α box while a run goes on changes its α at once, as "Use now" does.
  layout.inputs.learningRate.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') tuneNow();
  });
  const tuneOptimizer = () => {
    const { key, value } = checkOptimizerSetting(layout);
    if (h.state().liveRunId === undefined || key === undefined || value === undefined) return;
    h.post({ type: 'tune', [key]: value });
  };
  b.tuneOpt.addEventListener('click', tuneOptimizer);
  layout.optValue.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') tuneOptimizer();
  });
  // The Use now button follows what is typed.
  layout.optValue.addEventListener('input', () => h.inputsChanged());
  layout.optSetting.addEventListener('change', () => h.inputsChanged());
  layout.speed.addEventListener('change', () => {
    const pace = Number(layout.speed.value);
    h.dispatch({ type: 'setPace', pace }, true);
    h.post({ type: 'tune', pace });
  });
  layout.history.addEventListener('change', () => h.dispatch({ type: 'setHistory', history: layout.history.checked }));
  b.reset.addEventListener('click', () => h.dispatch({ type: 'reset' }, true));
  b.apply.addEventListener('click', () => {
    const { overrides } = checkInputs(layout);
    if (overrides && Object.keys(overrides).length > 0) h.post({ type: 'applyToFile', overrides });
  });
  for (const input of Object.values(layout.inputs)) input.addEventListener('input', () => h.inputsChanged());
  layout.log.addEventListener('change', () => h.dispatch({ type: 'setLog', log: layout.log.checked }));
  b.png.addEventListener('click', () => h.post({ type: 'exportPng', dataUrl: h.png() }));
  b.csv.addEventListener('click', () => {
    const cur = currentRun(h.state());
    if (!cur) return;
    const c = cur.samples;
    h.post({ type: 'exportCsv', runId: cur.runId, csv: samplesCsv({ it: c.it.view(), cost: c.cost.view(), devCost: c.devCost.view(), trainAcc: c.trainAcc.view(), devAcc: c.devAcc.view() }) });
  });
}
