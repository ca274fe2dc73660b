/**
 * Which layer kinds the engine can train: the one answer that the run layer's refusal
 * (src/run/load.ts), the editor's Train and Gradient check lenses and its `dnn.trainable` context
 * key (the Train button in the editor title and the palette) all read, so that they follow the
 * engine when it learns a new kind.
 */
import type { LayerType } from '../format/parse';
import type { JsonPath } from '../problems';

/** The kinds train() and gradientCheck() take; a kind joins when its forward and backward land. */
const TRAINABLE_TYPES: ReadonlySet<LayerType> = new Set<LayerType>(['dense']);

/**
 * The first layer the engine cannot train, or undefined when it can train them all. Takes a
 * Spec's layers or the checker's inferred ones (which a file with errors still has).
 */
export function untrainableLayer<L extends { type: LayerType; path: JsonPath }>(layers: readonly L[]): L | undefined {
  return layers.find((l) => !TRAINABLE_TYPES.has(l.type));
}
