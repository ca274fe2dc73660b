/**
 * CSV data: text in, examples as columns out, or errors that name file, line and column.
 *
 * The format (RFC 4180, plus what spreadsheets write):
 * - The first non-blank row is the header: one distinct, non-empty name per column.
 * - Fields are separated by commas; a field may be quoted ("..."), with "" for a quote inside,
 *   and may then hold commas and line breaks. Line breaks are LF, CRLF or a lone CR. Blank
 *   lines are skipped. Spaces and tabs around a field are ignored.
 * - Every column except the label is a numeric feature, in header order.
 * - The label (option `label`, default "y") is either one column, or several one-hot columns
 *   named label0, label1, ... (y0, y1, y2 for three classes) when no column is called exactly
 *   `label`. For classification (the default), one column holds class indices 0, 1, 2, ...
 *   (0/1 for two classes) and one-hot columns hold a single 1 per row; for regression
 *   (`task: 'values'`, what an mse loss wants) the label columns hold any numbers.
 *
 * Errors are 1-based: line counts line breaks in the file (a quoted field with a line break in
 * it spans two lines), column counts UTF-16 code units from the start of the line, which is what
 * editors show. A cell that is empty, not a number, infinite, or a label that is not a class is
 * an error at that cell; nothing ever becomes NaN.
 */
import type { Matrix } from '../matrix';
import { encodeLabels } from './labels';

