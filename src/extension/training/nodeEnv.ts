/**
 * The Node side of the training worker: reading data and writing parameters. Everything the
 * runner (runner.ts) needs from the file system, in one place, so swapping a helper is one edit.
 */
import type { Dataset } from '../../core/data/types';
import type { Spec } from '../../core/spec/types';
export { saveParameters } from '../../node/params';

/**
 * Loads the spec's data. Built-in datasets and CSV files are the data issue's loader
 * (src/node/data.ts); until it is in the tree this says so instead of failing obscurely.
 */
export async function loadDataset(spec: Spec, file: string): Promise<Dataset> {
  if (!spec.data) throw new Error('the file has no "data": add { "builtin": "planar" } or { "train": "data.csv" }');
  void file;
  throw new Error('loading data is not available in this build yet (src/node/data.ts)');
}
