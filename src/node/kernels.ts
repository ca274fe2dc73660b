/**
 * The one place a kernel set is chosen. The core takes a `Kernels` argument everywhere and never
 * picks one; the entry points (`dnn train`, `dnn predict`, `dnn gradcheck`, the editor's training
 * worker) call one of these once and pass the result down.
 *
 * Each choice is made once per thread and shared: WebAssembly modules are compiled and their
 * memory taken only the first time.
 */
import { packedKernels } from '../core/kernels/packed';
import type { Kernels } from '../core/kernels/types';
import { createWasmKernels, wasmBytes } from '../core/kernels/wasm';
import { createParallelKernels } from './parallel';

export interface KernelChoice {
  readonly kernels: Kernels;
  /**
   * Why these are the TypeScript kernels rather than WebAssembly's (about 3x slower on big
   * products; results agree to rounding either way), for the caller to show once. Absent when
   * the WebAssembly kernels were chosen.
   */
  readonly fallback?: string;
}

let oneThread: KernelChoice | undefined;

/**
 * For small work that should not start a thread (predict, gradient check): WebAssembly SIMD on
 * this thread when the build has produced it and the runtime supports SIMD, else the packed
 * TypeScript kernels with the reason.
 */
export function chooseKernels(): KernelChoice {
  if (!oneThread) {
    const wasm = createWasmKernels();
    oneThread = wasm
      ? { kernels: wasm }
      : {
          kernels: packedKernels,
          fallback: wasmBytes('simd')
            ? 'WebAssembly SIMD is not available here; using the TypeScript kernels'
            : 'the WebAssembly kernels are not built (run `npm run build`); using the TypeScript kernels',
        };
  }
  return oneThread;
}

let bothCores: Promise<KernelChoice> | undefined;

/**
 * For training: WebAssembly SIMD with the big products split over this thread and one more
 * (src/node/parallel.ts; the thread is unref'd, so the process exits without closing it), else
 * `chooseKernels()`.
 */
export function chooseTrainingKernels(): Promise<KernelChoice> {
  bothCores ??= createParallelKernels().then((k) => (k ? { kernels: k } : chooseKernels()));
  return bothCores;
}
