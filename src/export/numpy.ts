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
import type { LayerSpec, Spec } from '../core/format/types';
import { EngineError, networkOf } from '../core/engine/network';
import { serializeParameters } from '../core/engine/params';
import { builtinRows, dataFileName, npyBytes } from './data';
import { ExportError, type ExportInput, type ExportResult } from './types';
import { networkSettings, type NetworkSettings } from './settings';
import { NUMPY_SCRIPT } from './numpyScript';

/** The exported script's text: every network the engine trains but a conv network with batch norm or dropout. */
export function exportNumpy(input: ExportInput): ExportResult {
  const { settings, companions } = scriptInput(input, 'numpy');
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
  return { content: text, extension: '.py', ...(companions.length > 0 ? { companions } : {}) };
}

/**
 * What both scripts embed: the network's settings, after refusing what they cannot compute yet at
 * the key that asks for it, and the built-in data to write beside the script (data.ts).
 */
export function scriptInput(input: ExportInput, format: string): { settings: NetworkSettings; companions: { name: string; content: Uint8Array }[] } {
  refuseUnsupported(input.spec, format);
  const rows = builtinRows(input.spec);
  const name = dataFileName(input.source);
  const settings = networkSettings(input, rows ? name : undefined);
  return { settings, companions: rows ? [{ name, content: npyBytes(rows.rows, rows.cols, rows.values) }] : [] };
}

/**
 * Refuses what the scripts cannot compute yet (and what the engine cannot train), at its key:
 * batch norm and dropout in a network with conv, pool, flatten or residual layers.
 */
export function refuseUnsupported(spec: Spec, format: string): void {
  let graph: boolean;
  try {
    graph = networkOf(spec).graph !== undefined;
  } catch (e) {
    if (e instanceof EngineError) throw new ExportError(e.message, e.path);
    throw e;
  }
  if (!graph) return;
  const visit = (layer: LayerSpec, at: string): void => {
    if ((layer.type === 'dense' || layer.type === 'conv') && layer.batchNorm) {
      throw new ExportError(`the ${format} export does not write batch norm in a network with conv, pool, flatten or residual layers yet (${at})`, [...layer.path, 'batchNorm']);
    }
    if (layer.type === 'residual') {
      layer.layers.forEach((inner, k) => visit(inner, `${at}, its layer ${k + 1}`));
      if (layer.shortcut) visit(layer.shortcut, `${at}'s shortcut`);
    }
  };
  spec.layers.forEach((layer, i) => visit(layer, `layer ${i + 1}`));
  if (spec.training.keepProb < 1) throw new ExportError(`the ${format} export does not write dropout in a network with conv, pool, flatten or residual layers yet`, ['training', 'keepProb']);
}