/** A problem in a data file, positioned in that file (1-based line and column). */
export interface DataError {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** "data/train.csv:3:7: message", as compilers and `dnn check` print positions. */
export function formatDataError(e: DataError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}`;
}

export interface CsvOptions {
  /** The label column, or the stem of one-hot columns (default "y"). */
  label?: string;
  /** 'classes' (default): labels are class indices or one-hot; 'values': regression targets. */
  task?: 'classes' | 'values';
  /** false for prediction inputs: a file without the label column is then features only. */
  labelRequired?: boolean;
  /** Stop after this many errors (default 20): later ones are nearly always the same mistake. */
  maxErrors?: number;
}

export interface CsvData {
  /** (n, m): one row per feature column, one column per example. */
  X: Matrix;
  /** (1, m) 0/1 for two classes, one-hot (k, m) for more, (t, m) values for regression; absent without labels. */
  Y?: Matrix;
  /** Class index of each example (classification only). */
  labels?: Int32Array;
  /** Number of classes (classification only): the largest index + 1, at least 2. */
  classes?: number;
  featureNames: string[];
  labelNames: string[];
  /** The line each example starts on, to point at an example later. */
  lines: Int32Array;
}

export type CsvResult = { ok: true; data: CsvData } | { ok: false; errors: DataError[] };

/** The largest class index accepted; more classes than this is not a classification problem. */
export const MAX_CLASS_INDEX = 999;

interface Cell {
  text: string;
  line: number;
  column: number;
  quoted: boolean;
}

/**
 * A decimal number as people and spreadsheets write it: 1, -2.5, .5, 3., 1e-3. No NaN, no Infinity.
 * Each digit can belong to one part of the pattern only (a fraction's digits follow its dot), so a
 * failed match takes time linear in the cell's length.
 */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

class Reader {
  readonly errors: DataError[] = [];
  /** Set by an unterminated quote: it swallowed the rest of the text, so reading stops there. */
  stopped = false;
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly maxErrors: number,
  ) {
    if (text.charCodeAt(0) === 0xfeff) {
      // A byte order mark is not part of the first column's name (and not a column of text).
      this.pos = 1;
      this.lineStart = 1;
    }
  }

  get full(): boolean {
    return this.errors.length >= this.maxErrors;
  }

  error(line: number, column: number, message: string): void {
    if (!this.full) this.errors.push({ file: this.file, line, column, message });
  }

  /** The position just past the end of the text, for "missing" errors at the end. */
  get endLine(): number {
    return this.line;
  }

  /**
   * The next record's cells, or undefined at the end of the text. Blank lines are skipped.
   * `endLine` and `endColumn` are where the record ends (for "missing field" errors): a quoted
   * field with a line break in it makes that a later line than the one it starts on.
   */
  record(): { cells: Cell[]; line: number; endLine: number; endColumn: number } | undefined {
    const t = this.text;
    // Skip blank (or whitespace-only) lines.
    for (;;) {
      let p = this.pos;
      while (p < t.length && (t[p] === ' ' || t[p] === '\t')) p++;
      if (p >= t.length) {
        this.pos = p;
        return undefined;
      }
      if (t[p] === '\n' || t[p] === '\r') {
        this.pos = t[p] === '\r' && t[p + 1] === '\n' ? p + 2 : p + 1;
        this.line++;
        this.lineStart = this.pos;
        continue;
      }
      break;
    }
    const line = this.line;
    const cells: Cell[] = [];
    for (;;) {
      const cell = this.cell();
      cells.push(cell);
      const c = t[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      const endColumn = this.pos - this.lineStart + 1;
      const endLine = this.line;
      if (this.pos < t.length) {
        // A line break ends the record.
        this.pos += c === '\r' && t[this.pos + 1] === '\n' ? 2 : 1;
        this.line++;
        this.lineStart = this.pos;
      }
      return { cells, line, endLine, endColumn };
    }
  }

  private cell(): Cell {
    const t = this.text;
    while (this.pos < t.length && (t[this.pos] === ' ' || t[this.pos] === '\t')) this.pos++;
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    if (t[this.pos] === '"') {
      this.pos++;
      let value = '';
      for (;;) {
        if (this.pos >= t.length) {
          this.error(line, column, 'this quoted field has no closing quote');
          this.stopped = true;
          return { text: value, line, column, quoted: true };
        }
        const c = t[this.pos];
        if (c === '"') {
          if (t[this.pos + 1] === '"') {
            value += '"';
            this.pos += 2;
            continue;
          }
          this.pos++;
          break;
        }
        if (c === '\n' || (c === '\r' && t[this.pos + 1] !== '\n')) {
          this.line++;
          this.lineStart = this.pos + 1;
        }
        value += c;
        this.pos++;
      }
      while (this.pos < t.length && (t[this.pos] === ' ' || t[this.pos] === '\t')) this.pos++;
      if (this.pos < t.length && !this.atFieldEnd()) {
        this.error(this.line, this.pos - this.lineStart + 1, 'unexpected text after a closing quote (a quote inside a field is written "")');
        // Resynchronise at the next comma or line break.
        while (this.pos < t.length && !this.atFieldEnd()) this.pos++;
      }
      return { text: value, line, column, quoted: true };
    }
    const start = this.pos;
    while (this.pos < t.length && !this.atFieldEnd()) this.pos++;
    return { text: t.slice(start, this.pos).replace(/[ \t]+$/, ''), line, column, quoted: false };
  }

  private atFieldEnd(): boolean {
    const c = this.text[this.pos];
    return c === ',' || c === '\n' || c === '\r';
  }
}

function quoteText(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** What the header says: the columns' names and which of them are features and labels. */
interface Columns {
  /** The header's line, for errors about the file as a whole. */
  line: number;
  names: string[];
  featureColumns: number[];
  /** The label column, or the one-hot columns label0, label1, ... in class order; empty without labels. */
  labelColumns: number[];
  /** The label's name (option `label`) and what the label columns hold. */
  label: string;
  task: 'classes' | 'values';
}

/**
 * Reads the header row and decides which columns are features and which are labels. Undefined
 * (with the errors in `r`) when the file is empty, a name is missing or repeated, or the columns
 * cannot be told apart: the rows are not worth reading then.
 */
function readHeader(r: Reader, label: string, task: Columns['task'], labelRequired: boolean): Columns | undefined {
  const header = r.record();
  if (!header) {
    r.error(1, 1, `the file is empty: expected a header row naming the columns, e.g. x1,x2,${label}`);
    return undefined;
  }
  // An unterminated quote swallowed the rest of the file: nothing after it is worth reading.
  if (r.errors.length > 0) return undefined;
  const names = header.cells.map((c) => c.text.trim());
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const cell = header.cells[i];
    if (name === '') r.error(cell.line, cell.column, `column ${i + 1} of the header has no name`);
    else if (seen.has(name)) r.error(cell.line, cell.column, `column ${quoteText(name)} appears twice in the header (also column ${seen.get(name)! + 1})`);
    else seen.set(name, i);
  });

  // Which columns are labels: `label` itself, else label0, label1, ... (consecutive from 0).
  const labelColumns: number[] = [];
  if (seen.has(label)) {
    labelColumns.push(seen.get(label)!);
  } else {
    for (let k = 0; seen.has(`${label}${k}`); k++) labelColumns.push(seen.get(`${label}${k}`)!);
    if (labelColumns.length === 1 && task === 'classes') {
      r.error(header.line, header.cells[labelColumns[0]].column, `one-hot labels need at least two columns: found ${label}0 but no ${label}1`);
    }
  }
  if (labelColumns.length === 0 && labelRequired) {
    r.error(
      header.line,
      1,
      `no label column ${quoteText(label)} (nor one-hot columns ${label}0, ${label}1, ...): the header has ${names.map(quoteText).join(', ')}; set "label" in "data" to the label's column`,
    );
  }
  const isLabel = new Set(labelColumns);
  const featureColumns = names.map((_, i) => i).filter((i) => !isLabel.has(i));
  if (featureColumns.length === 0) {
    r.error(header.line, 1, 'no feature columns: every column is a label');
  }
  if (r.errors.length > 0) return undefined;
  return { line: header.line, names, featureColumns, labelColumns, label, task };
}

