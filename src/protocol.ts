/**
 * Every message between the extension host, the training worker and the webview, typed on both
 * sides (after vscode-hexeditor's shared/protocol.ts). Pure types and tiny guards: no 'vscode', no
 * DOM, no Node imports, because the webview bundles this file too.
 *
 * Conversations:
 * - webview -> extension: the page posts `ready` once its listener is attached; the extension posts
 *   nothing before that (messages to a page that is still loading are lost). Every message from the
 *   page is checked by `isWebviewToExtension` before use: the page is a browser context and its
 *   messages are untrusted input.
 * - extension -> worker: one `train` or `gradientCheck` request per worker; `stop` asks it to end
 *   early. Pause and stop also go through a shared Int32 control word (see `CONTROL_*`), because a
 *   busy training loop only sees messages when it yields.
 * - worker -> extension: `trainStarted`, then a stream of `progress` and `boundary`, then exactly one of
 *   `trainDone`, `gradientCheckDone` or `failed`. The extension checks each with
 *   `isWorkerToExtension`, and the page checks what the extension forwards with
 *   `isExtensionToWebview`: a message that fails is dropped, so a percent never reaches a chart
 *   as a fraction.
 * - the debug channel (tests only): `PageDebugMessage`, apart from the unions above. It is on only
 *   when the extension runs in development or test mode, which the panel tells the page through
 *   its HTML (`DEBUG_META`); production pages never post on it.
 *
 * Numbers travel as plain arrays (webview messages are JSON-serialised, so NaN becomes null: the
 * types say `number | null` where that can happen). Accuracies are fractions in [0, 1] (`Fraction`).
 */

// ---------------------------------------------------------------------------------------------
// Shared shapes

/** Settings the page may override for the next run (the rest comes from the .dnn.json). */
export interface RunOverrides {
  learningRate?: number;
  iterations?: number;
  optimizer?: OptimizerChoice;
}

export const OPTIMIZER_CHOICES = ['gd', 'momentum', 'rmsprop', 'adam'] as const;
export type OptimizerChoice = (typeof OPTIMIZER_CHOICES)[number];

/**
 * What a run can take while it goes on: α, and the optimiser's hyperparameters (momentum's β,
 * Adam's β1, β2 and ε; RMSprop's β is beta2). The optimiser's kind cannot change mid-run: its
 * state (v, s) would mean nothing to another one. A message carries the keys that change.
 */
export interface Tuning {
  learningRate?: number;
  beta?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}
export type OptimizerTunable = Exclude<keyof Tuning, 'learningRate'>;
/** The settings each optimiser reads, in the order the page offers them. */
export const OPTIMIZER_TUNABLES: Readonly<Record<OptimizerChoice, readonly OptimizerTunable[]>> = {
  gd: [],
  momentum: ['beta'],
  rmsprop: ['beta2', 'epsilon'],
  adam: ['beta1', 'beta2', 'epsilon'],
};
/** The course's symbol of each setting, as legends and markers print it. */
export const TUNING_SYMBOLS: Readonly<Record<keyof Tuning, string>> = { learningRate: 'α', beta: 'β', beta1: 'β1', beta2: 'β2', epsilon: 'ε' };
export const TUNING_KEYS = ['learningRate', 'beta', 'beta1', 'beta2', 'epsilon'] as const satisfies readonly (keyof Tuning)[];

/** The settings of `t` as the course writes them, in TUNING_KEYS order: "α=0.3, β=0.5". */
export function tuningText(t: Tuning): string {
  return TUNING_KEYS.filter((k) => t[k] !== undefined)
    .map((k) => `${TUNING_SYMBOLS[k]}=${t[k]}`)
    .join(', ');
}

/** The settings a run actually used, shown in the legend of the run history. */
export interface RunSettings {
  learningRate: number;
  iterations: number;
  optimizer: OptimizerChoice;
}

/**
 * A fraction of correct predictions, in [0, 1]: 0.9 means 90%. Every sender sends fractions (the
 * engine's `accuracy` computes them), never percents; only what a person reads is in percent.
 * TypeScript cannot state the range, so `isFraction` checks it where values are validated.
 */
export type Fraction = number;

/** One sample of the training curves. `iteration` is 0-based, as in the engine's TrainProgress. */
export interface ProgressPoint {
  iteration: number;
  cost: number | null;
  devCost?: number | null;
  trainAccuracy?: Fraction | null;
  devAccuracy?: Fraction | null;
  elapsedMs: number;
}

/** Training examples of a 2-D input, for the decision-boundary plot. `label` is the class index. */
export interface ScatterData {
  x: number[];
  y: number[];
  label: number[];
  /** Number of classes (2 for binary labels). */
  classes: number;
  /** The dev (test) examples, drawn apart from the training ones. */
  dev?: { x: number[]; y: number[]; label: number[] };
}

