/**
 * `dnn train FILE [--init P] [--save P] [--iterations N] [--learning-rate A] [--seed S]
 * [--costs CSV] [--json]`: trains the network of a .dnn.json on its data and prints the cost every
 * printEvery iterations exactly as the course's notebooks do ("Cost after iteration 1000:
 * 0.288083"), then the accuracy; saves the parameters beside the file
 * (`<name>.params.json`, or --save). Ctrl-C stops cleanly, exit 130: no parameters are written,
 * only the costs so far when --costs asks for them. Output paths are checked before any work.
 * Trains on both cores (src/node/kernels.ts `chooseTrainingKernels`); --verbose says which kernels ran.
 * Loading, training and saving are the run layer's (src/run), shared with the editor's worker;
 * this module keeps the flags and the printing.
 *
 * Exit status: 0 trained, 1 problems in the file, the data or the parameters (or the cost
 * diverged), 2 usage error, 130 interrupted.
 */
import type { TrainProgress } from '../core/engine/types';
import type { Kernels } from '../core/kernels/types';
import { outputPathProblem } from '../node/files';
import { writeFileAtomic } from '../node/params';
import { costsCsv } from '../run/costs';
import { chooseTrainingKernels, type KernelChoice } from '../node/kernels';
import { PARALLEL_MIN_WORK } from '../node/parallel';
import type { LoadedRun } from '../run/load';
import { defaultParamsPath, type Overrides } from '../run/settings';
import { finalCost, saveRun, trainRun, type TrainedRun } from '../run/train';
import { formatCost, progressLine, usesMiniBatches, type Precision } from '../run/print';
import { collecting, failedJson, loadForRun, numberFlag, parseArgs, percent, printProblems, withInterrupt } from './common';
import type { CliIO } from './main';

export const TRAIN_USAGE = 'dnn train FILE [--init P] [--save P] [--iterations N] [--learning-rate A] [--seed S] [--precision D|full] [--costs CSV] [--json] [--verbose]';

const HELP = `usage: ${TRAIN_USAGE}
  Trains the network in FILE (.dnn.json) on its data, printing the cost every printEvery
  iterations as the course does ("Cost after epoch i" with mini-batches), then the accuracy,
  and saves the parameters.
  --init P            start from the parameters file P instead of the file's "init"
  --save P            where to save the parameters (default: <name>.params.json beside FILE);
                      given, it also keeps the last finite parameters of a run that diverged
  --precision D|full  decimals of the printed cost, or full (Python's repr); default
                      training.printPrecision (6, the notebooks' "%f")
  --iterations N      override training.iterations
  --learning-rate A   override training.learningRate
  --seed S            override training.seed (numpy's np.random.seed)
  --costs CSV         write "iteration,cost" for every iteration (17 significant digits);
                      also the costs so far of a run that diverged or was interrupted
  --json              print one JSON document instead of text
  --verbose           say which matrix kernels train (on stderr)
Exit status: 0 trained, 1 problems in the file, data or parameters, or the cost diverged,
2 usage error (also an output path whose folder is missing, checked before training),
130 interrupted (Ctrl-C; no parameters are written, the costs so far are with --costs).
`;

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

