/**
 * The checker's front door: text in, typed spec + shapes + problems out. A total function: it
 * never throws, whatever the text.
 */
import type { Node } from 'jsonc-parser';
import type { Fix, JsonPath, Problem, TextEdit, TextRange } from './problems';
import { rangeAt, type RangeTarget } from './format/locate';
import type { Spec } from './format/types';
import type { NetworkShapes } from './shapes/types';
import { parseSpec } from './format/parse';
import { checkShapes } from './shapes/check';

export interface CheckResult {
  /** Present exactly when `problems` has no error: everything the engine needs is valid. */
  spec?: Spec;
  /** Shapes for every layer that could be inferred: up to the first broken layer at least. */
  shapes?: NetworkShapes;
  problems: Problem[];
  /** The parse tree the checker read (absent when the text could not be parsed at all). */
  tree?: Node;
  /**
   * The range of a JSON path in this text, by the checker's rule for duplicate keys (the last
   * wins); the nearest existing ancestor's when the path is missing. See format/locate.ts.
   */
  locate(path: JsonPath, target?: RangeTarget): TextRange;
}

export interface CheckOptions {
  /** Number of examples m, for the activation-memory check (default: the built-in data's m). */
  m?: number;
}

export function checkText(text: string, options: CheckOptions = {}): CheckResult {
  try {
    const parsed = parseSpec(text);
    // jsonc-parser's nodes over the parser's columns, each made when first asked for (format/tree.ts).
    const tree = parsed.tree?.root();
    const result: CheckResult = { problems: parsed.problems, locate: (path, target) => rangeAt(tree, path, target) };
    if (tree) result.tree = tree;
    if (parsed.spec) result.spec = parsed.spec;
    if (tree && tree.type === 'object') {
      const shaped = checkShapes(parsed.partial, tree, { ...options, text });
      result.shapes = shaped.shapes;
      result.problems = parsed.problems.concat(shaped.problems);
    }
    // In text order, so the CLI and the editor list problems top to bottom.
    result.problems.sort((a, b) => a.range.offset - b.range.offset);
    // A spec promises that the engine can run the file as written; with an error anywhere (a
    // setting out of range, a shape that does not fit) it would run something else, so there is none.
    if (result.spec && result.problems.some((p) => p.severity === 'error')) delete result.spec;
    return result;
  } catch (e) {
    // A bug in the checker must not take the editor down: report it at the start of the file.
    return {
      problems: [
        {
          code: 'syntax-error',
          severity: 'error',
          message: `internal checker error (please report it): ${e instanceof Error ? e.message : String(e)}`,
          path: [],
          range: { offset: 0, length: 0 },
        },
      ],
      locate: () => ({ offset: 0, length: 0 }),
    };
  }
}

/** The declared-shape problems: each has a fix that writes the inferred shape. */
function isShapeDeclaration(p: Problem): boolean {
  return p.code === 'shape-mismatch' || p.code === 'shape-transposed';
}

/** `text` with `edits` (non-overlapping) applied. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.range.offset - b.range.offset);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += text.slice(at, e.range.offset) + e.newText;
    at = e.range.offset + e.range.length;
  }
  return out + text.slice(at);
}

/**
 * `fix` with the edits that keep the declared shapes true. A fix that changes a size (n[0] by
 * "Set input to 2", n[L] by "Set n[3] to 3") makes the shapes declared from it wrong: this layer's
 * W, b, Z, A and their gradients, the next layer's W and dW. Every declared shape that checks
 * before the fix and not after it is rewritten to what the fixed file infers, in the same edit,
 * so fixes compose in any order. Shapes that were already wrong keep their own quick fix (and
 * "Fix all shape declarations"): they are the student's to see.
 */
export function withDependentShapes(text: string, fix: Fix, options: CheckOptions = {}): Fix {
  const after = applyEdits(text, fix.edits);
  const key = (p: Problem) => JSON.stringify(p.path);
  const wrongBefore = new Set(checkText(text, options).problems.filter(isShapeDeclaration).map(key));
  const sorted = [...fix.edits].sort((a, b) => a.range.offset - b.range.offset);
  // An offset in the fixed text, back in `text`: the fix's edits before it moved it by their growth.
  const before = (offset: number): number => {
    let shift = 0;
    for (const e of sorted) {
      if (offset < e.range.offset + shift + e.newText.length) break;
      shift += e.newText.length - e.range.length;
    }
    return offset - shift;
  };
  const extra: TextEdit[] = [];
  for (const p of checkText(after, options).problems) {
    if (!isShapeDeclaration(p) || wrongBefore.has(key(p))) continue;
    const change = p.fix?.[0]?.edits[0];
    if (change) extra.push({ range: { offset: before(change.range.offset), length: change.range.length }, newText: change.newText });
  }
  if (extra.length === 0) return fix;
  const what = extra.length === 1 ? 'declared shape that depends' : `${extra.length} declared shapes that depend`;
  return { ...fix, title: `${fix.title} and the ${what} on it`, edits: [...fix.edits, ...extra] };
}

/**
 * One fix for every declared shape that does not check ("Fix all shape declarations"): each
 * written as the file infers it. Undefined when fewer than two need it (the single fix says it).
 */
export function fixAllShapes(problems: readonly Problem[]): Fix | undefined {
  const edits = problems.filter(isShapeDeclaration).flatMap((p) => (p.fix?.[0] ? [p.fix[0].edits[0]] : []));
  if (edits.length < 2) return undefined;
  return { title: `Fix all shape declarations (${edits.length})`, edits };
}
