/**
 * `dnn predict FILE --params P --input CSV [--output CSV]` or `--image PICTURE`: runs the network of FILE with the
 * parameters in P on the examples of CSV (one row each, the same feature columns as for training;
 * a label column is optional). Writes one row per example: the predicted label and the
 * probabilities (or the values, for an mse network), to --output or to stdout. When the input has
 * labels, prints the accuracy and the confusion matrix. A standardisation stored in P's "meta" is
 * applied to the inputs first, as it was to the training data. With --image, one PNG or JPEG
 * picture is prepared as the training pictures were (resized to input.shape, divided as the data's
 * divideBy) and the predicted class is printed by name with its probability.
 *
 * Exit status: 0 ok, 1 problems in the file, the parameters or the input, 2 usage error.
 */
import { classNamesForSpec, readCsvFile } from '../node/data';
import { readBytesFile } from '../node/files';
import { chooseKernels } from '../node/kernels';
import { writeFileAtomic } from '../node/params';
import type { ParamsFile } from '../core/engine/params';
import { readParameters, type CheckedFile } from '../run/load';
import { describeClass, pictureInput, predictWith } from '../run/predict';
import { parseArgs, percent, printProblems, readChecked } from './common';
import type { CliIO } from './main';

const HELP = `usage: dnn predict FILE --params P --input CSV [--output CSV]
       dnn predict FILE --params P --image PICTURE
  Predicts with FILE's network and the parameters in P (written by dnn train) on the examples of
  CSV (a header row, the training features; the label column is optional).
  Output: one row per example with the prediction and the probabilities, to --output or stdout.
  With labels in the input: accuracy and confusion matrix (on stdout, or stderr when the
  predictions go to stdout).
  --image: one PNG or JPEG picture, resized to input.shape and divided as the training data;
  prints the predicted class (by name when the data names its classes) and its probability.
Exit status: 0 ok, 1 problems in the input, 2 usage error.
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, ['params', 'input', 'output', 'label', 'image'], []);
  if (parsed === 'help') {
    io.out(HELP);
    return 0;
  }
  const usage = typeof parsed === 'string' ? parsed : !parsed.file ? 'no FILE given' : !parsed.flags.has('params') ? '--params P is required' : parsed.flags.has('input') && parsed.flags.has('image') ? 'give --input CSV or --image PICTURE, not both' : !parsed.flags.has('input') && !parsed.flags.has('image') ? '--input CSV or --image PICTURE is required' : undefined;
  if (usage || typeof parsed === 'string' || !parsed.file) {
    io.err(`dnn predict: ${usage}\n${HELP}`);
    return 2;
  }
  const { file, flags } = parsed;
  const paramsPath = flags.get('params') as string;
  const outputPath = flags.get('output') as string | undefined;

  const loaded = await readChecked(file, io, true);
  if (!loaded) return 1;
  const { spec } = loaded;
  const params = await readParameters(loaded, paramsPath, undefined);
  if (!params.ok) {
    printProblems(file, params.problems, io, loaded);
    return 1;
  }
  const imagePath = flags.get('image') as string | undefined;
  if (imagePath !== undefined) return predictImage(loaded, params, paramsPath, imagePath, io);
  const inputPath = flags.get('input') as string;
  const label = (flags.get('label') as string | undefined) ?? (spec.data?.kind === 'csv' ? spec.data.label : 'y');
  const csv = await readCsvFile(inputPath, { label, task: spec.loss === 'mse' ? 'values' : 'classes', labelRequired: false });
  if (!csv.ok) {
    for (const e of csv.errors) io.err(`${e.file}:${e.line}:${e.column}: error: ${e.message}\n`);
    return 1;
  }
  // One thread: a forward pass is small work (the kernels are the entry point's choice).
  const predicted = predictWith(spec, params, csv.data.X, chooseKernels().kernels, paramsPath);
  if (!predicted.ok) {
    printProblems(file, predicted.problems, io, loaded);
    return 1;
  }
  const AL = predicted.prediction.probabilities;
  const labels = predicted.prediction.labels;

  // The CSV of predictions: header, then one row per example.
  const out: string[] = [];
  const cols = AL.rows === 1 ? [spec.loss === 'mse' ? 'value' : 'probability'] : Array.from({ length: AL.rows }, (_, i) => (spec.loss === 'mse' ? `value${i}` : `p${i}`));
  out.push([...(labels ? ['prediction'] : []), ...cols].join(','));
  for (let j = 0; j < AL.cols; j++) {
    const row: string[] = labels ? [String(labels[j])] : [];
    for (let i = 0; i < AL.rows; i++) row.push(String(AL.data[i * AL.cols + j]));
    out.push(row.join(','));
  }
  const csvText = out.join('\n') + '\n';
  const summary = labels && csv.data.labels ? summarize(labels, csv.data.labels, Math.max(2, AL.rows, csv.data.classes ?? 2)) : '';
  if (outputPath) {
    try {
      await writeFileAtomic(outputPath, csvText);
    } catch (e) {
      io.err(`dnn predict: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    io.out(`Wrote ${AL.cols} prediction${AL.cols === 1 ? '' : 's'} to ${outputPath}\n${summary}`);
  } else {
    io.out(csvText);
    if (summary) io.err(summary);
  }
  return 0;
}

/** `--image`: one picture, its class by name and the probability. */
async function predictImage(loaded: CheckedFile, params: ParamsFile, paramsPath: string, imagePath: string, io: CliIO): Promise<number> {
  const { file, spec } = loaded;
  const read = await readBytesFile(imagePath);
  if (!read.ok) {
    io.err(`${imagePath}: error: ${read.message}\n`);
    return 1;
  }
  const input = pictureInput(spec, read.bytes, imagePath);
  if (!input.ok) {
    printProblems(file, input.problems, io, loaded);
    return 1;
  }
  const predicted = predictWith(spec, params, input.X, chooseKernels().kernels, paramsPath);
  if (!predicted.ok) {
    printProblems(file, predicted.problems, io, loaded);
    return 1;
  }
  const c = describeClass(predicted.prediction, 0, await classNamesForSpec(spec, file));
  if (!c) {
    // Regression outputs have no class: print the values.
    io.out(`${imagePath}: ${Array.from(predicted.prediction.probabilities.data).join(', ')}\n`);
    return 0;
  }
  io.out(`${imagePath}: ${c.name} (class ${c.label}), probability ${c.probability.toFixed(4)}\n`);
  return 0;
}

/** Accuracy and the confusion matrix: rows are the true classes, columns the predicted ones. */
function summarize(predicted: Int32Array, actual: Int32Array, k: number): string {
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let j = 0; j < predicted.length; j++) {
    if (predicted[j] === actual[j]) correct++;
    if (actual[j] < k && predicted[j] < k) counts[actual[j]][predicted[j]]++;
  }
  const m = predicted.length;
  const width = Math.max(5, String(m).length + 1);
  let s = `Accuracy: ${percent(m === 0 ? 0 : correct / m)} (${correct} of ${m})\n`;
  s += `Confusion matrix (rows: true class, columns: predicted):\n`;
  s += ' '.repeat(8) + Array.from({ length: k }, (_, c) => String(c).padStart(width)).join('') + '\n';
  counts.forEach((row, r) => (s += `  ${String(r).padEnd(6)}` + row.map((v) => String(v).padStart(width)).join('') + '\n'));
  return s;
}
