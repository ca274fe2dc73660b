/**
 * `dnn check FILE...`: per file, the shape table in course notation, then every problem as
 * `FILE:LINE:COL: severity: message [code]` (1-based; columns count UTF-16 code units, as
 * VS Code does). Exit 0 when no file has errors, 1 when any has (or cannot be read), 2 for
 * usage errors. `--json` prints the same as one JSON document.
 */
import { checkText, type CheckResult } from '../core/check';
import { lineColumn } from '../core/format/locate';
import type { Problem } from '../core/problems';
import { shapeText } from '../core/shapes/check';
import type { LayerShapes, NetworkShapes } from '../core/shapes/types';
import { dirname, isAbsolute, join } from 'node:path';
import { readTextFile } from '../node/files';
import { forTerminal, loadDataset } from '../run/load';
import type { RunProblem } from '../run/problems';
import type { CliIO } from './main';

export const CHECK_USAGE = 'dnn check [--json] [--no-data] FILE...';

const HELP = `usage: ${CHECK_USAGE}
  Prints each file's shapes per layer in course notation (W[l] is (n[l], n[l-1]), ...) and its
  problems as FILE:LINE:COL: severity: message [code]; columns count UTF-16 code units.
  Loads each file's data as the editor does and checks it against the network (a missing file,
  a CSV that does not parse, features vs n[0], classes vs n[L]); a problem in a data file is
  printed at DATA:LINE:COL.
  --json      print {"files": [{file, ok, problems, shapes}]} instead
  --no-data   check the .dnn.json alone, without reading its data
Exit status: 0 no errors, 1 errors in some file, 2 usage error.
`;

interface PositionedProblem extends Omit<Problem, 'range' | 'fix' | 'related'> {
  /** Absent for a problem in a data file (see `in`). */
  range?: Problem['range'];
  fix?: Problem['fix'];
  related?: Problem['related'];
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The data file the problem lies in, when not the .dnn.json; line and column are then in it. */
  in?: string;
}

interface FileReport {
  file: string;
  /** False when the file has errors or cannot be read. */
  ok: boolean;
  /** Set when the file could not be read. */
  error?: string;
  problems: PositionedProblem[];
  shapes?: NetworkShapes;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = false;
  let data = true;
  const files: string[] = [];
  let flagsDone = false;
  for (const a of args) {
    if (!flagsDone && a === '--') flagsDone = true;
    else if (!flagsDone && a === '--json') json = true;
    else if (!flagsDone && a === '--no-data') data = false;
    else if (!flagsDone && (a === '--help' || a === '-h')) {
      io.out(HELP);
      return 0;
    } else if (!flagsDone && a.startsWith('-') && a !== '-') {
      io.err(`dnn check: unknown option '${a}'\n${HELP}`);
      return 2;
    } else files.push(a);
  }
  if (files.length === 0) {
    io.err(`dnn check: no files given\n${HELP}`);
    return 2;
  }

  const reports: FileReport[] = [];
  let failed = false;
  for (const file of files) {
    const read = await readTextFile(file);
    if (!read.ok) {
      failed = true;
      reports.push({ file, ok: false, error: read.message, problems: [] });
      if (!json) io.out(`${file}: error: ${read.message}\n`);
      continue;
    }
    const result = checkText(read.text);
    const problems = result.problems.map((p) => position(read.text, p));
    // The data, as the editor loads it on open and save: only for a file with no errors of its own.
    if (data && result.spec?.data && !problems.some((p) => p.severity === 'error')) {
      const loaded = await loadDataset({ file, text: read.text, checked: result, spec: result.spec, warnings: [] });
      // A bad cell is reported at the data key and in the CSV; the terminal shows it once, in the CSV.
      const dataProblems = forTerminal(loaded.ok ? loaded.warnings : loaded.problems);
      problems.push(...dataProblems.map((p) => positionRun(file, read.text, p)));
    }
    const ok = !problems.some((p) => p.severity === 'error');
    if (!ok) failed = true;
    const report: FileReport = { file, ok, problems };
    if (result.shapes) report.shapes = result.shapes;
    reports.push(report);
    if (!json) io.out(textReport(file, result, problems));
  }
  if (json) io.out(JSON.stringify({ files: reports }, null, 2) + '\n');
  return failed ? 1 : 0;
}

