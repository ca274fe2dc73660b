/**
 * Built-in data for the exported scripts. The engine draws its built-in sets (planar, moons, the
 * shapes pictures, ...) from numpy's seeded generator; a script could redraw them only by carrying
 * a second copy of every generator, so the export writes the very set `dnn train` trains on beside
 * the script instead, as a .npy file (the format numpy.save writes): one row per example, its
 * features then its class, float64 little-endian, so every value is the engine's to the bit.
 */
import { builtinDataset } from '../core/data/builtin';
import type { Spec } from '../core/format/types';

/** The .npy bytes (format 1.0) of a float64 matrix given row-major. */
export function npyBytes(rows: number, cols: number, values: Float64Array): Uint8Array {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  // The magic, the version and the header's length take 10 bytes; the data starts on a multiple of 64.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + rows * cols * 8);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const view = new DataView(out.buffer, total);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return out;
}

/** The built-in set of a spec as (m, n[0] + 1) rows of features and class, or undefined for file data. */
export function builtinRows(spec: Spec): { rows: number; cols: number; values: Float64Array } | undefined {
  const data = spec.data;
  if (data?.kind !== 'builtin') return undefined;
  const options: { examples?: number; noise?: number; seed?: number; classes?: number } = {};
  if (data.examples !== undefined) options.examples = data.examples;
  if (data.noise !== undefined) options.noise = data.noise;
  if (data.seed !== undefined) options.seed = data.seed;
  if (data.classes !== undefined) options.classes = data.classes;
  const shape = spec.inputShape;
  const set = data.builtin === 'shapes' && shape.length === 3 ? builtinDataset(data.builtin, options, [shape[0], shape[1], shape[2]]) : builtinDataset(data.builtin, options);
  const { X } = set.train;
  const labels = set.train.labels!;
  const n = X.rows;
  const m = X.cols;
  const values = new Float64Array(m * (n + 1));
  for (let i = 0; i < m; i++) {
    for (let f = 0; f < n; f++) values[i * (n + 1) + f] = X.data[f * m + i];
    values[i * (n + 1) + n] = labels[i];
  }
  return { rows: m, cols: n + 1, values };
}

/** The data file's name beside the script: planar.dnn.json -> planar.data.npy. */
export function dataFileName(source: string): string {
  return source.replace(/\.dnn\.json$/i, '').replace(/\.json$/i, '') + '.data.npy';
}
