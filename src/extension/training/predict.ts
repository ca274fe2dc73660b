/**
 * Predict with saved parameters: the inputs (a CSV table or values typed in a box) go through the
 * engine's forward pass; the result is a CSV of predictions and probabilities, plus accuracy and a
 * confusion matrix when the inputs carry labels. Pure: text in, text out (no 'vscode', no Node).
 */
import { fromRows, type Matrix } from '../../core/engine/matrix';
import { networkOf } from '../../core/engine/network';
import { parseParameters } from '../../core/engine/params';
import { predict } from '../../core/engine/predict';
import type { Spec } from '../../core/spec/types';

export class PredictError extends Error {}

export interface Table {
  header: string[];
  /** One row per example, numbers only. */
  rows: number[][];
}

/**
 * A numeric CSV with a header row. Refuses, with line and column, empty cells, non-numbers and
 * ragged rows: a prediction on NaN is never silent. Commas separate; quotes are not supported.
 */
export function parseCsv(text: string, source: string): Table {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let li = 0;
  while (li < lines.length && lines[li].trim() === '') li++;
  if (li === lines.length) throw new PredictError(`${source}: the file is empty; expected a header row, then one row per example`);
  const header = lines[li].split(',').map((h) => h.trim());
  const rows: number[][] = [];
  for (let i = li + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const cells = line.split(',');
    if (cells.length !== header.length) {
      throw new PredictError(`${source}:${i + 1}: ${cells.length} values, but the header has ${header.length} columns`);
    }
    let col = 1;
    const row: number[] = [];
    for (const cell of cells) {
      const t = cell.trim();
      const v = t === '' ? NaN : Number(t);
      if (!Number.isFinite(v)) {
        throw new PredictError(`${source}:${i + 1}:${col}: ${t === '' ? 'empty cell' : `'${t}' is not a number`} in column '${header[row.length]}'`);
      }
      row.push(v);
      col += cell.length + 1;
    }
    rows.push(row);
  }
  if (rows.length === 0) throw new PredictError(`${source}: no examples after the header row`);
  return { header, rows };
}

/**
 * Values typed in an input box: examples separated by ';' (or new lines), features by ',' or
 * spaces, e.g. "1.2, -0.5; 0 3". Each example must have n[0] values.
 */
export function parseTyped(text: string, n0: number): Table {
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
  return { header: Array.from({ length: n0 }, (_, i) => `x${i + 1}`), rows };
}

export interface PredictOutput {
  /** The CSV of predictions: example, the inputs, prediction, probabilities, label when known. */
  csv: string;
  /** A human-readable report: what was predicted, accuracy and confusion matrix when labelled. */
  report: string;
  accuracy?: number;
  /** confusion[actual][predicted] counts, when the inputs have labels. */
  confusion?: number[][];
}

function fmt(v: number): string {
  return String(v);
}

/**
 * Predicts every row of `table`. Feature columns: every column except the label column (the
 * spec's data.label, else "y") when present; their number must be n[0]. Standardisation stored
 * in the parameters file's meta is applied first, as at training time.
 */
export function predictTable(spec: Spec, paramsText: string, table: Table, names: { params: string; input: string }): PredictOutput {
  const net = networkOf(spec);
  const parsed = parseParameters(paramsText, net);
  if (!parsed.ok) throw new PredictError(`${names.params}: ${parsed.problems.join('; ')}`);
  const labelName = spec.data?.kind === 'csv' ? spec.data.label : 'y';
  const labelCol = table.header.indexOf(labelName);
  const featureCols = table.header.map((_, i) => i).filter((i) => i !== labelCol);
  const n0 = net.layerDims[0];
  if (featureCols.length !== n0) {
    throw new PredictError(
      `${names.input}: ${featureCols.length} feature column${featureCols.length === 1 ? '' : 's'} (${featureCols.map((i) => table.header[i]).join(', ')}), but the network's input is n[0] = ${n0}` +
        (labelCol < 0 ? ` (no label column '${labelName}')` : ''),
    );
  }
  const m = table.rows.length;
  // X is (n[0], m): examples are columns.
  const X: Matrix = fromRows(featureCols.map((c) => table.rows.map((r) => r[c])));
  const std = parsed.file.meta?.standardization;
  if (std && std.mean.length === n0 && std.std.length === n0) {
    for (let i = 0; i < n0; i++) {
      for (let j = 0; j < m; j++) X.data[i * m + j] = (X.data[i * m + j] - std.mean[i]) / (std.std[i] || 1);
    }
  }
  const p = predict(spec, parsed.file.parameters, X);
  const AL = p.probabilities;
  const probNames = AL.rows === 1 ? ['p(y=1)'] : Array.from({ length: AL.rows }, (_, k) => `p(class ${k})`);
  const head = ['example', ...featureCols.map((c) => table.header[c]), 'prediction', ...probNames, ...(labelCol >= 0 ? [labelName] : [])];
  const lines = [head.join(',')];
  const classes = AL.rows === 1 ? 2 : AL.rows;
  const confusion = labelCol >= 0 && p.labels ? Array.from({ length: classes }, () => new Array<number>(classes).fill(0)) : undefined;
  let correct = 0;
  for (let j = 0; j < m; j++) {
    const pred = p.labels ? p.labels[j] : AL.data[j];
    const probs = Array.from({ length: AL.rows }, (_, k) => AL.data[k * m + j]);
    const cells = [String(j + 1), ...featureCols.map((c) => fmt(table.rows[j][c])), fmt(pred), ...probs.map(fmt)];
    if (labelCol >= 0) {
      const label = table.rows[j][labelCol];
      cells.push(fmt(label));
      if (confusion && p.labels) {
        const actual = Math.round(label);
        if (actual >= 0 && actual < classes) confusion[actual][p.labels[j]]++;
        if (actual === p.labels[j]) correct++;
      }
    }
    lines.push(cells.join(','));
  }
  const out: PredictOutput = { csv: lines.join('\n') + '\n', report: '' };
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