/**
 * The network's output on a regular grid over the input plane, for the decision-boundary heatmap.
 * `values[j * nx + i]` is the predicted probability of class 1 (binary) or the predicted class
 * index (multi-class) at x = xMin + (i + 0.5) * (xMax - xMin) / nx, y = yMin + (j + 0.5) * ... / ny;
 * row j = 0 is the bottom of the plot (smallest y).
 */
export interface BoundaryGrid {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  nx: number;
  ny: number;
  values: number[];
  /** 'probability': values in [0, 1]; 'class': values are class indices 0..classes-1. */
  kind: 'probability' | 'class';
}

/** Pictures sent to the page at most, and their largest side in pixels once downsampled. */
export const MAX_PICTURES = 24;
export const MAX_PICTURE_SIDE = 32;
/** Classes a confusion matrix may have (k × k counts). */
export const MAX_CONFUSION_CLASSES = 64;

/**
 * Sample pictures of an image dataset with the network's predictions, and the confusion matrix
 * over the whole set they come from (the course's print_mislabeled_images, plus the counts).
 * Small by construction: at most MAX_PICTURES pictures of at most MAX_PICTURE_SIDE pixels a side.
 */
export interface PictureSamples {
  /** The dev set when there is one, else the training set. */
  set: 'dev' | 'train';
  /** The iteration whose parameters predicted (the last one at the end of a run). */
  iteration: number;
  /** Each picture's size as sent (after downsampling); channels 1 (grey) or 3 (RGB). */
  height: number;
  width: number;
  channels: 1 | 3;
  /** The class names in label order (the data's, else "0", "1", ...). */
  classNames: string[];
  /** Every picture's pixels, 0..255, row-major (height, width, channels), one after the other. */
  pixels: number[];
  /** Per picture: the predicted and the true class index. Mislabelled pictures come first. */
  predicted: number[];
  actual: number[];
  /** Per picture: the example's index (column) in its set. */
  index: number[];
  /** confusion[t * k + p]: examples of true class t predicted as p, over the whole set (k classes). */
  confusion: number[];
  /** Examples in the set and how many of them are mislabelled. */
  total: number;
  mislabelled: number;
}

