/**
 * HDF5 files like the course's datasets (`train_catvnoncat.h5`, `train_signs.h5`): X is
 * `train_set_x` (m, n_H, n_W, n_C), Y `train_set_y` (m,) or (1, m), class names `list_classes`.
 * The bytes come from the caller (the core reads no files); jsfive, a pure-JavaScript reader,
 * parses them, so the same code runs in Node and in a browser.
 *
 * X becomes the engine's (n_x, m) exactly as the course's `X.reshape(m, -1).T / divideBy`: each
 * example is one column, its pixels row-major over (n_H, n_W, n_C).
 */
import { Dataset as H5Dataset, File as H5File, type Group as H5Group } from 'jsfive';
import type { Matrix } from '../matrix';

export interface Hdf5Options {
  /** The dataset holding X; by default the one whose name ends in `_x`. */
  x?: string;
  /** The dataset holding Y; by default the one whose name ends in `_y`. */
  y?: string;
  /** X is divided by this (1: as stored). */
  divideBy?: number;
}

export interface Hdf5Data {
  /** (n_x, m): example i is column i, `reshape(m, -1).T / divideBy`. */
  X: Matrix;
  /** Each example's class index. */
  labels: Int32Array;
  /** The number of classes: list_classes' length when present, else the largest label + 1 (at least 2). */
  classes: number;
  /** list_classes, decoded (byte strings as text, numbers as digits). */
  classNames?: string[];
  /** [n_H, n_W, n_C] when X holds pictures ((m, n_H, n_W) is grey: n_C = 1). */
  imageShape?: [number, number, number];
  /** The datasets read, as named in the file. */
  xName: string;
  yName: string;
  /** Things worth knowing that do not stop training (X already in [0, 1] yet divided by 255). */
  warnings: string[];
}

/** A failure: the message names the dataset; `key` is the data key it is about, when it is one. */
export type Hdf5Result = { ok: true; data: Hdf5Data } | { ok: false; message: string; key?: 'x' | 'y' };

/** HDF5's format signature, at the start of a file without a user block. */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function fail(message: string, key?: 'x' | 'y'): Hdf5Result {
  return key ? { ok: false, message, key } : { ok: false, message };
}

function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** jsfive throws strings and Errors alike; a read past the end means the file was cut short. */
function reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError || /outside the bounds|out of bounds/i.test(text)) return 'the file ends early: is it truncated (an interrupted copy or download)?';
  return text;
}

/** The datasets of the file's root group and its subgroups, by path without the leading slash. */
function datasetsOf(group: H5Group, prefix = '', depth = 0): Map<string, H5Dataset> {
  const out = new Map<string, H5Dataset>();
  for (const key of group.keys) {
    const item = group.get(key);
    const name = prefix + key;
    if (item instanceof H5Dataset) out.set(name, item);
    else if (depth < 4) for (const [k, v] of datasetsOf(item, name + '/', depth + 1)) out.set(k, v);
  }
  return out;
}

