/**
 * `dnn gradcheck FILE [--epsilon 1e-7]`: course 2's gradient check of the network in FILE at its
 * initial parameters (the file's init and seed, or --init), on the first few examples of its data:
 * prints the relative difference ‖dθ − dθapprox‖ / (‖dθ‖ + ‖dθapprox‖), pass or fail against
 * 2e-7, and the worst entries by parameter and (row, col).
 *
 * Exit status: 0 passed, 1 failed or problems in the file or data, 2 usage error.
 */
import { gradientCheck } from '../core/engine/gradcheck';
import { zeros, type Matrix } from '../core/matrix';
import { EngineError, networkOf } from '../core/engine/network';
import { train } from '../core/engine/train';
import type { Kernels } from '../core/kernels/types';
import { resolve, dirname } from 'node:path';
import { chooseKernels } from '../node/kernels';
import { loadParameters } from '../node/params';
import type { CliIO } from './main';
import { loadDataset, loadSpec, numberFlag, parseArgs, reportEngineError } from './train';

const HELP = `usage: dnn gradcheck FILE [--epsilon E] [--init P] [--json]
  Gradient check (course 2) of FILE's network at its initial parameters on 32 examples
  spread over its data: relative difference, pass/fail against 2e-7, worst entries.
  --epsilon E   the two-sided difference's step (default 1e-7)
  --init P      check at the parameters in file P instead of the initial ones
  --json        print one JSON document
Exit status: 0 passed, 1 failed or problems in the input, 2 usage error.
`;

/** Examples used: enough to exercise every unit, few enough that 2 forward passes per parameter stay quick. */
export const GRADCHECK_EXAMPLES = 32;
/**
 * Multiply-adds the check may spend (about a second or two): each parameter checked costs two
 * forward passes over the examples. Small networks are checked whole; for the course's cat
 * network [12288, 20, 7, 5, 1] this samples a few hundred entries of the weights.
 */
export const GRADCHECK_WORK = 3e9;

export async function run(args: string[], io: CliIO, kernels: Kernels = chooseKernels().kernels): Promise<number> {
  const parsed = parseArgs(args, ['epsilon', 'init'], ['json']);
  if (parsed === 'help') {
    io.out(HELP);
    return 0;
  }
  if (typeof parsed === 'string' || !parsed.file) {
    io.err(`dnn gradcheck: ${typeof parsed === 'string' ? parsed : 'no FILE given'}\n${HELP}`);
    return 2;
  }
  const { file, flags } = parsed;
  const epsilon = numberFlag(flags, 'epsilon', (n) => n > 0 && n < 1, 'a number between 0 and 1');
  if (typeof epsilon === 'string') {
    io.err(`dnn gradcheck: ${epsilon}\n`);
    return 2;
  }
  const json = flags.has('json');
  const loaded = await loadSpec(file, io, json);
  if (!loaded) return 1;
  const dataset = await loadDataset(file, loaded, io);
  if (!dataset) return 1;
  const { spec } = loaded;

  try {
    const net = networkOf(spec);
    // The initial parameters exactly as `dnn train` would start: zero iterations of training.
    let parameters;
    const initPath = (flags.get('init') as string | undefined) ?? (spec.training.init.scheme === 'file' ? resolve(dirname(file), spec.training.init.path) : undefined);
    if (initPath) {
      const r = await loadParameters(initPath, net);
      if (!r.ok) {
        for (const p of r.problems) io.err(`${initPath}: error: ${p}\n`);
        return 1;
      }
      parameters = r.file.parameters;
    } else {
      parameters = (await train(spec, dataset, { overrides: { iterations: 0 }, kernels })).parameters;
    }
    const m = Math.min(GRADCHECK_EXAMPLES, dataset.train.X.cols);
    const X = spreadColumns(dataset.train.X, m);
    const Y = spreadColumns(dataset.train.Y, m);
    let perForward = 0;
    for (let l = 1; l < net.layerDims.length; l++) perForward += m * net.layerDims[l] * net.layerDims[l - 1];
    const r = gradientCheck(spec, parameters, X, Y, {
      ...(epsilon !== undefined ? { epsilon } : {}),
      maxEntries: Math.max(100, Math.floor(GRADCHECK_WORK / (2 * perForward))),
      kernels,
    });
    if (json) {
      io.out(JSON.stringify({ file, examples: m, ...r }) + '\n');
      return r.passed ? 0 : 1;
    }
    const sampled = r.checked < r.total ? ` (${r.checked} of ${r.total} parameters: every bias, a sample of each W)` : ` (all ${r.total} parameters)`;
    const notes = [spec.training.keepProb < 1 ? 'dropout off' : '', spec.training.l2 > 0 ? `L2 ${spec.training.l2} included` : ''].filter(Boolean);
    io.out(`Gradient check of ${file} at the ${initPath ? 'given' : 'initial'} parameters on ${m} example${m === 1 ? '' : 's'}${sampled}, epsilon ${r.epsilon}${notes.length ? ` (${notes.join(', ')})` : ''}:\n`);
    io.out(`  difference = ${r.difference.toExponential(3)}  ${r.passed ? 'PASSED' : 'FAILED'} (threshold ${r.threshold})\n`);
    io.out(r.passed ? '  largest disagreements:\n' : '  there is a mistake in the backward propagation; worst entries:\n');
    if (!r.passed && spec.layers.some((l) => l.activation === 'relu' || l.activation === 'leaky-relu')) {
      // A correct backward pass can fail at a kink: relu is not differentiable at z = 0.
      io.out(`  (relu has a kink at z = 0: if an example's Z is within epsilon of 0 the numeric estimate is off; try --epsilon 1e-9)\n`);
    }
    io.out('    parameter  (row, col)    backprop                  numeric\n');
    for (const w of r.worst) {
      io.out(`    ${w.name.padEnd(9)}  ${`(${w.row}, ${w.col})`.padEnd(12)}  ${fmt(w.analytic).padEnd(24)}  ${fmt(w.numeric)}\n`);
    }
    return r.passed ? 0 : 1;
  } catch (e) {
    if (e instanceof EngineError) {
      reportEngineError(file, loaded.text, e, io);
      return 1;
    }
    throw e;
  }
}

function fmt(v: number): string {
  return v.toPrecision(12);
}

/**
 * m columns of M spread evenly over it (j * floor(cols / m)): data files are often sorted by class,
 * so the first columns would all be one class (planar's first points even sit at the origin).
 */
function spreadColumns(M: Matrix, m: number): Matrix {
  if (m === M.cols) return M;
  const step = Math.floor(M.cols / m);
  const out = zeros(M.rows, m);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < m; j++) out.data[i * m + j] = M.data[i * M.cols + j * step];
  return out;
}
