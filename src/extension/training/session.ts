/**
 * One worker thread running one request (train or gradient check), with pause, resume and a stop
 * that always ends: ask politely (control word + `stop` message), then terminate after a grace
 * period. No 'vscode' here: node:test drives it with real workers.
 */
import { Worker } from 'node:worker_threads';
import {
  CONTROL_PAUSE,
  CONTROL_RUN,
  CONTROL_STEP,
  CONTROL_STOP,
  isWorkerToExtension,
  TUNE_LEARNING_RATE,
  TUNE_OPTIMIZER,
  TUNE_PACE,
  TUNE_WORDS,
  validTuning,
  type ExtensionToWorker,
  type OptimizerTunable,
  type Tuning,
  type GradientCheckRequest,
  type TrainRequest,
  type WorkerToExtension,
} from '../../protocol';

/** How a session ended. `final` is the worker's last word (trainDone, gradientCheckDone or failed). */
export interface SessionEnd {
  final?: WorkerToExtension;
  /** True when the worker had to be terminated (it did not stop within the grace period). */
  terminated: boolean;
  /** Set when the worker died without a final message (a crash, or terminated). */
  error?: string;
}

export interface SessionOptions {
  /** Every well-formed message from the worker, in order (the final one included). */
  onMessage?: (m: WorkerToExtension) => void;
  /** A message that failed `isWorkerToExtension`, dropped (for the log). */
  onMalformed?: (m: unknown) => void;
  /** How long a stopped worker may take to finish before it is terminated (ms). */
  graceMs?: number;
  /** Extra Node options for the worker (tests run TypeScript workers with tsx). */
  execArgv?: string[];
  /** Iterations per second to start with (0 or absent: full speed). */
  pace?: number;
}

const FINAL = new Set<WorkerToExtension['type']>(['trainDone', 'gradientCheckDone', 'failed']);

export class WorkerSession {
  readonly done: Promise<SessionEnd>;
  private readonly worker: Worker;
  private readonly control = new Int32Array(new SharedArrayBuffer(4));
  /** α, the optimiser's settings and the pace wanted (TUNE_*), read by the worker before each iteration. */
  private readonly tuning = new Float64Array(new SharedArrayBuffer(TUNE_WORDS * 8)).fill(NaN);
  private final?: WorkerToExtension;
  private terminated = false;
  private exited = false;
  private crash?: string;
  /** Set when the worker sent a malformed message (which was dropped). */
  private malformed = false;
  private stopping?: Promise<SessionEnd>;
  private _paused = false;

  constructor(
    workerFile: string,
    request: TrainRequest | GradientCheckRequest,
    private readonly options: SessionOptions = {},
  ) {
    this.worker = new Worker(workerFile, { execArgv: options.execArgv ?? [] });
    this.done = new Promise<SessionEnd>((resolve) => {
      this.worker.on('message', (m: unknown) => {
        // The worker is ours, but what it sends reaches the page and the user: a message out of
        // protocol (an accuracy in percent, a missing field) is dropped here, not drawn.
        if (!isWorkerToExtension(m)) {
          this.malformed = true;
          this.options.onMalformed?.(m);
          return;
        }
        if (FINAL.has(m.type)) this.final = m;
        try {
          this.options.onMessage?.(m);
        } catch {
          // A listener's bug must not leave the worker orphaned; the session still ends.
        }
      });
      this.worker.on('error', (e) => {
        this.crash = `the training worker failed: ${e instanceof Error ? e.message : String(e)}`;
      });
      this.worker.on('exit', (code) => {
        this.exited = true;
        // Messages the worker posted just before exiting can be delivered after 'exit': let
        // them drain (one macrotask) before deciding whether it said its last word.
        setTimeout(() => this.finish(code, resolve), 0);
      });
    });
  
    this.tuning[TUNE_LEARNING_RATE] = 0;
    this.tuning[TUNE_PACE] = options.pace ?? 0;
    const msg: ExtensionToWorker =
      request.type === 'train'
        ? { ...request, control: this.control.buffer as SharedArrayBuffer, tuning: this.tuning.buffer as SharedArrayBuffer }
        : request;
    this.worker.postMessage(msg);
  }

  private finish(code: number, resolve: (end: SessionEnd) => void): void {
    const end: SessionEnd = { terminated: this.terminated };
    if (this.final) end.final = this.final;
    else if (!this.terminated) end.error = this.crash ?? (this.malformed ? 'the training worker sent a malformed message' : `the training worker stopped unexpectedly (exit code ${code})`);
    else end.error = 'the training worker did not stop in time and was terminated';
    resolve(end);
  }

  get alive(): boolean {
    return !this.exited;
  }

  get paused(): boolean {
    return this._paused;
  }

  /** The worker's thread id (tests check that it is gone). */
  get threadId(): number {
    return this.worker.threadId;
  }

  /** Pauses at the next progress report; the worker thread sleeps (no CPU) until resume or stop. */
  pause(): void {
    if (!this.alive || this.stopping) return;
    Atomics.store(this.control, 0, CONTROL_PAUSE);
    this._paused = true;
  }

  resume(): void {
    if (!this.alive || this.stopping) return;
    Atomics.store(this.control, 0, CONTROL_RUN);
    Atomics.notify(this.control, 0);
    this._paused = false;
  }

  /** While paused: one more progress sample's iterations, then paused again. */
  step(): void {
    if (!this.alive || this.stopping || !this._paused) return;
    Atomics.store(this.control, 0, CONTROL_STEP);
    Atomics.notify(this.control, 0);
  }

  /**
   * A new learning rate or optimiser setting from the next iteration on, and/or a new pace
   * (iterations per second, 0 = full speed). The worker reports the iteration a change took
   * effect at (`tuned`); a setting the run's optimiser does not read is ignored there.
   */
  tune(t: Tuning & { pace?: number }): void {
    if (validTuning('learningRate', t.learningRate)) this.tuning[TUNE_LEARNING_RATE] = t.learningRate;
    for (const key of Object.keys(TUNE_OPTIMIZER) as OptimizerTunable[]) {
      if (validTuning(key, t[key])) this.tuning[TUNE_OPTIMIZER[key]] = t[key];
    }
    if (t.pace !== undefined && t.pace >= 0) {
      this.tuning[TUNE_PACE] = t.pace;
      // A paced worker sleeps on the control word between samples: wake it to take the new pace.
      Atomics.notify(this.control, 0);
    }
  }

  /**
   * Asks the worker to stop (it finishes the current iteration and reports `aborted`), and
   * terminates it if it has not exited within the grace period. Resolves when the thread is gone.
   */
  stop(): Promise<SessionEnd> {
    if (this.stopping) return this.stopping;
    Atomics.store(this.control, 0, CONTROL_STOP);
    Atomics.notify(this.control, 0);
    this._paused = false;
    if (this.alive) this.worker.postMessage({ type: 'stop' } satisfies ExtensionToWorker);
    const grace = this.options.graceMs ?? 500;
    const timer = setTimeout(() => {
      if (!this.alive) return;
      this.terminated = true;
      void this.worker.terminate();
    }, grace);
    this.stopping = this.done.finally(() => clearTimeout(timer));
    return this.stopping;
  }

  /** Ends the worker at once (window closing, extension deactivating). */
  kill(): Promise<SessionEnd> {
    if (this.alive) {
      this.terminated = true;
      void this.worker.terminate();
    }
    return this.done;
  }
}
