/**
 * The spec's `data`, loaded and checked: built-in or CSV, dev split, standardisation, then
 * checked against the network. The core reads no files: the caller passes a reader (the CLI and
 * the extension use src/node/data.ts, tests pass an object of strings).
 */
import type { Node } from 'jsonc-parser';
import type { JsonPath, Problem, Severity } from '../problems';
import type { DataSpec, Spec } from '../format/types';
import { BUILTIN_DEFAULTS, builtinDataset } from './builtin';
import { checkDataAgainstSpec } from './check';
import { rangeAt } from '../format/locate';
import { formatDataError, parseCsv, type CsvData, type CsvOptions, type DataError } from './csv';
import { encodeLabels } from './labels';
import { fitStandardization, splitDev, standardize } from './split';
import type { DataSplit, Dataset } from './types';

/** The text of a file, or why it could not be read (src/node/files.ts's ReadResult). */
export type ReadTextResult = { ok: true; text: string } | { ok: false; message: string };
export type ReadText = (path: string) => Promise<ReadTextResult>;

export interface LoadDataOptions {
  /** The .dnn.json's parse tree (`checkText(text).tree`), so problems get ranges (and fixes) in it. */
  tree?: Node;
  /** Joins the .dnn.json's folder and a path written in it (default: joinPath). */
  resolve?: (baseDir: string, relative: string) => string;
}

export interface LoadDataResult {
  /** Present when there is no error: data ready for training, shaped for the network. */
  dataset?: Dataset;
  /** Against the .dnn.json: 'data-error' (at data.train, data.dev, ...) and 'data-mismatch'. */
  problems: Problem[];
  /** Errors inside data files, positioned in those files (also summarised in `problems`). */
  dataErrors: DataError[];
}

/**
 * A path relative to a folder, by string rules only (the core has no 'path' module): absolute
 * paths (/x, C:\x, C:/x, \\server\x) are kept; otherwise folder + separator + path, with the
 * folder's own separator style.
 */
export function joinPath(baseDir: string, relative: string): string {
  if (/^([a-zA-Z]:)?[\\/]/.test(relative)) return relative;
  if (baseDir === '' || baseDir === '.') return relative;
  const sep = baseDir.includes('\\') && !baseDir.includes('/') ? '\\' : '/';
  return /[\\/]$/.test(baseDir) ? baseDir + relative : baseDir + sep + relative;
}

/** At most this many CSV errors become problems in the .dnn.json; the rest are summarised. */
const MAX_FILE_PROBLEMS = 5;

/** The seed of the dev split: training.seed when given, else 0, so the split never changes between runs. */
export function splitSeed(spec: Spec): number {
  return spec.training.seed ?? 0;
}

type BuiltinSpec = Extract<DataSpec, { kind: 'builtin' }>;
type CsvSpec = Extract<DataSpec, { kind: 'csv' }>;

/** One call of loadData: what it reports, and where in the .dnn.json. */
class Loading {
  readonly problems: Problem[] = [];
  /** Errors inside data files, positioned in those files. */
  readonly dataErrors: DataError[] = [];

  constructor(
    readonly spec: Spec,
    private readonly tree: Node | undefined,
  ) {}

  /** A 'data-error' at `path` of the .dnn.json. */
  dataError(path: JsonPath, message: string, severity: Severity = 'error'): void {
    this.problems.push({ code: 'data-error', severity, message, path, range: rangeAt(this.tree, path) });
  }

  /** What loadData returns: the data only when nothing is an error. */
  result(dataset?: Dataset): LoadDataResult {
    if (this.problems.some((p) => p.severity === 'error')) dataset = undefined;
    return { ...(dataset ? { dataset } : {}), problems: this.problems, dataErrors: this.dataErrors };
  }

  /** n[L], the output layer's units (1 for a spec without layers, which the checker refuses anyway). */
  get outputUnits(): number {
    const last = this.spec.layers[this.spec.layers.length - 1];
    return last?.type === 'dense' ? last.units : 1;
  }
}

/** Loads `spec.data` relative to `baseDir` (the .dnn.json's folder) and checks it against the network. */
export async function loadData(spec: Spec, baseDir: string, readText: ReadText, options: LoadDataOptions = {}): Promise<LoadDataResult> {
  const tree = options.tree;
  const l = new Loading(spec, tree);
  const data = spec.data;
  if (!data) {
    l.dataError([], 'there is no "data" to train on: add "data": { "builtin": "planar" } or "data": { "train": "train.csv" }');
    return l.result();
  }
  const resolve = options.resolve ?? joinPath;
  const dataset = data.kind === 'builtin' ? builtinData(l, data) : await csvData(l, data, (rel) => readText(resolve(baseDir, rel)));
  if (!dataset) return l.result();
  labelsForOutput(dataset, l.outputUnits);
  if (data.devFraction > 0 && !dataset.dev && !holdOutDev(l, dataset, [...data.path, 'devFraction'], data.devFraction)) return l.result();
  if (data.standardize) standardizeData(dataset);
  l.problems.push(...checkDataAgainstSpec(spec, dataset, tree));
  return l.result(dataset);
}

