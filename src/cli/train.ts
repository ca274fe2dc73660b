/**
 * `dnn train FILE [--init P] [--save P] [--iterations N] [--learning-rate A] [--seed S]
 * [--costs CSV] [--json]`: trains the network of a .dnn.json on its data and prints the cost every
 * printEvery iterations exactly as the course's notebooks do ("Cost after iteration 1000:
 * 0.288083"), then the accuracy; saves the parameters beside the file
 * (`<name>.params.json`, or --save). Ctrl-C stops cleanly: nothing is written, exit 130.
 * Trains on both cores (src/node/kernels.ts `chooseTrainingKernels`); --verbose says which kernels ran.
 *
 * Exit status: 0 trained, 1 problems in the file, the data or the parameters (or the cost
 * diverged), 2 usage error, 130 interrupted.
 */
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { checkText } from '../core/check';
import { formatDataError } from '../core/data/csv';
import type { Dataset } from '../core/data/types';
import { EngineError, networkOf } from '../core/engine/network';
import type { ParamsMeta } from '../core/engine/params';
import { train } from '../core/engine/train';
import type { Parameters, TrainOverrides, TrainProgress } from '../core/engine/types';
import type { Kernels } from '../core/kernels/types';
import { lineColumn } from '../core/format/locate';
import type { JsonPath } from '../core/problems';
import type { Spec } from '../core/format/types';
import { loadDataForSpec } from '../node/data';
import { readTextFile } from '../node/files';
import { chooseTrainingKernels, type KernelChoice } from '../node/kernels';
import { PARALLEL_MIN_WORK } from '../node/parallel';
import { loadParameters, saveParameters, writeFileAtomic } from '../node/params';
import type { CliIO } from './main';

const HELP = `usage: dnn train FILE [--init P] [--save P] [--iterations N] [--learning-rate A] [--seed S] [--costs CSV] [--json] [--verbose]
  Trains the network in FILE (.dnn.json) on its data, printing the cost every printEvery
  iterations as the course does, then the accuracy, and saves the parameters.
  --init P            start from the parameters file P instead of the file's "init"
  --save P            where to save the parameters (default: <name>.params.json beside FILE)
  --iterations N      override training.iterations
  --learning-rate A   override training.learningRate
  --seed S            override training.seed (numpy's np.random.seed)
  --costs CSV         write "iteration,cost" for every iteration (17 significant digits)
  --json              print one JSON document instead of text
  --verbose           say which matrix kernels train (on stderr)
Exit status: 0 trained, 1 problems in the file, data or parameters, or the cost diverged,
2 usage error, 130 interrupted (Ctrl-C; nothing is written).
`;

/** Parsed command line of the training-family commands. */
export interface ParsedArgs {
  file?: string;
  flags: Map<string, string | true>;
}

/**
 * Splits args into one positional FILE and `--name value` flags; `bool` names take no value.
 * Returns a usage message on anything unexpected.
 */
export function parseArgs(args: string[], valued: string[], bool: string[]): ParsedArgs | string {
  const flags = new Map<string, string | true>();
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--help' || a === '-h') return 'help';
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (bool.includes(name)) {
        if (eq > 0) return `option --${name} takes no value`;
        flags.set(name, true);
      } else if (valued.includes(name)) {
        const value = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (value === undefined || value === '') return `option --${name} needs a value`;
        flags.set(name, value);
      } else return `unknown option '${a}'`;
    } else if (file === undefined) file = a;
    else return `unexpected argument '${a}' (one FILE only)`;
  }
  return file === undefined ? { flags } : { file, flags };
}

/** A number option, or a usage message. */
export function numberFlag(flags: Map<string, string | true>, name: string, check: (n: number) => boolean, what: string): number | string | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || !check(n)) return `--${name} must be ${what}; found '${String(v)}'`;
  return n;
}

