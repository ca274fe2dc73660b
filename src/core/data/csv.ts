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

/** A decimal number as people and spreadsheets write it: 1, -2.5, .5, 3., 1e-3. No NaN, no Infinity. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

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
   * `end` is where the record's last line ends (for "missing field" errors).
   */
  record(): { cells: Cell[]; line: number; endColumn: number } | undefined {
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
      if (this.pos < t.length) {
        // A line break ends the record.
        this.pos += c === '\r' && t[this.pos + 1] === '\n' ? 2 : 1;
        this.line++;
        this.lineStart = this.pos;
      }
      return { cells, line, endColumn };
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

/**
 * Parses CSV text (already read: `file` is only for messages) into features and labels.
 * Total: any text gives either data or at least one positioned error.
 */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): CsvResult {
  const labelName = options.label ?? 'y';
  const task = options.task ?? 'classes';
  const r = new Reader(text, file, options.maxErrors ?? 20);

  const header = r.record();
  if (!header) {
    r.error(1, 1, `the file is empty: expected a header row naming the columns, e.g. x1,x2,${labelName}`);
    return { ok: false, errors: r.errors };
  }
  // An unterminated quote swallowed the rest of the file: nothing after it is worth reading.
  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  const names = header.cells.map((c) => c.text.trim());
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const cell = header.cells[i];
    if (name === '') r.error(cell.line, cell.column, `column ${i + 1} of the header has no name`);
    else if (seen.has(name)) r.error(cell.line, cell.column, `column ${quoteText(name)} appears twice in the header (also column ${seen.get(name)! + 1})`);
    else seen.set(name, i);
  });

  // Which columns are labels: `label` itself, else label0, label1, ... (consecutive from 0).
  let labelColumns: number[] = [];
  if (seen.has(labelName)) {
    labelColumns = [seen.get(labelName)!];
  } else {
    for (let k = 0; seen.has(`${labelName}${k}`); k++) labelColumns.push(seen.get(`${labelName}${k}`)!);
    if (labelColumns.length === 1 && task === 'classes') {
      r.error(header.line, header.cells[labelColumns[0]].column, `one-hot labels need at least two columns: found ${labelName}0 but no ${labelName}1`);
    }
  }
  const required = options.labelRequired ?? true;
  if (labelColumns.length === 0 && required) {
    r.error(
      header.line,
      1,
      `no label column ${quoteText(labelName)} (nor one-hot columns ${labelName}0, ${labelName}1, ...): the header has ${names.map(quoteText).join(', ')}; set "label" in "data" to the label's column`,
    );
  }
  const isLabel = new Set(labelColumns);
  const featureColumns = names.map((_, i) => i).filter((i) => !isLabel.has(i));
  if (featureColumns.length === 0) {
    r.error(header.line, 1, 'no feature columns: every column is a label');
  }
  if (r.errors.length > 0) return { ok: false, errors: r.errors };

  const n = featureColumns.length;
  const features: number[] = []; // row-major (m, n) while reading
  const targets: number[] = []; // row-major (m, t)
  const lines: number[] = [];
  const oneHot = labelColumns.length > 1;
  const t = task === 'values' || !oneHot ? labelColumns.length : 1;
  let maxClass = -1;

  const numberAt = (cell: Cell, column: string): number | undefined => {
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
  };

  for (let rec = r.record(); rec && !r.full && !r.stopped; rec = r.record()) {
    const { cells } = rec;
    if (cells.length !== names.length) {
      const at = cells.length > names.length ? cells[names.length] : { line: rec.line, column: rec.endColumn };
      r.error(
        at.line,
        at.column,
        `this row has ${cells.length} field${cells.length === 1 ? '' : 's'}; the header has ${names.length} (${names.map(quoteText).join(', ')})`,
      );
      continue;
    }
    lines.push(rec.line);
    for (const j of featureColumns) features.push(numberAt(cells[j], names[j]) ?? 0);
    if (labelColumns.length === 0) continue;
    if (task === 'values') {
      for (const j of labelColumns) targets.push(numberAt(cells[j], names[j]) ?? 0);
    } else if (!oneHot) {
      const cell = cells[labelColumns[0]];
      const v = numberAt(cell, labelName);
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > MAX_CLASS_INDEX)) {
        r.error(
          cell.line,
          cell.column,
          `label ${cell.text.trim()} in column ${quoteText(labelName)} is not a class index (0, 1, 2, ... up to ${MAX_CLASS_INDEX}; 0/1 for two classes); for numeric targets use the mse loss`,
        );
      }
      const k = v !== undefined && Number.isInteger(v) && v >= 0 && v <= MAX_CLASS_INDEX ? v : 0;
      maxClass = Math.max(maxClass, k);
      targets.push(k);
    } else {
      let hot = -1;
      let ones = 0;
      let bad = false;
      for (const [k, j] of labelColumns.entries()) {
        const v = numberAt(cells[j], names[j]);
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
      targets.push(Math.max(hot, 0));
    }
  }
  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  const m = lines.length;
  if (m === 0) {
    r.error(header.line + 1, 1, 'no examples: the header is the only row');
    return { ok: false, errors: r.errors };
  }

  // Transpose: the course's X has one column per example.
  const X: Matrix = { rows: n, cols: m, data: new Float64Array(n * m) };
  for (let i = 0; i < m; i++) for (let f = 0; f < n; f++) X.data[f * m + i] = features[i * n + f];
  const data: CsvData = {
    X,
    featureNames: featureColumns.map((j) => names[j]),
    labelNames: labelColumns.map((j) => names[j]),
    lines: Int32Array.from(lines),
  };
  if (labelColumns.length > 0) {
    if (task === 'values') {
      const Y: Matrix = { rows: t, cols: m, data: new Float64Array(t * m) };
      for (let i = 0; i < m; i++) for (let k = 0; k < t; k++) Y.data[k * m + i] = targets[i * t + k];
      data.Y = Y;
    } else {
      const labels = Int32Array.from(targets);
      const classes = oneHot ? labelColumns.length : Math.max(2, maxClass + 1);
      data.labels = labels;
      data.classes = classes;
      // One-hot columns in the file mean one output unit per class, even for two classes.
      data.Y = encodeLabels(labels, classes, oneHot ? classes : undefined);
    }
  }
  return { ok: true, data };
}
