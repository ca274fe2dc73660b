/**
 * Predict with saved parameters: the inputs (a CSV table or values typed in a box) go through the
 * engine's forward pass; the result is a CSV of predictions and probabilities, plus accuracy and a
 * confusion matrix when the inputs carry labels. Pure: text in, text out (no 'vscode', no Node).
 */
import { formatDataError, parseCsv } from '../../core/data/csv';
import { networkOf } from '../../core/engine/network';
import { parseParameters } from '../../core/engine/params';
import type { Spec } from '../../core/format/types';
import { packedKernels } from '../../core/kernels';
import type { Kernels } from '../../core/kernels/types';
import { fromRows, type Matrix } from '../../core/matrix';
import { predictWith } from '../../run/predict';
import { describeProblem } from '../../run/problems';

export class PredictError extends Error {}

/** Inputs to predict on: X is (n[0], m), examples are columns. */
export interface Inputs {
  X: Matrix;
  featureNames: string[];
  /** Class index of each example, when the inputs carry labels. */
  labels?: Int32Array;
  /** The label column's name, when present. */
  labelName?: string;
}

/**
 * A CSV file of inputs (the training data's rules: header row, numeric features, an optional label
 * column). Errors carry file:line:column; a prediction on NaN is never silent.
 */
export function parseInputCsv(spec: Spec, text: string, source: string): Inputs {
  const label = spec.data?.kind === 'csv' ? spec.data.label : 'y';
  const r = parseCsv(text, source, { label, task: spec.loss === 'mse' ? 'values' : 'classes', labelRequired: false });
  if (!r.ok) throw new PredictError(r.errors.slice(0, 5).map(formatDataError).join('\n'));
  const out: Inputs = { X: r.data.X, featureNames: r.data.featureNames };
  if (r.data.labels) {
    out.labels = r.data.labels;
    out.labelName = r.data.labelNames.join('|') || label;
  }
  return out;
}

/**
 * Values typed in an input box: examples separated by ';' (or new lines), features by ',' or
 * spaces, e.g. "1.2, -0.5; 0 3". Each example must have n[0] values.
 */
export function parseTyped(text: string, n0: number): Inputs {
  const rows = text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s, k) => {
      const cells = s.split(/[\s,]+/).filter((c) => c !== '');
      const row = cells.map(Number);
      if (row.length !== n0) throw new PredictError(`example ${k + 1} has ${row.length} values; the network's input needs n[0] = ${n0}`);
      const bad = cells.findIndex((c) => !Number.isFinite(Number(c)));
      if (bad >= 0) throw new PredictError(`example ${k + 1}: '${cells[bad]}' is not a number`);
      return row;
    });
  if (rows.length === 0) throw new PredictError('no values: type the n[0] inputs of each example, e.g. "1.2, -0.5; 0, 3"');
  return { X: fromRows(Array.from({ length: n0 }, (_, i) => rows.map((r) => r[i]))), featureNames: Array.from({ length: n0 }, (_, i) => `x${i + 1}`) };
}

export interface PredictOutput {
  /** The CSV of predictions: example, the inputs, prediction, probabilities, label when known. */
  csv: string;
  /** A human-readable report: what was predicted, accuracy and confusion matrix when labelled. */
  report: string;
  /** The predictions as an aligned table for reading: probabilities and inputs to 4 significant digits. */
  table: string;
  accuracy?: number;
  /** confusion[actual][predicted] counts, when the inputs have labels. */
  confusion?: number[][];
}

/**
 * Predicts every example of `inputs` (n[0] features each). Standardisation stored in the
 * parameters file's meta is applied first, as at training time. The editor predicts in its own
 * thread on the TypeScript kernels: a forward pass is small work.
 */