export const RUN_STATUSES = ['done', 'aborted', 'diverged', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What a finished run reports to the page and the output channel. */
export interface RunSummary {
  status: RunStatus;
  message?: string;
  iterationsRun: number;
  finalCost: number | null;
  trainAccuracy?: Fraction | null;
  devAccuracy?: Fraction | null;
  devCost?: number | null;
  elapsedMs: number;
  /** Where the parameters were written (absent when they were not saved). */
  paramsPath?: string;
  /**
   * A stopped run (or a diverged one whose last parameters are finite) is not saved by itself:
   * true when the extension holds its parameters and offers to save them.
   */
  canSave?: boolean;
}

/** A problem located in the .dnn.json: a UTF-16 offset range, as in src/core/problems.ts. */
export interface LocatedMessage {
  message: string;
  offset?: number;
  length?: number;
}

// ---------------------------------------------------------------------------------------------
// Extension -> webview

/** Extension, right after `ready`: which file the panel is for and its current settings. */
export interface InitMessage {
  type: 'init';
  /** The .dnn.json's URI as a string (kept in the page's state for the panel serializer). */
  file: string;
  title: string;
  settings: RunSettings;
  /** True when the network has 2 inputs, so the page shows the decision-boundary plot. */
  twoD: boolean;
  /** True while a run of this file is going on (the page may have been reloaded mid-run). */
  running: boolean;
}

/** Extension, when a run starts (from the page's Start or from the Train command). */
export interface RunStartedMessage {
  type: 'runStarted';
  runId: number;
  settings: RunSettings;
  /** True when the data has a dev set, so the page draws the dev curves. */
  hasDev: boolean;
  /** True when the run's network has 2 inputs: the page shows the decision boundary for this run. */
  twoD: boolean;
  /** Examples in the training set: each iteration goes over all of them (examples per second). */
  m?: number;
  /** True when an iteration is an epoch of mini-batches, so the page counts epochs. */
  epochs?: boolean;
}

/** Extension, forwarding the worker's data points for the boundary plot (2-D inputs only). */
export interface DatasetMessage {
  type: 'dataset';
  runId: number;
  points: ScatterData;
}

/** Extension, a batch of new samples of the current run (batched: at most ~10 messages/s). */
export interface ProgressMessage {
  type: 'progress';
  runId: number;
  /** Iterations the run will do in total. */
  iterations: number;
  points: ProgressPoint[];
}

/** Extension, every few hundred iterations of a 2-D run: the network's output on a grid. */
export interface BoundaryMessage {
  type: 'boundary';
  runId: number;
  iteration: number;
  grid: BoundaryGrid;
}

/** Extension, forwarding the worker's sample pictures of image data (at the end of a run). */
export interface PicturesMessage {
  type: 'pictures';
  runId: number;
  samples: PictureSamples;
}

/** Extension, when the run is paused or resumed (by the page or the command). */
export interface RunStateMessage {
  type: 'runState';
  runId: number;
  paused: boolean;
}

/** Extension, once when the run ends, however it ended. */
export interface RunEndedMessage {
  type: 'runEnded';
  runId: number;
  summary: RunSummary;
}

/** Extension, when the .dnn.json's settings changed (edited, or "Apply to file" done). */
export interface SettingsMessage {
  type: 'settings';
  settings: RunSettings;
  twoD: boolean;
}

/**
 * Extension, when the run took a new α or optimiser setting (the page's boxes): a marker on the
 * cost curve. Carries the settings that changed (at least one).
 */
export interface TunedMessage extends Tuning {
  type: 'tuned';
  runId: number;
  /** The first iteration that stepped with the new settings. */
  iteration: number;
}

/**
 * Extension, answering the page's `predictPoint`: the network's output at the clicked point, from
 * a forward pass with the latest parameters the worker reported; or why there is none.
 */
export interface PointPredictionMessage {
  type: 'pointPrediction';
  requestId: number;
  x: number;
  y: number;
  /** P(class 1) of one sigmoid output ('probability'), else the predicted class index ('class'). */
  kind?: 'probability' | 'class';
  value?: number;
  error?: string;
}

export type ExtensionToWebview =
  | PointPredictionMessage
  | PicturesMessage
  | TunedMessage
  | InitMessage
  | RunStartedMessage
  | DatasetMessage
  | ProgressMessage
  | BoundaryMessage
  | RunStateMessage
  | RunEndedMessage
  | SettingsMessage;

// ---------------------------------------------------------------------------------------------
// Webview -> extension

/** Page, once, when its message listener is attached: the extension may now post. */
export interface ReadyMessage {
  type: 'ready';
}

/** Page, Start button: train the file with these overrides (restarts after a confirmation). */
export interface StartMessage {
  type: 'start';
  overrides: RunOverrides;
}

/** Page, Pause / Resume / Stop buttons. */
export interface PauseMessage {
  type: 'pause';
}
export interface ResumeMessage {
  type: 'resume';
}
export interface StopMessage {
  type: 'stop';
}

/** Page, Step (while paused): run one more sample's iterations (one iteration or epoch in a short run), then pause again. */
export interface StepMessage {
  type: 'step';
}

/**
 * Page, the α box, the optimiser box or the speed control changed while a run goes on (and the
 * speed before a run). α and the optimiser's settings apply to the current run from its next
 * iteration; `pace` is iterations per second (0 = full speed), for the current run and the next
 * ones of this panel.
 */
export interface TuneMessage extends Tuning {
  type: 'tune';
  pace?: number;
}

/** Page, "Save parameters" after a run stopped (or diverged) without saving: save them beside the file. */
export interface SaveParamsMessage {
  type: 'saveParams';
  runId: number;
}

/** Page, "Apply to file": write the overrides into the .dnn.json as an undoable edit. */
export interface ApplyToFileMessage {
  type: 'applyToFile';
  overrides: RunOverrides;
}

/** Page, Export PNG: the chart as a `data:image/png;base64,...` URL; the extension asks where to save. */
export interface ExportPngMessage {
  type: 'exportPng';
  dataUrl: string;
}

/**
 * Page, Export CSV. The extension writes the exact costs of `runId` when it still has them; `csv`
 * (the page's own samples, `iteration,cost`) is the fallback after a reload.
 */
export interface ExportCsvMessage {
  type: 'exportCsv';
  runId: number;
  csv: string;
}

/** Page, a click on the decision boundary at (x₁, x₂) = (x, y): predict that point (answered by `pointPrediction`). */
export interface PredictPointMessage {
  type: 'predictPoint';
  requestId: number;
  x: number;
  y: number;
}

export type WebviewToExtension =
  | PredictPointMessage
  | ReadyMessage
  | StartMessage
  | PauseMessage
  | ResumeMessage
  | StopMessage
  | StepMessage
  | TuneMessage
  | SaveParamsMessage
  | ApplyToFileMessage
  | ExportPngMessage
  | ExportCsvMessage;

// ---------------------------------------------------------------------------------------------
// Extension -> worker

/**
 * Values of the shared Int32 control word (`control[0]`): the extension writes, the worker reads
 * at each progress callback and sleeps with Atomics.wait while paused.
 */
export const CONTROL_RUN = 0;
export const CONTROL_PAUSE = 1;
export const CONTROL_STOP = 2;
/** Run one more progress sample, then pause again (the worker sets the word back to CONTROL_PAUSE). */
export const CONTROL_STEP = 3;

/**
 * The shared Float64 tuning words (`TrainRequest.tuning`): the extension writes, the worker reads
 * before each iteration. TUNE_LEARNING_RATE: the learning rate wanted from now on (0 = the run's
 * own); TUNE_PACE: iterations per second (0 = full speed); TUNE_OPTIMIZER: the word of each
 * optimiser setting (NaN = the run's own, since 0 is a valid β).
 */
export const TUNE_LEARNING_RATE = 0;
export const TUNE_PACE = 1;
export const TUNE_OPTIMIZER: Readonly<Record<OptimizerTunable, number>> = { beta: 2, beta1: 3, beta2: 4, epsilon: 5 };
/** How many Float64 tuning words there are. */
export const TUNE_WORDS = 6;
/** Pace values the page offers, iterations per second; 0 = full speed. */
export const MAX_PACE = 1_000_000;

/** Extension, once, right after starting the worker: train this file. */
export interface TrainRequest {
  type: 'train';
  /** Absolute path of the .dnn.json (data paths in it are relative to its folder). */
  file: string;
  /** The file's text (the editor's buffer, which may be unsaved). */
  text: string;
  overrides: RunOverrides;
  /** Where to write the parameters when the run completes; absent = do not save. */
  paramsPath?: string;
  /** A SharedArrayBuffer of 4 bytes (one Int32), see CONTROL_*. */
  control?: SharedArrayBuffer;
  /** A SharedArrayBuffer of TUNE_WORDS Float64, see TUNE_*. */
  tuning?: SharedArrayBuffer;
  /** Grid resolution of the decision boundary (per side) and how often to compute it. */
  boundaryGrid?: number;
  boundaryEvery?: number;
}

/** Extension, once, right after starting the worker: run the engine's gradient check. */
export interface GradientCheckRequest {
  type: 'gradientCheck';
  file: string;
  text: string;
  epsilon?: number;
}

/** Extension, to end the run early (the control word says it too, for a loop that never yields). */
export interface StopRequest {
  type: 'stop';
}

export type ExtensionToWorker = TrainRequest | GradientCheckRequest | StopRequest;

// ---------------------------------------------------------------------------------------------
// Worker -> extension

/** Worker, once the spec and data are loaded and training is about to start. */
export interface TrainStartedMessage {
  type: 'trainStarted';
  settings: RunSettings;
  hasDev: boolean;
  /** Examples in the training set, m. */
  m: number;
  /** Human-readable origin of the data, e.g. "planar (built-in, m = 400)". */
  source: string;
  /** Present for 2-D inputs. */
  points?: ScatterData;
  /** True when an iteration is an epoch of mini-batches. */
  epochs?: boolean;
}

/** Worker, during training: a batch of samples (flushed every ~100 ms and at the end). */
export interface WorkerProgressMessage {
  type: 'progress';
  iterations: number;
  points: ProgressPoint[];
}

/** Worker, every `boundaryEvery` iterations of a 2-D run and at the end. */
export interface WorkerBoundaryMessage {
  type: 'boundary';
  iteration: number;
  grid: BoundaryGrid;
  /**
   * The parameters the grid was computed with, as a parameters file's text: the extension keeps
   * the latest to predict a point the page's user clicks (even while the worker is paused).
   */
  parameters?: string;
}

/** Worker, for image data, after the last iteration: sample pictures and the confusion matrix. */
export interface WorkerPicturesMessage {
  type: 'pictures';
  samples: PictureSamples;
}

/** Worker, when a new α or optimiser setting took effect (read from the tuning words): the ones that changed. */
export interface WorkerTunedMessage extends Tuning {
  type: 'tuned';
  iteration: number;
}

/** Worker, once when training ends. `costs` holds every iteration's cost (full precision). */
export interface TrainDoneMessage {
  type: 'trainDone';
  summary: RunSummary;
  costs: number[];
  /**
   * The parameters file's text (with its meta) of a run that ended without saving, stopped or
   * diverged with finite parameters: the extension offers to save it.
   */
  unsavedParams?: string;
}

/** One parameter group of the gradient check ("W1", "b1", ...). */
export interface GradientGroupResult {
  name: string;
  /** The largest relative error |analytic - numeric| / (|analytic| + |numeric|) in this group. */
  difference: number;
  /** Entries in this group. */
  count: number;
  /** The entry with the largest relative error. */
  worst?: { index: number; analytic: number; numeric: number };
  ok: boolean;
}

/** Worker, once when the gradient check ends. */
export interface GradientCheckDoneMessage {
  type: 'gradientCheckDone';
  epsilon: number;
  /** The course's single number over all parameters. */
  difference: number;
  threshold: number;
  groups: GradientGroupResult[];
}

/** Worker, instead of a result: the file, the data or the engine refused (with a position when known). */
export interface FailedMessage {
  type: 'failed';
  errors: LocatedMessage[];
}

export type WorkerToExtension =
  | WorkerPicturesMessage
  | WorkerTunedMessage
  | TrainStartedMessage
  | WorkerProgressMessage
  | WorkerBoundaryMessage
  | TrainDoneMessage
  | GradientCheckDoneMessage
  | FailedMessage;

// ---------------------------------------------------------------------------------------------
// The export worker (dist/exportWorker.js): DNN: Export… off the extension host's thread

/** Extension, once, right after starting the export worker: export `file` (its buffer `text`) as `format`. */
export interface ExportRequest {
  type: 'export';
  /** Absolute path of the .dnn.json; the export is written beside it. */
  file: string;
  /** The file's text (the editor's buffer, which may be unsaved). */
  text: string;
  /** A key of src/export's EXPORTERS. */
  format: string;
  /** A parameters file whose weights the export embeds when it fits the network. */
  paramsPath?: string;
}

/** What the export worker is doing, for the progress notification (in this order). */
export const EXPORT_STAGES = ['checking', 'readingWeights', 'building', 'writing'] as const;
export type ExportStage = (typeof EXPORT_STAGES)[number];

/** Export worker: a new stage has started; `files` (while writing) are the paths about to be written. */
export interface ExportStageMessage {
  type: 'exportStage';
  stage: ExportStage;
  /** While building: true when the model's weights are drawn from the initialisation (no parameters file). */
  drawing?: boolean;
  /** While drawing: the fraction of the initial weights drawn so far, 0 to 1. */
  drawn?: number;
  files?: string[];
}

/** Export worker, last word on success: what it wrote. */
export interface ExportDoneMessage {
  type: 'exportDone';
  /** The exported file. */
  out: string;
  /** The files written beside it (built-in data), absolute paths. */
  companions: string[];
  /** True when the export is text (a script the editor opens), false for bytes (ONNX). */
  text: boolean;
  /** The parameters file whose weights were embedded. */
  paramsName?: string;
  /** Things the log should say (a parameters file that does not fit, exported without it). */
  warnings: string[];
}

/** Export worker, last word on failure: `problems` when the file must be fixed first (see Problems). */
export interface ExportFailedMessage {
  type: 'exportFailed';
  reason: 'problems' | 'error';
  message: string;
}

export type ExportWorkerToExtension = ExportStageMessage | ExportDoneMessage | ExportFailedMessage;

// ---------------------------------------------------------------------------------------------
// The debug channel (tests only)
//
// Test-only traffic, kept out of the production unions: the page reports what it drew so that the
// editor tests can wait for it, and the extension answers the tests' `dnn._*` commands (see
// src/extension/training/debug.ts and webview/debug.ts, the one module on each side that owns it).

/**
 * The name of the `<meta>` the panel's HTML carries when the debug channel is on. Without it the
 * page neither posts debug messages nor exposes its charts to the page tests.
 */
export const DEBUG_META = 'dnn-debug';

/** What the page has drawn of its current run. */
export interface RenderedReport {
  runId: number;
  /** Raw samples received for the current run. */
  received: number;
  /** Points drawn on the current run's cost curve (after decimation). */
  points: number;
  /** Decision-boundary heatmaps drawn for the current run. */
  boundaries: number;
  /** Frames drawn with new samples of the current run (a run that animates draws several). */
  frames?: number;
  /** Whether the page shows the decision boundary, and the learning rate its α box shows as the file's. */
  twoD?: boolean;
  fileLearningRate?: number;
  /** Learning-rate markers on the current run's cost curve. */
  markers?: number;
  /** Pictures drawn in the image grid, and the classes of the confusion matrix drawn (image data). */
  pictures?: number;
  confusionClasses?: number;
}

/** Page, debug channel only: after drawing (throttled), when what it shows changed. */
export interface PageDebugMessage {
  type: 'debug';
  rendered: RenderedReport;
}

// ---------------------------------------------------------------------------------------------
// Guards

/** For exhaustive switches: a new message type that is not handled fails to compile. */
export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}