/** "FILE:LINE:COL" of a JSON path in the .dnn.json text (the nearest existing ancestor). */
export function positionOf(file: string, text: string, path: JsonPath): string {
  const root = parseTree(text);
  let p = [...path];
  let node = root && findNodeAtLocation(root, p);
  while (root && !node && p.length > 0) {
    p = p.slice(0, -1);
    node = p.length === 0 ? root : findNodeAtLocation(root, p);
  }
  const offset = node ? (node.parent?.type === 'property' ? node.parent.offset : node.offset) : 0;
  const { line, column } = lineColumn(text, offset);
  return `${file}:${line}:${column}`;
}

export interface LoadedSpec {
  spec: Spec;
  text: string;
}

/**
 * Reads and checks a .dnn.json. Errors are printed as FILE:LINE:COL: error: message [code] (warnings
 * too, unless quiet) and give undefined.
 */
export async function loadSpec(file: string, io: CliIO, quietWarnings = false): Promise<LoadedSpec | undefined> {
  const read = await readTextFile(file);
  if (!read.ok) {
    io.err(`${file}: error: ${read.message}\n`);
    return undefined;
  }
  const checked = checkText(read.text);
  let errors = 0;
  for (const p of checked.problems) {
    if (p.severity === 'error') errors++;
    else if (quietWarnings) continue;
    const { line, column } = lineColumn(read.text, p.range.offset);
    io.err(`${file}:${line}:${column}: ${p.severity}: ${p.message} [${p.code}]\n`);
  }
  if (errors > 0 || !checked.spec) {
    if (!checked.spec && errors === 0) io.err(`${file}: error: the file does not describe a network\n`);
    return undefined;
  }
  return { spec: checked.spec, text: read.text };
}

/**
 * The dataset of a spec (src/node/data.ts: built-in or CSV, dev split, standardisation, checked
 * against the network), or undefined after printing positioned errors: a bad cell at its place in
 * the CSV file (path relative to the current folder), everything else at its place in the .dnn.json.
 */
export async function loadDataset(file: string, loaded: LoadedSpec, io: CliIO): Promise<Dataset | undefined> {
  const r = await loadDataForSpec(loaded.spec, file, loaded.text);
  const fromCells = new Set(r.dataErrors.map(formatDataError));
  const messages = new Set(r.problems.map((p) => p.message));
  const dir = dirname(file);
  for (const e of r.dataErrors) {
    // An unreadable file is reported once, at its name in the .dnn.json (below).
    if (messages.has(`${e.file}: ${e.message}`)) continue;
    io.err(`${isAbsolute(e.file) ? e.file : join(dir, e.file)}:${e.line}:${e.column}: error: ${e.message}\n`);
  }
  for (const p of r.problems) {
    if (fromCells.has(p.message) || /: \d+ more errors$/.test(p.message)) continue;
    const { line, column } = lineColumn(loaded.text, p.range.offset);
    io.err(`${file}:${line}:${column}: ${p.severity}: ${p.message} [${p.code}]\n`);
  }
  return r.dataset;
}

/** Prints an EngineError at its place in the .dnn.json. */
export function reportEngineError(file: string, text: string, e: EngineError, io: CliIO): void {
  io.err(`${positionOf(file, text, e.path)}: error: ${e.message}\n`);
}

/** `planar.dnn.json` -> `planar.params.json`, beside it. */
export function defaultParamsPath(file: string): string {
  const name = basename(file).replace(/\.dnn\.json$/i, '').replace(/\.json$/i, '');
  return join(dirname(file), `${name}.params.json`);
}

/** The spec's init file (relative to the .dnn.json) or --init, loaded and checked; undefined = use the scheme. */
async function initialParameters(file: string, loaded: LoadedSpec, initFlag: string | undefined, io: CliIO): Promise<Parameters | undefined | false> {
  const init = loaded.spec.training.init;
  const path = initFlag ?? (init.scheme === 'file' ? resolve(dirname(file), init.path) : undefined);
  if (!path) return undefined;
  const r = await loadParameters(path, networkOf(loaded.spec));
  if (!r.ok) {
    for (const p of r.problems) io.err(`${initFlag ?? positionOf(file, loaded.text, ['training', 'init'])}: error: ${p}\n`);
    return false;
  }
  return r.file.parameters;
}

