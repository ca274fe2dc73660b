/**
 * A click on the decision boundary, answered by a real forward pass (the engine's predict on one
 * column) with the latest parameters the worker reported, rather than read off the drawn grid.
 * Pure: spec and the parameters file's text in, the answer out (no 'vscode').
 */
import { networkOf } from '../../core/engine/network';
import { parseParameters } from '../../core/engine/params';
import { predict } from '../../core/engine/predict';
import type { Spec } from '../../core/format/types';
import { packedKernels } from '../../core/kernels';
import { fromRows } from '../../core/matrix';

export type PointAnswer = { kind: 'probability' | 'class'; value: number } | { error: string };

/**
 * The network's output at (x, y), as the boundary shows it: P(class 1) for one sigmoid output,
 * else the predicted class (a softmax's argmax), else the output's first row (mse).
 */
export function predictPoint(spec: Spec, parametersText: string, x: number, y: number): PointAnswer {
  if (spec.inputUnits !== 2) return { error: `the network's input is n[0] = ${spec.inputUnits}, not a point of the plane` };
  const parsed = parseParameters(parametersText, networkOf(spec));
  if (!parsed.ok) return { error: `the run's parameters do not fit the network: ${parsed.problems.join('; ')}` };
  const p = predict(spec, parsed.file.parameters, fromRows([[x], [y]]), packedKernels);
  if (p.probabilities.rows === 1) {
    const value = p.probabilities.data[0];
    return Number.isFinite(value) ? { kind: 'probability', value } : { error: 'the network\'s output there is not a finite number' };
  }
  return p.labels ? { kind: 'class', value: p.labels[0] } : { kind: 'class', value: p.probabilities.data[0] };
}
