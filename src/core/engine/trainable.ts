/**
 * Whether the engine can train a network: the one answer that the run layer's refusal
 * (src/run/load.ts), the editor's Train and Gradient check lenses and its `dnn.trainable` context
 * key (the Train button in the editor title and the palette) all read. It is the engine's own:
 * `networkOf` refuses what it cannot train yet (batch norm in a conv network, softmax on a conv
 * layer), so every surface follows the engine as it learns more.
 */
import type { Spec } from '../format/types';
import type { JsonPath } from '../problems';
import { EngineError, networkOf } from './network';

/**
 * Why the engine cannot train `spec`, at the key it is about; undefined when it can. A file with
 * errors has no spec: it is not refused here (its errors say more, and Train reports them).
 */
export function untrainable(spec: Spec | undefined): { message: string; path: JsonPath } | undefined {
  if (!spec) return undefined;
  try {
    networkOf(spec);
    return undefined;
  } catch (e) {
    if (e instanceof EngineError) return { message: e.message, path: e.path };
    throw e;
  }
}
