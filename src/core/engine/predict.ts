/**
 * predict: one forward pass with the trained parameters (no dropout), then the course's labels:
 * 1 when AL > 0.5 for a single sigmoid output, the most probable class for softmax.
 */
import type { Kernels } from '../kernels/types';
import type { Spec } from '../format/types';
import { argmaxColumn } from './evaluate';
import type { Matrix } from '../matrix';
import { createWorkspace, lModelForward } from './model';
import { EngineError, networkOf } from './network';
import { validateParameters } from './params';
import type { Parameters } from './types';

export interface Prediction {
  /** AL, (n[L], m): probabilities for classification, values for mse. */
  probabilities: Matrix;
  /**
   * One label per example: 0/1 for a single sigmoid output, the class index for softmax; absent
   * for regression (mse) and multi-label sigmoid outputs.
   */
  labels?: Int32Array;
}

export function predict(spec: Spec, parameters: Parameters, X: Matrix, kernels: Kernels): Prediction {
  const net = networkOf(spec);
  const problems = validateParameters(net, parameters);
  if (problems.length > 0) throw new EngineError(`the parameters do not fit the network: ${problems.join('; ')}`);
  if (X.rows !== net.layerDims[0]) {
    throw new EngineError(`the input has ${X.rows} feature${X.rows === 1 ? '' : 's'} per example but the network's input is n[0] = ${net.layerDims[0]}`, ['input']);
  }
  const ws = createWorkspace(net, parameters, X.cols, false);
  const [AL] = lModelForward(X, net, ws, kernels);
  const result: Prediction = { probabilities: AL };
  const out = net.layers[net.layers.length - 1].activation;
  if (net.loss !== 'mse' && AL.rows === 1) {
    result.labels = Int32Array.from(AL.data, (a) => (a > 0.5 ? 1 : 0));
  } else if (net.loss !== 'mse' && (out === 'softmax' || net.loss === 'categorical-cross-entropy')) {
    const labels = new Int32Array(AL.cols);
    for (let j = 0; j < AL.cols; j++) labels[j] = argmaxColumn(AL, j);
    result.labels = labels;
  }
  return result;
}
