/**
 * The numpy export: one standalone Python file in the course's own style
 * (initialize_parameters_deep, L_model_forward, compute_cost, L_model_backward,
 * update_parameters), so a student can read it next to the notebook. It speaks like `dnn`:
 * `python3 model.py predict --input X.csv [--params P] --output Y.csv` and
 * `python3 model.py train [--iterations N] [--params P] --save P`.
 *
 * The network's settings and any weights are embedded as JSON and read with json.loads, so no
 * number goes through a second printer: the script holds the very doubles the parameters file
 * holds.
 */
import type { Spec } from '../core/format/types';
import { serializeParameters } from '../core/engine/params';
import { ExportError, type ExportInput, type ExportResult } from './types';
import { networkSettings } from './settings';
import { NUMPY_SCRIPT } from './numpyScript';

/** The exported script's text for a dense network; conv, pool, flatten and residual layers are refused for now. */
export function exportNumpy(input: ExportInput): ExportResult {
  denseOnly(input.spec, 'numpy');
  const settings = networkSettings(input);
  const weights = input.params ? serializeParameters(input.params.parameters, input.params.meta) : 'null';
  const header = [
    '#!/usr/bin/env python3',
    `"""${input.spec.name ?? input.source}: the network of ${input.source} in numpy, written by \`dnn export --to numpy\`.`,
    '',
    'python3 THIS.py predict --input X.csv [--params P] --output Y.csv',
    'python3 THIS.py train [--iterations N] [--params P] --save P',
    '',
    `Weights: ${input.params ? `embedded from ${input.paramsName ?? 'a parameters file'}` : "none embedded: train initialises them as the file's init says"}.`,
    '"""',
  ].join('\n');
  const text = NUMPY_SCRIPT.replace('@HEADER@', () => header)
    .replace('@NETWORK@', () => JSON.stringify(JSON.stringify(settings)))
    .replace('@WEIGHTS@', () => JSON.stringify(weights));
  return { content: text, extension: '.py' };
}

/** Refuses what the script cannot compute yet, at the key that asks for it. */
export function denseOnly(spec: Spec, format: string): void {
  spec.layers.forEach((layer, i) => {
    if (layer.type !== 'dense') throw new ExportError(`the ${format} export writes dense layers only so far; layer ${i + 1} is a ${layer.type} layer`, [...layer.path, 'type']);
    if (layer.batchNorm) throw new ExportError(`the ${format} export does not write batch norm yet (layer ${i + 1})`, [...layer.path, 'batchNorm']);
  });
  if (spec.training.keepProb < 1) throw new ExportError(`the ${format} export does not write dropout yet`, ['training', 'keepProb']);
}
