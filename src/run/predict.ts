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
import { anotherNetworkMessage, networkDifference } from './architecture';
import { pixelScale } from '../core/data/load';
import { decodePicture, pictureValues } from '../core/data/images';

/**
 * Predicts X (n[0], m) with `params`. Parameters whose `meta` records another network (another
 * activation, loss or size) and a malformed standardisation are a 'params-error' in
 * `paramsName`; an engine's refusal (X of the wrong height) is an 'engine-error' at its JSON path,
 * without a range: the caller locates it in the text it has.
 */
export function predictWith(spec: Spec, params: ParamsFile, X: Matrix, kernels: Kernels, paramsName: string): Outcome<{ prediction: Prediction }> {
  const differs = networkDifference(params.meta, spec);
  if (differs) {
    const message = anotherNetworkMessage(paramsName, differs);
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

/**
 * One picture file's bytes as X (n[0], 1), prepared as the training pictures were: decoded (PNG or
 * JPEG), resized to input.shape, grey or RGB as n_C says, divided as the data's `divideBy`, and
 * flattened row-major like `reshape(m, -1).T`. A network without an input shape, or a file that is
 * not a picture, is a problem naming `pictureName`.
 */
export function pictureInput(spec: Spec, bytes: Uint8Array, pictureName: string): Outcome<{ X: Matrix }> {
  const shape = spec.inputShape;
  if (shape.length !== 3 || (shape[2] !== 1 && shape[2] !== 3)) {
    const message =
      shape.length !== 3
        ? `${pictureName}: the network's input has no picture size; --image needs "input": { "shape": [n_H, n_W, n_C] }`
        : `${pictureName}: input.shape has n_C = ${shape[2]}; pictures are grey (n_C = 1) or RGB (n_C = 3)`;
    return { ok: false, problems: [{ code: 'engine-error', severity: 'error', message, path: ['input'] }] };
  }
  const decoded = decodePicture(bytes);
  if (!decoded.ok) return { ok: false, problems: [{ code: 'data-error', severity: 'error', message: decoded.message, path: [], in: { file: pictureName } }] };
  const values = pictureValues(decoded.picture, [shape[0], shape[1], shape[2]], pixelScale(spec));
  return { ok: true, X: { rows: values.length, cols: 1, data: values } };
}

/**
 * The predicted class of example `j` in words: its name (from the data's class names) or index,
 * and the probability the network gives it.
 */
export function describeClass(prediction: Prediction, j: number, classNames?: string[]): { label: number; name: string; probability: number } | undefined {
  const label = prediction.labels?.[j];
  if (label === undefined) return undefined;
  const AL = prediction.probabilities;
  // A single sigmoid unit gives P(class 1); class 0 has the rest.
  const probability = AL.rows === 1 ? (label === 1 ? AL.data[j] : 1 - AL.data[j]) : AL.data[label * AL.cols + j];
  return { label, name: classNames?.[label] ?? `class ${label}`, probability };
}
