/**
 * The training worker (worker_threads), started by the extension host for one request: a `train`
 * or a `gradientCheck`. Training runs here so the editor never waits on it. The logic lives in
 * training/runner.ts; this file only connects it to the thread's message port and to Node.
 */
import { parentPort } from 'node:worker_threads';
import type { ExtensionToWorker, WorkerToExtension } from '../protocol';
import { assertNever } from '../protocol';
import { fastKernels } from '../core/kernels';
import { initialParameters, loadDataset, saveParameters } from './training/nodeEnv';
import { errorMessage, runGradientCheck, runTraining, type RunnerEnv } from './training/runner';

const port = parentPort;
if (!port) throw new Error('worker.js must run as a worker thread');

const stop = new AbortController();
const env: RunnerEnv = {
  loadDataset,
  saveParameters,
  initialParameters,
  // WebAssembly SIMD when the build has it; the same numbers to rounding, about 3x faster.
  kernels: fastKernels(),
  post: (m: WorkerToExtension) => port.postMessage(m),
  signal: stop.signal,
};

let started = false;
port.on('message', (msg: ExtensionToWorker) => {
  switch (msg.type) {
    case 'stop':
      stop.abort();
      return;
    case 'train':
    case 'gradientCheck': {
      if (started) return;
      started = true;
      const run = msg.type === 'train' ? runTraining(msg, env) : runGradientCheck(msg, env);
      // The runner reports its own errors; this only catches a bug in the reporting itself.
      run
        .catch((e) => port.postMessage({ type: 'failed', errors: [{ message: `internal error: ${errorMessage(e)}` }] }))
        .finally(() => port.close());
      return;
    }
    default:
      assertNever(msg);
  }
});
