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
import type { Matrix } from '../core/matrix';
import { readParameters, type CheckedFile } from '../run/load';
import { describeClass, pictureInput, predictWith } from '../run/predict';
import { collecting, failedJson, parseArgs, percent, printProblems, readChecked } from './common';
import type { CliIO } from './main';

const HELP = `usage: dnn predict FILE --params P --input CSV [--output CSV] [--label NAME] [--json]
       dnn predict FILE --params P --image PICTURE [--json]
  Predicts with FILE's network and the parameters in P (written by dnn train) on the examples of
  CSV (a header row, the training features; the label column is optional).
  Output: one row per example with the prediction and the probabilities, to --output or stdout.
  With labels in the input: accuracy and confusion matrix (on stdout, or stderr when the
  predictions go to stdout).
  --label NAME   the label column of CSV (default: the file's data.label, or y)
  --image PIC    one PNG or JPEG picture, resized to input.shape and divided as the training data;
                 prints the predicted class (by name when the data names its classes) and its
                 probability
  --json         print one JSON document: {file, examples, predictions, probabilities (or
                 values), accuracy and confusion when labelled}; a bad input gives
                 {file, status: "failed", problems}
Exit status: 0 ok, 1 problems in the input, 2 usage error.
`;

export async function run(args: string[], terminal: CliIO): Promise<number> {
  const io = collecting(terminal);
  const parsed = parseArgs(args, ['params', 'input', 'output', 'label', 'image'], ['json']);
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
  const json = flags.has('json');
  const fail = (): number => {
    if (json) io.out(failedJson(file, io.problems));
    return 1;
  };

  const loaded = await readChecked(file, io, true);
  if (!loaded) return fail();
  const { spec } = loaded;
  const params = await readParameters(loaded, paramsPath, undefined);
  if (!params.ok) {
    printProblems(file, params.problems, io, loaded);
    return fail();
  }
  const imagePath = flags.get('image') as string | undefined;
  if (imagePath !== undefined) return predictImage(loaded, params, paramsPath, imagePath, io);
  const inputPath = flags.get('input') as string;
  const label = (flags.get('label') as string | undefined) ?? (spec.data?.kind === 'csv' ? spec.data.label : 'y');
  const csv = await readCsvFile(inputPath, { label, task: spec.loss === 'mse' ? 'values' : 'classes', labelRequired: false });
  if (!csv.ok) {
    for (const e of csv.errors) {
      io.err(`${e.file}:${e.line}:${e.column}: error: ${e.message}\n`);
      io.problems.push({ code: 'data-error', severity: 'error', message: e.message, file: e.file, line: e.line, column: e.column });
    }
    return fail();
  }
  // One thread: a forward pass is small work (the kernels are the entry point's choice).
  const predicted = predictWith(spec, params, csv.data.X, chooseKernels().kernels, paramsPath);
  if (!predicted.ok) {
    printProblems(file, predicted.problems, io, loaded);
    return fail();
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
  if (outputPath) {
    try {
      await writeFileAtomic(outputPath, csvText);
    } catch (e) {
      io.err(`dnn predict: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  }
  if (json) {
    io.out(JSON.stringify(predictionJson(file, spec.loss === 'mse', AL, labels, csv.data.labels, outputPath)) + '\n');
    return 0;
  }
  const summary = labels && csv.data.labels ? summarize(labels, csv.data.labels, Math.max(2, AL.rows, csv.data.classes ?? 2)) : '';
  if (outputPath) {
    io.out(`Wrote ${AL.cols} prediction${AL.cols === 1 ? '' : 's'} to ${outputPath}\n${summary}`);
  } else {
    io.out(csvText);
    if (summary) io.err(summary);
  }
  return 0;
}

/**
 * --json's document: per example the prediction and its probabilities (the values for mse), and
 * with labels the accuracy and the confusion matrix (rows: true class, columns: predicted).
 */
function predictionJson(file: string, values: boolean, AL: Matrix, predicted: Int32Array | undefined, actual: Int32Array | undefined, output: string | undefined) {
  const perExample = Array.from({ length: AL.cols }, (_, j) => Array.from({ length: AL.rows }, (_, i) => AL.data[i * AL.cols + j]));
  const doc: Record<string, unknown> = { file, examples: AL.cols };
  if (predicted) doc.predictions = Array.from(predicted);
  doc[values ? 'values' : 'probabilities'] = perExample;
  if (predicted && actual) {
    const k = Math.max(2, AL.rows, ...Array.from(actual, (a) => a + 1));
    const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    let correct = 0;
    predicted.forEach((p, j) => {
      if (p === actual[j]) correct++;
      if (p < k && actual[j] < k) confusion[actual[j]][p]++;
    });
    doc.accuracy = predicted.length === 0 ? 0 : correct / predicted.length;
    doc.confusion = confusion;
  }
  if (output) doc.output = output;
  return doc;
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
