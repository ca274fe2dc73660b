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
import { EngineError } from '../core/engine/network';
import { serializeParameters } from '../core/engine/params';
import { builtinRows, dataFileName, npyBytes } from './data';
import { ExportError, type ExportInput, type ExportResult } from './types';
import { networkSettings, scriptNetwork, type NetworkSettings } from './settings';
import { NUMPY_SCRIPT } from './numpyScript';

/** The exported script's text, for every network the engine trains, and conv networks with batch norm too. */
export function exportNumpy(input: ExportInput): ExportResult {
  const { settings, companions } = scriptInput(input);
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
export function scriptInput(input: ExportInput): { settings: NetworkSettings; companions: { name: string; content: Uint8Array }[] } {
  refuseUnsupported(input.spec);
  const rows = builtinRows(input.spec);
  const name = dataFileName(input.source);
  const settings = networkSettings(input, rows ? name : undefined);
  return { settings, companions: rows ? [{ name, content: npyBytes(rows.rows, rows.cols, rows.values) }] : [] };
}

/**
 * Refuses, at its key, what the engine refuses for any other reason than batch norm in a conv
 * network (which the scripts compute themselves): the scripts write every other network.
 */
export function refuseUnsupported(spec: Spec): void {
  try {
    scriptNetwork(spec);
  } catch (e) {
    if (e instanceof EngineError) throw new ExportError(e.message, e.path);
    throw e;
  }
}
