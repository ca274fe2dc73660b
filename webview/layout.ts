/**
 * The page's elements, built once: header and stats, the controls, the message line, and three
 * grid areas (cost and accuracy charts, decision boundary). Ids and classes are what style.css and
 * the page tests use.
 */
import { OPTIMIZER_CHOICES } from '../src/protocol';
import type { StatsText } from './format';

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

function button(id: string, label: string, title: string, secondary = false): HTMLButtonElement {
  return el('button', { id, title, class: secondary ? 'secondary' : '' }, label);
}

export type Layout = ReturnType<typeof buildLayout>;

export function buildLayout() {
  const app = document.getElementById('app') ?? document.body.appendChild(el('div', { id: 'app' }));

  const title = el('h1', { class: 'title' }, 'DNN training');
  const stats: Record<keyof StatsText, HTMLSpanElement> = {
    iteration: el('span', { 'data-stat': 'iteration' }),
    elapsed: el('span', { 'data-stat': 'elapsed' }),
    speed: el('span', { 'data-stat': 'speed' }),
    cost: el('span', { 'data-stat': 'cost' }),
    accuracy: el('span', { 'data-stat': 'accuracy' }),
  };
  const statsLine = el('div', { class: 'stats', 'aria-live': 'polite' }, ...Object.values(stats));

  const start = button('start', 'Start', 'Train the file with the α, iterations and optimiser set here (empty: the file\'s); restarts a running training');
  const pause = button('pause', 'Pause', 'Pause training (the worker sleeps until Resume or Step)', true);
  const resume = button('resume', 'Resume', 'Resume a paused training', true);
  const step = button('step', 'Step', 'While paused: one more iteration (one epoch with mini-batches; in a run of over 5,000 iterations, one sample of the curve), then pause again', true);
  const stop = button('stop', 'Stop', 'Stop training; you are then offered to save what it learned', true);
  const speed = el('select', { id: 'speed', 'aria-label': 'speed', title: 'Full speed, or a pace a person can follow (changes the run going on too)' });
  for (const [v, label] of [['0', 'full speed'], ['2000', '2,000 it/s'], ['200', '200 it/s'], ['20', '20 it/s']]) speed.append(el('option', { value: v }, label));
  const tuneNow = button('tune-now', 'Use now', 'Change the running training\'s learning rate to this α from its next iteration', true);
  const history = el('input', { id: 'history', type: 'checkbox' });
  const paused = el('div', { class: 'paused-badge', role: 'status', hidden: '' }, 'Paused');
  const reset = button('reset', 'Reset', 'Forget the run history shown here', true);

  const learningRate = el('input', { id: 'lr', type: 'text', inputmode: 'decimal', size: '10', 'aria-label': 'learning rate' });
  const iterations = el('input', { id: 'iterations', type: 'text', inputmode: 'numeric', size: '10', 'aria-label': 'iterations' });
  const optimizer = el('select', { id: 'optimizer', 'aria-label': 'optimiser' });
  for (const o of ['', ...OPTIMIZER_CHOICES]) optimizer.append(el('option', { value: o }, o === '' ? '(file)' : o));
  // The running optimiser's β, β1, β2 or ε, changed from the next iteration; which ones depends on
  // the run's optimiser (controls.ts fills the list). Its kind cannot change mid-run.
  const optimizerNote = 'The optimiser itself cannot change during a run: its state (v, s) would mean nothing to another one';
  const optSetting = el('select', { id: 'opt-setting', 'aria-label': 'optimiser setting', title: `Which setting of the running optimiser to change: momentum's β, Adam's β1, β2, ε (RMSprop: β2, ε). ${optimizerNote}` });
  const optValue = el('input', { id: 'opt-value', type: 'text', inputmode: 'decimal', size: '8', 'aria-label': 'optimiser setting value' });
  const tuneOpt = button('tune-opt', 'Use now', `Change the running optimiser's setting to this value from its next iteration (β in [0, 1), ε > 0). ${optimizerNote}`, true);
  const tuneOptimizer = el('div', { class: 'group tune-optimizer', id: 'tune-optimizer', title: optimizerNote, hidden: '' }, el('label', { for: 'opt-setting' }, 'optimiser now'), optSetting, optValue, tuneOpt);
  const apply = button('apply', 'Apply to file', 'Write these settings into the .dnn.json (undoable)', true);
  const log = el('input', { id: 'log', type: 'checkbox' });
  const png = button('png', 'PNG', 'Export the charts as a PNG image', true);
  const csv = button('csv', 'CSV', 'Export the last run as CSV: every iteration\'s cost, with dev cost and accuracies where measured', true);

  const controls = el(
    'div',
    { class: 'controls' },
    el('div', { class: 'group' }, start, pause, resume, step, stop, reset, el('label', { for: 'speed' }, 'speed'), speed),
    el(
      'div',
      { class: 'group overrides' },
      el('label', { for: 'lr' }, 'α'),
      learningRate,
      tuneNow,
      el('label', { for: 'iterations' }, 'iterations'),
      iterations,
      el('label', { for: 'optimizer' }, 'optimiser'),
      optimizer,
      apply,
    ),
    tuneOptimizer,
    el('div', { class: 'group' }, el('label', { class: 'check' }, log, 'log scale'), el('label', { class: 'check', title: 'Draw the earlier runs too (the axis follows the current run)' }, history, 'history'), png, csv),
  );

  const messageText = el('span', { class: 'message-text' });
  const saveParams = button('save-params', 'Save parameters', 'Save what the stopped run learned beside the .dnn.json (<name>.params.json), where a completed run saves');
  const message = el('div', { class: 'message', role: 'status' }, messageText, saveParams);
  const costCanvas = el('canvas', { id: 'cost-chart', 'aria-label': 'cost per iteration', role: 'img' });
  const accuracyCanvas = el('canvas', { id: 'accuracy-chart', 'aria-label': 'accuracy per iteration', role: 'img' });
  const boundaryCanvas = el('canvas', { id: 'boundary', 'aria-label': 'decision boundary', role: 'img' });
  const boundaryNote = el('div', { class: 'pane-note', id: 'boundary-note' });
  const boundaryLegend = el('div', { class: 'boundary-legend', id: 'boundary-legend' });
  const pointNote = el('div', { class: 'pane-note', id: 'point-note', 'aria-live': 'polite' });
  const boundaryPane = el(
    'div',
    { class: 'boundary-pane' },
    el('div', { class: 'pane-title' }, 'Decision boundary'),
    el('div', { class: 'boundary-box', title: 'Click a point to see what the network predicts there' }, boundaryCanvas),
    boundaryLegend,
    boundaryNote,
    pointNote,
  );
  const empty = el('div', { class: 'empty' }, 'Press Start, or run “DNN: Train” on a .dnn.json file.');
  // Three grid areas: side by side (cost and accuracy left, boundary right) in a wide panel,
  // stacked cost, boundary, accuracy in a narrow one (style.css).
  const main = el(
    'div',
    { class: 'main' },
    el('div', { class: 'chart cost' }, costCanvas, empty, paused),
    el('div', { class: 'chart accuracy' }, accuracyCanvas),
    boundaryPane,
  );
  // Image data: sample pictures with their predicted and true classes, and the confusion matrix.
  const picturesTitle = el('div', { class: 'pane-title', id: 'pictures-title' });
  const picturesCanvas = el('canvas', { id: 'pictures', 'aria-label': 'sample pictures with predicted and true classes', role: 'img' });
  const confusionCanvas = el('canvas', { id: 'confusion', 'aria-label': 'confusion matrix', role: 'img' });
  const confusionNote = el('div', { class: 'pane-note', id: 'confusion-note' });
  const picturesPane = el(
    'section',
    { class: 'pictures-pane', id: 'pictures-pane', hidden: '' },
    el('div', { class: 'pictures-box' }, picturesTitle, picturesCanvas),
    el('div', { class: 'confusion-box' }, el('div', { class: 'pane-title' }, 'Confusion matrix'), confusionCanvas, confusionNote),
  );
  // The runs compared: settings, final cost, accuracies, time (filled by controls.ts).
  const runsTable = el('table', { class: 'runs', id: 'runs', hidden: '' });
  app.append(el('header', {}, title, statsLine), controls, message, main, picturesPane, runsTable);

  return {
    title,
    stats,
    buttons: { start, pause, resume, step, stop, reset, apply, png, csv, tuneNow, tuneOpt },
    optSetting,
    optValue,
    tuneOptimizer,
    inputs: { learningRate, iterations, optimizer },
    speed,
    log,
    history,
    paused,
    messageText,
    saveParams,
    runsTable,
    message,
    empty,
    costCanvas,
    accuracyCanvas,
    boundaryCanvas,
    boundaryPane,
    boundaryNote,
    boundaryLegend,
    pointNote,
    picturesPane,
    picturesTitle,
    picturesCanvas,
    confusionCanvas,
    confusionNote,
  };
}
