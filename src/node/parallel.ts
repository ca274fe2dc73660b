/**
 * Both cores for the big products: the WebAssembly SIMD kernels (src/core/kernels/wasm.ts) with
 * the columns of C split between this thread and one worker_threads Worker, over one shared
 * WebAssembly memory. Node-only (worker_threads), hence here and not in src/core.
 *
 * Protocol: a small Int32Array over a SharedArrayBuffer. This thread writes the product's
 * arguments, bumps the sequence word and notifies; the worker computes its columns and stores the
 * sequence number in the done word; this thread computes its own columns meanwhile, then waits.
 * Waking a thread costs tens of microseconds, so only products of at least PARALLEL_MIN_WORK
 * multiply-adds are split; smaller ones run here alone, still in WebAssembly.
 *
 * The worker's code is a string evaluated by `new Worker(code, { eval: true })`, so it needs no
 * file of its own and works the same bundled (dist/), under tsx, and inside the training worker.
 */
import { Worker } from 'node:worker_threads';
import type { Matrix } from '../core/engine/matrix';
import type { Kernels } from '../core/kernels/types';
import { kernelsOver, MAX_PAGES, WA, WasmGemm, wasmBytes, type WasmMemory } from '../core/kernels/wasm';

/** Products below this many multiply-adds stay on one thread (about 0.2 ms of work). */
export const PARALLEL_MIN_WORK = 1 << 20;

// Control words: [0] sequence (negative = quit), [1] done, [2..12] gemm's arguments.
const SEQ = 0;
const DONE = 1;
const ARGS = 2;

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { bytes, memory, control } = workerData;
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
const gemm = instance.exports.gemm;
const c = new Int32Array(control);
let seq = 0;
parentPort.postMessage('ready');
for (;;) {
  Atomics.wait(c, ${SEQ}, seq);
  seq = Atomics.load(c, ${SEQ});
  if (seq < 0) break;
  gemm(c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12]);
  Atomics.store(c, ${DONE}, seq);
  Atomics.notify(c, ${DONE});
}
`;

export interface ParallelKernels extends Kernels {
  pin(M: Matrix): Matrix;
  release(M: Matrix): void;
  /** Stops the worker. The kernels keep working, on this thread only. */
  close(): Promise<void>;
}

/**
 * Two-thread WebAssembly kernels, or undefined when the WebAssembly module is not built or this
 * runtime lacks SIMD, shared memory or threads.
 */
export async function createParallelKernels(): Promise<ParallelKernels | undefined> {
  const bytes = wasmBytes('simdShared');
  if (!bytes || typeof SharedArrayBuffer === 'undefined') return undefined;
  let memory: WasmMemory;
  let here: WasmGemm;
  try {
    memory = new WA.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    here = new WasmGemm(bytes, memory, 2);
  } catch {
    return undefined;
  }
  const control = new SharedArrayBuffer(16 * 4);
  const ctl = new Int32Array(control);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bytes, memory, control } });
  worker.unref();
  let alive = true;
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  worker.on('error', () => {
    alive = false;
  });

  // Layout of the shared memory: [pack here][pack worker][pinned operands...][this product's operands].
  const packBytes = here.packBytes;
  let seq = 0;

  function run(tA: boolean, tB: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
    const L = here.layout(m, n, k);
    const mem = here.view(L.end);
    const pa = here.place(a, L.a, mem);
    const pb = here.place(b, L.b, mem);
    const split = alive && m * n * k >= PARALLEL_MIN_WORK && n >= 8;
    const mid = split ? Math.round(n / 8) * 4 : n;
    if (split) {
      const args = [tA ? 1 : 0, tB ? 1 : 0, m, n, k, pa, pb, L.c, mid, n, packBytes];
      for (let i = 0; i < args.length; i++) ctl[ARGS + i] = args[i];
      seq = seq >= 0x3fffffff ? 1 : seq + 1;
      Atomics.store(ctl, SEQ, seq);
      Atomics.notify(ctl, SEQ);
    }
    here.exports.gemm(tA ? 1 : 0, tB ? 1 : 0, m, n, k, pa, pb, L.c, 0, mid, 0);
    if (split) {
      for (;;) {
        const done = Atomics.load(ctl, DONE);
        if (done === seq) break;
        Atomics.wait(ctl, DONE, done, 1000);
      }
    }
    c.set(mem.subarray(L.c / 8, L.c / 8 + m * n));
  }

  const base = kernelsOver('wasm-simd-2threads', run, here);
  return {
    ...base,
    pin: (M: Matrix) => here.pin(M),
    release: (M: Matrix) => here.release(M),
    async close() {
      alive = false;
      Atomics.store(ctl, SEQ, -1);
      Atomics.notify(ctl, SEQ);
      await worker.terminate();
    },
  };
}
