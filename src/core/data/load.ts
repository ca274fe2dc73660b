/**
 * The spec's `data`, loaded and checked: built-in or CSV, dev split, standardisation, then
 * checked against the network. The core reads no files: the caller passes a reader (the CLI and
 * the extension use src/node/data.ts, tests pass an object of strings).
 */
import type { Node } from 'jsonc-parser';
import type { JsonPath, Problem } from '../problems';
import type { Spec } from '../format/types';
import { BUILTIN_DEFAULTS, builtinDataset } from './builtin';
import { checkDataAgainstSpec } from './check';
import { rangeAt } from '../format/locate';
import { parseSpec } from '../format/parse';
import { formatDataError, parseCsv, type CsvData, type DataError } from './csv';
import { encodeLabels } from './labels';
import { fitStandardization, splitDev, standardize } from './split';
import type { DataSplit, Dataset } from './types';

/** The text of a file, or why it could not be read (src/node/files.ts's ReadResult). */
export type ReadTextResult = { ok: true; text: string } | { ok: false; message: string };
export type ReadText = (path: string) => Promise<ReadTextResult>;

export interface LoadDataOptions {
  /** The .dnn.json's parse tree (`checkText(text).tree`), so problems get ranges (and fixes) in it. */
  tree?: Node;
  /**
   * The .dnn.json's text, for a caller that has no tree: it is then parsed here a second time, so
   * pass `tree` when the text was just checked.
   */
  text?: string;
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

/** Loads `spec.data` relative to `baseDir` (the .dnn.json's folder) and checks it against the network. */
export async function loadData(spec: Spec, baseDir: string, readText: ReadText, options: LoadDataOptions = {}): Promise<LoadDataResult> {
  const tree = options.tree ?? (options.text !== undefined ? parseSpec(options.text).tree : undefined);
  const resolve = options.resolve ?? joinPath;
  const problems: Problem[] = [];
  const dataErrors: DataError[] = [];
  const dataError = (path: JsonPath, message: string): void => {
    problems.push({ code: 'data-error', severity: 'error', message, path, range: rangeAt(tree, path) });
  };
  const data = spec.data;
  if (!data) {
    dataError([], 'there is no "data" to train on: add "data": { "builtin": "planar" } or "data": { "train": "train.csv" }');
    return { problems, dataErrors };
  }
  const last = spec.layers[spec.layers.length - 1];
  const nL = last?.type === 'dense' ? last.units : 1;

  let dataset: Dataset;
  if (data.kind === 'builtin') {
    const fixed = BUILTIN_DEFAULTS[data.builtin];
    if (data.classes !== undefined && !fixed.classesOption && data.classes !== fixed.classes) {
      // Not an error (the data is still made), but the number is ignored and the user should know.
      const path: JsonPath = [...data.path, 'classes'];
      problems.push({
        code: 'data-error',
        severity: 'warning',
        message: `${data.builtin} always has ${fixed.classes} classes; "classes" applies to spiral and blobs and is ignored here`,
        path,
        range: rangeAt(tree, path),
      });
    }
    try {
      const options: { examples?: number; noise?: number; seed?: number; classes?: number } = {};
      if (data.examples !== undefined) options.examples = data.examples;
      if (data.noise !== undefined) options.noise = data.noise;
      if (data.seed !== undefined) options.seed = data.seed;
      if (data.classes !== undefined) options.classes = data.classes;
      dataset = builtinDataset(data.builtin, options);
    } catch (e) {
      dataError(data.path, `cannot make the ${data.builtin} data: ${e instanceof Error ? e.message : String(e)}`);
      return { problems, dataErrors };
    }
  } else {
    const task = spec.loss === 'mse' ? 'values' : 'classes';
    const readCsv = async (rel: string, path: JsonPath): Promise<CsvData | undefined> => {
      const read = await readText(resolve(baseDir, rel));
      if (!read.ok) {
        dataError(path, `${rel}: ${read.message}`);
        dataErrors.push({ file: rel, line: 1, column: 1, message: read.message });
        return undefined;
      }
      const parsed = parseCsv(read.text, rel, { label: data.label, task });
      if (parsed.ok) return parsed.data;
      dataErrors.push(...parsed.errors);
      for (const e of parsed.errors.slice(0, MAX_FILE_PROBLEMS)) dataError(path, formatDataError(e));
      if (parsed.errors.length > MAX_FILE_PROBLEMS) dataError(path, `${rel}: ${parsed.errors.length - MAX_FILE_PROBLEMS} more errors`);
      return undefined;
    };
    const train = await readCsv(data.train, [...data.path, 'train']);
    const dev = data.dev !== undefined ? await readCsv(data.dev, [...data.path, 'dev']) : undefined;
    if (!train || (data.dev !== undefined && !dev)) return { problems, dataErrors };
    if (dev && dev.featureNames.join('\u0000') !== train.featureNames.join('\u0000')) {
      const message = `the dev file's feature columns (${dev.featureNames.join(', ')}) differ from the training file's (${train.featureNames.join(', ')})`;
      dataErrors.push({ file: data.dev!, line: 1, column: 1, message });
      dataError([...data.path, 'dev'], `${data.dev}:1:1: ${message}`);
      return { problems, dataErrors };
    }
    let classes = train.classes;
    if (classes !== undefined) {
      classes = Math.max(classes, dev?.classes ?? 0);
      // Labels 0..k-1 in the file with more softmax units: the file simply lacks the last classes.
      if (spec.loss === 'categorical-cross-entropy' && classes < nL) classes = nL;
    }
    const split = (c: CsvData): DataSplit => {
      const s: DataSplit = { X: c.X, Y: c.Y! };
      if (c.labels) {
        s.labels = c.labels;
        s.Y = encodeLabels(c.labels, classes!, c.Y!.rows === classes ? classes : undefined);
      }
      return s;
    };
    dataset = { train: split(train), featureNames: train.featureNames, source: data.train };
    if (dev) {
      dataset.dev = split(dev);
      dataset.source = `${data.train} (dev: ${data.dev})`;
    }
    if (classes !== undefined) dataset.classes = classes;
  }

  // Two classes as the network wants them: a 0/1 row for one sigmoid unit, one-hot for two softmax units.
  if (dataset.classes !== undefined && (nL === 1 || nL === dataset.classes)) {
    for (const s of [dataset.train, dataset.dev]) {
      if (s?.labels) s.Y = encodeLabels(s.labels, dataset.classes, nL);
    }
  }

  if (data.devFraction > 0 && !dataset.dev) {
    if (dataset.train.X.cols < 2) {
      dataError([...data.path, 'devFraction'], `a dev set needs at least 2 examples; the data has ${dataset.train.X.cols}`);
      return { problems, dataErrors };
    }
    const { train, dev } = splitDev(dataset.train, data.devFraction, splitSeed(spec));
    dataset.train = train;
    dataset.dev = dev;
  }

  if (data.standardize) {
    const s = fitStandardization(dataset.train.X);
    dataset.standardization = s;
    dataset.train = { ...dataset.train, X: standardize(dataset.train.X, s) };
    if (dataset.dev) dataset.dev = { ...dataset.dev, X: standardize(dataset.dev.X, s) };
  }

  problems.push(...checkDataAgainstSpec(spec, dataset, tree));
  if (problems.some((p) => p.severity === 'error')) return { problems, dataErrors };
  return { dataset, problems, dataErrors };
}