function position(text: string, p: Problem): PositionedProblem {
  const start = lineColumn(text, p.range.offset);
  const end = lineColumn(text, p.range.offset + p.range.length);
  return { ...p, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/** A problem of loading the data: at its range in the .dnn.json, or at its place in the data file. */
function positionRun(file: string, text: string, p: RunProblem): PositionedProblem {
  const base = { code: p.code, severity: p.severity, message: p.message, path: p.path };
  if (p.range) return position(text, { ...base, range: p.range });
  if (p.in) {
    const dataFile = isAbsolute(p.in.file) ? p.in.file : join(dirname(file), p.in.file);
    const line = p.in.line ?? 1;
    const column = p.in.column ?? 1;
    return { ...base, line, column, endLine: line, endColumn: column, in: dataFile };
  }
  return { ...base, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

function textReport(file: string, result: CheckResult, problems: PositionedProblem[]): string {
  let out = '';
  const s = result.shapes;
  if (s) {
    const title = result.spec?.name ? `${file}: ${oneLine(result.spec.name)}` : file;
    out += `${title}\n${table(s, result)}`;
  }
  for (const p of problems) {
    out += `${p.in ?? file}:${p.line}:${p.column}: ${p.severity}: ${oneLine(p.message, 4000)} [${p.code}]\n`;
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (problems.length > 0) out += `${file}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`;
  return out + '\n';
}

/** Names may hold newlines or a 2 MB string: keep each output line short. Messages are cut only past 4,000 characters (a pasted megabyte in a key), so real ones are whole. */
function oneLine(s: string, max = 200): string {
  const flat = s.replace(/[\r\n\t]+/g, ' ');
  return flat.length > max ? flat.slice(0, max) + '…' : flat;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The l column: "3", "s4" for the shortcut of a block ending at layer 4, "3–4" for the block. */
function lColumn(x: LayerShapes): string {
  if (x.shortcut) return `s${x.l}`;
  return x.type === 'residual' ? `${x.input + 1}–${x.l}` : String(x.l);
}

/** The shape table: one row for A[0] = X, one per layer l (and per block and shortcut), then the totals. */
function table(s: NetworkShapes, result: CheckResult): string {
  const header = ['l', 'type', 'activation', 'n[l]', 'W[l]', 'b[l]', 'Z[l], A[l]', 'parameters', 'multiply-adds'];
  const rows: string[][] = [['0', 'input', '', String(s.inputUnits), '', '', shapeText(s.input), 'A[0] = X', '']];
  const L = s.layerCount ?? s.layers.length;
  const seen = new Set<number>();
  // Every l below `next` has its row: each number is looked at once, however many layers.
  let next = 1;
  const missing = (upTo: number): void => {
    for (; next <= upTo; next++) {
      if (seen.has(next)) continue;
      seen.add(next);
      rows.push([String(next), '?', '?', '?', '?', '?', '?', 'see the problems below', '']);
    }
  };
  for (const x of s.layers) {
    if (!x.shortcut && x.type !== 'residual') missing(x.l - 1);
    if (!x.shortcut && x.type !== 'residual') seen.add(x.l);
    rows.push([
      lColumn(x), x.type, x.activation ?? '', String(x.units), shapeText(x.W), shapeText(x.b), shapeText(x.A),
      x.params.toLocaleString('en-US'), x.multiplyAdds.toLocaleString('en-US'),
    ]);
  }
  missing(L);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => '  ' + r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd() + '\n';
  let out = line(header) + rows.map(line).join('');
  out += `  total parameters: ${s.totalParams.toLocaleString('en-US')}${s.complete === false ? ' (layers marked ? not counted)' : ''}`;
  if (result.spec) out += `; loss: ${result.spec.loss}`;
  if (s.activationsPerExample !== undefined && s.complete !== false) {
    out += `; activations: ${s.activationsPerExample.toLocaleString('en-US')} values per example`;
    if (s.m !== undefined && s.activationBytes !== undefined) out += ` (m = ${s.m.toLocaleString('en-US')}: ${kb(s.activationBytes)})`;
  }
  out += '\n';
  if (s.complete !== false) {
    const mem = s.memory;
    const parts = [`parameters ${kb(mem.parameters * 8)}`, `gradients ${kb(mem.gradients * 8)}`];
    if (mem.optimizer > 0) parts.push(`optimizer state ${kb(mem.optimizer * 8)}`);
    parts.push(
      mem.activations !== undefined && mem.batch !== undefined
        ? `activations and caches of ${mem.batch.toLocaleString('en-US')} examples ${kb(mem.activations * 8)}`
        : `activations and caches ${mem.activationsPerExample.toLocaleString('en-US')} values per example`,
    );
    out += `  multiply-adds per example: ${s.totalMultiplyAdds.toLocaleString('en-US')}; training holds ${kb(mem.bytes)} (${parts.join(', ')})\n`;
  }
  return out;
}

function kb(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes < 1024 ** 4) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  return `${(bytes / 1024 ** 4).toFixed(1)} TiB`;
}