/** The dataset named by the user, or the only one whose name ends in `suffix`. */
function pick(all: Map<string, H5Dataset>, named: string | undefined, suffix: '_x' | '_y', key: 'x' | 'y'): { name: string; set: H5Dataset } | { message: string } {
  const list = [...all.keys()];
  if (named !== undefined) {
    const set = all.get(named.replace(/^\//, ''));
    if (set) return { name: named, set };
    return { message: `there is no dataset "${named}" (the file has ${list.join(', ') || 'none'})` };
  }
  const matches = list.filter((n) => n.toLowerCase().endsWith(suffix));
  if (matches.length === 1) return { name: matches[0], set: all.get(matches[0])! };
  if (matches.length === 0) return { message: `no dataset's name ends in ${suffix} (the file has ${list.join(', ') || 'none'}): name the ${key === 'x' ? 'pictures' : 'labels'} with "${key}"` };
  return { message: `${matches.length} datasets end in ${suffix} (${matches.join(', ')}): choose one with "${key}"` };
}

function isNumeric(dtype: string | unknown[]): boolean {
  return typeof dtype === 'string' && /^[<>=|!]?[uif]\d*$/.test(dtype);
}

/** What jsfive keeps of a dataset's storage (not its public API: every use falls back to `value`). */
interface StorageInternals {
  _dataobjects?: {
    fh?: ArrayBuffer;
    find_msg_type?(type: number): { get(key: string): number }[];
    _get_data_message_properties?(offset: number): [number, number, number, number];
  };
}

/** HDF5's data layout message, and its contiguous layout class. */
const DATA_STORAGE_MESSAGE = 8;
const CONTIGUOUS = 1;

/**
 * The values of a contiguous little-endian uint8, float32 or float64 dataset as a typed array over
 * the file's bytes, without jsfive's element-by-element copy into an Array (a SIGNS-sized X is 13
 * million values); undefined for any other layout or type, which `value` then reads.
 */
function contiguousValues(set: H5Dataset): Uint8Array | Float32Array | Float64Array | undefined {
  const dtype = set.dtype;
  const kind = typeof dtype === 'string' ? dtype.replace(/^[<|]/, '') : '';
  const size = kind === 'u1' ? 1 : kind === 'f4' ? 4 : kind === 'f8' ? 8 : 0;
  const d = (set as unknown as StorageInternals)._dataobjects;
  if (size === 0 || (size > 1 && !(typeof dtype === 'string' && dtype.startsWith('<'))) || !d?.fh || !d.find_msg_type || !d._get_data_message_properties) return undefined;
  const msg = d.find_msg_type(DATA_STORAGE_MESSAGE)[0];
  if (!msg) return undefined;
  const [, , layout, propertyOffset] = d._get_data_message_properties(msg.get('offset_to_message'));
  if (layout !== CONTIGUOUS) return undefined;
  const view = new DataView(d.fh);
  if (propertyOffset + 8 > view.byteLength) throw new RangeError('outside the bounds');
  const offset = Number(view.getBigUint64(propertyOffset, true));
  const n = set.shape.reduce((a, b) => a * b, 1);
  if (offset + n * size > view.byteLength) throw new RangeError('outside the bounds');
  const bytes = d.fh.slice(offset, offset + n * size);
  if (size === 1) return new Uint8Array(bytes);
  // Typed arrays use the machine's byte order; the file's is little-endian, as every common CPU's.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) return undefined;
  return size === 4 ? new Float32Array(bytes) : new Float64Array(bytes);
}

function valuesOf(set: H5Dataset): ArrayLike<number | string | bigint> {
  let fast: ArrayLike<number> | undefined;
  try {
    fast = contiguousValues(set);
  } catch (e) {
    if (e instanceof RangeError) throw e;
    fast = undefined;
  }
  return fast ?? set.value;
}

/** Reads X, Y and the class names of an HDF5 file; `file` names it in messages. */
export function readHdf5(bytes: Uint8Array, file: string, options: Hdf5Options = {}): Hdf5Result {
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    return fail('not an HDF5 file (it does not start with the HDF5 signature)');
  }
  // jsfive reads an ArrayBuffer from offset 0: hand it exactly the file's bytes.
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
  let all: Map<string, H5Dataset>;
  try {
    all = datasetsOf(new H5File(buffer, file));
  } catch (e) {
    return fail(`cannot read it as HDF5: ${reason(e)}`);
  }
  const px = pick(all, options.x, '_x', 'x');
  if ('message' in px) return fail(px.message, 'x');
  const py = pick(all, options.y, '_y', 'y');
  if ('message' in py) return fail(py.message, 'y');

  const xShape = px.set.shape;
  if (!isNumeric(px.set.dtype)) return fail(`${px.name} holds ${typeof px.set.dtype === 'string' ? px.set.dtype : 'compound'} values, not numbers: X must be pixels or features`, 'x');
  if (xShape.length < 2 || xShape.length > 4) {
    return fail(`${px.name} is ${shapeText(xShape)}: X must be (m, n_H, n_W, n_C), (m, n_H, n_W) or (m, n_x)`, 'x');
  }
  const m = xShape[0];
  const yShape = py.set.shape;
  const yOk = (yShape.length === 1 && yShape[0] === m) || (yShape.length === 2 && ((yShape[0] === 1 && yShape[1] === m) || (yShape[0] === m && yShape[1] === 1)));
  if (!yOk) {
    const count = yShape.reduce((a, b) => a * b, 1);
    const why = yShape.length <= 2 && count !== m ? `${count} label${count === 1 ? '' : 's'} for the ${m} examples of ${px.name}` : 'labels must be (m,) or (1, m)';
    return fail(`${py.name} is ${shapeText(yShape)}: ${why}`, 'y');
  }
  if (!isNumeric(py.set.dtype)) return fail(`${py.name} holds ${String(py.set.dtype)} values: labels must be class indices 0, 1, …`, 'y');

  let xValues: ArrayLike<number | string | bigint>;
  let yValues: ArrayLike<number | string | bigint>;
  try {
    xValues = valuesOf(px.set);
  } catch (e) {
    return fail(`cannot read ${px.name}: ${reason(e)}`, 'x');
  }
  try {
    yValues = valuesOf(py.set);
  } catch (e) {
    return fail(`cannot read ${py.name}: ${reason(e)}`, 'y');
  }
  const features = xShape.slice(1).reduce((a, b) => a * b, 1);
  if (xValues.length !== m * features) return fail(`${px.name}: ${xValues.length} values for a ${shapeText(xShape)} dataset: the file is damaged`, 'x');

  const labels = new Int32Array(m);
  let maxLabel = 0;
  for (let i = 0; i < m; i++) {
    const v = Number(yValues[i]);
    if (!Number.isInteger(v) || v < 0 || v > 1_000_000) {
      return fail(`${py.name}[${i}] is ${String(yValues[i])}: labels must be class indices 0, 1, …`, 'y');
    }
    labels[i] = v;
    if (v > maxLabel) maxLabel = v;
  }

  let classNames: string[] | undefined;
  const namesSet = all.get('list_classes');
  if (namesSet) {
    try {
      classNames = Array.from(valuesOf(namesSet), (v) => (typeof v === 'string' ? v.replace(/\0+$/, '') : String(v)));
    } catch (e) {
      return fail(`cannot read list_classes: ${reason(e)}`);
    }
    if (maxLabel >= classNames.length) {
      return fail(`${py.name} has label ${maxLabel} but list_classes names ${classNames.length} classes (${classNames.join(', ')})`, 'y');
    }
  }

  // The course's X.reshape(m, -1).T / divideBy: row f of the result is pixel f of every example.
  const divideBy = options.divideBy ?? 1;
  const X: Matrix = { rows: features, cols: m, data: new Float64Array(features * m) };
  let max = -Infinity;
  const numbers: ArrayLike<number> = ArrayBuffer.isView(xValues) ? (xValues as unknown as ArrayLike<number>) : Float64Array.from(xValues as ArrayLike<unknown>, Number);
  for (let k = 0; k < numbers.length; k++) {
    const v = numbers[k];
    if (!Number.isFinite(v)) return fail(`${px.name} has ${String(xValues[k])} at example ${Math.floor(k / features)}, value ${k % features}: X must be finite numbers`, 'x');
    if (v > max) max = v;
  }
  // The transpose in square blocks, so that both the reads and the writes stay in cache.
  const B = 32;
  for (let i0 = 0; i0 < m; i0 += B) {
    const i1 = Math.min(m, i0 + B);
    for (let f0 = 0; f0 < features; f0 += B) {
      const f1 = Math.min(features, f0 + B);
      for (let f = f0; f < f1; f++) {
        const row = f * m;
        for (let i = i0; i < i1; i++) X.data[row + i] = divideBy === 1 ? numbers[i * features + f] : numbers[i * features + f] / divideBy;
      }
    }
  }
  const warnings: string[] = [];
  if (divideBy > 1 && m > 0 && max <= 1) {
    warnings.push(`${px.name} is already in [0, 1] (largest value ${max}); "divideBy": ${divideBy} makes it smaller still`);
  }
  const data: Hdf5Data = { X, labels, classes: Math.max(2, classNames?.length ?? maxLabel + 1), xName: px.name, yName: py.name, warnings };
  if (classNames) data.classNames = classNames;
  if (xShape.length === 4) data.imageShape = [xShape[1], xShape[2], xShape[3]];
  else if (xShape.length === 3) data.imageShape = [xShape[1], xShape[2], 1];
  return { ok: true, data };
}

/** Only the class names of an HDF5 file (its list_classes), without reading X; undefined when it has none or cannot be read. */
export function readHdf5ClassNames(bytes: Uint8Array, file: string): string[] | undefined {
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((b, i) => bytes[i] !== b)) return undefined;
  try {
    const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
    const set = datasetsOf(new H5File(buffer, file)).get('list_classes');
    return set ? Array.from(valuesOf(set), (v) => (typeof v === 'string' ? v.replace(/\0+$/, '') : String(v))) : undefined;
  } catch {
    return undefined;
  }
}