/** A cell's number, or undefined after reporting why it is not one (empty, not a number, infinite). */
function numberAt(r: Reader, cell: Cell, column: string): number | undefined {
  const s = cell.text.trim();
  if (s === '') {
    r.error(cell.line, cell.column, `empty cell in column ${quoteText(column)}: every example needs a number here`);
    return undefined;
  }
  if (!NUMBER.test(s)) {
    r.error(cell.line, cell.column, `${quoteText(s)} in column ${quoteText(column)} is not a number`);
    return undefined;
  }
  const v = Number(s);
  if (!Number.isFinite(v)) {
    r.error(cell.line, cell.column, `${s} in column ${quoteText(column)} is too large for a 64-bit float`);
    return undefined;
  }
  return v;
}

/** The class index in one label column; 0 after reporting a cell that is not a class. */
function classIndexAt(r: Reader, cell: Cell, label: string): number {
  const v = numberAt(r, cell, label);
  const isClass = v !== undefined && Number.isInteger(v) && v >= 0 && v <= MAX_CLASS_INDEX;
  if (v !== undefined && !isClass) {
    r.error(
      cell.line,
      cell.column,
      `label ${cell.text.trim()} in column ${quoteText(label)} is not a class index (0, 1, 2, ... up to ${MAX_CLASS_INDEX}; 0/1 for two classes); for numeric targets use the mse loss`,
    );
  }
  return isClass ? v : 0;
}

/** The class whose one-hot column holds the row's single 1; 0 after reporting a row that has not exactly one. */
function oneHotClassAt(r: Reader, cells: Cell[], c: Columns): number {
  const { names, labelColumns } = c;
  let hot = -1;
  let ones = 0;
  let bad = false;
  for (const [k, j] of labelColumns.entries()) {
    const v = numberAt(r, cells[j], names[j]);
    if (v === undefined) {
      bad = true;
    } else if (v !== 0 && v !== 1) {
      r.error(cells[j].line, cells[j].column, `one-hot label ${quoteText(names[j])} must be 0 or 1; found ${cells[j].text.trim()}`);
      bad = true;
    } else if (v === 1) {
      ones++;
      hot = k;
    }
  }
  if (!bad && ones !== 1) {
    const first = cells[labelColumns[0]];
    r.error(
      first.line,
      first.column,
      `one-hot labels ${names[labelColumns[0]]}..${names[labelColumns[labelColumns.length - 1]]} need exactly one 1 per row; found ${ones}`,
    );
  }
  return Math.max(hot, 0);
}

