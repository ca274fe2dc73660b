/**
 * What can go wrong when a .dnn.json is run, as data. The checker's `Problem` covers the file's
 * text; running it adds failures in the data, the parameters files and the engine. Each carries
 * the JSON path of the key it is about and, when that key is in the .dnn.json's text, its range
 * there (from the checker's own `locate`, so every entry point points at the same text). A failure
 * that lies in another file (a CSV cell, a parameters file named on the command line) says which
 * file, and where in it when known. Codes come from the one closed list in src/core/problems.ts,
 * which holds the run's own codes ('params-error', 'engine-error', 'file-error') beside the
 * checker's, so the editor and the CLI show the same codes.
 */
import type { CheckResult } from '../core/check';
import { formatDataError } from '../core/data/csv';
import { EngineError } from '../core/engine/network';
import type { JsonPath, ProblemCode, Severity, TextRange } from '../core/problems';

export interface RunProblem {
  /** From the one closed list (src/core/problems.ts), which also has the codes only a run finds. */
  code: ProblemCode;
  severity: Severity;
  message: string;
  /** The key of the .dnn.json it is about; [] for the whole file. */
  path: JsonPath;
  /** Its range in the .dnn.json's text; absent when the problem lies in another file. */
  range?: TextRange;
  /** The other file it lies in, with 1-based line and column when known. */
  in?: { file: string; line?: number; column?: number };
}

/** A problem at `path` of the checked .dnn.json, with the range of `"key": value` there. */
export function problemAt(checked: CheckResult, code: ProblemCode, message: string, path: JsonPath): RunProblem {
  return { code, severity: 'error', message, path, range: checked.locate(path, 'property') };
}

/**
 * An engine's refusal as a problem at its JSON path; anything else is a bug and is rethrown, so
 * it reaches the entry point's "internal error" report instead of passing for the user's mistake.
 */
export function engineProblem(checked: CheckResult, e: unknown): RunProblem {
  if (e instanceof EngineError) return problemAt(checked, 'engine-error', e.message, e.path);
  throw e;
}

/** The outcome of a step that may fail with problems the user can act on. */
export type Outcome<T> = ({ ok: true } & T) | { ok: false; problems: RunProblem[] };

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "train.csv:3:2: message" for a problem in another file; the message alone otherwise. */
export function describeProblem(p: RunProblem): string {
  if (!p.in) return p.message;
  return p.in.line !== undefined ? formatDataError({ file: p.in.file, line: p.in.line, column: p.in.column ?? 1, message: p.message }) : `${p.in.file}: ${p.message}`;
}
