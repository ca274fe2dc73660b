// The kernel sets every kernels-* test runs against. Not a test file itself (no .test.ts).
import type { Kernels } from '../../src/core/kernels/types';
import { plainKernels } from '../../src/core/kernels/plain';
import { packedKernels } from '../../src/core/kernels/packed';
import { createWasmKernels } from '../../src/core/kernels/wasm';

export function kernelSetsUnderTest(): Kernels[] {
  const wasm = createWasmKernels();
  return wasm ? [plainKernels, packedKernels, wasm] : [plainKernels, packedKernels];
}