/** The examples as read, one row each; a cell in error reads as 0 (the result is then an error anyway). */
interface Rows {
  /** Row-major (m, n): one row per example, in the feature columns' order. */
  features: number[];
  /** Row-major (m, t) targets for regression, else one class index per example. */
  targets: number[];
  /** The line each example starts on. */
  lines: number[];
  /** The largest class index read, -1 before any. */
  maxClass: number;
}

/** Reads the rows after the header until the text ends, errors are many, or a quote is unterminated. */
function readRows(r: Reader, c: Columns): Rows {
  const { names, featureColumns, labelColumns } = c;
  const rows: Rows = { features: [], targets: [], lines: [], maxClass: -1 };
  const oneHot = labelColumns.length > 1;
  for (let rec = r.record(); rec && !r.full && !r.stopped; rec = r.record()) {
    const { cells } = rec;
    if (cells.length !== names.length) {
      const at = cells.length > names.length ? cells[names.length] : { line: rec.endLine, column: rec.endColumn };
      r.error(
        at.line,
        at.column,
        `this row has ${cells.length} field${cells.length === 1 ? '' : 's'}; the header has ${names.length} (${names.map(quoteText).join(', ')})`,
      );
      continue;
    }
    rows.lines.push(rec.line);
    for (const j of featureColumns) rows.features.push(numberAt(r, cells[j], names[j]) ?? 0);
    if (labelColumns.length === 0) continue;
    if (c.task === 'values') {
      for (const j of labelColumns) rows.targets.push(numberAt(r, cells[j], names[j]) ?? 0);
    } else if (!oneHot) {
      const k = classIndexAt(r, cells[labelColumns[0]], c.label);
      rows.maxClass = Math.max(rows.maxClass, k);
      rows.targets.push(k);
    } else {
      rows.targets.push(oneHotClassAt(r, cells, c));
    }
  }
  return rows;
}

/** Row-major (m, k) numbers as a (k, m) matrix: the course's examples are columns. */
function transposed(rowMajor: number[], m: number, k: number): Matrix {
  const M: Matrix = { rows: k, cols: m, data: new Float64Array(k * m) };
  for (let i = 0; i < m; i++) for (let f = 0; f < k; f++) M.data[f * m + i] = rowMajor[i * k + f];
  return M;
}

/** The rows read without error, as X and (when there are labels) Y, labels and classes. */
function toData(c: Columns, rows: Rows): CsvData {
  const { names, featureColumns, labelColumns } = c;
  const m = rows.lines.length;
  const data: CsvData = {
    X: transposed(rows.features, m, featureColumns.length),
    featureNames: featureColumns.map((j) => names[j]),
    labelNames: labelColumns.map((j) => names[j]),
    lines: Int32Array.from(rows.lines),
  };
  if (labelColumns.length === 0) return data;
  if (c.task === 'values') {
    data.Y = transposed(rows.targets, m, labelColumns.length);
    return data;
  }
  const oneHot = labelColumns.length > 1;
  const labels = Int32Array.from(rows.targets);
  const classes = oneHot ? labelColumns.length : Math.max(2, rows.maxClass + 1);
  data.labels = labels;
  data.classes = classes;
  // One-hot columns in the file mean one output unit per class, even for two classes.
  data.Y = encodeLabels(labels, classes, oneHot ? classes : undefined);
  return data;
}

/**
 * Parses CSV text (already read: `file` is only for messages) into features and labels.
 * Total: any text gives either data or at least one positioned error.
 */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): CsvResult {
  const r = new Reader(text, file, options.maxErrors ?? 20);
  const columns = readHeader(r, options.label ?? 'y', options.task ?? 'classes', options.labelRequired ?? true);
  if (!columns) return { ok: false, errors: r.errors };
  const rows = readRows(r, columns);
  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  if (rows.lines.length === 0) {
    r.error(columns.line + 1, 1, 'no examples: the header is the only row');
    return { ok: false, errors: r.errors };
  }
  return { ok: true, data: toData(columns, rows) };
}
