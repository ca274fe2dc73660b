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
import { readHdf5, readHdf5ClassNames, type Hdf5Data } from './hdf5';
import { decodePicture, PICTURE_EXTENSIONS, pictureValues } from './images';
import { DIGIT_CLASSES } from './digits';
import { SHAPE_CLASSES } from './shapes';
import { encodeLabels } from './labels';
import { fitStandardization, splitDev, standardize } from './split';
import type { DataSplit, Dataset } from './types';
import type { Matrix } from '../matrix';

/** The text of a file, or why it could not be read (src/node/files.ts's ReadResult). */
export type ReadTextResult = { ok: true; text: string } | { ok: false; message: string };
export type ReadText = (path: string) => Promise<ReadTextResult>;
/** The bytes of a binary file (HDF5, a picture), or why it could not be read. */
export type ReadBytesResult = { ok: true; bytes: Uint8Array } | { ok: false; message: string };
export type ReadBytes = (path: string) => Promise<ReadBytesResult>;
/** A folder's entries sorted by name, or why it could not be listed. */
export type ListFolderResult = { ok: true; entries: { name: string; folder: boolean }[] } | { ok: false; message: string };
export type ListFolder = (path: string) => Promise<ListFolderResult>;

export interface LoadDataOptions {
  /** The .dnn.json's parse tree (`checkText(text).tree`), so problems get ranges (and fixes) in it. */
  tree?: Node;
  /** Joins the .dnn.json's folder and a path written in it (default: joinPath). */
  resolve?: (baseDir: string, relative: string) => string;
  /** Reads HDF5 files and pictures; without it such data is a 'data-error'. */
  readBytes?: ReadBytes;
  /** Lists image folders; without it such data is a 'data-error'. */
  listFolder?: ListFolder;
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
type Hdf5Spec = Extract<DataSpec, { kind: 'hdf5' }>;
type ImageSpec = Extract<DataSpec, { kind: 'images' }>;

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
  const where = (rel: string): string => resolve(baseDir, rel);
  const noBytes: ReadBytes = async () => ({ ok: false, message: 'cannot read binary files here' });
  const readBytes = options.readBytes ?? noBytes;
  let dataset: Dataset | undefined;
  if (data.kind === 'builtin') dataset = builtinData(l, data);
  else if (data.kind === 'csv') dataset = await csvData(l, data, (rel) => readText(where(rel)));
  else if (data.kind === 'hdf5') dataset = await hdf5Data(l, data, readBytes, where);
  else dataset = await imageData(l, data, readBytes, options.listFolder ?? (async () => ({ ok: false, message: 'cannot list folders here' })), where);
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
  if (data.builtin === 'digits') {
    // A fixed set of pictures: nothing is drawn, so noise and seed change nothing.
    for (const key of ['noise', 'seed'] as const) {
      if (data[key] !== undefined) l.dataError([...data.path, key], `digits is a fixed set of pictures; "${key}" applies to the generated datasets and is ignored here`, 'warning');
    }
  }
  try {
    const options: { examples?: number; noise?: number; seed?: number; classes?: number } = {};
    if (data.examples !== undefined) options.examples = data.examples;
    if (data.noise !== undefined) options.noise = data.noise;
    if (data.seed !== undefined) options.seed = data.seed;
    if (data.classes !== undefined) options.classes = data.classes;
    if (data.builtin === 'shapes') {
      const shape = l.spec.inputShape;
      if (shape.length !== 3) {
        l.dataError([...data.path, 'builtin'], `shapes draws pictures: give the input their size, e.g. "input": { "shape": [16, 16, 1] } (n_H, n_W, n_C)`);
        return undefined;
      }
      return builtinDataset(data.builtin, options, [shape[0], shape[1], shape[2]]);
    }
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

/**
 * Advice for a data file that is not there: where to put it, and for the course's own datasets
 * where they come from (they are never shipped with the extension).
 */
export function missingFileAdvice(rel: string, resolved: string): string {
  const name = rel.replace(/^.*[\\/]/, '');
  const course = /^(train|test)_(catvnoncat|signs)\.h5$/i.test(name)
    ? ` It is the course's ${name}: copy it from the programming assignment's datasets folder.`
    : '';
  return `put the file at ${resolved}.${course}`;
}

/** One HDF5 file named at `path`; undefined (with a problem naming the file and the dataset) when it cannot be used. */
async function readHdf5At(l: Loading, data: Hdf5Spec, read: ReadBytes, where: (rel: string) => string, rel: string, key: 'train' | 'dev'): Promise<Hdf5Data | undefined> {
  const at: JsonPath = [...data.path, key];
  const bytes = await read(where(rel));
  if (!bytes.ok) {
    const advice = /no such file/.test(bytes.message) ? `; ${missingFileAdvice(rel, where(rel))}` : '';
    l.dataError(at, `${rel}: ${bytes.message}${advice}`);
    return undefined;
  }
  const options: { x?: string; y?: string; divideBy: number } = { divideBy: data.divideBy };
  if (data.x !== undefined) options.x = data.x;
  if (data.y !== undefined) options.y = data.y;
  const r = readHdf5(bytes.bytes, rel, options);
  if (!r.ok) {
    // A dataset the user named is the problem of that key; anything else of the file's key.
    const named = r.key && data[r.key] !== undefined ? [...data.path, r.key] : at;
    l.dataError(named, `${rel}: ${r.message}`);
    return undefined;
  }
  for (const w of r.data.warnings) l.dataError([...data.path, 'divideBy'], `${rel}: ${w}`, 'warning');
  return r.data;
}

/** HDF5 training (and dev) files: pictures flattened as the course's `X.reshape(m, -1).T / divideBy`. */
async function hdf5Data(l: Loading, data: Hdf5Spec, read: ReadBytes, where: (rel: string) => string): Promise<Dataset | undefined> {
  const train = await readHdf5At(l, data, read, where, data.train, 'train');
  const dev = data.dev !== undefined ? await readHdf5At(l, data, read, where, data.dev, 'dev') : undefined;
  if (!train || (data.dev !== undefined && !dev)) return undefined;
  if (dev && String(dev.imageShape ?? dev.X.rows) !== String(train.imageShape ?? train.X.rows)) {
    const size = (d: Hdf5Data): string => (d.imageShape ? d.imageShape.join('×') : `${d.X.rows} features`);
    l.dataError([...data.path, 'dev'], `${data.dev}: ${dev.xName} holds ${size(dev)} examples but ${data.train}'s ${train.xName} holds ${size(train)}`);
    return undefined;
  }
  let classes = Math.max(train.classes, dev?.classes ?? 0);
  if (l.spec.loss === 'categorical-cross-entropy' && classes < l.outputUnits) classes = l.outputUnits;
  const split = (d: Hdf5Data): DataSplit => ({ X: d.X, Y: encodeLabels(d.labels, classes), labels: d.labels });
  const dataset: Dataset = { train: split(train), classes, source: `${data.train} (${train.xName}, ${train.yName})` };
  if (dev) {
    dataset.dev = split(dev);
    dataset.source = `${data.train} (dev: ${data.dev})`;
  }
  const names = train.classNames ?? dev?.classNames;
  if (names) dataset.classNames = names;
  if (train.imageShape) dataset.imageShape = train.imageShape;
  return dataset;
}

/** Files a picture folder may hold besides pictures: the operating systems' own. */
const IGNORED_FILES = new Set(['thumbs.db', 'desktop.ini']);

/** The pictures of one folder of class folders, as columns of X (n_H·n_W·n_C, m). */
interface Pictures {
  X: Matrix;
  labels: Int32Array;
  classNames: string[];
}

/**
 * One folder of class subfolders (`key` is data.images or data.dev); `classes` fixes the class
 * order (the training folder's) for the dev folder. Undefined, with problems at `key`, when a
 * folder or a picture cannot be used.
 */
async function readPictureFolder(
  l: Loading, data: ImageSpec, read: ReadBytes, list: ListFolder, where: (rel: string) => string,
  key: 'images' | 'dev', shape: [number, number, number], classes?: string[],
): Promise<Pictures | undefined> {
  const at: JsonPath = [...data.path, key];
  const rel = key === 'images' ? data.images : data.dev!;
  const top = await list(where(rel));
  if (!top.ok) {
    l.dataError(at, `${rel}: ${top.message}`);
    return undefined;
  }
  const folders = top.entries.filter((e) => e.folder && !e.name.startsWith('.')).map((e) => e.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (folders.length === 0) {
    l.dataError(at, `${rel} has no subfolders: put each class's pictures in a folder of its own, named after the class (e.g. ${rel}/cat, ${rel}/non-cat)`);
    return undefined;
  }
  const names = classes ?? folders;
  const stray = folders.filter((f) => !names.includes(f));
  if (stray.length > 0) {
    l.dataError(at, `${rel} has class folders that ${data.images} does not have: ${stray.join(', ')} (the classes are ${names.join(', ')})`);
    return undefined;
  }
  const files: { path: string; label: number }[] = [];
  let bad = 0;
  const report = (message: string): void => {
    bad++;
    if (bad <= MAX_FILE_PROBLEMS) l.dataError(at, message);
  };
  for (const folder of folders) {
    const inner = await list(where(`${rel}/${folder}`));
    if (!inner.ok) {
      report(`${rel}/${folder}: ${inner.message}`);
      continue;
    }
    for (const e of inner.entries) {
      if (e.name.startsWith('.') || IGNORED_FILES.has(e.name.toLowerCase())) continue;
      const path = `${rel}/${folder}/${e.name}`;
      if (e.folder) report(`${path}: a folder inside a class folder; pictures go straight into ${rel}/${folder}`);
      else if (!PICTURE_EXTENSIONS.some((x) => e.name.toLowerCase().endsWith(x))) report(`${path}: not a PNG or JPEG picture (.png, .jpg, .jpeg)`);
      else files.push({ path, label: names.indexOf(folder) });
    }
  }
  const n = shape[0] * shape[1] * shape[2];
  const m = files.length;
  const X: Matrix = { rows: n, cols: m, data: new Float64Array(n * m) };
  const labels = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const bytes = await read(where(files[i].path));
    const picture = bytes.ok ? decodePicture(bytes.bytes) : { ok: false as const, message: bytes.message };
    if (!picture.ok) {
      report(`${files[i].path}: ${picture.message}`);
      continue;
    }
    const values = pictureValues(picture.picture, shape, data.divideBy);
    for (let f = 0; f < n; f++) X.data[f * m + i] = values[f];
    labels[i] = files[i].label;
  }
  if (bad > MAX_FILE_PROBLEMS) l.dataError(at, `${rel}: ${bad - MAX_FILE_PROBLEMS} more errors`);
  if (bad > 0) return undefined;
  if (m === 0) {
    l.dataError(at, `${rel} has no pictures (.png, .jpg, .jpeg) in its class folders ${folders.join(', ')}`);
    return undefined;
  }
  return { X, labels, classNames: names };
}

/** Folders of pictures, one subfolder per class, resized to input.shape. */
async function imageData(l: Loading, data: ImageSpec, read: ReadBytes, list: ListFolder, where: (rel: string) => string): Promise<Dataset | undefined> {
  const s = l.spec.inputShape;
  if (s.length !== 3 || (s[2] !== 1 && s[2] !== 3)) {
    const why = s.length !== 3 ? 'give the input the pictures\' size, e.g. "input": { "shape": [64, 64, 3] } (n_H, n_W, n_C)' : `n_C is ${s[2]}: pictures are grey (n_C = 1) or RGB (n_C = 3)`;
    l.dataError([...data.path, 'images'], `pictures are resized to input.shape: ${why}`);
    return undefined;
  }
  const shape: [number, number, number] = [s[0], s[1], s[2]];
  const train = await readPictureFolder(l, data, read, list, where, 'images', shape);
  if (!train) return undefined;
  const dev = data.dev !== undefined ? await readPictureFolder(l, data, read, list, where, 'dev', shape, train.classNames) : undefined;
  if (data.dev !== undefined && !dev) return undefined;
  let classes = Math.max(2, train.classNames.length);
  if (l.spec.loss === 'categorical-cross-entropy' && classes < l.outputUnits) classes = l.outputUnits;
  const split = (p: Pictures): DataSplit => ({ X: p.X, Y: encodeLabels(p.labels, classes), labels: p.labels });
  const dataset: Dataset = {
    train: split(train),
    classes,
    classNames: train.classNames,
    imageShape: shape,
    source: `${data.images} (${train.X.cols} pictures, ${train.classNames.length} classes)`,
  };
  if (dev) {
    dataset.dev = split(dev);
    dataset.source = `${data.images} (dev: ${data.dev})`;
  }
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

/**
 * What a picture's pixels (0..255) are divided by to feed the network as its training data did:
 * `divideBy` for HDF5 and image folders, 255 for the built-in shapes and digits (in [0, 1]) and for
 * data that holds no pictures.
 */
export function pixelScale(spec: Spec): number {
  const d = spec.data;
  return d && (d.kind === 'hdf5' || d.kind === 'images') ? d.divideBy : 255;
}

/**
 * The classes' names of the spec's data, for naming a prediction, read cheaply: an HDF5 file's
 * list_classes, an image folder's subfolders, the shapes' names. Undefined when the data has none
 * or cannot be read (a prediction then names the class by its index).
 */
export async function classNamesOf(spec: Spec, baseDir: string, options: LoadDataOptions = {}): Promise<string[] | undefined> {
  const d = spec.data;
  const where = (rel: string): string => (options.resolve ?? joinPath)(baseDir, rel);
  if (d?.kind === 'builtin') return d.builtin === 'shapes' ? [...SHAPE_CLASSES] : d.builtin === 'digits' ? [...DIGIT_CLASSES] : undefined;
  if (d?.kind === 'hdf5' && options.readBytes) {
    const r = await options.readBytes(where(d.train));
    return r.ok ? readHdf5ClassNames(r.bytes, d.train) : undefined;
  }
  if (d?.kind === 'images' && options.listFolder) {
    const r = await options.listFolder(where(d.images));
    const names = r.ok ? r.entries.filter((e) => e.folder && !e.name.startsWith('.')).map((e) => e.name) : [];
    return names.length > 0 ? names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : undefined;
  }
  return undefined;
}
