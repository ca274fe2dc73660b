/** Helpers shared by the checker's tests (not a test file itself: no `.test.ts`). */
import assert from 'node:assert/strict';
import { checkText, type CheckResult } from '../../src/core/check';
import { lineColumn } from '../../src/core/format/locate';
import type { Problem, ProblemCode } from '../../src/core/problems';

/** "line:column-endLine:endColumn", 1-based, end exclusive, as an editor shows a selection. */
export function span(text: string, r: { offset: number; length: number }): string {
  const a = lineColumn(text, r.offset);
  const b = lineColumn(text, r.offset + r.length);
  return `${a.line}:${a.column}-${b.line}:${b.column}`;
}

/** The only problem with this code (fails when there are none or several). */
export function one(result: CheckResult, code: ProblemCode): Problem {
  const found = result.problems.filter((p) => p.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got: ${JSON.stringify(result.problems.map((p) => [p.code, p.message]))}`);
  return found[0];
}

/** Asserts a problem completely: code, severity, message and where it is. */
export function expectProblem(
  text: string,
  code: ProblemCode,
  severity: Problem['severity'],
  message: string,
  where: string,
): Problem {
  const p = one(checkText(text), code);
  assert.equal(p.message, message);
  assert.equal(p.severity, severity);
  assert.equal(span(text, p.range), where);
  return p;
}

/** Applies a fix's edits (back to front, so earlier offsets stay valid). */
export function applyEdits(text: string, edits: { range: { offset: number; length: number }; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.range.offset - a.range.offset)) {
    out = out.slice(0, e.range.offset) + e.newText + out.slice(e.range.offset + e.range.length);
  }
  return out;
}

/** A valid network wrapped around some layers / extra top-level text, for short fixtures. */
export function net(layers: string, rest = ''): string {
  return `{\n"input": 2,\n"layers": [\n${layers}\n]${rest}\n}`;
}
