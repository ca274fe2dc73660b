/**
 * The training worker (worker_threads), started by the extension host for one request: a `train`
 * or a `gradientCheck`. Training runs here so the editor never waits on it. The logic lives in
 * training/runner.ts (over the run layer, src/run); this file connects it to the thread's message
 * port and chooses the kernels.
 *
 * Training uses both cores: `chooseTrainingKernels()` starts one more worker thread, nested in this one and
 * unref'd. It ends with this thread, whether the run finishes (the port closes, nothing is left
 * to do) or the extension terminates it on Stop (Node stops a worker's own workers with it;
 * test/node/parallel.test.ts counts the threads).
 */
import { parentPort } from 'node:worker_threads';
import type { ExtensionToWorker, GradientCheckRequest, TrainRequest, WorkerToExtension } from '../protocol';
import { assertNever } from '../protocol';
import { chooseKernels, chooseTrainingKernels } from '../node/kernels';
import { enableRelaxedSimd } from '../node/parallel';
import { errorMessage } from '../run/problems';
import { runGradientCheck, runTraining } from './training/runner';

// Before any WebAssembly is compiled: the fused multiply-add kernels where the runtime has them
// behind a flag (Node 20; VS Code's Electron has them on already). See enableRelaxedSimd.
enableRelaxedSimd();

const port = parentPort;
if (!port) throw new Error('worker.js must run as a worker thread');

const stop = new AbortController();
const post = (m: WorkerToExtension) => port.postMessage(m);

/** A training run: WebAssembly SIMD on two threads when the build has it (same numbers to rounding). */
async function train(msg: TrainRequest): Promise<void> {
  const { kernels } = await chooseTrainingKernels();
  return runTraining(msg, { kernels, post, signal: stop.signal });
}

/** A gradient check is small work: one thread. */
function gradientCheck(msg: GradientCheckRequest): Promise<void> {
  return runGradientCheck(msg, { kernels: chooseKernels().kernels, post, signal: stop.signal });
}

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
      const run = msg.type === 'train' ? train(msg) : gradientCheck(msg);
      // The runner reports the user's errors; this catches a bug (in the engine or the reporting).
      run
        .catch((e) => port.postMessage({ type: 'failed', errors: [{ message: `internal error: ${errorMessage(e)}` }] }))
        .finally(() => port.close());
      return;
    }
    default:
      assertNever(msg);
  }
});
