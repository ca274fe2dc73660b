/**
 * CSV parsing: the data a user writes, and every way it can be wrong, with the exact
 * file:line:column a user will read. Positions are counted by hand from the inline texts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDataError, parseCsv, type CsvData, type CsvOptions } from '../../../src/core/data/csv';

const FILE = 'data/train.csv';

function ok(text: string, options?: CsvOptions): CsvData {
  const r = parseCsv(text, FILE, options);
  if (!r.ok) assert.fail(`unexpected errors: ${r.errors.map(formatDataError).join('; ')}`);
  return r.data;
}

function errors(text: string, options?: CsvOptions): string[] {
  const r = parseCsv(text, FILE, options);
  assert.equal(r.ok, false, 'expected errors');
  return r.ok ? [] : r.errors.map(formatDataError);
}

test('features become the rows of X (n, m), one column per example; 0/1 labels a (1, m) row', () => {
  const d = ok('x1,x2,y\n1,2,0\n3,4.5,1\n-5,6e-1,1\n');
  assert.deepEqual([d.X.rows, d.X.cols], [2, 3]);
  assert.deepEqual(Array.from(d.X.data), [1, 3, -5, 2, 4.5, 0.6]);
  assert.deepEqual([d.Y!.rows, d.Y!.cols], [1, 3]);
  assert.deepEqual(Array.from(d.Y!.data), [0, 1, 1]);
  assert.equal(d.classes, 2);
  assert.deepEqual(d.featureNames, ['x1', 'x2']);
  assert.deepEqual(Array.from(d.lines), [2, 3, 4]);
});

test('the label column may be anywhere and have any name given by the label option', () => {
  const d = ok('class,a,b\n1,10,20\n0,30,40\n', { label: 'class' });
  assert.deepEqual(d.featureNames, ['a', 'b']);
  assert.deepEqual(Array.from(d.X.data), [10, 30, 20, 40]);
  assert.deepEqual(Array.from(d.Y!.data), [1, 0]);
});

test('class indices 0..k-1 give k classes and one-hot Y (k, m)', () => {
  const d = ok('x,y\n0.5,2\n1.5,0\n2.5,1\n');
  assert.equal(d.classes, 3);
  assert.deepEqual(Array.from(d.labels!), [2, 0, 1]);
  // Rows are classes, columns examples: example 0 is class 2, example 1 class 0, example 2 class 1.
  assert.deepEqual(Array.from(d.Y!.data), [0, 1, 0, 0, 0, 1, 1, 0, 0]);
});

test('one-hot columns y0, y1, y2 give the classes directly (even with two columns)', () => {
  const d = ok('x,y0,y1,y2\n1,0,0,1\n2,1,0,0\n');
  assert.equal(d.classes, 3);
  assert.deepEqual(d.labelNames, ['y0', 'y1', 'y2']);
  assert.deepEqual(Array.from(d.labels!), [2, 0]);
  assert.deepEqual(Array.from(d.Y!.data), [0, 1, 0, 0, 1, 0]);
  const two = ok('x,y0,y1\n1,0,1\n2,1,0\n');
  assert.deepEqual([two.Y!.rows, two.classes], [2, 2]);
});

test('regression targets (task values) keep any number', () => {
  const d = ok('x,price\n1,2.5\n2,-3.25\n', { label: 'price', task: 'values' });
  assert.equal(d.classes, undefined);
  assert.deepEqual(Array.from(d.Y!.data), [2.5, -3.25]);
});

test('quoted fields (RFC 4180), CRLF, blank lines, spaces and a BOM are accepted', () => {
  const d = ok('\ufeff"x, first", x2 ,y\r\n\r\n"1" , 2,"0"\r\n  \r\n3,"4",1\r\n\r\n');
  assert.deepEqual(d.featureNames, ['x, first', 'x2']);
  assert.deepEqual(Array.from(d.X.data), [1, 3, 2, 4]);
  assert.deepEqual(Array.from(d.lines), [3, 5]);
  // Old Mac files end lines with a lone CR.
  assert.deepEqual(Array.from(ok('x,y\r1,0\r\r2,1\r').lines), [2, 4]);
  assert.deepEqual(errors('x,y\r1,0\r2,z\r'), ['data/train.csv:3:3: "z" in column "y" is not a number']);
  const q = ok('"a ""quoted"" name",y\n7,1\n');
  assert.deepEqual(q.featureNames, ['a "quoted" name']);
});

test('prediction inputs may have no label column when labels are not required', () => {
  const d = ok('x1,x2\n1,2\n', { labelRequired: false });
  assert.equal(d.Y, undefined);
  assert.deepEqual(Array.from(d.X.data), [1, 2]);
});

test('an empty file, a header alone, a missing label column', () => {
  assert.deepEqual(errors(''), ['data/train.csv:1:1: the file is empty: expected a header row naming the columns, e.g. x1,x2,y']);
  assert.deepEqual(errors('\n \n'), ['data/train.csv:1:1: the file is empty: expected a header row naming the columns, e.g. x1,x2,y']);
  assert.deepEqual(errors('x1,x2,y\n'), ['data/train.csv:2:1: no examples: the header is the only row']);
  assert.deepEqual(errors('x1,x2,label\n1,2,0\n'), [
    'data/train.csv:1:1: no label column "y" (nor one-hot columns y0, y1, ...): the header has "x1", "x2", "label"; set "label" in "data" to the label\'s column',
  ]);
});

test('malformed headers: an empty name, a duplicate, every column a label, a lone y0', () => {
  assert.deepEqual(errors('x1,,y\n1,2,0\n'), ['data/train.csv:1:4: column 2 of the header has no name']);
  assert.deepEqual(errors('x,y,x\n1,0,2\n'), ['data/train.csv:1:5: column "x" appears twice in the header (also column 1)']);
  assert.deepEqual(errors('y\n1\n'), ['data/train.csv:1:1: no feature columns: every column is a label']);
  assert.deepEqual(errors('x,y0\n1,1\n'), ['data/train.csv:1:3: one-hot labels need at least two columns: found y0 but no y1']);
});

test('bad cells: empty, not a number, infinite, ragged rows; every error listed with its position', () => {
  const text = ['x1,x2,y', '1,,0', '3,abc,1', '5,6', '7,8,1,9', '1e999,2,0', '1,NaN,0', '2, 3 ,1'].join('\n');
  assert.deepEqual(errors(text), [
    'data/train.csv:2:3: empty cell in column "x2": every example needs a number here',
    'data/train.csv:3:3: "abc" in column "x2" is not a number',
    'data/train.csv:4:4: this row has 2 fields; the header has 3 ("x1", "x2", "y")',
    'data/train.csv:5:7: this row has 4 fields; the header has 3 ("x1", "x2", "y")',
    'data/train.csv:6:1: 1e999 in column "x1" is too large for a 64-bit float',
    'data/train.csv:7:3: "NaN" in column "x2" is not a number',
  ]);
});

test('labels that are not classes, and broken one-hot rows', () => {
  assert.deepEqual(errors('x,y\n1,0.5\n2,-1\n3,1000\n'), [
    'data/train.csv:2:3: label 0.5 in column "y" is not a class index (0, 1, 2, ... up to 999; 0/1 for two classes); for numeric targets use the mse loss',
    'data/train.csv:3:3: label -1 in column "y" is not a class index (0, 1, 2, ... up to 999; 0/1 for two classes); for numeric targets use the mse loss',
    'data/train.csv:4:3: label 1000 in column "y" is not a class index (0, 1, 2, ... up to 999; 0/1 for two classes); for numeric targets use the mse loss',
  ]);
  assert.deepEqual(errors('x,y0,y1,y2\n1,0,1,1\n2,0,0,0\n3,0,2,0\n'), [
    'data/train.csv:2:3: one-hot labels y0..y2 need exactly one 1 per row; found 2',
    'data/train.csv:3:3: one-hot labels y0..y2 need exactly one 1 per row; found 0',
    'data/train.csv:4:5: one-hot label "y1" must be 0 or 1; found 2',
  ]);
});

test('quoting mistakes: an unterminated quote, text after a closing quote', () => {
  assert.deepEqual(errors('x,y\n1,"0\n2,1\n'), ['data/train.csv:2:3: this quoted field has no closing quote']);
  assert.deepEqual(errors('x,y\n"1"2,0\n'), ['data/train.csv:2:4: unexpected text after a closing quote (a quote inside a field is written "")']);
});

test('a quoted line break moves later positions to the next line', () => {
  assert.deepEqual(errors('note,x,y\n"two\nlines",abc,1\n'), [
    // The header has 3 columns; the note column is a feature too, and "two\nlines" is not a number.
    'data/train.csv:2:1: "two\\nlines" in column "note" is not a number',
    'data/train.csv:3:8: "abc" in column "x" is not a number',
  ]);
  // A short row whose quoted field spans a line break is reported where it ends: line 3 is `b"`,
  // and the missing third field would start at its column 3 (not on line 2, where the row starts).
  assert.deepEqual(errors('x,y,z\n1,"a\nb"\n'), ['data/train.csv:3:3: this row has 2 fields; the header has 3 ("x", "y", "z")']);
});

test('errors stop after maxErrors, so a wrong file does not flood the output', () => {
  const text = 'x,y\n' + Array.from({ length: 100 }, () => 'a,0').join('\n');
  assert.equal(errors(text).length, 20);
  assert.equal(errors(text, { maxErrors: 3 }).length, 3);
});

/** DNN_FUZZ=long runs a hundred times as many cases. */
const SCALE = process.env.DNN_FUZZ === 'long' ? 100 : 1;

