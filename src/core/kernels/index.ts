/**
 * The kernel sets, slowest to fastest. The core never picks one: the entry points (CLI, training
 * worker, extension) choose a set once (src/node/kernels.ts) and pass it to every engine function.
 */
export { packedKernels } from './packed';
export { plainKernels } from './plain';
export type { Kernels } from './types';
export type { ActivationName } from './activations';