/**
 * A plain object, as JSON and structured clone make them. A Map, Date, RegExp, ArrayBuffer or
 * boxed value is an object too, but never a message: their entries are not their properties.
 */
function isObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** True when a setting may take `v`: α and ε above 0, a β in [0, 1) (the parser's ranges). */
export function validTuning(key: keyof Tuning, v: unknown): v is number {
  if (!isFiniteNumber(v)) return false;
  return key === 'learningRate' || key === 'epsilon' ? v > 0 : v >= 0 && v < 1;
}

/** The Tuning keys of `m` are absent or valid; with `some`, at least one is present. */
function isTuning(m: Record<string, unknown>, some: boolean): boolean {
  let present = 0;
  for (const key of TUNING_KEYS) {
    if (m[key] === undefined) continue;
    if (!validTuning(key, m[key])) return false;
    present++;
  }
  return !some || present > 0;
}

function isCoordinate(x: unknown): x is number {
  return isFiniteNumber(x) && Math.abs(x) <= MAX_COORDINATE;
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** A fraction in [0, 1] (an accuracy); a percent such as 90 is refused. */
export function isFraction(x: unknown): x is Fraction {
  return isFiniteNumber(x) && x >= 0 && x <= 1;
}

/** Absent, null (not finite, after JSON), or what `check` accepts. */
function optional(x: unknown, check: (v: unknown) => boolean): boolean {
  return x === undefined || x === null || check(x);
}

/** A sample as the worker and the extension send it: accuracies are fractions. */
export function isProgressPoint(x: unknown): x is ProgressPoint {
  return (
    isObject(x) &&
    Number.isInteger(x.iteration) &&
    (x.iteration as number) >= 0 &&
    (x.cost === null || isFiniteNumber(x.cost)) &&
    optional(x.devCost, isFiniteNumber) &&
    optional(x.trainAccuracy, isFraction) &&
    optional(x.devAccuracy, isFraction) &&
    isFiniteNumber(x.elapsedMs)
  );
}

/** A run's summary as the worker and the extension send it: accuracies are fractions. */
export function isRunSummary(x: unknown): x is RunSummary {
  return (
    isObject(x) &&
    (RUN_STATUSES as readonly unknown[]).includes(x.status) &&
    optional(x.message, (v) => typeof v === 'string') &&
    Number.isInteger(x.iterationsRun) &&
    (x.iterationsRun as number) >= 0 &&
    (x.finalCost === null || isFiniteNumber(x.finalCost)) &&
    optional(x.trainAccuracy, isFraction) &&
    optional(x.devAccuracy, isFraction) &&
    optional(x.devCost, isFiniteNumber) &&
    isFiniteNumber(x.elapsedMs) &&
    optional(x.paramsPath, (v) => typeof v === 'string') &&
    optional(x.canSave, (v) => typeof v === 'boolean')
  );
}

/** Overrides as the page may send them: each key optional, values finite and in range. */
export function isRunOverrides(x: unknown): x is RunOverrides {
  if (!isObject(x)) return false;
  for (const [k, v] of Object.entries(x)) {
    if (v === undefined) continue;
    switch (k) {
      case 'learningRate':
        if (!isFiniteNumber(v) || v <= 0) return false;
        break;
      case 'iterations':
        if (!isFiniteNumber(v) || !Number.isInteger(v) || v < 1 || v > 10_000_000) return false;
        break;
      case 'optimizer':
        if (!(OPTIMIZER_CHOICES as readonly unknown[]).includes(v)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** The largest PNG the extension accepts from the page (characters of the data URL). */
export const MAX_PNG_DATA_URL = 20_000_000;
/** The largest fallback CSV the extension accepts from the page. */
export const MAX_CSV = 20_000_000;
/** The largest parameters text a boundary message may carry (a 2-D network is small). */
export const MAX_BOUNDARY_PARAMS = 20_000_000;
/** Coordinates of a clicked point: finite, and no larger than a plot's range can be. */
const MAX_COORDINATE = 1e300;

/**
 * True when `x` is a well-formed message from the webview. The extension drops anything else (and
 * logs it): a page can be stale (an old version restored after an update) or compromised.
 */
export function isWebviewToExtension(x: unknown): x is WebviewToExtension {
  if (!isObject(x) || typeof x.type !== 'string') return false;
  const m = x as { type: WebviewToExtension['type'] } & Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'pause':
    case 'resume':
    case 'stop':
    case 'step':
      return true;
    case 'tune':
      return isTuning(m, false) && (m.pace === undefined || (isFiniteNumber(m.pace) && m.pace >= 0 && m.pace <= MAX_PACE));
    case 'start':
    case 'applyToFile':
      return isRunOverrides(m.overrides);
    case 'exportPng':
      return (
        typeof m.dataUrl === 'string' &&
        m.dataUrl.length <= MAX_PNG_DATA_URL &&
        m.dataUrl.startsWith('data:image/png;base64,')
      );
    case 'saveParams':
      return isCount(m.runId);
    case 'predictPoint':
      return isCount(m.requestId) && isCoordinate(m.x) && isCoordinate(m.y);
    case 'exportCsv':
      return (
        Number.isInteger(m.runId) && typeof m.csv === 'string' && m.csv.length <= MAX_CSV
      );
    default:
      assertNeverType(m.type);
      return false;
  }
}

/** Compile-time exhaustiveness without throwing at run time (unknown types are just rejected). */
function assertNeverType(_t: never): void {}

function isBoolean(x: unknown): x is boolean {
  return typeof x === 'boolean';
}

function isString(x: unknown): x is string {
  return typeof x === 'string';
}

function isCount(x: unknown): x is number {
  return Number.isInteger(x) && (x as number) >= 0;
}

/** An array whose every element passes `check`. */
function isArrayOf(x: unknown, check: (v: unknown) => boolean): boolean {
  if (!Array.isArray(x)) return false;
  for (const v of x) if (!check(v)) return false;
  return true;
}

/** A number or null: a value that may be NaN, which JSON (the page's transport) turns into null. */
function isNumberOrNull(x: unknown): boolean {
  return x === null || typeof x === 'number';
}

/** Settings of a run; 0 is allowed for a file whose settings are not known yet. */
function isRunSettings(x: unknown): x is RunSettings {
  return (
    isObject(x) &&
    isFiniteNumber(x.learningRate) &&
    x.learningRate >= 0 &&
    isCount(x.iterations) &&
    (OPTIMIZER_CHOICES as readonly unknown[]).includes(x.optimizer)
  );
}

function isScatterData(x: unknown): x is ScatterData {
  return (
    isObject(x) &&
    isArrayOf(x.x, isNumberOrNull) &&
    isArrayOf(x.y, isNumberOrNull) &&
    isArrayOf(x.label, isCount) &&
    (x.x as unknown[]).length === (x.label as unknown[]).length &&
    (x.y as unknown[]).length === (x.label as unknown[]).length &&
    isCount(x.classes) &&
    (x.dev === undefined || (isObject(x.dev) && isArrayOf(x.dev.x, isNumberOrNull) && isArrayOf(x.dev.y, isNumberOrNull) && isArrayOf(x.dev.label, isCount) &&
      (x.dev.x as unknown[]).length === (x.dev.label as unknown[]).length && (x.dev.y as unknown[]).length === (x.dev.label as unknown[]).length))
  );
}

function isBoundaryGrid(x: unknown): x is BoundaryGrid {
  return (
    isObject(x) &&
    isFiniteNumber(x.xMin) &&
    isFiniteNumber(x.xMax) &&
    isFiniteNumber(x.yMin) &&
    isFiniteNumber(x.yMax) &&
    isCount(x.nx) &&
    isCount(x.ny) &&
    isArrayOf(x.values, isNumberOrNull) &&
    (x.values as unknown[]).length === (x.nx as number) * (x.ny as number) &&
    (x.kind === 'probability' || x.kind === 'class')
  );
}

/** Pictures as the page may draw them: sizes within the caps, every array of the length it claims. */
export function isPictureSamples(x: unknown): x is PictureSamples {
  if (!isObject(x)) return false;
  const { height: h, width: w, channels: c, classNames, pixels, predicted, actual, index, confusion } = x;
  if (x.set !== 'dev' && x.set !== 'train') return false;
  if (!isCount(x.iteration) || !isCount(x.total) || !isCount(x.mislabelled) || (x.mislabelled as number) > (x.total as number)) return false;
  if (!isCount(h) || !isCount(w) || h < 1 || w < 1 || h > MAX_PICTURE_SIDE || w > MAX_PICTURE_SIDE || (c !== 1 && c !== 3)) return false;
  if (!isArrayOf(classNames, isString)) return false;
  const k = (classNames as string[]).length;
  if (k < 1 || k > MAX_CONFUSION_CLASSES) return false;
  const isClass = (v: unknown) => isCount(v) && (v as number) < k;
  if (!isArrayOf(predicted, isClass) || !isArrayOf(actual, isClass) || !isArrayOf(index, isCount)) return false;
  const n = (predicted as number[]).length;
  if (n > MAX_PICTURES || (actual as number[]).length !== n || (index as number[]).length !== n) return false;
  if (!isArrayOf(pixels, (v) => isCount(v) && (v as number) <= 255) || (pixels as number[]).length !== n * h * w * c) return false;
  return isArrayOf(confusion, isCount) && (confusion as number[]).length === k * k;
}

function isLocatedMessage(x: unknown): x is LocatedMessage {
  return isObject(x) && isString(x.message) && optional(x.offset, isCount) && optional(x.length, isCount);
}

function isGradientGroup(x: unknown): x is GradientGroupResult {
  return (
    isObject(x) &&
    isString(x.name) &&
    typeof x.difference === 'number' &&
    isCount(x.count) &&
    isBoolean(x.ok) &&
    optional(x.worst, (w) => isObject(w) && isCount(w.index) && typeof w.analytic === 'number' && typeof w.numeric === 'number')
  );
}

/**
 * True when `x` is a well-formed message from the extension. The page drops anything else: an
 * accuracy in percent, or a message of a newer extension, must not reach the charts.
 */
export function isExtensionToWebview(x: unknown): x is ExtensionToWebview {
  if (!isObject(x) || typeof x.type !== 'string') return false;
  const m = x as { type: ExtensionToWebview['type'] } & Record<string, unknown>;
  switch (m.type) {
    case 'init':
      return isString(m.file) && isString(m.title) && isRunSettings(m.settings) && isBoolean(m.twoD) && isBoolean(m.running);
    case 'runStarted':
      return (
        isCount(m.runId) && isRunSettings(m.settings) && isBoolean(m.hasDev) && isBoolean(m.twoD) && optional(m.m, isCount) && optional(m.epochs, isBoolean)
      );
    case 'pictures':
      return isCount(m.runId) && isPictureSamples(m.samples);
    case 'dataset':
      return isCount(m.runId) && isScatterData(m.points);
    case 'progress':
      return isCount(m.runId) && isCount(m.iterations) && isArrayOf(m.points, isProgressPoint);
    case 'boundary':
      return isCount(m.runId) && isCount(m.iteration) && isBoundaryGrid(m.grid);
    case 'runState':
      return isCount(m.runId) && isBoolean(m.paused);
    case 'runEnded':
      return isCount(m.runId) && isRunSummary(m.summary);
    case 'settings':
      return isRunSettings(m.settings) && isBoolean(m.twoD);
    case 'tuned':
      return isCount(m.runId) && isCount(m.iteration) && isTuning(m, true);
    case 'pointPrediction':
      return (
        isCount(m.requestId) && isCoordinate(m.x) && isCoordinate(m.y) &&
        (m.error === undefined
          ? (m.kind === 'probability' || m.kind === 'class') && isFiniteNumber(m.value)
          : isString(m.error) && m.kind === undefined && m.value === undefined)
      );
    default:
      assertNeverType(m.type);
      return false;
  }
}

/**
 * True when `x` is a well-formed message from the training worker. The extension drops anything
 * else before it reaches the page, the progress notification or the output channel.
 */
export function isWorkerToExtension(x: unknown): x is WorkerToExtension {
  if (!isObject(x) || typeof x.type !== 'string') return false;
  const m = x as { type: WorkerToExtension['type'] } & Record<string, unknown>;
  switch (m.type) {
    case 'trainStarted':
      return (
        isRunSettings(m.settings) && isBoolean(m.hasDev) && isCount(m.m) && isString(m.source) && (m.points === undefined || isScatterData(m.points)) &&
        optional(m.epochs, isBoolean)
      );
    case 'pictures':
      return isPictureSamples(m.samples);
    case 'progress':
      return isCount(m.iterations) && isArrayOf(m.points, isProgressPoint);
    case 'boundary':
      return isCount(m.iteration) && isBoundaryGrid(m.grid) && optional(m.parameters, (p) => isString(p) && p.length <= MAX_BOUNDARY_PARAMS);
    case 'trainDone':
      // Costs travel by structured clone, which keeps NaN: any number is a cost.
      return isRunSummary(m.summary) && isArrayOf(m.costs, (c) => typeof c === 'number') && optional(m.unsavedParams, isString);
    case 'gradientCheckDone':
      return (
        typeof m.epsilon === 'number' &&
        typeof m.difference === 'number' &&
        typeof m.threshold === 'number' &&
        isArrayOf(m.groups, isGradientGroup)
      );
    case 'failed':
      return isArrayOf(m.errors, isLocatedMessage);
    case 'tuned':
      return isCount(m.iteration) && isTuning(m, true);
    default:
      assertNeverType(m.type);
      return false;
  }
}

/** True when `x` is a well-formed message of the debug channel (tests only). */
export function isPageDebugMessage(x: unknown): x is PageDebugMessage {
  if (!isObject(x) || x.type !== 'debug' || !isObject(x.rendered)) return false;
  const r = x.rendered;
  return (
    isCount(r.runId) && isCount(r.received) && isCount(r.points) && isCount(r.boundaries) &&
    optional(r.frames, isCount) && optional(r.twoD, isBoolean) && optional(r.fileLearningRate, isFiniteNumber) && optional(r.markers, isCount) &&
    optional(r.pictures, isCount) && optional(r.confusionClasses, isCount)
  );
}

/** True when `x` is a well-formed export request (the export worker checks what it is asked). */
export function isExportRequest(x: unknown): x is ExportRequest {
  return isObject(x) && x.type === 'export' && isString(x.file) && isString(x.text) && isString(x.format) && (x.paramsPath === undefined || isString(x.paramsPath));
}

/** True when `x` is a well-formed message from the export worker; the extension drops anything else. */
export function isExportWorkerToExtension(x: unknown): x is ExportWorkerToExtension {
  if (!isObject(x) || typeof x.type !== 'string') return false;
  const m = x as { type: ExportWorkerToExtension['type'] } & Record<string, unknown>;
  switch (m.type) {
    case 'exportStage':
      return (
        typeof m.stage === 'string' && (EXPORT_STAGES as readonly string[]).includes(m.stage) &&
        (m.drawing === undefined || isBoolean(m.drawing)) && (m.files === undefined || isArrayOf(m.files, isString)) &&
        (m.drawn === undefined || (typeof m.drawn === 'number' && m.drawn >= 0 && m.drawn <= 1))
      );
    case 'exportDone':
      return (
        isString(m.out) && isArrayOf(m.companions, isString) && isBoolean(m.text) && (m.paramsName === undefined || isString(m.paramsName)) &&
        isArrayOf(m.warnings, isString)
      );
    case 'exportFailed':
      return (m.reason === 'problems' || m.reason === 'error') && isString(m.message);
    default:
      assertNeverType(m.type);
      return false;
  }
}
