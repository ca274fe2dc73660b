/**
 * The checker's front door: text in, typed spec + shapes + problems out. A total function: it
 * never throws, whatever the text.
 */
import type { Problem } from './problems';
import type { Spec } from './spec/types';
import type { NetworkShapes } from './shapes/types';

export interface CheckResult {
  /** Present when the file is structurally usable (there may still be errors in `problems`). */
  spec?: Spec;
  /** Shapes for every layer that could be inferred: up to the first broken layer at least. */
  shapes?: NetworkShapes;
  problems: Problem[];
}

export function checkText(text: string): CheckResult {
  // Filled in by the Foundation issue (parser + shape checker).
  void text;
  return { problems: [] };
}
