/**
 * The checker's front door: text in, typed spec + shapes + problems out. A total function: it
 * never throws, whatever the text.
 */
import type { Problem } from './problems';
import type { Spec } from './spec/types';
import type { NetworkShapes } from './shapes/types';
import { parseSpec } from './spec/parse';
import { checkShapes } from './shapes/check';

export interface CheckResult {
  /** Present when the file is structurally usable (there may still be errors in `problems`). */
  spec?: Spec;
  /** Shapes for every layer that could be inferred: up to the first broken layer at least. */
  shapes?: NetworkShapes;
  problems: Problem[];
}

export interface CheckOptions {
  /** Number of examples m, for the activation-memory check (default: the built-in data's m). */
  m?: number;
}

export function checkText(text: string, options: CheckOptions = {}): CheckResult {
  try {
    const parsed = parseSpec(text);
    const result: CheckResult = { problems: parsed.problems };
    if (parsed.spec) result.spec = parsed.spec;
    if (parsed.tree && parsed.tree.type === 'object') {
      const shaped = checkShapes(parsed.partial, parsed.tree, text, options);
      result.shapes = shaped.shapes;
      result.problems = parsed.problems.concat(shaped.problems);
    }
    // In text order, so the CLI and the editor list problems top to bottom.
    result.problems.sort((a, b) => a.range.offset - b.range.offset);
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
    };
  }
}
