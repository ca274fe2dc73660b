/**
 * The kernel sets, slowest to fastest, and the choice of the fastest one this context can run
 * without threads. Node callers that may start a worker thread can do better with
 * `createParallelKernels()` from src/node/parallel.ts (both cores).
 */
import { packedKernels } from './packed';
import { plainKernels } from './plain';
import type { Kernels } from './types';
import { createWasmKernels } from './wasm';

export { packedKernels, plainKernels };
export type { FusedActivation, Kernels } from './types';

let fast: Kernels | undefined;

/**
 * WebAssembly SIMD kernels when the build has produced them and the runtime supports SIMD,
 * otherwise the packed TypeScript kernels, with a one-time note saying why (about 3x slower on
 * big products; results agree to rounding either way).
 */
export function fastKernels(): Kernels {
  if (!fast) {
    fast = createWasmKernels();
    if (!fast) {
      fast = packedKernels;
      console.warn(
        'dnn: WebAssembly kernels unavailable (not built: run `npm run build`, or no WebAssembly SIMD here); using the TypeScript kernels',
      );
    }
  }
  return fast;
}