/** The overrides given on the command line, or a usage message. */
function overridesOf(flags: Map<string, string | true>): Overrides | string {
  const overrides: Overrides = {};
  const iterations = numberFlag(flags, 'iterations', (n) => Number.isInteger(n) && n >= 0, 'a whole number >= 0');
  const learningRate = numberFlag(flags, 'learning-rate', (n) => n > 0, 'a positive number');
  const seed = numberFlag(flags, 'seed', (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32, 'an integer in [0, 2^32)');
  for (const v of [iterations, learningRate, seed]) if (typeof v === 'string') return v;
  if (typeof iterations === 'number') overrides.iterations = iterations;
  if (typeof learningRate === 'number') overrides.learningRate = learningRate;
  if (typeof seed === 'number') overrides.seed = seed;
  return overrides;
}

/**
 * The course's cost lines every printEvery iterations on stdout, and on a terminal a progress bar
 * on stderr, updated about a hundred times per run at a divisor of printEvery so no cost line is
 * skipped. `clear` removes the bar before anything else is printed.
 */
function progressPrinter(io: CliIO, total: number, printEvery: number, json: boolean, line: { miniBatches: boolean; precision: Precision }) {
  let every = printEvery;
  if (io.isTTY && !json) {
    every = Math.max(1, Math.min(printEvery, Math.ceil(total / 100)));
    while (printEvery % every !== 0) every--;
  }
  let barShown = false;
  const clear = () => {
    if (barShown) (io.status ?? io.err)('\r\x1b[K');
    barShown = false;
  };
  const onProgress = (p: TrainProgress) => {
    if (json) return;
    if (p.iteration % printEvery === 0) {
      clear();
      io.out(`${progressLine(p.iteration, p.cost, line)}\n`);
    }
    if (io.isTTY) {
      const width = 30;
      const done = Math.round(((p.iteration + 1) / p.iterations) * width);
      (io.status ?? io.err)(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.iteration + 1}/${p.iterations}  cost ${p.cost.toFixed(6)}`);
      barShown = true;
    }
  };
  return { every, onProgress, clear };
}

/** `given`: the matrix kernels to train with (tests); by default this process's `chooseTrainingKernels()`. */
export async function run(args: string[], terminal: CliIO, given?: Kernels): Promise<number> {
  const io = collecting(terminal);
  const parsed = parseArgs(args, ['init', 'save', 'iterations', 'learning-rate', 'seed', 'costs', 'precision'], ['json', 'verbose']);
  if (parsed === 'help') {
    io.out(HELP);
    return 0;
  }
  if (typeof parsed === 'string' || !parsed.file) {
    io.err(`dnn train: ${typeof parsed === 'string' ? parsed : 'no FILE given'}\n${HELP}`);
    return 2;
  }
  const { file, flags } = parsed;
  const overrides = overridesOf(flags);
  if (typeof overrides === 'string') {
    io.err(`dnn train: ${overrides}\n`);
    return 2;
  }
  const precisionFlag = flags.get('precision');
  let precision: Precision | undefined;
  if (precisionFlag !== undefined) {
    const n = Number(precisionFlag);
    if (precisionFlag === 'full') precision = 'full';
    else if (typeof precisionFlag === 'string' && /^\d+$/.test(precisionFlag) && n <= 17) precision = n;
    else {
      io.err(`dnn train: --precision must be a number of decimals from 0 to 17 or 'full'; found '${String(precisionFlag)}'\n`);
      return 2;
    }
  }
  // Every output path is checked before any work: a missing folder is a usage error now, not a
  // failed write after a long run.
  for (const name of ['save', 'costs']) {
    const path = flags.get(name);
    const problem = typeof path === 'string' ? await outputPathProblem(path) : undefined;
    if (problem) {
      io.err(`dnn train: --${name}: ${problem}\n`);
      return 2;
    }
  }
  const json = flags.has('json');
  const loaded = await loadForRun(file, flags, io, json);
  if (!loaded) {
    if (json) io.out(failedJson(file, io.problems));
    return 1;
  }
  const { read } = loaded;
  if (!flags.has('save')) {
    const problem = await outputPathProblem(defaultParamsPath(file));
    if (problem) {
      io.err(`dnn train: ${problem}; name another place with --save P\n`);
      return 2;
    }
  }

  // Both cores from here on: the kernels' worker thread is unref'd, so it never keeps the
  // process alive, and Ctrl-C still ends it (exit 130).
  const chosen: KernelChoice = given ? { kernels: given } : await chooseTrainingKernels();
  if (chosen.fallback) io.err(`dnn: ${chosen.fallback}\n`);
  const kernels = chosen.kernels;
  if (flags.has('verbose')) io.err(`dnn train: kernels ${describeKernels(kernels.name)}\n`);
  const { spec } = loaded.run;
  const line = { miniBatches: usesMiniBatches(spec, loaded.run.dataset.train.X.cols), precision: precision ?? spec.training.printPrecision };
  const progress = progressPrinter(io, overrides.iterations ?? spec.training.iterations, Math.max(1, spec.training.printEvery), json, line);
  const onWarning = (w: string) => {
    progress.clear();
    io.err(`${file}: warning: ${w}\n`);
  };
  const trained = await withInterrupt(io, (signal) => trainRun(loaded.run, { kernels, overrides, signal, progressEvery: progress.every, onProgress: progress.onProgress, onWarning }));
  progress.clear();
  if (!trained.ok) {
    printProblems(file, trained.problems, io, read);
    if (json) io.out(failedJson(file, io.problems));
    return 1;
  }
  return finish(file, flags, loaded.run, trained, kernels.name, io);
}

/** Prints how the run ended and saves it when it completed; returns the exit status. */
async function finish(file: string, flags: Map<string, string | true>, run: LoadedRun, trained: TrainedRun, kernels: string, io: CliIO): Promise<number> {
  const json = flags.has('json');
  const { result } = trained;
  const last = finalCost(result);
  const report: Record<string, unknown> = {
    file,
    status: result.status,
    iterations: result.costs.length,
    finalCost: last,
    trainAccuracy: result.trainAccuracy,
    devAccuracy: result.devAccuracy,
    devCost: result.devCost,
    seed: result.seed,
    elapsedMs: Math.round(result.elapsedMs),
    data: run.dataset.source,
    kernels,
  };
  const costsPath = flags.get('costs') as string | undefined;
  if (result.status === 'aborted') {
    // The parameters of an interrupted run are not kept, but the costs so far are what the user
    // asked for and may need to see why they stopped it.
    const wrote = costsPath ? await writePartialCosts(costsPath, result.costs, io) : false;
    const what = wrote ? `parameters not saved; wrote ${result.costs.length} costs to ${costsPath}` : 'nothing saved';
    if (json) io.out(JSON.stringify({ ...report, message: `interrupted; ${what}`, ...(wrote ? { costs: costsPath } : {}) }) + '\n');
    else io.err(`dnn train: interrupted at iteration ${result.costs.length}; ${what}\n`);
    return 130;
  }
  if (result.warnings) report.warnings = result.warnings;
  if (result.status === 'diverged') {
    // The last finite parameters are saved only where the user asked for them by name.
    const keep = flags.get('save') as string | undefined;
    let saved: string | undefined;
    if (keep && result.finiteParameters) {
      const failed = await saveRun(run, trained, { paramsPath: keep });
      for (const p of failed) io.err(`dnn train: ${p.message}\n`);
      if (failed.length === 0) saved = keep;
    }
    // The costs up to the divergence are what a user debugging it needs most.
    const wrote = costsPath ? await writePartialCosts(costsPath, result.costs, io) : false;
    if (json) io.out(JSON.stringify({ ...report, message: result.message, finiteParameters: result.finiteParameters ?? false, ...(saved ? { saved } : {}), ...(wrote ? { costs: costsPath } : {}) }) + '\n');
    else {
      io.err(`${file}: error: ${result.message}\n`);
      if (wrote) io.err(`dnn train: wrote the ${result.costs.length} costs computed before it stopped to ${costsPath}\n`);
      if (saved) io.err(`dnn train: saved the last finite parameters to ${saved}\n`);
      else if (result.finiteParameters) io.err(`dnn train: parameters not saved; run again with --save P to keep the last finite parameters\n`);
    }
    return 1;
  }

  const savePath = (flags.get('save') as string | undefined) ?? defaultParamsPath(file);
  const failed = await saveRun(run, trained, { paramsPath: savePath, ...(costsPath ? { costsPath } : {}) });
  if (failed.length > 0) {
    for (const p of failed) io.err(`dnn train: ${p.message}\n`);
    return 1;
  }
  if (json) {
    io.out(JSON.stringify({ ...report, saved: savePath, ...(costsPath ? { costs: costsPath } : {}) }) + '\n');
    return 0;
  }
  if (result.trainAccuracy !== undefined) io.out(`Train accuracy: ${percent(result.trainAccuracy)}\n`);
  if (result.devAccuracy !== undefined) io.out(`Dev accuracy: ${percent(result.devAccuracy)}\n`);
  if (result.trainAccuracy === undefined && last !== undefined) io.out(`Final cost: ${formatCost(last, 6)}\n`);
  io.out(`Saved parameters to ${savePath}\n`);
  if (costsPath) io.out(`Wrote ${result.costs.length} costs to ${costsPath}\n`);
  return 0;
}

/** Writes the costs of a run that stopped early; false (and the reason on stderr) when it cannot. */
async function writePartialCosts(path: string, costs: ArrayLike<number>, io: CliIO): Promise<boolean> {
  try {
    await writeFileAtomic(path, costsCsv(costs));
    return true;
  } catch (e) {
    io.err(`dnn train: cannot write ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
    return false;
  }
}
