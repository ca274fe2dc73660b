/**
 * The override inputs (learning rate, iterations, optimiser) read as RunOverrides: pure, so the
 * rules the page applies before it posts `start` or `applyToFile` are tested without a browser.
 * They are the same rules the extension's `isRunOverrides` enforces on what arrives.
 */
import { OPTIMIZER_CHOICES, TUNING_SYMBOLS, validTuning, type OptimizerChoice, type OptimizerTunable, type RunOverrides } from '../src/protocol';

/** What the user typed, as the inputs hold it. */
export interface OverrideInputs {
  learningRate: string;
  iterations: string;
  optimizer: string;
}

export const EMPTY_INPUTS: OverrideInputs = { learningRate: '', iterations: '', optimizer: '' };

export interface ParsedOverrides {
  /** The overrides, or undefined when one input is not valid. */
  overrides: RunOverrides | undefined;
  /** Why an input is not valid, shown as its tooltip; absent for a valid or empty input. */
  errors: { learningRate?: string; iterations?: string };
}

/** An empty input means "as in the file"; iterations may be written with `,` or `_` separators. */
export function parseOverrides(inputs: OverrideInputs): ParsedOverrides {
  const overrides: RunOverrides = {};
  const errors: ParsedOverrides['errors'] = {};
  const lr = inputs.learningRate.trim();
  if (lr !== '') {
    const v = Number(lr);
    if (Number.isFinite(v) && v > 0) overrides.learningRate = v;
    else errors.learningRate = 'The learning rate must be a positive number, e.g. 0.0075';
  }
  const it = inputs.iterations.trim();
  if (it !== '') {
    const v = Number(it.replace(/[_,]/g, ''));
    if (Number.isInteger(v) && v >= 1 && v <= 10_000_000) overrides.iterations = v;
    else errors.iterations = 'Iterations must be a whole number from 1 to 10,000,000';
  }
  if ((OPTIMIZER_CHOICES as readonly string[]).includes(inputs.optimizer)) overrides.optimizer = inputs.optimizer as OptimizerChoice;
  const ok = errors.learningRate === undefined && errors.iterations === undefined;
  return { overrides: ok ? overrides : undefined, errors };
}

/**
 * The optimiser box's value for `key` (a β in [0, 1), ε > 0, the file's own ranges): the number,
 * or why it cannot be used. An empty box is neither.
 */
export function parseOptimizerSetting(key: OptimizerTunable, text: string): { value?: number; error?: string } {
  const t = text.trim();
  if (t === '') return {};
  const v = Number(t);
  if (validTuning(key, v)) return { value: v };
  return { error: key === 'epsilon' ? 'ε must be a number above 0, e.g. 1e-8' : `${TUNING_SYMBOLS[key]} must be a number from 0 up to (not including) 1, e.g. 0.9` };
}
