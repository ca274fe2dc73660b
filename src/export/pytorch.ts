/**
 * The PyTorch export: one standalone model.py with an nn.Module of the same layers and weights
 * (W[l] is Linear l's weight, (n[l], n[l-1])), the same loss, the course's optimisers written out,
 * and a loop that runs as is on a CPU or a GPU and under `torchrun` with DistributedDataParallel.
 * It speaks like `dnn` (predict, train), as the numpy export does, and shares its file handling.
 */
import { serializeParameters } from '../core/engine/params';
import { scriptInput } from './numpy';
import { PY_COMMANDS, PY_FILES, PY_INIT, PY_PRELUDE } from './numpyScript';
import { TORCH_PART } from './torchScript';
import type { ExportInput, ExportResult } from './types';

export function exportPytorch(input: ExportInput): ExportResult {
  const { settings, companions } = scriptInput(input);
  const weights = input.params ? serializeParameters(input.params.parameters, input.params.meta) : 'null';
  const header = [
    '#!/usr/bin/env python3',
    `"""${input.spec.name ?? input.source}: the network of ${input.source} in PyTorch (float64), written by \`dnn export --to pytorch\`.`,
    '',
    'python3 THIS.py predict --input X.csv [--params P] --output Y.csv',
    'python3 THIS.py train [--iterations N] [--params P] --save P',
    'torchrun --nproc_per_node N THIS.py train ...   (DistributedDataParallel; gloo on CPUs, nccl on GPUs)',
    '  (torch 1.13 on Python 3.11, as Debian ships it, needs torchrun --redirects 1 --tee 1 ... to start)',
    '',
    `Weights: ${input.params ? `embedded from ${input.paramsName ?? 'a parameters file'}` : "none embedded: train initialises them as the file's init says"}.`,
    '"""',
  ].join('\n');
  const text = (PY_PRELUDE + PY_INIT + TORCH_PART + PY_FILES + PY_COMMANDS)
    .replace('@HEADER@', () => header)
    .replace('@NETWORK@', () => JSON.stringify(JSON.stringify(settings)))
    .replace('@WEIGHTS@', () => JSON.stringify(weights));
  return { content: text, extension: '.py', ...(companions.length > 0 ? { companions } : {}) };
}
