/**
 * What the training-family commands (train, predict, gradcheck) share on the terminal: their
 * command-line parsing, how a problem is printed, and Ctrl-C. Running the file itself is the run
 * layer's job (src/run), shared with the editor.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { lineColumn } from '../core/format/locate';
import { forTerminal, loadRun, readFile, type CheckedFile, type LoadedRun, type ReadOptions } from '../run/load';
import type { RunProblem } from '../run/problems';
import type { CliIO } from './main';

/** Parsed command line of the training-family commands. */
export interface ParsedArgs {
  file?: string;
  flags: Map<string, string | true>;
}

/**
 * Splits args into one positional FILE and `--name value` flags; `bool` names take no value.
 * Returns a usage message on anything unexpected.
 */
export function parseArgs(args: string[], valued: string[], bool: string[]): ParsedArgs | string {
  const flags = new Map<string, string | true>();
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--help' || a === '-h') return 'help';
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (bool.includes(name)) {
        if (eq > 0) return `option --${name} takes no value`;
        flags.set(name, true);
      } else if (valued.includes(name)) {
        const value = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (value === undefined || value === '') return `option --${name} needs a value`;
        flags.set(name, value);
      } else return `unknown option '${a}'`;
    } else if (file === undefined) file = a;
    else return `unexpected argument '${a}' (one FILE only)`;
  }
  return file === undefined ? { flags } : { file, flags };
}

/** A number option, or a usage message. */
export function numberFlag(flags: Map<string, string | true>, name: string, check: (n: number) => boolean, what: string): number | string | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || !check(n)) return `--${name} must be ${what}; found '${String(v)}'`;
  return n;
}

/**
 * Prints problems of running `file` (the .dnn.json), one a line: FILE:LINE:COL for those in its
 * text (with the problem's code in brackets), CSV:LINE:COL for a bad cell (paths relative to the
 * .dnn.json become relative to the current folder), FILE: for another file. `text` and `locate`
 * position problems that carry a JSON path but no range yet; without them such a problem is
 * printed at FILE alone.
 */
export function printProblems(file: string, problems: RunProblem[], io: CliIO, at?: { text: string; checked?: CheckedFile['checked'] }, quietWarnings = false): void {
  for (const p of forTerminal(problems)) {
    if (quietWarnings && p.severity !== 'error') continue;
    const tag = ` [${p.code}]`;
    const where = placeOf(file, p, at);
    if (p.in) io.err(`${where.file}${where.line !== undefined ? `:${where.line}:${where.column}` : ''}: ${p.severity}: ${p.message}\n`);
    else io.err(`${where.file}${where.line !== undefined ? `:${where.line}:${where.column}` : ''}: ${p.severity}: ${p.message}${tag}\n`);
    io.problems?.push({ code: p.code, severity: p.severity, message: p.message, ...where });
  }
}

/** Where a problem is: its file, and the 1-based line and column when known (see printProblems). */
function placeOf(file: string, p: RunProblem, at?: { text: string; checked?: CheckedFile['checked'] }): { file: string; line?: number; column?: number } {
  if (p.in) return p.in.line !== undefined ? { file: dataFile(file, p.in.file), line: p.in.line, column: p.in.column ?? 1 } : { file: p.in.file };
  const range = p.range ?? at?.checked?.locate(p.path, 'property');
  if (!range || !at) return { file };
  return { file, ...lineColumn(at.text, range.offset) };
}

/** A problem as the --json outputs list it. */
export interface JsonProblem {
  code: string;
  severity: string;
  message: string;
  file: string;
  line?: number;
  column?: number;
}

/**
 * For --json: a terminal that also collects the problems printed on stderr, so a command that
 * fails prints them as one JSON object on stdout (`failedJson`) instead of nothing.
 */
export function collecting(io: CliIO): CliIO & { problems: JsonProblem[] } {
  return { ...io, problems: [] };
}

/** The JSON object a --json command prints when the file, its data or its parameters are bad. */
export function failedJson(file: string, problems: JsonProblem[]): string {
  return JSON.stringify({ file, status: 'failed', problems: problems.filter((p) => p.severity === 'error') }) + '\n';
}

/**
 * Reads and checks the .dnn.json `file`, printing the checker's problems (warnings too, unless
 * `quietWarnings`); undefined when it has errors or cannot be read.
 */
export async function readChecked(file: string, io: CliIO, quietWarnings = false, options: ReadOptions = {}): Promise<CheckedFile | undefined> {
  const read = await readFile(file, undefined, options);
  if (read.ok) {
    printProblems(file, read.warnings, io, read, quietWarnings);
    return read;
  }
  printProblems(file, read.problems, io, { text: read.text ?? '' }, quietWarnings);
  return undefined;
}

/**
 * Reads and checks the .dnn.json, then loads its data and starting parameters (`--init`, else
 * the file's init), printing every problem and the data's warnings; undefined when it cannot run.
 */
export async function loadForRun(
  file: string,
  flags: Map<string, string | true>,
  io: CliIO,
  json: boolean,
): Promise<{ read: CheckedFile; run: LoadedRun } | undefined> {
  const read = await readChecked(file, io, json);
  if (!read) return undefined;
  const initPath = flags.get('init') as string | undefined;
  const loaded = await loadRun(read, initPath ? { initPath } : {});
  if (!loaded.ok) {
    printProblems(file, loaded.problems, io, read);
    return undefined;
  }
  printProblems(file, loaded.run.dataWarnings, io, read);
  return { read, run: loaded.run };
}

/** A data file named in the .dnn.json, as a path from the current folder. */
function dataFile(specFile: string, name: string): string {
  return isAbsolute(name) ? name : join(dirname(specFile), name);
}

/** Ctrl-C: abort through an AbortSignal while `work` runs (io.signal, in tests). */
export async function withInterrupt<T>(io: CliIO, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  io.signal?.addEventListener('abort', onSigint);
  if (io.signal?.aborted) ac.abort();
  process.on('SIGINT', onSigint);
  try {
    return await work(ac.signal);
  } finally {
    process.off('SIGINT', onSigint);
    io.signal?.removeEventListener('abort', onSigint);
  }
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}
