/**
 * Both cores for the big products: the WebAssembly SIMD kernels (src/core/kernels/wasm.ts) with
 * the columns of C split between this thread and one worker_threads Worker, over one shared
 * WebAssembly memory. Node-only (worker_threads), hence here and not in src/core.
 *
 * Protocol: a small Int32Array over a SharedArrayBuffer. This thread writes the product's
 * arguments, bumps the sequence word and notifies; both threads then take chunks of C's columns
 * from a shared counter until none is left; the worker stores the sequence number in the done
 * word, which this thread waits for.
 * Waking a thread costs tens of microseconds, so only products of at least PARALLEL_MIN_WORK
 * multiply-adds are split; smaller ones run here alone, still in WebAssembly.
 *
 * The worker's code is a string evaluated by `new Worker(code, { eval: true })`, so it needs no
 * file of its own and works the same bundled (dist/), under tsx, and inside the training worker.
 */
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Matrix } from '../core/matrix';
import type { Kernels } from '../core/kernels/types';
import { bestWasm, imcol, kernelsOver, MAX_PAGES, WA, wasmBytes, WasmGemm, type WasmMemory } from '../core/kernels/wasm';

/**
 * Lets this process run the fused multiply-add ("fma") kernels: turns on V8's relaxed SIMD when
 * the runtime has it behind `--experimental-wasm-relaxed-simd` (Node 20, V8 11.3) and does nothing
 * where it is on already (VS Code's Electron, Node 21+). Returns whether the fma module validates.
 *
 * Call it first thing in a process or worker entry (the CLI, the editor's training worker),
 * before any WebAssembly is compiled: a module compiled earlier keeps the features it was
 * validated with, and the kernels are made once per thread (src/node/kernels.ts).
 *
 * Why a V8 flag is acceptable here: relaxed SIMD is a finished WebAssembly standard feature (part
 * of WebAssembly 3.0), shipped on by default from V8 11.4 (Node 21+, Chrome 114+), so Node 20 only
 * lacks the switch, not the implementation. Fused multiply-add rounds once instead of twice, as
 * numpy's OpenBLAS does (its x86-64 kernels use FMA too), so results stay within every fixture's
 * tolerance. The big products of the course's deep network run about 25-45% faster here
 * (bench/speed.bench.ts, row "wasm-fma-2threads": 20x12288 · 12288x209 at 14.6-16.1 GFLOP/s
 * against 10.9-11.7 without FMA, 21-33% less time per iteration, with the other core busy).
 * V8 flags are process-wide: set in the editor's training worker, the flag holds for the whole
 * extension host too, which is why it is set only when the runtime would otherwise refuse the
 * module.
 */
export function enableRelaxedSimd(): boolean {
  const fma = wasmBytes('fma');
  if (!fma) return false; // Not built: nothing to enable it for.
  if (validates(fma)) return true;
  const [major, minor] = process.versions.v8.split('.').map(Number);
  // From V8 11.4 relaxed SIMD is on by default; a newer V8 that refuses the module has it off on
  // purpose (or lacks WebAssembly SIMD), and an unknown flag would only print a warning.
  if (major > 11 || (major === 11 && minor >= 4)) return false;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return validates(fma);
}

function validates(bytes: Uint8Array): boolean {
  try {
    return WA.validate(bytes);
  } catch {
    return false;
  }
}

/** Products below this many multiply-adds stay on one thread (about 0.2 ms of work). */
export const PARALLEL_MIN_WORK = 1 << 20;

// Control words: [0] sequence (negative = quit), [1] done, [2] next chunk to take,
// [3..13] gemm's arguments (j0, j1 unused), [14] rows or columns per chunk, [15] chunks, [16] the
// worker failed (1), after which this thread works alone, [17] chunks are rows (1) or columns (0),
// [18] the job: a product (0) or im2col (1), whose chunks are examples, [19..33] its arguments.
const SEQ = 0;
const DONE = 1;
const NEXT = 2;
const ARGS = 3;
const CHUNK_SIZE = 14;
const CHUNKS = 15;
const FAILED = 16;
const BY_ROWS = 17;
const JOB = 18;
const IM2COL_ARGS = 19;
const CONTROL_WORDS = 34;