export function predictInputs(spec: Spec, paramsText: string, inputs: Inputs, names: { params: string; input: string }, kernels: Kernels = packedKernels): PredictOutput {
  const net = networkOf(spec);
  const parsed = parseParameters(paramsText, net);
  if (!parsed.ok) throw new PredictError(`${names.params}: ${parsed.problems.join('; ')}`);
  const n0 = net.layerDims[0];
  if (inputs.X.rows !== n0) {
    throw new PredictError(
      `${names.input}: ${inputs.X.rows} feature column${inputs.X.rows === 1 ? '' : 's'} (${inputs.featureNames.join(', ')}), but the network's input is n[0] = ${n0}`,
    );
  }
  const m = inputs.X.cols;
  const predicted = predictWith(spec, parsed.file, inputs.X, kernels, names.params);
  if (!predicted.ok) throw new PredictError(predicted.problems.map(describeProblem).join('; '));
  const p = predicted.prediction;
  const AL = p.probabilities;
  const probNames = AL.rows === 1 ? [spec.loss === 'mse' ? 'value' : 'p(y=1)'] : Array.from({ length: AL.rows }, (_, k) => (spec.loss === 'mse' ? `value ${k}` : `p(class ${k})`));
  const known = inputs.labels;
  const head = ['example', ...inputs.featureNames, ...(p.labels ? ['prediction'] : []), ...probNames, ...(known ? [inputs.labelName ?? 'label'] : [])];
  const lines = [head.join(',')];
  const classes = AL.rows === 1 ? 2 : AL.rows;
  const confusion = known && p.labels ? Array.from({ length: classes }, () => new Array<number>(classes).fill(0)) : undefined;
  let correct = 0;
  // The table a person reads: 4 significant digits (the CSV keeps full precision).
  const short = (v: number) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString());
  const rowsShown: string[][] = [head];
  for (let j = 0; j < m; j++) {
    rowsShown.push([
      String(j + 1),
      ...Array.from({ length: n0 }, (_, i) => short(inputs.X.data[i * m + j])),
      ...(p.labels ? [String(p.labels[j])] : []),
      ...Array.from({ length: AL.rows }, (_, k) => short(AL.data[k * m + j])),
      ...(known ? [String(known[j])] : []),
    ]);
  }
  const widths = head.map((_, c) => Math.max(...rowsShown.map((r) => (r[c] ?? '').length)));
  const table = rowsShown.map((r) => r.map((cell, c) => cell.padStart(widths[c])).join('  ')).join('\n') + '\n';
  for (let j = 0; j < m; j++) {
    const cells = [String(j + 1)];
    for (let i = 0; i < n0; i++) cells.push(String(inputs.X.data[i * m + j]));
    if (p.labels) cells.push(String(p.labels[j]));
    for (let k = 0; k < AL.rows; k++) cells.push(String(AL.data[k * m + j]));
    if (known) {
      cells.push(String(known[j]));
      if (confusion && p.labels) {
        if (known[j] >= 0 && known[j] < classes) confusion[known[j]][p.labels[j]]++;
        if (known[j] === p.labels[j]) correct++;
      }
    }
    lines.push(cells.join(','));
  }
  const out: PredictOutput = { csv: lines.join('\n') + '\n', report: '', table };
  const report = [`Predictions of ${spec.name ?? 'the network'} with ${names.params} on ${names.input}: m = ${m}`];
  if (confusion) {
    out.accuracy = correct / m;
    out.confusion = confusion;
    report.push(`Accuracy: ${((100 * correct) / m).toFixed(2)}% (${correct} of ${m})`, '', 'Confusion matrix (rows: label, columns: prediction)');
    const w = Math.max(7, ...confusion.flat().map((c) => String(c).length + 2));
    report.push(' '.repeat(9) + confusion.map((_, k) => `pred ${k}`.padStart(w)).join(''));
    confusion.forEach((row, k) => report.push(`label ${k}`.padEnd(9) + row.map((c) => String(c).padStart(w)).join('')));
  }
  out.report = report.join('\n') + '\n';
  return out;
}
