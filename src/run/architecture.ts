/**
 * What a parameters file was trained for, and whether the .dnn.json still describes that network.
 * Weights of the right shapes can still belong to another network (tanh changed to relu, another
 * loss): predicting with them would answer silently wrong, so prediction compares the file's
 * `meta` with the network first.
 */
import type { ParamsMeta } from '../core/engine/params';
import { networkOf } from '../core/engine/network';
import type { Spec } from '../core/format/types';

/** The network as a parameters file's `meta` records it: n[0..L], g[1..L], the loss. */
export function networkMeta(spec: Spec): Pick<ParamsMeta, 'architecture' | 'activations' | 'loss'> {
  return {
    architecture: networkOf(spec).layerDims,
    activations: spec.layers.map((l) => (l.type === 'dense' ? l.activation : 'linear')),
    loss: spec.loss,
  };
}

/**
 * How the network `meta` records differs from `spec`'s, in words ("layer 1's activation is relu
 * in the file but the parameters were trained with tanh"); undefined when it does not, or when
 * the file records nothing to compare (a dict saved from numpy has no `meta`).
 */
export function networkDifference(meta: ParamsMeta | undefined, spec: Spec): string | undefined {
  if (!meta) return undefined;
  const now = networkMeta(spec);
  const was = meta.architecture;
  if (Array.isArray(was) && JSON.stringify(was) !== JSON.stringify(now.architecture)) {
    return `the parameters were trained for layer sizes [${was.join(', ')}], the file now says [${now.architecture!.join(', ')}]`;
  }
  if (Array.isArray(meta.activations)) {
    const acts = now.activations!;
    for (let i = 0; i < Math.max(acts.length, meta.activations.length); i++) {
      if (meta.activations[i] !== acts[i]) {
        return `layer ${i + 1}'s activation is ${acts[i] ?? 'missing'} in the file, but the parameters were trained with ${String(meta.activations[i] ?? 'no layer there')}`;
      }
    }
  }
  if (typeof meta.loss === 'string' && meta.loss !== now.loss) {
    return `the loss is ${now.loss} in the file, but the parameters were trained with ${meta.loss}`;
  }
  return undefined;
}

/**
 * `networkDifference` for a parameters file's text, read leniently: only its `meta` is looked at,
 * so a file whose weights no longer fit the network (the sizes changed) is still recognised as
 * another network's. Undefined for a file that is not JSON or records no `meta`.
 */
export function paramsTextDifference(text: string, spec: Spec): string | undefined {
  let meta: unknown;
  try {
    meta = (JSON.parse(text) as { meta?: unknown } | null)?.meta;
  } catch {
    return undefined;
  }
  return meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? networkDifference(meta as ParamsMeta, spec) : undefined;
}

/** What every entry point says when a parameters file belongs to another network. */
export function anotherNetworkMessage(paramsName: string, difference: string): string {
  return `${paramsName} belongs to another network: ${difference}; train again, or use the parameters trained for this file`;
}
