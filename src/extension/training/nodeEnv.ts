/**
 * The Node side of the training worker: reading data and parameters, writing parameters. Everything
 * the runner (runner.ts) needs from the file system, in one place, so swapping a helper is one edit.
 */
import * as path from 'node:path';
import { builtinDataset, type BuiltinOptions } from '../../core/data/builtin';
import type { Dataset } from '../../core/data/types';
import { networkOf } from '../../core/engine/network';
import type { Parameters } from '../../core/engine/types';
import type { Spec } from '../../core/spec/types';
import { loadParameters } from '../../node/params';
export { saveParameters } from '../../node/params';

/** The spec's data: a built-in dataset, or CSV files relative to the .dnn.json. */
export async function loadDataset(spec: Spec, file: string): Promise<Dataset> {
  const data = spec.data;
  if (!data) throw new Error('the file has no "data": add { "builtin": "planar" } or { "train": "data.csv", "label": "y" }');
  if (data.kind === 'builtin') {
    const options: BuiltinOptions = {};
    if (data.examples !== undefined) options.examples = data.examples;
    if (data.noise !== undefined) options.noise = data.noise;
    if (data.seed !== undefined) options.seed = data.seed;
    if (data.classes !== undefined) options.classes = data.classes;
    return builtinDataset(data.builtin, options);
  }
  void file;
  throw new Error(`CSV data (${data.train}) cannot be loaded by this build yet`);
}

/** The parameters file named by `"init": { "file": ... }` (relative to the .dnn.json), checked. */
export async function initialParameters(spec: Spec, file: string): Promise<Parameters | undefined> {
  const init = spec.training.init;
  if (init.scheme !== 'file') return undefined;
  const r = await loadParameters(path.resolve(path.dirname(file), init.path), networkOf(spec));
  if (!r.ok) throw Object.assign(new Error(`${init.path}: ${r.problems.join('; ')}`), { path: ['training', 'init'] });
  return r.file.parameters;
}