/** Batches of windows shorter than this many doubles (2 MB) are gathered by this thread alone. */
const PARALLEL_MIN_IM2COL = 1 << 18;

/**
 * C is cut into a few chunks that both threads take from a shared counter, so when the other
 * core is busy with something else (another program, the editor) this thread simply takes more
 * chunks instead of waiting. Each chunk reads the whole of one operand again: cut by columns, it
 * re-packs op(A) (m x k), which costs ~0.5 ms for W1 (20 x 12288); cut by rows, it re-reads op(B)
 * (k x n). C is cut along its longer side, so the operand read again is the smaller one, and a
 * product whose re-read operand is big is cut in two only.
 *
 * Why rows: a convolution's products are tall and thin. Z = cols · W is (m·n_H·n_W, n_C[l]), the
 * SIGNS network's first layer 262144 x 8 with cols 100 MB, and dW = colsᵀ · dZ is 48 x 8 from the
 * same 100 MB. Cut by columns, each thread packed all of cols for 4 of the 8 columns: twice the
 * memory traffic of one thread, and the step took ~1.4x one thread's time.
 */
const CHUNKS_PER_PRODUCT = 4;
/**
 * Cut by rows with a small op(B) (a conv's W), chunks cost nothing extra, so there are more of
 * them, of at least MIN_ROW_CHUNK rows: on a busy machine the worker may be descheduled holding a
 * chunk, and this thread then waits for that chunk alone, so smaller chunks wait less.
 */
