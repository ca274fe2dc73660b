/**
 * The checker's front door: text in, typed spec + shapes + problems out. A total function: it
 * never throws, whatever the text.
 */
import type { Node } from 'jsonc-parser';
import type { JsonPath, Problem, TextRange } from './problems';
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
    const tree = parsed.tree;
    const result: CheckResult = { problems: parsed.problems, locate: (path, target) => rangeAt(tree, path, target) };
    if (tree) result.tree = tree;
    if (parsed.spec) result.spec = parsed.spec;
    if (parsed.tree && parsed.tree.type === 'object') {
      const shaped = checkShapes(parsed.partial, parsed.tree, { ...options, text });
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
