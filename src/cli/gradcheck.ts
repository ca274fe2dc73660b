/**
 * `dnn gradcheck FILE [--epsilon 1e-7]`: course 2's gradient check of the network in FILE at its
 * initial parameters (the file's init and seed, or --init), on the first few examples of its data:
 * prints the relative difference ‖dθ − dθapprox‖ / (‖dθ‖ + ‖dθapprox‖), pass or fail against
 * 2e-7, and the worst entries by parameter and (row, col).
 *
 * Exit status: 0 passed, 1 failed or problems in the file or data, 2 usage error.
 */
import type { Kernels } from '../core/kernels/types';
import { chooseKernels } from '../node/kernels';
import { gradientCheckRun, spreadColumns } from '../run/check';
import { collecting, failedJson, loadForRun, numberFlag, parseArgs, printProblems } from './common';
import type { CliIO } from './main';

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

export async function run(args: string[], terminal: CliIO, kernels: Kernels = chooseKernels().kernels): Promise<number> {
  const io = collecting(terminal);
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
  const loaded = await loadForRun(file, flags, io, json);
  if (!loaded) {
    if (json) io.out(failedJson(file, io.problems));
    return 1;
  }
  const { read } = loaded;
  const { spec } = loaded.run;

  const m = Math.min(GRADCHECK_EXAMPLES, loaded.run.dataset.train.X.cols);
  // The run layer refuses any kind but dense before this point.
  const dims = [spec.inputUnits, ...spec.layers.map((l) => (l.type === 'dense' ? l.units : 0))];
  let perForward = 0;
  for (let l = 1; l < dims.length; l++) perForward += m * dims[l] * dims[l - 1];
  const checked = await gradientCheckRun(loaded.run, {
    kernels,
    pick: (X, Y) => ({ X: spreadColumns(X, m), Y: spreadColumns(Y, m) }),
    ...(epsilon !== undefined ? { epsilon } : {}),
    maxEntries: Math.max(100, Math.floor(GRADCHECK_WORK / (2 * perForward))),
  });
  if (!checked.ok) {
    printProblems(file, checked.problems, io, read);
    if (json) io.out(failedJson(file, io.problems));
    return 1;
  }
  const r = checked.result;
  if (json) {
    io.out(JSON.stringify({ file, examples: m, ...r }) + '\n');
    return r.passed ? 0 : 1;
  }
  const given = Boolean(flags.get('init') ?? loaded.run.initial);
  const evaluated = r.checked + r.excluded;
  const sampled = evaluated < r.total ? ` (${evaluated} of ${r.total} parameters: every bias, a sample of each W)` : ` (all ${r.total} parameters)`;
  const notes = [spec.training.keepProb < 1 ? 'dropout off' : '', spec.training.l2 > 0 ? `L2 ${spec.training.l2} included` : ''].filter(Boolean);
  io.out(`Gradient check of ${file} at the ${given ? 'given' : 'initial'} parameters on ${m} example${m === 1 ? '' : 's'}${sampled}, epsilon ${r.epsilon}${notes.length ? ` (${notes.join(', ')})` : ''}:\n`);
  io.out(`  difference = ${r.difference.toExponential(3)}  ${r.passed ? 'PASSED' : 'FAILED'} (threshold ${r.threshold})\n`);
  if (r.excluded > 0) io.out(`  ${r.excluded} entr${r.excluded === 1 ? 'y' : 'ies'} left out: ${r.excludedReason}\n`);
  io.out('  per layer:\n');
  for (const l of r.layers) {
    const out = l.excluded > 0 ? `, ${l.excluded} left out` : '';
    io.out(`    layer ${l.layer}: difference = ${l.difference.toExponential(3)} over ${l.checked} entr${l.checked === 1 ? 'y' : 'ies'}${out}${l.difference >= r.threshold ? '  <-' : ''}\n`);
  }
  io.out(r.passed ? '  largest disagreements:\n' : '  there is a mistake in the backward propagation; worst entries:\n');
  io.out('    parameter  (row, col)    backprop                  numeric\n');
  for (const w of r.worst) {
    io.out(`    ${w.name.padEnd(9)}  ${`(${w.row}, ${w.col})`.padEnd(12)}  ${fmt(w.analytic).padEnd(24)}  ${fmt(w.numeric)}\n`);
  }
  return r.passed ? 0 : 1;
}

function fmt(v: number): string {
  return v.toPrecision(12);
}