const MAX_ROW_CHUNKS = 16;
const MIN_ROW_CHUNK = 256;
const BIG_OPERAND = 64 * 1024;

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { bytes, memory, control } = workerData;
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
const { gemmBlock, im2colExamples } = instance.exports;
const c = new Int32Array(control);
let seq = 0;
parentPort.postMessage('ready');
for (;;) {
  Atomics.wait(c, ${SEQ}, seq);
  seq = Atomics.load(c, ${SEQ});
  if (seq < 0) break;
  const m = c[${ARGS + 2}], n = c[${ARGS + 3}], size = c[${CHUNK_SIZE}], chunks = c[${CHUNKS}], rows = c[${BY_ROWS}] === 1;
  try {
    if (c[${JOB}] === 1) {
      const g = Array.from(c.subarray(${IM2COL_ARGS}, ${IM2COL_ARGS + 15}));
      for (let t = Atomics.add(c, ${NEXT}, 1); t < chunks; t = Atomics.add(c, ${NEXT}, 1)) {
        im2colExamples(...g, t * size, Math.min(m, (t + 1) * size));
      }
    } else
    for (let t = Atomics.add(c, ${NEXT}, 1); t < chunks; t = Atomics.add(c, ${NEXT}, 1)) {
      const from = t * size, to = Math.min(rows ? m : n, (t + 1) * size);
      if (rows) gemmBlock(c[3], c[4], m, n, c[7], c[8], c[9], c[10], from, to, 0, n, c[13]);
      else gemmBlock(c[3], c[4], m, n, c[7], c[8], c[9], c[10], 0, m, from, to, c[13]);
    }
  } catch {
    // Say so instead of leaving the other thread waiting for a chunk that never comes.
    Atomics.store(c, ${FAILED}, 1);
  }
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
  if (typeof SharedArrayBuffer === 'undefined') return undefined;
  const best = bestWasm(true);
  if (!best) return undefined;
  const bytes = best.bytes;
  let memory: WasmMemory;
  let here: WasmGemm;
  try {
    memory = new WA.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    here = new WasmGemm(bytes, memory, 2);
  } catch {
    return undefined;
  }
  const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
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

  /**
   * Runs `job` (0 a product, 1 im2col; its arguments already in the control words) as `chunks`
   * chunks of `size` rows, columns or examples out of `total`, taken by both threads from the
   * shared counter; `work` does one range here. Returns false when the worker failed (its chunks
   * may be missing), after which this thread works alone.
   */
  function share(job: number, size: number, chunks: number, work: (from: number, to: number) => void, total: number): boolean {
    ctl[JOB] = job;
    ctl[CHUNK_SIZE] = size;
    ctl[CHUNKS] = chunks;
    Atomics.store(ctl, NEXT, 0);
    seq = seq >= 0x3fffffff ? 1 : seq + 1;
    Atomics.store(ctl, SEQ, seq);
    Atomics.notify(ctl, SEQ);
    for (let t = Atomics.add(ctl, NEXT, 1); t < chunks; t = Atomics.add(ctl, NEXT, 1)) work(t * size, Math.min(total, (t + 1) * size));
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done === seq) break;
      Atomics.wait(ctl, DONE, done, 1000);
    }
    if (Atomics.load(ctl, FAILED) === 1) {
      alive = false;
      return false;
    }
    return true;
  }

  function run(tA: boolean, tB: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
    const L = here.layout(m, n, k);
    const mem = here.view(L.end);
    const pa = here.place(a, L.a, mem);
    const pb = here.place(b, L.b, mem);
    // Straight into C when it is pinned (training's dW, Z): no copy out.
    const pc = here.output(c, a, b, L.c);
    const tAi = tA ? 1 : 0;
    const tBi = tB ? 1 : 0;
    const byRows = m > n;
    const along = byRows ? m : n;
    if (!alive || m * n * k < PARALLEL_MIN_WORK || along < 8) {
      here.exports.gemm(tAi, tBi, m, n, k, pa, pb, pc, 0, n, 0);
    } else {
      const reread = byRows ? k * n : m * k;
      const parts = reread > BIG_OPERAND ? 2 : byRows ? Math.max(CHUNKS_PER_PRODUCT, Math.min(MAX_ROW_CHUNKS, Math.floor(along / MIN_ROW_CHUNK))) : CHUNKS_PER_PRODUCT;
      const size = Math.ceil(along / parts / 4) * 4;
      const chunks = Math.ceil(along / size);
      const args = [tAi, tBi, m, n, k, pa, pb, pc, 0, 0, packBytes];
      for (let i = 0; i < args.length; i++) ctl[ARGS + i] = args[i];
      ctl[BY_ROWS] = byRows ? 1 : 0;
      const ok = share(0, size, chunks, (from, to) => {
        if (byRows) here.exports.gemmBlock(tAi, tBi, m, n, k, pa, pb, pc, from, to, 0, n, 0);
        else here.exports.gemmBlock(tAi, tBi, m, n, k, pa, pb, pc, 0, m, from, to, 0);
      }, along);
      // A chunk the worker took may be missing: redo the whole product here, alone from now on.
      if (!ok) here.exports.gemm(tAi, tBi, m, n, k, pa, pb, pc, 0, n, 0);
    }
    here.finish(c, pc, L.c);
  }

  const base = kernelsOver(best.fma ? 'wasm-fma-2threads' : 'wasm-simd-2threads', run, here);
  return {
    ...base,
    im2col(Aprev, g, m, cols, columns) {
      const args = here.im2colArgs(Aprev, g, m, cols, columns);
      if (!args) return false;
      const length = m * g.h * g.w * g.fH * g.fW * g.cPrev;
      if (!alive || length < PARALLEL_MIN_IM2COL || m < 2) {
        imcol(here.exports, args, 0, m);
        return true;
      }
      for (let i = 0; i < args.length; i++) ctl[IM2COL_ARGS + i] = args[i];
      ctl[ARGS + 2] = m;
      const size = Math.ceil(m / MAX_ROW_CHUNKS);
      if (!share(1, size, Math.ceil(m / size), (from, to) => imcol(here.exports, args, from, to), m)) imcol(here.exports, args, 0, m);
      return true;
    },
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