/** A built-in dataset with the spec's options; undefined (with a problem) when it cannot be made. */
function builtinData(l: Loading, data: BuiltinSpec): Dataset | undefined {
  const fixed = BUILTIN_DEFAULTS[data.builtin];
  if (data.classes !== undefined && !fixed.classesOption && data.classes !== fixed.classes) {
    // Not an error (the data is still made), but the number is ignored and the user should know.
    l.dataError([...data.path, 'classes'], `${data.builtin} always has ${fixed.classes} classes; "classes" applies to spiral and blobs and is ignored here`, 'warning');
  }
  try {
    const options: { examples?: number; noise?: number; seed?: number; classes?: number } = {};
    if (data.examples !== undefined) options.examples = data.examples;
    if (data.noise !== undefined) options.noise = data.noise;
    if (data.seed !== undefined) options.seed = data.seed;
    if (data.classes !== undefined) options.classes = data.classes;
    return builtinDataset(data.builtin, options);
  } catch (e) {
    l.dataError(data.path, `cannot make the ${data.builtin} data: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/**
 * One CSV file named at `path` (data.train or data.dev), parsed; undefined when it cannot be read
 * or has errors, which go to `dataErrors` and, the first few, to problems at `path`.
 */
async function readCsv(l: Loading, read: ReadText, rel: string, path: JsonPath, options: CsvOptions): Promise<CsvData | undefined> {
  const text = await read(rel);
  if (!text.ok) {
    l.dataError(path, `${rel}: ${text.message}`);
    l.dataErrors.push({ file: rel, line: 1, column: 1, message: text.message });
    return undefined;
  }
  const parsed = parseCsv(text.text, rel, options);
  if (parsed.ok) return parsed.data;
  l.dataErrors.push(...parsed.errors);
  for (const e of parsed.errors.slice(0, MAX_FILE_PROBLEMS)) l.dataError(path, formatDataError(e));
  if (parsed.errors.length > MAX_FILE_PROBLEMS) l.dataError(path, `${rel}: ${parsed.errors.length - MAX_FILE_PROBLEMS} more errors`);
  return undefined;
}

/** The training file and the dev file when named, with one number of classes for both. */
async function csvData(l: Loading, data: CsvSpec, read: ReadText): Promise<Dataset | undefined> {
  const options: CsvOptions = { label: data.label, task: l.spec.loss === 'mse' ? 'values' : 'classes' };
  const train = await readCsv(l, read, data.train, [...data.path, 'train'], options);
  const dev = data.dev !== undefined ? await readCsv(l, read, data.dev, [...data.path, 'dev'], options) : undefined;
  if (!train || (data.dev !== undefined && !dev)) return undefined;
  if (dev && dev.featureNames.join('\u0000') !== train.featureNames.join('\u0000')) {
    const message = `the dev file's feature columns (${dev.featureNames.join(', ')}) differ from the training file's (${train.featureNames.join(', ')})`;
    l.dataErrors.push({ file: data.dev!, line: 1, column: 1, message });
    l.dataError([...data.path, 'dev'], `${data.dev}:1:1: ${message}`);
    return undefined;
  }
  let classes = train.classes;
  if (classes !== undefined) {
    classes = Math.max(classes, dev?.classes ?? 0);
    // Labels 0..k-1 in the file with more softmax units: the file simply lacks the last classes.
    if (l.spec.loss === 'categorical-cross-entropy' && classes < l.outputUnits) classes = l.outputUnits;
  }
  const split = (c: CsvData): DataSplit => {
    const s: DataSplit = { X: c.X, Y: c.Y! };
    if (c.labels) {
      s.labels = c.labels;
      s.Y = encodeLabels(c.labels, classes!, c.Y!.rows === classes ? classes : undefined);
    }
    return s;
  };
  const dataset: Dataset = { train: split(train), featureNames: train.featureNames, source: data.train };
  if (dev) {
    dataset.dev = split(dev);
    dataset.source = `${data.train} (dev: ${data.dev})`;
  }
  if (classes !== undefined) dataset.classes = classes;
  return dataset;
}

/** Two classes as the network wants them: a 0/1 row for one sigmoid unit, one-hot for two softmax units. */
function labelsForOutput(dataset: Dataset, nL: number): void {
  if (dataset.classes === undefined || (nL !== 1 && nL !== dataset.classes)) return;
  for (const s of [dataset.train, dataset.dev]) {
    if (s?.labels) s.Y = encodeLabels(s.labels, dataset.classes, nL);
  }
}

/** Holds out `fraction` of the training examples as the dev set; false (with a problem at `path`) when there are too few. */
function holdOutDev(l: Loading, dataset: Dataset, path: JsonPath, fraction: number): boolean {
  if (dataset.train.X.cols < 2) {
    l.dataError(path, `a dev set needs at least 2 examples; the data has ${dataset.train.X.cols}`);
    return false;
  }
  const { train, dev } = splitDev(dataset.train, fraction, splitSeed(l.spec));
  dataset.train = train;
  dataset.dev = dev;
  return true;
}

/** Standardises train and dev with the training set's statistics, kept for prediction inputs. */
function standardizeData(dataset: Dataset): void {
  const s = fitStandardization(dataset.train.X);
  dataset.standardization = s;
  dataset.train = { ...dataset.train, X: standardize(dataset.train.X, s) };
  if (dataset.dev) dataset.dev = { ...dataset.dev, X: standardize(dataset.dev.X, s) };
}