test('no input ever gives NaN: random garbage either parses to finite numbers or errors, positioned inside the text', () => {
  const alphabet = ['0', '1', '.', 'e', '-', ',', '\n', '"', ' ', 'x', 'y', '\r\n', '\r', 'NaN', '""', 'é', '😀', '\t'];
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let trial = 0; trial < 4000 * SCALE; trial++) {
    let text = trial % 2 === 0 ? 'x,y\n' : 'x1,x2,y\n1,2,0\n3,4,1\n';
    for (let i = 0; i < 30; i++) {
      const at = Math.floor(next() * (text.length + 1));
      text = text.slice(0, at) + alphabet[Math.floor(next() * alphabet.length)] + text.slice(at);
    }
    const r = parseCsv(text, FILE);
    if (r.ok) {
      assert.ok(r.data.X.data.every(Number.isFinite), `NaN from ${JSON.stringify(text)}`);
      assert.ok(r.data.Y!.data.every(Number.isFinite), `NaN label from ${JSON.stringify(text)}`);
    } else {
      // Every position is inside the text: a line that exists, a column at most one past its end.
      const lines = text.split(/\r\n|\r|\n/);
      for (const e of r.errors) {
        assert.ok(e.line >= 1 && e.line <= lines.length && e.column >= 1, `${JSON.stringify(e)} in ${JSON.stringify(text)}`);
        assert.ok(e.column <= lines[e.line - 1].length + 1, `${JSON.stringify(e)}: line ${e.line} is ${JSON.stringify(lines[e.line - 1])} in ${JSON.stringify(text)}`);
      }
    }
  }
});

// A long run of digits that ends in a letter once made the number pattern try every split of the
// digits: minutes for a 1 MB cell, on the extension host's thread. The check must stay linear; the
// bound below is a hang guard, hundreds of times what a linear check needs.
test('a 1 MB cell of digits ending in a letter is refused at once, not after minutes', { timeout: 20_000 }, () => {
  const cell = '1'.repeat(1_000_000) + 'x';
  const [message] = errors(`x,y\n${cell},0\n`);
  assert.match(message, /^data\/train\.csv:2:1: "1{10}.*" in column "x" is not a number$/);
  // Numbers of every form the pattern allows still read.
  assert.deepEqual(Array.from(ok('x,y\n1.,0\n.5,1\n-2.5e3,0\n+7,1\n').X.data), [1, 0.5, -2500, 7]);
});
