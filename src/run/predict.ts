/**
 * Prediction with saved parameters, for `dnn predict` and the editor's Predict: the training set's
 * standardisation stored in the parameters' `meta` is applied to the inputs first, then one
 * forward pass. The caller reads the inputs and writes the output its own way.
 */
import { standardize } from '../core/data/split';
import type { ParamsFile } from '../core/engine/params';
import { EngineError } from '../core/engine/network';
import { predict, type Prediction } from '../core/engine/predict';
import type { Spec } from '../core/format/types';
import type { Kernels } from '../core/kernels/types';
import type { Matrix } from '../core/matrix';
import type { Outcome } from './problems';
import { networkDifference } from './architecture';

/**
 * Predicts X (n[0], m) with `params`. Parameters whose `meta` records another network (another
 * activation, loss or size) and a malformed standardisation are a 'params-error' in
 * `paramsName`; an engine's refusal (X of the wrong height) is an 'engine-error' at its JSON path,
 * without a range: the caller locates it in the text it has.
 */
export function predictWith(spec: Spec, params: ParamsFile, X: Matrix, kernels: Kernels, paramsName: string): Outcome<{ prediction: Prediction }> {
  const differs = networkDifference(params.meta, spec);
  if (differs) {
    const message = `${paramsName} belongs to another network: ${differs}; train again, or use the parameters trained for this file`;
    return { ok: false, problems: [{ code: 'params-error', severity: 'error', message, path: [], in: { file: paramsName } }] };
  }
  const std = params.meta?.standardization;
  if (std) {
    if (!Array.isArray(std.mean) || !Array.isArray(std.std) || std.mean.length !== X.rows || std.std.length !== X.rows) {
      const message = `meta.standardization must hold ${X.rows} means and standard deviations, one per input feature`;
      return { ok: false, problems: [{ code: 'params-error', severity: 'error', message, path: [], in: { file: paramsName } }] };
    }
    // The training set's standardisation, applied to the new inputs with the same numbers.
    X = standardize(X, std);
  }
  try {
    return { ok: true, prediction: predict(spec, params.parameters, X, kernels) };
  } catch (e) {
    if (e instanceof EngineError) return { ok: false, problems: [{ code: 'engine-error', severity: 'error', message: e.message, path: e.path }] };
    throw e;
  }
}