/** Ctrl-C: abort through an AbortSignal while `work` runs (io.signal, in tests). */
export async function withInterrupt<T>(io: CliIO, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  io.signal?.addEventListener('abort', onSigint);
  if (io.signal?.aborted) ac.abort();
  process.on('SIGINT', onSigint);
  try {
    return await work(ac.signal);
  } finally {
    process.off('SIGINT', onSigint);
    io.signal?.removeEventListener('abort', onSigint);
  }
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}

/**
 * What a kernel set's name means, for --verbose: "wasm-fma-2threads" -> WebAssembly SIMD with fused
 * multiply-add, big products split over two threads (the names come from src/core/kernels and
 * src/node/parallel.ts).
 */
export function describeKernels(name: string): string {
  const what = name.startsWith('wasm-fma') ? 'WebAssembly SIMD with fused multiply-add' : name.startsWith('wasm') ? 'WebAssembly SIMD' : 'TypeScript';
  const threads = name.endsWith('-2threads') ? `products of ${PARALLEL_MIN_WORK} multiply-adds or more split over 2 threads` : 'one thread';
  return `${name} (${what}; ${threads})`;
}

/** `given`: the matrix kernels to train with (tests); by default this process's `chooseTrainingKernels()`. */
export async function run(args: string[], io: CliIO, given?: Kernels): Promise<number> {
  const parsed = parseArgs(args, ['init', 'save', 'iterations', 'learning-rate', 'seed', 'costs'], ['json', 'verbose']);
  if (parsed === 'help') {
    io.out(HELP);
    return 0;
  }
  if (typeof parsed === 'string' || !parsed.file) {
    io.err(`dnn train: ${typeof parsed === 'string' ? parsed : 'no FILE given'}\n${HELP}`);
    return 2;
  }
  const { file, flags } = parsed;
  const overrides: TrainOverrides = {};
  const iterations = numberFlag(flags, 'iterations', (n) => Number.isInteger(n) && n >= 0, 'a whole number >= 0');
  const learningRate = numberFlag(flags, 'learning-rate', (n) => n > 0, 'a positive number');
  const seed = numberFlag(flags, 'seed', (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32, 'an integer in [0, 2^32)');
  for (const v of [iterations, learningRate, seed]) {
    if (typeof v === 'string') {
      io.err(`dnn train: ${v}\n`);
      return 2;
    }
  }
  if (typeof iterations === 'number') overrides.iterations = iterations;
  if (typeof learningRate === 'number') overrides.learningRate = learningRate;
  if (typeof seed === 'number') overrides.seed = seed;
  const json = flags.has('json');

  const loaded = await loadSpec(file, io, json);
  if (!loaded) return 1;
  const dataset = await loadDataset(file, loaded, io);
  if (!dataset) return 1;
  const init = await initialParameters(file, loaded, flags.get('init') as string | undefined, io);
  if (init === false) return 1;

  const { spec } = loaded;
  // Both cores from here on: the kernels' worker thread is unref'd, so it never keeps the
  // process alive, and Ctrl-C still ends it (exit 130).
  const chosen: KernelChoice = given ? { kernels: given } : await chooseTrainingKernels();
  if (chosen.fallback) io.err(`dnn: ${chosen.fallback}\n`);
  const kernels = chosen.kernels;
  if (flags.has('verbose')) io.err(`dnn train: kernels ${describeKernels(kernels.name)}\n`);
  const total = overrides.iterations ?? spec.training.iterations;
  const printEvery = Math.max(1, spec.training.printEvery);
  // About a hundred bar updates per run, at a divisor of printEvery so no cost line is skipped.
  let progressEvery = printEvery;
  if (io.isTTY && !json) {
    progressEvery = Math.max(1, Math.min(printEvery, Math.ceil(total / 100)));
    while (printEvery % progressEvery !== 0) progressEvery--;
  }
  let barShown = false;
  const clearBar = () => {
    if (barShown) io.err('\r\x1b[K');
    barShown = false;
  };
  const onProgress = (p: TrainProgress) => {
    if (json) return;
    if (p.iteration % printEvery === 0) {
      clearBar();
      io.out(`Cost after iteration ${p.iteration}: ${p.cost.toFixed(6)}\n`);
    }
    if (io.isTTY) {
      const width = 30;
      const done = Math.round(((p.iteration + 1) / p.iterations) * width);
      io.err(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.iteration + 1}/${p.iterations}  cost ${p.cost.toFixed(6)}`);
      barShown = true;
    }
  };

  let result;
  try {
    result = await withInterrupt(io, (signal) => {
      return train(spec, dataset, {
        signal,
        onProgress,
        progressEvery,
        overrides,
        kernels,
        ...(init ? { initialParameters: init } : {}),
      });
    });
  } catch (e) {
    clearBar();
    if (e instanceof EngineError) {
      reportEngineError(file, loaded.text, e, io);
      return 1;
    }
    throw e;
  }
  clearBar();

  const finalCost = result.costs.length > 0 ? result.costs[result.costs.length - 1] : undefined;
  const report: Record<string, unknown> = {
    file,
    status: result.status,
    iterations: result.costs.length,
    finalCost,
    trainAccuracy: result.trainAccuracy,
    devAccuracy: result.devAccuracy,
    devCost: result.devCost,
    seed: result.seed,
    elapsedMs: Math.round(result.elapsedMs),
    data: dataset.source,
    kernels: kernels.name,
  };
  if (result.status === 'aborted') {
    if (json) io.out(JSON.stringify({ ...report, message: 'interrupted; nothing saved' }) + '\n');
    else io.err(`dnn train: interrupted at iteration ${result.costs.length}; nothing saved\n`);
    return 130;
  }
  if (result.status === 'diverged') {
    if (json) io.out(JSON.stringify({ ...report, message: result.message }) + '\n');
    else io.err(`${file}: error: ${result.message}\n`);
    return 1;
  }

  const savePath = (flags.get('save') as string | undefined) ?? defaultParamsPath(file);
  const meta: ParamsMeta = {
    architecture: networkOf(spec).layerDims,
    activations: spec.layers.map((l) => l.activation),
    loss: spec.loss,
    seed: result.seed,
    iterations: result.costs.length,
    learningRate: overrides.learningRate ?? spec.training.learningRate,
    data: dataset.source,
  };
  if (finalCost !== undefined) meta.finalCost = finalCost;
  if (dataset.standardization) meta.standardization = dataset.standardization;
  const costsPath = flags.get('costs') as string | undefined;
  try {
    await saveParameters(savePath, result.parameters, meta);
    if (costsPath) {
      let csv = 'iteration,cost\n';
      result.costs.forEach((c, i) => (csv += `${i},${c.toPrecision(17)}\n`));
      await writeFileAtomic(costsPath, csv);
    }
  } catch (e) {
    io.err(`dnn train: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (json) {
    io.out(JSON.stringify({ ...report, saved: savePath, ...(costsPath ? { costs: costsPath } : {}) }) + '\n');
    return 0;
  }
  if (result.trainAccuracy !== undefined) io.out(`Train accuracy: ${percent(result.trainAccuracy)}\n`);
  if (result.devAccuracy !== undefined) io.out(`Dev accuracy: ${percent(result.devAccuracy)}\n`);
  if (result.trainAccuracy === undefined && finalCost !== undefined) io.out(`Final cost: ${finalCost.toFixed(6)}\n`);
  io.out(`Saved parameters to ${savePath}\n`);
  if (costsPath) io.out(`Wrote ${result.costs.length} costs to ${costsPath}\n`);
  return 0;
}
