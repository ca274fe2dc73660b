/**
 * The Node side of the training worker: reading data and parameters, writing parameters. Everything
 * the runner (runner.ts) needs from the file system, in one place, so swapping a helper is one edit.
 */
import * as path from 'node:path';
import type { Dataset } from '../../core/data/types';
import { networkOf } from '../../core/engine/network';
import type { Parameters } from '../../core/engine/types';
import type { Spec } from '../../core/format/types';
import { loadDataForSpec } from '../../node/data';
import { loadParameters } from '../../node/params';
import type { LocatedMessage } from '../../protocol';
export { saveParameters } from '../../node/params';

/**
 * The spec's data (built-in, or CSV files relative to the .dnn.json), checked against the network.
 * Problems come back positioned in the .dnn.json (`located` on the thrown error).
 */
export async function loadDataset(spec: Spec, file: string, text?: string): Promise<Dataset> {
  const r = await loadDataForSpec(spec, file, text);
  const errors = r.problems.filter((p) => p.severity === 'error');
  if (r.dataset && errors.length === 0) return r.dataset;
  const located: LocatedMessage[] = errors.map((p) => ({ message: p.message, offset: p.range.offset, length: p.range.length }));
  if (located.length === 0) located.push({ message: 'the data could not be loaded' });
  throw Object.assign(new Error(located.map((l) => l.message).join('; ')), { located });
}

/** The parameters file named by `"init": { "file": ... }` (relative to the .dnn.json), checked. */
export async function initialParameters(spec: Spec, file: string): Promise<Parameters | undefined> {
  const init = spec.training.init;
  if (init.scheme !== 'file') return undefined;
  const r = await loadParameters(path.resolve(path.dirname(file), init.path), networkOf(spec));
  if (!r.ok) throw Object.assign(new Error(`${init.path}: ${r.problems.join('; ')}`), { path: ['training', 'init'] });
  return r.file.parameters;
}
